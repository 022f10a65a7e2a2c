/**
 * The bytes an encrypted LMDB storage keeps for a value: the stored form of stored-value.ts with its JSON text
 * sealed (src/storage/encryption/value-cipher.ts) and its tag header, if any, left in clear in front:
 *
 *   [0x00 u32-LE tag][key id, nonce, sealed JSON text, GCM tag]   or   [key id, nonce, sealed JSON text, GCM tag]
 *
 * A key id is never 0, so the two forms are told apart by the first byte, as plain stored values are.
 *
 * Why the tag stays in clear: it is what a lazy read is for (the write path learns an old item's size without
 * decoding it), and a sealed header would cost a decryption for every item a write replaces. The tag is the item's
 * size, which the length of the sealed value shows anyway.
 */
import type { EncodedValue, StoredValue } from '../storage.js';
import type { ValueCipher } from '../encryption/value-cipher.js';
import { jsonStart } from './stored-value.js';

/** Seals stored bytes (stored-value.ts) for LMDB. */
export function sealStored(cipher: ValueCipher, stored: Uint8Array): Buffer {
  const start = jsonStart(stored);
  const sealed = cipher.seal(start === 0 ? stored : stored.subarray(start), start);
  if (start > 0) sealed.set(stored.subarray(0, start), 0);
  return sealed;
}

/** The JSON text of a sealed LMDB value, in a new buffer. */
export function openJson(cipher: ValueCipher, bytes: Buffer): Buffer {
  const start = jsonStart(bytes);
  return cipher.open(start === 0 ? bytes : bytes.subarray(start));
}

/** Decodes a sealed LMDB value. `bytes` may be a buffer lmdb-js reuses: nothing of it is kept. */
export function decodeSealed(cipher: ValueCipher, bytes: Buffer): unknown {
  return JSON.parse(openJson(cipher, bytes).toString('utf8'));
}

/** A sealed LMDB value as an EncodedValue: its JSON text opened (into a new buffer), its tag from the clear header. */
export function encodedSealed(cipher: ValueCipher, bytes: Buffer): EncodedValue {
  const start = jsonStart(bytes);
  return { json: openJson(cipher, bytes), tag: start === 0 ? undefined : bytes.readUInt32LE(1) };
}

/** Whether a sealed LMDB value was sealed with a key other than the cipher's current one (see key rotation). */
export function sealedWithOldKey(cipher: ValueCipher, bytes: Buffer): boolean {
  return cipher.isStale(bytes.subarray(jsonStart(bytes)));
}

/** Re-seals a sealed LMDB value with the cipher's current key, its tag header kept. */
export function resealStored(cipher: ValueCipher, bytes: Buffer): Buffer {
  const start = jsonStart(bytes);
  const sealed = cipher.seal(openJson(cipher, bytes), start);
  if (start > 0) bytes.copy(sealed, 0, 0, start);
  return sealed;
}

/**
 * A sealed value read lazily: the tag from the clear header; the sealed JSON text copied out of `bytes` (which
 * lmdb-js may reuse for the next read), opened and parsed only if asked for.
 */
export function lazySealed(cipher: ValueCipher, bytes: Buffer): StoredValue {
  const start = jsonStart(bytes);
  return new LazySealed(cipher, start === 0 ? undefined : bytes.readUInt32LE(1), Buffer.from(bytes.subarray(start)));
}

class LazySealed implements StoredValue {
  private decoded: unknown;
  private sealed: Buffer | undefined;

  constructor(
    private readonly cipher: ValueCipher,
    readonly tag: number | undefined,
    sealed: Buffer,
  ) {
    this.sealed = sealed;
  }

  decode(): unknown {
    if (this.sealed !== undefined) {
      this.decoded = JSON.parse(this.cipher.open(this.sealed).toString('utf8'));
      this.sealed = undefined;
    }
    return this.decoded;
  }
}
