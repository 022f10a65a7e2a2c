import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DynamoDbError } from '../errors.js';
import type { TableKey } from '../engine/table-metadata.js';
import type { Item } from './attribute-value.js';
import { extractKey, type KeyRole } from './key-validation.js';

const hashOnly: TableKey = { hash: { name: 'a', type: 'S' } };
const composite: TableKey = { hash: { name: 'a', type: 'S' }, range: { name: 'b', type: 'B' } };
const numeric: TableKey = { hash: { name: 'a', type: 'N' }, range: { name: 'b', type: 'S' } };

const INVALID = 'One or more parameter values were invalid: ';
const NOT_VALID = 'One or more parameter values are not valid. ';
const SCHEMA = 'The provided key element does not match the schema';
const HASH_SIZE = `${INVALID}Size of hashkey has exceeded the maximum size limit of2048 bytes`;
const RANGE_SIZE = `${INVALID}Aggregated size of all range keys has exceeded the size limit of 1024 bytes`;

const b64 = (length: number): string => Buffer.alloc(length, 1).toString('base64');

function message(tableKey: TableKey, source: Item, role: KeyRole): string {
  try {
    extractKey(tableKey, source, role);
  } catch (error) {
    assert.ok(error instanceof DynamoDbError);
    assert.equal(error.type, 'ValidationException');
    assert.equal(error.wireType, 'com.amazon.coral.validate#ValidationException');
    return error.message;
  }
  assert.fail('expected a ValidationException');
}

describe('extractKey errors', () => {
  const cases: [string, TableKey, Item, KeyRole, string][] = [
    // role 'item' (PutItem)
    ['missing hash', composite, { b: { B: 'AA==' } }, 'item', `${INVALID}Missing the key a in the item`],
    ['missing range', composite, { a: { S: 'x' } }, 'item', `${INVALID}Missing the key b in the item`],
    ['hash type mismatch', composite, { a: { N: '1' }, b: { B: 'AA==' } }, 'item', `${INVALID}Type mismatch for key a expected: S actual: N`],
    ['range type mismatch', composite, { a: { S: 'x' }, b: { SS: ['y'] } }, 'item', `${INVALID}Type mismatch for key b expected: B actual: SS`],
    ['empty hash string', composite, { a: { S: '' }, b: { B: 'AA==' } }, 'item', `${NOT_VALID}The AttributeValue for a key attribute cannot contain an empty string value. Key: a`],
    ['empty range binary', composite, { a: { S: 'x' }, b: { B: '' } }, 'item', `${NOT_VALID}The AttributeValue for a key attribute cannot contain an empty binary value. Key: b`],
    ['hash checked before range', composite, { a: { S: '' } }, 'item', `${NOT_VALID}The AttributeValue for a key attribute cannot contain an empty string value. Key: a`],
    ['hash too large', hashOnly, { a: { S: 'x'.repeat(2049) } }, 'item', HASH_SIZE],
    ['hash too large in UTF-8 bytes', hashOnly, { a: { S: 'é'.repeat(1025) } }, 'item', HASH_SIZE],
    ['range too large', composite, { a: { S: 'x' }, b: { B: b64(1025) } }, 'item', RANGE_SIZE],
    // role 'key' (GetItem, UpdateItem, DeleteItem)
    ['extra attribute', hashOnly, { a: { S: 'x' }, c: { S: 'y' } }, 'key', SCHEMA],
    ['range missing', composite, { a: { S: 'x' } }, 'key', SCHEMA],
    ['wrong name', hashOnly, { z: { S: 'x' } }, 'key', SCHEMA],
    ['wrong type', numeric, { a: { S: '1' }, b: { S: 'x' } }, 'key', SCHEMA],
    ['empty', hashOnly, {}, 'key', SCHEMA],
    ['empty string', hashOnly, { a: { S: '' } }, 'key', `${INVALID}The AttributeValue for a key attribute cannot contain an empty string value. Key: a`],
    ['empty binary', composite, { a: { S: 'x' }, b: { B: '' } }, 'key', `${INVALID}The AttributeValue for a key attribute cannot contain an empty binary value. Key: b`],
    ['hash too large', hashOnly, { a: { S: 'x'.repeat(2049) } }, 'key', HASH_SIZE],
    ['range too large', numeric, { a: { N: '1' }, b: { S: 'x'.repeat(1025) } }, 'key', RANGE_SIZE],
  ];
  for (const [name, tableKey, source, role, expected] of cases) {
    it(`${role}: ${name}`, () => assert.equal(message(tableKey, source, role), expected));
  }
});

describe('extractKey results', () => {
  it('returns just the key attributes of an item', () => {
    assert.deepEqual(extractKey(composite, { a: { S: 'x' }, b: { B: 'AA==' }, c: { S: 'other' } }, 'item'), {
      a: { S: 'x' },
      b: { B: 'AA==' },
    });
  });
  it('accepts the largest keys', () => {
    assert.doesNotThrow(() => extractKey(composite, { a: { S: 'x'.repeat(2048) }, b: { B: b64(1024) } }, 'key'));
    assert.doesNotThrow(() => extractKey(hashOnly, { a: { S: '€'.repeat(682) } }, 'item')); // 2046 bytes
  });
  it('accepts number keys of any size', () => {
    assert.deepEqual(extractKey(numeric, { b: { S: 'y' }, a: { N: '0' } }, 'key'), { a: { N: '0' }, b: { S: 'y' } });
  });
});
