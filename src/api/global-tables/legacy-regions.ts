/**
 * The regions of a legacy global table (version 2017.11.29) wherever they are served: a region of this server is
 * read and changed through its catalog, a peer's region (global tables across servers) through the peer's
 * replication endpoint, where the peer runs the same checks and changes on its own table (legacyPeerOperations).
 * The legacy API requires the tables to exist in every region beforehand, so a peer's region must already have
 * its table; the group's replica set is then written into every member, here and on the peers, and replication
 * runs as for any replica set.
 *
 * Changes of one global table are serialized per server only (legacy-global-table.ts, `serialized`): two servers
 * changing the same group at the same moment are not kept apart.
 */
import { DynamoDbError } from '../../errors.js';
import type { Namespace } from '../../engine/catalog.js';
import type { Engine } from '../../engine/engine.js';
import type { PeerApiOperation } from '../../engine/replication/peer-service.js';
import { PeerError } from '../../engine/replication/peers.js';
import type { ReplicaMetadata } from '../../engine/replication/replica-set.js';
import type { TableMetadata } from '../../engine/table-metadata.js';
import { joiningTable, legacyMember, writeLegacySet } from './legacy-global-table.js';

/**
 * Calls a peer's replication endpoint for `namespace`: a refusal is answered as the peer's own error, a peer that
 * cannot be reached as InternalServerError (Cairn's words).
 */
export async function callRegion<T>(engine: Engine, namespace: Namespace, operation: string, body: object): Promise<T> {
  try {
    return await engine.peers.call<T>(namespace.region, namespace.accountId, operation, body);
  } catch (error) {
    if (!(error instanceof PeerError)) throw error;
    if (error.type !== undefined && error.status >= 400 && error.status < 500) throw new DynamoDbError(error.type, error.peerMessage);
    throw new DynamoDbError('InternalServerError', `Region ${namespace.region} could not be reached: ${error.message}`, 500);
  }
}

/** The table of `name` in the region, on this server or on its peer; undefined when there is none. */
export async function tableIn(engine: Engine, namespace: Namespace, name: string): Promise<TableMetadata | undefined> {
  if (!engine.peers.has(namespace.region)) {
    const table = engine.catalog.getTable(namespace, name);
    return table?.status === 'DELETING' ? undefined : table;
  }
  const { table } = await callRegion<{ table: TableMetadata | null }>(engine, namespace, 'table-metadata', { tableName: name });
  return table ?? undefined;
}

/** joiningTable (the legacy requirements) in the region, checked by the server that serves it. */
export async function joiningTableIn(engine: Engine, namespace: Namespace, name: string, like?: TableMetadata): Promise<TableMetadata> {
  if (!engine.peers.has(namespace.region)) return joiningTable(engine, namespace, name, like);
  const { table } = await callRegion<{ table: TableMetadata }>(engine, namespace, 'legacy-join-check', { tableName: name, like: like ?? null });
  return table;
}

/** writeLegacySet into the tables of `regions`, this server's and the peers'. */
export async function writeLegacySetEverywhere(
  engine: Engine,
  accountId: string,
  name: string,
  regions: readonly string[],
  set: readonly ReplicaMetadata[] | undefined,
  createdAt: number,
): Promise<void> {
  await writeLegacySet(engine.catalog, accountId, name, regions.filter((region) => !engine.peers.has(region)), set, createdAt);
  for (const region of regions.filter((candidate) => engine.peers.has(candidate))) {
    await callRegion(engine, { accountId, region }, 'legacy-set', { tableName: name, replicas: set ?? null, createdAt });
  }
}

/**
 * A member of the legacy global table `name`: this server's, or else a peer's (a server whose own region is not in
 * the group still answers for it). Peers that cannot be reached are passed over.
 */
export async function findLegacyMember(engine: Engine, accountId: string, name: string): Promise<TableMetadata | undefined> {
  const local = legacyMember(engine.catalog, accountId, name);
  if (local !== undefined) return local;
  for (const region of Object.keys(engine.peers.urls)) {
    const table = await tableIn(engine, { accountId, region }, name).catch(() => undefined);
    if (table?.legacyGlobalTable !== undefined) return table;
  }
  return undefined;
}

/** The group's regions with their tables, wherever served (a region whose table is gone is left out). */
export async function groupTables(engine: Engine, member: TableMetadata): Promise<{ table: TableMetadata; status: string }[]> {
  const group = member.replicas ?? [{ regionName: member.region, status: 'ACTIVE' as const, createdAt: member.creationDateTime }];
  const tables: { table: TableMetadata; status: string }[] = [];
  for (const replica of group) {
    const table = replica.regionName === member.region ? member : await tableIn(engine, { accountId: member.accountId, region: replica.regionName }, member.tableName);
    if (table !== undefined) tables.push({ table, status: replica.status });
  }
  return tables;
}

/** The operations a peer asks of this server's member of a legacy global table (the replication endpoint). */
export function legacyPeerOperations(engine: Engine): [string, PeerApiOperation][] {
  return [
    [
      'legacy-join-check',
      async ({ namespace, tableName }, body) => {
        const like = typeof body.like === 'object' && body.like !== null ? (body.like as TableMetadata) : undefined;
        return { table: await joiningTable(engine, namespace, tableName, like) };
      },
    ],
    [
      'legacy-set',
      async ({ namespace, tableName }, body) => {
        const set = Array.isArray(body.replicas) ? (body.replicas as ReplicaMetadata[]) : undefined;
        const createdAt = typeof body.createdAt === 'number' ? body.createdAt : Date.now();
        await writeLegacySet(engine.catalog, namespace.accountId, tableName, [namespace.region], set, createdAt);
        return {};
      },
    ],
  ];
}
