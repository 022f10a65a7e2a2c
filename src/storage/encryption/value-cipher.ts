/**
 * The framing of everything Cairn encrypts at rest (LMDB values, write-ahead log records): AES-256-GCM with a
 * random 96-bit nonce per value, as
 *
 *   [u8 key id][12-byte nonce][ciphertext, as long as the plaintext][16-byte GCM tag]
 *
 * The key id names which key of the data directory sealed the value (encryption-state.ts numbers them 1 to 255),
 * so that a directory caught half way through a key rotation reads with both keys: a value names its own key.
 *
 * Why random nonces: values are written from many places (commits, merges, replays, a rotation) and a counter
 * would have to be persisted crash-safely for every one of them; with 96 random bits, NIST SP 800-38D allows
 * 2^32 values per key, far more than a local database writes between rotations. The nonces come from a pool
 * filled by the operating system's CSPRNG a few KB at a time, because a random-bytes call per value would cost
 * more than the encryption of a small item.
 *
 * The tag authenticates each value, not where it lies: someone who can write the files can still swap two
 * values or put back an older one (the README says so). Encryption at rest is about who can read the files.
 */
import { createCipheriv, createDecipheriv, createSecretKey, randomFillSync, type KeyObject } from 'node:crypto';

export const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** Bytes a sealed value takes beyond its plaintext. */
export const SEALED_OVERHEAD = 1 + NONCE_BYTES + TAG_BYTES;
const ALGORITHM = 'aes-256-gcm';
const NONCE_POOL_BYTES = NONCE_BYTES * 512;

export interface CipherKey {
  /** 1 to 255: the first byte of every value the key seals. */
  readonly id: number;
  readonly key: Buffer;
}

/** A sealed value whose tag does not verify (a corrupt or forged value) or whose key is not known. */
export class SealedValueError extends Error {}

export class ValueCipher {
  /**
   * By id, as KeyObjects: a cipher made from a KeyObject skips the copy and checks of a raw key, a good part of
   * the fixed cost per value (a profile of PutItem showed creating the cipher costing more than encrypting 1 KB).
   */
  private readonly keys = new Map<number, KeyObject>();
  private readonly currentKey: KeyObject;
  private readonly nonces = Buffer.allocUnsafe(NONCE_POOL_BYTES);
  private nextNonce = NONCE_POOL_BYTES;

  /** Seals with `current`; opens what `current` or any of `others` sealed. */
  constructor(
    readonly current: CipherKey,
    others: readonly CipherKey[] = [],
  ) {
    for (const key of [current, ...others]) {
      if (!(Number.isInteger(key.id) && key.id >= 1 && key.id <= 255)) throw new RangeError(`key id ${key.id} is not from 1 to 255`);
      if (key.key.length !== KEY_BYTES) throw new RangeError(`an AES-256 key has ${KEY_BYTES} bytes, not ${key.key.length}`);
      if (this.keys.has(key.id)) throw new RangeError(`two keys have the id ${key.id}`);
      this.keys.set(key.id, createSecretKey(key.key));
    }
    this.currentKey = this.keys.get(current.id) as KeyObject;
  }

  /** The id of the key that sealed `sealed` (its first byte). */
  static keyIdOf(sealed: Uint8Array): number | undefined {
    return sealed[0];
  }

  /**
   * Encrypts `plain` with the current key into a new buffer of SEALED_OVERHEAD more bytes, after `headroom`
   * bytes left for the caller (a log record's header), so that no second copy is needed.
   */
  seal(plain: Uint8Array, headroom = 0): Buffer {
    const sealed = Buffer.allocUnsafe(headroom + SEALED_OVERHEAD + plain.length);
    sealed[headroom] = this.current.id;
    const nonce = this.nonce();
    nonce.copy(sealed, headroom + 1);
    const cipher = createCipheriv(ALGORITHM, this.currentKey, nonce, { authTagLength: TAG_BYTES });
    const body = cipher.update(plain);
    body.copy(sealed, headroom + 1 + NONCE_BYTES);
    const last = cipher.final();
    // GCM is a stream mode: update returns every byte and final none, but nothing here depends on it.
    last.copy(sealed, headroom + 1 + NONCE_BYTES + body.length);
    cipher.getAuthTag().copy(sealed, sealed.length - TAG_BYTES);
    return sealed;
  }

  /** Decrypts a sealed value into a new buffer; throws SealedValueError if it does not verify. */
  open(sealed: Uint8Array): Buffer {
    if (sealed.length < SEALED_OVERHEAD) throw new SealedValueError(`a sealed value of ${sealed.length} bytes is too short`);
    const id = sealed[0] as number;
    const key = this.keys.get(id);
    if (key === undefined) throw new SealedValueError(`a value is sealed with key ${id}, which is not among the keys given`);
    const view = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.length);
    const decipher = createDecipheriv(ALGORITHM, key, view.subarray(1, 1 + NONCE_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAuthTag(view.subarray(view.length - TAG_BYTES));
    const body = decipher.update(view.subarray(1 + NONCE_BYTES, view.length - TAG_BYTES));
    try {
      const last = decipher.final();
      return last.length === 0 ? body : Buffer.concat([body, last]);
    } catch {
      throw new SealedValueError(`a value sealed with key ${id} does not verify (corrupt, or not written by this key)`);
    }
  }

  /** Whether `sealed` was sealed with a key other than the current one (a rotation re-encrypts it). */
  isStale(sealed: Uint8Array): boolean {
    return sealed[0] !== this.current.id;
  }

  private nonce(): Buffer {
    if (this.nextNonce + NONCE_BYTES > NONCE_POOL_BYTES) {
      randomFillSync(this.nonces);
      this.nextNonce = 0;
    }
    const nonce = this.nonces.subarray(this.nextNonce, this.nextNonce + NONCE_BYTES);
    this.nextNonce += NONCE_BYTES;
    return nonce;
  }
}
