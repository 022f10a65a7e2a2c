/**
 * Whether a parsed statement reads or writes, as the batch operations decide it: a batch or a transaction is all
 * reads or all writes (EXISTS, a condition check, goes with the writes of a transaction). Anything else written as a
 * statement is refused by the compiler with its own message; it counts as neither.
 */
import type { Statement } from './ast.js';

export type StatementKind = 'read' | 'write' | 'exists' | 'other';

export function statementKind(statement: Statement): StatementKind {
  switch (statement.kind) {
    case 'Select':
      return 'read';
    case 'Insert':
    case 'Update':
    case 'Delete':
      return 'write';
    case 'Exists':
      return 'exists';
    case 'Expression':
      return 'other';
  }
}

/**
 * The table a statement names (`"t"` or `"t"."i"`: t), its EXISTS's inner SELECT's included, for the batch
 * operations to report a statement's errors under; undefined when its FROM has no such shape.
 */
export function statementTableName(statement: Statement): string | undefined {
  const ref =
    statement.kind === 'Exists'
      ? statement.select.from[0]
      : statement.kind === 'Select'
        ? statement.from[0]
        : 'table' in statement
          ? statement.table
          : undefined;
  const source = ref?.source;
  return source?.kind === 'Identifier' ? source.name : source?.kind === 'Path' ? source.root.name : undefined;
}
