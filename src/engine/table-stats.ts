/**
 * Live ItemCount / TableSizeBytes per table. DynamoDB refreshes these about every six hours; Cairn keeps them
 * exact, maintained by the write path inside the same atomic commit as the item change.
 *
 * The counters are spread over STATS_BUCKETS keys (taken in turn, see nextStatsBucket) in the space
 * `stats/<tableId>`, so that a SQL backend does not turn one counter row into a hot spot; a reader sums the buckets.
 */
import type { Storage } from '../storage/storage.js';

export const STATS_BUCKETS = 64;

export interface Counts {
  readonly itemCount: number;
  readonly sizeBytes: number;
}

/**
 * A bucket's counters: the table's, and each secondary index's by indexId (ItemCount and IndexSizeBytes of
 * DescribeTable). Keeping an index's counters in the table's buckets means a write reads no extra key for them.
 */
export interface TableStats extends Counts {
  readonly indexes?: Readonly<Record<string, Counts>>;
}

/** A change of one index's counters. */
export interface IndexStatsDelta {
  readonly indexId: string;
  readonly itemCount: number;
  readonly sizeBytes: number;
}

export function statsSpace(tableId: string): string {
  return `stats/${tableId}`;
}

export function statsKey(bucket: number): Uint8Array {
  return Uint8Array.of(bucket % STATS_BUCKETS);
}

export function isTableStats(value: unknown): value is TableStats {
  return typeof value === 'object' && value !== null && 'itemCount' in value && 'sizeBytes' in value;
}

/** Adds a delta to a bucket's current value (as read inside the commit). */
export function addToStats(
  current: unknown,
  itemCountDelta: number,
  sizeDelta: number,
  indexDeltas: readonly IndexStatsDelta[] = [],
): TableStats {
  const base: TableStats = isTableStats(current) ? current : { itemCount: 0, sizeBytes: 0 };
  const itemCount = base.itemCount + itemCountDelta;
  const sizeBytes = base.sizeBytes + sizeDelta;
  if (indexDeltas.length === 0) return base.indexes === undefined ? { itemCount, sizeBytes } : { itemCount, sizeBytes, indexes: base.indexes };
  const indexes: Record<string, Counts> = { ...base.indexes };
  for (const delta of indexDeltas) {
    const counts = indexes[delta.indexId] ?? { itemCount: 0, sizeBytes: 0 };
    indexes[delta.indexId] = { itemCount: counts.itemCount + delta.itemCount, sizeBytes: counts.sizeBytes + delta.sizeBytes };
  }
  return { itemCount, sizeBytes, indexes };
}

/** The table's counters summed over its buckets, with each index's. */
export async function readTableStats(storage: Storage, tableId: string): Promise<TableStats> {
  let itemCount = 0;
  let sizeBytes = 0;
  const indexes: Record<string, Counts> = {};
  for await (const { value } of storage.range(statsSpace(tableId))) {
    if (!isTableStats(value)) continue;
    itemCount += value.itemCount;
    sizeBytes += value.sizeBytes;
    for (const indexId in value.indexes) {
      const counts = value.indexes[indexId] as Counts;
      const sum = indexes[indexId] ?? { itemCount: 0, sizeBytes: 0 };
      indexes[indexId] = { itemCount: sum.itemCount + counts.itemCount, sizeBytes: sum.sizeBytes + counts.sizeBytes };
    }
  }
  return { itemCount, sizeBytes, indexes };
}

/**
 * Which statistics bucket a commit counts in: the next in turn, from a random start. A reader sums all buckets, so
 * any bucket will do; what matters is that concurrent commits rarely share one, since a shared bucket makes them
 * take turns (the PostgreSQL engine queues a process's commits on the keys they read) or, across processes, fail
 * one another under SERIALIZABLE. Chosen by the item key's hash, as before, two of a few dozen concurrent commits
 * shared one of 16 buckets most of the time; in turn, a process's commits only meet after STATS_BUCKETS others.
 * Rows written by earlier versions (buckets 0 to 15 by key hash) are summed like any other.
 */
export function nextStatsBucket(): number {
  nextBucket = (nextBucket + 1) % STATS_BUCKETS;
  return nextBucket;
}

let nextBucket = Math.floor(Math.random() * STATS_BUCKETS);
