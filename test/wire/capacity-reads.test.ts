/**
 * Query and Scan under the capacity model: a page is admitted in the partition it starts in and then charged
 * what it read, which may take the table (or the partition, or the GSI) into debt; the next page is throttled
 * until capacity time has paid the debt back. A provisioned table answers ProvisionedThroughputExceededException,
 * an on-demand one ThrottlingException, with DynamoDB's reasons; a GSI's reads throttle on the GSI alone; a hot
 * partition throttles while the other partitions of the same table are served.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateTableCommand, PutItemCommand, QueryCommand, ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ManualClock } from '../../src/capacity/capacity-clock.js';
import { startCairn, type Cairn } from '../helpers/cairn.js';
import { rejectsWith } from '../helpers/assertions.js';
import { filler, hashOf, resourceOf } from '../helpers/capacity.js';

const PROVISIONED_TABLE =
  'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.';
const PROVISIONED_INDEX =
  'The level of configured provisioned throughput for one or more global secondary indexes of the table was exceeded. ' +
  'Consider increasing your provisioning level for the under-provisioned global secondary indexes with the UpdateTable API.';
const ON_DEMAND_TABLE =
  'Throughput exceeds the current capacity of your table or index. DynamoDB is automatically scaling your table or index so please try again shortly. ' +
  'If exceptions persist, check if you have a hot key: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html';
const ARN = 'arn:aws:dynamodb:us-east-1:000000000000:table/';

/** 350 KB: three of them fill a 1 MB page, 1,075,200 bytes, 263 read units strongly consistent. */
const BIG = 350 * 1024;

function row(pk: string, sk: string, extra: Record<string, AttributeValue> = {}): Record<string, AttributeValue> {
  let fixed = 2 + pk.length + 2 + sk.length + 1;
  for (const [name, value] of Object.entries(extra)) fixed += name.length + (value.S?.length ?? 0);
  return { pk: { S: pk }, sk: { S: sk }, d: { S: filler(BIG - fixed) }, ...extra };
}

describe('Query and Scan throttled', () => {
  const clock = new ManualClock(10_000_000);
  let cairn: Cairn;
  let client: DynamoDBClient;
  before(async () => {
    cairn = await startCairn({ inMemory: true, capacity: { mode: 'enforce', clock } });
    client = cairn.client;
  });
  after(() => cairn.close());

  const keySchema = [
    { AttributeName: 'pk', KeyType: 'HASH' as const },
    { AttributeName: 'sk', KeyType: 'RANGE' as const },
  ];
  /** Writes big rows one capacity second apart, so that no partition's write bucket runs dry. */
  async function fill(tableName: string, rows: readonly Record<string, AttributeValue>[]): Promise<void> {
    for (const item of rows) {
      await client.send(new PutItemCommand({ TableName: tableName, Item: item }));
      clock.advance(1000);
    }
  }
  const queryOf = (TableName: string, pk: string, input: Partial<ConstructorParameters<typeof QueryCommand>[0]> = {}) =>
    client.send(
      new QueryCommand({
        TableName,
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': { S: pk } },
        ReturnConsumedCapacity: 'TOTAL',
        ...input,
      }),
    );

  test('a provisioned table: pages run the read bucket into debt, then Query and Scan are throttled until it is paid', async () => {
    await client.send(
      new CreateTableCommand({
        TableName: 'pages',
        KeySchema: keySchema,
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1000 },
      }),
    );
    await fill('pages', ['a', 'b', 'c', 'd'].map((sk) => row('big', sk)));
    // 300 units of burst credit: the first page leaves 37, the second is admitted on them and leaves a debt of 51.
    const first = await queryOf('pages', 'big', { ConsistentRead: true });
    assert.deepEqual([first.Count, first.ConsumedCapacity?.CapacityUnits], [3, 263]);
    const second = await queryOf('pages', 'big', { ConsistentRead: true, ExclusiveStartKey: first.LastEvaluatedKey });
    assert.deepEqual([second.Count, second.ConsumedCapacity?.CapacityUnits], [1, 88]);
    const reasons = [{ reason: 'TableReadProvisionedThroughputExceeded', resource: `${ARN}pages` }];
    const refused = await rejectsWith(queryOf('pages', 'big'), 'ProvisionedThroughputExceededException', PROVISIONED_TABLE);
    assert.deepEqual(refused.ThrottlingReasons, reasons);
    const scanRefused = await rejectsWith(client.send(new ScanCommand({ TableName: 'pages' })), 'ProvisionedThroughputExceededException', PROVISIONED_TABLE);
    assert.deepEqual(scanRefused.ThrottlingReasons, reasons);
    // 51 seconds pay the debt back; one more gives a unit to start the next page on.
    clock.advance(51_000);
    await rejectsWith(queryOf('pages', 'big'), 'ProvisionedThroughputExceededException', PROVISIONED_TABLE);
    clock.advance(1000);
    const scan = await client.send(new ScanCommand({ TableName: 'pages', Limit: 1, ReturnConsumedCapacity: 'TOTAL' }));
    assert.deepEqual([scan.Count, scan.ConsumedCapacity?.CapacityUnits], [1, 44]);
  });

  test('a GSI\'s reads throttle on the GSI: IndexReadProvisionedThroughputExceeded, the table still served', async () => {
    await client.send(
      new CreateTableCommand({
        TableName: 'gsiReads',
        KeySchema: keySchema,
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
          { AttributeName: 'g', AttributeType: 'S' },
        ],
        ProvisionedThroughput: { ReadCapacityUnits: 1000, WriteCapacityUnits: 1000 },
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byG',
            KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'ALL' },
            ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1000 },
          },
        ],
      }),
    );
    await fill('gsiReads', ['a', 'b', 'c'].map((sk) => row('p', sk, { g: { S: 'x' } })));
    const onIndex = () =>
      client.send(
        new QueryCommand({
          TableName: 'gsiReads',
          IndexName: 'byG',
          KeyConditionExpression: 'g = :g',
          ExpressionAttributeValues: { ':g': { S: 'x' } },
          ReturnConsumedCapacity: 'INDEXES',
        }),
      );
    // Eventually consistent (GSIs are): 131.5 units a page. 300 of credit: three pages, the third into debt.
    for (let i = 0; i < 3; i++) {
      const page = await onIndex();
      assert.deepEqual(page.ConsumedCapacity?.GlobalSecondaryIndexes, { byG: { CapacityUnits: 131.5 } });
    }
    const refused = await rejectsWith(onIndex(), 'ProvisionedThroughputExceededException', PROVISIONED_INDEX);
    assert.deepEqual(refused.ThrottlingReasons, [{ reason: 'IndexReadProvisionedThroughputExceeded', resource: `${ARN}gsiReads/index/byG` }]);
    const table = await queryOf('gsiReads', 'p', { ConsistentRead: true });
    assert.equal(table.Count, 3);
  });

  test('an on-demand table: a hot partition key is throttled (ThrottlingException) while another partition is served', async () => {
    await client.send(
      new CreateTableCommand({
        TableName: 'tenants',
        KeySchema: keySchema,
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    // A quiet tenant in another partition than the hot one.
    const partitions = resourceOf(cairn, 'tenants').partitions.partitions;
    const partitionOf = (pk: string) => partitions.findIndex((partition) => partition.contains(hashOf(cairn, 'tenants', { pk: { S: pk }, sk: { S: 'a' } })));
    const quiet = ['q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'q7', 'q8'].find((pk) => partitionOf(pk) !== partitionOf('hot')) as string;
    await fill('tenants', [...['a', 'b', 'c'].map((sk) => row('hot', sk)), row(quiet, 'a')]);
    // 3,000 read units a second per partition: eleven pages of 263 leave 107, the twelfth goes into debt.
    for (let i = 0; i < 12; i++) await queryOf('tenants', 'hot', { ConsistentRead: true });
    const refused = await rejectsWith(queryOf('tenants', 'hot', { ConsistentRead: true }), 'ThrottlingException', ON_DEMAND_TABLE);
    assert.deepEqual(refused.throttlingReasons, [{ reason: 'TableReadKeyRangeThroughputExceeded', resource: `${ARN}tenants` }]);
    // The quiet tenant's partition has all its capacity.
    const served = await queryOf('tenants', quiet, { ConsistentRead: true });
    assert.deepEqual([served.Count, served.ConsumedCapacity?.CapacityUnits], [1, 88]);
    // A second of capacity time refills the hot partition (3,000 units, 156 owed).
    clock.advance(1000);
    assert.equal((await queryOf('tenants', 'hot')).Count, 3);
  });
});

describe('Query and Scan accounted', () => {
  test('account mode counts the throttles a Query would meet but answers it', async () => {
    const clock = new ManualClock(0);
    const cairn = await startCairn({ inMemory: true, capacity: { mode: 'account', clock } });
    try {
      const throttles: string[] = [];
      cairn.server.engine.capacity.observer = { throttled: (throttle, access, enforced) => throttles.push(`${throttle.reasons[0]?.reason} ${access} ${enforced}`) };
      await cairn.client.send(
        new CreateTableCommand({
          TableName: 'counted',
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'sk', AttributeType: 'S' },
          ],
          ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1000 },
        }),
      );
      for (const sk of ['a', 'b']) {
        await cairn.client.send(new PutItemCommand({ TableName: 'counted', Item: row('p', sk) }));
        clock.advance(1000);
      }
      // 175 units a page: the second goes into debt, the third would be throttled and is served.
      for (let i = 0; i < 3; i++) {
        const page = await cairn.client.send(
          new QueryCommand({ TableName: 'counted', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } }, ConsistentRead: true }),
        );
        assert.equal(page.Count, 2);
      }
      assert.deepEqual(throttles, ['TableReadProvisionedThroughputExceeded read false']);
    } finally {
      await cairn.close();
    }
  });
});
