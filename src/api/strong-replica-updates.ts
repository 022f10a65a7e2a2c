/**
 * UpdateTable for global tables with multi-Region strong consistency (MRSC): `MultiRegionConsistency: STRONG` with
 * the ReplicaUpdates that create the global table, and ReplicaUpdates on a table that is STRONG already.
 *
 * DynamoDB's rules (developer guide, global tables: consistency modes; API reference, UpdateTable): the mode is
 * given when the global table is created, by the Create actions of ReplicaUpdates, and cannot be changed after; a
 * STRONG global table has exactly three regions, all in one region set; the table must be empty; no replica can be
 * added later; TTL and local secondary indexes are not supported. A STRONG table goes back to a single-region
 * table by deleting both other members in one request (the API reference: a witness is deleted together with a
 * replica, which "converts the remaining replica to a single-Region DynamoDB table"). The third region may be a
 * witness (GlobalTableWitnessUpdates Create, one per table, only when the global table is created): it takes part
 * in the majority of every write but serves no client (replica-set.ts ReplicaMetadata.witness).
 *
 * DynamoDB's texts for these refusals are not published; the messages are Cairn's own, in DynamoDB's usual
 * `One or more parameter values were invalid: ` form.
 */
import { DynamoDbError, validationError } from '../errors.js';
import { tableNotFound, type Namespace } from '../engine/catalog.js';
import type { Engine } from '../engine/engine.js';
import { replicaSetOf, replicaTable, withReplicationStream } from '../engine/replication/replica-admin.js';
import type { ReplicaMetadata } from '../engine/replication/replica-set.js';
import { PeerError } from '../engine/replication/peers.js';
import { isStrong, memberTable, regionSetOf, STRONG_REGION_COUNT, STRONG_REGION_SETS, witnessNamespace } from '../engine/replication/strong-consistency.js';
import type { TableMetadata } from '../engine/table-metadata.js';
import { itemSpace } from '../engine/write-path.js';
import type { JsonObject } from './operation.js';
import { applyReplicaUpdate, forgetReplica, localRegion, peerUnavailable, replicaTableExists, unservedRegion } from './replica-updates.js';
import { listMember, objectMember, stringMember } from './request-members.js';
import { assertChangeable } from './table-status.js';

const INVALID = 'One or more parameter values were invalid: ';
const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-[0-9]+$/;

/** Whether the request is one for this file: it asks for STRONG, names witnesses, or changes a STRONG table's replicas. */
export function isStrongReplicaRequest(request: JsonObject, table: TableMetadata): boolean {
  return (
    request.MultiRegionConsistency === 'STRONG' ||
    (listMember(request, 'GlobalTableWitnessUpdates')?.length ?? 0) > 0 ||
    (isStrong(table) && (listMember(request, 'ReplicaUpdates')?.length ?? 0) > 0)
  );
}

interface StrongAction {
  readonly kind: 'Create' | 'Delete';
  /** The replicas' regions. */
  readonly regions: readonly string[];
  /** The witness's region, when the request names one. */
  readonly witness?: string;
}

/** The request's actions, checked for shape; `otherMembers`: the request asks for something else too. */
function parseStrongRequest(request: JsonObject, otherMembers: boolean): StrongAction {
  const updates = (listMember(request, 'ReplicaUpdates') ?? []) as readonly JsonObject[];
  if (updates.length === 0) {
    throw validationError(`${INVALID}MultiRegionConsistency and GlobalTableWitnessUpdates can only be specified with ReplicaUpdates`);
  }
  if (otherMembers) throw validationError(`${INVALID}ReplicaUpdates must be the only operation in the request`);
  const kinds = new Set<string>();
  const regions: string[] = [];
  for (const update of updates) {
    const given = (['Create', 'Update', 'Delete'] as const).filter((kind) => objectMember(update, kind) !== undefined);
    if (given.length !== 1) {
      throw validationError(
        `${INVALID}Exactly one of ReplicationGroupUpdate.Create, ReplicationGroupUpdate.Update, ReplicationGroupUpdate.Delete must be given`,
      );
    }
    const kind = given[0] as 'Create' | 'Update' | 'Delete';
    const region = stringMember(objectMember(update, kind) ?? {}, 'RegionName') ?? '';
    if (!REGION_NAME.test(region)) throw validationError(`${INVALID}Invalid region name: ${region}`);
    kinds.add(kind);
    regions.push(region);
  }
  if (kinds.has('Update')) {
    throw validationError(`${INVALID}Replicas of a global table with multi-Region strong consistency cannot be updated through ReplicaUpdates`);
  }
  if (kinds.size > 1) throw validationError(`${INVALID}ReplicaUpdates cannot both create and delete replicas`);
  const kind = kinds.has('Create') ? 'Create' : 'Delete';
  // At most one witness update (the model's maxLength), of the same kind as the replica updates.
  const witnessUpdate = (listMember(request, 'GlobalTableWitnessUpdates') ?? [])[0] as JsonObject | undefined;
  if (witnessUpdate === undefined) return { kind, regions };
  const witnessAction = objectMember(witnessUpdate, kind);
  if (witnessAction === undefined || Object.keys(witnessUpdate).length !== 1) {
    throw validationError(`${INVALID}A witness is ${kind === 'Create' ? 'created' : 'deleted'} only together with the replicas: GlobalTableWitnessUpdates must ${kind} one witness`);
  }
  const witness = stringMember(witnessAction, 'RegionName') ?? '';
  if (!REGION_NAME.test(witness)) throw validationError(`${INVALID}Invalid region name: ${witness}`);
  return { kind, regions, witness };
}

/** Carries out the request on `table`; returns the table as it is afterwards. */
export async function applyStrongReplicaUpdates(
  engine: Engine,
  ref: Namespace & { readonly tableName: string },
  table: TableMetadata,
  request: JsonObject,
  otherMembers: boolean,
): Promise<TableMetadata> {
  const action = parseStrongRequest(request, otherMembers);
  assertChangeable(table);
  if (action.kind === 'Delete') return deleteStrongReplicas(engine, ref, table, action.regions, action.witness, request);
  if (isStrong(table)) {
    throw validationError(`${INVALID}Replicas cannot be added to global table ${table.tableName}: it has multi-Region strong consistency`);
  }
  if (table.legacyGlobalTable !== undefined || replicaSetOf(table).length > 1) {
    throw validationError(`${INVALID}The consistency mode of global table ${table.tableName} cannot be changed: it has multi-Region eventual consistency`);
  }
  if (action.regions.includes(table.region)) throw localRegion();
  if (action.witness !== undefined && request.MultiRegionConsistency !== 'STRONG') {
    throw validationError(`${INVALID}A witness can only be added to a global table with multi-Region strong consistency`);
  }
  if (action.witness !== undefined && [table.region, ...action.regions].includes(action.witness)) {
    throw validationError(`${INVALID}The witness Region ${action.witness} must differ from the Regions of the replicas`);
  }
  const regions = [table.region, ...action.regions, ...(action.witness !== undefined ? [action.witness] : [])];
  if (new Set(regions).size !== regions.length) throw validationError(`${INVALID}Duplicate region in ReplicaUpdates`);
  if (regions.length !== STRONG_REGION_COUNT) {
    throw validationError(
      `${INVALID}A global table with multi-Region strong consistency must have exactly three Regions: the table's and two replicas, or one replica and a witness`,
    );
  }
  if (regionSetOf(regions) === undefined) {
    const sets = Object.entries(STRONG_REGION_SETS)
      .map(([name, members]) => `${name}: ${members.join(', ')}`)
      .join('; ');
    throw validationError(`${INVALID}The Regions ${regions.join(', ')} are not in one Region set of multi-Region strong consistency (${sets})`);
  }
  if ((table.localSecondaryIndexes?.length ?? 0) > 0) {
    throw validationError(`${INVALID}Multi-Region strong consistency is not supported for a table with local secondary indexes`);
  }
  const ttl = table.timeToLive?.status;
  if (ttl === 'ENABLED' || ttl === 'ENABLING') throw validationError(`${INVALID}Multi-Region strong consistency is not supported for a table with Time to Live enabled`);
  for await (const _item of engine.storage.range(itemSpace(table), { limit: 1 })) {
    throw validationError(`${INVALID}Table ${table.tableName} must be empty to become a global table with multi-Region strong consistency`);
  }
  for (const region of regions.slice(1)) {
    const onPeer = engine.peers.has(region);
    if (!onPeer && engine.options.servesOneRegion === true) throw unservedRegion(region);
    if (!onPeer && memberTable(engine.catalog, table.accountId, region, table.tableName) !== undefined) throw replicaTableExists(table);
  }

  const now = Date.now();
  const replicas: ReplicaMetadata[] = [
    ...replicaSetOf(table),
    ...action.regions.map((regionName): ReplicaMetadata => ({ regionName, status: 'CREATING', createdAt: now, copiedFrom: table.region })),
    // The table is empty: the witness has nothing to copy, and is ACTIVE at once.
    ...(action.witness !== undefined ? [{ regionName: action.witness, status: 'ACTIVE' as const, createdAt: now, witness: true as const }] : []),
  ];
  const strong = { ...table, multiRegionConsistency: 'STRONG' as const };
  const created: string[] = [];
  try {
    for (const replica of replicas.slice(1)) {
      const spec = replicaTable(strong, replica, replicas, now);
      const placed = replica.witness === true ? { ...spec, accountId: witnessNamespace(table.accountId, replica.regionName).accountId } : spec;
      if (engine.peers.has(replica.regionName)) await engine.peers.call(replica.regionName, table.accountId, 'create-table', { table: placed });
      else await engine.catalog.createTable(placed);
      created.push(replica.regionName);
    }
  } catch (error) {
    // All or nothing: the members made before the failure go again.
    for (const region of created) await deleteMemberTable(engine, table, region);
    if (error instanceof DynamoDbError && error.type === 'ResourceInUseException') throw replicaTableExists(table);
    if (error instanceof PeerError && error.status === 409) throw replicaTableExists(table);
    if (error instanceof PeerError) throw peerUnavailable(error);
    throw error;
  }
  await engine.writeReplicaSet(table, [table.region], replicas, (current) => ({ ...withReplicationStream(current, now), multiRegionConsistency: 'STRONG' }));
  const updated = engine.catalog.getTable(ref, ref.tableName);
  if (updated === undefined) throw tableNotFound(ref.tableName);
  for (const region of action.regions) engine.startReplicaCopy(updated, region);
  return updated;
}

/** Deletes the table of a member (replica or witness) in `region`, this server's or a peer's. */
async function deleteMemberTable(engine: Engine, table: TableMetadata, region: string): Promise<void> {
  if (engine.peers.has(region)) {
    await engine.peers.call(region, table.accountId, 'delete-table', { tableName: table.tableName }).catch(() => undefined);
    return;
  }
  const member = memberTable(engine.catalog, table.accountId, region, table.tableName);
  if (member !== undefined) await engine.catalog.deleteTable(member, table.tableName, () => undefined);
}

/** Both other members deleted in one request: the table is a single-region table again. */
async function deleteStrongReplicas(
  engine: Engine,
  ref: Namespace & { readonly tableName: string },
  table: TableMetadata,
  regions: readonly string[],
  witness: string | undefined,
  request: JsonObject,
): Promise<TableMetadata> {
  if (request.MultiRegionConsistency !== undefined && request.MultiRegionConsistency !== null) {
    throw validationError(`${INVALID}MultiRegionConsistency can only be specified with the ReplicaUpdates that create a global table`);
  }
  // Here without MultiRegionConsistency, a table that is not STRONG was named with a witness to delete.
  if (!isStrong(table)) throw validationError(`${INVALID}Table ${table.tableName} has no witness in region ${witness ?? ''}`);
  const set = replicaSetOf(table);
  const members = (witnesses: boolean): string[] =>
    set.filter((replica) => replica.regionName !== table.region && (replica.witness === true) === witnesses).map((replica) => replica.regionName);
  if (regions.includes(table.region)) throw localRegion();
  const named = (expected: readonly string[], given: readonly string[]): boolean =>
    expected.length === given.length && expected.every((region) => given.includes(region));
  if (!named(members(false), regions) || !named(members(true), witness === undefined ? [] : [witness])) {
    const all = [...members(false), ...members(true).map((region) => `the witness ${region}`)];
    throw validationError(
      `${INVALID}The other members of a global table with multi-Region strong consistency are deleted together: the request must delete ${all.join(' and ')}`,
    );
  }
  let current = table;
  for (const region of regions) {
    current = (await applyReplicaUpdate(engine, ref, current, { kind: 'Delete', regionName: region })).table;
  }
  if (witness !== undefined) {
    await forgetReplica(engine, current, witness);
    await deleteMemberTable(engine, current, witness);
  }
  return engine.catalog.updateTable(ref, ref.tableName, (latest) => {
    const { multiRegionConsistency: _strong, ...single } = latest;
    return single;
  });
}
