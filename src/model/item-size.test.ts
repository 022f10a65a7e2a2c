import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DynamoDbError } from '../errors.js';
import type { AttributeValue, Item } from './attribute-value.js';
import {
  assertItemSizeWithinLimit,
  attributeValueSize,
  itemSize,
  MAX_ITEM_SIZE,
  numberSize,
  readUnits,
  writeUnits,
} from './item-size.js';

describe('numberSize', () => {
  // Sizes DynamoDB was measured to charge, each at the byte-exact 400 KB boundary.
  const measured: [string, number][] = [
    ['0', 1],
    ['1', 2],
    ['12', 2],
    ['123', 3],
    ['1234', 3],
    ['12345678901234567890123456789012345678', 20],
    ['0042', 2],
    ['100', 2],
    ['1010', 3],
    ['0.0000001', 2],
    ['1E125', 2],
    ['1E-100', 2],
    ['1.5', 3],
    ['15', 2],
    ['1.2', 3],
    ['1.200', 3],
    ['1.234', 4],
    ['3.14159', 5],
    ['123456', 4],
    ['100.5', 4],
    ['0.15', 2],
    ['-42', 3],
    ['-0', 1],
    // From the boundary tests of the dynalite suite: 38 ones then 88 zeros, and long runs of trailing zeros.
    ['1'.repeat(38) + '0'.repeat(88), 20],
    ['1' + '0'.repeat(125), 2],
    ['11' + '0'.repeat(124), 2],
    ['11111' + '0'.repeat(121), 4],
    ['111111' + '0'.repeat(120), 4],
    ['1111111' + '0'.repeat(119), 5],
    // Base-100 alignment: 0.015 is the pairs 01|50.
    ['0.015', 3],
    ['0.0015', 2],
    ['-1.5', 4],
  ];
  for (const [text, size] of measured) {
    it(`${text.length > 20 ? text.slice(0, 20) + '…' : text} -> ${size}`, () => assert.equal(numberSize(text), size));
  }
});

describe('attributeValueSize', () => {
  const cases: [string, AttributeValue, number][] = [
    ['ASCII string', { S: 'abc' }, 3],
    ['empty string', { S: '' }, 0],
    ['2-byte UTF-8', { S: 'é' }, 2],
    ['3-byte UTF-8', { S: '€' }, 3],
    ['4-byte UTF-8 (surrogate pair)', { S: '😀' }, 4],
    ['binary counts decoded bytes', { B: 'AAECAwQ=' }, 5],
    ['binary with one pad', { B: 'YWI=' }, 2],
    ['empty binary', { B: '' }, 0],
    ['BOOL', { BOOL: false }, 1],
    ['NULL', { NULL: true }, 1],
    ['number', { N: '123' }, 3],
    ['string set', { SS: ['ab', 'cde'] }, 5],
    ['number set', { NS: ['1', '123'] }, 5],
    ['binary set', { BS: ['AA==', 'AAA='] }, 3],
    ['empty list', { L: [] }, 3],
    ['empty map', { M: {} }, 3],
    ['list: 3 + (1 + element) each', { L: [{ S: 'ab' }, { N: '1' }] }, 3 + 3 + 3],
    ['map: 3 + (1 + name + value) each', { M: { a: { S: 'xy' }, bb: { BOOL: true } } }, 3 + (1 + 1 + 2) + (1 + 2 + 1)],
    ['nested', { M: { l: { L: [{ M: {} }] } } }, 3 + (1 + 1 + (3 + (1 + 3)))],
  ];
  for (const [name, value, size] of cases) {
    it(`${name}: ${size}`, () => assert.equal(attributeValueSize(value), size));
  }
});

describe('itemSize', () => {
  it('adds names and values', () => {
    const item: Item = {
      itemType: { S: 'SLOT' }, // 8 + 4
      id: { S: 'abc1231' }, // 2 + 7
      hostName: { S: 'Harry Mason' }, // 8 + 11
      expiresAt: { N: '2099' }, // 9 + 3
      tags: { SS: ['a', 'bc'] }, // 4 + 3
      nested: { M: { 'ü': { L: [{ NULL: true }] } } }, // 6 + 3 + (1 + 2 + (3 + 1 + 1))
    };
    assert.equal(itemSize(item), 12 + 9 + 19 + 12 + 7 + (6 + 3 + 1 + 2 + 5));
  });

  it('counts attribute names in UTF-8 bytes', () => assert.equal(itemSize({ 'ñ': { S: 'x' } }), 3));
});

describe('assertItemSizeWithinLimit', () => {
  const item = (padding: number): Item => ({ a: { S: 'key' }, b: { S: 'x'.repeat(padding) } });
  // a (1) + 'key' (3) + b (1) + padding.
  it('accepts exactly 409,600 bytes and returns the size', () => {
    assert.equal(assertItemSizeWithinLimit(item(MAX_ITEM_SIZE - 5)), MAX_ITEM_SIZE);
  });
  it('refuses 409,601 bytes', () => {
    try {
      assertItemSizeWithinLimit(item(MAX_ITEM_SIZE - 4));
      assert.fail('expected a ValidationException');
    } catch (error) {
      assert.ok(error instanceof DynamoDbError);
      assert.equal(error.type, 'ValidationException');
      assert.equal(error.message, 'Item size has exceeded the maximum allowed size');
    }
  });
  it('uses the number sizes at the boundary', () => {
    // The dynalite boundary case: 126-digit number costing 20 bytes.
    const n = '1'.repeat(38) + '0'.repeat(88);
    const base = { a: { S: 'k' }, c: { N: n } }; // 1 + 1 + 1 + 20
    assert.equal(assertItemSizeWithinLimit({ ...base, b: { S: 'x'.repeat(MAX_ITEM_SIZE - 24) } }), MAX_ITEM_SIZE);
    assert.throws(() => assertItemSizeWithinLimit({ ...base, b: { S: 'x'.repeat(MAX_ITEM_SIZE - 23) } }), DynamoDbError);
  });
});

describe('capacity units', () => {
  const writes: [number, number][] = [
    [0, 1],
    [1, 1],
    [1024, 1],
    [1025, 2],
    [409600, 400],
  ];
  for (const [size, units] of writes) it(`write ${size} B -> ${units}`, () => assert.equal(writeUnits(size), units));

  const reads: [number, boolean, number][] = [
    [0, false, 0.5],
    [0, true, 1],
    [100, false, 0.5],
    [4096, true, 1],
    [4097, true, 2],
    [4097, false, 1],
    [8193, false, 1.5],
    [409600, true, 100],
  ];
  for (const [size, consistent, units] of reads) {
    it(`read ${size} B ${consistent ? 'consistent' : 'eventual'} -> ${units}`, () => assert.equal(readUnits(size, consistent), units));
  }
});
