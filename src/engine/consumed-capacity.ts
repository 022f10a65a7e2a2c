/**
 * The capacity units a request consumed, split between the table and its secondary indexes: what ReturnConsumedCapacity
 * reports and what the capacity model (src/capacity/) charges. The write path computes a write's units itself,
 * from what the commit saw, so that every operation reports and charges the same numbers.
 */
import { writeUnits } from '../model/item-size.js';
import type { IndexChange } from './secondary-index.js';
import type { IndexMetadata } from './table-metadata.js';

export interface CapacityParts {
  readonly table: number;
  readonly indexes?: readonly { readonly index: IndexMetadata; readonly units: number }[];
}

/**
 * The write units of a write: the table's (1 KB units of the larger of the old and new item, as DynamoDB charges a
 * put, update or delete; doubled in a transaction), plus each index whose entry changed: one write of the entry's
 * size to put, update or remove it, and two (a delete and a put) when the entry moved to another index key. Index
 * writes are not doubled in a transaction.
 */
export function writeCapacity(oldSize: number, newSize: number, indexChanges: readonly IndexChange[], transactional: boolean): CapacityParts {
  const table = (transactional ? 2 : 1) * writeUnits(Math.max(oldSize, newSize));
  if (indexChanges.length === 0) return { table };
  return {
    table,
    indexes: indexChanges.map((change) => ({ index: change.index, units: indexWriteUnits(change) })),
  };
}

/** The write units of one index entry change: its size, or a delete and a put when it moved to another key. */
export function indexWriteUnits(change: IndexChange): number {
  return change.keyChanged ? writeUnits(change.oldSize) + writeUnits(change.newSize) : writeUnits(Math.max(change.oldSize, change.newSize));
}
