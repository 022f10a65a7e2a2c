import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStorage } from '../storage/memory/memory-storage.js';
import type { Item } from '../model/attribute-value.js';
import { encodeItemKey } from '../model/key-encoding.js';
import { DynamoDbError } from '../errors.js';
import { Catalog, type NewTable } from './catalog.js';
import { activeStream, applyStreamSpecification, streamId } from './streams/table-streams.js';
import { recordSpace } from './streams/stream-record.js';
import { itemSpace, writeItem } from './write-path.js';
import { onDemandTable } from '../../test/helpers/new-table.js';
import { sharedView } from '../../test/helpers/shared-storage.js';

const spec: NewTable = onDemandTable('shared');

test('an item commit decided with metadata another process changed is planned again with the current metadata', async () => {
  const store = new MemoryStorage();
  const [a, b] = [new Catalog(sharedView(store), { accountId: '000000000000' }), new Catalog(sharedView(store), { accountId: '000000000000' })];
  await a.load();
  await b.load();
  const storageB = sharedView(store);

  // Created by A; B's cache has never seen it, yet its commit finds it (the version moved, B reloads).
  const table = await a.createTable(spec);
  const item = (id: string): Item => ({ id: { S: id } });
  const keyOf = (id: string): Uint8Array => encodeItemKey(table.key, item(id));
  await writeItem({ storage: storageB, catalog: b }, { table, storageKey: keyOf('1'), decide: () => item('1') });
  assert.deepEqual(await store.get(itemSpace(table), keyOf('1')), item('1'));

  // A enables a stream; B writes with the metadata it had: its commit records the write in the new stream.
  const streamed = await a.updateTable(spec, 'shared', (current) => applyStreamSpecification(current, { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' }, Date.now()));
  const outcome = await writeItem({ storage: storageB, catalog: b }, { table, storageKey: keyOf('2'), decide: () => item('2') });
  assert.equal(activeStream(outcome.table)?.label, streamed.latestStreamLabel);
  const records = [];
  for await (const record of store.range(recordSpace(streamId(table, streamed.latestStreamLabel as string)))) records.push(record);
  assert.equal(records.length, 1);

  // A drops the table; B's write is refused, and nothing lands in the dropped table's space.
  await a.deleteTable(spec, 'shared', () => undefined);
  await assert.rejects(
    writeItem({ storage: storageB, catalog: b }, { table: outcome.table, storageKey: keyOf('3'), decide: () => item('3') }),
    (error: unknown) => error instanceof DynamoDbError && error.type === 'ResourceNotFoundException' && error.message === 'Requested resource not found',
  );
  const left = [];
  for await (const entry of store.range(itemSpace(table))) left.push(entry);
  assert.deepEqual(left, []);
  assert.equal(b.getTable(spec, 'shared'), undefined);
});

test('one process alone reads no catalog version in its commits', async () => {
  const store = new MemoryStorage();
  const catalog = new Catalog(store, { accountId: '000000000000' });
  await catalog.load();
  assert.equal(catalog.versionRead, undefined);
  const shared = new Catalog(sharedView(store), { accountId: '000000000000' });
  assert.notEqual(shared.versionRead, undefined);
});
