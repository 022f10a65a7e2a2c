/**
 * Durability at the storage level: a writer process is killed with SIGKILL in the middle of concurrent commits,
 * and every commit it acknowledged must be there when the storage is reopened. Three rounds on the same
 * directory, so recovery from one crash is itself crashed into. The same with encryption at rest: the sealed log
 * records survive kill -9 and replay as well.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LmdbStorage } from '../../src/storage/lmdb/lmdb-storage.js';

const WRITER = fileURLToPath(new URL('./fixtures/crash-writer.js', import.meta.url));
const ACKS_BEFORE_KILL = 400;

/** Runs the writer until it has acknowledged enough commits, kills it, and returns the acknowledged lines. */
function crashWriter(dir: string, round: number, key: Buffer | undefined): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const args = [WRITER, dir, `r${round}`, ...(key !== undefined ? [key.toString('hex')] : [])];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const acknowledged: string[] = [];
    let partial = '';
    let stderr = '';
    let killed = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`writer made only ${acknowledged.length} acknowledgements in time; stderr: ${stderr}`));
    }, 8000);
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    child.stdout.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      // A line cut off by the kill was never completely acknowledged; keep only whole lines.
      partial = lines.pop() ?? '';
      acknowledged.push(...lines);
      if (!killed && acknowledged.length >= ACKS_BEFORE_KILL) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`writer exited by itself (${code}); stderr: ${stderr}`));
      else resolve(acknowledged);
    });
  });
}

test('every commit acknowledged before a kill -9 survives it', { timeout: 30_000 }, () => crashRounds(undefined));

test('every commit acknowledged before a kill -9 survives it, encrypted at rest', { timeout: 30_000 }, () => crashRounds(Buffer.alloc(32, 0x6d)));

async function crashRounds(key: Buffer | undefined): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-crash-test-'));
  try {
    const highestCount = new Map<string, number>();
    for (let round = 0; round < 3; round++) {
      const acknowledged = await crashWriter(dir, round, key);
      assert.ok(acknowledged.length >= ACKS_BEFORE_KILL, `${acknowledged.length} acknowledgements`);
      const storage = new LmdbStorage({ path: dir, ...(key !== undefined ? { encryption: { key } } : {}) });
      try {
        for (const line of acknowledged) {
          const [key, count] = line.split(' ') as [string, string];
          assert.deepEqual(await storage.get('crash', Buffer.from(key)), { S: key }, `acknowledged ${key} is lost`);
          const writer = key.split('/')[1] as string;
          highestCount.set(writer, Math.max(highestCount.get(writer) ?? 0, Number(count)));
        }
        // A counter never goes back below an acknowledged increment: read-modify-writes survive too.
        for (const [writer, count] of highestCount) {
          const stored = (await storage.get('crash', Buffer.from(`counter/${writer}`))) as number;
          assert.ok(stored >= count, `counter of writer ${writer} is ${stored}, acknowledged ${count}`);
        }
      } finally {
        await storage.close();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
