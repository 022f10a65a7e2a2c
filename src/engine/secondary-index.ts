/**
 * Secondary indexes: what an item contributes to each index of its table. An index is a second ordered space of
 * the storage, `i/<indexId>`, whose keys are index entry keys (src/model/key-encoding.ts encodeIndexEntryKey) and
 * whose values are the item's projection into the index. The write path (write-path.ts) maintains every index of
 * a table in the same atomic commit as the item, from the item as it was and as it becomes; a Query or Scan on an
 * index reads its space exactly as it reads a table's.
 *
 * An item is in an index only when it carries the index's key attributes with the index's types (sparse
 * indexes); writes with an index key of another type or an empty value are refused before they get here
 * (index-key-validation.ts).
 */
import type { AttributeValue, Item } from '../model/attribute-value.js';
import { encodeIndexEntryKey } from '../model/key-encoding.js';
import { itemSize } from '../model/item-size.js';
import { allKeyParts } from '../model/key-parts.js';
import type { WriteRequest } from '../storage/storage.js';
import type { IndexMetadata, TableKey, TableMetadata } from './table-metadata.js';
import { hasIndexableKey } from './index-key-validation.js';

export function indexSpace(index: IndexMetadata): string {
  return `i/${index.indexId}`;
}

/** Every index of a table the write path maintains: LSIs, then GSIs (also those still being backfilled). */
export function maintainedIndexes(table: TableMetadata): readonly IndexMetadata[] {
  const local = table.localSecondaryIndexes;
  const global = table.globalSecondaryIndexes;
  if (local === undefined && global === undefined) return NO_INDEXES;
  return [...(local ?? []), ...(global ?? []).filter((index) => index.status !== 'DELETING')];
}

const NO_INDEXES: readonly IndexMetadata[] = [];

/** The GSIs still being backfilled: a write must learn whether their old entry exists (see write-path.ts). */
export function creatingIndexes(table: TableMetadata): readonly IndexMetadata[] {
  const global = table.globalSecondaryIndexes;
  if (global === undefined) return NO_INDEXES;
  const creating = global.filter((index) => index.status === 'CREATING');
  return creating.length === 0 ? NO_INDEXES : creating;
}

/**
 * Whether an item belongs in an index: it has the index key with the index's types, and non-empty S/B values
 * within the key size limits.
 * Writes cannot store anything else (index-key-validation.ts), but items written before a GSI was added can
 * hold anything; the backfill leaves those out, as DynamoDB does, and so later writes must not count them.
 */
export function indexable(index: IndexMetadata, item: Item): boolean {
  return hasIndexableKey(index, item);
}

/** Finds an index of a table by name, with its kind. */
export function findIndex(table: TableMetadata, indexName: string): IndexMetadata | undefined {
  return (
    table.globalSecondaryIndexes?.find((index) => index.indexName === indexName) ??
    table.localSecondaryIndexes?.find((index) => index.indexName === indexName)
  );
}

/** The attribute names an index entry always carries: the table's key and every attribute of the index's key. */
export function keyAttributeNames(tableKey: TableKey, indexKey: TableKey): string[] {
  const names = [tableKey.hash.name];
  if (tableKey.range !== undefined) names.push(tableKey.range.name);
  for (const part of allKeyParts(indexKey)) {
    if (!names.includes(part.name)) names.push(part.name);
  }
  return names;
}

/** The item as the index stores it: all of it (ALL), its keys (KEYS_ONLY), or its keys and the INCLUDE list. */
export function projectIntoIndex(index: IndexMetadata, tableKey: TableKey, item: Item): Item {
  if (index.projection.ProjectionType === 'ALL') return item;
  const out: Record<string, AttributeValue> = {};
  for (const name of keyAttributeNames(tableKey, index.key)) {
    const value = item[name];
    if (value !== undefined) out[name] = value;
  }
  for (const name of index.projection.NonKeyAttributes ?? []) {
    const value = item[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/** What one write did to one index: entry sizes before and after (0 where absent), and whether the key moved. */
export interface IndexChange {
  readonly index: IndexMetadata;
  readonly oldSize: number;
  readonly newSize: number;
  /** The entry moved to another key (a delete and a put). */
  readonly keyChanged: boolean;
  /**
   * The 16-bit key hashes (the first two bytes of the entry keys) of the old and new entries, where there is one:
   * the index partitions the write touches.
   */
  readonly oldHash?: number;
  readonly newHash?: number;
}

export interface IndexMaintenance {
  readonly writes: WriteRequest[];
  /** The indexes whose entries were written (an index the item is in neither before nor after is absent). */
  readonly changes: IndexChange[];
}

/**
 * The index writes that take the item at `storageKey` from `oldItem` to `newItem` (undefined: absent), for every
 * maintained index. Entries that stay the same are not rewritten. `oldEntryPresent` says, for an index still being
 * backfilled, whether the old item's entry is there yet (elsewhere it is there exactly when the old item is
 * indexable).
 */
export function maintainIndexes(
  table: TableMetadata,
  indexes: readonly IndexMetadata[],
  storageKey: Uint8Array,
  oldItem: Item | undefined,
  newItem: Item | undefined,
  oldEntryPresent?: ReadonlyMap<string, boolean>,
): IndexMaintenance {
  const writes: WriteRequest[] = [];
  const changes: IndexChange[] = [];
  for (const index of indexes) {
    const space = indexSpace(index);
    const oldIn = oldItem !== undefined && indexable(index, oldItem) && (oldEntryPresent?.get(index.indexId) ?? true);
    const newIn = newItem !== undefined && indexable(index, newItem);
    if (!oldIn && !newIn) continue;
    const oldKey = oldIn ? encodeIndexEntryKey(index.key, oldItem, storageKey) : undefined;
    // (An absent old entry of an index being backfilled needs no delete: nothing is there.)
    const newKey = newIn ? encodeIndexEntryKey(index.key, newItem, storageKey) : undefined;
    const oldEntry = oldIn ? projectIntoIndex(index, table.key, oldItem) : undefined;
    const newEntry = newIn ? projectIntoIndex(index, table.key, newItem) : undefined;
    const keyChanged = oldKey !== undefined && newKey !== undefined && Buffer.compare(oldKey, newKey) !== 0;
    if (!keyChanged && oldEntry !== undefined && newEntry !== undefined && itemsEqual(oldEntry, newEntry)) continue;
    if (oldKey !== undefined && (newKey === undefined || keyChanged)) writes.push({ space, key: oldKey, value: undefined });
    if (newKey !== undefined) writes.push({ space, key: newKey, value: newEntry });
    changes.push({
      index,
      oldSize: oldEntry === undefined ? 0 : itemSize(oldEntry),
      newSize: newEntry === undefined ? 0 : itemSize(newEntry),
      keyChanged,
      ...(oldKey !== undefined ? { oldHash: keyHash(oldKey) } : {}),
      ...(newKey !== undefined ? { newHash: keyHash(newKey) } : {}),
    });
  }
  return { writes, changes };
}

/** Structural equality of two stored items (map member order aside), to skip rewriting an unchanged entry. */
export function itemsEqual(a: Item, b: Item): boolean {
  if (a === b) return true;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) {
    const other = b[key];
    if (other === undefined || !sameJson(a[key], other)) return false;
  }
  return true;
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  for (const key of keys) if (!(key in right) || !sameJson(left[key], right[key])) return false;
  return true;
}

/** The 16-bit hash every storage key and index entry key starts with: where it falls among partitions. */
export function keyHash(key: Uint8Array): number {
  return ((key[0] ?? 0) << 8) | (key[1] ?? 0);
}
