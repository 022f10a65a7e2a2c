/**
 * Replication between the replicas of a global table: each replica follows the stream of every other replica and
 * applies the writes that region took itself (records marked replicated are another region's writes passing
 * through, and are skipped, so a write travels once from its region to each other one). A write is applied through
 * the write path with its version (write-path.ts: ItemWrite.replicated), which keeps it only if it is newer than
 * the item's version there: replicas converge to the same items whatever order writes arrive in, and applying a
 * record twice changes nothing.
 *
 * How far a replica has applied another's stream is kept durably in `rp/<tableId>`, keyed by the stream's storage
 * identity, after each batch: a write applied but not yet counted (a crash between the two) is applied again after
 * a restart, harmlessly. Records of writes made before the table was replicated carry no version and are skipped;
 * the copy that creates a replica (replica-copy.ts) carries them.
 *
 * The source of records is read through `ReplicationSource`: this server's storage for a region it serves, a
 * peer's replication endpoint over HTTP for a region a peer serves (peerAwareSource). A peer that cannot be
 * reached is skipped for the round, and caught up from the kept position once it answers again.
 */
import type { Item } from '../../model/attribute-value.js';
import { encodeItemKey } from '../../model/key-encoding.js';
import type { Storage } from '../../storage/storage.js';
import type { Catalog } from '../catalog.js';
import { recordKey, recordSpace, type StoredStreamRecord } from '../streams/stream-record.js';
import { activeStream, streamId } from '../streams/table-streams.js';
import type { TableMetadata } from '../table-metadata.js';
import { writeItems, type ItemWrite, type WriteContext, type WriteOutcome } from '../write-path.js';
import type { PeerClient } from './peers.js';
import type { ReplicationStatus } from './replication-status.js';
import { followedReplicas } from './replica-set.js';
import { isStrong, isWitnessTable, memberTable } from './strong-consistency.js';

/** The space of a replica's positions in the other replicas' streams. */
export function positionSpace(tableId: string): string {
  return `rp/${tableId}`;
}

export interface ReplicationContext extends WriteContext {
  readonly catalog: Catalog;
}

/** The records of another replica's stream from a sequence number on (at most `limit`), with their sequence. */
export interface ReplicationSource {
  /** The stream's storage identity, or undefined while the source has no stream (or no such table). */
  streamOf(target: Follower, region: string): Promise<string | undefined>;
  read(stream: string, from: number, limit: number): Promise<readonly { sequence: number; record: StoredStreamRecord }[]>;
}

/** The replica that follows a stream: its account, table name and region. */
export type Follower = Pick<TableMetadata, 'accountId' | 'tableName' | 'region'>;

/** The replicas served by this server: tables of the same account and name in other regions. */
export function localSource(storage: Storage, catalog: Catalog): ReplicationSource {
  return {
    async streamOf(target, region) {
      // The source may be a witness of a STRONG table, whose stream a replica reads before a consistent read.
      const source = memberTable(catalog, target.accountId, region, target.tableName);
      if (source === undefined || !followedReplicas(source.replicas, source.region).some((replica) => replica.regionName === target.region)) return undefined;
      const stream = activeStream(source);
      return stream === undefined ? undefined : streamId(source, stream.label);
    },
    async read(stream, from, limit) {
      const records: { sequence: number; record: StoredStreamRecord }[] = [];
      for await (const { key, value } of storage.range(recordSpace(stream), { start: recordKey(from), limit })) {
        const sequence = Number(new DataView(key.buffer, key.byteOffset, key.byteLength).getBigUint64(0));
        records.push({ sequence, record: value as StoredStreamRecord });
      }
      return records;
    },
  };
}

const BATCH = 256;

/** Applies, into `target`, what another region's replica has written since the last round; returns how many. */
export async function pullFrom(
  context: ReplicationContext,
  source: ReplicationSource,
  target: TableMetadata,
  region: string,
  stopped: () => boolean,
  status?: ReplicationStatus,
): Promise<number> {
  const stream = await source.streamOf(target, region);
  if (stream === undefined) return 0;
  const positionKey = Buffer.from(stream, 'utf8');
  const stored = await context.storage.get(positionSpace(target.tableId), positionKey);
  let next = typeof stored === 'number' ? stored : 0;
  let applied = 0;
  while (!stopped()) {
    const records = await source.read(stream, next, BATCH);
    if (records.length === 0) break;
    const current = context.catalog.getTable(target, target.tableName);
    if (current === undefined || current.tableId !== target.tableId) return applied;
    // Applied a group at a time, in one commit each: consecutive records of distinct items (a second write of the
    // same item starts the next group, so that each write is applied, and recorded in this replica's stream, in
    // order).
    // A STRONG table's writes reach each region once through their coordinator's commit, which charges them
    // (strong-writes.ts); what its stream passes on again here changes nothing, and is not charged.
    const chargeable = !isStrong(current);
    let group: ItemWrite[] = [];
    let groupKeys = new Set<string>();
    let groupTimes: number[] = [];
    const flush = async (): Promise<void> => {
      if (group.length === 0) return;
      const outcomes = await writeItems(context, group);
      applied += group.length;
      if (chargeable) {
        const { units, indexUnits } = replicatedUnits(outcomes);
        status?.replicatedWrite(current, region, units, indexUnits);
      }
      const at = Date.now();
      for (const time of groupTimes) status?.applied(current, region, time, at);
      group = [];
      groupKeys = new Set();
      groupTimes = [];
    };
    for (const { record } of records) {
      const replication = record.replication;
      // Another region's write passing through is skipped (it travels from its own region), except on a STRONG
      // table: a write is there committed in a majority by its coordinator, and any one other region's stream must
      // carry all it applied (strong-writes.ts, the catch-up before a strongly consistent read). Applying a write
      // twice changes nothing.
      if (replication === undefined || (replication.replicated && !isStrong(current))) continue;
      const image = record.dynamodb.NewImage ?? replication.newImage;
      const storageKey = encodeItemKey(current.key, record.dynamodb.Keys);
      const keyText = Buffer.from(storageKey).toString('base64');
      if (groupKeys.has(keyText)) await flush();
      groupKeys.add(keyText);
      groupTimes.push(replication.version.t);
      group.push({
        table: current,
        storageKey,
        decide: (): Item | undefined => (record.eventName === 'REMOVE' ? undefined : image),
        origin: 'replication',
        replicated: replication.version,
        chargedAsReplicated: chargeable,
      });
    }
    await flush();
    next = (records[records.length - 1]?.sequence ?? next) + 1;
    const last = next;
    await context.storage.atomic([], () => ({ writes: [{ space: positionSpace(target.tableId), key: positionKey, value: last }], result: undefined }));
    if (records.length < BATCH) break;
  }
  if (!stopped()) status?.caughtUp(target, region, Date.now());
  return applied;
}

/** Replicated write units consumed by applied writes: the table's units of each write; its GSIs' are ordinary write units. */
export function replicatedUnits(outcomes: readonly WriteOutcome[]): { units: number; indexUnits: Map<string, number> } {
  let units = 0;
  const indexUnits = new Map<string, number>();
  for (const outcome of outcomes) {
    units += outcome.capacity.table;
    for (const { index, units: used } of outcome.capacity.indexes ?? []) {
      // An LSI's units are its table's (charges.ts).
      if (index.kind === 'LOCAL') units += used;
      else indexUnits.set(index.indexName, (indexUnits.get(index.indexName) ?? 0) + used);
    }
  }
  return { units, indexUnits };
}

/** The streams of the regions peers serve, read through their replication endpoint; the others from `local`. */
export function peerAwareSource(local: ReplicationSource, peers: PeerClient): ReplicationSource {
  const remoteOf = new Map<string, { readonly region: string; readonly accountId: string; readonly forRegion: string }>();
  return {
    async streamOf(target, region) {
      if (!peers.has(region)) return local.streamOf(target, region);
      const { stream } = await peers.call<{ stream: string | null }>(region, target.accountId, 'stream', {
        tableName: target.tableName,
        forRegion: target.region,
      });
      if (stream === null) return undefined;
      remoteOf.set(stream, { region, accountId: target.accountId, forRegion: target.region });
      return stream;
    },
    async read(stream, from, limit) {
      const remote = remoteOf.get(stream);
      if (remote === undefined) return local.read(stream, from, limit);
      const { records } = await peers.call<{ records: { sequence: number; record: StoredStreamRecord }[] }>(remote.region, remote.accountId, 'records', {
        stream,
        forRegion: remote.forRegion,
        from,
        limit,
      });
      return records;
    },
  };
}

/**
 * One round over every replicated table of this server: each pulls from every other replica in the set. A
 * replica that cannot be read (a peer that is down) is told to `failed` and skipped: the others go on.
 */
export async function replicationRound(
  context: ReplicationContext,
  source: ReplicationSource,
  stopped: () => boolean,
  status?: ReplicationStatus,
  failed: (table: TableMetadata, region: string, error: unknown) => void = (_table, _region, error) => {
    throw error;
  },
): Promise<number> {
  let applied = 0;
  for (const table of context.catalog.allTables()) {
    if (stopped()) break;
    // A witness follows no stream: it has what the writes' coordinators commit to it, which is all it is asked.
    if (isWitnessTable(table)) continue;
    for (const replica of followedReplicas(table.replicas, table.region)) {
      try {
        applied += await pullFrom(context, source, table, replica.regionName, stopped, status);
      } catch (error) {
        status?.failed(table, replica.regionName);
        failed(table, replica.regionName, error);
      }
    }
  }
  return applied;
}
