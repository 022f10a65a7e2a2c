/**
 * UpdateTable: billing mode, provisioned throughput, deletion protection, table class, streams and SSE
 * settings, and global secondary indexes (index-updates.ts).
 */
import { validationError } from '../errors.js';
import { changedThroughput } from '../capacity/decrease-limit.js';
import { tableNotFound } from '../engine/catalog.js';
import type { BillingMode, ProvisionedThroughputSettings, SseSpecification, TableMetadata } from '../engine/table-metadata.js';
import { applyStreamSpecification } from '../engine/streams/table-streams.js';
import { checkCapacityBounds, sseMember, streamSpecification, tableClassMember } from './create-table.js';
import { applyIndexUpdates, parseIndexUpdates } from './index-updates.js';
import { onDemandThroughput, raisedWarm, updateWarmThroughput } from './table-throughput.js';
import type { JsonObject, OperationHandler } from './operation.js';
import { booleanMember, listMember, numberMember, objectMember, stringMember } from './request-members.js';
import { describeTableWithStats, liveCapacity, type WarmUnits } from './table-description.js';
import { resolveTableName } from './table-name.js';
import { applyReplicaUpdate, parseReplicaUpdates } from './replica-updates.js';
import { replicaDescription } from './replica-description.js';
import { applyStrongReplicaUpdates, isStrongReplicaRequest } from './strong-replica-updates.js';
import { isReplicated, otherReplicas } from '../engine/replication/replica-set.js';
import { assertChangeable } from './table-status.js';
import { carryIndexUpdatesToPeers, peerReplicaRegions, startIndexWork } from './replica-index-updates.js';

const INVALID = 'One or more parameter values were invalid: ';

/**
 * The members DynamoDB names when an UpdateTable request asks for nothing, in its order (StreamSpecification is
 * named `UpdateStreamEnabled`; two members of cross-account replication it does not document are named too).
 * The list is request-dependent: a member the request has is left out of it, and MultiRegionConsistency alone
 * asks for nothing. Text and behaviour from live captures of DynamoDB in us-east-1 and us-west-2 (2026-10), kept
 * in a public catalogue of DynamoDB's ValidationException texts; the older text that named only six members is
 * what DynamoDB answered before these members existed.
 */
const NOTHING_TO_DO: readonly (readonly [name: string, member: string])[] = [
  ['ProvisionedThroughput', 'ProvisionedThroughput'],
  ['BillingMode', 'BillingMode'],
  ['UpdateStreamEnabled', 'StreamSpecification'],
  ['GlobalSecondaryIndexUpdates', 'GlobalSecondaryIndexUpdates'],
  ['SSESpecification', 'SSESpecification'],
  ['ReplicaUpdates', 'ReplicaUpdates'],
  ['MultiAccountReplicaReady', 'MultiAccountReplicaReady'],
  ['ReplicaTransitRoleArn', 'ReplicaTransitRoleArn'],
  ['MultiRegionConsistency', 'MultiRegionConsistency'],
  ['DeletionProtectionEnabled', 'DeletionProtectionEnabled'],
  ['OnDemandThroughput', 'OnDemandThroughput'],
  ['WarmThroughput', 'WarmThroughput'],
  ['TableClass', 'TableClass'],
];

function isPresent(request: JsonObject, member: string): boolean {
  const value = request[member];
  if (value === undefined || value === null) return false;
  // An empty GlobalSecondaryIndexUpdates list, or an empty throughput structure, asks for nothing.
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object' && (member === 'OnDemandThroughput' || member === 'WarmThroughput')) return Object.keys(value).length > 0;
  return true;
}

/** The `At least one of ... is required` refusal, checked before the table is looked up. */
function checkSomethingToDo(request: JsonObject): void {
  const asks = NOTHING_TO_DO.some(([, member]) => member !== 'MultiRegionConsistency' && isPresent(request, member));
  if (asks) return;
  const names = NOTHING_TO_DO.filter(([, member]) => !isPresent(request, member)).map(([name]) => name);
  const last = names.pop();
  throw validationError(`At least one of ${names.join(', ')} or ${last ?? ''} is required`);
}

/**
 * WarmThroughput and SSESpecification go alone, and OnDemandThroughput only with BillingMode (DynamoDB's words,
 * same live captures);
 * the members counted are those that ask for something.
 */
function checkThroughputAlone(request: JsonObject): void {
  const others = (except: readonly string[]) =>
    NOTHING_TO_DO.some(([, member]) => !except.includes(member) && isPresent(request, member));
  if (isPresent(request, 'WarmThroughput') && others(['WarmThroughput'])) {
    throw validationError(`${INVALID}WarmThroughput must be the only operation in the request`);
  }
  if (request.SSESpecification != null && others(['SSESpecification'])) {
    throw validationError(`${INVALID}Server-Side Encryption modification must be the only operation in the request`);
  }
  if (isPresent(request, 'OnDemandThroughput') && others(['OnDemandThroughput', 'BillingMode'])) {
    throw validationError(`${INVALID}OnDemandThroughput can only be combined with BillingMode in an UpdateTable request`);
  }
}

export const updateTable: OperationHandler = async (context, request) => {
  checkSomethingToDo(request);
  checkThroughputAlone(request);
  const requestedMode = stringMember(request, 'BillingMode') as BillingMode | undefined;
  const throughput = objectMember(request, 'ProvisionedThroughput');
  if (requestedMode === 'PROVISIONED' && throughput === undefined) {
    throw validationError(`${INVALID}ProvisionedThroughput must be specified when BillingMode is PROVISIONED`);
  }
  const read = throughput === undefined ? undefined : (numberMember(throughput, 'ReadCapacityUnits') ?? 0);
  const write = throughput === undefined ? undefined : (numberMember(throughput, 'WriteCapacityUnits') ?? 0);
  if (read !== undefined && write !== undefined) checkCapacityBounds(read, write);

  const ref = resolveTableName(context, stringMember(request, 'TableName') ?? '');
  const { tableName } = ref;
  const existing = context.engine.catalog.getTable(ref, tableName);
  if (existing === undefined) throw tableNotFound(tableName);

  const indexActions = parseIndexUpdates(request);
  // Multi-Region strong consistency: created by its own ReplicaUpdates, and its replicas change only together.
  if (isStrongReplicaRequest(request, existing)) {
    const otherMembers = NOTHING_TO_DO.some(
      ([, member]) => member !== 'ReplicaUpdates' && member !== 'MultiRegionConsistency' && isPresent(request, member),
    );
    const table = await applyStrongReplicaUpdates(context.engine, ref, existing, request, otherMembers);
    return { TableDescription: await describeTableWithStats(context.engine, table) };
  }
  const replicaAction = parseReplicaUpdates(
    request,
    NOTHING_TO_DO.some(([, member]) => member !== 'ReplicaUpdates' && member !== 'MultiRegionConsistency' && isPresent(request, member)),
  );
  if (replicaAction !== undefined) {
    // Cairn's words (unconfirmed): a legacy global table's group is changed by UpdateGlobalTable.
    if (existing.legacyGlobalTable !== undefined) {
      throw validationError(`${INVALID}Table ${tableName} is part of a global table of version 2017.11.29: use UpdateGlobalTable to change its replicas`);
    }
    const { table, deleting } = await applyReplicaUpdate(context.engine, ref, existing, replicaAction);
    const description = await describeTableWithStats(context.engine, table);
    if (deleting !== undefined) {
      // The replica being deleted is still described, DELETING, in this answer.
      const replicas = Array.isArray(description.Replicas) ? (description.Replicas as JsonObject[]) : [];
      description.Replicas = [...replicas, replicaDescription(deleting, context.engine.replicaCopyProgress, table)];
    }
    return { TableDescription: description };
  }

  // Global tables (version 2019.11.21): an index created or deleted in one replica is created or deleted in every
  // replica (DynamoDB's developer guide, global tables: how it works). Each replica's change is tried first, so
  // that one the others would refuse is refused before any replica changes. Version 2017.11.29 does not: its
  // user creates the same index in each region.
  const replicaIndexActions = indexActions.filter((action) => action.kind !== 'Update');
  const replicaTables =
    replicaIndexActions.length === 0 || existing.legacyGlobalTable !== undefined
      ? []
      : otherReplicas(existing.replicas, existing.region)
          .map((replica) => context.engine.catalog.getTable({ accountId: existing.accountId, region: replica.regionName }, tableName))
          .filter((table): table is TableMetadata => table !== undefined);
  for (const replica of replicaTables) {
    applyIndexUpdates(replica, replicaIndexActions, request, replica.billingMode, context.engine.capacity.clock.now());
  }
  // The replicas on peers are changed by their own servers (replica-index-updates.ts): checked first as well.
  const peerRegions = replicaIndexActions.length === 0 || existing.legacyGlobalTable !== undefined ? [] : peerReplicaRegions(context.engine, existing);
  await carryIndexUpdatesToPeers(context.engine, existing, peerRegions, request, true);

  let capacityChanged = false;
  const updated = await context.engine.catalog.updateTable(
    ref,
    tableName,
    (current) => {
      assertChangeable(current);
      const now = Date.now();
      // Throughput changes and their daily decrease budget run on the capacity clock (decrease-limit.ts).
      const capacityNow = context.engine.capacity.clock.now();
      const targetMode = requestedMode ?? current.billingMode;
      if (throughput !== undefined && targetMode === 'PAY_PER_REQUEST') {
        throw validationError(
          `${INVALID}Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST`,
        );
      }
      let next: TableMetadata = current;
      if (read !== undefined && write !== undefined) {
        next = {
          ...next,
          provisionedThroughput: changeThroughput(current.provisionedThroughput, read, write, capacityNow),
          warmThroughput: raisedWarm(current.warmThroughput, current.billingMode, current.provisionedThroughput, read, write),
        };
        capacityChanged = true;
      }
      if (targetMode !== current.billingMode) {
        capacityChanged = true;
        if (targetMode === 'PAY_PER_REQUEST') {
          next = {
            ...next,
            billingMode: targetMode,
            billingModeUpdatedAt: now,
            provisionedThroughput: {
              ...next.provisionedThroughput,
              ReadCapacityUnits: 0,
              WriteCapacityUnits: 0,
            },
          };
        } else {
          next = { ...next, billingMode: targetMode };
        }
      }
      // WarmThroughput may not go below what DescribeTable shows, which includes what the capacity model reached.
      const live = liveCapacity(context.engine, current);
      next = applyThroughputSettings(next, request, targetMode, live.tableWarm);
      next = applyIndexUpdates(next, indexActions, request, targetMode, capacityNow, live.indexWarm);
      return applySettings(next, request, now);
    },
    // A capacity change takes DynamoDB a while (UPDATING); settings like deletion protection apply at once.
    () => capacityChanged,
  );
  // Index work runs in the background: a created index is backfilled, a deleted one dropped.
  startIndexWork(context.engine, updated);
  for (const replica of replicaTables) {
    const changed = await context.engine.catalog.updateTable(replica, tableName, (current) =>
      applyIndexUpdates(current, replicaIndexActions, request, current.billingMode, context.engine.capacity.clock.now()),
    );
    startIndexWork(context.engine, changed);
  }
  await carryIndexUpdatesToPeers(context.engine, updated, peerRegions, request, false);
  return { TableDescription: await describeTableWithStats(context.engine, updated) };
};

function changeThroughput(
  current: ProvisionedThroughputSettings,
  read: number,
  write: number,
  now: number,
): ProvisionedThroughputSettings {
  if (read === current.ReadCapacityUnits && write === current.WriteCapacityUnits) {
    throw validationError(
      'The provisioned throughput for the table will not change. The requested value equals the current value. ' +
        `Current ReadCapacityUnits provisioned for the table: ${current.ReadCapacityUnits}. Requested ReadCapacityUnits: ${read}. ` +
        `Current WriteCapacityUnits provisioned for the table: ${current.WriteCapacityUnits}. Requested WriteCapacityUnits: ${write}. ` +
        'Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.',
    );
  }
  return changedThroughput(current, read, write, now);
}

/**
 * OnDemandThroughput and WarmThroughput (table-throughput.ts): merged into what the table has; a table switched
 * to provisioned billing has no on-demand maxima any more.
 */
function applyThroughputSettings(table: TableMetadata, request: JsonObject, billingMode: BillingMode, reached?: WarmUnits): TableMetadata {
  const onDemand =
    billingMode === 'PROVISIONED' && !isPresent(request, 'OnDemandThroughput')
      ? undefined
      : onDemandThroughput(objectMember(request, 'OnDemandThroughput'), billingMode, {}, 'update', table.onDemandThroughput);
  const warm = updateWarmThroughput(objectMember(request, 'WarmThroughput'), table.warmThroughput, billingMode, table.provisionedThroughput, {}, reached);
  const { onDemandThroughput: _onDemand, warmThroughput: _warm, ...rest } = table;
  return { ...rest, ...(onDemand !== undefined ? { onDemandThroughput: onDemand } : {}), ...(warm !== undefined ? { warmThroughput: warm } : {}) };
}

/** Settings that change without a status transition. */
function applySettings(table: TableMetadata, request: JsonObject, now: number): TableMetadata {
  let next = table;
  const protection = booleanMember(request, 'DeletionProtectionEnabled');
  if (protection !== undefined && protection !== next.deletionProtectionEnabled) {
    next = { ...next, deletionProtectionEnabled: protection };
  }
  const tableClass = tableClassMember(request);
  if (tableClass.tableClass !== undefined) next = { ...next, tableClass: tableClass.tableClass };
  const stream = streamSpecification(objectMember(request, 'StreamSpecification'));
  if (stream !== undefined) {
    const wasEnabled = next.streamSpecification?.StreamEnabled === true;
    if (stream.StreamEnabled && stream.StreamViewType === undefined) {
      throw validationError(`${INVALID}If stream is being enabled then UpdateViewType is required`);
    }
    if (!stream.StreamEnabled && stream.StreamViewType !== undefined) {
      throw validationError(`${INVALID}If stream is being disabled, then UpdateViewType must not be specified`);
    }
    if (request.ProvisionedThroughput != null || request.BillingMode === 'PROVISIONED') {
      throw validationError(`${INVALID}You cannot modify stream status while updating table IOPS`);
    }
    if (listMember(request, 'GlobalSecondaryIndexUpdates')?.length) {
      throw validationError(`${INVALID}You cannot create or delete index while changing stream status`);
    }
    if (stream.StreamEnabled && wasEnabled) {
      throw validationError(`Table already has an enabled stream: TableName: ${next.tableName}`);
    }
    // Replication follows the stream: a global table keeps it. DynamoDB refuses with a ValidationException that a
    // test suite run against it matches as "not allowed ... Global Table"; the exact words are Cairn's.
    if (!stream.StreamEnabled && isReplicated(next)) {
      throw validationError(`${INVALID}Disabling the stream is not allowed for a Global Table: TableName: ${next.tableName}`);
    }
    if (!stream.StreamEnabled && !wasEnabled) {
      throw validationError(`Table has no stream to disable: TableName: ${next.tableName}`);
    }
    next = applyStreamSpecification(next, stream, now);
  }
  const sse = sseMember(objectMember(request, 'SSESpecification'));
  if (sse.sseSpecification !== undefined) {
    const kms = (spec: SseSpecification | undefined) => spec !== undefined && (spec.Enabled === true || (spec.Enabled === undefined && spec.SSEType === 'KMS'));
    // Asking for the AWS-owned key on a table that has it changes nothing (DynamoDB's words, same live captures).
    if (!kms(sse.sseSpecification) && !kms(next.sseSpecification)) {
      throw validationError(`${INVALID}Table is already encrypted by default`);
    }
    next = { ...next, sseSpecification: sse.sseSpecification };
  }
  return next;
}
