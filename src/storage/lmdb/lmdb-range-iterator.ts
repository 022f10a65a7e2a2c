/**
 * Lazy range iteration over one space of an LMDB environment.
 *
 * lmdb-js opens the cursor when iteration begins and keeps its read transaction until it ends, so the
 * iterator reads one snapshot even while commits happen between steps (LMDB's MVCC). The price: a snapshot
 * pins the pages it sees, so iteration must be finished or `return()`ed (for-await does both) or the file
 * grows. Nothing is read beyond what the caller consumes.
 *
 * lmdb-js's reverse ranges run from `start` down to `end`, the opposite of our bounds (start inclusive below,
 * end exclusive above, in either direction). So a reverse scan asks lmdb-js to start at our `end`, excluded
 * (`exclusiveStart`), and to stop at our `start`, included (`inclusiveEnd`). Without bounds, the space's own
 * limits take their place.
 */
import type { RangeOptions as LmdbRangeOptions } from 'lmdb';
import type { KeyValue, RangeOptions } from '../storage.js';
import type { LmdbDatabase } from './lmdb-storage.js';
import { type SpaceKeys, composeKey } from './space-keys.js';
import type { StoredValueCodec } from './stored-value-codec.js';
import { CopySlab } from './copy-slab.js';

/** The blocks an encoded range copies its values into (8 KB, 16 KB, ... 64 KB): a 1 MB page takes some 20. */
const FIRST_SLAB_BYTES = 8 * 1024;
const MAX_SLAB_BYTES = 64 * 1024;

interface LmdbEntry {
  readonly key: Buffer;
  readonly value: unknown;
}

export class LmdbRangeIterator implements AsyncIterator<KeyValue> {
  private readonly entries: Iterator<LmdbEntry>;
  private readonly prefixLength: number;
  /** An encoded range's copies of its values (copy-slab.ts). */
  private readonly slab: CopySlab | undefined;
  private done = false;

  constructor(
    db: LmdbDatabase,
    keys: SpaceKeys,
    options: RangeOptions,
    private readonly registry: Set<LmdbRangeIterator>,
    /** The store's codec, for a range whose values are wanted undecoded (EncodedValues). */
    private readonly encoded?: StoredValueCodec,
  ) {
    this.prefixLength = keys.prefix.length;
    this.slab = encoded === undefined ? undefined : new CopySlab(FIRST_SLAB_BYTES, MAX_SLAB_BYTES);
    const lower = options.start === undefined ? keys.prefix : composeKey(keys.prefix, options.start);
    const upper = options.end === undefined ? keys.limit : composeKey(keys.prefix, options.end);
    const limit = options.limit === undefined ? undefined : Math.max(0, options.limit);
    const lmdbOptions: LmdbRangeOptions = options.reverse === true
      ? { start: upper, end: lower, reverse: true, exclusiveStart: true, inclusiveEnd: true, limit }
      : { start: lower, end: upper, limit };
    // This opens the cursor and its read snapshot; entries are then read one per next().
    this.entries = (db.getRange(lmdbOptions) as Iterable<LmdbEntry>)[Symbol.iterator]();
    registry.add(this);
  }

  next(): Promise<IteratorResult<KeyValue>> {
    if (this.done) return DONE;
    try {
      const step = this.encoded === undefined ? this.entries.next() : this.encoded.readingEncoded(() => this.entries.next(), this.slab);
      if (step.done === true) return this.finish();
      const entry = step.value;
      // lmdb-js hands out a fresh copy of each key, so a view past the prefix is safe to give away. A plain
      // Uint8Array view rather than Buffer's subarray: every engine returns the same type.
      const key = entry.key;
      return Promise.resolve({
        value: {
          key: new Uint8Array(key.buffer, key.byteOffset + this.prefixLength, key.length - this.prefixLength),
          value: entry.value,
        },
        done: false,
      });
    } catch (error) {
      void this.finish();
      return Promise.reject(error);
    }
  }

  return(): Promise<IteratorResult<KeyValue>> {
    return this.finish();
  }

  private finish(): Promise<IteratorResult<KeyValue>> {
    if (!this.done) {
      this.done = true;
      this.registry.delete(this);
      // Closes the cursor and releases the read snapshot (a no-op if lmdb-js already did at the end).
      this.entries.return?.();
    }
    return DONE;
  }
}

const DONE: Promise<IteratorResult<KeyValue>> = Promise.resolve({ value: undefined, done: true });
