/**
 * The storage interface: an ordered key-value store divided into named spaces, with atomic
 * read-decide-write commits. It is deliberately small so that a SQL engine can implement it
 * (a table `kv(space text, key bytea, value bytea, primary key (space, key))`, `SELECT ... FOR UPDATE` for the
 * reads of an atomic commit, ordered range scans on the primary key).
 *
 * Spaces in use (every later capability adds its own):
 * - `catalog`: table metadata, keyed by `<region>/<tableName>`.
 * - `t/<tableId>`: a table's items, keyed by the key encoding of src/model/key-encoding.ts.
 * - `catalog-version`: one counter that every catalog change increments (src/engine/catalog-version.ts).
 * - `leases`: which process runs each piece of background work (src/engine/leases.ts).
 * - `capacity-ledger`: what each process consumed lately, for the others' buckets (src/capacity/capacity-ledger.ts).
 * - `report-slices`: each process's access-pattern report slices, for the others' reports (src/observe/fleet-slices.ts).
 *
 * Values are JSON-compatible objects. Callers never mutate a value they passed in or got back: an engine may
 * hand out the very object it stores.
 *
 * A write may also give a tag: a small non-negative integer kept beside the value, which a lazy read of an atomic
 * commit returns without decoding the value (a SQL engine keeps it in a column of its own). The write path tags
 * an item with its size, so a write that replaces an item learns the old size without decoding the old item.
 */

export type Space = string;

export interface KeyValue {
  readonly key: Uint8Array;
  readonly value: unknown;
}

/** A key to read inside an atomic commit, before the decide function runs. */
export interface ReadRequest {
  readonly space: Space;
  readonly key: Uint8Array;
  /**
   * Hand `decide` a StoredValue (undefined where absent) instead of the value: its tag comes without decoding the
   * value, which is decoded only if `decide` asks for it.
   */
  readonly lazy?: boolean;
  /**
   * The commit reads this key but never writes it (every item commit reads the catalog version): an engine may
   * leave out what it does to make writers of one key take turns, which would otherwise make all those commits
   * wait for each other. Their isolation is unchanged.
   */
  readonly readOnly?: boolean;
}

/** A value read lazily inside an atomic commit (see ReadRequest.lazy). */
export interface StoredValue {
  /** The tag the value was written with; undefined if it was written without one. */
  readonly tag: number | undefined;
  /** The value, decoded on the first call. Call it only inside the commit's `decide`. */
  decode(): unknown;
}

/** One change of an atomic commit: `value: undefined` deletes the key. */
export interface WriteRequest {
  readonly space: Space;
  readonly key: Uint8Array;
  readonly value: unknown;
  /** An integer from 0 to 2^32 - 1 kept beside the value, for lazy reads (see above). Ignored for a delete. */
  readonly tag?: number;
}

export interface Decision<T> {
  readonly writes: readonly WriteRequest[];
  /**
   * Spaces whose every key the commit removes (a dropped table's items, index entries and stream records),
   * atomically with its writes: a crash never leaves the writes without the removal, nor brings removed keys back.
   * A commit may not also write into a space it clears. The commit resolves once the keys are gone.
   */
  readonly clearSpaces?: readonly Space[];
  readonly result: T;
}

/**
 * Decides, from the current values of the keys it asked for (in request order; `undefined` where absent), what
 * to write. It runs synchronously inside the commit, so nothing else writes those keys between the reads and
 * the writes. It may throw (a DynamoDbError such as ConditionalCheckFailedException) to abort: then nothing is
 * written and the promise of `atomic` rejects with that error. It must not have side effects, because an engine
 * may run it again (e.g. a SQL engine retrying a serialization failure).
 */
export type Decide<T> = (current: readonly unknown[]) => Decision<T>;

/**
 * A value as an engine that keeps values as JSON stores it (Storage.rangeEncoded): its UTF-8 JSON text, not
 * decoded, and the tag it was written with (undefined if none).
 */
export interface EncodedValue {
  readonly json: Uint8Array;
  readonly tag: number | undefined;
}

export interface EncodedKeyValue {
  readonly key: Uint8Array;
  readonly value: EncodedValue;
}

export interface RangeOptions {
  /** Inclusive lower bound (default: the start of the space). */
  readonly start?: Uint8Array;
  /** Exclusive upper bound (default: the end of the space). */
  readonly end?: Uint8Array;
  /** Descending key order. Bounds keep their meaning (start inclusive, end exclusive). */
  readonly reverse?: boolean;
  readonly limit?: number;
}

export interface Storage {
  /**
   * True when other processes may commit to the same data (a database server several Cairn processes share).
   * The engine then checks in each item commit that the table metadata it decided with is still current, and runs
   * background work under leases; absent or false (memory, LMDB: one process per data directory), it skips both.
   */
  readonly multiProcess?: boolean;
  /** The latest committed value of a key. */
  get(space: Space, key: Uint8Array): Promise<unknown>;
  /**
   * Optional: the latest committed value as the UTF-8 JSON text the engine stores it as (undefined where
   * absent). An engine that keeps values as JSON offers it so that a read can be answered with the stored bytes,
   * without a parse and a serialization; callers fall back to `get` where it is missing. The bytes may be shared
   * with later reads of the same value (an encrypted LMDB keeps values it decrypted): callers must not change them.
   */
  getEncoded?(space: Space, key: Uint8Array): Promise<Uint8Array | undefined>;
  /**
   * The keys of a space in bytewise order (unsigned), within the bounds. Iteration sees committed data; it is
   * lazy, so a caller that stops early (a 1 MB page) does not pay for the rest.
   */
  range(space: Space, options?: RangeOptions): AsyncIterable<KeyValue>;
  /**
   * Optional: `range` with each value as the JSON text the engine stores it as, and its tag, undecoded (see
   * getEncoded), so that a page of items can be answered with their stored bytes. The bytes are the caller's.
   */
  rangeEncoded?(space: Space, options?: RangeOptions): AsyncIterable<EncodedKeyValue>;
  /**
   * Reads the given keys, lets `decide` choose the writes, and commits them atomically. Resolves only once the
   * commit is durable (survives kill -9), unless the storage is in-memory.
   */
  atomic<T>(reads: readonly ReadRequest[], decide: Decide<T>): Promise<T>;
  /**
   * Removes every key of a space, durably (a commit whose decision clears it: see Decision.clearSpaces).
   */
  clearSpace(space: Space): Promise<void>;
  /** Flushes and closes. Further calls fail. */
  close(): Promise<void>;
}
