/**
 * Backfill of a global secondary index added by UpdateTable to a table that already has items.
 *
 * The index is first committed to the catalog as CREATING: from then on every write maintains it (the write
 * path reads the table's metadata inside its commit). The backfill then walks the table in key order, a batch at
 * a time, and adds the entry of each item that is not in the index yet. Each batch is one atomic commit that
 * re-reads its items and their expected entries, so it never races a write:
 * - an item written since the walk read it was indexed by that write: if its entry key is still the one the
 *   walk expected, the entry is there and is left alone; if it moved, the batch skips the item;
 * - an item written before the index existed is indexed by the batch, exactly once (statistics included).
 * While it runs, the index reports Backfilling and refuses reads; then it becomes ACTIVE. A restart resumes every
 * unfinished backfill from the start (batches are idempotent). Items whose index key has another type, an empty
 * value or a value over the key size limits (2048 bytes partition, 1024 bytes sort) are left out of the index, as
 * DynamoDB leaves them out ("index key violations"), and the backfill goes on.
 */
import { DynamoDbError } from '../errors.js';
import type { Item } from '../model/attribute-value.js';
import { encodeIndexEntryKey } from '../model/key-encoding.js';
import { itemSize } from '../model/item-size.js';
import type { ReadRequest, WriteRequest } from '../storage/storage.js';
import type { Catalog, Namespace } from './catalog.js';
import { indexable, indexSpace, projectIntoIndex } from './secondary-index.js';
import type { IndexMetadata, TableMetadata } from './table-metadata.js';
import { addToStats, nextStatsBucket, statsKey, statsSpace, type IndexStatsDelta } from './table-stats.js';
import { walkTable, type WalkOptions } from './table-walk.js';
import { itemSpace, type WriteContext } from './write-path.js';

export type BackfillOptions = WalkOptions;

interface BackfillContext extends WriteContext {
  readonly catalog: Catalog;
}

/** Runs one index's backfill to the end (or until the table or index is gone, or `stopped()` says so). */
export async function backfillIndex(
  context: BackfillContext,
  namespace: Namespace,
  tableName: string,
  indexId: string,
  options: BackfillOptions,
  stopped: () => boolean,
): Promise<void> {
  const lookup = (): { table: TableMetadata; index: IndexMetadata } | undefined => {
    const table = context.catalog.getTable(namespace, tableName);
    const index = table?.globalSecondaryIndexes?.find((candidate) => candidate.indexId === indexId);
    return table !== undefined && index !== undefined && index.status === 'CREATING' ? { table, index } : undefined;
  };
  const start = lookup();
  if (start === undefined) return;
  if (start.index.backfilling !== true) await setIndex(context.catalog, start.table, indexId, { backfilling: true });

  const finished = await walkTable(
    context.storage,
    options,
    lookup,
    (current, batch) => indexBatch(context.catalog, current.table, current.index, batch),
    stopped,
  );
  if (!finished) return;
  if (stopped()) return;
  const done = lookup();
  if (done !== undefined) await setIndex(context.catalog, done.table, indexId, { status: 'ACTIVE', backfilling: undefined });
}

/** Indexes the items of one batch that are not indexed yet, in one atomic commit (see the file comment). */
async function indexBatch(
  catalog: Catalog,
  table: TableMetadata,
  index: IndexMetadata,
  batch: readonly { key: Uint8Array; item: Item }[],
): Promise<void> {
  const space = indexSpace(index);
  const expected = batch.map(({ key, item }) => (indexable(index, item) ? encodeIndexEntryKey(index.key, item, key) : undefined));
  const candidates = batch.filter((_, position) => expected[position] !== undefined);
  if (candidates.length === 0) return;
  const entryKeys = expected.filter((key): key is Uint8Array => key !== undefined);
  // The batch counts in one statistics bucket (any will do: readers sum them).
  const bucketKey = statsKey(nextStatsBucket());
  const reads: ReadRequest[] = [
    ...candidates.map(({ key }) => ({ space: itemSpace(table), key })),
    ...entryKeys.map((key) => ({ space, key })),
    { space: statsSpace(table.tableId), key: bucketKey },
  ];
  await catalog.atomicWithCurrentMetadata(reads, (values) => {
    const latest = catalog.getTable(table, table.tableName);
    if (latest === undefined || latest.tableId !== table.tableId) throw new DynamoDbError('ResourceNotFoundException', 'table gone');
    const writes: WriteRequest[] = [];
    const delta = { indexId: index.indexId, itemCount: 0, sizeBytes: 0 };
    candidates.forEach(({ key }, position) => {
      const item = values[position] as Item | undefined;
      const entryKey = entryKeys[position] as Uint8Array;
      const existing = values[candidates.length + position];
      if (item === undefined || existing !== undefined || !indexable(index, item)) return;
      // A write since the walk that moved the entry has indexed the item itself.
      if (Buffer.compare(encodeIndexEntryKey(index.key, item, key), entryKey) !== 0) return;
      const entry = projectIntoIndex(index, table.key, item);
      writes.push({ space, key: entryKey, value: entry });
      delta.itemCount += 1;
      delta.sizeBytes += itemSize(entry);
    });
    if (delta.itemCount > 0) {
      const current = values[candidates.length * 2];
      writes.push({ space: statsSpace(table.tableId), key: bucketKey, value: addToStats(current, 0, 0, [delta satisfies IndexStatsDelta]) });
    }
    return { writes, result: undefined };
  });
}

async function setIndex(
  catalog: Catalog,
  table: TableMetadata,
  indexId: string,
  change: Partial<Pick<IndexMetadata, 'status' | 'backfilling'>>,
): Promise<void> {
  await catalog.updateTable(table, table.tableName, (current) => {
    const indexes = current.globalSecondaryIndexes?.map((index) => {
      if (index.indexId !== indexId) return index;
      const next: { -readonly [K in keyof IndexMetadata]: IndexMetadata[K] } = { ...index, ...change };
      if (change.backfilling === undefined && 'backfilling' in change) delete next.backfilling;
      return next;
    });
    return indexes === undefined ? current : { ...current, globalSecondaryIndexes: indexes };
  });
}

/**
 * Drops a DELETING index: its entries first (writes no longer maintain it), then its metadata. Its counters in
 * the statistics buckets are left behind under its indexId, which nothing reads again.
 */
export async function dropIndex(context: BackfillContext, namespace: Namespace, tableName: string, indexId: string): Promise<void> {
  const table = context.catalog.getTable(namespace, tableName);
  const index = table?.globalSecondaryIndexes?.find((candidate) => candidate.indexId === indexId);
  if (table === undefined || index === undefined) return;
  await context.storage.clearSpace(indexSpace(index));
  await context.catalog.updateTable(namespace, tableName, (current) => {
    const remaining = current.globalSecondaryIndexes?.filter((candidate) => candidate.indexId !== indexId);
    if (remaining === undefined) return current;
    const { globalSecondaryIndexes: _all, ...rest } = current;
    return remaining.length > 0 ? { ...rest, globalSecondaryIndexes: remaining } : rest;
  });
}
