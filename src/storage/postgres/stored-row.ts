/**
 * What the PostgreSQL engine sends and gets back for a value: its JSON text as UTF-8 bytes in `value`, its tag
 * (see storage.ts) in a column of its own, so a lazy read has the tag without decoding anything.
 */
import type { StoredValue } from '../storage.js';

export interface ValueRow {
  readonly value: Buffer;
  /** bigint comes back as text from node-postgres; null when written without a tag. */
  readonly tag: string | null;
}

/** The JSON text of a value, as stored (the same text the LMDB engine keeps). */
export function encodeValue(value: unknown): Buffer {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError('storage value is not JSON-compatible');
  return Buffer.from(json, 'utf8');
}

export function decodeValue(bytes: Buffer): unknown {
  return JSON.parse(bytes.toString('utf8'));
}

export function tagOf(row: ValueRow): number | undefined {
  return row.tag === null ? undefined : Number(row.tag);
}

/** A value read lazily: the tag at once, the JSON parsed on the first decode(). */
export class LazyRow implements StoredValue {
  readonly tag: number | undefined;
  private bytes: Buffer | undefined;
  private decoded: unknown;

  constructor(row: ValueRow) {
    this.tag = tagOf(row);
    this.bytes = row.value;
  }

  decode(): unknown {
    if (this.bytes !== undefined) {
      this.decoded = decodeValue(this.bytes);
      this.bytes = undefined;
    }
    return this.decoded;
  }
}

/** A key as the interface hands keys out: a plain Uint8Array (not node-postgres's Buffer), as every engine does. */
export function plainKey(key: Buffer): Uint8Array {
  return new Uint8Array(key.buffer, key.byteOffset, key.length);
}
