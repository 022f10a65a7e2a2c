/**
 * Restarting after a crash on a nearly full disk: recovery replays the write-ahead log a segment at a time and
 * deletes each segment once LMDB has its writes, so it needs little more free space than one segment's writes,
 * not the size of the whole log (which it needed when the log was removed only after one transaction of all of
 * it). Runs on a small tmpfs; skipped loudly where one cannot be mounted.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
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
after(() => tmpfs.remove());

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

  const storage = new LmdbStorage({ path: dir });
  try {
    for (let n = 0; n < VALUES; n++) {
      const value = (await storage.get('fill', Buffer.from(`v/${n}`))) as { S: string } | undefined;
      assert.equal(value?.S.length, 64 * 1024, `value ${n}`);
    }
    assert.deepEqual(readdirSync(join(dir, 'wal')).length, 1, 'the replayed log is gone (one new, empty segment)');
  } finally {
    await storage.close();
  }
});
