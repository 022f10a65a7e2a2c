/**
 * A background walk over a table's items in key order, a batch at a time, for work that must visit every item
 * once while writes go on (an index backfill, the TTL expiry index when TTL is enabled). Each batch is handed to
 * `visit`, which commits whatever it derives from the items, re-reading them inside its own atomic commit so that
 * it never races a write. The walk stops when the table is gone (the table's lookup says so), when `stopped()`,
 * or at the end of the table.
 */
import { DynamoDbError } from '../errors.js';
import type { Item } from '../model/attribute-value.js';
import { keyAfter } from '../model/key-encoding.js';
import type { Storage } from '../storage/storage.js';
import type { TableMetadata } from './table-metadata.js';
import { itemSpace } from './write-path.js';

export interface WalkOptions {
  /** Items per commit (default 256). */
  readonly batchSize?: number;
  /** A pause between batches, so that tests can race writes against a walk (default 0). */
  readonly pauseMs?: number;
  /**
   * Awaited between batches: a test holds a walk part-way through, so that what it checks "while the walk runs"
   * does not depend on how fast the machine is.
   */
  readonly betweenBatches?: () => Promise<void>;
}

export interface WalkedItem {
  readonly key: Uint8Array;
  readonly item: Item;
}

/** Returns whether the walk reached the end of the table. */
export async function walkTable<T>(
  storage: Storage,
  options: WalkOptions,
  lookup: () => (T & { readonly table: TableMetadata }) | undefined,
  visit: (current: T & { readonly table: TableMetadata }, batch: readonly WalkedItem[]) => Promise<void>,
  stopped: () => boolean,
): Promise<boolean> {
  const batchSize = options.batchSize ?? 256;
  let after: Uint8Array | undefined;
  for (;;) {
    if (stopped()) return false;
    const current = lookup();
    if (current === undefined) return false;
    const batch: WalkedItem[] = [];
    for await (const entry of storage.range(itemSpace(current.table), {
      ...(after !== undefined ? { start: keyAfter(after) } : {}),
      limit: batchSize,
    })) {
      batch.push({ key: entry.key, item: entry.value as Item });
    }
    if (batch.length === 0) return true;
    after = batch[batch.length - 1]?.key;
    try {
      await visit(current, batch);
    } catch (error) {
      // The table was deleted (or re-created) meanwhile: nothing left to walk.
      if (error instanceof DynamoDbError && error.type === 'ResourceNotFoundException') return false;
      throw error;
    }
    if (batch.length < batchSize) return true;
    if (options.pauseMs !== undefined && options.pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
    if (options.betweenBatches !== undefined) await options.betweenBatches();
  }
}
