/**
 * The write-ahead log's files on node:fs's callback API, each call wrapped in a promise of its own.
 *
 * Why not node:fs/promises' FileHandle: that module is loaded with everything it brings (readline's interface,
 * directory watchers...), which cost every start about 1 ms before its first answer, for a log that needs four
 * calls of it. What a FileHandle does besides, a close that waits for the calls in flight (so that a write can
 * never reach a descriptor number reused by another file), DescriptorFile does too.
 */
import { close, fdatasync, fsync, open, rm, writev } from 'node:fs';

/** The operations the log needs of a segment file; tests replace them to inject failures. */
export interface LogFile {
  writev(buffers: Buffer[], position: number): Promise<{ bytesWritten: number }>;
  datasync(): Promise<void>;
  close(): Promise<void>;
}

/** Opens (creating or truncating, as `flags` say) a file for the log's writes. */
export function openLogFile(path: string, flags: number | string): Promise<LogFile> {
  return new Promise((resolve, reject) => open(path, flags, (error, fd) => (error === null ? resolve(new DescriptorFile(fd)) : reject(error))));
}

/** fsync of a directory, off the event loop (each new segment's directory entry). */
export function syncDirectory(path: string): Promise<void> {
  return new Promise((resolve, reject) =>
    open(path, 'r', (error, fd) => {
      if (error !== null) {
        reject(error);
        return;
      }
      fsync(fd, (syncError) => close(fd, (closeError) => settle(resolve, reject, syncError ?? closeError)));
    }),
  );
}

/** Deletes a file if it is there. */
export function removeFile(path: string): Promise<void> {
  return new Promise((resolve, reject) => rm(path, { force: true }, (error) => settle(resolve, reject, error)));
}

class DescriptorFile implements LogFile {
  private inFlight = 0;
  private whenIdle: (() => void) | undefined;

  constructor(private readonly fd: number) {}

  writev(buffers: Buffer[], position: number): Promise<{ bytesWritten: number }> {
    return this.tracked(
      new Promise((resolve, reject) =>
        writev(this.fd, buffers, position, (error, bytesWritten) => (error === null ? resolve({ bytesWritten }) : reject(error))),
      ),
    );
  }

  datasync(): Promise<void> {
    return this.tracked(new Promise((resolve, reject) => fdatasync(this.fd, (error) => settle(resolve, reject, error))));
  }

  /** Closes the descriptor once no call on it is in flight. */
  async close(): Promise<void> {
    while (this.inFlight > 0) await new Promise<void>((resolve) => (this.whenIdle = resolve));
    return new Promise((resolve, reject) => close(this.fd, (error) => settle(resolve, reject, error)));
  }

  private tracked<T>(call: Promise<T>): Promise<T> {
    this.inFlight++;
    return call.finally(() => {
      if (--this.inFlight === 0) this.whenIdle?.();
    });
  }
}

function settle(resolve: () => void, reject: (error: unknown) => void, error: NodeJS.ErrnoException | null | undefined): void {
  if (error === null || error === undefined) resolve();
  else reject(error);
}
