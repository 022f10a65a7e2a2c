import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCondition, parseUpdate } from './parser.js';
import { countOperators } from './operator-count.js';

test('operators are comparisons, BETWEEN, IN, AND, OR, NOT and + / -; parentheses and functions are not', () => {
  const conditions: [string, number][] = [
    ['a = b', 1],
    ['(a = b)', 1],
    ['a = b AND (b < c OR NOT c >= d)', 6],
    ['a BETWEEN b AND c', 1],
    ['a IN (b, c, d)', 1],
    ['attribute_exists(a)', 0],
    ['size(a) > size(b)', 1],
    ['begins_with(a, b) AND contains(c, d)', 1],
  ];
  for (const [text, count] of conditions) {
    assert.equal(countOperators(parseCondition(text, 'ConditionExpression')), count, text);
  }
  assert.equal(countOperators(parseUpdate('SET a = b + c, d = if_not_exists(d, e) - f REMOVE g ADD h :v').node), 2);
});
