import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ValueCipher } from '../encryption/value-cipher.js';
import { decodeSealed, lazySealed, openJson, resealStored, sealedWithOldKey, sealStored } from './sealed-value.js';
import { storedLength, writeStored } from './stored-value.js';

const oldKey = { id: 1, key: Buffer.alloc(32, 1) };
const cipher = new ValueCipher(oldKey);
const json = '{"secret":{"S":"MARKER"}}';

function stored(tag: number | undefined): Buffer {
  const bytes = Buffer.alloc(storedLength(Buffer.byteLength(json), tag));
  writeStored(bytes, 0, json, Buffer.byteLength(json), tag);
  return bytes;
}

describe('sealed LMDB values', () => {
  it('keep the tag header in clear and seal the JSON text', () => {
    const sealed = sealStored(cipher, stored(300));
    assert.deepEqual([...sealed.subarray(0, 5)], [0, 44, 1, 0, 0]);
    assert.equal(sealed[5], 1);
    assert.equal(sealed.includes(Buffer.from('MARKER')), false);
    assert.equal(openJson(cipher, sealed).toString(), json);
    assert.deepEqual(decodeSealed(cipher, sealed), { secret: { S: 'MARKER' } });
    const untagged = sealStored(cipher, stored(undefined));
    assert.equal(untagged[0], 1);
    assert.equal(openJson(cipher, untagged).toString(), json);
  });

  it('give a lazy read its tag without opening the value, and the value once asked', () => {
    const sealed = sealStored(cipher, stored(300));
    const lazy = lazySealed(cipher, sealed);
    // The buffer lmdb-js lent is reused: the lazy value must not depend on it.
    sealed.fill(0xff);
    assert.equal(lazy.tag, 300);
    assert.deepEqual(lazy.decode(), { secret: { S: 'MARKER' } });
    const cannotOpen = new ValueCipher({ id: 9, key: Buffer.alloc(32, 9) });
    assert.equal(lazySealed(cannotOpen, sealStored(cipher, stored(7))).tag, 7);
  });

  it('are re-sealed with the current key by a rotation, their tag kept', () => {
    const before = sealStored(cipher, stored(300));
    const rotated = new ValueCipher({ id: 2, key: Buffer.alloc(32, 2) }, [oldKey]);
    assert.equal(sealedWithOldKey(rotated, before), true);
    const after = resealStored(rotated, before);
    assert.equal(sealedWithOldKey(rotated, after), false);
    assert.equal(after[5], 2);
    assert.equal(lazySealed(rotated, after).tag, 300);
    assert.equal(openJson(rotated, after).toString(), json);
  });
});
