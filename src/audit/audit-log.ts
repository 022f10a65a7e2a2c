/**
 * The audit log's file: JSON lines appended, written in batches off the request path.
 *
 * A request only adds its line to a buffer; a timer writes the buffer within `flushIntervalMs` (250 ms by default,
 * so an event is on the disk, synced, within a second of its answer), sooner once a megabyte has gathered, and
 * always on close. One write runs at a time, so lines keep their order.
 *
 * A write that fails (disk full, an I/O error) must not stop the database: the batch's events are dropped (what
 * part of the batch reached the file is taken back, so that the file holds whole lines only) and counted (`cairn_audit_events_dropped_total` on /metrics), a warning is logged (at most one every ten seconds, with
 * the count), and writing resumes with the next batch, so the log picks up again once space is freed. Events are
 * also dropped, and counted, when more than 64 MiB wait for a disk that does not keep up, so that a stalled disk
 * cannot exhaust memory.
 *
 * Rotation (`maxBytes`): before a batch would take the file past the limit, the file is renamed to
 * `<file>.<UTC time>` and a new one started. A single batch larger than the limit is still written whole.
 * A file the log creates is readable by its owner only (0600).
 */
import { open, rename, type FileHandle } from 'node:fs/promises';
import type { Logger } from '../http/logger.js';

export interface AuditLogOptions {
  readonly file: string;
  /** Rotate before the file would grow past this many bytes (default: never). */
  readonly maxBytes?: number;
  readonly flushIntervalMs?: number;
  readonly logger: Logger;
}

export interface AuditLogStats {
  /** Events written to the file. */
  readonly written: number;
  /** Events lost: their write failed, or too many waited. */
  readonly dropped: number;
  /** Writes that failed. */
  readonly writeErrors: number;
  /** Files rotated away. */
  readonly rotations: number;
}

const DEFAULT_FLUSH_INTERVAL_MS = 250;
const FLUSH_AT_BYTES = 1024 * 1024;
const MAX_PENDING_BYTES = 64 * 1024 * 1024;
const WARN_INTERVAL_MS = 10_000;
/** A new file is readable by its owner only: its keys and names are the data's, and who did what is sensitive too. */
const FILE_MODE = 0o600;

export class AuditLog {
  private pending: string[] = [];
  private pendingBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  /** The write under way (and those chained after it): each batch waits for the one before. */
  private writing: Promise<void> = Promise.resolve();
  private size: number;
  private closed = false;
  private lastWarning = -Infinity;
  private lastStamp = '';
  /** The file ends in a line cut short by a failed write (see removePartial). */
  private cutLine = false;
  private sameStamp = 0;
  private counts = { written: 0, dropped: 0, writeErrors: 0, rotations: 0 };

  private constructor(
    private readonly options: AuditLogOptions,
    private handle: FileHandle,
    size: number,
  ) {
    this.size = size;
  }

  /** Opens (creating if needed) the file for appending; throws with the file's name when it cannot be. */
  static async open(options: AuditLogOptions): Promise<AuditLog> {
    let handle: FileHandle;
    try {
      handle = await open(options.file, 'a', FILE_MODE);
    } catch (error) {
      throw new Error(`cannot open the audit log ${options.file}: ${error instanceof Error ? error.message : String(error)}`);
    }
    let size = 0;
    try {
      size = (await handle.stat()).size;
    } catch {
      // A device or pipe has no meaningful size; rotation then starts counting from here.
    }
    return new AuditLog(options, handle, size);
  }

  get stats(): AuditLogStats {
    return { ...this.counts };
  }

  /** Adds one event (a JSON value on one line). Never throws, never waits. */
  append(line: string): void {
    if (this.closed) return;
    if (this.pendingBytes > MAX_PENDING_BYTES) {
      this.counts.dropped++;
      this.warn(`more than ${MAX_PENDING_BYTES} bytes of events wait for the disk`);
      return;
    }
    this.pending.push(line);
    this.pendingBytes += line.length + 1;
    if (this.pendingBytes >= FLUSH_AT_BYTES) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS).unref();
  }

  /** Writes what is buffered; resolves once it is written (or dropped). */
  flush(): Promise<void> {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.pending.length === 0) return this.writing;
    const batch = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    this.writing = this.writing.then(() => this.write(batch));
    return this.writing;
  }

  /** Flushes and closes the file; later events are ignored. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
    await this.handle.close().catch(() => undefined);
  }

  private async write(batch: readonly string[]): Promise<void> {
    // After a line cut short that could not be removed, a newline first: the cut line stays apart, as one bad line.
    const bytes = Buffer.from(`${this.cutLine ? '\n' : ''}${batch.join('\n')}\n`, 'utf8');
    const maxBytes = this.options.maxBytes;
    if (maxBytes !== undefined && this.size > 0 && this.size + bytes.length > maxBytes) await this.rotate();
    let offset = 0;
    try {
      // A write may be partial (a nearly full disk takes part of it): the rest follows, or fails with the reason.
      while (offset < bytes.length) {
        const { bytesWritten } = await this.handle.write(bytes, offset, bytes.length - offset);
        if (bytesWritten === 0) throw new Error('no bytes written');
        offset += bytesWritten;
      }
    } catch (error) {
      this.counts.writeErrors++;
      this.counts.dropped += batch.length;
      this.warn(`cannot write ${events(batch.length)}: ${error instanceof Error ? error.message : String(error)}`);
      if (offset > 0) await this.removePartial(offset);
      return;
    }
    this.size += bytes.length;
    this.cutLine = false;
    this.counts.written += batch.length;
    try {
      await this.sync();
    } catch (error) {
      // Written, but perhaps not yet durable: the kernel still holds the lines and retries them.
      this.counts.writeErrors++;
      this.warn(`cannot sync ${events(batch.length)} to disk: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /**
   * Takes back the part of a batch that a failed write left at the end of the file (truncating to where the batch
   * began), so that the file holds whole lines only; where that fails (a file that cannot be truncated), the next
   * batch starts on a new line.
   */
  private async removePartial(written: number): Promise<void> {
    try {
      await this.handle.truncate(this.size);
    } catch {
      this.size += written;
      this.cutLine = true;
    }
  }

  /**
   * Makes a written batch durable (a batch is at most a few a second, so this costs the disk little). A file that
   * cannot be synced (a pipe, a character device) is written without it.
   */
  private async sync(): Promise<void> {
    try {
      await this.handle.datasync();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EINVAL' && code !== 'ENOTSUP' && code !== 'EROFS') throw error;
    }
  }

  /** Moves the full file aside and starts a new one; on failure, keeps appending to the current file. */
  private async rotate(): Promise<void> {
    const file = this.options.file;
    // Two rotations within one millisecond must not rename onto each other (rename replaces its target).
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    this.sameStamp = stamp === this.lastStamp ? this.sameStamp + 1 : 0;
    this.lastStamp = stamp;
    const aside = `${file}.${stamp}${this.sameStamp === 0 ? '' : `-${this.sameStamp}`}`;
    try {
      await rename(file, aside);
    } catch (error) {
      this.warn(`cannot rotate to ${aside}: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    const previous = this.handle;
    try {
      this.handle = await open(file, 'a', FILE_MODE);
      this.size = 0;
      this.counts.rotations++;
    } catch (error) {
      // The renamed file is still open: keep writing to it rather than lose events.
      this.warn(`cannot start a new audit log after rotating: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    await previous.close().catch(() => undefined);
  }

  private warn(reason: string): void {
    const now = Date.now();
    if (now - this.lastWarning < WARN_INTERVAL_MS) return;
    this.lastWarning = now;
    this.options.logger.warn(`audit log ${this.options.file}: ${reason}; ${events(this.counts.dropped)} dropped so far (requests are served regardless)`);
  }
}

function events(count: number): string {
  return `${count} event${count === 1 ? '' : 's'}`;
}
