import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStorage } from '../storage/memory/memory-storage.js';
import type { Item } from '../model/attribute-value.js';
import { encodeItemKey } from '../model/key-encoding.js';
import { itemSize } from '../model/item-size.js';
import { Catalog } from './catalog.js';
import { readTableStats } from './table-stats.js';
import { itemSpace, writeItem } from './write-path.js';
import { onDemandTable } from '../../test/helpers/new-table.js';

test('a blind write replacing an item stored without a size tag (by an earlier version) sizes it from the item', async () => {
  const storage = new MemoryStorage();
  const catalog = new Catalog(storage, { accountId: '000000000000' });
  await catalog.load();
  const table = await catalog.createTable(onDemandTable('old_items'));
  const old: Item = { id: { S: 'a' }, v: { S: 'twelve bytes' } };
  const storageKey = encodeItemKey(table.key, old);
  // Stored as before size tags existed: the item alone, and statistics that count it.
  await writeItem({ storage, catalog }, { table, storageKey, decide: () => old });
  await storage.atomic([], () => ({ writes: [{ space: itemSpace(table), key: storageKey, value: old }], result: undefined }));

  const replacement: Item = { id: { S: 'a' }, v: { S: 'x' } };
  const outcome = await writeItem({ storage, catalog }, { table, storageKey, decide: () => replacement, blind: true });
  assert.deepEqual(
    { oldItem: outcome.oldItem, oldSize: outcome.oldSize, newSize: outcome.newSize },
    { oldItem: undefined, oldSize: itemSize(old), newSize: itemSize(replacement) },
  );
  assert.deepEqual(await readTableStats(storage, table.tableId), { itemCount: 1, sizeBytes: itemSize(replacement), indexes: {} });

  // Deleting it blindly takes the count and the size back to zero.
  await writeItem({ storage, catalog }, { table, storageKey, decide: () => undefined, blind: true });
  assert.deepEqual(await readTableStats(storage, table.tableId), { itemCount: 0, sizeBytes: 0, indexes: {} });
  assert.equal(await storage.get(itemSpace(table), storageKey), undefined);
});
