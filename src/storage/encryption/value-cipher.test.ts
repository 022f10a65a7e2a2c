import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SEALED_OVERHEAD, SealedValueError, ValueCipher } from './value-cipher.js';

const KEY_A = Buffer.alloc(32, 0xa1);
const KEY_B = Buffer.alloc(32, 0xb2);
const plain = Buffer.from('{"id":{"S":"marker"}}');

describe('ValueCipher framing', () => {
  it('seals as key id, 12-byte nonce, ciphertext and 16-byte tag, and opens it back', () => {
    const cipher = new ValueCipher({ id: 7, key: KEY_A });
    const sealed = cipher.seal(plain);
    assert.equal(sealed.length, plain.length + SEALED_OVERHEAD);
    assert.equal(SEALED_OVERHEAD, 29);
    assert.equal(sealed[0], 7);
    assert.equal(ValueCipher.keyIdOf(sealed), 7);
    assert.equal(sealed.includes(Buffer.from('marker')), false);
    assert.deepEqual(cipher.open(sealed), plain);
  });

  it('uses a fresh nonce for every value: the same plaintext never seals to the same bytes', () => {
    const cipher = new ValueCipher({ id: 1, key: KEY_A });
    const nonces = new Set<string>();
    // More than one pool of nonces, so that a refill is crossed too.
    for (let i = 0; i < 1200; i++) nonces.add(cipher.seal(plain).subarray(1, 13).toString('hex'));
    assert.equal(nonces.size, 1200);
  });

  it('leaves headroom before the sealed value when asked', () => {
    const cipher = new ValueCipher({ id: 1, key: KEY_A });
    const sealed = cipher.seal(plain, 8);
    assert.equal(sealed.length, 8 + SEALED_OVERHEAD + plain.length);
    assert.deepEqual(cipher.open(sealed.subarray(8)), plain);
  });

  it('seals and opens empty values', () => {
    const cipher = new ValueCipher({ id: 1, key: KEY_A });
    assert.deepEqual(cipher.open(cipher.seal(Buffer.alloc(0))), Buffer.alloc(0));
  });

  it('refuses a value whose any byte was changed', () => {
    const cipher = new ValueCipher({ id: 1, key: KEY_A });
    const sealed = cipher.seal(plain);
    for (let i = 1; i < sealed.length; i++) {
      const tampered = Buffer.from(sealed);
      tampered[i] = (tampered[i] as number) ^ 0x01;
      assert.throws(() => cipher.open(tampered), SealedValueError, `byte ${i}`);
    }
  });

  it('refuses a value sealed by another key with the same id, a truncated value and an unknown key id', () => {
    const a = new ValueCipher({ id: 1, key: KEY_A });
    const b = new ValueCipher({ id: 1, key: KEY_B });
    assert.throws(() => a.open(b.seal(plain)), { name: 'Error', message: 'a value sealed with key 1 does not verify (corrupt, or not written by this key)' });
    assert.throws(() => a.open(a.seal(plain).subarray(0, 28)), { message: 'a sealed value of 28 bytes is too short' });
    const other = new ValueCipher({ id: 2, key: KEY_B });
    assert.throws(() => a.open(other.seal(plain)), { message: 'a value is sealed with key 2, which is not among the keys given' });
  });

  it('opens values of every key it holds and seals with the current one (a key rotation)', () => {
    const old = new ValueCipher({ id: 1, key: KEY_A });
    const both = new ValueCipher({ id: 2, key: KEY_B }, [{ id: 1, key: KEY_A }]);
    const before = old.seal(plain);
    assert.equal(both.isStale(before), true);
    assert.deepEqual(both.open(before), plain);
    const after = both.seal(plain);
    assert.equal(after[0], 2);
    assert.equal(both.isStale(after), false);
  });

  it('refuses keys that are not 256 bits, ids outside 1 to 255 and two keys with one id', () => {
    assert.throws(() => new ValueCipher({ id: 1, key: Buffer.alloc(16) }), { message: 'an AES-256 key has 32 bytes, not 16' });
    assert.throws(() => new ValueCipher({ id: 0, key: KEY_A }), { message: 'key id 0 is not from 1 to 255' });
    assert.throws(() => new ValueCipher({ id: 1, key: KEY_A }, [{ id: 1, key: KEY_B }]), { message: 'two keys have the id 1' });
  });
});
