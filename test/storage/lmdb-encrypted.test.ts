/**
 * The LMDB storage with encryption at rest: the shared contract, nothing readable in the directory's files
 * (LMDB, the write-ahead log) before or after merges and restarts, the start-up key check, and a key rotation
 * that runs while commits go on.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open } from 'lmdb';
import { LmdbStorage } from '../../src/storage/lmdb/lmdb-storage.js';
import type { Storage } from '../../src/storage/storage.js';
import { runStorageContract } from './storage-contract.js';

const KEY_A = Buffer.alloc(32, 0x5a);
const KEY_B = Buffer.alloc(32, 0x3c);
const MARKER = 'MARKER-plaintext-7f3e';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'cairn-lmdb-crypt-'));
}

async function withDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = tempDir();
  try {
    await body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function fixture(options: { mergeAt?: number }) {
  return () => {
    const dir = tempDir();
    const storage = new LmdbStorage({ path: dir, encryption: { key: KEY_A }, ...options });
    return Promise.resolve({
      storage,
      dispose: async () => {
        await storage.close();
        rmSync(dir, { recursive: true, force: true });
      },
    });
  };
}

runStorageContract('LmdbStorage encrypted', fixture({}), { snapshots: true });
runStorageContract('LmdbStorage encrypted, merging constantly', fixture({ mergeAt: 2 }), { snapshots: true });

/** Every regular file under `dir`, byte for byte. */
function filesUnder(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const path = join(dir, name);
    if (statSync(path).isFile()) files.set(name, readFileSync(path));
  }
  return files;
}

function assertNoMarker(dir: string, marker = MARKER): void {
  for (const [name, bytes] of filesUnder(dir)) {
    assert.equal(bytes.includes(Buffer.from(marker)), false, `${name} holds the marker in clear`);
  }
}

const key = (n: number): Uint8Array => Buffer.from(`k${String(n).padStart(5, '0')}`);

async function put(storage: Storage, n: number, value: unknown): Promise<void> {
  await storage.atomic([], () => ({ writes: [{ space: 't/items', key: key(n), value, tag: n }], result: undefined }));
}

test('no value is readable in any file of the directory: log, merged LMDB, after a restart', () =>
  withDir(async (dir) => {
    // The same store without encryption would hold the marker: the check below can fail.
    const clearDir = join(dir, 'clear');
    const clear = new LmdbStorage({ path: clearDir, mergeEveryMs: 60_000 });
    await put(clear, 1, { v: { S: MARKER } });
    assert.throws(() => assertNoMarker(clearDir));
    await clear.close();

    const path = join(dir, 'encrypted');
    const first = new LmdbStorage({ path, encryption: { key: KEY_A }, mergeEveryMs: 60_000 });
    for (let n = 0; n < 50; n++) await put(first, n, { v: { S: `${MARKER} ${n}` } });
    // Only logged so far.
    assert.ok(readdirSync(join(path, 'wal')).length > 0);
    assertNoMarker(path);
    assert.deepEqual(await first.get('t/items', key(7)), { v: { S: `${MARKER} 7` } });
    await first.close();
    assertNoMarker(path);
    const second = new LmdbStorage({ path, encryption: { key: KEY_A } });
    assert.deepEqual(await second.get('t/items', key(7)), { v: { S: `${MARKER} 7` } });
    assert.equal(Buffer.from((await second.getEncoded?.('t/items', key(8))) ?? []).toString(), `{"v":{"S":"${MARKER} 8"}}`);
    const values: unknown[] = [];
    for await (const entry of second.range('t/items', { limit: 2 })) values.push(entry.value);
    assert.deepEqual(values, [{ v: { S: `${MARKER} 0` } }, { v: { S: `${MARKER} 1` } }]);
    const [lazy] = await second.atomic([{ space: 't/items', key: key(9), lazy: true }], (current) => ({ writes: [], result: current }));
    assert.equal((lazy as { tag: number }).tag, 9);
    await second.close();
    assertNoMarker(path);
  }));

test('a wrong key, a missing key and a key for an unencrypted directory are refused before anything is read', () =>
  withDir(async (dir) => {
    const path = join(dir, 'data');
    const store = new LmdbStorage({ path, encryption: { key: KEY_A } });
    await put(store, 1, { v: { S: 'x' } });
    await store.close();
    assert.throws(() => new LmdbStorage({ path, encryption: { key: KEY_B } }), {
      message: `the key of --encryption-key-file is not the key data directory ${path} is encrypted with`,
    });
    assert.throws(() => new LmdbStorage({ path }), {
      message: `data directory ${path} is encrypted at rest: start Cairn with --encryption-key-file naming its key`,
    });
    const plainPath = join(dir, 'plain');
    const plain = new LmdbStorage({ path: plainPath });
    await put(plain, 1, { v: { S: 'x' } });
    await plain.close();
    assert.throws(() => new LmdbStorage({ path: plainPath, encryption: { key: KEY_A } }), {
      message:
        `data directory ${plainPath} was written without encryption: Cairn does not encrypt an existing directory in place; ` +
        'start without --encryption-key-file, or give a new data directory and copy the tables into it',
    });
    // The refusals left both directories as they were, and the directory lock free.
    const again = new LmdbStorage({ path, encryption: { key: KEY_A } });
    assert.deepEqual(await again.get('t/items', key(1)), { v: { S: 'x' } });
    await again.close();
  }));

/** The key id of every value LMDB holds (the first byte of each sealed value, after a clear tag header if any). */
async function keyIdsInLmdb(path: string): Promise<Map<number, number>> {
  const db = open<Buffer, Buffer>(path, { noSubdir: false, keyEncoding: 'binary', encoding: 'binary', pageSize: 8192, readOnly: true });
  const ids = new Map<number, number>();
  try {
    for (const { value } of db.getRange()) {
      const id = value[0] === 0 ? (value[5] as number) : (value[0] as number);
      ids.set(id, (ids.get(id) ?? 0) + 1);
    }
  } finally {
    await db.close();
  }
  return ids;
}

test('a key rotation re-encrypts every value while commits go on, survives a restart half way, then needs only the new key', () =>
  withDir(async (path) => {
    const ITEMS = 3000;
    const first = new LmdbStorage({ path, encryption: { key: KEY_A } });
    for (let n = 0; n < ITEMS; n += 100) {
      await first.atomic([], () => ({
        writes: Array.from({ length: 100 }, (_, i) => ({ space: 't/items', key: key(n + i), value: { n: n + i, v: 'old' } })),
        result: undefined,
      }));
    }
    await first.close();
    assert.deepEqual([...(await keyIdsInLmdb(path))], [[1, ITEMS]]);

    // Started, then closed half way: the directory now needs both keys.
    const interrupted = new LmdbStorage({ path, encryption: { key: KEY_B, previousKey: KEY_A }, rotateBatch: 10 });
    await interrupted.close();
    assert.equal(await interrupted.keyRotation, undefined);
    const ids = await keyIdsInLmdb(path);
    assert.ok((ids.get(1) ?? 0) > 0, 'the rotation had not finished');
    assert.throws(() => new LmdbStorage({ path, encryption: { key: KEY_B } }), {
      message:
        `a key rotation of data directory ${path} is not finished: start Cairn with --encryption-key-file naming the new key ` +
        'and --previous-encryption-key-file naming the old key, and it finishes the rotation in the background',
    });
    assert.throws(() => new LmdbStorage({ path, encryption: { key: KEY_A } }), {
      message:
        `the key of --encryption-key-file is the old key of data directory ${path}, whose rotation to a new key is not finished: ` +
        'give the new key with --encryption-key-file and the old one with --previous-encryption-key-file',
    });

    // Resumed with both keys, under load: commits rewrite items while the rotation walks them.
    let rotated = 0;
    const store = new LmdbStorage({ path, encryption: { key: KEY_B, previousKey: KEY_A }, rotateBatch: 50, mergeAt: 200, onKeyRotated: () => rotated++ });
    let writing = true;
    const writer = (async () => {
      let n = 0;
      while (writing) {
        await put(store, (n * 7) % ITEMS, { n: (n * 7) % ITEMS, v: 'new' });
        n++;
      }
      return n;
    })();
    // Reads during the rotation see every item, whichever key it is under.
    for (let n = 0; n < ITEMS; n += 97) assert.equal(((await store.get('t/items', key(n))) as { n: number }).n, n);
    await store.keyRotation;
    writing = false;
    assert.ok((await writer) > 0);
    assert.equal(rotated, 1);
    let count = 0;
    for await (const entry of store.range('t/items')) assert.equal((entry.value as { n: number }).n, count++);
    assert.equal(count, ITEMS);
    await store.close();
    assert.deepEqual([...(await keyIdsInLmdb(path))], [[2, ITEMS]]);
    // Nothing is left in the log either (a close merges it all).
    if (existsSync(join(path, 'wal'))) for (const name of readdirSync(join(path, 'wal'))) assert.equal(statSync(join(path, 'wal', name)).size, 0);

    // The old key is no longer needed (nor accepted as the current one); the new one alone opens everything.
    const after = new LmdbStorage({ path, encryption: { key: KEY_B } });
    assert.equal(after.keyRotation, undefined);
    for (let n = 0; n < ITEMS; n += 61) assert.equal(((await after.get('t/items', key(n))) as { n: number }).n, n);
    await after.close();
    assert.throws(() => new LmdbStorage({ path, encryption: { key: KEY_A } }), {
      message: `the key of --encryption-key-file is not the key data directory ${path} is encrypted with`,
    });
  }));
