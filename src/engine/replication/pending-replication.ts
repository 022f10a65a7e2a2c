/**
 * PendingReplicationCount as CloudWatch names it: the writes a replica took itself that another replica has not
 * applied yet, per receiving region. Counted by the region that took them, from its stream: the records after the
 * receiving replica's position in it. That position is in this server's storage when the receiving replica is
 * served here (replicator.ts keeps it), and for a peer is the last position it asked to read from (told to
 * `peerReadFrom` by the replication endpoint): a peer that is down stays at the position it had, and the count
 * grows with the writes made meanwhile.
 */
import type { Storage } from '../../storage/storage.js';
import type { Catalog } from '../catalog.js';
import { recordKey, recordSpace, type StoredStreamRecord } from '../streams/stream-record.js';
import { activeStream, streamId } from '../streams/table-streams.js';
import type { TableMetadata } from '../table-metadata.js';
import { followedReplicas } from './replica-set.js';
import { positionSpace } from './replicator.js';

/** Counting stops here: the gauge reads the stream at every scrape, and a backlog this large is news enough. */
const MAX_COUNTED = 100_000;

export class PeerReadPositions {
  private readonly positions = new Map<string, number>();

  /** The replica in `region` asked for the records of `stream` from `from` on: it has applied those before. */
  readFrom(stream: string, region: string, from: number): void {
    this.positions.set(`${stream}\n${region}`, from);
  }

  of(stream: string, region: string): number | undefined {
    return this.positions.get(`${stream}\n${region}`);
  }
}

export interface PendingReplication {
  readonly receivingRegion: string;
  readonly count: number;
}

/** The writes of `table` not yet applied by each other replica of its set. */
export async function pendingReplication(
  storage: Storage,
  catalog: Catalog,
  peerPositions: PeerReadPositions,
  isPeer: (region: string) => boolean,
  table: TableMetadata,
): Promise<PendingReplication[]> {
  const stream = activeStream(table);
  if (stream === undefined) return [];
  const id = streamId(table, stream.label);
  const pending: PendingReplication[] = [];
  for (const replica of followedReplicas(table.replicas, table.region)) {
    const region = replica.regionName;
    let from: number | undefined;
    if (isPeer(region)) from = peerPositions.of(id, region) ?? 0;
    else {
      const follower = catalog.getTable({ accountId: table.accountId, region }, table.tableName);
      if (follower === undefined) continue;
      const stored = await storage.get(positionSpace(follower.tableId), Buffer.from(id, 'utf8'));
      from = typeof stored === 'number' ? stored : 0;
    }
    let count = 0;
    for await (const { value } of storage.range(recordSpace(id), { start: recordKey(from), limit: MAX_COUNTED })) {
      const replication = (value as StoredStreamRecord).replication;
      // Only the writes this region took: another region's writes passing through are not this replica's to send.
      if (replication !== undefined && !replication.replicated) count++;
    }
    pending.push({ receivingRegion: region, count });
  }
  return pending;
}
