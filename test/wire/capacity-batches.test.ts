/**
 * Batches and transactions under the capacity model. BatchGetItem admits and charges key by key: the keys it
 * could not read come back in UnprocessedKeys, uncharged. BatchWriteItem returns exactly the throttled requests
 * in UnprocessedItems and charges only what it wrote. A batch none of whose requests could be processed fails
 * with the throttle: ProvisionedThroughputExceededException when provisioned throughput ran out,
 * ThrottlingException for partition limits and on-demand tables. Transactions throttle as a whole, with a
 * TransactionCanceledException naming the throttled actions, and write and charge nothing. TTL deletions and
 * index backfills are the service's own writes: neither throttled nor charged.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  CreateTableCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type AttributeValue,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { ManualClock } from '../../src/capacity/capacity-clock.js';
import { startCairn, type Cairn } from '../helpers/cairn.js';
import { rejectsWith } from '../helpers/assertions.js';
import { charged, filler, hashOf, resourceOf } from '../helpers/capacity.js';

const PROVISIONED_TABLE =
  'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.';
const PROVISIONED_INDEX =
  'The level of configured provisioned throughput for one or more global secondary indexes of the table was exceeded. ' +
  'Consider increasing your provisioning level for the under-provisioned global secondary indexes with the UpdateTable API.';
const ON_DEMAND_TABLE =
  'Throughput exceeds the current capacity of your table or index. DynamoDB is automatically scaling your table or index so please try again shortly. ' +
  'If exceptions persist, check if you have a hot key: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html';
const ARN = 'arn:aws:dynamodb:us-east-1:000000000000:table/';

type Item = Record<string, AttributeValue>;

/** An item keyed pk/sk of exactly `size` bytes. */
function row(pk: string, sk: string, size: number, extra: Item = {}): Item {
  let fixed = 2 + pk.length + 2 + sk.length + 1;
  for (const [name, value] of Object.entries(extra)) fixed += name.length + (value.S?.length ?? 0);
  return { pk: { S: pk }, sk: { S: sk }, d: { S: filler(size - fixed) }, ...extra };
}
const key = (pk: string, sk: string): Item => ({ pk: { S: pk }, sk: { S: sk } });

function table(TableName: string, throughput?: { read: number; write: number }, extra: Partial<CreateTableCommandInput> = {}): CreateTableCommand {
  return new CreateTableCommand({
    TableName,
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
      ...(extra.AttributeDefinitions ?? []),
    ],
    ...(throughput === undefined
      ? { BillingMode: 'PAY_PER_REQUEST' as const }
      : { ProvisionedThroughput: { ReadCapacityUnits: throughput.read, WriteCapacityUnits: throughput.write } }),
    ...(extra.GlobalSecondaryIndexes !== undefined ? { GlobalSecondaryIndexes: extra.GlobalSecondaryIndexes } : {}),
  });
}

/** 405,504 bytes: 99 read units strongly consistent, 396 write units. */
const READ_99 = 99 * 4096;
/** 400 KB: 400 write units. */
const WRITE_400 = 400 * 1024;

describe('batches and transactions throttled', () => {
  const clock = new ManualClock(20_000_000);
  let cairn: Cairn;
  let client: DynamoDBClient;
  before(async () => {
    cairn = await startCairn({ inMemory: true, capacity: { mode: 'enforce', clock }, ttlSweepIntervalMs: 3_600_000, ttlChangeIntervalMs: 0 });
    client = cairn.client;
    // Reads: 1 RCU (300 units of burst credit). Writes: 1 WCU. Nothing throttles on "open".
    await client.send(table('reads', { read: 1, write: 1000 }));
    await client.send(table('writes', { read: 1000, write: 1 }));
    await client.send(table('open'));
  });
  after(() => cairn.close());

  /** Puts items one capacity second apart, so that no partition runs dry while filling. */
  async function fill(tableName: string, items: readonly Item[]): Promise<void> {
    for (const item of items) {
      await client.send(new PutItemCommand({ TableName: tableName, Item: item }));
      clock.advance(1000);
    }
  }

  test('BatchGetItem: keys admitted one by one, the rest in UnprocessedKeys uncharged; none read: the throttle', async () => {
    const ids = ['k1', 'k2', 'k3', 'k4', 'k5'];
    await fill('reads', ids.map((id) => row(id, 's', READ_99)));
    const batch = () =>
      client.send(
        new BatchGetItemCommand({
          RequestItems: { reads: { Keys: ids.map((id) => key(id, 's')), ConsistentRead: true, ProjectionExpression: 'pk' } },
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
    // 300 units: k1, k2, k3 leave 3; k4 is admitted on them (a debt of 96); k5 is not read.
    const before = charged(cairn, 'read', 'reads');
    const partial = await batch();
    assert.deepEqual(
      partial.Responses?.reads?.map((item) => item.pk?.S).sort(),
      ['k1', 'k2', 'k3', 'k4'],
    );
    assert.deepEqual(partial.UnprocessedKeys, { reads: { Keys: [key('k5', 's')], ConsistentRead: true, ProjectionExpression: 'pk' } });
    assert.deepEqual(partial.ConsumedCapacity, [{ TableName: 'reads', CapacityUnits: 396 }]);
    assert.equal(charged(cairn, 'read', 'reads') - before, 396);
    // In debt: no key can be read, the whole request is refused, nothing is charged.
    const refused = await rejectsWith(batch(), 'ProvisionedThroughputExceededException', PROVISIONED_TABLE);
    assert.deepEqual(refused.ThrottlingReasons, [{ reason: 'TableReadProvisionedThroughputExceeded', resource: `${ARN}reads` }]);
    assert.equal(charged(cairn, 'read', 'reads') - before, 396);
    // A key of another table with capacity is read, and the throttled ones come back.
    await client.send(new PutItemCommand({ TableName: 'open', Item: row('o', 's', 100) }));
    const mixed = await client.send(
      new BatchGetItemCommand({ RequestItems: { reads: { Keys: [key('k1', 's')] }, open: { Keys: [key('o', 's')] } }, ReturnConsumedCapacity: 'TOTAL' }),
    );
    assert.deepEqual(mixed.Responses, { reads: [], open: [row('o', 's', 100)] });
    assert.deepEqual(mixed.UnprocessedKeys, { reads: { Keys: [key('k1', 's')] } });
    assert.deepEqual(mixed.ConsumedCapacity, [
      { TableName: 'reads', CapacityUnits: 0 },
      { TableName: 'open', CapacityUnits: 0.5 },
    ]);
    // 97 seconds later the debt is paid and a unit is there: one more key is read.
    clock.advance(97_000);
    const later = await batch();
    assert.equal(later.Responses?.reads?.length, 1);
    assert.equal(later.UnprocessedKeys?.reads?.Keys?.length, 4);
  });

  test('BatchWriteItem: exactly the throttled requests in UnprocessedItems, only what was written charged', async () => {
    // 400 units against 300 of credit: a debt of 100.
    await client.send(new PutItemCommand({ TableName: 'writes', Item: row('big', 's', WRITE_400) }));
    const throttledRequests = [{ PutRequest: { Item: row('w1', 's', 100) } }, { DeleteRequest: { Key: key('big', 's') } }];
    const refused = await rejectsWith(
      client.send(new BatchWriteItemCommand({ RequestItems: { writes: throttledRequests } })),
      'ProvisionedThroughputExceededException',
      PROVISIONED_TABLE,
    );
    assert.deepEqual(refused.ThrottlingReasons, [{ reason: 'TableWriteProvisionedThroughputExceeded', resource: `${ARN}writes` }]);
    assert.equal((await client.send(new GetItemCommand({ TableName: 'writes', Key: key('w1', 's') }))).Item, undefined);

    const writesBefore = charged(cairn, 'write', 'writes');
    const openBefore = charged(cairn, 'write', 'open');
    const partial = await client.send(
      new BatchWriteItemCommand({
        RequestItems: { writes: throttledRequests, open: [{ PutRequest: { Item: row('o1', 's', 1025) } }, { PutRequest: { Item: row('o2', 's', 10) } }] },
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    assert.deepEqual(partial.UnprocessedItems, { writes: throttledRequests });
    assert.deepEqual(partial.ConsumedCapacity, [
      { TableName: 'writes', CapacityUnits: 0 },
      { TableName: 'open', CapacityUnits: 3 },
    ]);
    assert.equal(charged(cairn, 'write', 'writes') - writesBefore, 0);
    assert.equal(charged(cairn, 'write', 'open') - openBefore, 3);
    assert.equal((await client.send(new GetItemCommand({ TableName: 'open', Key: key('o2', 's') }))).Item?.pk?.S, 'o2');

    // A request the batch's validation refuses is the answer, throttled tables or not.
    await rejectsWith(
      client.send(new BatchWriteItemCommand({ RequestItems: { writes: [throttledRequests[0] as never, throttledRequests[0] as never] } })),
      'ValidationException',
      'Provided list of item keys contains duplicates',
    );
  });

  test('BatchWriteItem on a hot partition: its requests unprocessed, the rest written; all hot: ThrottlingException', async () => {
    await client.send(table('hot'));
    const partitions = resourceOf(cairn, 'hot').partitions.partitions;
    const partitionOf = (pk: string) => partitions.findIndex((partition) => partition.contains(hashOf(cairn, 'hot', key(pk, 's'))));
    const quiet = ['q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'q7', 'q8'].find((pk) => partitionOf(pk) !== partitionOf('hot')) as string;
    // 1,000 write units a second per partition: three 400-unit writes take it into debt.
    for (const sk of ['a', 'b', 'c']) await client.send(new PutItemCommand({ TableName: 'hot', Item: row('hot', sk, WRITE_400) }));
    const hotRequests = [{ PutRequest: { Item: row('hot', 'd', 10) } }, { PutRequest: { Item: row('hot', 'e', 10) } }];
    const refused = await rejectsWith(
      client.send(new BatchWriteItemCommand({ RequestItems: { hot: hotRequests } })),
      'ThrottlingException',
      ON_DEMAND_TABLE,
    );
    // One reason, however many requests met it.
    assert.deepEqual(refused.throttlingReasons, [{ reason: 'TableWriteKeyRangeThroughputExceeded', resource: `${ARN}hot` }]);
    const partial = await client.send(
      new BatchWriteItemCommand({ RequestItems: { hot: [...hotRequests, { PutRequest: { Item: row(quiet, 's', 10) } }] }, ReturnConsumedCapacity: 'TOTAL' }),
    );
    assert.deepEqual(partial.UnprocessedItems, { hot: hotRequests });
    assert.deepEqual(partial.ConsumedCapacity, [{ TableName: 'hot', CapacityUnits: 1 }]);
  });

  test('a provisioned table\'s hot partition: PutItem gets ProvisionedThroughputExceededException, a whole batch ThrottlingException', async () => {
    // 3,000 WCU: ample table capacity; the partition's 1,000 a second is the limit.
    await client.send(table('hotProvisioned', { read: 1, write: 3000 }));
    for (const sk of ['a', 'b', 'c']) await client.send(new PutItemCommand({ TableName: 'hotProvisioned', Item: row('hot', sk, WRITE_400) }));
    const reasons = [{ reason: 'TableWriteKeyRangeThroughputExceeded', resource: `${ARN}hotProvisioned` }];
    const put = await rejectsWith(
      client.send(new PutItemCommand({ TableName: 'hotProvisioned', Item: row('hot', 'd', 10) })),
      'ProvisionedThroughputExceededException',
      PROVISIONED_TABLE,
    );
    assert.deepEqual(put.ThrottlingReasons, reasons);
    const batch = await rejectsWith(
      client.send(new BatchWriteItemCommand({ RequestItems: { hotProvisioned: [{ PutRequest: { Item: row('hot', 'd', 10) } }] } })),
      'ThrottlingException',
      ON_DEMAND_TABLE,
    );
    assert.deepEqual(batch.throttlingReasons, reasons);
  });

  test('TransactWriteItems throttles as a whole: cancelled with the throttled actions named, nothing written or charged', async () => {
    // "writes" is still in debt (previous tests), "open" is not.
    const openBefore = charged(cairn, 'write', 'open');
    const error = await rejectsWith(
      client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: 'open', Item: row('t1', 's', 10) } },
            { Put: { TableName: 'writes', Item: row('t2', 's', 10) } },
          ],
        }),
      ),
      'TransactionCanceledException',
      'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ProvisionedThroughputExceeded]',
    );
    assert.deepEqual(error.CancellationReasons, [{ Code: 'None' }, { Code: 'ProvisionedThroughputExceeded', Message: PROVISIONED_TABLE }]);
    assert.equal((await client.send(new GetItemCommand({ TableName: 'open', Key: key('t1', 's') }))).Item, undefined);
    assert.equal(charged(cairn, 'write', 'open') - openBefore, 0);
    // On an on-demand table the code is ThrottlingError.
    const onDemand = await rejectsWith(
      client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: 'hot', Item: row('hot', 'z', 10) } },
            { ConditionCheck: { TableName: 'open', Key: key('o2', 's'), ConditionExpression: 'attribute_exists(pk)' } },
          ],
        }),
      ),
      'TransactionCanceledException',
      'Transaction cancelled, please refer cancellation reasons for specific reasons [ThrottlingError, None]',
    );
    assert.deepEqual(onDemand.CancellationReasons, [{ Code: 'ThrottlingError', Message: ON_DEMAND_TABLE }, { Code: 'None' }]);
  });

  test('a GSI out of write capacity cancels a transaction that would write to it (back-pressure)', async () => {
    await client.send(
      table(
        'backPressure',
        { read: 1000, write: 1000 },
        {
          AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'S' }],
          GlobalSecondaryIndexes: [
            {
              IndexName: 'byG',
              KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
              Projection: { ProjectionType: 'ALL' },
              ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
            },
          ],
        },
      ),
    );
    // 400 units on the GSI against its 300 of credit.
    await client.send(new PutItemCommand({ TableName: 'backPressure', Item: row('a', 's', WRITE_400, { g: { S: 'x' } }) }));
    const tableBefore = charged(cairn, 'write', 'backPressure');
    const error = await rejectsWith(
      client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: 'backPressure', Item: row('b', 's', 10) } },
            { Put: { TableName: 'backPressure', Item: row('c', 's', 10, { g: { S: 'y' } }) } },
          ],
        }),
      ),
      'TransactionCanceledException',
      'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ProvisionedThroughputExceeded]',
    );
    assert.deepEqual(error.CancellationReasons, [{ Code: 'None' }, { Code: 'ProvisionedThroughputExceeded', Message: PROVISIONED_INDEX }]);
    assert.equal(charged(cairn, 'write', 'backPressure') - tableBefore, 0);
    assert.equal((await client.send(new GetItemCommand({ TableName: 'backPressure', Key: key('b', 's') }))).Item, undefined);
  });

  test('TransactGetItems throttles as a whole, reads and charges nothing', async () => {
    // "reads" is in debt since the first test's last batch.
    const openBefore = charged(cairn, 'read', 'open');
    const error = await rejectsWith(
      client.send(
        new TransactGetItemsCommand({
          TransactItems: [{ Get: { TableName: 'open', Key: key('o2', 's') } }, { Get: { TableName: 'reads', Key: key('k1', 's') } }],
        }),
      ),
      'TransactionCanceledException',
      'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ProvisionedThroughputExceeded]',
    );
    assert.deepEqual(error.CancellationReasons, [{ Code: 'None' }, { Code: 'ProvisionedThroughputExceeded', Message: PROVISIONED_TABLE }]);
    assert.equal(charged(cairn, 'read', 'open') - openBefore, 0);
  });

  test('TTL deletions are free: not charged, and not throttled on a table whose writes are', async () => {
    await client.send(table('expiring', { read: 1000, write: 1 }));
    await client.send(new UpdateTimeToLiveCommand({ TableName: 'expiring', TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true } }));
    await cairn.server.engine.settleBackgroundWork();
    const past = { N: String(Math.floor(Date.now() / 1000) - 10) };
    // 1 + 391 units against 300 of credit: the table's writes are throttled now.
    await client.send(new PutItemCommand({ TableName: 'expiring', Item: { ...key('small', 's'), ttl: past } }));
    await client.send(new PutItemCommand({ TableName: 'expiring', Item: { ...row('big', 's', 390 * 1024), ttl: past } }));
    await rejectsWith(client.send(new PutItemCommand({ TableName: 'expiring', Item: key('e3', 's') })), 'ProvisionedThroughputExceededException', PROVISIONED_TABLE);
    const before = charged(cairn, 'write', 'expiring');
    await cairn.server.engine.periodicRound(Date.now(), false);
    for (const id of ['small', 'big']) {
      assert.equal((await client.send(new GetItemCommand({ TableName: 'expiring', Key: key(id, 's') }))).Item, undefined, id);
    }
    assert.equal(charged(cairn, 'write', 'expiring') - before, 0);
    // Still in debt: the deletions took nothing from the table's capacity, and gave it nothing either.
    await rejectsWith(client.send(new PutItemCommand({ TableName: 'expiring', Item: key('e6', 's') })), 'ProvisionedThroughputExceededException', PROVISIONED_TABLE);
  });

  test('an index backfill is not client traffic: the new GSI starts with all its capacity', async () => {
    await client.send(table('backfilled', { read: 1000, write: 1000 }));
    await fill('backfilled', ['a', 'b'].map((pk) => row(pk, 's', WRITE_400, { g: { S: 'x' } })));
    await client.send(
      new UpdateTableCommand({
        TableName: 'backfilled',
        AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'S' }],
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: 'byG',
              KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
              Projection: { ProjectionType: 'ALL' },
              ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
            },
          },
        ],
      }),
    );
    await cairn.server.engine.settleBackgroundWork();
    const indexed = await client.send(
      new QueryCommand({ TableName: 'backfilled', IndexName: 'byG', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'x' } }, Select: 'COUNT' }),
    );
    assert.equal(indexed.Count, 2);
    assert.equal(charged(cairn, 'write', 'backfilled', 'byG'), 0);
    // 800 units of backfill would have put a 1-WCU index deep in debt; a client write to it goes through.
    await client.send(new PutItemCommand({ TableName: 'backfilled', Item: row('c', 's', 10, { g: { S: 'y' } }) }));
  });
});
