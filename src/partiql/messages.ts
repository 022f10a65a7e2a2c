/**
 * DynamoDB's messages for statements its PartiQL parser refuses. A syntax error is wrapped in one envelope,
 * `Statement wasn't well formed, can't be processed: <detail>`, where the detail is partiql-lang-kotlin's parser
 * message (DynamoDB adds no line or column to syntax errors; the positional `at <line>:<column>:<length>` suffix
 * belongs to the later semantic checks, see position.ts). A lexical error has an empty detail.
 *
 * Sources: the envelope and the details marked "observed" were recorded from DynamoDB itself by a public
 * conformance suite run against AWS (October 2026); the others are partiql-lang-kotlin's parser messages for the
 * same situation, and are unconfirmed against DynamoDB.
 */
import { validationError, type DynamoDbError } from '../errors.js';

export const SYNTAX = {
  /** Observed: a token left over after a complete statement (`... WHERE pk = 1 foo`, a stray `)`). */
  leftover: 'Unexpected token after expression',
  /** Observed: nothing (or `;`, `)`) where an operand should start (`... WHERE`, `SELECT * FROM`). */
  unexpectedTerm: 'Unexpected term',
  /** Observed: a keyword where an operand should start (`... WHERE ORDER BY pk`). */
  unexpectedKeyword: 'Unexpected keyword',
  /** Observed: an operator where an operand should start (`WHERE IS NULL`, `pk = LIKE`). */
  unexpectedOperator: 'Unexpected operator',
  /** Observed: an infix operator at the end (`pk = 'a' AND`). */
  missingRightHandSide: 'Missing right-hand side expression of infix operator',
  /** Observed: no table after DELETE FROM (also INSERT INTO and UPDATE, which read the same simple path). */
  simplePath: 'Expected identifier for simple path',
  /** Observed: a keyword after a dot (`m.inner`). */
  pathDot: 'Invalid path dot component',
  /** Observed: IS followed by a name that is not a type. */
  typeName: 'Expected type name',
  /** partiql-lang-kotlin: `[...]` in a simple path (UPDATE target) holding something other than a literal. */
  simplePathComponent: 'Invalid path component for simple path',
  /** partiql-lang-kotlin: `.*` in a simple path. */
  simplePathDot: 'Invalid path dot component for simple path',
  /** partiql-lang-kotlin: `()`. */
  emptyGroup: 'Expression group cannot be empty',
  /** partiql-lang-kotlin: DELETE not followed by FROM. */
  deleteFrom: 'Expected FROM after DELETE',
  /** partiql-lang-kotlin: UPDATE / FROM ... without SET or REMOVE. */
  dataManipulation: 'Expected data manipulation',
  /** partiql-lang-kotlin: SET with no assignment. */
  setAssignment: 'Expected assignment for SET',
  /** partiql-lang-kotlin: a SET target not followed by `=`. */
  setEquals: "Expected '='",
  /** partiql-lang-kotlin: SELECT with an empty projection list. */
  emptySelect: 'Cannot have empty SELECT list',
  /** partiql-lang-kotlin: `*` beside other projections. */
  starNotAlone: "Other expressions may not be present in the select list when '*' is used without dot notation.",
  /**
   * Cairn's own, unconfirmed: nesting past the parser's depth bound (DynamoDB's answer to, say, 5000 opening
   * parentheses is unknown; the envelope keeps it a syntax error for clients that match the prefix).
   */
  tooDeep: 'Statement is too deeply nested',
  /** partiql-lang-kotlin: a missing keyword, e.g. `Expected FROM keyword`. */
  expectedKeyword: (keyword: string) => `Expected ${keyword.toUpperCase()} keyword`,
  /** partiql-lang-kotlin: a missing token, named by its token type, e.g. `Expected RIGHT_PAREN`. */
  expectedToken: (type: string) => `Expected ${type}`,
} as const;

/** The envelope of every syntax error. */
export function notWellFormed(detail: string): DynamoDbError {
  return validationError(`Statement wasn't well formed, can't be processed: ${detail}`);
}

/**
 * Messages DynamoDB answers without the envelope for constructs that parse but that its dialect refuses; the
 * parser raises the ones it can decide on the tree alone (observed: aliasing). The RETURNING messages are from
 * DynamoDB's own message table (as shipped in DynamoDB Local), unconfirmed against the service.
 */
export const REFUSED = {
  aliasing: 'Aliasing is not supported',
  returningStar: "Expected '*' after ( MODIFIED | ALL ) ( NEW | OLD ) in RETURNING clause",
  returningMultiple: 'Invalid syntax with multiple returning elements in RETURNING clause',
} as const;
