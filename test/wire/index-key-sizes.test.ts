/**
 * Index key sizes through the AWS SDK: values over DynamoDB's limits (2048 bytes for a HASH attribute, 1024 for a
 * RANGE one, and the RANGE values of a multi-attribute GSI key together) are refused naming the index, and values at
 * the limits are stored and read back even next to a table key at its own limit.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
  type QueryCommandInput,
} from '@aws-sdk/client-dynamodb';
import { startCairn, type Cairn } from '../helpers/cairn.js';
import { INVALID, rejectsWith } from '../helpers/assertions.js';

type Item = Record<string, AttributeValue>;

const s = (value: string): AttributeValue => ({ S: value });

let cairn: Cairn;
let client: DynamoDBClient;

async function query(input: Omit<QueryCommandInput, 'TableName'>, table: string) {
  return client.send(new QueryCommand({ TableName: table, ...input }));
}

describe('index key sizes', () => {
  before(async () => {
    cairn = await startCairn();
    client = cairn.client;
    await client.send(
      new CreateTableCommand({
        TableName: 'sizes',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: ['id', 'g', 'r', 'h1', 'h2', 'r1', 'r2'].map((AttributeName) => ({ AttributeName, AttributeType: 'S' as const })),
        BillingMode: 'PAY_PER_REQUEST',
        GlobalSecondaryIndexes: [
          {
            IndexName: 'single',
            KeySchema: [
              { AttributeName: 'g', KeyType: 'HASH' },
              { AttributeName: 'r', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          },
          {
            IndexName: 'multi',
            KeySchema: [
              { AttributeName: 'h1', KeyType: 'HASH' },
              { AttributeName: 'h2', KeyType: 'HASH' },
              { AttributeName: 'r1', KeyType: 'RANGE' },
              { AttributeName: 'r2', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          },
        ],
      }),
    );
  });
  after(() => cairn.close());

  const long = (char: string, length: number): AttributeValue => s(char.repeat(length));

  test('keys at the limits are stored and read back, however long the table key', async () => {
    // A 2048-byte table key next to a 2048-byte HASH and a 1024-byte RANGE value: more than one storage key holds.
    const item: Item = { id: long('i', 2048), g: long('g', 2048), r: long('r', 1024) };
    await client.send(new PutItemCommand({ TableName: 'sizes', Item: item }));
    await client.send(new PutItemCommand({ TableName: 'sizes', Item: { ...item, id: long('j', 2048) } }));
    const single = await query(
      { IndexName: 'single', KeyConditionExpression: 'g = :g AND r = :r', ExpressionAttributeValues: { ':g': item.g as AttributeValue, ':r': item.r as AttributeValue }, Limit: 1 },
      'sizes',
    );
    assert.equal(single.Count, 1);
    const rest = await query(
      { IndexName: 'single', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': item.g as AttributeValue }, ExclusiveStartKey: single.LastEvaluatedKey },
      'sizes',
    );
    assert.equal(rest.Count, 1);
    assert.notEqual(rest.Items?.[0]?.id?.S, single.Items?.[0]?.id?.S);

    const multi: Item = { id: long('k', 2048), h1: long('a', 2048), h2: long('b', 2048), r1: long('c', 1000), r2: long('d', 24) };
    await client.send(new PutItemCommand({ TableName: 'sizes', Item: multi }));
    const found = await query(
      {
        IndexName: 'multi',
        KeyConditionExpression: 'h1 = :a AND h2 = :b AND r1 = :c AND r2 = :d',
        ExpressionAttributeValues: { ':a': multi.h1 as AttributeValue, ':b': multi.h2 as AttributeValue, ':c': multi.r1 as AttributeValue, ':d': multi.r2 as AttributeValue },
      },
      'sizes',
    );
    assert.deepEqual(found.Items, [multi]);
    await client.send(new DeleteItemCommand({ TableName: 'sizes', Key: { id: multi.id as AttributeValue } }));
    const { Table } = await client.send(new DescribeTableCommand({ TableName: 'sizes' }));
    assert.deepEqual(Table?.GlobalSecondaryIndexes?.map((index) => [index.IndexName, index.ItemCount]), [['single', 2], ['multi', 0]]);
  });

  test('longer index key values are refused, naming the index', async () => {
    const put = (item: Item) => client.send(new PutItemCommand({ TableName: 'sizes', Item: { id: s('x'), ...item } }));
    await rejectsWith(
      put({ g: long('g', 2049) }),
      'ValidationException',
      `${INVALID}Size limit exceeded for Index Key g Actual Size: 2049 bytes Max Size: 2048 bytes IndexName: single`,
    );
    await rejectsWith(
      put({ g: s('g'), r: long('é', 513) }),
      'ValidationException',
      `${INVALID}Size limit exceeded for Index Key r Actual Size: 1026 bytes Max Size: 1024 bytes IndexName: single`,
    );
    await rejectsWith(
      put({ h2: long('h', 2049) }),
      'ValidationException',
      `${INVALID}Size limit exceeded for Index Key h2 Actual Size: 2049 bytes Max Size: 2048 bytes IndexName: multi`,
    );
    await rejectsWith(
      put({ r2: { B: new Uint8Array(1025) }, r1: s('x') }),
      'ValidationException',
      `${INVALID}Type mismatch for Index Key r2 Expected: S Actual: B IndexName: multi`,
    );
    // The RANGE values of a multi-attribute key count together.
    await rejectsWith(
      put({ r1: long('c', 1000), r2: long('d', 25) }),
      'ValidationException',
      `${INVALID}Aggregated size of all range keys has exceeded the size limit of 1024 bytes`,
    );
    await rejectsWith(
      client.send(
        new UpdateItemCommand({ TableName: 'sizes', Key: { id: s('x') }, UpdateExpression: 'SET r1 = :v', ExpressionAttributeValues: { ':v': long('v', 1025) } }),
      ),
      'ValidationException',
      `${INVALID}Size limit exceeded for Index Key r1 Actual Size: 1025 bytes Max Size: 1024 bytes IndexName: multi`,
    );
    const { Item } = await client.send(new GetItemCommand({ TableName: 'sizes', Key: { id: s('x') } }));
    assert.equal(Item, undefined);
  });
});
