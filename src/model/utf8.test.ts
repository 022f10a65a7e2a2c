import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compareUtf8, utf8Length } from './utf8.js';

describe('utf8Length', () => {
  const cases: [string, number][] = [
    ['', 0],
    ['abc', 3],
    ['é', 2],
    ['€', 3],
    ['😀', 4],
    ['\uD800', 3], // a lone surrogate is written as U+FFFD
    ['\uD800a', 4],
    ['\uDC00', 3],
    // Long strings take the native path: the same counts.
    [`${'x'.repeat(30)}\uD800`, 33],
    ['é'.repeat(30), 60],
    ['😀'.repeat(20), 80],
  ];
  for (const [text, length] of cases) it(`${JSON.stringify(text)} -> ${length}`, () => assert.equal(utf8Length(text), length));

  it('equals the length of the encoded bytes (property)', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => utf8Length(text) === Buffer.byteLength(text, 'utf8')));
  });
});

describe('compareUtf8', () => {
  const cases: [string, string, -1 | 0 | 1][] = [
    ['a', 'a', 0],
    ['a', 'b', -1],
    ['b', 'a', 1],
    ['a', 'ab', -1],
    ['', 'a', -1],
    ['\uFFFD', '😀', -1], // UTF-16 order would say the opposite
    ['😀', '\uE000', 1],
  ];
  for (const [a, b, expected] of cases) it(`${JSON.stringify(a)} vs ${JSON.stringify(b)}`, () => assert.equal(compareUtf8(a, b), expected));

  it('agrees with comparing the UTF-8 bytes of well-formed strings (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (a, b) => {
        return compareUtf8(a, b) === Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b)));
      }),
    );
  });
});
