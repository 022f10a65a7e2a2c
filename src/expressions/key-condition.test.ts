import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DynamoDbError } from '../errors.js';
import { compileExpressions } from './compile.js';
import { analyzeKeyCondition } from './key-condition.js';

const VALUES = { ':a': { S: 'a' }, ':b': { S: 'b' }, ':c': { S: 'c' } };

function analyze(expression: string) {
  // Only the values the expression uses: unused ones would be rejected first.
  const values = Object.fromEntries(Object.entries(VALUES).filter(([key]) => expression.includes(key)));
  const compiled = compileExpressions({
    KeyConditionExpression: expression,
    ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
  });
  assert.ok(compiled.keyCondition);
  return analyzeKeyCondition(compiled.keyCondition);
}

function shape(expression: string): string[] {
  return analyze(expression).map((t) => `${t.attribute} ${t.operator} ${t.operands.map((o) => (o.kind === 'Literal' ? o.placeholder : '?')).join(' ')}`);
}

describe('KeyConditionExpression shape', () => {
  it('collects one term per key, attribute on the left', () => {
    assert.deepEqual(shape('pk = :a AND :b < sk'), ['pk = :a', 'sk > :b']);
    assert.deepEqual(shape('(pk = :a) AND sk BETWEEN :a AND :b'), ['pk = :a', 'sk BETWEEN :a :b']);
    assert.deepEqual(shape('begins_with(sk, :a) AND pk = :b'), ['sk BEGINS_WITH :a', 'pk = :b']);
  });

  const errors: [string, string][] = [
    ['pk = :a OR sk = :b', 'Invalid operator used in KeyConditionExpression: OR'],
    ['NOT pk = :a', 'Invalid operator used in KeyConditionExpression: NOT'],
    ['pk IN (:a, :b)', 'Invalid operator used in KeyConditionExpression: IN'],
    ['pk <> :a', 'Invalid operator used in KeyConditionExpression: <>'],
    ['attribute_exists(pk)', 'Invalid operator used in KeyConditionExpression: attribute_exists'],
    ['contains(pk, :a)', 'Invalid operator used in KeyConditionExpression: contains'],
    ['size(pk) = :a', 'KeyConditionExpressions cannot contain nested operations'],
    [':a BETWEEN pk AND :b', 'Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand'],
    ['begins_with(:a, pk)', 'Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand'],
    ['pk = sk', 'Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition'],
    [':a = :b', 'Invalid condition in KeyConditionExpression: No key attribute specified'],
    ['pk.x = :a', 'KeyConditionExpressions cannot have conditions on nested attributes'],
    ['pk = :a AND pk = :b', 'KeyConditionExpressions must only contain one condition per key'],
    // DynamoDB's order: depth first, left to right; in one condition its operator, then that BETWEEN and
    // begins_with start with a path, then the operands in order.
    ['a > b AND size(b) > c OR a > c', 'Invalid operator used in KeyConditionExpression: OR'],
    ['a IN (b, size(c), d)', 'Invalid operator used in KeyConditionExpression: IN'],
    ['contains(a.d, b)', 'Invalid operator used in KeyConditionExpression: contains'],
    [':a BETWEEN size(b) AND size(a) AND b > :b', 'Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand'],
    ['begins_with(:a, b) AND a > :b', 'Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand'],
    ['size(b) > a AND a.b > b AND b > c', 'KeyConditionExpressions cannot contain nested operations'],
    ['a > size(b.d)', 'KeyConditionExpressions cannot contain nested operations'],
    ['a BETWEEN size(b) AND size(a)', 'KeyConditionExpressions cannot contain nested operations'],
    ['b > a.b', 'Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition'],
    ['b BETWEEN c[1] AND d', 'Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition'],
    ['a BETWEEN b AND size(a)', 'Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition'],
    ['b.d > a AND c.d > e.f', 'KeyConditionExpressions cannot have conditions on nested attributes'],
    ['b[0] > a', 'KeyConditionExpressions cannot have conditions on nested attributes'],
    ['sk.x BETWEEN :a AND :b', 'KeyConditionExpressions cannot have conditions on nested attributes'],
    ['a.b > size(c)', 'KeyConditionExpressions cannot have conditions on nested attributes'],
    [':b > :a AND a < :b', 'Invalid condition in KeyConditionExpression: No key attribute specified'],
    [':a > b AND :a < :b', 'Invalid condition in KeyConditionExpression: No key attribute specified'],
    ['b > :a AND b < :a AND c = :a', 'KeyConditionExpressions must only contain one condition per key'],
  ];
  for (const [expression, message] of errors) {
    it(expression, () => {
      assert.throws(
        () => analyze(expression),
        (error: unknown) => error instanceof DynamoDbError && error.type === 'ValidationException' && error.message === message,
      );
    });
  }
});
