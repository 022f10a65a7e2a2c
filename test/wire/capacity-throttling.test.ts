/**
 * Capacity enforcement through the wire: a provisioned table throttles once its burst credit is spent, with
 * DynamoDB's exception, message and ThrottlingReasons; a throttled write writes nothing; `account` mode counts the
 * same throttle but lets the request through. The capacity clock is a manual one: minutes of DynamoDB time pass
 * in no time at all.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateTableCommand, GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ManualClock } from '../../src/capacity/capacity-clock.js';
import { startCairn, type Cairn } from '../helpers/cairn.js';
import { rejectsWith } from '../helpers/assertions.js';

const PROVISIONED_MESSAGE =
  'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.';

function provisionedTable(TableName: string, units: number) {
  return new CreateTableCommand({
    TableName,
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    ProvisionedThroughput: { ReadCapacityUnits: units, WriteCapacityUnits: units },
  });
}

describe('capacity enforced', () => {
  const clock = new ManualClock(1_000_000);
  let cairn: Cairn;
  let client: DynamoDBClient;
  before(async () => {
    cairn = await startCairn({ inMemory: true, capacity: { mode: 'enforce', clock } });
    client = cairn.client;
    await client.send(provisionedTable('small', 1));
  });
  after(() => cairn.close());

  test('a provisioned table spends its 300 seconds of burst credit, then throttles writes with DynamoDB\'s answer', async () => {
    // 1 WCU: 300 units of credit. Each 1 KB item costs one unit; the 301st write finds the bucket empty.
    for (let i = 0; i < 300; i++) {
      await client.send(new PutItemCommand({ TableName: 'small', Item: { id: { S: `k${i}` } } }));
    }
    const error = await rejectsWith(
      client.send(new PutItemCommand({ TableName: 'small', Item: { id: { S: 'refused' } } })),
      'ProvisionedThroughputExceededException',
      PROVISIONED_MESSAGE,
    );
    assert.deepEqual(error.ThrottlingReasons, [
      { reason: 'TableWriteProvisionedThroughputExceeded', resource: 'arn:aws:dynamodb:us-east-1:000000000000:table/small' },
    ]);
    // Nothing was written, and reads have their own bucket.
    const read = await client.send(new GetItemCommand({ TableName: 'small', Key: { id: { S: 'refused' } } }));
    assert.equal(read.Item, undefined);
    // One second of capacity time refills one unit: one more write goes through, the next is throttled again.
    clock.advance(1000);
    await client.send(new PutItemCommand({ TableName: 'small', Item: { id: { S: 'after a second' } } }));
    await rejectsWith(client.send(new PutItemCommand({ TableName: 'small', Item: { id: { S: 'too soon' } } })), 'ProvisionedThroughputExceededException', PROVISIONED_MESSAGE);
  });

  test('reads throttle on their own bucket: eventually consistent reads cost half', async () => {
    await client.send(provisionedTable('reads', 1));
    // 300 units of read credit: 600 eventually consistent reads of a small item, then throttled.
    for (let i = 0; i < 600; i++) await client.send(new GetItemCommand({ TableName: 'reads', Key: { id: { S: 'x' } } }));
    const error = await rejectsWith(
      client.send(new GetItemCommand({ TableName: 'reads', Key: { id: { S: 'x' } } })),
      'ProvisionedThroughputExceededException',
      PROVISIONED_MESSAGE,
    );
    assert.deepEqual(error.ThrottlingReasons, [
      { reason: 'TableReadProvisionedThroughputExceeded', resource: 'arn:aws:dynamodb:us-east-1:000000000000:table/reads' },
    ]);
  });
});

describe('capacity accounted', () => {
  test('account mode counts throttles but serves every request', async () => {
    const clock = new ManualClock(0);
    const cairn = await startCairn({ inMemory: true, capacity: { mode: 'account', clock } });
    try {
      const throttles: string[] = [];
      cairn.server.engine.capacity.observer = { throttled: (throttle, _access, enforced) => throttles.push(`${throttle.reasons[0]?.reason} ${enforced}`) };
      await cairn.client.send(provisionedTable('counted', 1));
      for (let i = 0; i < 302; i++) {
        await cairn.client.send(new PutItemCommand({ TableName: 'counted', Item: { id: { S: `k${i}` } } }));
      }
      assert.deepEqual(throttles, ['TableWriteProvisionedThroughputExceeded false', 'TableWriteProvisionedThroughputExceeded false']);
      // Reads of one item are checked as their units are charged (not admitted first): the same count.
      throttles.length = 0;
      for (let i = 0; i < 302; i++) {
        const { Item } = await cairn.client.send(new GetItemCommand({ TableName: 'counted', Key: { id: { S: `k${i}` } }, ConsistentRead: true }));
        assert.deepEqual(Item, { id: { S: `k${i}` } });
      }
      assert.deepEqual(throttles, ['TableReadProvisionedThroughputExceeded false', 'TableReadProvisionedThroughputExceeded false']);
    } finally {
      await cairn.close();
    }
  });
});
