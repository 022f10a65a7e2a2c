import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AttributeValue, Item } from '../model/attribute-value.js';
import { formatPathForMessage, getOwn, pathOf, resolvePath, setOwn } from './document-path.js';

const item: Item = {
  a: { M: { b: { L: [{ S: 'zero' }, { M: { c: { N: '7' } } }] } } },
  list: { L: [{ N: '1' }] },
  s: { S: 'x' },
  'dotted.name': { S: 'literal' },
};

test('resolvePath follows names and indexes, and is undefined on any mismatch', () => {
  const cases: [(string | number)[], AttributeValue | undefined][] = [
    [['s'], { S: 'x' }],
    [['a', 'b', 0], { S: 'zero' }],
    [['a', 'b', 1, 'c'], { N: '7' }],
    [['a', 'b', 2], undefined],
    [['a', 'x'], undefined],
    [['s', 'x'], undefined],
    [['s', 0], undefined],
    [['a', 0], undefined],
    [['list', 'x'], undefined],
    [['missing'], undefined],
    [['dotted.name'], { S: 'literal' }],
    [['toString'], undefined],
    [['a', 'constructor'], undefined],
  ];
  for (const [steps, expected] of cases) assert.deepEqual(resolvePath(pathOf(...steps), item), expected, steps.join('.'));
  assert.equal(resolvePath(pathOf('s'), undefined), undefined);
});

test('getOwn and setOwn treat __proto__ as an ordinary attribute name', () => {
  const map: Record<string, AttributeValue> = {};
  setOwn(map, '__proto__', { S: 'p' });
  assert.deepEqual(getOwn(map, '__proto__'), { S: 'p' });
  assert.equal(Object.getPrototypeOf(map), Object.prototype);
  assert.deepEqual(Object.keys(map), ['__proto__']);
  assert.equal(getOwn({}, 'hasOwnProperty'), undefined);
});

test('formatPathForMessage prints paths as DynamoDB does', () => {
  assert.equal(formatPathForMessage(pathOf('a').elements), '[a]');
  assert.equal(formatPathForMessage(pathOf('a', 'b', 3, 'c').elements), '[a, b, [3], c]');
});
