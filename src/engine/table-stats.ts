/**
 * Live ItemCount / TableSizeBytes per table. DynamoDB refreshes these about every six hours; Cairn keeps them
 * exact, maintained by the write path inside the same atomic commit as the item change.
 *
 * The counters are spread over STATS_BUCKETS keys (by partition-key hash) in the space `stats/<tableId>`, so that a
 * SQL backend does not turn one counter row into a hot spot; a reader sums the buckets.
 */
import type { Storage } from '../storage/storage.js';

export const STATS_BUCKETS = 16;

export interface TableStats {
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
export function addToStats(current: unknown, itemCountDelta: number, sizeDelta: number): TableStats {
  const base = isTableStats(current) ? current : { itemCount: 0, sizeBytes: 0 };
  return { itemCount: base.itemCount + itemCountDelta, sizeBytes: base.sizeBytes + sizeDelta };
}

export async function readTableStats(storage: Storage, tableId: string): Promise<TableStats> {
  let itemCount = 0;
  let sizeBytes = 0;
  for await (const { value } of storage.range(statsSpace(tableId))) {
    if (isTableStats(value)) {
      itemCount += value.itemCount;
      sizeBytes += value.sizeBytes;
    }
  }
  return { itemCount, sizeBytes };
}
