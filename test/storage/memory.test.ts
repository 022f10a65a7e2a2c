import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStorage } from '../../src/storage/memory/memory-storage.js';
import { openStorage } from '../../src/storage/open-storage.js';
import { runStorageContract } from './storage-contract.js';

runStorageContract('MemoryStorage', () => {
  const storage = new MemoryStorage();
  return Promise.resolve({ storage, dispose: () => storage.close() });
}, { snapshots: true });

test('openStorage with inMemory gives a MemoryStorage', async () => {
  const storage = await openStorage({ inMemory: true, dataDir: '/nonexistent/never/created' });
  assert.ok(storage instanceof MemoryStorage);
  await storage.close();
});

test('MemoryStorage keeps its own copy of a written key', async () => {
  const storage = new MemoryStorage();
  const key = Uint8Array.of(1, 2);
  await storage.atomic([], () => ({ writes: [{ space: 's', key, value: 'v' }], result: undefined }));
  key[0] = 9;
  assert.equal(await storage.get('s', Uint8Array.of(1, 2)), 'v');
  assert.equal(await storage.get('s', Uint8Array.of(9, 2)), undefined);
  await storage.close();
});

test('MemoryStorage runs decide synchronously within atomic', async () => {
  const storage = new MemoryStorage();
  let ran = false;
  const promise = storage.atomic([], () => {
    ran = true;
    return { writes: [], result: 1 };
  });
  assert.equal(ran, true);
  assert.equal(await promise, 1);
  await storage.close();
});
