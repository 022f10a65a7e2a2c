/**
 * One process per data directory. The pending writes of the LMDB storage live in its process's memory and its
 * write-ahead log is the process's own, so two processes on one directory would each replay, merge and delete
 * the other's log segments, and acknowledged writes would be lost. (LMDB itself lets several processes share an
 * environment, so its lock file does not prevent this.)
 *
 * The lock is a file `cairn.pid` holding the owner's pid and start time, created atomically (written aside, then
 * hard-linked into place, which fails if the file exists). Node has no flock, so the lock is not released by the
 * operating system when its owner dies; instead a lock whose owner is gone is stale and taken over: kill -9
 * never blocks a restart. On Linux the start time from /proc tells a reused pid (and a zombie) from the owner.
 * Two processes starting on a stale lock in the same instant could both take it over; that race is accepted.
 */
import { linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const LOCK_FILE = 'cairn.pid';

interface Owner {
  readonly pid: number;
  /** The process's start time (clock ticks since boot, /proc/<pid>/stat), where the platform tells it. */
  readonly start: string | undefined;
}

export class DirectoryLock {
  private released = false;

  private constructor(
    private readonly path: string,
    private readonly identity: string,
  ) {}

  /** Takes the lock of `directory` (which exists), or throws an Error naming the directory and the owner's pid. */
  static acquire(directory: string): DirectoryLock {
    const path = join(directory, LOCK_FILE);
    const identity = `${process.pid} ${startTimeOf(process.pid) ?? '-'}\n`;
    const aside = `${path}.${process.pid}.tmp`;
    writeFileSync(aside, identity);
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          linkSync(aside, path);
          return new DirectoryLock(path, identity);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 2) throw error;
        }
        const owner = readOwner(path);
        if (owner !== undefined && isRunning(owner)) {
          const who = owner.pid === process.pid ? 'this process' : `process ${owner.pid}`;
          throw new Error(`data directory ${directory} is in use by another Cairn instance (${who}); one process per data directory`);
        }
        // The owner is gone (kill -9, power loss): its lock is stale.
        rmSync(path, { force: true });
      }
    } finally {
      rmSync(aside, { force: true });
    }
  }

  /** Gives the lock up (if it is still ours). */
  release(): void {
    if (this.released) return;
    this.released = true;
    try {
      if (readFileSync(this.path, 'utf8') === this.identity) rmSync(this.path, { force: true });
    } catch {
      // Already gone: nothing to release.
    }
  }
}

function readOwner(path: string): Owner | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  const [pid, start] = text.trim().split(' ');
  const number = Number(pid);
  if (!Number.isSafeInteger(number) || number <= 0) return undefined;
  return { pid: number, start: start === undefined || start === '-' ? undefined : start };
}

function isRunning(owner: Owner): boolean {
  if (owner.pid !== process.pid) {
    try {
      process.kill(owner.pid, 0);
    } catch (error) {
      // EPERM: the process exists but belongs to another user.
      return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
  }
  const stat = procStat(owner.pid);
  if (stat === undefined) return true;
  if (stat.state === 'Z') return false;
  return owner.start === undefined || stat.start === owner.start;
}

function startTimeOf(pid: number): string | undefined {
  return procStat(pid)?.start;
}

/** State and start time of a process from /proc/<pid>/stat (Linux); undefined elsewhere. */
function procStat(pid: number): { state: string; start: string } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // `pid (comm) state ppid ...`: comm may hold spaces and parentheses, so fields are counted after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const start = fields[19];
  return state === undefined || start === undefined ? undefined : { state, start };
}
