/**
 * Several Cairn servers on one store that they all commit to (a store that says it is shared by processes, as
 * PostgreSQL does; here one in-memory store, so that the engine's side runs without a database server): a table
 * created, changed or deleted through one server is what the next request to any other sees, and background work
 * (TTL sweeping, index backfills, trigger delivery...) is done by one server, under leases kept in the store, which
 * another server takes over when its holder stops.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { startCairn, type Cairn } from '../helpers/cairn.js';
import { rejectsWith } from '../helpers/assertions.js';
import { eventuallyPasses } from '../helpers/eventually.js';
import { SharedMemoryStorage } from '../helpers/shared-storage.js';
import { hashKeyTable } from '../helpers/tables.js';
import { isLeaseRecord, LEASE_SPACE } from '../../src/engine/leases.js';
import { createTrigger, deliveredKeys, eventually, keysFrom, putKeys, recordingModule, streamTable, tempDir } from './triggers-fixtures.js';
import { join } from 'node:path';

const s = (value: string): AttributeValue => ({ S: value });
const n = (value: string): AttributeValue => ({ N: value });
const LEASE_PERIOD_MS = 400;

let shared: SharedMemoryStorage;
let servers: Cairn[];

async function startServers(count: number): Promise<Cairn[]> {
  const started: Cairn[] = [];
  for (let i = 0; i < count; i++) {
    started.push(await startCairn({ inMemory: true, storage: shared.view(), leasePeriodMs: LEASE_PERIOD_MS, ttlSweepIntervalMs: 50 }));
  }
  return started;
}

function server(position: number): Cairn {
  return servers[position] as Cairn;
}

/** The holder of each lease as stored, by lease name. */
async function leaseHolders(): Promise<Map<string, string>> {
  const holders = new Map<string, string>();
  for await (const { key, value } of shared.store.range(LEASE_SPACE)) {
    if (isLeaseRecord(value) && value.expiresAt > Date.now()) holders.set(new TextDecoder().decode(key), value.holder);
  }
  return holders;
}

before(async () => {
  shared = new SharedMemoryStorage();
  servers = await startServers(3);
});

after(async () => {
  for (const cairn of servers) await cairn.close();
  await shared.store.close();
});

describe('table metadata changed through one server', () => {
  test('a table created through one server is served at once by the others, and a deleted one refused', async () => {
    const created = await server(0).client.send(new CreateTableCommand(hashKeyTable('created-elsewhere')));
    await server(1).client.send(new PutItemCommand({ TableName: 'created-elsewhere', Item: { id: s('a'), v: n('1') } }));
    const { Item } = await server(2).client.send(new GetItemCommand({ TableName: 'created-elsewhere', Key: { id: s('a') } }));
    assert.deepEqual(Item, { id: s('a'), v: n('1') });

    await server(2).client.send(new DeleteTableCommand({ TableName: 'created-elsewhere' }));
    await rejectsWith(
      server(1).client.send(new PutItemCommand({ TableName: 'created-elsewhere', Item: { id: s('b') } })),
      'ResourceNotFoundException',
      'Requested resource not found',
    );
    await rejectsWith(
      server(0).client.send(new DescribeTableCommand({ TableName: 'created-elsewhere' })),
      'ResourceNotFoundException',
      'Requested resource not found: Table: created-elsewhere not found',
    );
    // Nothing was written into the dropped table's space.
    const left = [];
    for await (const entry of shared.store.range(`t/${created.TableDescription?.TableId as string}`)) left.push(entry);
    assert.deepEqual(left, []);
  });

  test('a GSI added through one server is maintained by the writes of the others', async () => {
    await server(0).client.send(new CreateTableCommand(hashKeyTable('gsi-elsewhere')));
    await server(1).client.send(new PutItemCommand({ TableName: 'gsi-elsewhere', Item: { id: s('before'), g: s('x') } }));
    await server(0).client.send(
      new UpdateTableCommand({
        TableName: 'gsi-elsewhere',
        AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'S' }],
        GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } } }],
      }),
    );
    // Written through the other servers, right after the index was added: they maintain it.
    for (let i = 0; i < 20; i++) {
      await server(1 + (i % 2)).client.send(new PutItemCommand({ TableName: 'gsi-elsewhere', Item: { id: s(`after${i}`), g: s('x') } }));
    }
    await eventuallyPasses(async () => {
      const { Table } = await server(2).client.send(new DescribeTableCommand({ TableName: 'gsi-elsewhere' }));
      assert.equal(Table?.GlobalSecondaryIndexes?.[0]?.IndexStatus, 'ACTIVE');
    }, 5000);
    const { Items } = await server(1).client.send(
      new QueryCommand({ TableName: 'gsi-elsewhere', IndexName: 'byG', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': s('x') } }),
    );
    const scanned = await server(2).client.send(new ScanCommand({ TableName: 'gsi-elsewhere' }));
    assert.equal(Items?.length, 21);
    assert.deepEqual(
      Items?.map((item) => item.id?.S).sort(),
      scanned.Items?.map((item) => item.id?.S).sort(),
    );
  });

  test('a stream enabled through one server records the writes of the others', async () => {
    await server(0).client.send(new CreateTableCommand(hashKeyTable('stream-elsewhere')));
    const { TableDescription } = await server(0).client.send(
      new UpdateTableCommand({ TableName: 'stream-elsewhere', StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } }),
    );
    await server(1).client.send(new PutItemCommand({ TableName: 'stream-elsewhere', Item: { id: s('1') } }));
    await server(2).client.send(new PutItemCommand({ TableName: 'stream-elsewhere', Item: { id: s('2') } }));
    const streams = new DynamoDBStreamsClient({ region: 'us-east-1', endpoint: server(1).url, credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' }, maxAttempts: 1 });
    try {
      const streamArn = TableDescription?.LatestStreamArn as string;
      const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
      const shardId = StreamDescription?.Shards?.[0]?.ShardId as string;
      const { ShardIterator } = await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }));
      const { Records } = await streams.send(new GetRecordsCommand({ ShardIterator }));
      assert.deepEqual(
        Records?.map((record) => [record.eventName, record.dynamodb?.Keys?.id?.S]),
        [
          ['INSERT', '1'],
          ['INSERT', '2'],
        ],
      );
    } finally {
      streams.destroy();
    }
  });
});

describe('background work under leases', () => {
  test('each lease has one holder; TTL sweeping works; a stopped holder is replaced', async () => {
    await server(0).client.send(new CreateTableCommand(hashKeyTable('ttl-shared')));
    await server(1).client.send(new UpdateTimeToLiveCommand({ TableName: 'ttl-shared', TimeToLiveSpecification: { Enabled: true, AttributeName: 'exp' } }));
    const past = String(Math.floor(Date.now() / 1000) - 10);
    for (let i = 0; i < 10; i++) {
      await server(i % 3).client.send(new PutItemCommand({ TableName: 'ttl-shared', Item: { id: s(`gone${i}`), exp: n(past) } }));
    }
    await eventuallyPasses(async () => {
      const { Count } = await server(2).client.send(new ScanCommand({ TableName: 'ttl-shared' }));
      assert.equal(Count, 0);
    }, 5000);

    const holders = await leaseHolders();
    const names = new Set<string>(servers.map((cairn) => cairn.server.engine.leases.holder));
    for (const lease of ['periodic', 'table-jobs', 'replication']) assert.ok(names.has(holders.get(lease) as string), `lease ${lease} is held`);
    // Exactly one server counts itself the holder of each.
    for (const lease of ['periodic', 'table-jobs', 'replication']) {
      assert.equal(servers.filter((cairn) => cairn.server.engine.leases.holds(lease)).length, 1, lease);
    }

    // The holder of the sweeper stops: another server takes it over, and sweeps.
    const holder = servers.find((cairn) => cairn.server.engine.leases.holds('periodic')) as Cairn;
    servers = servers.filter((cairn) => cairn !== holder);
    await holder.close();
    servers.push(...(await startServers(1)));
    await eventuallyPasses(async () => {
      assert.equal(servers.filter((cairn) => cairn.server.engine.leases.holds('periodic')).length, 1);
    }, 5000);
    await server(0).client.send(new PutItemCommand({ TableName: 'ttl-shared', Item: { id: s('later'), exp: n(past) } }));
    await eventuallyPasses(async () => {
      const { Count } = await server(1).client.send(new ScanCommand({ TableName: 'ttl-shared' }));
      assert.equal(Count, 0);
    }, 5000);
  });

  test('a trigger created through one server is delivered once, by one server, and goes on when that server stops, at least once across the handover', async () => {
    const dir = tempDir();
    try {
      const out = join(dir.path, 'deliveries.jsonl');
      await server(0).client.send(new CreateTableCommand(streamTable('triggered')));
      await createTrigger(server(0), { Id: 'shared', TableName: 'triggered', Handler: recordingModule(dir.path, 'shared.mjs', out), StartingPosition: 'TRIM_HORIZON', BatchSize: 5 });
      // Every server runs the stored trigger; one of them (the lease holder) delivers.
      await eventually(() => servers.every((cairn) => cairn.server.triggers.describe('shared') !== undefined), 'every server to run the trigger');
      const first = keysFrom('first', 30);
      await Promise.all(servers.map((cairn, position) => putKeys(cairn.client, 'triggered', first.filter((_, i) => i % servers.length === position))));
      await eventually(() => deliveredKeys(out).length >= first.length, 'the first keys to be delivered');
      assert.deepEqual(deliveredKeys(out).sort(), first);
      assert.equal(servers.filter((cairn) => cairn.server.engine.leases.holds('trigger/shared')).length, 1);

      // The delivering server stops: another one takes the trigger over from the stored checkpoint.
      const holder = servers.find((cairn) => cairn.server.engine.leases.holds('trigger/shared')) as Cairn;
      servers = servers.filter((cairn) => cairn !== holder);
      await holder.close();
      const second = keysFrom('second', 30);
      await Promise.all(servers.map((cairn, position) => putKeys(cairn.client, 'triggered', second.filter((_, i) => i % servers.length === position))));
      await eventually(() => new Set(deliveredKeys(out)).size >= first.length + second.length, 'the second keys to be delivered');
      // Across the handover delivery is at least once, as Lambda's is: an invocation in flight when its server
      // stops (its handler done, its answer not yet back) is delivered again by the next holder. Nothing is lost.
      assert.deepEqual([...new Set(deliveredKeys(out))].sort(), [...first, ...second].sort());
    } finally {
      dir.remove();
    }
  });
});
