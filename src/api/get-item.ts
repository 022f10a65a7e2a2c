/**
 * GetItem: read one item by key. Reads are always strongly consistent in Cairn (a single commit order), so
 * ConsistentRead only changes what the read costs, as DynamoDB bills it.
 */
import type { Item } from '../model/attribute-value.js';
import type { TableMetadata } from '../engine/table-metadata.js';
import type { RequestNotes } from '../observe/request-notes.js';
import { extractKey } from '../model/key-validation.js';
import { encodeItemKey } from '../model/key-encoding.js';
import { itemSize, readUnits } from '../model/item-size.js';
import { itemSpace, readItem } from '../engine/write-path.js';
import { keyHash } from '../engine/secondary-index.js';
import { consumedCapacity, requireTable, response } from './item-common.js';
import { compileItemExpressions } from './item-expressions.js';
import { checkScalarKeyPaths } from './scalar-key-paths.js';
import { JsonText, type OperationHandler } from './operation.js';

const ITEM_PREFIX = Buffer.from('{"Item":');
const OBJECT_END = Buffer.from('}');
const EMPTY_OBJECT = Buffer.from('{}');

export const getItem: OperationHandler = async (context, request) => {
  const keyAttributes = request.Key as Item;
  const { projection, nestedPathHeads } = compileItemExpressions('GetItem', request);
  const table = requireTable(context, request.TableName as string);
  const key = extractKey(table.key, keyAttributes, 'key');
  checkScalarKeyPaths(nestedPathHeads, table);
  const storage = context.engine.storage;
  const storageKey = encodeItemKey(table.key, key);
  const capacity = context.engine.capacity;
  const consistent = request.ConsistentRead === true;
  const hash = keyHash(storageKey);
  capacity.admitRead(table, hash);

  // Fast path, the most common read: the whole item, no capacity report, from an engine that stores JSON. The
  // stored bytes are the item exactly as DynamoDB JSON, so they go out as they are, without parse or stringify.
  if (projection === undefined && storage.getEncoded !== undefined && !capacityRequested(request.ReturnConsumedCapacity)) {
    const stored = await storage.getEncoded(itemSpace(table), storageKey);
    if (capacity.counting) {
      const units = readUnits(stored === undefined ? 0 : encodedItemSize(stored), consistent);
      capacity.chargeRead(table, hash, units);
      noteRead(context.notes, table, key, units);
    }
    return new JsonText(stored === undefined ? EMPTY_OBJECT : Buffer.concat([ITEM_PREFIX, stored, OBJECT_END]));
  }

  const item = await readItem(storage, table, storageKey);
  // Capacity is charged on the whole item read, whatever the projection returns.
  const units = readUnits(item === undefined ? 0 : itemSize(item), consistent);
  capacity.chargeRead(table, hash, units);
  noteRead(context.notes, table, key, units);
  return response({
    Item: item === undefined ? undefined : projection === undefined ? item : projection(item),
    ConsumedCapacity: consumedCapacity(request.ReturnConsumedCapacity, table, () => units),
  });
};

/**
 * The size of an item from its stored JSON, for its read units: an item is never larger than its DynamoDB JSON
 * (every attribute's size is at most its JSON text's length), so JSON of at most 4 KB is one read unit without
 * parsing; a larger one is parsed and sized exactly.
 */
export function encodedItemSize(stored: Uint8Array): number {
  if (stored.length <= 4096) return stored.length;
  return itemSize(JSON.parse(Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength).toString('utf8')) as Item);
}

/** For metrics and the access-pattern report: the units read and the partition key. */
function noteRead(notes: RequestNotes | undefined, table: TableMetadata, key: Item, units: number): void {
  if (notes === undefined) return;
  notes.consume(table.tableName, undefined, units, 0);
  notes.key(table.tableName, undefined, key, table.key);
}

function capacityRequested(mode: unknown): boolean {
  return mode === 'TOTAL' || mode === 'INDEXES';
}
