import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStorage } from '../storage/memory/memory-storage.js';
import { DynamoDbError } from '../errors.js';
import { Catalog, type NewTable } from './catalog.js';
import { statsSpace } from './table-stats.js';
import { onDemandTable } from '../../test/helpers/new-table.js';

const spec = (tableName: string, region = 'us-east-1', accountId = '123456789012'): NewTable => onDemandTable(tableName, region, accountId);

const US_EAST_1 = { accountId: '123456789012', region: 'us-east-1' };

test('tables are cached, listed per region in order, and reloaded from storage', async () => {
  const storage = new MemoryStorage();
  const catalog = new Catalog(storage, { accountId: '123456789012' });
  await catalog.load();
  const b = await catalog.createTable(spec('bbb'));
  await catalog.createTable(spec('aaa'));
  await catalog.createTable(spec('zzz', 'eu-west-1'));
  assert.equal(catalog.getTable(US_EAST_1, 'bbb'), b);
  assert.equal(b.tableArn, 'arn:aws:dynamodb:us-east-1:123456789012:table/bbb');
  assert.equal(b.status, 'ACTIVE');
  assert.deepEqual(catalog.listTableNames(US_EAST_1), ['aaa', 'bbb']);
  assert.deepEqual(catalog.listTableNames({ accountId: '123456789012', region: 'eu-west-1' }), ['zzz']);
  assert.equal(catalog.getTable({ accountId: '123456789012', region: 'eu-west-1' }, 'bbb'), undefined);
  const reloaded = new Catalog(storage, { accountId: '123456789012' });
  await reloaded.load();
  assert.deepEqual(reloaded.getTable(US_EAST_1, 'bbb'), b);
  assert.deepEqual(reloaded.listTableNames(US_EAST_1), ['aaa', 'bbb']);
});

test('concurrent creates of one name: exactly one wins', async () => {
  const catalog = new Catalog(new MemoryStorage(), { accountId: '000000000000' });
  await catalog.load();
  const results = await Promise.allSettled([catalog.createTable(spec('same')), catalog.createTable(spec('same'))]);
  assert.deepEqual(
    results.map((r) => r.status),
    ['fulfilled', 'rejected'],
  );
  const failure = results[1] as PromiseRejectedResult;
  assert.ok(failure.reason instanceof DynamoDbError);
  assert.equal(failure.reason.message, 'Table already exists: same');
});

test('deleting a table clears its items and statistics spaces', async () => {
  const storage = new MemoryStorage();
  const catalog = new Catalog(storage, { accountId: '000000000000' });
  await catalog.load();
  const table = await catalog.createTable(spec('gone'));
  await storage.atomic([], () => ({
    writes: [
      { space: `t/${table.tableId}`, key: Uint8Array.of(1), value: { id: { S: 'x' } } },
      { space: statsSpace(table.tableId), key: Uint8Array.of(0), value: { itemCount: 1, sizeBytes: 3 } },
    ],
    result: undefined,
  }));
  const deleted = await catalog.deleteTable(US_EAST_1, 'gone', () => undefined);
  assert.equal(deleted.status, 'DELETING');
  assert.equal(catalog.getTable(US_EAST_1, 'gone'), undefined);
  assert.equal(await storage.get(`t/${table.tableId}`, Uint8Array.of(1)), undefined);
  assert.equal(await storage.get(statsSpace(table.tableId), Uint8Array.of(0)), undefined);
  await assert.rejects(catalog.deleteTable(US_EAST_1, 'gone', () => undefined), {
    message: 'Requested resource not found: Table: gone not found',
  });
});

test('two accounts each have their own table of one name in one region; account 000000000000 keeps its old keys', async () => {
  const storage = new MemoryStorage();
  const catalog = new Catalog(storage, { accountId: '000000000000' });
  await catalog.load();
  const mine = await catalog.createTable(spec('T', 'us-east-1', '000000000000'));
  const theirs = await catalog.createTable(spec('T', 'us-east-1', '111122223333'));
  assert.notEqual(mine.tableId, theirs.tableId);
  assert.equal(mine.tableArn, 'arn:aws:dynamodb:us-east-1:000000000000:table/T');
  assert.equal(theirs.tableArn, 'arn:aws:dynamodb:us-east-1:111122223333:table/T');
  assert.equal(catalog.getTable({ accountId: '111122223333', region: 'us-east-1' }, 'T'), theirs);
  assert.deepEqual(catalog.listTableNames({ accountId: '222233334444', region: 'us-east-1' }), []);
  const keys: string[] = [];
  for await (const { key } of storage.range('catalog')) keys.push(new TextDecoder().decode(key));
  assert.deepEqual(keys.sort(), ['111122223333/us-east-1/T', 'us-east-1/T']);
  const reloaded = new Catalog(storage, { accountId: '000000000000' });
  await reloaded.load();
  assert.deepEqual(reloaded.getTable({ accountId: '000000000000', region: 'us-east-1' }, 'T'), mine);
  assert.deepEqual(reloaded.getTable({ accountId: '111122223333', region: 'us-east-1' }, 'T'), theirs);
  await reloaded.deleteTable({ accountId: '111122223333', region: 'us-east-1' }, 'T', () => undefined);
  assert.deepEqual(reloaded.getTable({ accountId: '000000000000', region: 'us-east-1' }, 'T'), mine);
});
