/**
 * The bytes the LMDB storage keeps for a value (in LMDB and in the write-ahead log): the value's JSON text as
 * UTF-8, preceded, when the value was written with a tag (see Storage), by a 5-byte header `0x00 [u32 LE tag]`.
 *
 * Why a header rather than a wrapper object: the tag can be read from the first bytes without decoding the JSON
 * (what a lazy read is for), and the JSON text after it stays the value exactly as GetItem sends it. A JSON text
 * never starts with 0x00, so values stored without a tag (and every value stored before tags existed) are simply
 * their JSON text.
 */
import type { EncodedValue, StoredValue } from '../storage.js';
import type { CopySlab } from './copy-slab.js';

const TAGGED = 0x00;
const HEADER_BYTES = 5;

/** The stored length of a value whose JSON text takes `jsonBytes` bytes of UTF-8. */
export function storedLength(jsonBytes: number, tag: number | undefined): number {
  return tag === undefined ? jsonBytes : HEADER_BYTES + jsonBytes;
}

/** Writes a value's stored form at `offset` of `target`, which has room for storedLength(jsonBytes, tag). */
export function writeStored(target: Buffer, offset: number, json: string, jsonBytes: number, tag: number | undefined): void {
  if (tag !== undefined) {
    target[offset] = TAGGED;
    target.writeUInt32LE(tag, offset + 1);
    offset += HEADER_BYTES;
  }
  target.write(json, offset, jsonBytes, 'utf8');
}

/** Where the JSON text starts in stored bytes (after the tag header, if any). */
export function jsonStart(bytes: Uint8Array): number {
  return bytes.length > 0 && bytes[0] === TAGGED ? HEADER_BYTES : 0;
}

/** The JSON text of stored bytes, as a view of them. */
export function storedJson(bytes: Buffer): Buffer {
  const start = jsonStart(bytes);
  return start === 0 ? bytes : bytes.subarray(start);
}

/** Decodes stored bytes into the value. `bytes` may be a buffer lmdb-js reuses: nothing of it is kept. */
export function decodeStored(bytes: Buffer): unknown {
  return JSON.parse(bytes.toString('utf8', jsonStart(bytes), bytes.length));
}

/**
 * Stored bytes as an EncodedValue: the JSON text copied out of `bytes` (which lmdb-js may reuse), and the tag. The
 * copy comes from `slab` when given (a range read's: copy-slab.ts), else from Node's pool.
 */
export function encodedStored(bytes: Buffer, slab?: CopySlab): EncodedValue {
  const start = jsonStart(bytes);
  const text = bytes.subarray(start, bytes.length);
  let json: Buffer;
  if (slab !== undefined) {
    json = slab.copy(text);
  } else {
    // allocUnsafe: small buffers come from Node's pool (a fresh zeroed buffer per item cost more than the copy).
    json = Buffer.allocUnsafe(text.length);
    json.set(text);
  }
  return { json, tag: start === 0 ? undefined : bytes.readUInt32LE(1) };
}

/**
 * A stored value read lazily: the tag from the header, the JSON text copied out of `bytes` (which lmdb-js may
 * reuse for the next read), parsed only if asked for.
 */
export function lazyStored(bytes: Buffer): StoredValue {
  const start = jsonStart(bytes);
  return new LazyJson(start === 0 ? undefined : bytes.readUInt32LE(1), bytes.toString('utf8', start, bytes.length));
}

class LazyJson implements StoredValue {
  private decoded: unknown;
  private json: string | undefined;

  constructor(
    readonly tag: number | undefined,
    json: string,
  ) {
    this.json = json;
  }

  decode(): unknown {
    if (this.json !== undefined) {
      this.decoded = JSON.parse(this.json);
      this.json = undefined;
    }
    return this.decoded;
  }
}
