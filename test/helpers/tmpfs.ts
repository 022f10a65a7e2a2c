/**
 * A small tmpfs for tests of a full disk. Mounting needs root; where it fails, `mounted` is false and `error`
 * says why, and the test must say so loudly and skip (never pass silently).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Tmpfs {
  readonly path: string;
  readonly mounted: boolean;
  readonly error: string;
  /** Free bytes on it. */
  free(): number;
  /** Unmounts it and removes the mount point. */
  remove(): void;
}

export function mountTmpfs(prefix: string, megabytes: number): Tmpfs {
  const path = mkdtempSync(join(tmpdir(), prefix));
  let mounted = false;
  let error = '';
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m`, 'tmpfs', path], { stdio: 'pipe' });
    mounted = true;
  } catch (failure) {
    error = failure instanceof Error ? failure.message : String(failure);
  }
  return {
    path,
    mounted,
    error,
    free: () => Number(execFileSync('df', ['--output=avail', '-B1', path], { encoding: 'utf8' }).trim().split('\n')[1]),
    remove: () => {
      if (mounted) {
        try {
          execFileSync('umount', ['-l', path], { stdio: 'pipe' });
        } catch {
          // Left mounted: nothing more to do here.
        }
      }
      rmSync(path, { recursive: true, force: true });
    },
  };
}

/** Skips a test that needs a tmpfs, loudly: on stderr and in the test report. */
export function skipWithoutTmpfs(t: { diagnostic(message: string): void; skip(message: string): void }, tmpfs: Tmpfs): boolean {
  if (tmpfs.mounted) return false;
  const message = `DISK-FULL TEST NOT RUN: cannot mount a tmpfs (root needed): ${tmpfs.error}`;
  process.stderr.write(`\n*** ${message} ***\n\n`);
  t.diagnostic(message);
  t.skip(message);
  return true;
}
