/**
 * Capacity scenarios through the SDK, in `enforce` mode on a manual capacity clock: the noisy tenant held to one
 * partition's 1,000 write units a second (and its neighbour suffering until a split for heat isolates it),
 * adaptive capacity lending a provisioned table's capacity to a hot partition, a split for size, and GSI
 * back-pressure. Items of hundreds of KB carry many units per request, so that seconds of capacity time at
 * DynamoDB's real rates take few requests; every count asserted is exact, and the comments derive it.
 *
 * How much heat for how long splits a partition is not documented by DynamoDB (a minute of heat windows over five
 * minutes by default here); these tests shorten it through the capacity policy, as they lower the partition size
 * for the split for size.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTableCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateTableCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { ManualClock } from '../../src/capacity/capacity-clock.js';
import type { SplitCause } from '../../src/capacity/partition-map.js';
import { DEFAULT_SPLIT_POLICY } from '../../src/capacity/partition-map.js';
import { DYNAMODB_PARTITION_LIMITS } from '../../src/capacity/partition.js';
import type { ResourceCapacity } from '../../src/capacity/resource-capacity.js';
import { startCairn, type Cairn } from '../helpers/cairn.js';
import { rejectsWith } from '../helpers/assertions.js';
import { attempt, emptyTally, hashOf, itemOfUnits, keyInRange, type Tally } from '../helpers/capacity-scenario.js';

const ARN = 'arn:aws:dynamodb:us-east-1:000000000000:table/';
const PROVISIONED_INDEX_MESSAGE =
  'The level of configured provisioned throughput for one or more global secondary indexes of the table was exceeded. ' +
  'Consider increasing your provisioning level for the under-provisioned global secondary indexes with the UpdateTable API.';
const KEY_RANGE = 'ProvisionedThroughputExceededException TableWriteKeyRangeThroughputExceeded';

/** The capacity of a table (or of one of its GSIs) as the server holds it: its partitions, for assertions. */
function capacityOf(cairn: Cairn, table: string, indexName?: string): ResourceCapacity {
  const engine = cairn.server.engine;
  const metadata = engine.catalog.getTable({ accountId: '000000000000', region: 'us-east-1' }, table);
  assert.ok(metadata !== undefined);
  const capacity = engine.capacity.of(metadata);
  if (indexName === undefined) return capacity.table;
  const index = metadata.globalSecondaryIndexes?.find((candidate) => candidate.indexName === indexName);
  return capacity.indexes.get(index?.indexId ?? '') as ResourceCapacity;
}

function ranges(resource: ResourceCapacity): [number, number][] {
  return resource.partitions.partitions.map((partition) => [partition.low, partition.high]);
}

/** Records the splits of a table's partitions. */
function recordSplits(resource: ResourceCapacity): { cause: SplitCause; parent: [number, number]; children: [number, number][] }[] {
  const splits: { cause: SplitCause; parent: [number, number]; children: [number, number][] }[] = [];
  // Whoever listened before (the server's own bookkeeping) still hears of every split.
  const previous = resource.partitions.onSplit;
  resource.partitions.onSplit = (cause, parent, children, at) => {
    previous?.(cause, parent, children, at);
    splits.push({ cause, parent: [parent.low, parent.high], children: children.map((child): [number, number] => [child.low, child.high]) });
  };
  return splits;
}

function createTable(client: DynamoDBClient, TableName: string, read: number, write: number) {
  return client.send(
    new CreateTableCommand({
      TableName,
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      ProvisionedThroughput: { ReadCapacityUnits: read, WriteCapacityUnits: write },
    }),
  );
}

function put(client: DynamoDBClient, table: string, key: string, units: number) {
  return client.send(new PutItemCommand({ TableName: table, Item: itemOfUnits(key, units) }));
}

describe('the noisy tenant', () => {
  const clock = new ManualClock(1_000_000);
  let cairn: Cairn;
  before(async () => {
    // Heat windows of a second, and a partition hot for five of them splits.
    cairn = await startCairn({
      inMemory: true,
      capacity: { mode: 'enforce', clock, policy: { split: { ...DEFAULT_SPLIT_POLICY, windowMs: 1000, heatSplitDelayMs: 5000 } } },
    });
  });
  after(() => cairn.close());

  test('a hot key is held to 1,000 write units a second; its neighbour suffers until a split for heat isolates it', async () => {
    const client = cairn.client;
    // 3,000 read and 3,000 write units: 1 + 3 = 4 partitions, a quarter of the hash space each.
    await createTable(client, 'tenants', 3000, 3000);
    const resource = capacityOf(cairn, 'tenants');
    assert.deepEqual(ranges(resource), [[0, 0x4000], [0x4000, 0x8000], [0x8000, 0xc000], [0xc000, 0x10000]]);
    const splits = recordSplits(resource);
    // The noisy tenant in the lower half of the first partition, a quiet one in the upper half of the same
    // partition, and another tenant in the third partition.
    const hot = keyInRange('noisy-', 0, 0x2000);
    const neighbour = keyInRange('quiet-', 0x2000, 0x4000);
    const other = keyInRange('other-', 0x8000, 0xc000);

    // Each second starts with a burst: the noisy tenant writes 15 items of 100 units (1,500 units), the
    // neighbour 2, the other tenant 5. The table has 3,000 units a second; the first partition 1,000: it admits
    // the noisy tenant's first 10 writes (a request is admitted while the partition is not in debt: the 10th
    // leaves it at 0), and refuses everything else until it refills a second later.
    const perSecond: Record<string, Tally>[] = [];
    for (let second = 0; second < 8; second++) {
      const tallies = { hot: emptyTally(), neighbour: emptyTally(), other: emptyTally() };
      for (let n = 0; n < 15; n++) await attempt(tallies.hot, () => put(client, 'tenants', hot, 100));
      for (let n = 0; n < 2; n++) await attempt(tallies.neighbour, () => put(client, 'tenants', neighbour, 100));
      for (let n = 0; n < 5; n++) await attempt(tallies.other, () => put(client, 'tenants', other, 100));
      perSecond.push(tallies);
      clock.advance(1000);
    }
    const held = { served: 10, throttled: { [KEY_RANGE]: 5 } };
    const starved = { served: 0, throttled: { [KEY_RANGE]: 2 } };
    const free = { served: 2, throttled: {} };
    const unaffected = { served: 5, throttled: {} };
    // Five hot windows (seconds 0-4), then the first request of second 5 splits the partition beside the hot key.
    assert.deepEqual(perSecond, [
      ...Array.from({ length: 5 }, () => ({ hot: held, neighbour: starved, other: unaffected })),
      ...Array.from({ length: 3 }, () => ({ hot: held, neighbour: free, other: unaffected })),
    ]);
    const cut = hashOf(hot) + 1;
    assert.deepEqual(splits, [{ cause: 'heat', parent: [0, 0x4000], children: [[0, cut], [cut, 0x4000]] }]);
  });
});

describe('adaptive capacity', () => {
  test('a hot partition takes far more than its even share of a provisioned table, at once', async () => {
    const clock = new ManualClock(1_000_000);
    const cairn = await startCairn({ inMemory: true, capacity: { mode: 'enforce', clock } });
    try {
      const client = cairn.client;
      // Created with 4 partitions, then lowered to 400 write units: partitions never merge, so each partition's
      // even share is 100 units a second.
      await createTable(client, 'lending', 3000, 3000);
      await client.send(new UpdateTableCommand({ TableName: 'lending', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 400 } }));
      const resource = capacityOf(cairn, 'lending');
      assert.equal(resource.partitions.count, 4);
      // One partition takes 350 units a second (3.5 times its share) for a minute: the table's unused capacity is
      // lent to it, with no split and no throttle. The table's 400 units a second refill faster than 350 are
      // spent, so this is not burst credit either.
      const hot = [keyInRange('hot-', 0, 0x4000), keyInRange('hot-', 0, 0x4000, keyInRange('hot-', 0, 0x4000))];
      const tally = emptyTally();
      for (let second = 0; second < 60; second++) {
        await attempt(tally, () => put(client, 'lending', hot[second % 2] as string, 350));
        clock.advance(1000);
      }
      assert.deepEqual(tally, { served: 60, throttled: {} });
      assert.equal(resource.partitions.count, 4);
    } finally {
      await cairn.close();
    }
  });
});

describe('a split for size', () => {
  test('a partition past its size splits in two, and each half has a partition\'s throughput', async () => {
    const clock = new ManualClock(1_000_000);
    // Partitions of 1 MB instead of 10 GB.
    const cairn = await startCairn({
      inMemory: true,
      capacity: { mode: 'enforce', clock, policy: { partitionLimits: { ...DYNAMODB_PARTITION_LIMITS, sizeBytes: 1024 * 1024 } } },
    });
    try {
      const client = cairn.client;
      // 500 write units: one partition.
      await createTable(client, 'growing', 1, 500);
      const resource = capacityOf(cairn, 'growing');
      const splits = recordSplits(resource);
      const a = keyInRange('a-', 0, 0x8000);
      const b = keyInRange('b-', 0x8000, 0x10000);
      const c = keyInRange('c-', 0, 0x8000);
      // Two items of 400 KB (800 KB): no split.
      await put(client, 'growing', a, 400);
      await put(client, 'growing', b, 400);
      assert.equal(resource.partitions.count, 1);
      clock.advance(1000);
      // A burst of six overwrites (400 units each, alternating a and b): the one partition's 1,000 units admit
      // three (1,000 -> 600 -> 200 -> -200) and refuse the rest.
      const overwrites = async () => {
        const tally = emptyTally();
        for (let n = 0; n < 6; n++) await attempt(tally, () => put(client, 'growing', n % 2 === 0 ? a : b, 400));
        return tally;
      };
      assert.deepEqual(await overwrites(), { served: 3, throttled: { [KEY_RANGE]: 3 } });
      clock.advance(1000);
      // A third item takes the partition to 1.2 MB: it splits at the middle of its range.
      await put(client, 'growing', c, 400);
      assert.deepEqual(splits, [{ cause: 'size', parent: [0, 0x10000], children: [[0, 0x8000], [0x8000, 0x10000]] }]);
      clock.advance(1000);
      // The same burst now finds a and b in partitions of their own: all six served.
      assert.deepEqual(await overwrites(), { served: 6, throttled: {} });
    } finally {
      await cairn.close();
    }
  });
});

describe('GSI back-pressure', () => {
  test('a provisioned GSI with 1 write unit throttles the table\'s writes that update it, naming the index', async () => {
    const clock = new ManualClock(1_000_000);
    const cairn = await startCairn({ inMemory: true, capacity: { mode: 'enforce', clock } });
    try {
      const client = cairn.client;
      await client.send(
        new CreateTableCommand({
          TableName: 'orders',
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          AttributeDefinitions: [
            { AttributeName: 'id', AttributeType: 'S' },
            { AttributeName: 'customer', AttributeType: 'S' },
          ],
          ProvisionedThroughput: { ReadCapacityUnits: 1000, WriteCapacityUnits: 1000 },
          GlobalSecondaryIndexes: [
            {
              IndexName: 'byCustomer',
              KeySchema: [{ AttributeName: 'customer', KeyType: 'HASH' }],
              Projection: { ProjectionType: 'ALL' },
              ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
            },
          ],
        }),
      );
      // 100 KB orders: each costs the index 100 units (ALL projection). The index's 1 unit a second banks 300
      // units of burst credit: three orders (300 -> 200 -> 100 -> 0), then the index is out of capacity.
      const order = (id: string) => ({ ...itemOfUnits(id, 100), customer: { S: 'c1' } });
      const indexed = (id: string) => client.send(new PutItemCommand({ TableName: 'orders', Item: order(id) }));
      for (const id of ['o1', 'o2', 'o3']) await indexed(id);
      const error = await rejectsWith(indexed('o4'), 'ProvisionedThroughputExceededException', PROVISIONED_INDEX_MESSAGE);
      assert.deepEqual(error.ThrottlingReasons, [{ reason: 'IndexWriteProvisionedThroughputExceeded', resource: `${ARN}orders/index/byCustomer` }]);
      // The table's write was refused: nothing was written.
      const read = await client.send(new GetItemCommand({ TableName: 'orders', Key: { id: { S: 'o4' } }, ConsistentRead: true }));
      assert.equal(read.Item, undefined);
      // A write that does not touch the index is not held back.
      await put(client, 'orders', 'draft', 100);
      // 100 seconds refill 100 units: one more order, then the index throttles again.
      clock.advance(100_000);
      await indexed('o4');
      await rejectsWith(indexed('o5'), 'ProvisionedThroughputExceededException', PROVISIONED_INDEX_MESSAGE);
    } finally {
      await cairn.close();
    }
  });
});
