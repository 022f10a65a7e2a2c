/**
 * The values an item gives its secondary indexes' key attributes. An item without an index key attribute is
 * simply not in that index (sparse indexes); one that has it must give it the index's type and, for S and B, a
 * non-empty value. DynamoDB checks the indexes in name order and reports the first problem, naming that index.
 *
 * The empty-value message depends on where the value came from: an item (PutItem, BatchWriteItem) names the
 * index and attribute; an UpdateExpression result does not.
 */
import { validationError } from '../errors.js';
import { typeOf, type Item } from '../model/attribute-value.js';
import { allKeyParts } from '../model/key-parts.js';
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

export function checkIndexKeys(table: TableMetadata, item: Item, origin: IndexKeyOrigin): void {
  if (table.globalSecondaryIndexes === undefined && table.localSecondaryIndexes === undefined) return;
  for (const index of indexesByName(table)) {
    for (const part of allKeyParts(index.key)) {
      const value = item[part.name];
      if (value === undefined) continue;
      if (!(part.type in value)) {
        throw validationError(
          `One or more parameter values were invalid: Type mismatch for Index Key ${part.name} Expected: ${part.type} Actual: ${typeOf(value)} IndexName: ${index.indexName}`,
        );
      }
      const empty = ('S' in value && value.S === '') || ('B' in value && value.B === '');
      if (!empty) continue;
      const kind = part.type === 'S' ? 'string' : 'binary';
      throw validationError(
        origin === 'item'
          ? `One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty ${kind} value. IndexName: ${index.indexName}, IndexKey: ${part.name}`
          : `One or more parameter values are not valid. The update expression attempted to update a secondary index key to a value that is not supported. The AttributeValue for a key attribute cannot contain an empty ${kind} value.`,
      );
    }
  }
}
