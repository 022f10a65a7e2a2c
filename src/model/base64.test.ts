import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { base64DecodedLength, compareBase64Bytes, isCanonicalBase64 } from './base64.js';

describe('isCanonicalBase64', () => {
  const cases: [string, boolean][] = [
    ['', true],
    ['AAAA', true],
    ['YQ==', true],
    ['YWI=', true],
    ['+/+/', true],
    ['YR==', false], // stray bits in the last character
    ['YWJ=', false],
    ['+/+=', false],
    ['=+/=', false],
    ['Y===', false],
    ['ab!d', false],
    ['abc', false],
    ['YQ=a', false],
  ];
  for (const [text, valid] of cases) it(`${JSON.stringify(text)} -> ${valid}`, () => assert.equal(isCanonicalBase64(text), valid));

  it('accepts exactly what re-encodes to itself (property)', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=';
    const candidate = fc.array(fc.constantFrom(...alphabet), { maxLength: 12 }).map((chars) => chars.join('')).filter((s) => s.length % 4 === 0);
    fc.assert(fc.property(candidate, (text) => isCanonicalBase64(text) === (Buffer.from(text, 'base64').toString('base64') === text)));
  });
});

describe('base64DecodedLength', () => {
  it('equals the decoded length (property)', () => {
    fc.assert(fc.property(fc.uint8Array(), (data) => base64DecodedLength(Buffer.from(data).toString('base64')) === data.length));
  });
});

describe('compareBase64Bytes', () => {
  const cases: [string, string, -1 | 0 | 1][] = [
    ['AA==', 'AA==', 0],
    ['AA==', '/w==', -1], // 0x00 < 0xFF although '/' < 'A' in ASCII
    ['/w==', 'AA==', 1],
    ['AA==', 'AAA=', -1], // prefix first
  ];
  for (const [a, b, expected] of cases) it(`${a} vs ${b}`, () => assert.equal(compareBase64Bytes(a, b), expected));
});
