/**
 * Property tests: whatever the statement, parsing either succeeds or throws a ValidationException (never another
 * error, never a hang), on random text, on token soups, and on mutations of valid statements (a token dropped,
 * repeated, swapped or replaced; the text cut short). A tree that comes back has every position inside the text.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { DynamoDbError } from '../errors.js';
import { parseStatement } from './parser.js';

const GOLDEN = resolve(dirname(fileURLToPath(import.meta.url)), '../../../test/golden/partiql/statements.json');
const VALID = (JSON.parse(readFileSync(GOLDEN, 'utf8')) as { statement: string }[]).map((c) => c.statement);

const TOKENS = [
  'SELECT', 'select', '*', 'FROM', 'WHERE', 'ORDER', 'BY', 'ASC', 'DESC', 'INSERT', 'INTO', 'VALUE', 'UPDATE', 'SET',
  'REMOVE', 'DELETE', 'RETURNING', 'ALL', 'MODIFIED', 'OLD', 'NEW', 'EXISTS', 'AND', 'OR', 'NOT', 'IN', 'BETWEEN',
  'IS', 'MISSING', 'NULL', 'TRUE', 'false', 'LIKE', 'AS', 'a', 'pk', '"t"', '"i"', '"x y"', "'s'", "'it''s'", '1',
  '-2.5e3', '.5', '1e99999999999', '?', '=', '<>', '!=', '<', '<=', '>', '>=', '+', '-', '/', '%', '||', '.', ',', ':',
  ';', '(', ')', '[', ']', '{', '}', '<<', '>>', 'begins_with', 'size', 'contains', 'set_add', 'list_append', 'COUNT',
  '`ion`', '--', '/*', '*/', '#', 'é', '\n', ' ',
];

const tokenSoup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 }).map((parts) => parts.join(' '));
const anyText = fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 40 }), tokenSoup);

/** Splits a statement at spaces, mutates the pieces and joins them again. */
const mutated = fc
  .tuple(
    fc.constantFrom(...VALID),
    fc.array(fc.tuple(fc.constantFrom('drop', 'repeat', 'swap', 'replace', 'cut'), fc.nat(), fc.constantFrom(...TOKENS)), {
      minLength: 1,
      maxLength: 4,
    }),
  )
  .map(([statement, edits]) => {
    let parts = statement.split(/(?=[\s(),[\]{}.=<>])|(?<=[\s(),[\]{}.=<>])/);
    for (const [edit, at, token] of edits) {
      const i = parts.length === 0 ? 0 : at % parts.length;
      if (edit === 'drop') parts.splice(i, 1);
      else if (edit === 'repeat') parts.splice(i, 0, parts[i] ?? token);
      else if (edit === 'swap' && i + 1 < parts.length) [parts[i], parts[i + 1]] = [parts[i + 1] as string, parts[i] as string];
      else if (edit === 'replace') parts[i] = token;
      else if (edit === 'cut') parts = parts.slice(0, i);
    }
    return parts.join('');
  });

function positionsInside(node: unknown, length: number): void {
  if (Array.isArray(node)) {
    for (const child of node) positionsInside(child, length);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const n = node as Record<string, unknown>;
  if (typeof n['pos'] === 'number' && typeof n['end'] === 'number') {
    assert.ok(0 <= n['pos'] && n['pos'] <= n['end'] && n['end'] <= length, JSON.stringify(n));
  }
  for (const value of Object.values(n)) positionsInside(value, length);
}

function check(text: string): void {
  let parsed;
  try {
    parsed = parseStatement(text);
  } catch (error) {
    assert.ok(error instanceof DynamoDbError, `unexpected ${String(error)} for ${JSON.stringify(text)}`);
    assert.equal(error.type, 'ValidationException');
    assert.equal(error.status, 400);
    return;
  }
  positionsInside(parsed.statement, text.length);
  assert.equal(parsed.parameterCount, (JSON.stringify(parsed.statement).match(/"kind":"Parameter"/g) ?? []).length);
}

describe('PartiQL parser fuzzing', () => {
  it('random text and token soups only ever fail validation', () => {
    fc.assert(fc.property(anyText, check), { numRuns: 4000 });
  });

  it('mutations of valid statements only ever fail validation', () => {
    fc.assert(fc.property(mutated, check), { numRuns: 4000 });
  });

  // How fast it parses is the benchmark's business (a timed assertion fails on a busy machine): this checks that
  // an 8 KB statement of 700 terms is answered, not how quickly.
  it('every golden statement parses or fails validation unchanged, also at 8 KB', () => {
    for (const statement of VALID) check(statement);
    const big = `SELECT * FROM "t" WHERE ${Array.from({ length: 700 }, (_, i) => `a${i} = ${i}`).join(' OR ')}`;
    check(big.slice(0, 8192));
  });
});
