/**
 * DescribeGlobalTableSettings and UpdateGlobalTableSettings (global tables version 2017.11.29): the capacity
 * settings of each replica's table. The billing mode, the write capacity (table and GSIs) and the settings that
 * have one value for the group are set in every replica; read capacity and table class per replica.
 *
 * Auto scaling settings (the `...AutoScalingSettingsUpdate` members) are recorded and described, not acted on
 * (auto-scaling.ts); a replica switched to PAY_PER_REQUEST loses them.
 * The refusal texts are Cairn's own (unconfirmed), except IndexNotFoundException's, worded as UpdateTable's.
 */
import { DynamoDbError, validationError } from '../../errors.js';
import { changedThroughput } from '../../capacity/decrease-limit.js';
import type { Engine } from '../../engine/engine.js';
import type { BillingMode, IndexMetadata, ProvisionedThroughputSettings, TableMetadata } from '../../engine/table-metadata.js';
import type { JsonObject, OperationHandler } from '../operation.js';
import { listMember, numberMember, objectList, objectMember, stringMember } from '../request-members.js';
import { defaultPolicyName, describeAutoScaling, mergeAutoScaling, withAutoScaling } from './auto-scaling.js';
import { globalTableNotFound, replicaNotFound, serialized, tableNotFoundInRegion } from './legacy-global-table.js';
import { callRegion, findLegacyMember, groupTables } from './legacy-regions.js';
import type { PeerApiOperation } from '../../engine/replication/peer-service.js';

const INVALID = 'One or more parameter values were invalid: ';

/** DynamoDB's ReplicaSettingsDescription of one replica's table. */
function replicaSettings(table: TableMetadata, status: string): JsonObject {
  const billing: JsonObject = { BillingMode: table.billingMode };
  if (table.billingModeUpdatedAt !== undefined) billing.LastUpdateToPayPerRequestDateTime = table.billingModeUpdatedAt / 1000;
  const description: JsonObject = {
    RegionName: table.region,
    ReplicaStatus: status,
    ReplicaBillingModeSummary: billing,
    ReplicaProvisionedReadCapacityUnits: table.provisionedThroughput.ReadCapacityUnits,
  };
  describeAutoScaling(description, 'ReplicaProvisionedReadCapacityAutoScalingSettings', table.autoScaling?.read);
  description.ReplicaProvisionedWriteCapacityUnits = table.provisionedThroughput.WriteCapacityUnits;
  describeAutoScaling(description, 'ReplicaProvisionedWriteCapacityAutoScalingSettings', table.autoScaling?.write);
  const indexes = (table.globalSecondaryIndexes ?? []).filter((index) => index.status !== 'DELETING');
  if (indexes.length > 0) {
    description.ReplicaGlobalSecondaryIndexSettings = indexes.map((index) => {
      const settings: JsonObject = { IndexName: index.indexName, IndexStatus: index.status };
      // The model's units here are at least 1: an on-demand index has none to report.
      if (table.billingMode === 'PROVISIONED' && index.provisionedThroughput !== undefined) {
        settings.ProvisionedReadCapacityUnits = index.provisionedThroughput.ReadCapacityUnits;
      }
      describeAutoScaling(settings, 'ProvisionedReadCapacityAutoScalingSettings', table.autoScaling?.indexes?.[index.indexName]?.read);
      if (table.billingMode === 'PROVISIONED' && index.provisionedThroughput !== undefined) {
        settings.ProvisionedWriteCapacityUnits = index.provisionedThroughput.WriteCapacityUnits;
      }
      describeAutoScaling(settings, 'ProvisionedWriteCapacityAutoScalingSettings', table.autoScaling?.indexes?.[index.indexName]?.write);
      return settings;
    });
  }
  if (table.tableClass !== undefined) description.ReplicaTableClassSummary = { TableClass: table.tableClass };
  return description;
}

async function settingsAnswer(engine: Engine, member: TableMetadata): Promise<JsonObject> {
  return {
    GlobalTableName: member.tableName,
    ReplicaSettings: (await groupTables(engine, member)).map(({ table, status }) => replicaSettings(table, status)),
  };
}

export const describeGlobalTableSettings: OperationHandler = async (context, request) => {
  const name = stringMember(request, 'GlobalTableName') ?? '';
  const member = await findLegacyMember(context.engine, context.accountId, name);
  if (member === undefined) throw globalTableNotFound(name);
  return settingsAnswer(context.engine, member);
};

/** What one replica is asked to change. */
interface ReplicaChange {
  readonly read?: number;
  readonly indexReads: ReadonlyMap<string, number>;
  readonly tableClass?: 'STANDARD' | 'STANDARD_INFREQUENT_ACCESS';
}

export const updateGlobalTableSettings: OperationHandler = (context, request) =>
  serialized(context.accountId, stringMember(request, 'GlobalTableName') ?? '', () => updateSettingsNow(context, request));

const updateSettingsNow: OperationHandler = async (context, request) => {
  const name = stringMember(request, 'GlobalTableName') ?? '';
  const { engine, accountId } = context;
  const member = await findLegacyMember(engine, accountId, name);
  if (member === undefined) throw globalTableNotFound(name);
  const tables = (await groupTables(engine, member)).map(({ table }) => table);
  for (const update of objectList(request, 'ReplicaSettingsUpdate')) {
    const region = stringMember(update, 'RegionName') ?? '';
    if (!tables.some((table) => table.region === region)) throw replicaNotFound(name, region);
  }
  // Every replica's change is tried before any is made, so that one refused leaves the group as it was; a replica
  // on a peer is changed by the peer (legacySettingsOperation).
  const apply = settingsApplier(engine, request);
  const onPeer = (table: TableMetadata) => engine.peers.has(table.region);
  const peerCall = (table: TableMetadata, checkOnly: boolean) =>
    callRegion(engine, { accountId, region: table.region }, 'legacy-settings', { tableName: name, request, checkOnly });
  for (const table of tables) {
    if (onPeer(table)) await peerCall(table, true);
    else apply(table);
  }
  for (const table of tables) {
    if (onPeer(table)) await peerCall(table, false);
    else await engine.catalog.updateTable(table, name, apply);
  }
  const current = (await findLegacyMember(engine, accountId, name)) ?? member;
  return settingsAnswer(engine, current);
};

/** The change an UpdateGlobalTableSettings request makes to each replica's table (the region's own part included). */
function settingsApplier(engine: Engine, request: JsonObject): (table: TableMetadata) => TableMetadata {
  const mode = stringMember(request, 'GlobalTableBillingMode') as BillingMode | undefined;
  const write = numberMember(request, 'GlobalTableProvisionedWriteCapacityUnits');
  const indexWrites = new Map(
    (listMember(request, 'GlobalTableGlobalSecondaryIndexSettingsUpdate') ?? []).map((entry) => {
      const index = entry as JsonObject;
      return [stringMember(index, 'IndexName') ?? '', numberMember(index, 'ProvisionedWriteCapacityUnits')] as const;
    }),
  );
  const changes = new Map<string, ReplicaChange>();
  for (const update of objectList(request, 'ReplicaSettingsUpdate')) {
    const region = stringMember(update, 'RegionName') ?? '';
    const indexReads = new Map(
      (listMember(update, 'ReplicaGlobalSecondaryIndexSettingsUpdate') ?? []).flatMap((item) => {
        const index = item as JsonObject;
        const units = numberMember(index, 'ProvisionedReadCapacityUnits');
        return units === undefined ? [] : [[stringMember(index, 'IndexName') ?? '', units] as const];
      }),
    );
    const read = numberMember(update, 'ReplicaProvisionedReadCapacityUnits');
    const tableClass = stringMember(update, 'ReplicaTableClass') as ReplicaChange['tableClass'];
    changes.set(region, { ...(read !== undefined ? { read } : {}), indexReads, ...(tableClass !== undefined ? { tableClass } : {}) });
  }
  const replicaUpdates = objectList(request, 'ReplicaSettingsUpdate');
  return (table) =>
    applyAutoScaling(
      applySettings(table, mode, write, indexWrites, changes.get(table.region), engine.capacity.clock.now(), Date.now()),
      request,
      replicaUpdates.find((update) => stringMember(update, 'RegionName') === table.region),
    );
}

/**
 * UpdateGlobalTableSettings as a peer asks it of this server's replica (the replication endpoint's
 * `legacy-settings`: the whole `request`; with `checkOnly`, the change is only tried).
 */
export function legacySettingsOperation(engine: Engine): PeerApiOperation {
  return async ({ namespace, tableName, table }, body) => {
    if (table === undefined) throw tableNotFoundInRegion(tableName, namespace.region);
    const request = (typeof body.request === 'object' && body.request !== null ? body.request : {}) as JsonObject;
    const apply = settingsApplier(engine, request);
    if (body.checkOnly === true) apply(table);
    else await engine.catalog.updateTable(namespace, tableName, apply);
    return {};
  };
}

function applySettings(
  table: TableMetadata,
  mode: BillingMode | undefined,
  write: number | undefined,
  indexWrites: ReadonlyMap<string, number | undefined>,
  change: ReplicaChange | undefined,
  capacityNow: number,
  now: number,
): TableMetadata {
  const indexes = (table.globalSecondaryIndexes ?? []).filter((index) => index.status !== 'DELETING');
  for (const indexName of [...indexWrites.keys(), ...(change?.indexReads.keys() ?? [])]) {
    if (!indexes.some((index) => index.indexName === indexName)) {
      throw new DynamoDbError('IndexNotFoundException', `Requested resource not found: Index ${indexName} for table ${table.tableName}`);
    }
  }
  const billingMode = mode ?? table.billingMode;
  const asksUnits =
    write !== undefined || change?.read !== undefined || (change?.indexReads.size ?? 0) > 0 || [...indexWrites.values()].some((units) => units !== undefined);
  if (billingMode === 'PAY_PER_REQUEST' && asksUnits) {
    throw validationError(`${INVALID}Provisioned capacity units cannot be specified when GlobalTableBillingMode is PAY_PER_REQUEST`);
  }
  let next: TableMetadata = table;
  if (billingMode !== table.billingMode) {
    const { autoScaling: _autoScaling, ...rest } = next;
    // An on-demand table has no capacity to scale: its auto scaling settings go.
    next =
      billingMode === 'PAY_PER_REQUEST'
        ? { ...rest, billingMode, billingModeUpdatedAt: now, provisionedThroughput: { ...next.provisionedThroughput, ReadCapacityUnits: 0, WriteCapacityUnits: 0 } }
        : { ...next, billingMode };
  }
  if (billingMode === 'PROVISIONED') {
    const units = (current: ProvisionedThroughputSettings, read: number | undefined, written: number | undefined, what: string) => {
      const r = read ?? current.ReadCapacityUnits;
      const w = written ?? current.WriteCapacityUnits;
      if (r < 1 || w < 1) {
        throw validationError(`${INVALID}${what} in region ${table.region} needs provisioned read and write capacity units when GlobalTableBillingMode is PROVISIONED`);
      }
      return r === current.ReadCapacityUnits && w === current.WriteCapacityUnits ? current : changedThroughput(current, r, w, capacityNow);
    };
    next = { ...next, provisionedThroughput: units(next.provisionedThroughput, change?.read, write, `Table ${table.tableName}`) };
    if (next.globalSecondaryIndexes !== undefined) {
      next = {
        ...next,
        globalSecondaryIndexes: next.globalSecondaryIndexes.map((index): IndexMetadata => {
          if (index.status === 'DELETING') return index;
          const current = index.provisionedThroughput ?? { ReadCapacityUnits: 0, WriteCapacityUnits: 0, NumberOfDecreasesToday: 0 };
          return {
            ...index,
            provisionedThroughput: units(current, change?.indexReads.get(index.indexName), indexWrites.get(index.indexName), `Index ${index.indexName}`),
          };
        }),
      };
    }
  }
  if (change?.tableClass !== undefined) next = { ...next, tableClass: change.tableClass };
  return next;
}

/** The request's auto scaling settings: the group's write settings, and `own` (this replica's update) for reads. */
function applyAutoScaling(table: TableMetadata, request: JsonObject, own: JsonObject | undefined): TableMetadata {
  let next = table;
  const write = objectMember(request, 'GlobalTableProvisionedWriteCapacityAutoScalingSettingsUpdate');
  if (write !== undefined) {
    next = withAutoScaling(next, 'write', mergeAutoScaling(next, next.autoScaling?.write, write, "the table's write capacity", defaultPolicyName('write', next)));
  }
  for (const update of objectList(request, 'GlobalTableGlobalSecondaryIndexSettingsUpdate')) {
    const indexName = stringMember(update, 'IndexName') ?? '';
    const settings = objectMember(update, 'ProvisionedWriteCapacityAutoScalingSettingsUpdate');
    if (settings === undefined) continue;
    const merged = mergeAutoScaling(next, next.autoScaling?.indexes?.[indexName]?.write, settings, `the write capacity of index ${indexName}`, defaultPolicyName('write', next, indexName));
    next = withAutoScaling(next, 'write', merged, indexName);
  }
  if (own === undefined) return next;
  const read = objectMember(own, 'ReplicaProvisionedReadCapacityAutoScalingSettingsUpdate');
  if (read !== undefined) {
    next = withAutoScaling(next, 'read', mergeAutoScaling(next, next.autoScaling?.read, read, "the table's read capacity", defaultPolicyName('read', next)));
  }
  for (const update of objectList(own, 'ReplicaGlobalSecondaryIndexSettingsUpdate')) {
    const indexName = stringMember(update, 'IndexName') ?? '';
    const settings = objectMember(update, 'ProvisionedReadCapacityAutoScalingSettingsUpdate');
    if (settings === undefined) continue;
    const merged = mergeAutoScaling(next, next.autoScaling?.indexes?.[indexName]?.read, settings, `the read capacity of index ${indexName}`, defaultPolicyName('read', next, indexName));
    next = withAutoScaling(next, 'read', merged, indexName);
  }
  return next;
}
