import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareBytes } from './compare-bytes.js';

const cases: ReadonlyArray<readonly [number[], number[], -1 | 0 | 1]> = [
  [[], [], 0],
  [[], [0x00], -1],
  [[0x00], [], 1],
  [[0x00], [0x00], 0],
  [[0x7f], [0x80], -1], // unsigned: 0x80 is not negative
  [[0x80], [0xff], -1],
  [[0xff], [0x00], 1],
  [[0x01, 0x02], [0x01], 1], // a prefix sorts first
  [[0x01], [0x01, 0x00], -1],
  [[0x01, 0xff], [0x02], -1],
  [[0x61, 0x62, 0x63], [0x61, 0x62, 0x63], 0],
];

test('compareBytes orders bytes unsigned, prefixes first', () => {
  for (const [a, b, expected] of cases) {
    assert.equal(Math.sign(compareBytes(Uint8Array.from(a), Uint8Array.from(b))), expected, `${a} vs ${b}`);
  }
});

test('compareBytes agrees with Buffer.compare on random keys', () => {
  let seed = 7;
  const random = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const randomKey = (): Uint8Array => Uint8Array.from({ length: Math.floor(random() * 4) }, () => Math.floor(random() * 256));
  for (let i = 0; i < 2000; i++) {
    const a = randomKey();
    const b = randomKey();
    assert.equal(Math.sign(compareBytes(a, b)), Buffer.compare(a, b));
  }
});
