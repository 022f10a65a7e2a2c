/**
 * What a global table costs while it runs: the replicator's timer runs only while some table has replicas, and the
 * tombstones deletes leave for last-writer-wins are trimmed once they are older than the stream retention.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CreateTableCommand, DeleteItemCommand, DeleteTableCommand, DescribeTableCommand, PutItemCommand, ScanCommand, UpdateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startCairn, type Cairn } from '../helpers/cairn.js';
import { eventuallyPasses } from '../helpers/eventually.js';
import { encodeItemKey } from '../../src/model/key-encoding.js';
import { versionSpace } from '../../src/engine/replication/item-version.js';

const CREDENTIALS = { accessKeyId: 'AKID', secretAccessKey: 'secret' };
const DAY_MS = 24 * 60 * 60 * 1000;

let cairn: Cairn;
let east: DynamoDBClient;
let west: DynamoDBClient;

before(async () => {
  cairn = await startCairn({ inMemory: true });
  east = cairn.client;
  west = cairn.clientAs(CREDENTIALS, 'eu-west-1');
});
after(async () => {
  await cairn.close();
});

async function createTable(name: string): Promise<void> {
  await east.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
}

async function addReplica(name: string): Promise<void> {
  await east.send(new UpdateTableCommand({ TableName: name, ReplicaUpdates: [{ Create: { RegionName: 'eu-west-1' } }] }));
  await eventuallyPasses(async () => {
    const { Table } = await east.send(new DescribeTableCommand({ TableName: name }));
    assert.equal(Table?.Replicas?.[0]?.ReplicaStatus, 'ACTIVE');
  });
}

async function scan(client: DynamoDBClient, name: string): Promise<string> {
  const { Items } = await client.send(new ScanCommand({ TableName: name, ConsistentRead: true }));
  return JSON.stringify((Items ?? []).sort((a, b) => (a.id?.S ?? '').localeCompare(b.id?.S ?? '')));
}

/** The version kept for the item `id` of the table in `region` (a tombstone once the item is deleted). */
async function versionOf(region: string, name: string, id: string): Promise<unknown> {
  const table = cairn.server.engine.catalog.getTable({ accountId: '000000000000', region }, name);
  assert.ok(table !== undefined);
  return cairn.server.engine.storage.get(versionSpace(table.tableId), encodeItemKey(table.key, { id: { S: id } }));
}

test('the replicator runs only while some table has replicas', async () => {
  const engine = cairn.server.engine;
  assert.equal(engine.replicationTimerRunning, false);
  await createTable('idle');
  assert.equal(engine.replicationTimerRunning, false);
  await addReplica('idle');
  assert.equal(engine.replicationTimerRunning, true);
  await east.send(new UpdateTableCommand({ TableName: 'idle', ReplicaUpdates: [{ Delete: { RegionName: 'eu-west-1' } }] }));
  assert.equal(engine.replicationTimerRunning, false);
  // It starts again with the next replica, which replicates; a replica deleted with DeleteTable stops it too.
  await createTable('again');
  await addReplica('again');
  assert.equal(engine.replicationTimerRunning, true);
  await east.send(new PutItemCommand({ TableName: 'again', Item: { id: { S: 'a' } } }));
  await eventuallyPasses(async () => assert.equal(await scan(west, 'again'), await scan(east, 'again')));
  await west.send(new DeleteTableCommand({ TableName: 'again' }));
  assert.equal(engine.replicationTimerRunning, false);
});

test('tombstones older than the stream retention are trimmed, and the replicas still converge', async () => {
  await createTable('graves');
  await addReplica('graves');
  await east.send(new PutItemCommand({ TableName: 'graves', Item: { id: { S: 'gone' }, v: { S: '1' } } }));
  await east.send(new PutItemCommand({ TableName: 'graves', Item: { id: { S: 'kept' }, v: { S: '1' } } }));
  await east.send(new DeleteItemCommand({ TableName: 'graves', Key: { id: { S: 'gone' } } }));
  await eventuallyPasses(async () => assert.equal(await scan(west, 'graves'), await scan(east, 'graves')));
  // Both replicas keep the delete's version: a tombstone.
  const tombstone = await versionOf('us-east-1', 'graves', 'gone');
  assert.equal((tombstone as { r: string }).r, 'us-east-1');
  await eventuallyPasses(async () => assert.deepEqual(await versionOf('eu-west-1', 'graves', 'gone'), tombstone));

  // A day later it is still there; past the retention it is gone in both regions, and a live item keeps its version.
  await cairn.server.engine.periodicRound(Date.now() + DAY_MS - 60_000);
  assert.deepEqual(await versionOf('us-east-1', 'graves', 'gone'), tombstone);
  await cairn.server.engine.periodicRound(Date.now() + DAY_MS + 60_000);
  assert.equal(await versionOf('us-east-1', 'graves', 'gone'), undefined);
  assert.equal(await versionOf('eu-west-1', 'graves', 'gone'), undefined);
  assert.notEqual(await versionOf('us-east-1', 'graves', 'kept'), undefined);

  // The key written again in either region replicates as before.
  await west.send(new PutItemCommand({ TableName: 'graves', Item: { id: { S: 'gone' }, v: { S: 'back' } } }));
  await eventuallyPasses(async () => assert.equal(await scan(east, 'graves'), await scan(west, 'graves')));
  await east.send(new DeleteItemCommand({ TableName: 'graves', Key: { id: { S: 'gone' } } }));
  await eventuallyPasses(async () => {
    assert.equal(await scan(west, 'graves'), await scan(east, 'graves'));
    assert.equal(await scan(west, 'graves'), JSON.stringify([{ id: { S: 'kept' }, v: { S: '1' } }]));
  });
});
