import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AttributeValue, Item } from '../../model/attribute-value.js';
import { DynamoDbError } from '../../errors.js';
import { evaluateCondition } from '../evaluate-condition.js';
import { expectedToCondition, filterToCondition, type ExpectedAttributeValue } from './expected.js';

const b64 = (text: string): string => Buffer.from(text).toString('base64');
const item: Item = {
  a: { N: '1' },
  s: { S: 'hello' },
  b: { B: b64('hi there') },
  ns: { NS: ['2', '4', '7'] },
  l: { L: [{ N: '2' }, { N: '4' }] },
  nul: { NULL: true },
  m: { M: { x: { N: '1' }, y: { L: [{ BOOL: true }] } } },
  t: { BOOL: true },
};

function holds(expected: Record<string, ExpectedAttributeValue>, conditionalOperator?: string): boolean {
  const node = expectedToCondition(expected, conditionalOperator);
  return node === undefined ? true : evaluateCondition(node, item);
}

function assertValidation(fn: () => unknown, message: string): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof DynamoDbError);
    assert.equal(error.type, 'ValidationException');
    assert.equal(error.message, message);
    return true;
  });
}

const op = (ComparisonOperator: string, ...AttributeValueList: AttributeValue[]): ExpectedAttributeValue => ({
  ComparisonOperator,
  AttributeValueList,
});

test('each legacy ComparisonOperator evaluates as DynamoDB does', () => {
  const cases: [string, string, ExpectedAttributeValue, boolean][] = [
    ['EQ', 'a', op('EQ', { N: '1' }), true],
    ['EQ other type', 'a', op('EQ', { S: '1' }), false],
    ['EQ missing', 'q', op('EQ', { N: '1' }), false],
    ['EQ set unordered', 'ns', op('EQ', { NS: ['7', '2', '4'] }), true],
    ['NE', 'a', op('NE', { N: '2' }), true],
    ['NE equal', 'a', op('NE', { N: '1' }), false],
    ['NE other type', 'a', op('NE', { S: '1' }), true],
    ['NE missing (true)', 'q', op('NE', { N: '1' }), true],
    ['EQ list, element by element', 'l', op('EQ', { L: [{ N: '2' }, { N: '4' }] }), true],
    ['EQ list in another order', 'l', op('EQ', { L: [{ N: '4' }, { N: '2' }] }), false],
    ['EQ map, keys in any order', 'm', op('EQ', { M: { y: { L: [{ BOOL: true }] }, x: { N: '1' } } }), true],
    ['EQ map with a key less', 'm', op('EQ', { M: { x: { N: '1' } } }), false],
    ['EQ BOOL', 't', op('EQ', { BOOL: true }), true],
    ['EQ NULL', 'nul', op('EQ', { NULL: true }), true],
    ['NE BOOL', 't', op('NE', { BOOL: false }), true],
    ['NE list equal', 'l', op('NE', { L: [{ N: '2' }, { N: '4' }] }), false],
    ['NE map on a missing attribute', 'q', op('NE', { M: {} }), true],
    ['LE', 'a', op('LE', { N: '1' }), true],
    ['LE false', 'a', op('LE', { N: '0' }), false],
    ['LE other type', 'a', op('LE', { S: '1' }), false],
    ['LT', 's', op('LT', { S: 'world' }), true],
    ['LT equal', 'a', op('LT', { N: '1' }), false],
    ['GE binary', 'b', op('GE', { B: b64('hi') }), true],
    ['GT', 'a', op('GT', { N: '0' }), true],
    ['GT missing', 'q', op('GT', { N: '0' }), false],
    ['NOT_NULL', 'nul', op('NOT_NULL'), true],
    ['NOT_NULL missing', 'q', op('NOT_NULL'), false],
    ['NULL missing', 'q', op('NULL'), true],
    ['NULL on a NULL value (it exists)', 'nul', op('NULL'), false],
    ['CONTAINS substring', 's', op('CONTAINS', { S: 'ell' }), true],
    ['CONTAINS set member', 'ns', op('CONTAINS', { N: '4' }), true],
    ['CONTAINS list element', 'l', op('CONTAINS', { N: '4' }), true],
    ['CONTAINS bytes', 'b', op('CONTAINS', { B: b64('here') }), true],
    ['CONTAINS wrong type', 's', op('CONTAINS', { N: '1' }), false],
    ['CONTAINS missing', 'q', op('CONTAINS', { N: '1' }), false],
    ['NOT_CONTAINS', 's', op('NOT_CONTAINS', { S: 'dog' }), true],
    ['NOT_CONTAINS wrong type', 's', op('NOT_CONTAINS', { N: '1' }), true],
    ['NOT_CONTAINS member', 'ns', op('NOT_CONTAINS', { N: '4' }), false],
    ['NOT_CONTAINS missing (false)', 'q', op('NOT_CONTAINS', { N: '1' }), false],
    ['BEGINS_WITH', 's', op('BEGINS_WITH', { S: 'hell' }), true],
    ['BEGINS_WITH on a number', 'a', op('BEGINS_WITH', { S: '1' }), false],
    ['IN', 'a', op('IN', { N: '3' }, { N: '1' }), true],
    ['IN not a member test', 'ns', op('IN', { N: '2' }), false],
    ['BETWEEN', 'a', op('BETWEEN', { N: '0' }, { N: '1' }), true],
    ['BETWEEN outside', 'a', op('BETWEEN', { N: '2' }, { N: '3' }), false],
    ['BETWEEN other type', 'a', op('BETWEEN', { S: 'a' }, { S: 'z' }), false],
    ['Value', 'a', { Value: { N: '1' } }, true],
    ['Value differs', 'a', { Value: { N: '2' } }, false],
    ['Value missing', 'q', { Value: { N: '1' } }, false],
    ['Exists true with Value', 'a', { Exists: true, Value: { N: '1' } }, true],
    ['Exists false', 'q', { Exists: false }, true],
    ['Exists false on present', 'a', { Exists: false }, false],
    ['operator with Value', 'a', { ComparisonOperator: 'GT', Value: { N: '0' } }, true],
  ];
  for (const [name, attribute, entry, expected] of cases) assert.equal(holds({ [attribute]: entry }), expected, name);
});

test('Expected entries combine with AND by default, OR when asked', () => {
  const entries = { a: { Value: { N: '1' } }, s: { Value: { S: 'nope' } } };
  assert.equal(holds(entries), false);
  assert.equal(holds(entries, 'AND'), false);
  assert.equal(holds(entries, 'OR'), true);
  assert.equal(holds({ a: { Value: { N: '1' } }, q: { Exists: false } }), true);
  assert.equal(expectedToCondition({}), undefined);
  assert.equal(expectedToCondition(undefined), undefined);
});

test('Expected validation messages, in DynamoDB\'s order', () => {
  const invalid = 'One or more parameter values were invalid: ';
  const cases: [Record<string, ExpectedAttributeValue>, string][] = [
    [{ a: { Value: { N: '1' }, AttributeValueList: [{ N: '1' }] } }, `${invalid}Value and AttributeValueList cannot be used together for Attribute: a`],
    [{ a: { Exists: false, ComparisonOperator: 'EQ', AttributeValueList: [{ N: '3' }] } }, `${invalid}Exists and ComparisonOperator cannot be used together for Attribute: a`],
    [{ a: { ComparisonOperator: 'EQ' } }, `${invalid}Value or AttributeValueList must be used with ComparisonOperator: EQ for Attribute: a`],
    [{ a: op('EQ', { N: '2' }, { N: '3' }) }, `${invalid}Invalid number of argument(s) for the EQ ComparisonOperator`],
    [{ a: op('NE') }, `${invalid}Invalid number of argument(s) for the NE ComparisonOperator`],
    [{ a: op('NULL', { N: '2' }) }, `${invalid}Invalid number of argument(s) for the NULL ComparisonOperator`],
    [{ a: op('NOT_NULL', { N: '2' }) }, `${invalid}Invalid number of argument(s) for the NOT_NULL ComparisonOperator`],
    [{ a: op('IN') }, `${invalid}Invalid number of argument(s) for the IN ComparisonOperator`],
    [{ a: op('BETWEEN', { N: '1' }) }, `${invalid}Invalid number of argument(s) for the BETWEEN ComparisonOperator`],
    [{ a: op('BETWEEN', { N: '1' }, { N: '2' }, { N: '3' }) }, `${invalid}Invalid number of argument(s) for the BETWEEN ComparisonOperator`],
    [{ a: op('IN', { N: '3' }, { S: 'dog' }) }, `${invalid}AttributeValues inside AttributeValueList must be of same type`],
    [{ a: op('BETWEEN', { N: '4' }, { S: 'dog' }) }, `${invalid}AttributeValues inside AttributeValueList must be of same type`],
    [{ a: op('BEGINS_WITH', { N: '3' }) }, `${invalid}ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type`],
    [{ a: op('CONTAINS', { L: [{ N: '1' }] }) }, `${invalid}ComparisonOperator CONTAINS is not valid for L AttributeValue type`],
    [{ a: op('IN', { L: [] }, { L: [] }) }, `${invalid}ComparisonOperator IN is not valid for L AttributeValue type`],
    [{ a: op('LE', { SS: ['a'] }) }, `${invalid}ComparisonOperator LE is not valid for SS AttributeValue type`],
    [{ a: op('BETWEEN', { NS: ['1'] }, { NS: ['2'] }) }, `${invalid}ComparisonOperator BETWEEN is not valid for NS AttributeValue type`],
    [{ a: op('BETWEEN', { N: '4' }, { N: '3' }) }, 'The BETWEEN condition was provided a range where the lower bound is greater than the upper bound'],
    [{ a: op('BETWEEN', { S: 'dog' }, { S: 'aardvark' }) }, 'The BETWEEN condition was provided a range where the lower bound is greater than the upper bound'],
    [{ a: { AttributeValueList: [{ N: '1' }] } }, `${invalid}AttributeValueList can only be used with a ComparisonOperator for Attribute: a`],
    [{ a: { Exists: true } }, `${invalid}Value must be provided when Exists is true for Attribute: a`],
    [{ a: {} }, `${invalid}Value must be provided when Exists is null for Attribute: a`],
    [{ a: { Exists: false, Value: { N: '1' } } }, `${invalid}Value cannot be used when Exists is false for Attribute: a`],
    [{ a: op('SOME') }, "1 validation error detected: Value 'SOME' at 'expected.a.member.comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]"],
    // Entries are checked in request order: the first bad one is reported.
    [{ ok: { Value: { N: '1' } }, x: { Exists: true }, y: {} }, `${invalid}Value must be provided when Exists is true for Attribute: x`],
  ];
  for (const [expected, message] of cases) assertValidation(() => expectedToCondition(expected), message);
});

test('QueryFilter / ScanFilter conditions', () => {
  const node = filterToCondition({ a: op('GT', { N: '0' }), s: op('BEGINS_WITH', { S: 'x' }) }, 'OR', 'scanFilter');
  assert.ok(node !== undefined);
  assert.equal(evaluateCondition(node, item), true);
  const both = filterToCondition({ a: op('GT', { N: '0' }), s: op('BEGINS_WITH', { S: 'x' }) }, undefined, 'scanFilter');
  assert.ok(both !== undefined);
  assert.equal(evaluateCondition(both, item), false);
  assert.equal(filterToCondition({}, undefined, 'queryFilter'), undefined);
  assertValidation(
    () => filterToCondition({ a: op('LE', { SS: ['a'] }) }, undefined, 'scanFilter'),
    'One or more parameter values were invalid: ComparisonOperator LE is not valid for SS AttributeValue type',
  );
  assertValidation(
    () => filterToCondition({ a: { AttributeValueList: [] } }, undefined, 'queryFilter'),
    "1 validation error detected: Value null at 'queryFilter.a.member.comparisonOperator' failed to satisfy constraint: Member must not be null",
  );
});
