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
 * `[u32 count] ([u16 space length][space][u16 key length][key][i32 value length, -1 = delete][value])*`;
 * a value length of -2 (with an empty key) clears the space: every key of it written before is gone.
 * With encryption at rest the log holds frames instead of records: `[u32 length][u32 CRC-32][sealed payload]`,
 * the payload, once opened (src/storage/encryption/value-cipher.ts: key id, nonce, ciphertext, tag), being the
 * records of every commit appended since the last flush, one after the other in their usual form. The CRC covers
 * the sealed payload, so a torn tail still fails it; a frame whose tag does not verify is corruption like a bad
 * CRC (the start-up key check rules out a wrong key first). Why frames: a flush seals once for all the commits
 * it writes, where a seal per commit would cost each commit a cipher's set-up, the bulk of a small seal's cost.
 * A frame is acknowledged whole or not at all, as the records of one flush already were.
 * A record is acknowledged only after the sync (fdatasync, or an O_DSYNC write) that covers it, so a torn or
 * corrupt record can only be the unacknowledged tail of the log; recovery stops at the first one.
 *
 * Group commit: appends are queued; one flush writes everything queued (writev) and syncs once; appends made
 * while a flush runs go in the next one. Where the platform has O_DSYNC, segments are opened with it, so the
 * writev itself returns only once its data is on disk, as write + fdatasync would: one trip through libuv's thread
 * pool per flush instead of two (each trip costs the event loop a wake-up of a pool thread and a completion).
 *
 * A full or failing disk. A write may be short (libuv returns the bytes written before an error such as ENOSPC,
 * not the error), so a flush writes the rest until all of it is on disk or a write fails. When one fails, the
 * commits waiting for that flush are refused (never acknowledged), and so is every later append while the log is
 * failing: nothing is acknowledged past a record that is not on disk. The records already appended stay queued
 * and are written again, at the same file positions (over any torn part of them), every RETRY_MS until it works;
 * then the log accepts appends again by itself. Those records' commits were answered with an error, yet may still
 * become durable, as a DynamoDB request that fails with a 500 may or may not have taken effect; their writes were
 * visible to reads meanwhile (read-only transactions included), while every commit that writes was refused.
 *
 * A segment is rolled over at SEGMENT_BYTES even without a merge, so that a merge, which deletes each segment
 * once LMDB has its writes, never needs much more free space than one segment's writes.
 *
 * After a crash. `recoverLog` reads the log the last process left and makes it end at its last whole record (see
 * there); the next WriteAheadLog takes its segments over as sealed ones, numbers its own after them and its
 * sequences after their records', so that they are merged and deleted like any other (the log is only ever
 * trimmed once LMDB has the writes), and a second crash before that finds them all again.
 */
import { closeSync, constants, fsyncSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from '../../util/crc32.js';
import { openLogFile, removeFile, syncDirectory, type LogFile } from './log-files.js';
import { storedLength, writeStored } from './stored-value.js';
import { SEALED_OVERHEAD, SealedValueError, type ValueCipher } from '../encryption/value-cipher.js';

/** One write of a logged commit: `value` is the stored (encoded) bytes, undefined to delete. */
export interface LoggedWrite<Bytes extends Uint8Array = Uint8Array> {
  readonly space: string;
  readonly key: Bytes;
  readonly value: Bytes | undefined;
  /** A record of clearSpace: every key of `space` written before it is gone (key and value are empty). */
  readonly clearSpace?: true;
}

/**
 * One write to log: the value as stored bytes, or as JSON text with its optional tag (stored-value.ts), encoded
 * straight into the record: no separate buffer per value. Undefined to delete. `clearSpace` logs the removal of
 * every key of the space (key and value are then ignored).
 */
export interface WriteToLog {
  readonly space: string;
  readonly key: Uint8Array;
  readonly value: Uint8Array | string | undefined;
  readonly tag?: number | undefined;
  readonly clearSpace?: boolean;
}

/** An appended commit: its sequence number, and each write's value bytes as they lie in the log record. */
export interface Appended {
  readonly sequence: number;
  readonly values: readonly (Buffer | undefined)[];
}

export type { LogFile } from './log-files.js';

export interface LogFiles {
  /** Whether a write is durable when it returns (O_DSYNC), so that no datasync is needed. */
  readonly syncedWrites: boolean;
  /** Creates (or truncates) a segment file for writing. */
  create(path: string): Promise<LogFile>;
  /** Makes a new file's directory entry durable. */
  syncDirectory(path: string): Promise<void>;
}

/** A segment left by an earlier process, kept until a merge has its writes in LMDB. */
export interface RecoveredSegment {
  readonly number: number;
  readonly path: string;
  /** The sequence of its last record (records are numbered 1, 2, ... across the segments, in log order). */
  readonly lastSequence: number;
}

/** What recoverLog found: the segments that hold records, oldest first, and the sequence of the last record. */
export interface RecoveredLog {
  readonly segments: readonly RecoveredSegment[];
  readonly lastSequence: number;
}

export interface WriteAheadLogOptions {
  /** The file system (default: node:fs). */
  readonly files?: LogFiles;
  /** Segment size that starts a new segment (default SEGMENT_BYTES). */
  readonly segmentBytes?: number;
  /** Pause between attempts to write records after a failed write (default RETRY_MS). */
  readonly retryMs?: number;
  /** Encrypts every record's payload (encryption at rest); readLog must be given the same keys. */
  readonly cipher?: ValueCipher;
}

/** Segments' open flags: with O_DSYNC every write is durable when it returns (undefined where unsupported). */
const SYNCED_WRITES: number | undefined =
  constants.O_DSYNC === undefined ? undefined : constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_DSYNC;

const nodeFiles: LogFiles = {
  syncedWrites: SYNCED_WRITES !== undefined,
  create: (path) => openLogFile(path, SYNCED_WRITES ?? 'w'),
  syncDirectory,
};

/** A segment past this size is sealed and a new one started (see the header: recovery's free space). */
const SEGMENT_BYTES = 4 * 1024 * 1024;
/** How often records that could not be written are tried again. */
const RETRY_MS = 200;

class Segment {
  /** Bytes appended to this segment (records queued included): the position of the next record. */
  appendedBytes = 0;
  private file: LogFile | undefined;
  private directorySynced = false;
  private opening: Promise<LogFile> | undefined;

  constructor(
    readonly number: number,
    readonly path: string,
    private readonly files: LogFiles,
    private readonly directory: string,
  ) {}

  /**
   * The open file, with its directory entry durable (or a crash could lose the whole segment). A failure (no
   * space for the entry) is not remembered: the next call tries again, keeping whatever part succeeded.
   */
  ready(): Promise<LogFile> {
    this.opening ??= this.prepare().catch((error: unknown) => {
      this.opening = undefined;
      throw error;
    });
    return this.opening;
  }

  async close(): Promise<void> {
    const opening = this.opening;
    this.opening = undefined;
    await opening?.catch(() => undefined);
    const file = this.file;
    this.file = undefined;
    await file?.close().catch(() => undefined);
  }

  private async prepare(): Promise<LogFile> {
    this.file ??= await this.files.create(this.path);
    if (!this.directorySynced) {
      await this.files.syncDirectory(this.directory);
      this.directorySynced = true;
    }
    return this.file;
  }
}

/**
 * What a flush writes: one record, or with encryption a frame of the records appended since the last flush
 * (sealed when a flush takes it, so that records can still join it until then).
 */
interface Queued {
  readonly segment: Segment;
  /** The bytes to write; undefined for a frame not yet sealed. */
  bytes: Buffer | undefined;
  /** The clear records of a frame not yet sealed. */
  records: Buffer[];
  /** Where the bytes go in their segment (a frame's size is known before it is sealed). */
  readonly position: number;
  /** The sequence of the last commit in it. */
  sequence: number;
}

interface Waiter {
  readonly sequence: number;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

const HEADER_BYTES = 8;
/** The bytes a frame (encrypted log) adds around its records. */
const FRAME_OVERHEAD = HEADER_BYTES + SEALED_OVERHEAD;
/** Value length of a clearSpace write (-1 is a delete). */
const CLEAR_SPACE = -2;

export class WriteAheadLog {
  private readonly directory: string;
  private readonly files: LogFiles;
  private readonly segmentBytes: number;
  private readonly retryMs: number;
  private readonly cipher: ValueCipher | undefined;
  private current: Segment;
  /** Appended records not yet on disk, in sequence order (those of a flush stay here until written). */
  private queue: Queued[] = [];
  private waiters: Waiter[] = [];
  private flushing = false;
  /** Set while records cannot be written: the error of the last attempt. */
  private failure: unknown = undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private appended = 0;
  private durableSequence = 0;
  /** Sealed segments (no more appends), oldest first, with the last sequence each holds. */
  private readonly sealed: { segment: Segment; lastSequence: number }[] = [];
  /** Called when the log starts failing (with the error) and when it works again (undefined). */
  onFailureChange: (error: unknown) => void = () => undefined;

  /**
   * Opens the log in `directory`, taking over the segments `recovered` (recoverLog) found there: they are sealed,
   * deleted by `discardThrough` once their writes are in LMDB; appends go to new segments after them.
   */
  constructor(directory: string, options: WriteAheadLogOptions = {}, recovered?: RecoveredLog) {
    this.directory = directory;
    this.files = options.files ?? nodeFiles;
    this.segmentBytes = options.segmentBytes ?? SEGMENT_BYTES;
    this.retryMs = options.retryMs ?? RETRY_MS;
    this.cipher = options.cipher;
    mkdirSync(directory, { recursive: true });
    let next = 1;
    for (const { number, path, lastSequence } of recovered?.segments ?? []) {
      this.sealed.push({ segment: new Segment(number, path, this.files, directory), lastSequence });
      next = number + 1;
    }
    this.appended = this.durableSequence = recovered?.lastSequence ?? 0;
    this.current = this.createSegment(next);
  }

  /** The sequence number of the last append (0 before any). */
  get lastSequence(): number {
    return this.appended;
  }

  /** True while records cannot be written (appends are refused). */
  get failing(): boolean {
    return this.failure !== undefined;
  }

  /**
   * Queues a commit's writes. Durable once `durable(sequence)` resolves. The value bytes it returns are views of
   * the record: the caller may keep them (the record stays alive as long as they do) but must not change them.
   * Throws, before anything is queued, while the log is failing.
   */
  append(writes: readonly WriteToLog[]): Appended {
    if (this.failure !== undefined) throw this.failure;
    const values = new Array<Buffer | undefined>(writes.length);
    // The values stay views of the clear record (the pending writes keep them in memory); an encrypted log seals
    // it with the rest of its frame when the flush takes it.
    const record = encodeRecord(writes, values);
    if (this.current.appendedBytes >= this.segmentBytes) this.seal();
    const segment = this.current;
    const sequence = ++this.appended;
    const last = this.queue[this.queue.length - 1];
    if (this.cipher === undefined) {
      this.queue.push({ segment, bytes: record, records: [], position: segment.appendedBytes, sequence });
      segment.appendedBytes += record.length;
    } else if (last !== undefined && last.bytes === undefined && last.segment === segment) {
      last.records.push(record);
      last.sequence = sequence;
      segment.appendedBytes += record.length;
    } else {
      this.queue.push({ segment, bytes: undefined, records: [record], position: segment.appendedBytes, sequence });
      segment.appendedBytes += FRAME_OVERHEAD + record.length;
    }
    if (!this.flushing) {
      this.flushing = true;
      // After the current event-loop phase, so that every commit made in it shares one flush.
      setImmediate(() => void this.flush());
    }
    return { sequence, values };
  }

  /** Resolves once every append up to `sequence` is on disk; rejects while the log is failing. */
  durable(sequence: number): Promise<void> {
    if (sequence <= this.durableSequence) return Promise.resolve();
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiters.push({ sequence, resolve, reject }));
  }

  /**
   * Ends the current segment: later appends go to a new one. Returns the last sequence of the sealed segment;
   * once those writes are safely in LMDB, `discardThrough` deletes it. An empty segment is kept (no new file).
   */
  seal(): number {
    const lastSequence = this.appended;
    if (this.current.appendedBytes === 0) return lastSequence;
    this.sealed.push({ segment: this.current, lastSequence });
    this.current = this.createSegment(this.current.number + 1);
    return lastSequence;
  }

  /** The last sequence of each sealed segment, oldest first. */
  sealedSequences(): number[] {
    return this.sealed.map((entry) => entry.lastSequence);
  }

  /** Deletes the sealed segments whose writes all have sequence numbers up to `sequence` (now in LMDB). */
  async discardThrough(sequence: number): Promise<void> {
    while (this.sealed.length > 0 && (this.sealed[0] as { lastSequence: number }).lastSequence <= sequence) {
      const { segment } = this.sealed.shift() as { segment: Segment };
      await segment.close();
      // Asynchronously: unlinking a segment of megabytes frees its blocks, a pause the event loop need not take.
      await removeFile(segment.path);
    }
  }

  /**
   * Waits for the queue to drain (a failing log gets one more attempt), then closes every segment file (their
   * contents stay for recovery).
   */
  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer !== undefined) {
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
      if (!this.flushing && this.queue.length > 0) {
        this.flushing = true;
        await this.flush();
      }
    }
    await this.durable(this.appended).catch(() => undefined);
    for (const segment of [...this.sealed.map((entry) => entry.segment), this.current]) await segment.close();
  }

  private createSegment(number: number): Segment {
    const segment = new Segment(number, join(this.directory, segmentName(number)), this.files, this.directory);
    // Opened now, off the first flush's path; a failure here is retried by the flush that needs the file.
    segment.ready().catch(() => undefined);
    return segment;
  }

  /**
   * Writes and syncs everything queued. What is appended meanwhile goes in the next flush, which, like the first
   * one, starts after the current event-loop phase, so that the commits of that phase share it rather than
   * trickling out a few per flush (each flush costs the event loop a thread-pool round trip).
   */
  private async flush(): Promise<void> {
    const batch = this.queue.length;
    // Frames are sealed before the first await: nothing can join them once this flush has taken them.
    for (let i = 0; i < batch; i++) {
      const queued = this.queue[i] as Queued;
      if (queued.bytes !== undefined) continue;
      queued.bytes = sealFrame(queued.records, this.cipher as ValueCipher);
      queued.records = [];
    }
    let failed = false;
    let failure: unknown;
    try {
      // Consecutive records of one segment go out in one writev and one fdatasync (or one O_DSYNC writev).
      let from = 0;
      while (from < batch) {
        const first = this.queue[from] as Queued;
        let to = from;
        while (to < batch && (this.queue[to] as Queued).segment === first.segment) to++;
        const file = await first.segment.ready();
        await writeFully(file, this.queue.slice(from, to).map((queued) => queued.bytes as Buffer), first.position);
        if (!this.files.syncedWrites) await file.datasync();
        this.durableSequence = (this.queue[to - 1] as Queued).sequence;
        from = to;
      }
    } catch (error) {
      failed = true;
      failure = error;
    }
    // What was written leaves the queue, failure or not; the rest is written again by the next attempt.
    let written = 0;
    while (written < this.queue.length && (this.queue[written] as Queued).sequence <= this.durableSequence) written++;
    if (written > 0) this.queue = this.queue.slice(written);
    this.wakeWaiters();
    if (failed) {
      this.fail(failure);
      return;
    }
    if (this.failure !== undefined) {
      this.failure = undefined;
      this.onFailureChange(undefined);
    }
    if (this.queue.length > 0) setImmediate(() => void this.flush());
    else this.flushing = false;
  }

  /** A log that cannot be written acknowledges nothing more until it can: see the header. */
  private fail(error: unknown): void {
    const first = this.failure === undefined;
    this.failure = error;
    for (const waiter of this.waiters) waiter.reject(error);
    this.waiters = [];
    if (first) this.onFailureChange(error);
    if (this.closed) {
      this.flushing = false;
      return;
    }
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.flush();
    }, this.retryMs);
    this.retryTimer.unref();
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
 * Writes `buffers` at `position` until every byte is written. A short write (what libuv reports when an error
 * such as ENOSPC stops it part way) is followed by another, for the rest, which then reports the error.
 */
async function writeFully(file: LogFile, buffers: Buffer[], position: number): Promise<void> {
  let rest = buffers;
  while (rest.length > 0) {
    const { bytesWritten } = await file.writev(rest, position);
    if (!(bytesWritten > 0)) throw new Error('write-ahead log: a write made no progress');
    position += bytesWritten;
    let skip = bytesWritten;
    let index = 0;
    while (index < rest.length && skip >= (rest[index] as Buffer).length) skip -= (rest[index++] as Buffer).length;
    rest = rest.slice(index);
    if (skip > 0) rest[0] = (rest[0] as Buffer).subarray(skip);
  }
}

/** A segment file's name: its number, zero-padded so that names sort as numbers do. */
function segmentName(number: number): string {
  return `${String(number).padStart(12, '0')}.log`;
}

/** The segment files of the log in `directory`, oldest first (none if it does not exist). */
function segmentFiles(directory: string): { number: number; path: string }[] {
  let names: string[];
  try {
    names = readdirSync(directory);
  } catch {
    return [];
  }
  return names
    .filter((name) => /^[0-9]+\.log$/.test(name))
    .sort()
    .map((name) => ({ number: Number(name.slice(0, -'.log'.length)), path: join(directory, name) }));
}

/**
 * Reads the whole records of one segment's bytes, handing each record's writes to `apply`, and returns how many
 * records it read and where the last whole one ends (short of the segment's end after a torn or corrupt record).
 * `copy` gives each write its own key and value; otherwise they are views of `bytes`.
 */
function readSegment<Bytes extends Uint8Array>(
  bytes: Buffer,
  apply: (writes: LoggedWrite<Bytes>[]) => void,
  cipher: ValueCipher | undefined,
  copy: boolean,
): { records: number; end: number } {
  let records = 0;
  let offset = 0;
  while (offset + HEADER_BYTES <= bytes.length) {
    const length = bytes.readUInt32LE(offset);
    const checksum = bytes.readUInt32LE(offset + 4);
    const end = offset + HEADER_BYTES + length;
    if (end > bytes.length) break;
    const payload = bytes.subarray(offset + HEADER_BYTES, end);
    if (crc32(payload) !== checksum) break;
    if (cipher === undefined) {
      apply(decodeWrites(payload, copy));
      records++;
    } else {
      const frame = openPayload(payload, cipher);
      if (frame === undefined) break;
      records += applyFrame(frame, apply, copy);
    }
    offset = end;
  }
  return { records, end: offset };
}

/**
 * Reads every complete record of the log in `directory`, oldest first, and hands its writes to `apply` (each
 * key and value a copy of its own). Stops at the first torn or corrupt record. `cipher` opens the records of an
 * encrypted log. Changes nothing on disk (recoverLog is what a store opens with).
 */
export function readLog(directory: string, apply: (writes: LoggedWrite[]) => void, cipher?: ValueCipher): number {
  let records = 0;
  for (const { path } of segmentFiles(directory)) {
    const bytes = readFileSync(path);
    const read = readSegment(bytes, apply, cipher, true);
    records += read.records;
    // A torn record ends the log: nothing after it was ever acknowledged.
    if (read.end < bytes.length) break;
  }
  return records;
}

/**
 * Reads the log an earlier process left in `directory`, oldest record first, handing each record's writes to
 * `apply` with its sequence (1, 2, ...); keys and values are views of the segments' bytes, which they keep in
 * memory. The log is made to end at its last whole record, as the next appends must follow it: a torn or corrupt
 * record can only be the unacknowledged tail of the log (see the header), so its segment is cut there (truncated
 * and synced) and every later segment deleted, as is a segment left without a record. Otherwise a later recovery
 * would stop at that record and lose what is appended after it. Returns the segments kept.
 */
export function recoverLog(
  directory: string,
  apply: (writes: LoggedWrite<Buffer>[], sequence: number) => void,
  cipher?: ValueCipher,
): RecoveredLog {
  const files = segmentFiles(directory);
  const segments: RecoveredSegment[] = [];
  let sequence = 0;
  let removed = false;
  for (let i = 0; i < files.length; i++) {
    const { number, path } = files[i] as { number: number; path: string };
    const bytes = readFileSync(path);
    const read = readSegment<Buffer>(bytes, (writes) => apply(writes, ++sequence), cipher, false);
    if (read.records > 0) segments.push({ number, path, lastSequence: sequence });
    if (read.end === bytes.length && read.records > 0) continue;
    if (read.records === 0) {
      rmSync(path, { force: true });
      // An empty segment (the one a clean shutdown leaves) may come back after a crash without harm: no sync for it.
      if (bytes.length > 0) removed = true;
    } else {
      truncateSynced(path, read.end);
    }
    if (read.end < bytes.length) {
      for (const later of files.slice(i + 1)) rmSync(later.path, { force: true });
      removed = true;
      break;
    }
  }
  if (removed) syncParent(join(directory, segmentName(0)));
  return { segments, lastSequence: sequence };
}

/** Cuts a file to `length` bytes, durably. */
function truncateSynced(path: string, length: number): void {
  const fd = openSync(path, 'r+');
  try {
    ftruncateSync(fd, length);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
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
    if (write.clearSpace === true) {
      textBytes.push(0);
      size += 2 + space.length + 2 + 4;
      continue;
    }
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
    if (write.clearSpace === true) {
      offset = record.writeUInt16LE(0, offset);
      offset = record.writeInt32LE(CLEAR_SPACE, offset);
      if (values !== undefined) values[i] = undefined;
      continue;
    }
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

/** A frame of an encrypted log: the records one after the other, sealed, under a header of its own. */
function sealFrame(records: readonly Buffer[], cipher: ValueCipher): Buffer {
  const frame = cipher.seal(records.length === 1 ? (records[0] as Buffer) : Buffer.concat(records), HEADER_BYTES);
  const payload = frame.subarray(HEADER_BYTES);
  frame.writeUInt32LE(payload.length, 0);
  frame.writeUInt32LE(crc32(payload), 4);
  return frame;
}

/** Applies the records of an opened frame; returns how many. They were sealed whole, so none can be torn. */
function applyFrame<Bytes extends Uint8Array>(frame: Buffer, apply: (writes: LoggedWrite<Bytes>[]) => void, copy: boolean): number {
  let offset = 0;
  let records = 0;
  while (offset < frame.length) {
    const end = offset + HEADER_BYTES + frame.readUInt32LE(offset);
    apply(decodeWrites(frame.subarray(offset + HEADER_BYTES, end), copy));
    records++;
    offset = end;
  }
  return records;
}

/** A sealed payload opened, or undefined if it does not verify: corruption, which ends the log as a bad CRC does. */
function openPayload(payload: Buffer, cipher: ValueCipher): Buffer | undefined {
  try {
    return cipher.open(payload);
  } catch (error) {
    if (error instanceof SealedValueError) return undefined;
    throw error;
  }
}

/** A record's writes; `copy` gives each key and value a plain Uint8Array of its own, else they are views of `payload`. */
function decodeWrites<Bytes extends Uint8Array>(payload: Buffer, copy: boolean): LoggedWrite<Bytes>[] {
  const writes: LoggedWrite<Bytes>[] = [];
  // Views are Buffers (payload's subarrays); copies plain Uint8Arrays: the caller chose which with Bytes.
  const bytesOf = (start: number, end: number): Bytes => (copy ? new Uint8Array(payload.subarray(start, end)) : payload.subarray(start, end)) as Bytes;
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
    // Copies are plain Uint8Arrays (a Buffer's slice would be a Buffer): the same type every engine hands out.
    const key = bytesOf(offset, offset + keyLength);
    offset += keyLength;
    const valueLength = payload.readInt32LE(offset);
    offset += 4;
    if (valueLength === CLEAR_SPACE) {
      writes.push({ space, key, value: undefined, clearSpace: true });
      continue;
    }
    let value: Bytes | undefined;
    if (valueLength >= 0) {
      value = bytesOf(offset, offset + valueLength);
      offset += valueLength;
    }
    writes.push({ space, key, value });
  }
  return writes;
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
