/**
 * Adding and removing replicas of a global table served by this server (UpdateTable ReplicaUpdates, DeleteTable
 * of a replica). The replica set is kept in the metadata of every member (replica-set.ts); a change writes it
 * into each member in turn, the new replica's table first, so that no member follows a table that does not exist.
 */
import { randomUUID } from 'node:crypto';
import type { Catalog, NewTable } from '../catalog.js';
import { applyStreamSpecification, activeStream } from '../streams/table-streams.js';
import type { IndexMetadata, TableMetadata } from '../table-metadata.js';
import type { ReplicaMetadata } from './replica-set.js';

/** The replica set of a table, itself included (a table never replicated is a set of one). */
export function replicaSetOf(table: TableMetadata): readonly ReplicaMetadata[] {
  return table.replicas ?? [{ regionName: table.region, status: 'ACTIVE', createdAt: table.creationDateTime }];
}

/** Writes `replicas` into every member's metadata (`regions`), leaving out members that are gone. */
export async function writeReplicaSet(
  catalog: Catalog,
  table: Pick<TableMetadata, 'accountId' | 'tableName'>,
  regions: readonly string[],
  replicas: readonly ReplicaMetadata[] | undefined,
  extra: (current: TableMetadata) => TableMetadata = (current) => current,
): Promise<void> {
  for (const region of regions) {
    const namespace = { accountId: table.accountId, region };
    if (catalog.getTable(namespace, table.tableName) === undefined) continue;
    await catalog.updateTable(namespace, table.tableName, (current) => {
      const { replicas: _old, ...rest } = extra(current);
      return replicas === undefined ? rest : { ...rest, replicas };
    });
  }
}

/** The replica's own table: the source's key schema, indexes, TTL and stream view type, empty. */
export function replicaTable(source: TableMetadata, replica: ReplicaMetadata, replicas: readonly ReplicaMetadata[], now: number): NewTable {
  const {
    tableId: _id,
    tableArn: _arn,
    status: _status,
    creationDateTime: _created,
    resourcePolicy: _policy,
    streamPolicies: _streamPolicies,
    streams: _streams,
    streamSpecification: _spec,
    latestStreamLabel: _label,
    sseSpecification: _sse,
    timeToLive,
    globalSecondaryIndexes,
    localSecondaryIndexes,
    ...rest
  } = source;
  const readOverride = replica.provisionedThroughputOverride?.ReadCapacityUnits;
  const fresh = (index: IndexMetadata): IndexMetadata => {
    const { backfilling: _backfilling, ...kept } = index;
    const override = replica.globalSecondaryIndexes?.find((candidate) => candidate.IndexName === index.indexName)?.ProvisionedThroughputOverride
      ?.ReadCapacityUnits;
    const throughput = kept.provisionedThroughput;
    // The replica starts empty, so its indexes are complete from the start: every write maintains them.
    return {
      ...kept,
      indexId: randomUUID(),
      status: 'ACTIVE',
      ...(throughput !== undefined && (override ?? readOverride) !== undefined
        ? { provisionedThroughput: { ...throughput, ReadCapacityUnits: (override ?? readOverride) as number } }
        : {}),
    };
  };
  const gsis = globalSecondaryIndexes?.filter((index) => index.status !== 'DELETING').map(fresh);
  const table: NewTable = {
    ...rest,
    region: replica.regionName,
    tags: {},
    deletionProtectionEnabled: false,
    replicas,
    ...(readOverride !== undefined
      ? { provisionedThroughput: { ...source.provisionedThroughput, ReadCapacityUnits: readOverride } }
      : {}),
    ...(replica.tableClassOverride !== undefined ? { tableClass: replica.tableClassOverride } : {}),
    ...(gsis !== undefined && gsis.length > 0 ? { globalSecondaryIndexes: gsis } : {}),
    ...(localSecondaryIndexes !== undefined ? { localSecondaryIndexes: localSecondaryIndexes.map(fresh) } : {}),
    // TTL settings are the same in every replica; an empty table has no expiry index to build.
    ...(timeToLive !== undefined && (timeToLive.status === 'ENABLED' || timeToLive.status === 'ENABLING')
      ? { timeToLive: { ...timeToLive, status: 'ENABLED' as const } }
      : {}),
    ...(replica.kmsMasterKeyId !== undefined ? { sseSpecification: { Enabled: true, SSEType: 'KMS' as const, KMSMasterKeyId: replica.kmsMasterKeyId } } : {}),
  };
  // The replica's stream has the source's view type (NEW_AND_OLD_IMAGES when the source is given one for it).
  const viewType = activeStream(source)?.viewType ?? 'NEW_AND_OLD_IMAGES';
  return applyStreamSpecification(table, { StreamEnabled: true, StreamViewType: viewType }, now);
}

/**
 * A replica's table with the replica's overrides (UpdateTable ReplicaUpdates Update): its read capacity, its
 * GSIs' read capacities and its table class. Applied by the server of the replica's region, whether the Update
 * came to it or to the server of another replica (peer-service.ts, `replica-settings`).
 */
export function withReplicaOverrides(table: TableMetadata, replica: Pick<ReplicaMetadata, 'provisionedThroughputOverride' | 'globalSecondaryIndexes' | 'tableClassOverride'>): TableMetadata {
  let next = table;
  const read = replica.provisionedThroughputOverride?.ReadCapacityUnits;
  if (read !== undefined) next = { ...next, provisionedThroughput: { ...next.provisionedThroughput, ReadCapacityUnits: read } };
  for (const override of replica.globalSecondaryIndexes ?? []) {
    const units = override.ProvisionedThroughputOverride?.ReadCapacityUnits;
    if (units === undefined || next.globalSecondaryIndexes === undefined) continue;
    next = {
      ...next,
      globalSecondaryIndexes: next.globalSecondaryIndexes.map((index) =>
        index.indexName === override.IndexName && index.provisionedThroughput !== undefined
          ? { ...index, provisionedThroughput: { ...index.provisionedThroughput, ReadCapacityUnits: units } }
          : index,
      ),
    };
  }
  if (replica.tableClassOverride !== undefined) next = { ...next, tableClass: replica.tableClassOverride };
  return next;
}

/** A table about to gain replicas: streams with new and old images are enabled for it if it has none. */
export function withReplicationStream(table: TableMetadata, now: number): TableMetadata {
  return activeStream(table) === undefined ? applyStreamSpecification(table, { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' }, now) : table;
}
