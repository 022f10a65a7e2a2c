/**
 * Restarting after a crash on a nearly full disk: the restarted store serves the log's writes from memory at once,
 * and its merges then move them into LMDB a segment at a time, deleting each segment once LMDB has its writes, so
 * they need little more free space than one segment's writes, not the size of the whole log (which recovery
 * needed when the log was removed only after one transaction of all of it). Runs on a small tmpfs; skipped loudly
 * where one cannot be mounted.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LmdbStorage } from '../../src/storage/lmdb/lmdb-storage.js';
import { mountTmpfs, skipWithoutTmpfs } from '../helpers/tmpfs.js';

const FILLER = fileURLToPath(new URL('./fixtures/log-filler.js', import.meta.url));
const FILESYSTEM_MB = 40;
/** 24 MiB of values: six log segments, more than the space left once they are on disk. */
const VALUES = 384;
const MiB = 1024 * 1024;

const tmpfs = mountTmpfs('cairn-restart-space-', FILESYSTEM_MB);
const small = mountTmpfs('cairn-merge-full-', 8);
after(() => {
  tmpfs.remove();
  small.remove();
});

function fillLog(dir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [FILLER, dir, String(VALUES)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('done')) child.kill('SIGKILL');
    });
    child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`filler exited by itself: ${stderr}`))));
  });
}

test('a restart replays a log larger than the free space', { timeout: 60_000 }, async (t) => {
  if (skipWithoutTmpfs(t, tmpfs)) return;
  const dir = join(tmpfs.path, 'data');
  await fillLog(dir);
  const logBytes = readdirSync(join(dir, 'wal')).reduce((sum, name) => sum + statSync(join(dir, 'wal', name)).size, 0);
  assert.ok(logBytes >= 24 * MiB, `the log holds ${logBytes} bytes`);
  assert.ok(tmpfs.free() < logBytes, `free ${tmpfs.free()} < log ${logBytes}`);

  const readAll = async (storage: LmdbStorage): Promise<void> => {
    for (let n = 0; n < VALUES; n++) {
      const value = (await storage.get('fill', Buffer.from(`v/${n}`))) as { S: string } | undefined;
      assert.equal(value?.S.length, 64 * 1024, `value ${n}`);
    }
  };
  const storage = new LmdbStorage({ path: dir, mergeEveryMs: 50 });
  try {
    await readAll(storage);
    // The background merges move the log into LMDB and delete it, leaving the new (empty) segment.
    for (let waited = 0; readdirSync(join(dir, 'wal')).length > 1 && waited < 30_000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.deepEqual(readdirSync(join(dir, 'wal')).length, 1, 'the merged log is gone (one new, empty segment)');
  } finally {
    await storage.close();
  }
  // Now from LMDB alone.
  const reopened = new LmdbStorage({ path: dir });
  try {
    await readAll(reopened);
  } finally {
    await reopened.close();
  }
});

test('merges that fail on a full disk end nothing, and resume once space is freed', { timeout: 60_000 }, async (t) => {
  if (skipWithoutTmpfs(t, small)) return;
  const ballast = join(small.path, 'ballast');
  writeFileSync(ballast, Buffer.alloc(2 * MiB, 1));
  const dir = join(small.path, 'data');
  const value = { S: 'm'.repeat(48 * 1024) };
  const put = (storage: LmdbStorage, key: string): Promise<unknown> =>
    storage.atomic([], () => ({ writes: [{ space: 'm', key: Buffer.from(key), value }], result: 0 }));
  // Merges after every 20 commits, so that LMDB, not only the log, runs out of space.
  const storage = new LmdbStorage({ path: dir, mergeAt: 20 });
  const acknowledged: string[] = [];
  let refused = 0;
  for (let n = 0; refused < 5 && n < 1000; n++) {
    try {
      await put(storage, `k${n}`);
      acknowledged.push(`k${n}`);
    } catch {
      refused++;
    }
    if (n % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.equal(refused, 5, 'the disk filled up');
  // Failed merges (the timer retries every second) must not end the process with an unhandled rejection.
  await new Promise((resolve) => setTimeout(resolve, 2500));
  rmSync(ballast);
  let resumed = false;
  for (let attempt = 0; attempt < 50 && !resumed; attempt++) {
    try {
      await put(storage, 'resumed');
      resumed = true;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  assert.ok(resumed, 'commits resumed once space was freed');
  await storage.close();
  const reopened = new LmdbStorage({ path: dir });
  try {
    for (const key of [...acknowledged, 'resumed']) assert.deepEqual(await reopened.get('m', Buffer.from(key)), value, key);
  } finally {
    await reopened.close();
  }
});
