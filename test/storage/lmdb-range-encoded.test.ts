/**
 * LmdbStorage.rangeEncoded: the range Query and Scan pages are spliced from. The same keys and order as `range`,
 * each value as its stored JSON text and tag, across LMDB and the pending (logged, not yet merged) writes, with
 * and without encryption at rest.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LmdbStorage } from '../../src/storage/lmdb/lmdb-storage.js';
import type { EncryptionKeys } from '../../src/storage/encryption/encryption-state.js';
import type { RangeOptions, WriteRequest } from '../../src/storage/storage.js';

const SPACE = 't/items';

async function commit(storage: LmdbStorage, writes: WriteRequest[]): Promise<void> {
  await storage.atomic([], () => ({ writes, result: undefined }));
}

async function encodedRange(storage: LmdbStorage, options?: RangeOptions): Promise<[number, string, number | undefined][]> {
  const out: [number, string, number | undefined][] = [];
  for await (const { key, value } of storage.rangeEncoded(SPACE, options)) {
    out.push([key[0] as number, Buffer.from(value.json).toString('utf8'), value.tag]);
  }
  return out;
}

async function decodedRange(storage: LmdbStorage, options?: RangeOptions): Promise<[number, string][]> {
  const out: [number, string][] = [];
  for await (const { key, value } of storage.range(SPACE, options)) out.push([key[0] as number, JSON.stringify(value)]);
  return out;
}

for (const encryption of [undefined, { key: Buffer.alloc(32, 0x5a) }] as (EncryptionKeys | undefined)[]) {
  test(`rangeEncoded hands out stored JSON and tags, merged with pending writes${encryption === undefined ? '' : ', encrypted'}`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cairn-range-encoded-'));
    try {
      // In LMDB (a close merges every pending write): keys 1, 2 (tagged), 3 and 5.
      const first = new LmdbStorage({ path: dir, ...(encryption !== undefined ? { encryption } : {}) });
      await commit(first, [
        { space: SPACE, key: Uint8Array.of(1), value: { a: { S: 'one' } }, tag: 11 },
        { space: SPACE, key: Uint8Array.of(2), value: { a: { S: 'two' } }, tag: 12 },
        { space: SPACE, key: Uint8Array.of(3), value: { a: { S: 'three' } } },
        { space: SPACE, key: Uint8Array.of(5), value: { a: { S: 'five \u00e9 "q"' } }, tag: 15 },
        { space: 't/other', key: Uint8Array.of(4), value: { a: { S: 'other space' } } },
      ]);
      await first.close();
      // Pending: key 2 replaced, 3 deleted, 4 added.
      const storage = new LmdbStorage({ path: dir, ...(encryption !== undefined ? { encryption } : {}) });
      try {
        await commit(storage, [
          { space: SPACE, key: Uint8Array.of(2), value: { a: { S: 'two, again' } }, tag: 22 },
          { space: SPACE, key: Uint8Array.of(3), value: undefined },
          { space: SPACE, key: Uint8Array.of(4), value: { a: { N: '4' } }, tag: 14 },
        ]);
        assert.deepEqual(await encodedRange(storage), [
          [1, '{"a":{"S":"one"}}', 11],
          [2, '{"a":{"S":"two, again"}}', 22],
          [4, '{"a":{"N":"4"}}', 14],
          [5, '{"a":{"S":"five \u00e9 \\"q\\""}}', 15],
        ]);
        assert.deepEqual(await encodedRange(storage, { reverse: true, limit: 3, start: Uint8Array.of(2) }), [
          [5, '{"a":{"S":"five \u00e9 \\"q\\""}}', 15],
          [4, '{"a":{"N":"4"}}', 14],
          [2, '{"a":{"S":"two, again"}}', 22],
        ]);
        // Only LMDB's side (no pending write in the bounds), and a plain range afterwards still decodes.
        assert.deepEqual(await encodedRange(storage, { start: Uint8Array.of(5) }), [[5, '{"a":{"S":"five \u00e9 \\"q\\""}}', 15]]);
        assert.deepEqual((await decodedRange(storage)).map(([key]) => key), [1, 2, 4, 5]);
        assert.deepEqual(await decodedRange(storage, { end: Uint8Array.of(2) }), [[1, '{"a":{"S":"one"}}']]);
      } finally {
        await storage.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
