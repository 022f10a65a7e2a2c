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
