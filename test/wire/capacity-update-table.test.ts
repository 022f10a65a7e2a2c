/**
 * UpdateTable's limits on provisioned throughput decreases (four a UTC day, then one an hour after the last), on
 * the capacity clock, and DescribeTable's NumberOfDecreasesToday / Last*DateTime that follow them; a table and each
 * GSI have their own budget, and a request refused for one of them changes nothing. Also: DescribeTable's
 * WarmThroughput follows the peak an on-demand table has served.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateTableCommand, DescribeTableCommand, UpdateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ManualClock } from '../../src/capacity/capacity-clock.js';
import { startCairn, type Cairn } from '../helpers/cairn.js';
import { rejectsWith } from '../helpers/assertions.js';
import { keysByPartition, putSecond } from '../helpers/capacity-scenario.js';

const HOUR = 3_600_000;
// Friday, October 9, 2026, 00:21:34 UTC.
const START = Date.UTC(2026, 9, 9, 0, 21, 34);

function limitMessage(count: number, last: string, next: string): string {
  return (
    'Subscriber limit exceeded: Provisioned throughput decreases are limited within a given UTC day. After the first 4 decreases, ' +
    `each subsequent decrease in the same UTC day can be performed at most once every 3600 seconds. Number of decreases today: ${count}. ` +
    `Last decrease at ${last}. Next decrease can be made at ${next}`
  );
}

describe('provisioned throughput decreases', () => {
  const clock = new ManualClock(START);
  let cairn: Cairn;
  let client: DynamoDBClient;
  before(async () => {
    cairn = await startCairn({ inMemory: true, capacity: { mode: 'enforce', clock } });
    client = cairn.client;
    await client.send(
      new CreateTableCommand({
        TableName: 'shrinking',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [
          { AttributeName: 'id', AttributeType: 'S' },
          { AttributeName: 'g', AttributeType: 'S' },
        ],
        ProvisionedThroughput: { ReadCapacityUnits: 100, WriteCapacityUnits: 100 },
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byG',
            KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'KEYS_ONLY' },
            ProvisionedThroughput: { ReadCapacityUnits: 100, WriteCapacityUnits: 100 },
          },
        ],
      }),
    );
  });
  after(() => cairn.close());

  const setTable = (read: number, write: number) =>
    client.send(new UpdateTableCommand({ TableName: 'shrinking', ProvisionedThroughput: { ReadCapacityUnits: read, WriteCapacityUnits: write } }));
  const setIndex = (read: number, write: number) =>
    client.send(
      new UpdateTableCommand({
        TableName: 'shrinking',
        GlobalSecondaryIndexUpdates: [{ Update: { IndexName: 'byG', ProvisionedThroughput: { ReadCapacityUnits: read, WriteCapacityUnits: write } } }],
      }),
    );
  const describeTable = async () => (await client.send(new DescribeTableCommand({ TableName: 'shrinking' }))).Table;

  test('four decreases, then one an hour after the last; refused attempts change nothing', async () => {
    for (const units of [90, 80, 70]) {
      await setTable(units, units);
      clock.advance(60_000);
    }
    // Lowering one side while raising the other is a decrease too.
    await setTable(60, 200);
    const fourth = clock.now();
    let table = await describeTable();
    assert.equal(table?.ProvisionedThroughput?.NumberOfDecreasesToday, 4);
    assert.equal(table?.ProvisionedThroughput?.LastDecreaseDateTime?.getTime(), fourth);
    assert.equal(table?.ProvisionedThroughput?.LastIncreaseDateTime?.getTime(), fourth);

    clock.advance(HOUR - 1);
    await rejectsWith(
      setTable(50, 50),
      'LimitExceededException',
      limitMessage(4, 'Friday, October 9, 2026 at 12:24:34 AM Coordinated Universal Time', 'Friday, October 9, 2026 at 1:24:34 AM Coordinated Universal Time'),
    );
    // An increase is never limited.
    await setTable(61, 200);
    table = await describeTable();
    assert.deepEqual(
      { ...table?.ProvisionedThroughput, LastIncreaseDateTime: undefined },
      { LastIncreaseDateTime: undefined, LastDecreaseDateTime: new Date(fourth), NumberOfDecreasesToday: 4, ReadCapacityUnits: 61, WriteCapacityUnits: 200 },
    );

    clock.advance(1);
    await setTable(50, 200);
    clock.advance(HOUR / 2);
    await rejectsWith(
      setTable(40, 200),
      'LimitExceededException',
      limitMessage(5, 'Friday, October 9, 2026 at 1:24:34 AM Coordinated Universal Time', 'Friday, October 9, 2026 at 2:24:34 AM Coordinated Universal Time'),
    );
    assert.equal((await describeTable())?.ProvisionedThroughput?.NumberOfDecreasesToday, 5);
    // The warm throughput of a provisioned table is the most it was ever provisioned with.
    assert.deepEqual((await describeTable())?.WarmThroughput, { ReadUnitsPerSecond: 100, WriteUnitsPerSecond: 200, Status: 'ACTIVE' });
  });

  test('a GSI has its own budget; a request refused for the index does not change the table either', async () => {
    for (const units of [90, 80, 70, 60]) await setIndex(units, units);
    await rejectsWith(
      setIndex(50, 50),
      'LimitExceededException',
      limitMessage(4, 'Friday, October 9, 2026 at 1:54:34 AM Coordinated Universal Time', 'Friday, October 9, 2026 at 2:54:34 AM Coordinated Universal Time'),
    );
    // The table's own budget is spent too (previous test): a request lowering both is refused as a whole.
    clock.advance(HOUR);
    // 2:54:34: the table may decrease again (its last decrease was at 1:24:34), the index may too.
    await client.send(
      new UpdateTableCommand({
        TableName: 'shrinking',
        ProvisionedThroughput: { ReadCapacityUnits: 40, WriteCapacityUnits: 200 },
        GlobalSecondaryIndexUpdates: [{ Update: { IndexName: 'byG', ProvisionedThroughput: { ReadCapacityUnits: 50, WriteCapacityUnits: 50 } } }],
      }),
    );
    clock.advance(HOUR / 2);
    await rejectsWith(
      client.send(
        new UpdateTableCommand({
          TableName: 'shrinking',
          ProvisionedThroughput: { ReadCapacityUnits: 30, WriteCapacityUnits: 200 },
          GlobalSecondaryIndexUpdates: [{ Update: { IndexName: 'byG', ProvisionedThroughput: { ReadCapacityUnits: 40, WriteCapacityUnits: 40 } } }],
        }),
      ),
      'LimitExceededException',
      limitMessage(6, 'Friday, October 9, 2026 at 2:54:34 AM Coordinated Universal Time', 'Friday, October 9, 2026 at 3:54:34 AM Coordinated Universal Time'),
    );
    const table = await describeTable();
    assert.equal(table?.ProvisionedThroughput?.ReadCapacityUnits, 40);
    assert.equal(table?.ProvisionedThroughput?.NumberOfDecreasesToday, 6);
    const index = table?.GlobalSecondaryIndexes?.[0]?.ProvisionedThroughput;
    assert.equal(index?.ReadCapacityUnits, 50);
    assert.equal(index?.NumberOfDecreasesToday, 5);
  });

  test('the next decrease is allowed at midnight UTC when that comes first, and the count starts again', async () => {
    // To 23:30 UTC, one decrease (the hour since the last one has passed), then another is due at midnight.
    clock.advance(Date.UTC(2026, 9, 9, 23, 30) - clock.now());
    await setTable(30, 200);
    await rejectsWith(
      setTable(20, 200),
      'LimitExceededException',
      limitMessage(7, 'Friday, October 9, 2026 at 11:30:00 PM Coordinated Universal Time', 'Saturday, October 10, 2026 at 12:00:00 AM Coordinated Universal Time'),
    );
    clock.advance(HOUR / 2);
    // A new UTC day: DescribeTable counts it from zero before any decrease is made.
    assert.equal((await describeTable())?.ProvisionedThroughput?.NumberOfDecreasesToday, 0);
    for (const units of [20, 10, 5, 4]) await setTable(units, 200);
    const table = await describeTable();
    assert.equal(table?.ProvisionedThroughput?.NumberOfDecreasesToday, 4);
    assert.equal(table?.ProvisionedThroughput?.ReadCapacityUnits, 4);
    await rejectsWith(
      setTable(3, 200),
      'LimitExceededException',
      limitMessage(4, 'Saturday, October 10, 2026 at 12:00:00 AM Coordinated Universal Time', 'Saturday, October 10, 2026 at 1:00:00 AM Coordinated Universal Time'),
    );
  });
});

describe('WarmThroughput follows the capacity model', () => {
  test('an on-demand table that served a higher peak describes it as its warm throughput; UpdateTable raises it', async () => {
    const clock = new ManualClock(START);
    // Peaks averaged over one second of capacity time (a minute by default), so that a peak takes few requests.
    const cairn = await startCairn({
      inMemory: true,
      capacity: { mode: 'enforce', clock, policy: { ceiling: { windowMs: 1000, followDelayMs: 30 * 60_000 } } },
    });
    try {
      const client = cairn.client;
      await client.send(
        new CreateTableCommand({
          TableName: 'warm',
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      const warm = async () => (await client.send(new DescribeTableCommand({ TableName: 'warm' }))).Table?.WarmThroughput;
      assert.deepEqual(await warm(), { ReadUnitsPerSecond: 12_000, WriteUnitsPerSecond: 4_000, Status: 'ACTIVE' });
      // A new on-demand table has 4 partitions (4,000 write units); three keys in each. 12 writes of 390 units in
      // one burst: the table's 4,000 units admit 11 (the 11th while 100 units remain), the 12th is refused.
      const keys = keysByPartition('w', 4, 3);
      const order = [0, 1, 2].flatMap((n) => keys.map((range) => range[n] as string));
      const tally = await putSecond(client, clock, 'warm', 12, 390, (n) => order[n] as string, { burst: true });
      assert.deepEqual(tally, { served: 11, throttled: { 'ThrottlingException TableWriteKeyRangeThroughputExceeded': 1 } });
      // The table served 4,290 units in that second: it can serve them again at once.
      assert.deepEqual(await warm(), { ReadUnitsPerSecond: 12_000, WriteUnitsPerSecond: 4_290, Status: 'ACTIVE' });
      // It cannot be asked for less than that any more.
      await rejectsWith(
        client.send(new UpdateTableCommand({ TableName: 'warm', WarmThroughput: { WriteUnitsPerSecond: 4_100 } })),
        'ValidationException',
        'One or more parameter values were invalid: Requested WriteUnitsPerSecond for WarmThroughput for table is lower than current ' +
          'WarmThroughput, decreasing WarmThroughput is not supported',
      );
      // UpdateTable raises it further; DescribeTable shows the larger value.
      await client.send(new UpdateTableCommand({ TableName: 'warm', WarmThroughput: { WriteUnitsPerSecond: 10_000 } }));
      assert.deepEqual(await warm(), { ReadUnitsPerSecond: 12_000, WriteUnitsPerSecond: 10_000, Status: 'ACTIVE' });
    } finally {
      await cairn.close();
    }
  });
});
