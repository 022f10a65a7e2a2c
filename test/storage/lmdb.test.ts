import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LmdbStorage } from '../../src/storage/lmdb/lmdb-storage.js';
import { openStorage } from '../../src/storage/open-storage.js';
import type { Storage, StoredValue } from '../../src/storage/storage.js';
import { runStorageContract } from './storage-contract.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'cairn-lmdb-test-'));
}

async function withDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = tempDir();
  try {
    await body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function put(storage: Storage, space: string, key: Uint8Array, value: unknown): Promise<void> {
  await storage.atomic([], () => ({ writes: [{ space, key, value }], result: undefined }));
}

runStorageContract('LmdbStorage', () => {
  const dir = tempDir();
  const storage = new LmdbStorage({ path: dir });
  return Promise.resolve({
    storage,
    dispose: async () => {
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}, { snapshots: true });

// The same contract while merges of pending writes into LMDB run all the time (after every other write), so
// that reads, ranges and commits are checked across the log/LMDB boundary too.
runStorageContract('LmdbStorage merging constantly', () => {
  const dir = tempDir();
  const storage = new LmdbStorage({ path: dir, mergeAt: 2 });
  return Promise.resolve({
    storage,
    dispose: async () => {
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}, { snapshots: true });

test('LmdbStorage keeps commits across close and reopen', () => withDir(async (dir) => {
  const first = new LmdbStorage({ path: dir });
  await put(first, 't/1', Uint8Array.of(1), { S: 'kept' });
  await put(first, 't/1', Uint8Array.of(2), { S: 'deleted' });
  await put(first, 't/1', Uint8Array.of(2), undefined);
  await first.close();
  const second = await openStorage({ dataDir: dir });
  assert.ok(second instanceof LmdbStorage);
  assert.deepEqual(await second.get('t/1', Uint8Array.of(1)), { S: 'kept' });
  assert.equal(await second.get('t/1', Uint8Array.of(2)), undefined);
  await second.close();
}));

test('LmdbStorage grows its map for data far beyond the initial size', () => withDir(async (dir) => {
  const storage = new LmdbStorage({ path: dir });
  const value = { S: 'x'.repeat(64 * 1024) };
  // 48 MB in commits of 16 values of 64 KB.
  for (let batch = 0; batch < 48; batch++) {
    await storage.atomic([], () => ({
      writes: Array.from({ length: 16 }, (_, i) => ({ space: 's', key: Uint8Array.of(batch, i), value })),
      result: undefined,
    }));
  }
  assert.deepEqual(await storage.get('s', Uint8Array.of(47, 15)), value);
  let count = 0;
  for await (const _entry of storage.range('s')) count++;
  assert.equal(count, 48 * 16);
  await storage.close();
}));

test('LmdbStorage accepts keys up to 4026 bytes with the prefix and rejects longer ones atomically', () => withDir(async (dir) => {
  const storage = new LmdbStorage({ path: dir });
  // 's' + separator take 2 bytes.
  const longest = new Uint8Array(4024).fill(0xab);
  await put(storage, 's', longest, 'fits');
  assert.equal(await storage.get('s', longest), 'fits');
  await assert.rejects(storage.atomic([], () => ({
    writes: [
      { space: 's', key: Uint8Array.of(1), value: 'must not stay' },
      { space: 's', key: new Uint8Array(4025), value: 'too long' },
    ],
    result: undefined,
  })), { name: 'RangeError', message: 'storage key of 4027 bytes exceeds the maximum of 4026' });
  assert.equal(await storage.get('s', Uint8Array.of(1)), undefined);
  await storage.close();
}));

test('LmdbStorage rejects space names it cannot keep apart', () => withDir(async (dir) => {
  const storage = new LmdbStorage({ path: dir });
  await assert.rejects(storage.get('a\u0000b', Uint8Array.of(1)), { name: 'TypeError', message: 'invalid storage space name "a\\u0000b"' });
  await assert.rejects(storage.get('', Uint8Array.of(1)), { name: 'TypeError', message: 'invalid storage space name ""' });
  await storage.close();
}));

test('LmdbStorage close ends iterations still open', () => withDir(async (dir) => {
  const storage = new LmdbStorage({ path: dir });
  await storage.atomic([], () => ({
    writes: [1, 2, 3].map((n) => ({ space: 's', key: Uint8Array.of(n), value: n })),
    result: undefined,
  }));
  const iterator = storage.range('s')[Symbol.asyncIterator]();
  assert.deepEqual((await iterator.next()).value, { key: Uint8Array.of(1), value: 1 });
  await storage.close();
  assert.deepEqual(await iterator.next(), { value: undefined, done: true });
}));

test('LmdbStorage takes an existing directory whose name has a dot as its directory', () => withDir(async (dir) => {
  const dotted = join(dir, 'data.v2');
  mkdirSync(dotted);
  const storage = new LmdbStorage({ path: dotted });
  await put(storage, 's', Uint8Array.of(1), { v: 1 });
  assert.deepEqual(await storage.get('s', Uint8Array.of(1)), { v: 1 });
  assert.deepEqual(new TextDecoder().decode(await storage.getEncoded('s', Uint8Array.of(1))), '{"v":1}');
  await storage.close();
  assert.deepEqual(readdirSync(dotted).sort(), ['data.mdb', 'lock.mdb', 'wal']);
}));

test('LmdbStorage keeps tags through merges and a reopen, and serves tagged values as plain JSON', () => withDir(async (dir) => {
  const lazyTag = (storage: Storage, key: Uint8Array): Promise<number | undefined> =>
    storage.atomic([{ space: 's', key, lazy: true }], ([current]) => ({
      writes: [],
      result: (current as StoredValue | undefined)?.tag,
    }));
  const first = new LmdbStorage({ path: dir, mergeAt: 1 });
  await first.atomic([], () => ({ writes: [{ space: 's', key: Uint8Array.of(1), value: { v: 1 }, tag: 42 }], result: undefined }));
  assert.equal(await lazyTag(first, Uint8Array.of(1)), 42);
  assert.equal(new TextDecoder().decode(await first.getEncoded('s', Uint8Array.of(1))), '{"v":1}');
  // More commits, so that the first one is merged into LMDB and read back from there.
  for (let n = 2; n < 10; n++) await put(first, 's', Uint8Array.of(n), n);
  await first.close();
  const second = new LmdbStorage({ path: dir });
  assert.equal(await lazyTag(second, Uint8Array.of(1)), 42);
  assert.equal(await lazyTag(second, Uint8Array.of(2)), undefined);
  assert.deepEqual(await second.get('s', Uint8Array.of(1)), { v: 1 });
  assert.equal(new TextDecoder().decode(await second.getEncoded('s', Uint8Array.of(1))), '{"v":1}');
  assert.deepEqual((await collectAll(second)).slice(0, 2), [
    { key: Uint8Array.of(1), value: { v: 1 } },
    { key: Uint8Array.of(2), value: 2 },
  ]);
  await second.close();
}));

async function collectAll(storage: Storage): Promise<{ key: Uint8Array; value: unknown }[]> {
  const entries: { key: Uint8Array; value: unknown }[] = [];
  for await (const entry of storage.range('s')) entries.push(entry);
  return entries;
}

test('LmdbStorage refuses a directory another instance holds, until that one is closed', () => withDir(async (dir) => {
  const first = new LmdbStorage({ path: dir });
  assert.throws(() => new LmdbStorage({ path: dir }), {
    message: `data directory ${dir} is in use by another Cairn instance (this process); one process per data directory`,
  });
  await first.close();
  const second = new LmdbStorage({ path: dir });
  await second.close();
}));
