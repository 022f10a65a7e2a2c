import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryStorage } from '../../storage/memory/memory-storage.js';
import type { Item } from '../../model/attribute-value.js';
import { encodeItemKey } from '../../model/key-encoding.js';
import { Catalog, type NewTable } from '../catalog.js';
import { applyStreamSpecification } from '../streams/table-streams.js';
import type { TableMetadata } from '../table-metadata.js';
import { readItem, writeItem } from '../write-path.js';
import { versionSpace, type ItemVersion } from './item-version.js';
import { onDemandTable } from '../../../test/helpers/new-table.js';

async function replicatedTable(): Promise<{ storage: MemoryStorage; catalog: Catalog; table: TableMetadata }> {
  const storage = new MemoryStorage();
  const catalog = new Catalog(storage, { accountId: '000000000000' });
  await catalog.load();
  const spec: NewTable = {
    ...onDemandTable('lww'),
    replicas: [
      { regionName: 'us-east-1', status: 'ACTIVE', createdAt: 0 },
      { regionName: 'eu-west-1', status: 'ACTIVE', createdAt: 0 },
    ],
  };
  const streamed = applyStreamSpecification(spec, { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' }, Date.now());
  const table = await catalog.createTable(streamed);
  return { storage, catalog, table };
}

const KEY: Item = { id: { S: 'a' } };
const at = (t: number, r = 'eu-west-1'): ItemVersion => ({ t, r });
const valued = (v: string): Item => ({ ...KEY, v: { S: v } });

test('a replica write applies only when its version is newer; deletes keep theirs as tombstones', async () => {
  const { storage, catalog, table } = await replicatedTable();
  const storageKey = encodeItemKey(table.key, KEY);
  const replicate = (item: Item | undefined, version: ItemVersion) =>
    writeItem({ storage, catalog }, { table, storageKey, decide: () => item, origin: 'replication', replicated: version });
  const current = () => readItem(storage, table, storageKey);
  const version = () => storage.get(versionSpace(table.tableId), storageKey);

  await replicate(valued('t10'), at(10));
  await replicate(valued('t5'), at(5));
  assert.deepEqual(await current(), valued('t10'));
  // Same time: the greater region name wins, whatever the order.
  await replicate(valued('t10-ap'), at(10, 'ap-south-1'));
  assert.deepEqual(await current(), valued('t10'));
  await replicate(valued('t10-us'), at(10, 'us-west-2'));
  assert.deepEqual(await current(), valued('t10-us'));
  // A delete at 20 beats a put at 15 that arrives after it.
  await replicate(undefined, at(20));
  await replicate(valued('t15'), at(15));
  assert.equal(await current(), undefined);
  assert.deepEqual(await version(), at(20));
  // The same content under a newer version still takes the version, so that a write between the two loses here
  // as it does in the region that wrote it.
  await replicate(valued('same'), at(30));
  await replicate(valued('same'), at(40, 'ap-south-1'));
  assert.deepEqual(await version(), at(40, 'ap-south-1'));
  await replicate(valued('t35'), at(35));
  assert.deepEqual(await current(), valued('same'));
});

test("a client's write beats the version it replaces, even one from a clock ahead", async () => {
  const { storage, catalog, table } = await replicatedTable();
  const storageKey = encodeItemKey(table.key, KEY);
  const future = Date.now() + 60_000;
  await writeItem({ storage, catalog }, { table, storageKey, decide: () => valued('ahead'), origin: 'replication', replicated: at(future) });
  await writeItem({ storage, catalog }, { table, storageKey, decide: () => valued('local') });
  assert.deepEqual(await readItem(storage, table, storageKey), valued('local'));
  assert.deepEqual(await storage.get(versionSpace(table.tableId), storageKey), { t: future + 1, r: 'us-east-1' });
  // A client's write that changes nothing keeps the version.
  await writeItem({ storage, catalog }, { table, storageKey, decide: () => valued('local') });
  assert.deepEqual(await storage.get(versionSpace(table.tableId), storageKey), { t: future + 1, r: 'us-east-1' });
});
