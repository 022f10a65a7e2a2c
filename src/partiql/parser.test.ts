/**
 * Golden-file tests of the PartiQL parser. Each test/golden/partiql/*.json file lists statements and, for each, the
 * expected tree (with the parameter count) or the exact error. Run with UPDATE_GOLDEN=1 to rewrite the expectations
 * from the current output, then review the diff. errors.json holds DynamoDB's observed answers first (see
 * messages.ts for which are observed), then partiql-lang-kotlin's wording for the rest.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DynamoDbError } from '../errors.js';
import { parseStatement } from './parser.js';
import { at, locate } from './position.js';

// Compiled to dist/src/partiql/: the repository root is three levels up.
const GOLDEN_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../test/golden/partiql');
const UPDATE = process.env['UPDATE_GOLDEN'] === '1';

interface GoldenCase {
  statement: string;
  expect?: unknown;
}

function run(statement: string): unknown {
  try {
    return { result: parseStatement(statement) };
  } catch (error) {
    if (!(error instanceof DynamoDbError)) throw error;
    return { error: { type: error.type, status: error.status, message: error.message } };
  }
}

describe('golden PartiQL statements', () => {
  for (const file of readdirSync(GOLDEN_DIR).filter((name) => name.endsWith('.json'))) {
    const path = join(GOLDEN_DIR, file);
    const cases = JSON.parse(readFileSync(path, 'utf8')) as GoldenCase[];
    if (UPDATE) {
      for (const c of cases) c.expect = run(c.statement);
      writeFileSync(path, JSON.stringify(cases, null, 2) + '\n');
    }
    describe(file, () => {
      for (const c of cases) {
        it(JSON.stringify(c.statement), () => {
          assert.ok(c.expect !== undefined, 'missing expectation: run with UPDATE_GOLDEN=1');
          assert.deepEqual(JSON.parse(JSON.stringify(run(c.statement))), c.expect);
        });
      }
    });
  }
});

function shape(node: unknown): unknown {
  const n = node as { kind: string; left?: unknown; right?: unknown; operand?: unknown };
  if (n.kind === 'And' || n.kind === 'Or') return [n.kind, shape(n.left), shape(n.right)];
  if (n.kind === 'Not') return ['Not', shape(n.operand)];
  if (n.kind === 'Arithmetic' || n.kind === 'Comparison') {
    return [(n as unknown as { op: string }).op, shape(n.left), shape(n.right)];
  }
  return n.kind;
}

function where(text: string): unknown {
  const { statement } = parseStatement(`SELECT * FROM t WHERE ${text}`);
  assert.equal(statement.kind, 'Select');
  return statement.kind === 'Select' ? shape(statement.where) : undefined;
}

describe('PartiQL precedence', () => {
  it('OR below AND below NOT below comparison, all left-associative', () => {
    assert.deepEqual(where('NOT a = 1 AND b = 2 OR c = 3 AND d = 4 AND e = 5'), [
      'Or',
      ['And', ['Not', ['=', 'Identifier', 'Number']], ['=', 'Identifier', 'Number']],
      ['And', ['And', ['=', 'Identifier', 'Number'], ['=', 'Identifier', 'Number']], ['=', 'Identifier', 'Number']],
    ]);
  });

  it('multiplication above addition above comparison', () => {
    assert.deepEqual(where('a + b * c - d = e'), ['=', ['-', ['+', 'Identifier', ['*', 'Identifier', 'Identifier']], 'Identifier'], 'Identifier']);
  });

  it('NOT binds looser than comparison and IN/BETWEEN', () => {
    assert.deepEqual(where('NOT a IN (1) AND NOT b BETWEEN 1 AND 2'), ['And', ['Not', 'In'], ['Not', 'Between']]);
  });
});

describe('PartiQL parameters and positions', () => {
  it('numbers parameters in order of appearance and counts them', () => {
    const parsed = parseStatement("UPDATE t SET a = ?, b = ? WHERE pk = ? AND sk IN (?, 'x')");
    assert.equal(parsed.parameterCount, 4);
    const json = JSON.stringify(parsed.statement);
    const indexes = [...json.matchAll(/"kind":"Parameter","index":(\d+)/g)].map((m) => Number(m[1]));
    assert.deepEqual(indexes, [0, 1, 2, 3]);
  });

  it('records source offsets on every node', () => {
    const text = 'SELECT a FROM "t" WHERE begins_with(sk, ?)';
    const { statement } = parseStatement(text);
    assert.equal(statement.kind, 'Select');
    if (statement.kind !== 'Select' || !statement.where || statement.where.kind !== 'Call') return assert.fail();
    assert.equal(text.slice(statement.where.pos, statement.where.end), 'begins_with(sk, ?)');
    assert.equal(text.slice(statement.where.nameToken.pos, statement.where.nameToken.end), 'begins_with');
    assert.equal(text.slice(statement.pos, statement.end), text);
  });

  it("gives DynamoDB's line:column:length", () => {
    const text = `SELECT * FROM "t" WHERE pk = 'x' AND EXISTS(ss)`;
    assert.equal(at('Unrecognized function: exists', text, text.indexOf('EXISTS'), 6), 'Unrecognized function: exists at 1:38:6');
    assert.equal(locate('SELECT *\nFROM "t"\n  WHERE x', 20, 5), '3:3:5');
  });
});

describe('PartiQL nesting', () => {
  it('answers a ValidationException, not a stack overflow, for deep nesting', () => {
    for (const text of [`SELECT * FROM t WHERE ${'('.repeat(5000)}a`, `SELECT * FROM t WHERE ${'NOT '.repeat(5000)}a`, `x = ${'['.repeat(5000)}`]) {
      assert.throws(() => parseStatement(text), (error: unknown) => error instanceof DynamoDbError && error.type === 'ValidationException');
    }
  });

  it('parses reasonable nesting and long chains', () => {
    assert.doesNotThrow(() => parseStatement(`SELECT * FROM t WHERE ${'('.repeat(50)}a = 1${')'.repeat(50)}`));
    const chain = Array.from({ length: 2000 }, (_, i) => `a${i} = ${i}`).join(' AND ');
    assert.doesNotThrow(() => parseStatement(`SELECT * FROM t WHERE ${chain}`));
  });
});
