import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateCondition } from '../expressions/evaluate-condition.js';
import type { Item } from '../model/attribute-value.js';
import { parseStatement } from './parser.js';
import type { Expr } from './ast.js';
import { toCondition, toValue, type Binding } from './translate.js';

/** The WHERE of `SELECT * FROM t WHERE <condition>`. */
function where(condition: string): { expr: Expr; binding: Binding } {
  const text = `SELECT * FROM t WHERE ${condition}`;
  const { statement } = parseStatement(text);
  if (statement.kind !== 'Select' || statement.where === undefined) throw new Error('not a SELECT with WHERE');
  return { expr: statement.where, binding: { text, parameters: [{ N: '5' }] } };
}

const holds = (condition: string, item: Item | undefined): boolean => {
  const { expr, binding } = where(condition);
  return evaluateCondition(toCondition(expr, binding), item);
};

const value = (literal: string) => {
  const { expr, binding } = where(`a = ${literal}`);
  if (expr.kind !== 'Comparison') throw new Error('not a comparison');
  return toValue(expr.right, binding, 'a');
};

describe('PartiQL values', () => {
  it('are exact, normalised numbers, strings, sets, lists and maps', () => {
    assert.deepEqual(value('-0010.500'), { N: '-10.5' });
    assert.deepEqual(value('-0'), { N: '0' });
    assert.deepEqual(value("'it''s'"), { S: "it's" });
    assert.deepEqual(value('<<2, 1.0>>'), { NS: ['2', '1'] });
    assert.deepEqual(value("[1, {'k': NULL}]"), { L: [{ N: '1' }, { M: { k: { NULL: true } } }] });
    assert.deepEqual(value('?'), { N: '5' });
  });

  it('refuse mixed and empty sets', () => {
    assert.throws(() => value("<<1, 'a'>>"), { message: 'Unexpected data type S in Number Set under key a' });
    assert.throws(() => value('<<TRUE>>'), { message: 'Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags' });
  });
});

describe('PartiQL conditions', () => {
  const item: Item = { a: { N: '5' }, s: { S: 'abc' }, n: { NULL: true }, m: { M: { l: { L: [{ S: 'x' }] } } } };

  it('keep the expression language semantics', () => {
    assert.equal(holds('a = ?', item), true);
    assert.equal(holds("a <> 'five'", item), true);
    assert.equal(holds("a < 'z'", item), false);
    assert.equal(holds('absent <> 1', item), true);
    assert.equal(holds('a BETWEEN 1 AND 5 AND NOT a IN [1, 2]', item), true);
    assert.equal(holds("m.l[0] = 'x' AND begins_with(s, 'ab') AND size(s) = 3", item), true);
  });

  it('IS MISSING, IS NULL and the other IS types', () => {
    assert.equal(holds('nothing IS MISSING AND a IS NOT MISSING', item), true);
    assert.equal(holds('n IS NULL AND a IS NOT NULL AND nothing IS NOT NULL', item), true);
    assert.equal(holds('a IS NUMERIC AND s IS STRING AND m IS TUPLE', item), true);
  });

  it('refuse what the dialect does not have', () => {
    assert.throws(() => holds('a = MISSING', item), { message: 'MISSING must be compared using IS operator' });
    assert.throws(() => holds("s LIKE 'a%'", item), { message: 'Unsupported operator in Condition Expression. Operator: LIKE' });
    assert.throws(() => holds('lower(s) = 1', item), { message: 'Unrecognized function: lower at 1:23:5' });
  });
});
