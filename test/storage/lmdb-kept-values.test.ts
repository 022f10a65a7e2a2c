/**
 * The values LmdbStorage keeps for reads of whole items (opened-values.ts), in a plain and in an encrypted store:
 * a read after any change of its key, merged or not, sees the change.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LmdbStorage } from '../../src/storage/lmdb/lmdb-storage.js';

const KEY = Buffer.alloc(32, 0x5a);

async function withDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-lmdb-kept-'));
  try {
    await body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const encrypted of [false, true]) {
  test(`values kept for reads (${encrypted ? 'decrypted, in an encrypted store' : 'a plain store'}) follow every write, merge, delete and clear of their keys`, () =>
    withDir(async (dir) => {
      const storage = new LmdbStorage({ path: dir, ...(encrypted ? { encryption: { key: KEY } } : {}), mergeAt: 1, openedValuesBytes: 200 });
      // Waiting for merges needs the pending writes' count, which the Storage interface has no reason to show.
      const internals = storage as unknown as { pending: { size: number } };
      const merged = async (): Promise<void> => {
        while (internals.pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 5));
      };
      const key = Buffer.from('k');
      const write = (value: unknown): Promise<void> => storage.atomic([], () => ({ writes: [{ space: 's', key, value }], result: undefined }));
      const read = async (space = 's', at: Uint8Array = key): Promise<string | undefined> => {
        const bytes = await storage.getEncoded(space, at);
        return bytes === undefined ? undefined : Buffer.from(bytes).toString('utf8');
      };
      try {
        await write({ v: 1 });
        await merged();
        assert.equal(await read(), '{"v":1}', 'read from LMDB');
        assert.equal(await read(), '{"v":1}', 'kept');
        await write({ v: 2 });
        assert.equal(await read(), '{"v":2}', 'the pending write');
        await merged();
        assert.equal(await read(), '{"v":2}', 'merged: LMDB again, not the value kept before the write');
        await write(undefined);
        await merged();
        assert.equal(await read(), undefined, 'deleted');
        await write({ v: 3 });
        await merged();
        assert.equal(await read(), '{"v":3}');
        await storage.clearSpace('s');
        assert.equal(await read(), undefined, 'cleared');
        // Past the budget (200 bytes) the oldest values go; every one still reads right, from LMDB.
        const keys = Array.from({ length: 30 }, (_, i) => Buffer.from(`key${i}`));
        await storage.atomic([], () => ({ writes: keys.map((at, i) => ({ space: 't', key: at, value: { i } })), result: undefined }));
        await merged();
        for (let round = 0; round < 2; round++) {
          for (const [i, at] of keys.entries()) assert.equal(await read('t', at), `{"i":${i}}`);
        }
      } finally {
        await storage.close();
      }
    }));
}
