/**
 * Paths into key attributes and the key side of reads, with DynamoDB's messages and order:
 * - a document path into a key attribute (`pk.x`, `gk[0]`) is refused in projections, conditions, filters and
 *   updates: "Key: pk" for the table's keys, "IndexKey: gk" for any index's keys, whichever index is read;
 * - a Query key condition on a nested attribute has its own message, and its checks run in DynamoDB's order;
 * - a Scan on an index validates ExclusiveStartKey exactly as a Query on that index does.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BatchGetItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { startCairn, type Cairn } from '../helpers/cairn.js';
import { INVALID, rejectsWith } from '../helpers/assertions.js';

const TABLE = 'key_paths';
const VALIDATION = 'com.amazon.coral.validate#ValidationException';
let cairn: Cairn;
let client: DynamoDBClient;

const scalars = (what: string) => `Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: ${what}`;
const KEY = { pk: { S: 'p' }, sk: { N: '1' } };
const V = { ':v': { S: 'x' } };

describe('paths into key attributes, key conditions and index starting keys', () => {
  before(async () => {
    cairn = await startCairn({ inMemory: true });
    client = cairn.client;
    await client.send(
      new CreateTableCommand({
        TableName: TABLE,
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'N' },
          { AttributeName: 'gk', AttributeType: 'S' },
          { AttributeName: 'gr', AttributeType: 'N' },
          { AttributeName: 'lk', AttributeType: 'S' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'by_g',
            KeySchema: [
              { AttributeName: 'gk', KeyType: 'HASH' },
              { AttributeName: 'gr', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
        LocalSecondaryIndexes: [
          {
            IndexName: 'by_l',
            KeySchema: [
              { AttributeName: 'pk', KeyType: 'HASH' },
              { AttributeName: 'lk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await client.send(
      new PutItemCommand({ TableName: TABLE, Item: { ...KEY, gk: { S: 'g' }, gr: { N: '2' }, lk: { S: 'l' }, m: { M: {} } } }),
    );
  });
  after(async () => {
    await cairn.close();
  });

  const raw = async (operation: string, body: object): Promise<string> => {
    const response = await cairn.raw(`DynamoDB_20120810.${operation}`, { TableName: TABLE, ...body });
    assert.equal(response.status, 400, JSON.stringify(response.body));
    const { __type, message } = response.body as { __type: string; message: string };
    assert.equal(__type, VALIDATION);
    return message;
  };

  test('projections: the table key, then every index key', async () => {
    await rejectsWith(
      client.send(new GetItemCommand({ TableName: TABLE, Key: KEY, ProjectionExpression: 'gk.x' })),
      'ValidationException',
      scalars('IndexKey: gk'),
    );
    await rejectsWith(
      client.send(new GetItemCommand({ TableName: TABLE, Key: KEY, ProjectionExpression: 'm, #l[0]', ExpressionAttributeNames: { '#l': 'lk' } })),
      'ValidationException',
      scalars('IndexKey: lk'),
    );
    // The table's key is reported before an index's, whatever the order in the expression.
    await rejectsWith(
      client.send(new GetItemCommand({ TableName: TABLE, Key: KEY, ProjectionExpression: 'gk.x, sk.y' })),
      'ValidationException',
      scalars('Key: sk'),
    );
    await rejectsWith(
      client.send(new BatchGetItemCommand({ RequestItems: { [TABLE]: { Keys: [KEY], ProjectionExpression: 'gr[1]' } } })),
      'ValidationException',
      scalars('IndexKey: gr'),
    );
    assert.equal(await raw('Scan', { ProjectionExpression: 'gk.x' }), scalars('IndexKey: gk'));
    assert.equal(await raw('Query', { IndexName: 'by_g', KeyConditionExpression: 'gk = :v', ExpressionAttributeValues: V, ProjectionExpression: 'lk.x' }),
      scalars('IndexKey: lk'));
    // A path into any other map is fine.
    const item = await client.send(new GetItemCommand({ TableName: TABLE, Key: KEY, ProjectionExpression: 'm.x, gk' }));
    assert.deepEqual(item.Item, { gk: { S: 'g' } });
  });

  test('conditions and updates of single-item writes', async () => {
    await rejectsWith(
      client.send(new PutItemCommand({ TableName: TABLE, Item: KEY, ConditionExpression: 'attribute_exists(gk.x)' })),
      'ValidationException',
      scalars('IndexKey: gk'),
    );
    await rejectsWith(
      client.send(new PutItemCommand({ TableName: TABLE, Item: KEY, ConditionExpression: 'attribute_not_exists(pk.x)' })),
      'ValidationException',
      scalars('Key: pk'),
    );
    await rejectsWith(
      client.send(new DeleteItemCommand({ TableName: TABLE, Key: KEY, ConditionExpression: 'lk[0] = :v', ExpressionAttributeValues: V })),
      'ValidationException',
      scalars('IndexKey: lk'),
    );
    await rejectsWith(
      client.send(new UpdateItemCommand({ TableName: TABLE, Key: KEY, UpdateExpression: 'SET gk.y = :v', ExpressionAttributeValues: V })),
      'ValidationException',
      scalars('IndexKey: gk'),
    );
    await rejectsWith(
      client.send(
        new UpdateItemCommand({
          TableName: TABLE,
          Key: KEY,
          UpdateExpression: 'SET a = gr[0]',
          ConditionExpression: 'size(m) > :n',
          ExpressionAttributeValues: { ':n': { N: '0' } },
        }),
      ),
      'ValidationException',
      scalars('IndexKey: gr'),
    );
    // Updating a table key attribute, nested or not, keeps its own (earlier) message.
    await rejectsWith(
      client.send(new UpdateItemCommand({ TableName: TABLE, Key: KEY, UpdateExpression: 'SET sk.y = :v', ExpressionAttributeValues: V })),
      'ValidationException',
      `${INVALID}Cannot update attribute sk. This attribute is part of the key`,
    );
    await rejectsWith(
      client.send(
        new TransactWriteItemsCommand({
          TransactItems: [{ ConditionCheck: { TableName: TABLE, Key: KEY, ConditionExpression: 'attribute_exists(gk.x)' } }],
        }),
      ),
      'ValidationException',
      scalars('IndexKey: gk'),
    );
    // Nothing was written by any of them.
    const item = await client.send(new GetItemCommand({ TableName: TABLE, Key: KEY }));
    assert.deepEqual(Object.keys(item.Item ?? {}).sort(), ['gk', 'gr', 'lk', 'm', 'pk', 'sk']);
  });

  test('filters of Query and Scan, on the table and on an index', async () => {
    assert.equal(await raw('Scan', { FilterExpression: 'gk.x = :v', ExpressionAttributeValues: V }), scalars('IndexKey: gk'));
    assert.equal(await raw('Scan', { FilterExpression: 'sk[0] = :v', ExpressionAttributeValues: V }), scalars('Key: sk'));
    assert.equal(await raw('Scan', { IndexName: 'by_g', FilterExpression: 'lk.x = :v', ExpressionAttributeValues: V }), scalars('IndexKey: lk'));
    // Scan checks the filter before the projection.
    assert.equal(await raw('Scan', { FilterExpression: 'gk.x = :v', ProjectionExpression: 'pk.y', ExpressionAttributeValues: V }),
      scalars('IndexKey: gk'));
    const query = { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' }, ':v': { S: 'x' } } };
    assert.equal(await raw('Query', { ...query, FilterExpression: 'gr.x = :v' }), scalars('IndexKey: gr'));
    // Query checks the projection first, and the filter's key attributes before its paths.
    assert.equal(await raw('Query', { ...query, FilterExpression: 'gr.x = :v', ProjectionExpression: 'lk[0]' }), scalars('IndexKey: lk'));
    assert.equal(await raw('Query', { ...query, FilterExpression: 'sk.x = :v' }),
      'Filter Expression can only contain non-primary key attributes: Primary key attribute: sk');
    assert.equal(
      await raw('Query', { IndexName: 'by_g', KeyConditionExpression: 'gk = :p', ExpressionAttributeValues: { ':p': { S: 'g' }, ':v': { S: 'x' } }, FilterExpression: 'pk.x = :v' }),
      scalars('Key: pk'),
    );
  });

  test('key conditions: nested attributes and the order of checks', async () => {
    const cases: [string, Record<string, AttributeValue>, string][] = [
      ['pk = :p AND sk.x = :v', {}, 'KeyConditionExpressions cannot have conditions on nested attributes'],
      ['pk.x = :p', {}, 'KeyConditionExpressions cannot have conditions on nested attributes'],
      ['pk = :p AND sk.x BETWEEN :v AND :v', {}, 'KeyConditionExpressions cannot have conditions on nested attributes'],
      ['pk = :p AND :v BETWEEN size(sk) AND sk', {}, 'Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand'],
      ['pk = :p AND sk BETWEEN lk AND size(pk)', {}, 'Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition'],
      ['pk = :p AND sk.a > lk', {}, 'KeyConditionExpressions cannot have conditions on nested attributes'],
      ['pk = :p AND sk > size(lk.a)', {}, 'KeyConditionExpressions cannot contain nested operations'],
    ];
    for (const [expression, values, message] of cases) {
      const used = { ':p': { S: 'p' }, ':v': { N: '1' }, ...values };
      const ExpressionAttributeValues = Object.fromEntries(Object.entries(used).filter(([name]) => expression.includes(name)));
      assert.equal(await raw('Query', { KeyConditionExpression: expression, ExpressionAttributeValues }), message, expression);
    }
  });

  test('a Scan on an index checks ExclusiveStartKey exactly as a Query on it', async () => {
    const onIndex = { IndexName: 'by_g' };
    const entry = { pk: { S: 'p' }, sk: { N: '1' }, gk: { S: 'g' }, gr: { N: '2' } };
    const cases: [Record<string, AttributeValue>, string][] = [
      [{ pk: { S: 'p' }, sk: { N: '1' } }, 'The provided starting key is invalid'],
      [{ ...entry, x: { S: 'x' } }, 'The provided starting key is invalid'],
      [{ pk: { S: 'p' }, sk: { N: '1' }, gk: { S: 'g' }, x: { N: '2' } }, 'The provided starting key is invalid'],
      [{ ...entry, gk: { N: '1' } }, 'The provided key element does not match the schema'],
      [{ ...entry, gr: { S: '2' } }, 'The provided key element does not match the schema'],
      [{ ...entry, pk: { S: '' } },
        `The provided starting key is invalid: ${INVALID}The AttributeValue for a key attribute cannot contain an empty string value. Key: pk`],
      [{ ...entry, sk: { S: '1' } }, 'The provided starting key is invalid: The provided key element does not match the schema'],
      [{ ...entry, gk: { S: '' } }, `${INVALID}The AttributeValue for a key attribute cannot contain an empty string value. Key: gk`],
    ];
    for (const [startKey, message] of cases) {
      const scanned = await raw('Scan', { ...onIndex, ExclusiveStartKey: startKey });
      const queried = await raw('Query', {
        ...onIndex,
        KeyConditionExpression: 'gk = :g',
        ExpressionAttributeValues: { ':g': { S: 'g' } },
        ExclusiveStartKey: startKey,
      });
      assert.equal(scanned, message, JSON.stringify(startKey));
      assert.equal(scanned, queried, JSON.stringify(startKey));
    }
    // A valid one resumes past the entry.
    const page = await cairn.raw('DynamoDB_20120810.Scan', { TableName: TABLE, ...onIndex, ExclusiveStartKey: entry });
    assert.equal(page.status, 200);
    assert.equal((page.body as { Count: number }).Count, 0);
  });
});
