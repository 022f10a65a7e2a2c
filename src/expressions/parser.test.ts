/**
 * Golden-file tests of the whole pipeline (lex, parse, validate, resolve) and exact syntax-error tests.
 * Each test/golden/expressions/*.json file lists requests and, for each, the expected resolved tree or the exact
 * error. Run with UPDATE_GOLDEN=1 to rewrite the expectations from the current output (then review the diff).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DynamoDbError } from '../errors.js';
import { clearParseCache, compileExpressions, type ExpressionRequest } from './compile.js';
import { parseCondition, parseProjection, parseUpdate } from './parser.js';

// Compiled to dist/src/expressions/: the repository root is three levels up.
const GOLDEN_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../test/golden/expressions');
const UPDATE = process.env['UPDATE_GOLDEN'] === '1';

interface GoldenCase {
  request: ExpressionRequest;
  expect?: unknown;
}

function run(request: ExpressionRequest): unknown {
  try {
    return { result: compileExpressions(request) };
  } catch (error) {
    if (!(error instanceof DynamoDbError)) throw error;
    return { error: { type: error.type, message: error.message } };
  }
}

describe('golden expressions', () => {
  for (const file of readdirSync(GOLDEN_DIR).filter((name) => name.endsWith('.json'))) {
    const path = join(GOLDEN_DIR, file);
    const cases = JSON.parse(readFileSync(path, 'utf8')) as GoldenCase[];
    if (UPDATE) {
      for (const c of cases) c.expect = run(c.request);
      writeFileSync(path, JSON.stringify(cases, null, 2) + '\n');
    }
    describe(file, () => {
      for (const c of cases) {
        it(JSON.stringify(c.request), () => {
          assert.ok(c.expect !== undefined, 'missing expectation: run with UPDATE_GOLDEN=1');
          // Twice: the second run goes through the parse cache and must give the same answer.
          assert.deepEqual(run(c.request), c.expect);
          assert.deepEqual(run(c.request), c.expect);
        });
      }
    });
  }
});

function syntaxMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof DynamoDbError);
    assert.equal(error.type, 'ValidationException');
    return error.message;
  }
  assert.fail('expected a ValidationException');
}

describe('syntax errors: token and near, as DynamoDB reports them', () => {
  // Cases observed from DynamoDB itself.
  const cases: [string, 'condition' | 'update' | 'projection', string][] = [
    ['foo', 'condition', 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "foo"'],
    ['ADD hits : incr', 'update', 'Invalid UpdateExpression: Syntax error; token: ":", near: "hits : incr"'],
    ['SET MyStr = myNum + 1', 'update', 'Invalid UpdateExpression: Syntax error; token: "1", near: "+ 1"'],
    ['SET MyStr = my Num', 'update', 'Invalid UpdateExpression: Syntax error; token: "Num", near: "my Num"'],
    ['SET path = VALUE 1', 'update', 'Invalid UpdateExpression: Syntax error; token: "1", near: "VALUE 1"'],
    ['__typename <> :t', 'condition', 'Invalid ConditionExpression: Syntax error; token: "_", near: "__"'],
    ['_version = :v', 'condition', 'Invalid ConditionExpression: Syntax error; token: "_", near: "_version"'],
    ['a = :a AND _sortKey = :b', 'condition', 'Invalid ConditionExpression: Syntax error; token: "_", near: "AND _sortKey"'],
    ['last:name = :v', 'condition', 'Invalid ConditionExpression: Syntax error; token: ":name", near: "last:name ="'],
    ['GI-1-PK = :v', 'condition', 'Invalid ConditionExpression: Syntax error; token: "-", near: "GI-1"'],
    ['a-type', 'projection', 'Invalid ProjectionExpression: Syntax error; token: "-", near: "a-type"'],
    ['x = :x AND NOT #h', 'condition', 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "#h"'],
    [':hashId a', 'condition', 'Invalid ConditionExpression: Syntax error; token: "a", near: ":hashId a"'],
    ['SET numx = numx / :v', 'update', 'Invalid UpdateExpression: Syntax error; token: "/", near: "numx / :v"'],
    ['#l[abc].#c = :v', 'condition', 'Invalid ConditionExpression: Syntax error; token: "abc", near: "[abc]"'],
  ];
  for (const [text, grammar, message] of cases) {
    it(text, () => {
      const parse =
        grammar === 'condition'
          ? () => parseCondition(text, 'ConditionExpression')
          : grammar === 'update'
            ? () => parseUpdate(text)
            : () => parseProjection(text);
      assert.equal(syntaxMessage(parse), message);
    });
  }

  it('keeps whitespace inside near, including trailing whitespace before <EOF>', () => {
    assert.equal(
      syntaxMessage(() => parseCondition('a =  \t', 'ConditionExpression')),
      'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "=  \t"',
    );
  });

  it('uses the prefix of each condition kind', () => {
    for (const kind of ['ConditionExpression', 'FilterExpression', 'KeyConditionExpression'] as const) {
      assert.equal(syntaxMessage(() => parseCondition('a =', kind)), `Invalid ${kind}: Syntax error; token: "<EOF>", near: "="`);
    }
  });

  it('caches syntax errors without changing them', () => {
    clearParseCache();
    const request = { ConditionExpression: 'a = = b' };
    const first = run(request);
    assert.deepEqual(first, {
      error: { type: 'ValidationException', message: 'Invalid ConditionExpression: Syntax error; token: "=", near: "= = b"' },
    });
    assert.deepEqual(run(request), first);
  });
});

describe('parse trees', () => {
  it('gives AND precedence over OR and NOT over AND, right-associatively', () => {
    const tree = parseCondition('NOT a = :x AND b = :y OR c = :z AND d = :w AND e = :q', 'ConditionExpression');
    const shape = (node: unknown): unknown => {
      const n = node as { kind: string; left?: unknown; right?: unknown; operand?: unknown };
      if (n.kind === 'And' || n.kind === 'Or') return [n.kind, shape(n.left), shape(n.right)];
      if (n.kind === 'Not') return ['Not', shape(n.operand)];
      return n.kind;
    };
    assert.deepEqual(shape(tree), [
      'Or',
      ['And', ['Not', 'Comparison'], 'Comparison'],
      ['And', 'Comparison', ['And', 'Comparison', 'Comparison']],
    ]);
  });

  it('records positions of paths and placeholders', () => {
    const tree = parseCondition('  ab.c = :v', 'ConditionExpression');
    assert.equal(tree.kind, 'Comparison');
    if (tree.kind !== 'Comparison') return;
    assert.equal(tree.left.pos, 2);
    assert.equal(tree.right.pos, 9);
  });

  it('reports the first repeated update clause', () => {
    assert.equal(parseUpdate('SET a = :v REMOVE b SET c = :v REMOVE d').duplicateClause, 'SET');
    assert.equal(parseUpdate('SET a = :v REMOVE b').duplicateClause, undefined);
  });
});
