/**
 * `GET /cairn/tables/<name>/partitions`: the capacity model's partitions of a table and its GSIs after a scripted
 * workload on a manual capacity clock: key-hash ranges, sizes, units and throttles per window, splits (for size,
 * with a partition size lowered to 1 KB so that a few items split it, and for a throughput increase).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateTableCommand, PutItemCommand, UpdateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ManualClock } from '../../src/capacity/capacity-clock.js';
import { DYNAMODB_PARTITION_LIMITS } from '../../src/capacity/partition.js';
import { startCairn, type Cairn } from '../helpers/cairn.js';

const START = 1_000_000;
const ARN = 'arn:aws:dynamodb:us-east-1:000000000000:table/sized';

async function partitions(cairn: Cairn, name: string, query = ''): Promise<{ status: number; body: unknown }> {
  const response = await cairn.rawRequest({ method: 'GET', path: `/cairn/tables/${name}/partitions${query}` });
  return { status: response.status, body: response.body };
}

function window(startedAt: number, units: { ReadUnits?: number; WriteUnits?: number; WriteThrottles?: number } = {}) {
  return { StartedAt: startedAt, ReadUnits: 0, WriteUnits: 0, ReadThrottles: 0, WriteThrottles: 0, ...units };
}

describe('GET /cairn/tables/<name>/partitions', () => {
  const clock = new ManualClock(START);
  let cairn: Cairn;
  let client: DynamoDBClient;
  before(async () => {
    cairn = await startCairn({
      inMemory: true,
      capacity: { mode: 'enforce', clock, policy: { partitionLimits: { ...DYNAMODB_PARTITION_LIMITS, sizeBytes: 1024 } } },
    });
    client = cairn.client;
    await client.send(
      new CreateTableCommand({
        TableName: 'sized',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        ProvisionedThroughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 10 },
      }),
    );
  });
  after(() => cairn.close());

  test('a new provisioned table: one partition over the whole hash space, its throughput, no splits', async () => {
    const { status, body } = await partitions(cairn, 'sized');
    assert.equal(status, 200);
    assert.deepEqual(body, {
      TableName: 'sized',
      CapacityMode: 'enforce',
      Now: START,
      WindowMs: 60_000,
      Table: {
        Arn: ARN,
        BillingMode: 'PROVISIONED',
        Throughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 10 },
        PartitionCount: 1,
        Partitions: [{ KeyHashRange: ['0x0000', '0x10000'], SizeBytes: 0, Current: window(START), Previous: null }],
        Splits: [],
      },
      GlobalSecondaryIndexes: [],
    });
  });

  test('writes past the (lowered) partition size split it for size; a throughput increase splits for count', async () => {
    // Two items of 700 bytes: the second takes the partition past 1 KB, and it splits at the middle of its range.
    for (const id of ['a', 'b']) {
      await client.send(new PutItemCommand({ TableName: 'sized', Item: { id: { S: id }, data: { S: 'x'.repeat(699) } } }));
    }
    clock.advance(61_000);
    await client.send(new UpdateTableCommand({ TableName: 'sized', ProvisionedThroughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 2500 } }));
    // Reading the table's capacity follows the new throughput: 2,510 units need 3 partitions.
    const { body } = (await partitions(cairn, 'sized')) as { body: { Table: Record<string, unknown> } };
    const table = body.Table;
    assert.deepEqual(table.Throughput, { ReadCapacityUnits: 10, WriteCapacityUnits: 2500 });
    assert.equal(table.PartitionCount, 3);
    assert.deepEqual(table.Splits, [
      { Cause: 'size', At: START, Range: ['0x0000', '0x10000'], SplitAt: '0x8000' },
      { Cause: 'count', At: START + 61_000, Range: ['0x0000', '0x8000'], SplitAt: '0x4000' },
    ]);
    const ranges = (table.Partitions as { KeyHashRange: string[] }[]).map((partition) => partition.KeyHashRange);
    assert.deepEqual(ranges, [
      ['0x0000', '0x4000'],
      ['0x4000', '0x8000'],
      ['0x8000', '0x10000'],
    ]);
  });

  test('units and throttles per partition, in the current and the last window', async () => {
    await client.send(
      new CreateTableCommand({
        TableName: 'windows',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
      }),
    );
    const created = clock.now();
    // 1 WCU with 300 units of credit: 300 small writes, then one throttled. Three items of 4 bytes ('id' + 'k0').
    for (let i = 0; i < 300; i++) await client.send(new PutItemCommand({ TableName: 'windows', Item: { id: { S: `k${i % 3}` } } }));
    await assert.rejects(client.send(new PutItemCommand({ TableName: 'windows', Item: { id: { S: 'k0' } } })));
    const during = (await partitions(cairn, 'windows')) as { body: { Table: { Partitions: unknown[] } } };
    assert.deepEqual(during.body.Table.Partitions, [
      { KeyHashRange: ['0x0000', '0x10000'], SizeBytes: 12, Current: window(created, { WriteUnits: 300, WriteThrottles: 1 }), Previous: null },
    ]);
    // A minute later that window is the last one; two minutes later it is gone.
    clock.advance(60_000);
    const later = (await partitions(cairn, 'windows')) as { body: { Table: { Partitions: unknown[] } } };
    assert.deepEqual(later.body.Table.Partitions, [
      {
        KeyHashRange: ['0x0000', '0x10000'],
        SizeBytes: 12,
        Current: window(created + 60_000),
        Previous: window(created, { WriteUnits: 300, WriteThrottles: 1 }),
      },
    ]);
    clock.advance(60_000);
    const quiet = (await partitions(cairn, 'windows')) as { body: { Table: { Partitions: unknown[] } } };
    assert.deepEqual(quiet.body.Table.Partitions, [
      { KeyHashRange: ['0x0000', '0x10000'], SizeBytes: 12, Current: window(created + 120_000), Previous: window(created + 60_000) },
    ]);
  });

  test('GSIs are listed with their own partitions and throughput; on-demand tables show their warm throughput', async () => {
    await client.send(
      new CreateTableCommand({
        TableName: 'ondemand',
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [
          { AttributeName: 'id', AttributeType: 'S' },
          { AttributeName: 'g', AttributeType: 'S' },
        ],
        GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
      }),
    );
    const { body } = (await partitions(cairn, 'ondemand')) as {
      body: { Table: Record<string, unknown>; GlobalSecondaryIndexes: Record<string, unknown>[] };
    };
    assert.deepEqual(body.Table.Throughput, { WarmReadUnitsPerSecond: 12000, WarmWriteUnitsPerSecond: 4000 });
    assert.equal(body.Table.PartitionCount, 4);
    assert.equal(body.GlobalSecondaryIndexes.length, 1);
    const index = body.GlobalSecondaryIndexes[0] as Record<string, unknown>;
    assert.equal(index.IndexName, 'byG');
    assert.equal(index.Arn, 'arn:aws:dynamodb:us-east-1:000000000000:table/ondemand/index/byG');
    assert.equal(index.BillingMode, 'PAY_PER_REQUEST');
    assert.equal(index.PartitionCount, 4);
  });

  test('a missing table is 404; the region comes from ?region=', async () => {
    const missing = await partitions(cairn, 'nothing');
    assert.deepEqual(missing, { status: 404, body: { message: 'table nothing not found in us-east-1' } });
    const elsewhere = await partitions(cairn, 'sized', '?region=eu-west-1');
    assert.deepEqual(elsewhere, { status: 404, body: { message: 'table sized not found in eu-west-1' } });
    const post = await cairn.rawRequest({ method: 'POST', path: '/cairn/tables/sized/partitions' });
    assert.equal(post.status, 405);
  });
});
