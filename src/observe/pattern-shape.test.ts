import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expressionShape, itemKeyShape, legacyShape, projectionShape } from './pattern-shape.js';

test('expression shapes mask values, resolve names and normalise spacing and keyword case', () => {
  const cases: [string, Record<string, string> | undefined, string][] = [
    ['pk = :a AND begins_with(sk, :b)', undefined, 'pk = :v AND begins_with(sk, :v)'],
    ['#p=:pk and begins_with ( #s , :prefix )', { '#p': 'pk', '#s': 'sk' }, 'pk = :v AND begins_with(sk, :v)'],
    ['a BETWEEN :lo AND :hi', undefined, 'a BETWEEN :v AND :v'],
    ['status IN (:a, :b, :c) OR NOT attribute_exists(deleted)', undefined, 'status IN (:v, :v, :v) OR NOT attribute_exists(deleted)'],
    ['size(tags) > :n AND (x <> :y)', undefined, 'size(tags) > :v AND (x <> :v)'],
    ['#a.#b[2] >= :v', { '#a': 'address', '#b': 'lines' }, 'address.lines[2] >= :v'],
    ['#unknown = :v', {}, '#unknown = :v'],
  ];
  for (const [expression, names, shape] of cases) assert.equal(expressionShape(expression, names), shape, expression);
});

test('legacy conditions get the expression syntax; a key condition puts the partition key first', () => {
  const key = { hash: { name: 'pk', type: 'S' as const }, range: { name: 'sk', type: 'S' as const } };
  assert.equal(
    legacyShape({ sk: { ComparisonOperator: 'BEGINS_WITH' }, pk: { ComparisonOperator: 'EQ' } }, undefined, key),
    'pk = :v AND begins_with(sk, :v)',
  );
  assert.equal(
    legacyShape({ a: { ComparisonOperator: 'NOT_NULL' }, b: { ComparisonOperator: 'BETWEEN' } }, 'OR'),
    'attribute_exists(a) OR b BETWEEN :v AND :v',
  );
  assert.equal(legacyShape(undefined, undefined), undefined);
  assert.equal(legacyShape({}, undefined), undefined);
  assert.equal(itemKeyShape(key), 'pk = :v AND sk = :v');
  assert.equal(itemKeyShape({ hash: { name: 'id', type: 'S' } }), 'id = :v');
});

test('projections: the paths, AttributesToGet, COUNT or none', () => {
  assert.equal(projectionShape({ ProjectionExpression: '#n, b.c', ExpressionAttributeNames: { '#n': 'name' } }), 'name, b.c');
  assert.equal(projectionShape({ AttributesToGet: ['a', 'b'] }), 'a, b');
  assert.equal(projectionShape({ Select: 'COUNT' }), 'COUNT');
  assert.equal(projectionShape({}), 'none');
});
