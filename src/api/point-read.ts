/**
 * A read of one item by its whole key, charged as GetItem charges it: the item's read units (4 KB units of the
 * whole item, whatever a projection keeps; the smallest read for a missing item; half for an eventually consistent
 * read), booked in its partition and noted for metrics and the access-pattern report. GetItem, a PartiQL point
 * SELECT and BatchExecuteStatement's reads share it; each admits the read first, in its own way.
 */
import type { Item } from '../model/attribute-value.js';
import { itemSize, readUnits } from '../model/item-size.js';
import type { TableMetadata } from '../engine/table-metadata.js';
import { itemSpace, readItem } from '../engine/write-path.js';
import type { RequestContext } from './operation.js';

/** The item (decoded) and the units it cost. `notedKey`: the partition key to note as traffic, if any. */
export async function chargedRead(
  context: RequestContext,
  table: TableMetadata,
  storageKey: Uint8Array,
  hash: number,
  consistent: boolean,
  notedKey?: Item,
): Promise<{ readonly item: Item | undefined; readonly units: number }> {
  const item = await readItem(context.engine.storage, table, storageKey);
  const units = readUnits(item === undefined ? 0 : itemSize(item), consistent);
  chargeAndNote(context, table, hash, units, consistent, notedKey);
  return { item, units };
}

/**
 * The item's stored DynamoDB JSON, charged without decoding it (the engine must store JSON: Storage.getEncoded);
 * undefined when there is none.
 */
export async function chargedEncodedRead(
  context: RequestContext,
  table: TableMetadata,
  storageKey: Uint8Array,
  hash: number,
  consistent: boolean,
  notedKey?: Item,
): Promise<Uint8Array | undefined> {
  const storage = context.engine.storage;
  if (storage.getEncoded === undefined) throw new TypeError('this storage engine does not keep items as JSON');
  const stored = await storage.getEncoded(itemSpace(table), storageKey);
  if (context.engine.capacity.counting) chargeAndNote(context, table, hash, readUnits(stored === undefined ? 0 : encodedItemSize(stored), consistent), consistent, notedKey);
  return stored;
}

/**
 * The size of an item from its stored JSON, for its read units: an item is never larger than its DynamoDB JSON
 * (every attribute's size is at most its JSON text's length), so JSON of at most 4 KB is one read unit without
 * parsing; a larger one is parsed and sized exactly.
 */
export function encodedItemSize(stored: Uint8Array): number {
  if (stored.length <= 4096) return stored.length;
  return itemSize(decodeEncodedItem(stored));
}

/** The item of its stored DynamoDB JSON (what Storage.getEncoded hands out), decoded as Storage.get decodes it. */
export function decodeEncodedItem(stored: Uint8Array): Item {
  return JSON.parse(Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength).toString('utf8')) as Item;
}

/**
 * Charges the read (admitted with CapacityTracker.admitItemRead or itemReadThrottle) and notes, for metrics and the
 * access-pattern report, the units read and the partition key when the caller notes it. In `account` mode a
 * request with a record (a server observing its requests) carries the charge in its record to the fold
 * (RequestNotes.deferRead).
 */
function chargeAndNote(context: RequestContext, table: TableMetadata, hash: number, units: number, consistent: boolean, notedKey: Item | undefined): void {
  const notes = context.notes;
  const capacity = context.engine.capacity;
  if (notes === undefined || capacity.enforcing || !notes.deferRead(table, hash, units, consistent)) capacity.chargeItemRead(table, hash, units, consistent);
  if (notes === undefined) return;
  notes.consume(table.tableName, undefined, units, 0);
  if (notedKey !== undefined) notes.itemKey(table.tableName, undefined, notedKey, table.key);
}
