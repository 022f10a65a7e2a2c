/**
 * Replicated write units: a write to a table of a global table is charged, as a replicated write unit (rWCU,
 * rWRU), in every replica's region, the one that took it and each one it is applied in, as DynamoDB bills it;
 * the GSIs' writes stay ordinary write units. The receiving replica's capacity is charged (never refused), the
 * metrics count them, and the access-pattern report costs them at the replicated-write price.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CreateTableCommand, DescribeTableCommand, PutItemCommand, ScanCommand, UpdateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startCairn, type Cairn } from '../helpers/cairn.js';
import { eventuallyPasses } from '../helpers/eventually.js';
import { partitionsView } from '../../src/observe/partitions-view.js';
import { DEFAULT_PRICES } from '../../src/observe/prices.js';

let cairn: Cairn;
let east: DynamoDBClient;
let west: DynamoDBClient;

// Prices far apart, so that the report's cost shows which price each unit was charged at.
const PRICES = { ...DEFAULT_PRICES, onDemandWritePerMillion: 1_000, onDemandReplicatedWritePerMillion: 1_000_000 };

before(async () => {
  cairn = await startCairn({ inMemory: true, prices: PRICES });
  east = cairn.client;
  west = cairn.clientAs({ accessKeyId: 'AKID', secretAccessKey: 'secret' }, 'eu-west-1');
});
after(async () => {
  await cairn.close();
});

async function metric(series: string): Promise<number | undefined> {
  const text = (await cairn.rawRequest({ method: 'GET', path: '/metrics' })).bytes.toString('utf8');
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

function consumedOnPartitions(region: string): number {
  const engine = cairn.server.engine;
  const table = engine.catalog.getTable({ accountId: '000000000000', region }, 'metered');
  assert.ok(table !== undefined);
  const view = partitionsView(engine.capacity, table);
  return view.Table.Partitions.reduce((sum, partition) => sum + partition.Current.WriteUnits + (partition.Previous?.WriteUnits ?? 0), 0);
}

test('writes to a global table are replicated write units in every region, charged, counted and priced as such', async () => {
  await east.send(
    new CreateTableCommand({
      TableName: 'metered',
      AttributeDefinitions: [
        { AttributeName: 'id', AttributeType: 'S' },
        { AttributeName: 'g', AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await east.send(new UpdateTableCommand({ TableName: 'metered', ReplicaUpdates: [{ Create: { RegionName: 'eu-west-1' } }] }));
  await eventuallyPasses(async () => {
    const { Table } = await east.send(new DescribeTableCommand({ TableName: 'metered' }));
    assert.equal(Table?.Replicas?.[0]?.ReplicaStatus, 'ACTIVE');
  });
  // Reset the report's interval: only the writes below are in it.
  await cairn.rawRequest({ method: 'GET', path: '/cairn/report?reset=1' });

  // Three writes of one unit each in us-east-1 (and one GSI unit each), one of two units in eu-west-1.
  for (let i = 0; i < 3; i++) await east.send(new PutItemCommand({ TableName: 'metered', Item: { id: { S: `e${i}` }, g: { S: 'x' } } }));
  await west.send(new PutItemCommand({ TableName: 'metered', Item: { id: { S: 'w' }, pad: { S: 'x'.repeat(1500) } } }));
  await eventuallyPasses(async () => {
    for (const client of [east, west]) {
      const { Count } = await client.send(new ScanCommand({ TableName: 'metered' }));
      assert.equal(Count, 4);
    }
  });
  await eventuallyPasses(async () => {
    const series = (region: string, source: string) => `cairn_replicated_write_capacity_units_total{table="metered",region="${region}",source_region="${source}"}`;
    assert.equal(await metric(series('us-east-1', 'us-east-1')), 3);
    assert.equal(await metric(series('eu-west-1', 'us-east-1')), 3);
    assert.equal(await metric(series('eu-west-1', 'eu-west-1')), 2);
    assert.equal(await metric(series('us-east-1', 'eu-west-1')), 2);
  });
  // Applied replicated writes are part of the receiving table's consumed write units (they come from no request).
  assert.equal(await metric('cairn_consumed_write_capacity_units_total{table="metered",index="",operation="ReplicatedWrite"}'), 5);
  assert.equal(await metric('cairn_consumed_write_capacity_units_total{table="metered",index="byG",operation="ReplicatedWrite"}'), 3);
  // And of its capacity: each replica's partitions were charged its own writes and the other's.
  assert.equal(consumedOnPartitions('us-east-1'), 5);
  assert.equal(consumedOnPartitions('eu-west-1'), 5);

  const response = await cairn.rawRequest({ method: 'GET', path: '/cairn/report?format=json' });
  const report = response.body as {
    Tables: { TableName: string; Region: string; ReadCapacityUnits: number; WriteCapacityUnits: number; ReplicatedWriteCapacityUnits?: number; Cost: { OnDemand: number } }[];
  };
  const row = (region: string) => report.Tables.find((table) => table.TableName === 'metered' && table.Region === region);
  // us-east-1: its 3 units and eu-west-1's 2, replicated; its 3 GSI units, ordinary.
  assert.equal(row('us-east-1')?.WriteCapacityUnits, 8);
  assert.equal(row('us-east-1')?.ReplicatedWriteCapacityUnits, 5);
  // (The scans above read a few units, at the read price.)
  const reads = (region: string) => ((row(region)?.ReadCapacityUnits ?? 0) * PRICES.onDemandReadPerMillion) / 1_000_000;
  const cents = (dollars: number) => Math.round(dollars * 1e8) / 1e8;
  assert.equal(row('us-east-1')?.Cost.OnDemand, cents(5 * 1 + 3 * 0.001 + reads('us-east-1')));
  // eu-west-1: the same, its GSI units being those of the writes applied there.
  assert.equal(row('eu-west-1')?.WriteCapacityUnits, 8);
  assert.equal(row('eu-west-1')?.ReplicatedWriteCapacityUnits, 5);
  assert.equal(row('eu-west-1')?.Cost.OnDemand, cents(5 * 1 + 3 * 0.001 + reads('eu-west-1')));
});
