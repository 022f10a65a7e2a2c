/**
 * On-demand capacity through the SDK, in `enforce` mode on a manual capacity clock: a new table serves its warm
 * throughput (4,000 write units a second) at once and twice its previous peak 30 minutes after that peak; the
 * OnDemandThroughput maximum refuses what goes above it with TableWriteMaxOnDemandThroughputExceeded; a
 * WarmThroughput raised by UpdateTable is served at once.
 *
 * A peak is averaged over a window of capacity time (a minute by default); these tests shorten the window to a
 * second through the capacity policy, so that a peak takes a burst of a few dozen requests. Each burst writes
 * 390-unit items to 64 keys, one in each 64th of the hash space, in an order that visits the partitions in turn
 * (so that no partition's own 1,000 units a second limit the burst before the table's do).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateTableCommand, PutItemCommand, UpdateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ManualClock } from '../../src/capacity/capacity-clock.js';
import { startCairn, type Cairn } from '../helpers/cairn.js';
import { rejectsWith } from '../helpers/assertions.js';
import { attempt, emptyTally, itemOfUnits, keysByPartition, type Tally } from '../helpers/capacity-scenario.js';

const MINUTE = 60_000;
const UNITS = 390;
const NOT_YET_SCALED = 'ThrottlingException TableWriteKeyRangeThroughputExceeded';
const ABOVE_MAXIMUM = 'ThrottlingException TableWriteMaxOnDemandThroughputExceeded';

// Key r lies in the r-th 64th of the hash space; visit r = 0, 8, 16, ... 56, 1, 9, ...: 8 consecutive writes go
// to 8 different eighths of the hash space.
const byRange = keysByPartition('od-', 64, 1).map((keys) => keys[0] as string);
const burstOrder = Array.from({ length: 64 }, (_, n) => byRange[(n % 8) * 8 + Math.floor(n / 8)] as string);

async function startOnDemand(clock: ManualClock): Promise<Cairn> {
  return startCairn({
    inMemory: true,
    capacity: { mode: 'enforce', clock, policy: { ceiling: { windowMs: 1000, followDelayMs: 30 * MINUTE } } },
  });
}

function createOnDemand(client: DynamoDBClient, TableName: string, maxWrite?: number) {
  return client.send(
    new CreateTableCommand({
      TableName,
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      ...(maxWrite !== undefined ? { OnDemandThroughput: { MaxWriteRequestUnits: maxWrite } } : {}),
    }),
  );
}

/** 64 writes of 390 units at one instant of capacity time. */
async function burst(client: DynamoDBClient, table: string, count = 64): Promise<Tally> {
  const tally = emptyTally();
  for (const key of burstOrder.slice(0, count)) {
    await attempt(tally, () => client.send(new PutItemCommand({ TableName: table, Item: itemOfUnits(key, UNITS) })));
  }
  return tally;
}

describe('on-demand capacity', () => {
  test('a new table serves 4,000 units a second at once, and twice its previous peak 30 minutes after it', async () => {
    const clock = new ManualClock(1_000_000);
    const cairn = await startOnDemand(clock);
    try {
      const client = cairn.client;
      await createOnDemand(client, 'sale');
      const start = clock.now();
      // 4,000 units: 11 writes are admitted (the 11th while 100 units remain), 4,290 units served.
      assert.deepEqual(await burst(client, 'sale'), { served: 11, throttled: { [NOT_YET_SCALED]: 53 } });
      // Until that peak counts, the table still serves 4,000 units at once.
      clock.advance(29 * MINUTE);
      assert.deepEqual(await burst(client, 'sale'), { served: 11, throttled: { [NOT_YET_SCALED]: 53 } });
      // 30 minutes after the peak's window closed: twice 4,290 = 8,580 units, exactly 22 writes of 390.
      clock.advance(start + 1000 + 30 * MINUTE - clock.now());
      assert.deepEqual(await burst(client, 'sale'), { served: 22, throttled: { [NOT_YET_SCALED]: 42 } });
    } finally {
      await cairn.close();
    }
  });

  test('OnDemandThroughput maximums refuse what goes above them, until removed', async () => {
    const clock = new ManualClock(1_000_000);
    const cairn = await startOnDemand(clock);
    try {
      const client = cairn.client;
      await createOnDemand(client, 'capped', 1000);
      // 1,000 units a second: 1,000 -> 610 -> 220 -> -170, three writes.
      assert.deepEqual(await burst(client, 'capped', 10), { served: 3, throttled: { [ABOVE_MAXIMUM]: 7 } });
      const error = await rejectsWith(
        client.send(new PutItemCommand({ TableName: 'capped', Item: itemOfUnits('one-more', 1) })),
        'ThrottlingException',
        'Throughput exceeds the maximum OnDemandThroughput configured on table or index',
      );
      assert.deepEqual(error.throttlingReasons, [
        { reason: 'TableWriteMaxOnDemandThroughputExceeded', resource: 'arn:aws:dynamodb:us-east-1:000000000000:table/capped' },
      ]);
      // A second later the maximum has refilled by 1,000 units: 830 -> 440 -> 50 -> -340.
      clock.advance(1000);
      assert.deepEqual(await burst(client, 'capped', 10), { served: 3, throttled: { [ABOVE_MAXIMUM]: 7 } });
      // Removed (-1): the table's 4,000 units again.
      await client.send(new UpdateTableCommand({ TableName: 'capped', OnDemandThroughput: { MaxWriteRequestUnits: -1 } }));
      clock.advance(1000);
      assert.deepEqual(await burst(client, 'capped'), { served: 11, throttled: { [NOT_YET_SCALED]: 53 } });
    } finally {
      await cairn.close();
    }
  });

  test('a WarmThroughput raised by UpdateTable is served at once', async () => {
    const clock = new ManualClock(1_000_000);
    const cairn = await startOnDemand(clock);
    try {
      const client = cairn.client;
      await createOnDemand(client, 'warmed');
      assert.deepEqual(await burst(client, 'warmed'), { served: 11, throttled: { [NOT_YET_SCALED]: 53 } });
      // Two seconds: the 290 units of debt paid back and the 4,000 refilled.
      clock.advance(2000);
      await client.send(new UpdateTableCommand({ TableName: 'warmed', WarmThroughput: { WriteUnitsPerSecond: 8000 } }));
      // 8,000 units at once, in 8 partitions: 21 writes (the 21st while 200 units remain).
      assert.deepEqual(await burst(client, 'warmed'), { served: 21, throttled: { [NOT_YET_SCALED]: 43 } });
    } finally {
      await cairn.close();
    }
  });
});
