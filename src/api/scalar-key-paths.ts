/**
 * Key attributes are scalars, so DynamoDB refuses any expression path that reaches into one (`id.x`, `gk[0]`), in
 * projections, conditions, filters and updates alike, naming the first such attribute: the table's key attributes
 * first ("Key: id"), then the key attributes of every secondary index of the table, whichever index the request
 * reads ("IndexKey: gk"). The index order (global indexes from the last defined, then local ones) follows what
 * DynamoDB reports when several index keys are reached into; it matters only then.
 *
 * A Query's key condition has its own, earlier rule for nested paths ("KeyConditionExpressions cannot have
 * conditions on nested attributes", src/expressions/key-condition.ts), and an update of a table key attribute,
 * nested or not, is "Cannot update attribute id. This attribute is part of the key" (checked before this).
 */
import { validationError } from '../errors.js';
import type { TableMetadata } from '../engine/table-metadata.js';

const MESSAGE = "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: ";

/** Throws DynamoDB's ValidationException when `nestedHeads` (attributes reached into) holds a key attribute. */
export function checkScalarKeyPaths(nestedHeads: ReadonlySet<string> | undefined, table: TableMetadata): void {
  if (nestedHeads === undefined || nestedHeads.size === 0) return;
  for (const element of table.keySchema) {
    if (nestedHeads.has(element.AttributeName)) throw validationError(`${MESSAGE}Key: ${element.AttributeName}`);
  }
  const globals = table.globalSecondaryIndexes ?? [];
  const indexes = [...globals].reverse().concat(table.localSecondaryIndexes ?? []);
  for (const index of indexes) {
    for (const element of index.keySchema) {
      if (nestedHeads.has(element.AttributeName)) throw validationError(`${MESSAGE}IndexKey: ${element.AttributeName}`);
    }
  }
}
