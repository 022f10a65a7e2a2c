import { test } from 'node:test';
import assert from 'node:assert/strict';
import { composeKey, spaceKeys } from './space-keys.js';

test('spaceKeys: the prefix ends in 0x00 and the limit in 0x01', () => {
  const { prefix, limit } = spaceKeys('t/ab');
  assert.deepEqual([...prefix], [0x74, 0x2f, 0x61, 0x62, 0x00]);
  assert.deepEqual([...limit], [0x74, 0x2f, 0x61, 0x62, 0x01]);
  assert.deepEqual([...spaceKeys('é').prefix], [0xc3, 0xa9, 0x00]);
});

test('composeKey puts the key after the prefix', () => {
  const { prefix } = spaceKeys('s');
  assert.deepEqual([...composeKey(prefix, Uint8Array.of(0xff, 0x00))], [0x73, 0x00, 0xff, 0x00]);
  assert.deepEqual([...composeKey(prefix, new Uint8Array(0))], [0x73, 0x00]);
  assert.throws(() => composeKey(prefix, 'text' as unknown as Uint8Array), {
    name: 'TypeError',
    message: 'storage key must be a Uint8Array',
  });
});

test('the key ranges of spaces never overlap, even when one name is a prefix of the other', () => {
  const names = ['t', 't/', 't/a', 't/a/b', 't/ab', 't/b', 'u', 't\u0001', '\u00ff'];
  const highest = new Uint8Array(64).fill(0xff);
  for (const a of names) {
    for (const b of names) {
      if (a === b) continue;
      const first = spaceKeys(a);
      const second = spaceKeys(b);
      // Every key of `a` lies in [prefix, limit) of `a` and outside [prefix, limit) of `b`.
      for (const key of [new Uint8Array(0), Uint8Array.of(0x00), highest]) {
        const composed = composeKey(first.prefix, key);
        assert.ok(Buffer.compare(composed, first.prefix) >= 0 && Buffer.compare(composed, first.limit) < 0);
        const inOther = Buffer.compare(composed, second.prefix) >= 0 && Buffer.compare(composed, second.limit) < 0;
        assert.equal(inOther, false, `${JSON.stringify(a)} key ${Buffer.from(key).toString('hex')} in ${JSON.stringify(b)}`);
      }
    }
  }
});

test('spaceKeys rejects names that cannot be kept apart', () => {
  for (const name of ['', 'a\u0000', '\u0000']) {
    assert.throws(() => spaceKeys(name), { name: 'TypeError', message: `invalid storage space name ${JSON.stringify(name)}` });
  }
});
