/**
 * The durable Storage: one LMDB environment (lmdb-js) in a directory, all spaces in its main database with
 * space-prefixed keys (see space-keys.ts).
 *
 * Commits. `atomic` runs synchronously: it reads the current values (pending writes first, then LMDB), lets
 * `decide` choose the writes, checks and encodes all of them before applying any (so a throwing decide or a bad
 * write leaves no trace), applies them to the pending writes (pending-writes.ts) and appends them as one record
 * to the write-ahead log (write-ahead-log.ts). Because it never yields in between, commits are serializable.
 *
 * Durability. `atomic` resolves once the log record is on disk (fdatasync, group-committed with every other
 * commit of the same moment). The pending writes reach LMDB later, in merges: one ordinary LMDB transaction,
 * with LMDB's own fsync (LMDB never runs with noSync here, so it is consistent after any crash), after which the
 * merged log segments are deleted. The point of the log: an LMDB commit of N random keys fsyncs N scattered pages (about 1.6 ms for 64 on this class of
 * disk), a log append is one sequential write; merges of thousands of writes amortise LMDB's cost.
 * A read may see a commit whose log record is still being synced (for well under a millisecond): if the process
 * dies in that window, that commit was never acknowledged and is gone, though a reader saw it.
 *
 * Merges run when enough writes are pending (MERGE_AT) or after MERGE_EVERY_MS, one at a time; reads, commits
 * and range iterations go on during a merge (an iteration reads snapshots of both LMDB and the pending writes).
 *
 * One process per data directory: the pending writes live in this process's memory, so the directory is locked
 * (directory-lock.ts). (Several front ends share a store through the SQL backend, not through LMDB.)
 *
 * A full or failing disk. If the log cannot be written, the commits waiting for it and every later commit are
 * refused (an error, never an acknowledgement), reads go on, and the log tries again by itself until it can be
 * written (write-ahead-log.ts has the details). No merge runs meanwhile (a merge needs the log to be on disk).
 * A merge that fails (LMDB cannot grow its file) leaves its writes pending and logged; a later merge tries again.
 *
 * Recovery. A log left by a crash is loaded into the pending writes, as if its commits had just been made (their
 * values decoded only when first read), and the store serves at once; the ordinary merges then move those writes
 * into LMDB in the background, a segment at a time, deleting each segment once LMDB has its writes, as they do
 * for any commit. Until then the segments stay, so a crash during those merges finds them all again, and replaying
 * writes LMDB already has gives the same store. Why not replay into LMDB before serving: with 1,000,000 items
 * and a 100 MB log, that took 13 to 15 s before the first answer (LMDB's page writes scattered through the file
 * and their syncs); loading the log takes a fraction of a second, and a restart needs no free disk space. A clear
 * of a space in the log is applied to LMDB at once (the space's keys removed, synchronously: it is rare, and reads
 * must not see the rows of a dropped table meanwhile).
 *
 * Clearing spaces (Decision.clearSpaces, clearSpace) is logged in the commit's record, before its writes, and a
 * segment holding a clear is kept until LMDB no longer holds any key of the space: so recovery after a crash
 * removes the space's keys again (those merged and those only logged) rather than bringing back the rows of a
 * dropped table.
 *
 * Values are stored as JSON text (behind a small header when they carry a tag: stored-value.ts), not with
 * lmdb-js's default msgpack: msgpackr renames an object key `__proto__` to `__proto_` on decoding (a guard
 * against prototype pollution), and an attribute may well be called `__proto__`; it also cannot carry lone UTF-16
 * surrogates, which JSON escapes. JSON.parse returns plain objects with own properties for every key and is about
 * as fast for these small objects. lmdb-js decodes them with a StoredValueCodec; writes always hand it finished bytes.
 *
 * Encryption at rest (an `encryption` option; src/storage/encryption/). The keys given are checked against the
 * directory before anything is read (encryption-state.ts). Then every value is sealed where it goes to disk and
 * opened where it comes back: LMDB values are sealed one by one when a merge or a replay writes them
 * (sealed-value.ts) and opened by every read of LMDB (get, getEncoded, ranges, and a lazy read once its value
 * is decoded: its tag stays in clear); log records are sealed in frames, one per flush (write-ahead-log.ts).
 * Pending writes stay in clear: they live in this process's memory, not at rest, and reads of them cost nothing
 * more. Storage keys stay in clear, in their order (README). A merge seals its values in slices between which
 * other work runs, so that a merge of thousands of writes does not stall requests for the time of their
 * encryption. A key rotation re-encrypts, in the background, every LMDB value still sealed with the previous key
 * (rotateKey below).
 *
 * Keys. `pageSize: 8192` raises LMDB's key limit from 1978 to 4026 bytes, the most lmdb-js supports, because
 * a DynamoDB key may hold 2048 bytes of partition key and 1024 of sort key before our encoding and prefix.
 */
import { mkdirSync, statSync } from 'node:fs';
import { asBinary, open, type RootDatabase } from 'lmdb';
import type { Decide, Decision, EncodedKeyValue, KeyValue, RangeOptions, ReadRequest, Space, Storage, StoredValue, WriteRequest } from '../storage.js';
import { storageClosedError } from '../storage-closed-error.js';
import { assertStorageTag } from '../storage-tag.js';
import { checkClears } from '../check-clears.js';
import { join } from 'node:path';
import { LmdbRangeIterator } from './lmdb-range-iterator.js';
import { MergedRangeIterator } from './merged-range-iterator.js';
import { PendingEntry, PendingWrites, type PendingWrite } from './pending-writes.js';
import { lazyStored, storedJson } from './stored-value.js';
import { encodeValue, StoredValueCodec } from './stored-value-codec.js';
import { DirectoryLock } from './directory-lock.js';
import { recoverLog, WriteAheadLog, type RecoveredLog, type WriteAheadLogOptions, type WriteToLog } from './write-ahead-log.js';
import { type SpaceKeys, composeKey, spaceKeys } from './space-keys.js';
import { openEncryption, type EncryptionKeys, type OpenedEncryption } from '../encryption/encryption-state.js';
import type { ValueCipher } from '../encryption/value-cipher.js';
import { OpenedValues } from './opened-values.js';
import { lazySealed, openJson, resealStored, sealedWithOldKey, sealStored } from './sealed-value.js';

export interface LmdbStorageOptions {
  /** The directory of the environment (created if missing; holds data.mdb and lock.mdb). */
  readonly path: string;
  /** Concurrent read snapshots: each open range iteration may pin one. */
  readonly maxReaders?: number;
  /** Merge pending writes into LMDB once this many are pending (default MERGE_AT). */
  readonly mergeAt?: number;
  /** Merge whatever is pending this often (default MERGE_EVERY_MS; tests let the log grow). */
  readonly mergeEveryMs?: number;
  /** Options of the write-ahead log (tests inject failing files). */
  readonly log?: WriteAheadLogOptions;
  /** Encrypt values and log records at rest with these keys (see the header). */
  readonly encryption?: EncryptionKeys;
  /** Values re-encrypted per LMDB transaction by a key rotation (default ROTATE_BATCH). */
  readonly rotateBatch?: number;
  /** Bytes of values read from LMDB kept for reads of whole items (opened-values.ts; default 32 MiB, 0: none). */
  readonly openedValuesBytes?: number;
  /** Called once a key rotation has re-encrypted every value: the previous key is no longer needed. */
  readonly onKeyRotated?: () => void;
}

/** Pending writes that start a merge: large enough to amortise LMDB's page writes, small enough for memory. */
const MERGE_AT = 5_000;
/** A merge also happens this often while anything is pending, so the log stays short. */
const MERGE_EVERY_MS = 1000;

/** LMDB's largest key with 8 KiB pages, as enforced by lmdb-js. */
export const MAX_LMDB_KEY_BYTES = 4026;

/** Keys removed per transaction by clearSpace: bounds how long one commit holds the writer. */
const CLEAR_BATCH = 2000;
/** A clear that failed (LMDB could not commit) is tried again after this long. */
const CLEAR_RETRY_MS = 1000;
/** Values a key rotation re-encrypts per LMDB transaction: each holds the writer (and this thread) briefly. */
const ROTATE_BATCH = 500;
/** Bytes of values read from LMDB (decrypted, in an encrypted store) kept for reads (opened-values.ts). */
const OPENED_VALUES_BYTES = 32 * 1024 * 1024;
/** A rotation step that failed (LMDB could not commit) is tried again after this long. */
const ROTATE_RETRY_MS = 1000;
/** A merge seals this many values, then lets other work run before the next slice. */
const SEAL_SLICE = 256;
const EMPTY_KEY = new Uint8Array(0);
const NO_SPACES: readonly Space[] = [];

export type LmdbDatabase = RootDatabase<unknown, Buffer>;

export class LmdbStorage implements Storage {
  private readonly db: LmdbDatabase;
  private readonly log: WriteAheadLog;
  private readonly pending = new PendingWrites();
  private readonly spaces = new Map<Space, SpaceKeys>();
  private readonly openIterators = new Set<LmdbRangeIterator>();
  private readonly openMergedIterators = new Set<MergedRangeIterator>();
  private readonly clearing = new Set<Promise<void>>();
  /** Log sequences of clears whose LMDB keys are not all removed yet: their segments must stay. */
  private readonly unfinishedClears = new Set<number>();
  private readonly lock: DirectoryLock;
  /** Seals and opens values at rest; undefined for an unencrypted store. */
  private readonly cipher: ValueCipher | undefined;
  private readonly codec: StoredValueCodec;
  /** Values already read from LMDB (and decrypted), for reads (see opened-values.ts for the rules that keep it right). */
  private readonly opened: OpenedValues | undefined;
  private readonly mergeAt: number;
  private readonly mergeTimer: NodeJS.Timeout;
  /** The merge in progress, if any (one at a time). */
  private merging: Promise<void> | undefined;
  /** The key rotation in progress, if any: resolves once no value is sealed with the previous key. */
  readonly keyRotation: Promise<void> | undefined;
  private closed = false;

  constructor(options: LmdbStorageOptions) {
    this.lock = lockDirectory(options.path);
    let db: LmdbDatabase | undefined;
    let encryption: OpenedEncryption | undefined;
    try {
      encryption = openEncryption(options.path, options.encryption);
      this.cipher = encryption?.cipher;
      const openedBytes = options.openedValuesBytes ?? OPENED_VALUES_BYTES;
      this.opened = openedBytes <= 0 ? undefined : new OpenedValues(openedBytes);
      this.codec = new StoredValueCodec(this.cipher);
      db = openDatabase(options.path, options.maxReaders, this.codec);
      this.db = db;
      const logDirectory = join(options.path, 'wal');
      const recovered = this.recover(logDirectory);
      this.log = new WriteAheadLog(logDirectory, this.cipher === undefined ? options.log : { ...options.log, cipher: this.cipher }, recovered);
    } catch (error) {
      db?.close().catch(ignore);
      this.lock.release();
      throw error;
    }
    this.log.onFailureChange = (error) =>
      process.emitWarning(
        error === undefined
          ? 'the write-ahead log can be written again: commits are accepted'
          : `the write-ahead log cannot be written (${messageOf(error)}): commits are refused until it can`,
      );
    this.mergeAt = options.mergeAt ?? MERGE_AT;
    this.mergeTimer = setInterval(() => {
      if (this.pending.size > 0) this.startMerge();
    }, options.mergeEveryMs ?? MERGE_EVERY_MS);
    this.mergeTimer.unref();
    if (encryption?.rotating === true) {
      const finish = encryption.finishRotation;
      this.keyRotation = this.rotateKey(options.rotateBatch ?? ROTATE_BATCH).then((done) => {
        if (!done) return;
        finish();
        options.onKeyRotated?.();
      });
      // A failure is reported by whoever awaits it; the rotation resumes at the next start.
      this.keyRotation.catch((error: unknown) => process.emitWarning(`key rotation failed: ${messageOf(error)}`));
    }
  }

  get(space: Space, key: Uint8Array): Promise<unknown> {
    if (this.closed) return Promise.reject(storageClosedError());
    try {
      return Promise.resolve(this.read(space, key));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  getEncoded(space: Space, key: Uint8Array): Promise<Uint8Array | undefined> {
    if (this.closed) return Promise.reject(storageClosedError());
    try {
      const entry = this.pending.get(space, key);
      if (entry !== undefined) return Promise.resolve(entry.bytes === undefined ? undefined : storedJson(entry.bytes));
      const opened = this.opened?.get(space, key);
      if (opened !== undefined) return Promise.resolve(opened);
      const composed = composeKey(this.keysOf(space).prefix, key);
      let json: Buffer;
      if (this.cipher !== undefined) {
        // Opening a sealed value makes a fresh buffer, so it may start from lmdb-js's reused one.
        const sealed = this.db.getBinaryFast(composed);
        if (sealed === undefined) return Promise.resolve(undefined);
        json = openJson(this.cipher, sealed);
      } else {
        // getBinary returns a fresh copy of the stored bytes, so a view of their JSON text may be handed out.
        const stored = this.db.getBinary(composed);
        if (stored === undefined) return Promise.resolve(undefined);
        json = storedJson(stored);
      }
      this.opened?.set(space, key, json);
      return Promise.resolve(json);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  range(space: Space, options?: RangeOptions): AsyncIterable<KeyValue> {
    return this.rangeOf(space, options, undefined);
  }

  rangeEncoded(space: Space, options?: RangeOptions): AsyncIterable<EncodedKeyValue> {
    return this.rangeOf(space, options, this.codec) as AsyncIterable<EncodedKeyValue>;
  }

  /** A range whose values are decoded, or, with `encoded`, EncodedValues (see Storage.rangeEncoded). */
  private rangeOf(space: Space, options: RangeOptions | undefined, encoded: StoredValueCodec | undefined): AsyncIterable<KeyValue> {
    return {
      [Symbol.asyncIterator]: (): AsyncIterator<KeyValue> => {
        if (this.closed) throw storageClosedError();
        const keys = this.keysOf(space);
        const overlay = this.pending.snapshot(space);
        if (overlay === undefined) return new LmdbRangeIterator(this.db, keys, options ?? {}, this.openIterators, encoded);
        const { start, end, reverse, limit } = options ?? {};
        // LMDB's side without the limit: pending deletes may hide some of its keys.
        const base = new LmdbRangeIterator(this.db, keys, { start, end, reverse }, this.openIterators, encoded);
        return new MergedRangeIterator(base, overlay, start, end, reverse === true, limit, this.openMergedIterators, encoded !== undefined);
      },
    };
  }

  atomic<T>(reads: readonly ReadRequest[], decide: Decide<T>): Promise<T> {
    if (this.closed) return Promise.reject(storageClosedError());
    try {
      const current = new Array<unknown>(reads.length);
      for (let i = 0; i < reads.length; i++) {
        const read = reads[i] as ReadRequest;
        current[i] = read.lazy === true ? this.readLazily(read.space, read.key) : this.read(read.space, read.key);
      }
      const decision: Decision<T> = decide(current);
      const writes = decision.writes;
      // Everything that can throw happens before the first write is applied.
      const logged = new Array<WriteToLog>(writes.length);
      for (let i = 0; i < writes.length; i++) {
        const write = writes[i] as WriteRequest;
        if (!(write.key instanceof Uint8Array)) throw new TypeError('storage key must be a Uint8Array');
        const length = this.keysOf(write.space).prefix.length + write.key.length;
        if (length > MAX_LMDB_KEY_BYTES) {
          throw new RangeError(`storage key of ${length} bytes exceeds the maximum of ${MAX_LMDB_KEY_BYTES}`);
        }
        if (write.value === undefined) {
          logged[i] = { space: write.space, key: write.key, value: undefined };
        } else {
          assertStorageTag(write.tag);
          logged[i] = { space: write.space, key: write.key, value: encodeValue(write.value), tag: write.tag };
        }
      }
      const clears = decision.clearSpaces ?? NO_SPACES;
      checkClears(clears, writes);
      if (writes.length === 0 && clears.length === 0) {
        // Nothing to write, but what was read may still be on its way to disk: answer once it is there. While the
        // log is failing, answer at once, as a plain read does: reads go on through a full disk.
        if (this.log.failing) return Promise.resolve(decision.result);
        return this.log.durable(this.log.lastSequence).then(() => decision.result);
      }
      // Clears go in the record before the writes, so that a replay removes the spaces in commit order.
      const record = clears.length === 0 ? logged : [...clears.map((space) => ({ space, key: EMPTY_KEY, value: undefined, clearSpace: true })), ...logged];
      // The log record holds the encoded values; the pending entries (and later LMDB) take views of it.
      const { sequence, values } = this.log.append(record);
      for (const space of clears) this.pending.dropSpace(space);
      const offset = clears.length;
      const opened = this.opened;
      if (opened !== undefined) {
        for (const space of clears) opened.dropSpace(space);
        for (const write of writes) opened.delete(write.space, write.key);
      }
      for (let i = 0; i < writes.length; i++) {
        const write = writes[i] as WriteRequest;
        this.pending.set(write.space, write.key, new PendingEntry(write.value, values[i + offset], (logged[i] as WriteToLog).tag, sequence));
      }
      if (this.pending.size >= this.mergeAt) this.startMerge();
      const durable = this.log.durable(sequence);
      if (clears.length === 0) return durable.then(() => decision.result);
      return this.clearAfter(durable, clears, sequence).then(() => decision.result);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  clearSpace(space: Space): Promise<void> {
    return this.atomic([], () => ({ writes: [], clearSpaces: [space], result: undefined }));
  }

  /**
   * Removes the LMDB keys of spaces a commit cleared, once its record is durable. Until they are all gone the
   * segment with the clear stays (see merge), so a crash meanwhile replays the clear; a clear that fails is tried
   * again in the background, though the commit reports the failure.
   */
  private clearAfter(durable: Promise<void>, spaces: readonly Space[], sequence: number): Promise<void> {
    this.unfinishedClears.add(sequence);
    const clearing = durable.then(() => this.clearAll(spaces));
    // A read while the keys were being removed may have kept one of them decrypted: forget the spaces again.
    void clearing.then(() => {
      for (const space of spaces) this.opened?.dropSpace(space);
    }, ignore);
    const finished = clearing.then(
      () => void this.unfinishedClears.delete(sequence),
      () => this.retryClear(spaces, sequence),
    );
    this.clearing.add(finished);
    void finished.then(() => this.clearing.delete(finished));
    return clearing;
  }

  private async clearAll(spaces: readonly Space[]): Promise<void> {
    for (const space of spaces) await this.clearInBatches(space);
  }

  private async retryClear(spaces: readonly Space[], sequence: number): Promise<void> {
    while (!this.closed) {
      await new Promise((resolve) => setTimeout(resolve, CLEAR_RETRY_MS).unref());
      if (this.closed) return;
      try {
        await this.log.durable(sequence);
        await this.clearAll(spaces);
        this.unfinishedClears.delete(sequence);
        return;
      } catch {
        // Still failing (a full disk): the next round tries again; the log keeps the clear for a restart.
      }
    }
  }

  private async clearInBatches(space: Space): Promise<void> {
    // A merge in progress may be writing this space's keys: let it finish, then the LMDB keys can go.
    await this.merging?.catch(ignore);
    const { prefix, limit } = this.keysOf(space);
    // Several bounded transactions rather than one: a table of millions of items must not stall every other
    // commit behind one huge write transaction. Each is durable when its promise resolves.
    for (;;) {
      const removed = await settled(this.db.transaction(() => this.removeSomeKeys(prefix, limit)));
      if (removed < CLEAR_BATCH) return;
    }
  }

  /** Removes up to CLEAR_BATCH keys of a space; call inside a write transaction. */
  private removeSomeKeys(prefix: Buffer, limit: Buffer): number {
    const keys: Buffer[] = [];
    for (const key of this.db.getKeys({ start: prefix, end: limit, limit: CLEAR_BATCH })) keys.push(key);
    for (const key of keys) void this.db.remove(key);
    return keys.length;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.mergeTimer);
    // A rotation stops between transactions once `closed` is set.
    await this.keyRotation?.catch(ignore);
    // Open cursors must be closed before their environment is.
    for (const iterator of [...this.openMergedIterators]) await iterator.return();
    for (const iterator of [...this.openIterators]) await iterator.return();
    await Promise.allSettled([...this.clearing]);
    await this.log.durable(this.log.lastSequence).catch(ignore);
    await this.merging?.catch(ignore);
    // A last merge leaves the log empty, so the next open has nothing to replay.
    if (this.pending.size > 0) await this.merge().catch(ignore);
    await this.log.close();
    await this.db.close();
    this.lock.release();
  }

  /** The current value of a key: a pending write if there is one, else LMDB's. */
  private read(space: Space, key: Uint8Array): unknown {
    const entry = this.pending.get(space, key);
    if (entry !== undefined) return entry.value;
    return this.db.get(composeKey(this.keysOf(space).prefix, key));
  }

  /** The same as a StoredValue: a pending entry as it is; LMDB's bytes with the JSON text not yet parsed. */
  private readLazily(space: Space, key: Uint8Array): StoredValue | undefined {
    const entry = this.pending.get(space, key);
    if (entry !== undefined) return entry.deleted ? undefined : entry;
    // getBinaryFast: a view of a buffer lmdb-js reuses for the next read, which lazyStored copies out of.
    const bytes = this.db.getBinaryFast(composeKey(this.keysOf(space).prefix, key));
    if (bytes === undefined) return undefined;
    return this.cipher === undefined ? lazyStored(bytes) : lazySealed(this.cipher, bytes);
  }

  private startMerge(): void {
    // While the log cannot be written a merge could not finish (it waits for the log): none is started, so that
    // no segment is sealed and no file opened for nothing, every second, until the disk has room again.
    if (this.merging !== undefined || this.closed || this.log.failing) return;
    const merging = this.merge();
    this.merging = merging;
    merging.then(
      () => (this.merging = undefined),
      (error: unknown) => {
        // The writes stay pending and logged; the next merge tries again.
        this.merging = undefined;
        process.emitWarning(`storage merge failed: ${messageOf(error)}`);
      },
    );
  }

  /**
   * Moves every pending write logged so far into LMDB, then forgets those pending entries (unless rewritten
   * since) and deletes the log segments they came from. It goes a sealed segment at a time, oldest first, each in
   * one synced LMDB transaction: usually there is one, but after the log rolled over several (a burst, or a disk
   * that was full), and each deleted segment frees space for the next one's writes in LMDB.
   */
  private async merge(): Promise<void> {
    const through = this.log.seal();
    await this.log.durable(through);
    for (const segmentEnd of this.log.sealedSequences()) {
      if (segmentEnd > through) break;
      // An entry rewritten by a later segment's commit is left for that segment (its sequence is past this one).
      const writes = this.pending.collectThrough(segmentEnd);
      if (writes.length > 0) await this.mergeWrites(writes, await this.sealAll(writes));
      this.pending.removeMerged(writes);
      // A segment holding a clear whose LMDB keys are not all gone yet stays, with every later one (clearSpace).
      let keep = segmentEnd;
      for (const sequence of this.unfinishedClears) keep = Math.min(keep, sequence - 1);
      await this.log.discardThrough(keep);
    }
  }

  /**
   * The bytes a merge puts in LMDB for each write: the stored bytes as they are, or sealed (encryption at rest)
   * a slice at a time, letting requests run between slices.
   */
  private async sealAll(writes: readonly PendingWrite[]): Promise<(Buffer | undefined)[]> {
    const cipher = this.cipher;
    const bytes = writes.map((write) => write.entry.bytes);
    if (cipher === undefined) return bytes;
    for (let i = 0; i < bytes.length; i++) {
      const clear = bytes[i];
      if (clear !== undefined) bytes[i] = sealStored(cipher, clear);
      if ((i + 1) % SEAL_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    return bytes;
  }

  private async mergeWrites(writes: readonly PendingWrite[], values: readonly (Buffer | undefined)[]): Promise<void> {
    // A batch, not a transaction callback: lmdb-js runs a callback's puts on this thread inside the write
    // transaction (B-tree updates of thousands of items, a pause of many milliseconds for every request), while a
    // batch only queues them (key and a pointer to the value) for its write thread, as one synced transaction.
    // Each put of a batch returns the batch's promise (or a constant): if the commit fails they all reject with
    // the error the batch's own promise carries, so they are caught here, or the process would die of them.
    let seen: unknown;
    const caught = (outcome: unknown): void => {
      if (outcome !== seen && outcome instanceof Promise) {
        seen = outcome;
        outcome.catch(ignore);
      }
    };
    await settled(
      this.db.batch(() => {
        for (let i = 0; i < writes.length; i++) {
          const { space, key } = writes[i] as PendingWrite;
          const composed = composeKey(this.keysOf(space).prefix, key);
          const value = values[i];
          if (value === undefined) caught(this.db.remove(composed));
          else caught(this.db.put(composed, asBinary(value)));
        }
      }),
    );
  }

  /**
   * Loads a log left by a crash into the pending writes (see the header, Recovery); the merges take them from
   * there. A clear of a space forgets what the log wrote to it before and removes its keys from LMDB now.
   *
   * Each space's writes are collected first, the last one of each key kept, and loaded at once, sorted: with
   * 139,000 writes (a 100 MB log) that took a third of the CPU time of one tree insert per write. Keys are
   * collected as latin1 strings (one character per byte), which sort as the keys' bytes do.
   */
  private recover(logDirectory: string): RecoveredLog {
    const latest = new Map<Space, Map<string, PendingEntry>>();
    const recovered = recoverLog(
      logDirectory,
      (writes, sequence) => {
        for (const write of writes) {
          if (write.clearSpace === true) {
            latest.delete(write.space);
            const { prefix, limit } = this.keysOf(write.space);
            while (this.db.transactionSync(() => this.removeSomeKeys(prefix, limit)) === CLEAR_BATCH);
            continue;
          }
          let entries = latest.get(write.space);
          if (entries === undefined) {
            entries = new Map();
            latest.set(write.space, entries);
          }
          entries.set(write.key.toString('latin1'), PendingEntry.logged(write.value, sequence));
        }
      },
      this.cipher,
    );
    for (const [space, entries] of latest) {
      const names = [...entries.keys()].sort();
      this.pending.load(
        space,
        names.map((name) => Buffer.from(name, 'latin1')),
        names.map((name) => entries.get(name) as PendingEntry),
      );
    }
    return recovered;
  }

  /**
   * Key rotation: re-encrypts every LMDB value still sealed with the previous key, in key order, a bounded
   * transaction at a time, while the store serves. Nothing else writes with the previous key (commits, merges and
   * replays seal with the current one), so once the walk reaches the end no such value is left: keys before the
   * walk's position were re-encrypted or rewritten since, keys after it are visited. Resolves true when done,
   * false if the store closed first (the rotation resumes at the next start, which needs both keys again).
   * Range iterations opened before the end may still read values under the previous key: the cipher keeps it in
   * memory for the life of the process; only the directory stops needing it.
   */
  private async rotateKey(batch: number): Promise<boolean> {
    let after: Buffer | undefined;
    while (!this.closed) {
      let step: { last: Buffer | undefined; count: number };
      try {
        step = await settled(this.db.transaction(() => this.reencryptSome(after, batch)));
      } catch (error) {
        // LMDB could not commit (a full disk): try again later from the same place.
        process.emitWarning(`key rotation paused: ${messageOf(error)}`);
        await new Promise((resolve) => setTimeout(resolve, ROTATE_RETRY_MS).unref());
        continue;
      }
      if (step.count < batch) return !this.closed;
      after = step.last;
      // Let requests and merges run between transactions.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return false;
  }

  /** Re-encrypts the stale values among the next `batch` keys after `after`; call inside a write transaction. */
  private reencryptSome(after: Buffer | undefined, batch: number): { last: Buffer | undefined; count: number } {
    const cipher = this.cipher as ValueCipher;
    const keys: Buffer[] = [];
    const range = after === undefined ? { limit: batch } : { start: after, exclusiveStart: true, limit: batch };
    for (const key of this.db.getKeys(range)) keys.push(Buffer.from(key));
    for (const key of keys) {
      const sealed = this.db.getBinaryFast(key);
      if (sealed !== undefined && sealedWithOldKey(cipher, sealed)) void this.db.put(key, asBinary(resealStored(cipher, sealed)));
    }
    return { last: keys[keys.length - 1], count: keys.length };
  }

  private keysOf(space: Space): SpaceKeys {
    let keys = this.spaces.get(space);
    if (keys === undefined) {
      keys = spaceKeys(space);
      this.spaces.set(space, keys);
    }
    return keys;
  }
}

/**
 * Refuses a data directory that is a file (before creating anything), creates it if missing, and locks it.
 */
function lockDirectory(path: string): DirectoryLock {
  let isDirectory: boolean | undefined;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (isDirectory === false) throw new Error(`data directory ${path} is not a directory`);
  mkdirSync(path, { recursive: true });
  return DirectoryLock.acquire(path);
}

function openDatabase(path: string, maxReaders: number | undefined, codec: StoredValueCodec): LmdbDatabase {
  return open<unknown, Buffer>(path, {
    // Always a directory: lmdb-js would otherwise take a path with a dot in its last part (`data.v2`,
    // `/tmp/tmp.X1y2`) for a file name.
    noSubdir: false,
    keyEncoding: 'binary',
    encoder: codec,
    pageSize: 8192,
    overlappingSync: false,
    noSync: false,
    commitDelay: 0,
    // Not batching the writes of an event-loop turn: lmdb-js's promise for such a batch has no handler, so a
    // failed commit (a full disk) would be an unhandled rejection, which ends the process. Cairn's writes to
    // LMDB are merges and clears, each already one batch or transaction.
    eventTurnBatching: false,
    maxReaders: maxReaders ?? 1024,
    // The map starts small and lmdb-js grows it as the file grows (no mapSize: no fixed ceiling).
  });
}

/**
 * The outcome of an lmdb-js commit. A failed commit's error carries `commitError`, a second promise rejected
 * with the cause (say EIO on a full disk); it is handled here, or it would end the process.
 */
async function settled<T>(commit: Promise<T>): Promise<T> {
  try {
    return await commit;
  } catch (error) {
    const cause = (error as { commitError?: unknown }).commitError;
    if (cause instanceof Promise) cause.catch(ignore);
    throw error;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function ignore(): void {}
