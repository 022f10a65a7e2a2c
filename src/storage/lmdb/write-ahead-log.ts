/**
 * The write-ahead log that makes a commit durable before LMDB has it.
 *
 * Why: an LMDB commit of N items with random keys dirties N pages all over the file, and its fsync costs about
 * 25 µs per scattered page on this class of disk (64 random 8 KiB pages: 1.6 ms). Appending the same writes to
 * a log and syncing that is a sequential write of a few KB. So a commit is acknowledged once its record is in
 * the log on disk, and the writes reach LMDB later in large merges (see lmdb-storage.ts), each an ordinary,
 * fully synced LMDB transaction: LMDB itself never runs without sync, so it is never left inconsistent.
 *
 * Format. The log is a sequence of segment files `wal/<n>.log`. A record is
 * `[u32 payload length][u32 CRC-32 of payload][payload]`, the payload a list of writes
 * `[u32 count] ([u16 space length][space][u16 key length][key][i32 value length, -1 = delete][value])*`.
 * A record is acknowledged only after the sync (fdatasync, or an O_DSYNC write) that covers it, so a torn or
 * corrupt record can only be the unacknowledged tail of the log; recovery stops at the first one.
 *
 * Group commit: appends are queued; one flush writes everything queued (writev) and syncs once; appends made
 * while a flush runs go in the next one. Where the platform has O_DSYNC, segments are opened with it, so the
 * writev itself returns only once its data is on disk, as write + fdatasync would: one trip through libuv's thread
 * pool per flush instead of two (each trip costs the event loop a wake-up of a pool thread and a completion).
 */
import { closeSync, constants, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { open, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from '../../util/crc32.js';
import { storedLength, writeStored } from './stored-value.js';

/** One write of a logged commit: `value` is the stored (encoded) bytes, undefined to delete. */
export interface LoggedWrite {
  readonly space: string;
  readonly key: Uint8Array;
  readonly value: Uint8Array | undefined;
}

/**
 * One write to log: the value as stored bytes, or as JSON text with its optional tag (stored-value.ts), encoded
 * straight into the record: no separate buffer per value. Undefined to delete.
 */
export interface WriteToLog {
  readonly space: string;
  readonly key: Uint8Array;
  readonly value: Uint8Array | string | undefined;
  readonly tag?: number | undefined;
}

/** An appended commit: its sequence number, and each write's value bytes as they lie in the log record. */
export interface Appended {
  readonly sequence: number;
  readonly values: readonly (Buffer | undefined)[];
}

interface Segment {
  readonly number: number;
  readonly path: string;
  readonly handle: Promise<FileHandle>;
}

/** Segments' open flags: with O_DSYNC every write is durable when it returns (undefined where unsupported). */
const SYNCED_WRITES: number | undefined =
  constants.O_DSYNC === undefined ? undefined : constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_DSYNC;

interface Queued {
  readonly segment: Segment;
  readonly record: Buffer;
  readonly sequence: number;
}

interface Waiter {
  readonly sequence: number;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

const HEADER_BYTES = 8;

export class WriteAheadLog {
  private readonly directory: string;
  private current: Segment;
  private queue: Queued[] = [];
  private waiters: Waiter[] = [];
  private flushing = false;
  private failure: unknown = undefined;
  private appended = 0;
  private durableSequence = 0;
  /** Sealed segments (no more appends), oldest first, with the last sequence each holds. */
  private readonly sealed: { segment: Segment; lastSequence: number }[] = [];

  /** Opens the log in `directory` after `recover` has emptied it. */
  constructor(directory: string) {
    this.directory = directory;
    mkdirSync(directory, { recursive: true });
    this.current = this.createSegment(1);
  }

  /** The sequence number of the last append (0 before any). */
  get lastSequence(): number {
    return this.appended;
  }

  /**
   * Queues a commit's writes. Durable once `durable(sequence)` resolves. The value bytes it returns are views of
   * the record: the caller may keep them (the record stays alive as long as they do) but must not change them.
   */
  append(writes: readonly WriteToLog[]): Appended {
    if (this.failure !== undefined) throw this.failure;
    const values = new Array<Buffer | undefined>(writes.length);
    const record = encodeRecord(writes, values);
    const sequence = ++this.appended;
    this.queue.push({ segment: this.current, record, sequence });
    if (!this.flushing) {
      this.flushing = true;
      // After the current event-loop phase, so that every commit made in it shares one flush.
      setImmediate(() => void this.flush());
    }
    return { sequence, values };
  }

  /** Resolves once every append up to `sequence` is on disk. */
  durable(sequence: number): Promise<void> {
    if (sequence <= this.durableSequence) return Promise.resolve();
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiters.push({ sequence, resolve, reject }));
  }

  /**
   * Ends the current segment: later appends go to a new one. Returns the last sequence of the sealed segment;
   * once those writes are safely in LMDB, `discardThrough` deletes it.
   */
  seal(): number {
    const lastSequence = this.appended;
    this.sealed.push({ segment: this.current, lastSequence });
    this.current = this.createSegment(this.current.number + 1);
    return lastSequence;
  }

  /** Deletes the sealed segments whose writes all have sequence numbers up to `sequence` (now in LMDB). */
  async discardThrough(sequence: number): Promise<void> {
    while (this.sealed.length > 0 && (this.sealed[0] as { lastSequence: number }).lastSequence <= sequence) {
      const { segment } = this.sealed.shift() as { segment: Segment };
      await (await segment.handle).close();
      // Asynchronously: unlinking a segment of megabytes frees its blocks, a pause the event loop need not take.
      await rm(segment.path, { force: true });
    }
  }

  /** Waits for the queue to drain, then closes every segment file (their contents stay for recovery). */
  async close(): Promise<void> {
    await this.durable(this.appended).catch(() => undefined);
    for (const segment of [...this.sealed.map((entry) => entry.segment), this.current]) {
      await (await segment.handle).close().catch(() => undefined);
    }
  }

  private createSegment(number: number): Segment {
    const path = join(this.directory, `${String(number).padStart(12, '0')}.log`);
    const handle = open(path, SYNCED_WRITES ?? 'w');
    // The new file's directory entry must be durable too, or a crash could lose the whole segment.
    const syncDirectory = handle.then(async (file) => {
      await syncDirectoryOf(this.directory);
      return file;
    });
    syncDirectory.catch(() => undefined);
    return { number, path, handle: syncDirectory };
  }

  /**
   * Writes and syncs everything queued. What is appended meanwhile goes in the next flush, which, like the first
   * one, starts after the current event-loop phase, so that the commits of that phase share it rather than
   * trickling out a few per flush (each flush costs the event loop a thread-pool round trip).
   */
  private async flush(): Promise<void> {
    try {
      const batch = this.queue;
      this.queue = [];
      // Consecutive records of one segment go out in one writev and one fdatasync (or one O_DSYNC writev).
      let from = 0;
      while (from < batch.length) {
        const segment = (batch[from] as Queued).segment;
        let to = from;
        while (to < batch.length && (batch[to] as Queued).segment === segment) to++;
        const file = await segment.handle;
        await file.writev(batch.slice(from, to).map((queued) => queued.record));
        if (SYNCED_WRITES === undefined) await file.datasync();
        from = to;
      }
      this.durableSequence = (batch[batch.length - 1] as Queued).sequence;
      this.wakeWaiters();
    } catch (error) {
      // A log that cannot be written can acknowledge nothing more.
      this.failure = error;
      for (const waiter of this.waiters) waiter.reject(error);
      this.waiters = [];
      this.flushing = false;
      return;
    }
    if (this.queue.length > 0) setImmediate(() => void this.flush());
    else this.flushing = false;
  }

  private wakeWaiters(): void {
    let kept = 0;
    for (const waiter of this.waiters) {
      if (waiter.sequence <= this.durableSequence) waiter.resolve();
      else this.waiters[kept++] = waiter;
    }
    this.waiters.length = kept;
  }
}

/**
 * Reads every complete record of the log in `directory`, oldest first, and hands its writes to `apply`; then
 * the caller makes them durable elsewhere and calls `removeLog`. Stops at the first torn or corrupt record.
 */
export function readLog(directory: string, apply: (writes: LoggedWrite[]) => void): number {
  let records = 0;
  let names: string[];
  try {
    names = readdirSync(directory).filter((name) => name.endsWith('.log')).sort();
  } catch {
    return 0;
  }
  for (const name of names) {
    const bytes = readFileSync(join(directory, name));
    let offset = 0;
    while (offset + HEADER_BYTES <= bytes.length) {
      const length = bytes.readUInt32LE(offset);
      const checksum = bytes.readUInt32LE(offset + 4);
      const end = offset + HEADER_BYTES + length;
      if (end > bytes.length) break;
      const payload = bytes.subarray(offset + HEADER_BYTES, end);
      if (crc32(payload) !== checksum) break;
      apply(decodeWrites(payload));
      records++;
      offset = end;
    }
    // A torn record ends the log: nothing after it was ever acknowledged.
    if (offset < bytes.length) break;
  }
  return records;
}

/** Deletes the log's segment files (after their writes were made durable in LMDB). */
export function removeLog(directory: string): void {
  rmSync(directory, { recursive: true, force: true });
  syncParent(directory);
}

/** Space names as UTF-8, by name: a store has few spaces and every record names them. */
const spaceBytes = new Map<string, Buffer>();

function spaceName(space: string): Buffer {
  let bytes = spaceBytes.get(space);
  if (bytes === undefined) {
    bytes = Buffer.from(space, 'utf8');
    if (spaceBytes.size < 10_000) spaceBytes.set(space, bytes);
  }
  return bytes;
}

/**
 * Encodes one record. When `values` is given, it receives each write's value bytes as a view of the record
 * (undefined for a delete).
 */
export function encodeRecord(writes: readonly WriteToLog[], values?: (Buffer | undefined)[]): Buffer {
  let size = 4;
  const spaces: Buffer[] = [];
  const textBytes: number[] = [];
  for (const write of writes) {
    const space = spaceName(write.space);
    spaces.push(space);
    const value = write.value;
    let length = 0;
    if (typeof value === 'string') {
      const jsonBytes = Buffer.byteLength(value, 'utf8');
      textBytes.push(jsonBytes);
      length = storedLength(jsonBytes, write.tag);
    } else {
      textBytes.push(0);
      length = value === undefined ? 0 : value.length;
    }
    size += 2 + space.length + 2 + write.key.length + 4 + length;
  }
  const record = Buffer.allocUnsafe(HEADER_BYTES + size);
  let offset = HEADER_BYTES;
  offset = record.writeUInt32LE(writes.length, offset);
  for (let i = 0; i < writes.length; i++) {
    const write = writes[i] as WriteToLog;
    const space = spaces[i] as Buffer;
    offset = record.writeUInt16LE(space.length, offset);
    offset += space.copy(record, offset);
    offset = record.writeUInt16LE(write.key.length, offset);
    record.set(write.key, offset);
    offset += write.key.length;
    const value = write.value;
    if (value === undefined) {
      offset = record.writeInt32LE(-1, offset);
      if (values !== undefined) values[i] = undefined;
    } else {
      const jsonBytes = textBytes[i] as number;
      const length = typeof value === 'string' ? storedLength(jsonBytes, write.tag) : value.length;
      offset = record.writeInt32LE(length, offset);
      if (typeof value === 'string') writeStored(record, offset, value, jsonBytes, write.tag);
      else record.set(value, offset);
      if (values !== undefined) values[i] = record.subarray(offset, offset + length);
      offset += length;
    }
  }
  const payload = record.subarray(HEADER_BYTES);
  record.writeUInt32LE(payload.length, 0);
  record.writeUInt32LE(crc32(payload), 4);
  return record;
}

function decodeWrites(payload: Buffer): LoggedWrite[] {
  const writes: LoggedWrite[] = [];
  let offset = 0;
  const count = payload.readUInt32LE(offset);
  offset += 4;
  for (let i = 0; i < count; i++) {
    const spaceLength = payload.readUInt16LE(offset);
    offset += 2;
    const space = payload.toString('utf8', offset, offset + spaceLength);
    offset += spaceLength;
    const keyLength = payload.readUInt16LE(offset);
    offset += 2;
    // Plain Uint8Array copies (a Buffer's slice would be a Buffer): the same type every engine hands out.
    const key = new Uint8Array(payload.subarray(offset, offset + keyLength));
    offset += keyLength;
    const valueLength = payload.readInt32LE(offset);
    offset += 4;
    let value: Uint8Array | undefined;
    if (valueLength >= 0) {
      value = new Uint8Array(payload.subarray(offset, offset + valueLength));
      offset += valueLength;
    }
    writes.push({ space, key, value });
  }
  return writes;
}

/** fsync of a directory, off the event loop (each new segment's directory entry). */
async function syncDirectoryOf(path: string): Promise<void> {
  const directory = await open(path, 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}

function syncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function syncParent(path: string): void {
  try {
    syncPath(join(path, '..'));
  } catch {
    // Best effort: the parent may not be openable for sync on every platform.
  }
}
