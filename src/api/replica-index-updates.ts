/**
 * A global secondary index created or deleted in one replica of a global table (version 2019.11.21) is created
 * (and backfilled) or deleted in every replica, as DynamoDB does (developer guide, global tables: how it works).
 * The replicas this server serves are changed by UpdateTable itself (update-table.ts); a replica on a peer is
 * changed by its own server, asked through the replication endpoint (`index-updates`), which runs
 * replicaIndexChanges below. Each replica's change is checked first, everywhere, so that one a replica would
 * refuse is refused before any replica changes.
 */
import { DynamoDbError } from '../errors.js';
import type { Engine } from '../engine/engine.js';
import type { PeerApiOperation } from '../engine/replication/peer-service.js';
import { tableNotFound } from '../engine/catalog.js';
import { PeerError } from '../engine/replication/peers.js';
import { followedReplicas } from '../engine/replication/replica-set.js';
import type { TableMetadata } from '../engine/table-metadata.js';
import { applyIndexUpdates, parseIndexUpdates } from './index-updates.js';
import type { JsonObject } from './operation.js';

/** What a peer's replica takes from the request: the index creations and deletions, and the attribute definitions. */
function carried(request: JsonObject): JsonObject {
  return {
    GlobalSecondaryIndexUpdates: request.GlobalSecondaryIndexUpdates ?? [],
    ...(request.AttributeDefinitions !== undefined ? { AttributeDefinitions: request.AttributeDefinitions } : {}),
  };
}

/**
 * The changes of a replica served here that a peer asks for (the replication endpoint's `index-updates`:
 * `request` has the request's GlobalSecondaryIndexUpdates and AttributeDefinitions; with `checkOnly`, they are
 * only checked).
 */
export function replicaIndexChanges(engine: Engine): PeerApiOperation {
  return async ({ tableName, table }, body) => {
    if (table === undefined) throw tableNotFound(tableName);
    const request = (typeof body.request === 'object' && body.request !== null ? body.request : {}) as JsonObject;
    const actions = parseIndexUpdates(request).filter((action) => action.kind !== 'Update');
    const now = engine.capacity.clock.now();
    if (body.checkOnly === true) {
      applyIndexUpdates(table, actions, request, table.billingMode, now);
      return {};
    }
    const changed = await engine.catalog.updateTable(table, table.tableName, (current) => applyIndexUpdates(current, actions, request, current.billingMode, now));
    startIndexWork(engine, changed);
    return {};
  };
}

/** Backfills the indexes being created, drops those being deleted. */
export function startIndexWork(engine: Engine, table: TableMetadata): void {
  for (const index of table.globalSecondaryIndexes ?? []) {
    if (index.status === 'CREATING') engine.startBackfill(table, index.indexId);
    if (index.status === 'DELETING') engine.startIndexDeletion(table, index.indexId);
  }
}

/** The regions of a table's replicas that peers serve. */
export function peerReplicaRegions(engine: Engine, table: TableMetadata): string[] {
  return followedReplicas(table.replicas, table.region)
    .map((replica) => replica.regionName)
    .filter((region) => engine.peers.has(region));
}

/**
 * Asks each peer's replica to check (`checkOnly`) or make the request's index creations and deletions. A peer's
 * refusal is answered as the peer's own error; a peer that cannot be reached as InternalServerError (Cairn's
 * words).
 */
export async function carryIndexUpdatesToPeers(engine: Engine, table: TableMetadata, regions: readonly string[], request: JsonObject, checkOnly: boolean): Promise<void> {
  for (const region of regions) {
    try {
      await engine.peers.call(region, table.accountId, 'index-updates', { tableName: table.tableName, request: carried(request), checkOnly });
    } catch (error) {
      if (!(error instanceof PeerError)) throw error;
      if (error.type !== undefined && error.status >= 400 && error.status < 500) throw new DynamoDbError(error.type, error.peerMessage);
      throw new DynamoDbError('InternalServerError', `The replica in region ${region} could not be changed: ${error.message}`, 500);
    }
  }
}
