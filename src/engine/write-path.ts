/**
 * The write path: every mutation of an item goes through `writeItem`, in one atomic storage commit that reads
 * the current item, lets the operation decide (condition checks, update application), and writes the new item
 * together with everything derived from it. Today that is the table's live statistics; index entries, change
 * records (Streams), capacity accounting and access checks join here, inside the same commit, in later work.
 */
import type { Item } from '../model/attribute-value.js';
import { itemSize } from '../model/item-size.js';
import type { Storage } from '../storage/storage.js';
import type { TableMetadata } from './table-metadata.js';
import { addToStats, STATS_BUCKETS, statsKey, statsSpace } from './table-stats.js';

export function itemSpace(table: TableMetadata): string {
  return `t/${table.tableId}`;
}

/**
 * Decides the new item from the current one. Returns `undefined` to delete, or the very same `current` object
 * to leave the item untouched (no write happens). Throws a DynamoDbError (e.g. ConditionalCheckFailedException)
 * to abort. Must be pure: a storage engine may call it more than once.
 */
export type ItemDecision = (current: Item | undefined) => Item | undefined;

export interface WriteOutcome {
  readonly oldItem: Item | undefined;
  readonly newItem: Item | undefined;
  readonly oldSize: number;
  readonly newSize: number;
}

export interface ItemWrite {
  readonly table: TableMetadata;
  /** The storage key of the item (src/model/key-encoding.ts). */
  readonly storageKey: Uint8Array;
  readonly decide: ItemDecision;
}

/** Which statistics bucket an item counts in: spread by the key's hash prefix (the first byte of its encoding). */
function statsBucket(storageKey: Uint8Array): number {
  return (storageKey[0] ?? 0) % STATS_BUCKETS;
}

export function writeItem(storage: Storage, write: ItemWrite): Promise<WriteOutcome> {
  const space = itemSpace(write.table);
  const stats = statsKey(statsBucket(write.storageKey));
  const statsSpaceName = statsSpace(write.table.tableId);
  return storage.atomic(
    [
      { space, key: write.storageKey },
      { space: statsSpaceName, key: stats },
    ],
    ([current, currentStats]) => {
      const oldItem = current as Item | undefined;
      const newItem = write.decide(oldItem);
      const oldSize = oldItem === undefined ? 0 : itemSize(oldItem);
      if (newItem === oldItem) {
        return { writes: [], result: { oldItem, newItem, oldSize, newSize: oldSize } };
      }
      const newSize = newItem === undefined ? 0 : itemSize(newItem);
      const countDelta = (newItem === undefined ? 0 : 1) - (oldItem === undefined ? 0 : 1);
      return {
        writes: [
          { space, key: write.storageKey, value: newItem },
          { space: statsSpaceName, key: stats, value: addToStats(currentStats, countDelta, newSize - oldSize) },
        ],
        result: { oldItem, newItem, oldSize, newSize },
      };
    },
  );
}

export async function readItem(storage: Storage, table: TableMetadata, storageKey: Uint8Array): Promise<Item | undefined> {
  return (await storage.get(itemSpace(table), storageKey)) as Item | undefined;
}
