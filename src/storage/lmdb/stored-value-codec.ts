/**
 * How lmdb-js decodes the values it reads (get, ranges), for a plain or an encrypted store. It is never asked to
 * encode: every put hands it the stored bytes (asBinary). `decode` gets a buffer lmdb-js reuses, and keeps nothing
 * of it.
 *
 * An encoded range (Storage.rangeEncoded) wants the values undecoded. lmdb-js decodes a range's values with the
 * store's one decoder, inside each synchronous step of the range's iterator, so the codec has a switch that is on
 * only for the length of such a step (readingEncoded): no other read can run in between.
 */
import type { ValueCipher } from '../encryption/value-cipher.js';
import { decodeSealed, encodedSealed, sealStored } from './sealed-value.js';
import { decodeStored, encodedStored } from './stored-value.js';
import type { CopySlab } from './copy-slab.js';

export class StoredValueCodec {
  private encoded = false;
  /** Where the values of the current encoded read are copied (a range read's slab), if anywhere in particular. */
  private slab: CopySlab | undefined;

  constructor(private readonly cipher: ValueCipher | undefined) {}

  readonly encode = (value: unknown): Buffer => {
    const bytes = Buffer.from(encodeValue(value), 'utf8');
    return this.cipher === undefined ? bytes : sealStored(this.cipher, bytes);
  };

  readonly decode = (bytes: Buffer): unknown => {
    if (this.encoded) return this.cipher === undefined ? encodedStored(bytes, this.slab) : encodedSealed(this.cipher, bytes);
    return this.cipher === undefined ? decodeStored(bytes) : decodeSealed(this.cipher, bytes);
  };

  /**
   * Runs one synchronous read of lmdb-js with the values it decodes handed out as EncodedValues, their JSON copied
   * into `slab` when given.
   */
  readingEncoded<T>(read: () => T, slab?: CopySlab): T {
    this.encoded = true;
    this.slab = slab;
    try {
      return read();
    } finally {
      this.encoded = false;
      this.slab = undefined;
    }
  }
}

/** The JSON text a value is stored as (the log writes it as UTF-8 straight into its record). */
export function encodeValue(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError('storage value is not JSON-compatible');
  return json;
}
