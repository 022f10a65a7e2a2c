/**
 * `GET /cairn/tables/<name>/partitions`: the capacity model's partitions of a table and its GSIs after a scripted
 * workload on a manual capacity clock: key-hash ranges, sizes, units and throttles per window, splits (for size,
 * with a partition size lowered to 1 KB so that a few items split it; for a throughput increase; for heat, with
 * partition limits lowered so that a minute of writes makes a partition hot).
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

describe('GET /cairn/tables/<name>/partitions: a split for heat', () => {
  test('a partition that ran at its limit for the split delay splits where its heat divides', async () => {
    const clock = new ManualClock(START);
    // Partitions of 2 WCU a second (so that a table of 1 WCU starts with one), hot above 80% for one minute: a
    // minute of two writes a second is enough. Account mode: nothing is refused, the heat is only measured.
    const cairn = await startCairn({
      inMemory: true,
      capacity: {
        mode: 'account',
        clock,
        policy: {
          partitionLimits: { ...DYNAMODB_PARTITION_LIMITS, writeUnitsPerSecond: 2 },
          split: { windowMs: 60_000, heatThreshold: 0.8, heatSplitDelayMs: 60_000 },
        },
      },
    });
    try {
      await cairn.client.send(
        new CreateTableCommand({
          TableName: 'heated',
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
        }),
      );
      for (let second = 0; second < 60; second++) {
        for (const id of ['left', 'right']) await cairn.client.send(new PutItemCommand({ TableName: 'heated', Item: { id: { S: id } } }));
        clock.advance(1000);
      }
      // The first write of the next window closes the hot one, a minute after the heat began: the partition splits.
      await cairn.client.send(new PutItemCommand({ TableName: 'heated', Item: { id: { S: 'left' } } }));
      await cairn.client.send(new PutItemCommand({ TableName: 'heated', Item: { id: { S: 'right' } } }));
      const { body } = (await partitions(cairn, 'heated')) as {
        body: {
          Table: {
            PartitionCount: number;
            Splits: { Cause: string; At: number; Range: string[]; SplitAt: string }[];
            Partitions: { KeyHashRange: string[]; Current: { WriteUnits: number } }[];
          };
        };
      };
      assert.equal(body.Table.PartitionCount, 2);
      assert.equal(body.Table.Splits.length, 1);
      const [split] = body.Table.Splits;
      assert.deepEqual({ ...split, SplitAt: undefined }, { Cause: 'heat', At: START + 60_000, Range: ['0x0000', '0x10000'], SplitAt: undefined });
      // The cut lies between the two keys' hashes: each key has a partition of its own, and each partition saw
      // one of the two writes since.
      assert.deepEqual(
        body.Table.Partitions.map((partition) => [partition.KeyHashRange, partition.Current.WriteUnits]),
        [
          [['0x0000', split?.SplitAt], 1],
          [[split?.SplitAt, '0x10000'], 1],
        ],
      );
    } finally {
      await cairn.close();
    }
  });
});
