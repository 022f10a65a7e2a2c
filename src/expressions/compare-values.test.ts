import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AttributeValue } from '../model/attribute-value.js';
import { compareBinaries, compareOrdered, compareStrings, valuesEqual } from './compare-values.js';

const b64 = (...bytes: number[]): string => Buffer.from(bytes).toString('base64');

test('compareStrings orders by UTF-8 bytes (code points), not UTF-16 units', () => {
  const cases: [string, string, -1 | 0 | 1][] = [
    ['a', 'b', -1],
    ['b', 'a', 1],
    ['abc', 'abc', 0],
    ['ab', 'abc', -1],
    ['abc', 'ab', 1],
    ['', 'a', -1],
    ['Z', 'a', -1],
    // U+FF5E (3 UTF-8 bytes, EF BD 9E) sorts before U+1F600 (4 bytes, F0 9F 98 80), although its UTF-16 unit
    // 0xFF5E is above the surrogate 0xD83D.
    ['\uff5e', '\u{1f600}', -1],
    ['\u{1f600}', '\uff5e', 1],
    ['\ue000', '\ud800\udc00', -1],
    ['\u{1f600}', '\u{1f601}', -1],
    ['\u00e9', 'z', 1],
  ];
  for (const [a, b, expected] of cases) assert.equal(compareStrings(a, b), expected, `${a} vs ${b}`);
});

test('compareBinaries compares unsigned bytes', () => {
  const cases: [string, string, -1 | 0 | 1][] = [
    [b64(1, 2), b64(1, 3), -1],
    [b64(0xff), b64(0x00, 0x01), 1],
    [b64(1), b64(1, 0), -1],
    [b64(7, 7), b64(7, 7), 0],
    ['', b64(0), -1],
  ];
  for (const [a, b, expected] of cases) assert.equal(compareBinaries(a, b), expected, `${a} vs ${b}`);
});

test('compareOrdered orders only S with S, N with N, B with B', () => {
  const cases: [AttributeValue, AttributeValue, -1 | 0 | 1 | undefined][] = [
    [{ N: '10' }, { N: '9' }, 1],
    [{ N: '-1' }, { N: '0.5' }, -1],
    [{ N: '1' }, { N: '1' }, 0],
    [{ N: '-10' }, { N: '-9' }, -1],
    [{ N: '0.5' }, { N: '0.25' }, 1],
    [{ S: '10' }, { S: '9' }, -1],
    [{ B: b64(2) }, { B: b64(10) }, -1],
    [{ S: '1' }, { N: '1' }, undefined],
    [{ SS: ['a'] }, { SS: ['a'] }, undefined],
    [{ BOOL: true }, { BOOL: false }, undefined],
    [{ L: [] }, { L: [] }, undefined],
  ];
  for (const [a, b, expected] of cases) assert.equal(compareOrdered(a, b), expected, JSON.stringify([a, b]));
});

test('valuesEqual covers every type, with unordered sets (numbers arrive normalised)', () => {
  const cases: [AttributeValue, AttributeValue, boolean][] = [
    [{ S: 'a' }, { S: 'a' }, true],
    [{ S: '6' }, { N: '6' }, false],
    [{ N: '6' }, { NS: ['6'] }, false],
    [{ N: '1.5' }, { N: '1.5' }, true],
    [{ N: '2' }, { N: '3' }, false],
    [{ B: b64(1) }, { B: b64(1) }, true],
    [{ BOOL: true }, { BOOL: true }, true],
    [{ BOOL: true }, { BOOL: false }, false],
    [{ NULL: true }, { NULL: true }, true],
    [{ SS: ['a', 'b'] }, { SS: ['b', 'a'] }, true],
    [{ SS: ['a', 'b'] }, { SS: ['a', 'c'] }, false],
    [{ SS: ['a'] }, { SS: ['a', 'b'] }, false],
    [{ NS: ['1', '2.5'] }, { NS: ['2.5', '1'] }, true],
    [{ NS: ['1', '2.5'] }, { NS: ['2.5', '3'] }, false],
    [{ BS: [b64(1), b64(2)] }, { BS: [b64(2), b64(1)] }, true],
    [{ SS: ['a'] }, { BS: ['a'] }, false],
    [{ L: [{ S: 'a' }, { N: '1' }] }, { L: [{ S: 'a' }, { N: '1' }] }, true],
    [{ L: [{ S: 'a' }, { N: '1' }] }, { L: [{ N: '1' }, { S: 'a' }] }, false],
    [{ L: [] }, { L: [{ S: 'a' }] }, false],
    [{ M: { a: { S: 'x' }, b: { N: '1' } } }, { M: { b: { N: '1' }, a: { S: 'x' } } }, true],
    [{ M: { a: { S: 'x' } } }, { M: { a: { S: 'x' }, b: { N: '1' } } }, false],
    [{ M: { a: { S: 'x' }, b: { N: '1' } } }, { M: { a: { S: 'x' } } }, false],
    [{ M: {} }, { L: [] }, false],
  ];
  for (const [a, b, expected] of cases) {
    assert.equal(valuesEqual(a, b), expected, JSON.stringify([a, b]));
    assert.equal(valuesEqual(b, a), expected, `symmetric ${JSON.stringify([b, a])}`);
  }
});

test('valuesEqual compares large string sets with a hash set', () => {
  const members = Array.from({ length: 40 }, (_, i) => `m${i}`);
  assert.equal(valuesEqual({ SS: members }, { SS: [...members].reverse() }), true);
  assert.equal(valuesEqual({ SS: members }, { SS: [...members.slice(1), 'other'] }), false);
});

test('map equality looks only at own attributes', () => {
  assert.equal(valuesEqual({ M: { toString: { S: 'x' } } }, { M: {} }), false);
  assert.equal(valuesEqual({ M: {} }, { M: { toString: { S: 'x' } } }), false);
});
