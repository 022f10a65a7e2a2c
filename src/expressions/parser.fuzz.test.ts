/**
 * Property tests: whatever the input, compiling expressions either succeeds or throws a ValidationException
 * (never another error, never a hang), and a successful compile leaves no placeholder in the tree.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DynamoDbError } from '../errors.js';
import { compileExpressions, type ExpressionRequest } from './compile.js';

const TOKENS = [
  'a', 'b', 'Name', '#n', '#m', ':v', ':w', '#', ':', '0', '1', '12', '[', ']', '(', ')', ',', '.', '=', '<>', '<',
  '<=', '>', '>=', '+', '-', 'AND', 'or', 'NOT', 'BETWEEN', 'IN', 'SET', 'REMOVE', 'ADD', 'DELETE', 'size',
  'attribute_exists', 'begins_with', 'contains', 'attribute_type', 'if_not_exists', 'list_append', 'foo', '!', '_',
  "'s'", ' ', '\t', 'é',
];

const tokenSoup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 }).map((parts) => parts.join(' '));
const anyText = fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 30 }), tokenSoup);

const NAMES = { '#n': 'n', '#m': 'm.x' };
const VALUES = { ':v': { S: 'x' }, ':w': { N: '2' } };

function check(request: ExpressionRequest): void {
  let compiled;
  try {
    compiled = compileExpressions(request);
  } catch (error) {
    assert.ok(error instanceof DynamoDbError, `unexpected ${String(error)}`);
    assert.equal(error.type, 'ValidationException');
    assert.equal(error.status, 400);
    return;
  }
  const json = JSON.stringify(compiled);
  assert.ok(!json.includes('"NamePlaceholder"') && !json.includes('"ValuePlaceholder"'), json);
}

describe('expression fuzzing', () => {
  for (const kind of ['ConditionExpression', 'UpdateExpression', 'ProjectionExpression'] as const) {
    it(`${kind}: random text and token soups only ever fail validation`, () => {
      fc.assert(
        fc.property(anyText, fc.boolean(), (text, withSubs) => {
          const request: ExpressionRequest = { [kind]: text };
          if (withSubs) {
            request.ExpressionAttributeNames = NAMES;
            if (kind !== 'ProjectionExpression') request.ExpressionAttributeValues = VALUES;
          }
          check(request);
        }),
        { numRuns: 3000 },
      );
    });
  }

  it('answers a ValidationException for nesting deep enough to exhaust the stack', () => {
    for (const text of ['('.repeat(4096), `${'('.repeat(2040)}a${')'.repeat(2040)}`]) {
      assert.throws(
        () => compileExpressions({ ConditionExpression: text }),
        (error: unknown) =>
          error instanceof DynamoDbError &&
          error.message === 'Invalid ConditionExpression: The expression has too many nested levels;',
      );
    }
    const update = `SET a = ${'list_append('.repeat(250)}b${', c)'.repeat(250)}`;
    assert.doesNotThrow(() => compileExpressions({ UpdateExpression: update }));
  });

  it('parses deeply nested parentheses and long chains without overflowing', () => {
    const deep = `${'('.repeat(500)}a = :v${')'.repeat(500)}`;
    assert.throws(() => compileExpressions({ ConditionExpression: deep, ExpressionAttributeValues: VALUES }), DynamoDbError);
    const chain = (length: number) => Array.from({ length }, () => 'a = :v').join(' AND ');
    // 150 comparisons and 149 ANDs: 299 operators, within DynamoDB's limit of 300; 300 comparisons are past it.
    assert.doesNotThrow(() => compileExpressions({ ConditionExpression: chain(150), ExpressionAttributeValues: { ':v': { S: 'x' } } }));
    assert.throws(
      () => compileExpressions({ ConditionExpression: chain(300), ExpressionAttributeValues: { ':v': { S: 'x' } } }),
      (error: unknown) =>
        error instanceof DynamoDbError &&
        error.message === 'Invalid ConditionExpression: The expression contains too many operators; operator count: 301',
    );
  });
});
