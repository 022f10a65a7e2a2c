/**
 * UpdateTable's ReplicaUpdates (global tables version 2019.11.21): Create, Update and Delete of one replica per
 * request, in a region of the same account on this server (src/engine/replication/).
 *
 * DynamoDB's texts for most of these refusals are not published, and the public test suites record few of them;
 * the messages here are Cairn's own, in DynamoDB's usual `One or more parameter values were invalid: ` form, except
 * the one for the request's own region (recorded against DynamoDB, see localRegion) and the one for a table
 * already present in the target region, the text DynamoDB is reported to answer (with its "a the"; unconfirmed).
 */
import { DynamoDbError, resourceInUse, validationError } from '../errors.js';
import { tableNotFound } from '../engine/catalog.js';
import type { Engine } from '../engine/engine.js';
import { replicaSetOf, replicaTable, withReplicaOverrides, withReplicationStream } from '../engine/replication/replica-admin.js';
import { actedAsSourceRecently, SOURCE_DELETION_REFUSED, type ReplicaIndexOverride, type ReplicaMetadata } from '../engine/replication/replica-set.js';
import type { Namespace } from '../engine/catalog.js';
import { PeerError } from '../engine/replication/peers.js';
import type { TableMetadata } from '../engine/table-metadata.js';
import type { JsonObject } from './operation.js';
import { listMember, numberMember, objectMember, stringMember } from './request-members.js';
import { assertChangeable } from './table-status.js';

const INVALID = 'One or more parameter values were invalid: ';

export type ReplicaAction =
  | { readonly kind: 'Create'; readonly replica: ReplicaMetadata }
  | { readonly kind: 'Update'; readonly replica: ReplicaMetadata }
  | { readonly kind: 'Delete'; readonly regionName: string };

/** The request's replica update, if any, checked for shape (before the table is looked up). */
export function parseReplicaUpdates(request: JsonObject, otherMembers: boolean): ReplicaAction | undefined {
  const updates = listMember(request, 'ReplicaUpdates');
  if (updates === undefined || updates.length === 0) return undefined;
  if (updates.length > 1) throw validationError(`${INVALID}Only one replica update is allowed per UpdateTable request`);
  if (otherMembers) throw validationError(`${INVALID}ReplicaUpdates must be the only operation in the request`);
  const update = (updates[0] ?? {}) as JsonObject;
  const create = objectMember(update, 'Create');
  const change = objectMember(update, 'Update');
  const remove = objectMember(update, 'Delete');
  const given = [create, change, remove].filter((action) => action !== undefined).length;
  if (given !== 1) {
    throw validationError(
      `${INVALID}Exactly one of ReplicationGroupUpdate.Create, ReplicationGroupUpdate.Update, ReplicationGroupUpdate.Delete must be given`,
    );
  }
  const action = (create ?? remove ?? change) as JsonObject;
  const region = stringMember(action, 'RegionName') ?? '';
  if (!REGION_NAME.test(region)) throw validationError(`${INVALID}Invalid region name: ${region}`);
  if (remove !== undefined) return { kind: 'Delete', regionName: region };
  return { kind: create !== undefined ? 'Create' : 'Update', replica: replicaSettings(action) };
}

/** The shape of an AWS region name (`us-east-1`, `ap-southeast-2`, `us-gov-west-1`): a replica's region is a namespace. */
const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-[0-9]+$/;

function replicaSettings(action: JsonObject): ReplicaMetadata {
  const throughput = objectMember(action, 'ProvisionedThroughputOverride');
  const read = throughput === undefined ? undefined : numberMember(throughput, 'ReadCapacityUnits');
  const indexes = listMember(action, 'GlobalSecondaryIndexes')?.map((entry): ReplicaIndexOverride => {
    const index = entry as JsonObject;
    const override = objectMember(index, 'ProvisionedThroughputOverride');
    const units = override === undefined ? undefined : numberMember(override, 'ReadCapacityUnits');
    return {
      IndexName: stringMember(index, 'IndexName') ?? '',
      ...(override !== undefined ? { ProvisionedThroughputOverride: units !== undefined ? { ReadCapacityUnits: units } : {} } : {}),
    };
  });
  const kms = stringMember(action, 'KMSMasterKeyId');
  const tableClass = stringMember(action, 'TableClassOverride') as ReplicaMetadata['tableClassOverride'];
  return {
    regionName: stringMember(action, 'RegionName') ?? '',
    status: 'CREATING',
    createdAt: Date.now(),
    ...(kms !== undefined ? { kmsMasterKeyId: kms } : {}),
    ...(throughput !== undefined ? { provisionedThroughputOverride: read !== undefined ? { ReadCapacityUnits: read } : {} } : {}),
    ...(indexes !== undefined ? { globalSecondaryIndexes: indexes } : {}),
    ...(tableClass !== undefined ? { tableClassOverride: tableClass } : {}),
  };
}

/**
 * Carries out a replica update on `table`; returns the table as it is afterwards and, for a Delete, the replica
 * that is going (DescribeTable's answer shows it DELETING).
 */
export async function applyReplicaUpdate(
  engine: Engine,
  ref: Namespace & { readonly tableName: string },
  table: TableMetadata,
  action: ReplicaAction,
): Promise<{ table: TableMetadata; deleting?: ReplicaMetadata }> {
  assertChangeable(table);
  const set = replicaSetOf(table);
  const regions = set.map((replica) => replica.regionName);
  const namespaceOf = (region: string): Namespace => ({ accountId: table.accountId, region });
  switch (action.kind) {
    case 'Create': {
      const region = action.replica.regionName;
      if (region === table.region) throw localRegion();
      // A replica that failed to be created may be asked for again: it takes the failed one's place.
      const failed = set.find((replica) => replica.regionName === region && replica.status === 'CREATION_FAILED');
      if (regions.includes(region) && failed === undefined) {
        throw validationError(`${INVALID}A replica of table ${table.tableName} already exists in region ${region}`);
      }
      checkIndexOverrides(table, action.replica);
      const onPeer = engine.peers.has(region);
      if (!onPeer && engine.options.servesOneRegion === true) throw unservedRegion(region);
      if (!onPeer && engine.catalog.getTable(namespaceOf(region), table.tableName) !== undefined) throw replicaTableExists(table);
      const now = Date.now();
      const kept = set.filter((replica) => replica.regionName !== region);
      const replicas: ReplicaMetadata[] = [...kept, { ...action.replica, status: 'CREATING', createdAt: now, copiedFrom: table.region }];
      // The new replica's table first, then the existing members learn of it (the table gets its stream if needed).
      const spec = replicaTable(table, action.replica, replicas, now);
      try {
        if (onPeer) await engine.peers.call(region, table.accountId, 'create-table', { table: spec });
        else await engine.catalog.createTable(spec);
      } catch (error) {
        if (error instanceof DynamoDbError && error.type === 'ResourceInUseException') throw replicaTableExists(table);
        if (error instanceof PeerError && error.status === 409) throw replicaTableExists(table);
        if (error instanceof PeerError) throw peerUnavailable(error);
        throw error;
      }
      try {
        await engine.writeReplicaSet(table, regions, replicas, (current) => (current.region === table.region ? withReplicationStream(current, now) : current));
      } catch (error) {
        // A member could not be told (a peer down): the replica is not created. The set goes back to what it was
        // wherever it can, and the new replica's table is removed, so that nothing is left half made.
        await engine.writeReplicaSet(table, regions, set.length > 1 ? set : undefined).catch(() => undefined);
        if (onPeer) await engine.peers.call(region, table.accountId, 'delete-table', { tableName: table.tableName, ifCreatedAt: now }).catch(() => undefined);
        else await engine.catalog.deleteTable(namespaceOf(region), table.tableName, () => undefined).catch(() => undefined);
        if (error instanceof PeerError) throw peerUnavailable(error);
        throw error;
      }
      const updated = engine.catalog.getTable(ref, ref.tableName);
      if (updated === undefined) throw tableNotFound(ref.tableName);
      engine.startReplicaCopy(updated, region);
      return { table: updated };
    }
    case 'Update': {
      const region = action.replica.regionName;
      if (region === table.region) throw localRegion();
      const existing = set.find((replica) => replica.regionName === region);
      if (existing === undefined) throw noReplica(table, region);
      if (existing.status !== 'ACTIVE') throw resourceInUse(`Attempt to change a resource which is still in use: Replica is not active: ${region}`);
      checkIndexOverrides(table, action.replica);
      const { regionName: _region, status: _status, createdAt: _created, ...settings } = action.replica;
      const replicas = set.map((replica) => (replica.regionName === region ? { ...replica, ...settings } : replica));
      // The overrides are the replica's own table's settings too, set by the server of its region: a peer's first,
      // so that a peer that cannot be reached leaves every member as it was.
      if (engine.peers.has(region)) {
        try {
          await engine.peers.call(region, table.accountId, 'replica-settings', { tableName: table.tableName, replica: settings });
        } catch (error) {
          if (error instanceof PeerError) throw peerUnavailable(error, 'updated');
          throw error;
        }
      }
      await engine.writeReplicaSet(table, regions, replicas, (current) => (current.region === region ? withReplicaOverrides(current, settings) : current));
      const updated = engine.catalog.getTable(ref, ref.tableName);
      if (updated === undefined) throw tableNotFound(ref.tableName);
      return { table: updated };
    }
    case 'Delete': {
      const region = action.regionName;
      if (region === table.region) throw localRegion();
      const existing = set.find((replica) => replica.regionName === region);
      if (existing === undefined) throw noReplica(table, region);
      if (actedAsSourceRecently(set, region, Date.now())) throw validationError(SOURCE_DELETION_REFUSED);
      const target = engine.catalog.getTable(namespaceOf(region), table.tableName);
      if (target?.deletionProtectionEnabled === true) {
        throw validationError(`Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.`);
      }
      await forgetReplica(engine, table, region);
      if (engine.peers.has(region)) {
        // A replica that failed to be created may have no table there (or one made since, which stays), or a peer
        // that does not answer: it goes all the same.
        if (existing.status !== 'CREATION_FAILED') await engine.peers.call(region, table.accountId, 'delete-table', { tableName: table.tableName });
        else {
          await engine.peers
            .call(region, table.accountId, 'delete-table', { tableName: table.tableName, ifCreatedAt: existing.createdAt })
            .catch(() => undefined);
        }
      }
      else if (target !== undefined) {
        await engine.catalog.deleteTable(namespaceOf(region), table.tableName, () => undefined);
        engine.capacity.forget(target.tableId);
      }
      const updated = engine.catalog.getTable(ref, ref.tableName);
      if (updated === undefined) throw tableNotFound(ref.tableName);
      return { table: updated, deleting: { ...existing, status: 'DELETING' } };
    }
  }
}

/** Every GSI override names an index of the table. */
function checkIndexOverrides(table: TableMetadata, replica: ReplicaMetadata): void {
  for (const index of replica.globalSecondaryIndexes ?? []) {
    if (!(table.globalSecondaryIndexes ?? []).some((candidate) => candidate.indexName === index.IndexName)) {
      throw validationError(`${INVALID}Global secondary index ${index.IndexName} does not exist on table ${table.tableName}`);
    }
  }
}

/** Removes `region` from the replica set of every other member; a member left alone is a table like any other. */
export async function forgetReplica(engine: Engine, table: TableMetadata, region: string): Promise<void> {
  const remaining = replicaSetOf(table).filter((replica) => replica.regionName !== region);
  const others = remaining.map((replica) => replica.regionName);
  await engine.writeReplicaSet(table, others, remaining.length > 1 ? remaining : undefined);
}

/**
 * The request's own region named in ReplicaUpdates: DynamoDB's words, as recorded by a test suite run against
 * DynamoDB (ScyllaDB's Alternator global tables tests).
 */
export function localRegion() {
  return validationError('Cannot add or delete the local region through ReplicaUpdates. Use CreateTable, DeleteTable, or UpdateTable as required.');
}

export function replicaTableExists(table: TableMetadata) {
  return validationError(`Failed to create a the new replica of table with name: '${table.tableName}' because one or more replicas already existed as tables.`);
}

/**
 * A server that serves one region (`--region-name`) keeps no tables of other regions: a replica goes to a peer.
 * Cairn's own message (DynamoDB has no such case).
 */
export function unservedRegion(region: string) {
  return validationError(`${INVALID}Region ${region} is neither served by this server nor by one of its peers`);
}

/** The peer of the region could not be reached, or refused: the replica was not created (updated). Cairn's own message. */
export function peerUnavailable(error: PeerError, what: 'created' | 'updated' = 'created') {
  return new DynamoDbError('InternalServerError', `Replica could not be ${what} in region ${error.region}: ${error.message}`, 500);
}

function noReplica(table: TableMetadata, region: string) {
  return validationError(`${INVALID}Table ${table.tableName} has no replica in region ${region}`);
}
