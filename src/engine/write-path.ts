/**
 * The write path: every mutation of an item goes through `writeItem`, in one atomic storage commit that reads
 * the current item, lets the operation decide (condition checks, update application), and writes the new item
 * together with everything derived from it: the entries of the table's secondary indexes, the table's (and each
 * index's) live statistics and, for tables with local secondary indexes, the size of the item's collection.
 * Change records (Streams), capacity accounting and access checks join here, inside the same commit, later.
 *
 * The table's metadata is taken from the catalog *inside* the commit, not from the request: an index created
 * by UpdateTable while a write is in flight is then either maintained by that write or sees the write in its
 * backfill (which re-reads items inside its own commits), and a table deleted meanwhile is refused.
 */
import { DynamoDbError, resourceNotFound } from '../errors.js';
import type { Item } from '../model/attribute-value.js';
import { itemSize } from '../model/item-size.js';
import type { ReadRequest, Storage, WriteRequest } from '../storage/storage.js';
import { encodeIndexEntryKey } from '../model/key-encoding.js';
import {
  creatingIndexes,
  indexable,
  indexSpace,
  maintainIndexes,
  maintainedIndexes,
  type IndexChange,
} from './secondary-index.js';
import type { IndexMetadata, TableMetadata } from './table-metadata.js';
import { addToStats, statsBucket, statsKey, statsSpace, type IndexStatsDelta } from './table-stats.js';

export function itemSpace(table: TableMetadata): string {
  return `t/${table.tableId}`;
}

/** The space of item-collection sizes of a table with local secondary indexes, keyed by partition. */
export function collectionSpace(table: TableMetadata): string {
  return `c/${table.tableId}`;
}

/** DynamoDB's limit on an item collection (a partition's items plus their LSI entries): 10 GB. */
export const ITEM_COLLECTION_LIMIT_BYTES = 10 * 1024 * 1024 * 1024;

/** What the write path needs of the engine: storage, the current table metadata, and limits. */
export interface WriteContext {
  readonly storage: Storage;
  readonly catalog: { getTable(region: string, tableName: string): TableMetadata | undefined };
  /** The item-collection size limit (tests lower it); ITEM_COLLECTION_LIMIT_BYTES by default. */
  readonly itemCollectionLimitBytes?: number;
}

/**
 * Decides the new item from the current one. Returns `undefined` to delete, or the very same `current` object
 * to leave the item untouched (no write happens). Throws a DynamoDbError (e.g. ConditionalCheckFailedException)
 * to abort. Must be pure: a storage engine may call it more than once.
 */
export type ItemDecision = (current: Item | undefined, table: TableMetadata) => Item | undefined;

export interface WriteOutcome {
  readonly oldItem: Item | undefined;
  readonly newItem: Item | undefined;
  readonly oldSize: number;
  readonly newSize: number;
  /** The table as the commit saw it (its indexes are the ones maintained). */
  readonly table: TableMetadata;
  /** The index entries the write changed. */
  readonly indexChanges: readonly IndexChange[];
  /** Tables with LSIs: the size of the item's collection after the write, in bytes. */
  readonly collectionSize?: number;
}

export interface ItemWrite {
  readonly table: TableMetadata;
  /** The storage key of the item (src/model/key-encoding.ts). */
  readonly storageKey: Uint8Array;
  readonly decide: ItemDecision;
}

/** The partition part of a storage key (hash, length, value): the key of the item's collection. */
export function partitionOf(storageKey: Uint8Array): Uint8Array {
  const length = (((storageKey[2] ?? 0) << 8) | (storageKey[3] ?? 0)) + 4;
  return storageKey.subarray(0, length);
}

/** The table as it is now: the commit must not write into a table that was deleted (or re-created) meanwhile. */
function currentTable(context: WriteContext, requested: TableMetadata): TableMetadata {
  const table = context.catalog.getTable(requested.region, requested.tableName);
  if (table === undefined || table.tableId !== requested.tableId) throw resourceNotFound('Requested resource not found');
  return table;
}

const NO_CHANGES: readonly IndexChange[] = [];

/**
 * Thrown inside a commit whose reads no longer fit the table: a GSI began (or its old entry moved) between the
 * read that planned the commit and the commit. The write is planned again; nothing was written.
 */
class ReplanWrite extends Error {
  constructor(readonly table: TableMetadata) {
    super('write must be planned again');
  }
}

/** The old entries a write to an index being backfilled reads, to know whether they exist yet. */
interface PlannedEntry {
  readonly index: IndexMetadata;
  readonly key: Uint8Array;
}

export async function writeItem(context: WriteContext, write: ItemWrite): Promise<WriteOutcome> {
  let table = write.table;
  for (let attempt = 0; ; attempt++) {
    const creating = creatingIndexes(table);
    // Usually no index is being backfilled, and the write is one commit with no read before it.
    const planned = creating.length === 0 ? NO_ENTRIES : await planEntries(context, table, write.storageKey, creating);
    try {
      return await commitWrite(context, { ...write, table }, creating, planned);
    } catch (error) {
      if (!(error instanceof ReplanWrite) || attempt >= 100) throw error;
      table = error.table;
    }
  }
}

const NO_ENTRIES: readonly PlannedEntry[] = [];

/** The entry keys the current item has in the indexes being backfilled (where it is indexable). */
async function planEntries(
  context: WriteContext,
  table: TableMetadata,
  storageKey: Uint8Array,
  creating: readonly IndexMetadata[],
): Promise<PlannedEntry[]> {
  const current = await readItem(context.storage, table, storageKey);
  if (current === undefined) return [];
  return creating
    .filter((index) => indexable(index, current))
    .map((index) => ({ index, key: encodeIndexEntryKey(index.key, current, storageKey) }));
}

function commitWrite(
  context: WriteContext,
  write: ItemWrite,
  creating: readonly IndexMetadata[],
  planned: readonly PlannedEntry[],
): Promise<WriteOutcome> {
  const space = itemSpace(write.table);
  const stats = statsKey(statsBucket(write.storageKey));
  const statsSpaceName = statsSpace(write.table.tableId);
  // LSIs are fixed at creation, so whether the collection size is kept is known before the commit.
  const collections = write.table.localSecondaryIndexes !== undefined;
  const reads: ReadRequest[] = [
    { space, key: write.storageKey },
    { space: statsSpaceName, key: stats },
  ];
  if (collections) reads.push({ space: collectionSpace(write.table), key: partitionOf(write.storageKey) });
  const entriesAt = reads.length;
  for (const entry of planned) reads.push({ space: indexSpace(entry.index), key: entry.key });
  return context.storage.atomic(reads, (values) => {
    const [current, currentStats] = values;
    const currentCollection = collections ? values[2] : undefined;
    const table = currentTable(context, write.table);
    const oldItem = current as Item | undefined;
    const present = creating.length === 0 && creatingIndexes(table).length === 0
      ? undefined
      : entryPresence(table, write.storageKey, oldItem, creating, planned, values.slice(entriesAt));
    const newItem = write.decide(oldItem, table);
    const oldSize = oldItem === undefined ? 0 : itemSize(oldItem);
    const collectionBefore = typeof currentCollection === 'number' ? currentCollection : 0;
    if (newItem === oldItem) {
      return {
        writes: [],
        result: {
          oldItem,
          newItem,
          oldSize,
          newSize: oldSize,
          table,
          indexChanges: NO_CHANGES,
          ...(collections ? { collectionSize: collectionBefore } : {}),
        },
      };
    }
    const newSize = newItem === undefined ? 0 : itemSize(newItem);
    const countDelta = (newItem === undefined ? 0 : 1) - (oldItem === undefined ? 0 : 1);
    const indexes = maintainedIndexes(table);
    const maintenance =
      indexes.length === 0 ? undefined : maintainIndexes(table, indexes, write.storageKey, oldItem, newItem, present);
    const indexDeltas: IndexStatsDelta[] = [];
    let localDelta = 0;
    for (const change of maintenance?.changes ?? NO_CHANGES) {
      indexDeltas.push({
        indexId: change.index.indexId,
        itemCount: (change.newSize > 0 ? 1 : 0) - (change.oldSize > 0 ? 1 : 0),
        sizeBytes: change.newSize - change.oldSize,
      });
      if (change.index.kind === 'LOCAL') localDelta += change.newSize - change.oldSize;
    }
    const writes: WriteRequest[] = [
      { space, key: write.storageKey, value: newItem },
      { space: statsSpaceName, key: stats, value: addToStats(currentStats, countDelta, newSize - oldSize, indexDeltas) },
    ];
    if (maintenance !== undefined) writes.push(...maintenance.writes);
    let collectionSize: number | undefined;
    if (collections) {
      const delta = newSize - oldSize + localDelta;
      collectionSize = collectionBefore + delta;
      if (delta > 0 && collectionSize > (context.itemCollectionLimitBytes ?? ITEM_COLLECTION_LIMIT_BYTES)) {
        throw itemCollectionSizeLimitExceeded();
      }
      writes.push({
        space: collectionSpace(table),
        key: partitionOf(write.storageKey),
        value: collectionSize === 0 ? undefined : collectionSize,
      });
    }
    return {
      writes,
      result: {
        oldItem,
        newItem,
        oldSize,
        newSize,
        table,
        indexChanges: maintenance?.changes ?? NO_CHANGES,
        ...(collectionSize !== undefined ? { collectionSize } : {}),
      },
    };
  });
}

/**
 * For each index being backfilled, whether the old item's entry is there yet, from the entry reads the commit
 * planned. When the plan no longer fits (an index began since, or the item changed so that its entry key is not
 * the one read), the write is planned again.
 */
function entryPresence(
  table: TableMetadata,
  storageKey: Uint8Array,
  oldItem: Item | undefined,
  creating: readonly IndexMetadata[],
  planned: readonly PlannedEntry[],
  entryValues: readonly unknown[],
): Map<string, boolean> {
  const present = new Map<string, boolean>();
  for (const index of creatingIndexes(table)) {
    if (!creating.some((known) => known.indexId === index.indexId)) throw new ReplanWrite(table);
    const position = planned.findIndex((entry) => entry.index.indexId === index.indexId);
    const expected = oldItem !== undefined && indexable(index, oldItem) ? encodeIndexEntryKey(index.key, oldItem, storageKey) : undefined;
    const plannedKey = position < 0 ? undefined : planned[position]?.key;
    if (expected === undefined) {
      if (plannedKey !== undefined) throw new ReplanWrite(table);
      continue;
    }
    if (plannedKey === undefined || Buffer.compare(expected, plannedKey) !== 0) throw new ReplanWrite(table);
    present.set(index.indexId, entryValues[position] !== undefined);
  }
  return present;
}

export function itemCollectionSizeLimitExceeded(): DynamoDbError {
  return new DynamoDbError('ItemCollectionSizeLimitExceededException', 'Collection size exceeded.');
}

export async function readItem(storage: Storage, table: TableMetadata, storageKey: Uint8Array): Promise<Item | undefined> {
  return (await storage.get(itemSpace(table), storageKey)) as Item | undefined;
}
