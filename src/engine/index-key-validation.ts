/**
 * The values an item gives its secondary indexes' key attributes. An item without an index key attribute is
 * simply not in that index (sparse indexes); one that has it must give it the index's type and, for S and B, a
 * non-empty value within the key size limits (2048 bytes for a HASH attribute, 1024 for a RANGE one). DynamoDB
 * checks the indexes in name order and reports the first problem, naming that index.
 *
 * The empty-value message depends on where the value came from: an item (PutItem, BatchWriteItem) names the
 * index and attribute; an UpdateExpression result does not. The size message is DynamoDB's for an item's value
 * (`Size limit exceeded for Index Key ...`); we use it whatever the origin.
 *
 * A multi-attribute GSI key's RANGE values together must also stay within 1024 bytes, the words of DynamoDB's own
 * range key message ("Aggregated size of all range keys"); we have not seen DynamoDB's answer for a GSI, so this
 * limit and its message are our reading. It keeps every entry key within what the storage takes.
 */
import { validationError } from '../errors.js';
import { typeOf, type AttributeValue, type Item } from '../model/attribute-value.js';
import { base64DecodedLength } from '../model/base64.js';
import { keyParts } from '../model/key-parts.js';
import { MAX_HASH_KEY_SIZE, MAX_RANGE_KEY_SIZE, RANGE_KEY_TOO_LARGE_MESSAGE } from '../model/key-validation.js';
import { utf8Length } from '../model/utf8.js';
import type { KeyPart } from './table-metadata.js';
import type { IndexMetadata, TableMetadata } from './table-metadata.js';

export type IndexKeyOrigin = 'item' | 'update';

/** Every index of the table, GSIs and LSIs alike, in name order (memoised per metadata object). */
const byName = new WeakMap<TableMetadata, readonly IndexMetadata[]>();

function indexesByName(table: TableMetadata): readonly IndexMetadata[] {
  let indexes = byName.get(table);
  if (indexes === undefined) {
    indexes = [...(table.localSecondaryIndexes ?? []), ...(table.globalSecondaryIndexes ?? [])]
      .filter((index) => index.status !== 'DELETING')
      .sort((a, b) => (a.indexName < b.indexName ? -1 : a.indexName > b.indexName ? 1 : 0));
    byName.set(table, indexes);
  }
  return indexes;
}

/** The size DynamoDB counts for an index key value: UTF-8 bytes of a string, bytes of a binary (a number: 0). */
function valueSize(value: AttributeValue): number {
  if ('S' in value) return utf8Length(value.S);
  if ('B' in value) return base64DecodedLength(value.B);
  return 0;
}

/**
 * Whether the item has the whole index key, each value of the index's type, not empty, and within the size
 * limits checkIndexKeys enforces on writes (one pass over the key's attributes: this runs for the old and the new
 * item of every index on every write). A backfill leaves out an item that is not (one written before the index
 * existed), as DynamoDB leaves out items with index key violations, and goes on.
 */
export function hasIndexableKey(index: IndexMetadata, item: Item): boolean {
  const parts = keyParts(index.key);
  for (const part of parts.hash) {
    const size = indexKeySize(part, item);
    if (size === undefined || size > MAX_HASH_KEY_SIZE) return false;
  }
  let rangeSize = 0;
  for (const part of parts.range) {
    const size = indexKeySize(part, item);
    if (size === undefined) return false;
    rangeSize += size;
  }
  return rangeSize <= MAX_RANGE_KEY_SIZE;
}

/** The size of the item's value of an index key attribute, or undefined when it is absent, of another type or empty. */
function indexKeySize(part: KeyPart, item: Item): number | undefined {
  const value = item[part.name];
  if (value === undefined || !(part.type in value)) return undefined;
  if ('N' in value) return 0;
  const size = valueSize(value);
  return size === 0 ? undefined : size;
}

export function checkIndexKeys(table: TableMetadata, item: Item, origin: IndexKeyOrigin): void {
  if (table.globalSecondaryIndexes === undefined && table.localSecondaryIndexes === undefined) return;
  for (const index of indexesByName(table)) {
    const parts = keyParts(index.key);
    for (const part of parts.hash) checkPart(index, part, item, origin, MAX_HASH_KEY_SIZE);
    let rangeSize = 0;
    for (const part of parts.range) rangeSize += checkPart(index, part, item, origin, MAX_RANGE_KEY_SIZE);
    if (rangeSize > MAX_RANGE_KEY_SIZE) throw validationError(RANGE_KEY_TOO_LARGE_MESSAGE);
  }
}

/** Checks the item's value of one index key attribute, if it has one; returns its size (0 for a number or none). */
function checkPart(index: IndexMetadata, part: KeyPart, item: Item, origin: IndexKeyOrigin, limit: number): number {
  const value = item[part.name];
  if (value === undefined) return 0;
  if (!(part.type in value)) {
    throw validationError(
      `One or more parameter values were invalid: Type mismatch for Index Key ${part.name} Expected: ${part.type} Actual: ${typeOf(value)} IndexName: ${index.indexName}`,
    );
  }
  if ('N' in value) return 0;
  const size = valueSize(value);
  if (size > limit) {
    throw validationError(
      `One or more parameter values were invalid: Size limit exceeded for Index Key ${part.name} Actual Size: ${size} bytes Max Size: ${limit} bytes IndexName: ${index.indexName}`,
    );
  }
  if (size > 0) return size;
  const kind = part.type === 'S' ? 'string' : 'binary';
  throw validationError(
    origin === 'item'
      ? `One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty ${kind} value. IndexName: ${index.indexName}, IndexKey: ${part.name}`
      : `One or more parameter values are not valid. The update expression attempted to update a secondary index key to a value that is not supported. The AttributeValue for a key attribute cannot contain an empty ${kind} value.`,
  );
}
