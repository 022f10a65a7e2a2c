/**
 * TransactWriteItems and TransactGetItems through the AWS SDK (and raw HTTP where the body's exact shape matters):
 * all-or-nothing across tables, cancellation reasons in request order, the top-level errors, idempotency tokens,
 * transactional capacity, index entries and item collections written with the transaction.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTableCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  type AttributeValue,
  type DynamoDBClient,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { startCairn, type Cairn } from '../helpers/cairn.js';
import { INVALID, rejectsWith } from '../helpers/assertions.js';
import { compositeKeyTable, hashKeyTable } from '../helpers/tables.js';

type Item = Record<string, AttributeValue>;

let cairn: Cairn;
let client: DynamoDBClient;

const s = (value: string): AttributeValue => ({ S: value });
const n = (value: string): AttributeValue => ({ N: value });
const get = async (table: string, key: Item) => (await client.send(new GetItemCommand({ TableName: table, Key: key }))).Item;
const write = (items: TransactWriteItem[], extra: Record<string, unknown> = {}) =>
  client.send(new TransactWriteItemsCommand({ TransactItems: items, ...extra }));

for (const inMemory of [false, true]) {
  describe(inMemory ? 'Transactions in memory' : 'Transactions on LMDB', () => {
    before(async () => {
      cairn = await startCairn({ inMemory });
      client = cairn.client;
      await client.send(new CreateTableCommand(hashKeyTable('accounts')));
      await client.send(new CreateTableCommand(compositeKeyTable('ledger', 'N')));
      await client.send(
        new CreateTableCommand({
          ...hashKeyTable('indexed'),
          AttributeDefinitions: [
            { AttributeName: 'id', AttributeType: 'S' },
            { AttributeName: 'g', AttributeType: 'S' },
          ],
          GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
        }),
      );
      await client.send(
        new CreateTableCommand({
          ...compositeKeyTable('collections', 'S'),
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'sk', AttributeType: 'S' },
            { AttributeName: 'l', AttributeType: 'S' },
          ],
          LocalSecondaryIndexes: [
            {
              IndexName: 'byL',
              KeySchema: [
                { AttributeName: 'pk', KeyType: 'HASH' },
                { AttributeName: 'l', KeyType: 'RANGE' },
              ],
              Projection: { ProjectionType: 'KEYS_ONLY' },
            },
          ],
        }),
      );
      await client.send(new PutItemCommand({ TableName: 'accounts', Item: { id: s('alice'), balance: n('100') } }));
      await client.send(new PutItemCommand({ TableName: 'accounts', Item: { id: s('bob'), balance: n('20') } }));
    });
    after(() => cairn.close());

    test('applies Put, Update, Delete and ConditionCheck across tables together', async () => {
      await client.send(new PutItemCommand({ TableName: 'accounts', Item: { id: s('doomed') } }));
      const result = await write([
        { ConditionCheck: { TableName: 'accounts', Key: { id: s('alice') }, ConditionExpression: 'balance >= :x', ExpressionAttributeValues: { ':x': n('10') } } },
        { Update: { TableName: 'accounts', Key: { id: s('bob') }, UpdateExpression: 'ADD balance :x', ExpressionAttributeValues: { ':x': n('10') } } },
        { Put: { TableName: 'ledger', Item: { pk: s('bob'), sk: n('1'), amount: n('10') }, ConditionExpression: 'attribute_not_exists(pk)' } },
        { Delete: { TableName: 'accounts', Key: { id: s('doomed') } } },
      ]);
      assert.deepEqual(Object.keys(result).filter((key) => key !== '$metadata'), []);
      assert.deepEqual(await get('accounts', { id: s('bob') }), { id: s('bob'), balance: n('30') });
      assert.deepEqual(await get('ledger', { pk: s('bob'), sk: n('1') }), { pk: s('bob'), sk: n('1'), amount: n('10') });
      assert.equal(await get('accounts', { id: s('doomed') }), undefined);
      assert.deepEqual(await get('accounts', { id: s('alice') }), { id: s('alice'), balance: n('100') });
    });

    test('a failed condition cancels everything, with a reason per action in request order', async () => {
      const raw = await cairn.raw('DynamoDB_20120810.TransactWriteItems', {
        TransactItems: [
          { Put: { TableName: 'ledger', Item: { pk: { S: 'alice' }, sk: { N: '1' } } } },
          {
            Update: {
              TableName: 'accounts',
              Key: { id: { S: 'bob' } },
              UpdateExpression: 'SET balance = balance - :x',
              ConditionExpression: 'balance >= :x',
              ExpressionAttributeValues: { ':x': { N: '1000' } },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
          { ConditionCheck: { TableName: 'accounts', Key: { id: { S: 'nobody' } }, ConditionExpression: 'attribute_exists(id)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
        ],
      });
      assert.equal(raw.status, 400);
      assert.deepEqual(raw.body, {
        __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
        Message:
          'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed, ConditionalCheckFailed]',
        CancellationReasons: [
          { Code: 'None' },
          { Code: 'ConditionalCheckFailed', Item: { id: { S: 'bob' }, balance: { N: '30' } }, Message: 'The conditional request failed' },
          { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
        ],
      });
      assert.equal(await get('ledger', { pk: s('alice'), sk: n('1') }), undefined);
      const error = await rejectsWith(
        write([
          { Put: { TableName: 'ledger', Item: { pk: s('alice'), sk: n('2') } } },
          { Put: { TableName: 'ledger', Item: { pk: s('bob'), sk: n('1') }, ConditionExpression: 'attribute_not_exists(pk)' } },
        ]),
        'TransactionCanceledException',
        'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]',
      );
      assert.deepEqual(error.CancellationReasons, [
        { Code: 'None' },
        { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
      ]);
    });

    test('errors that need the table or the item are ValidationError reasons', async () => {
      const error = await rejectsWith(
        write([
          { Delete: { TableName: 'accounts', Key: { id: n('1') } } },
          { Put: { TableName: 'accounts', Item: { id: n('2') } } },
          { Update: { TableName: 'accounts', Key: { id: s('alice') }, UpdateExpression: 'SET balance = absent + :t', ExpressionAttributeValues: { ':t': n('1') } } },
          { Put: { TableName: 'indexed', Item: { id: s('i'), g: n('1') } } },
          { ConditionCheck: { TableName: 'accounts', Key: { id: s('bob') }, ConditionExpression: 'attribute_exists(id)' } },
        ]),
        'TransactionCanceledException',
        'Transaction cancelled, please refer cancellation reasons for specific reasons [ValidationError, ValidationError, ValidationError, ValidationError, None]',
      );
      assert.deepEqual(error.CancellationReasons, [
        { Code: 'ValidationError', Message: 'The provided key element does not match the schema' },
        { Code: 'ValidationError', Message: `${INVALID}Type mismatch for key id expected: S actual: N` },
        { Code: 'ValidationError', Message: 'The provided expression refers to an attribute that does not exist in the item' },
        { Code: 'ValidationError', Message: `${INVALID}Type mismatch for Index Key g Expected: S Actual: N IndexName: byG` },
        { Code: 'None' },
      ]);
      assert.deepEqual(await get('accounts', { id: s('alice') }), { id: s('alice'), balance: n('100') });
    });

    test('request errors are top-level and nothing is written', async () => {
      const put = (id: string): TransactWriteItem => ({ Put: { TableName: 'ledger', Item: { pk: s('top'), sk: n(id) } } });
      const cases: [TransactWriteItem[], string, string][] = [
        [[put('1'), {}], 'ValidationException', 'Invalid Request: TransactWriteRequest should contain Delete or Put or Update request'],
        [
          [{ ...put('1'), Delete: { TableName: 'ledger', Key: { pk: s('top'), sk: n('1') } } }],
          'ValidationException',
          'TransactItems can only contain one of Check, Put, Update or Delete',
        ],
        [[put('1'), { Put: { TableName: 'missing', Item: { id: s('x') } } }], 'ResourceNotFoundException', 'Requested resource not found'],
        [[put('1'), put('1')], 'ValidationException', 'Transaction request cannot include multiple operations on one item'],
        [
          [put('1'), { Delete: { TableName: 'ledger', Key: { pk: s('top'), sk: n('2') }, ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: { ':v': n('1') } } }],
          'ValidationException',
          'Value provided in ExpressionAttributeValues unused in expressions: keys: {:v}',
        ],
        [
          [put('1'), { ConditionCheck: { TableName: 'ledger', Key: { pk: s('top'), sk: n('2') }, ConditionExpression: 'attribute_exists(' } }],
          'ValidationException',
          'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "("',
        ],
        [
          [put('1'), { Delete: { TableName: 'accounts', Key: { id: s('') } } }],
          'ValidationException',
          'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: id',
        ],
        [
          [put('1'), { Update: { TableName: 'accounts', Key: { id: s('alice') }, UpdateExpression: 'SET id = :v', ExpressionAttributeValues: { ':v': s('x') } } }],
          'ValidationException',
          `${INVALID}Cannot update attribute id. This attribute is part of the key`,
        ],
        [
          [put('1'), { Put: { TableName: 'ledger', Item: { pk: s('top'), sk: n('3'), blob: s('x'.repeat(400 * 1024)) } } }],
          'ValidationException',
          'Item size has exceeded the maximum allowed size',
        ],
        [
          // Eleven items of about 390 KB: each within the item limit, 4.2 MB together.
          [put('1'), ...Array.from({ length: 11 }, (_, i) => ({ Put: { TableName: 'ledger', Item: { pk: s('big'), sk: n(String(i)), pad: s('x'.repeat(390 * 1024)) } } }))],
          'ValidationException',
          'Transaction request size exceeds the maximum allowed size of 4 MB',
        ],
        [
          [put('1'), { Put: { TableName: 'indexed', Item: { id: s('e'), g: s('') } } }],
          'ValidationException',
          'One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: byG, IndexKey: g',
        ],
      ];
      for (const [items, type, message] of cases) {
        await rejectsWith(write(items), type, message);
      }
      assert.equal(await get('ledger', { pk: s('top'), sk: n('1') }), undefined);
      await rejectsWith(
        write([]),
        'ValidationException',
        "1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1",
      );
      const tooMany = Array.from({ length: 101 }, (_, i) => put(String(i)));
      await assert.rejects(write(tooMany), (error: Error) => {
        assert.equal(error.name, 'ValidationException');
        assert.match(error.message, /^1 validation error detected: Value '\[.*\]' at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100$/s);
        return true;
      });
    });

    test('a ClientRequestToken applies once; the same token with another request is refused', async () => {
      const deposit: TransactWriteItem[] = [
        { Update: { TableName: 'accounts', Key: { id: s('tokened') }, UpdateExpression: 'ADD balance :x', ExpressionAttributeValues: { ':x': n('5') } } },
        { Put: { TableName: 'ledger', Item: { pk: s('tokened'), sk: n('1') } } },
      ];
      const first = await write(deposit, { ClientRequestToken: 'token-1', ReturnConsumedCapacity: 'TOTAL' });
      assert.deepEqual(first.ConsumedCapacity, [
        { TableName: 'accounts', CapacityUnits: 2, WriteCapacityUnits: 2 },
        { TableName: 'ledger', CapacityUnits: 2, WriteCapacityUnits: 2 },
      ]);
      const replay = await write(deposit, { ClientRequestToken: 'token-1', ReturnConsumedCapacity: 'TOTAL' });
      // A replay applies nothing and is charged as reads.
      assert.deepEqual(replay.ConsumedCapacity, [
        { TableName: 'accounts', CapacityUnits: 2, ReadCapacityUnits: 2 },
        { TableName: 'ledger', CapacityUnits: 2, ReadCapacityUnits: 2 },
      ]);
      await Promise.all([write(deposit, { ClientRequestToken: 'token-1' }), write(deposit, { ClientRequestToken: 'token-1' })]);
      assert.deepEqual(await get('accounts', { id: s('tokened') }), { id: s('tokened'), balance: n('5') });
      const error = await rejectsWith(
        write([deposit[0] as TransactWriteItem], { ClientRequestToken: 'token-1' }),
        'IdempotentParameterMismatchException',
        'The request uses the same client token as a previous, but non-identical request.',
      );
      assert.equal(error.$metadata.httpStatusCode, 400);
      // Another token is another transaction.
      await write(deposit.slice(0, 1), { ClientRequestToken: 'token-2' });
      assert.deepEqual(await get('accounts', { id: s('tokened') }), { id: s('tokened'), balance: n('10') });

      // Past the 10-minute window the records are swept, and the token is new again.
      const storage = cairn.server.engine.storage;
      const countTokens = async () => {
        let count = 0;
        for await (const _ of storage.range('tokens')) count++;
        return count;
      };
      assert.ok((await countTokens()) >= 2);
      await cairn.server.engine.periodicRound(Date.now() + 11 * 60 * 1000, false);
      assert.equal(await countTokens(), 0);
      await write(deposit.slice(0, 1), { ClientRequestToken: 'token-1' });
      assert.deepEqual(await get('accounts', { id: s('tokened') }), { id: s('tokened'), balance: n('15') });
    });

    test('capacity is doubled for the table, not for index writes; index entries are written with the transaction', async () => {
      const result = await write(
        [
          { Put: { TableName: 'indexed', Item: { id: s('a'), g: s('red') } } },
          { Put: { TableName: 'indexed', Item: { id: s('b'), g: s('red'), big: s('x'.repeat(1500)) } } },
          { ConditionCheck: { TableName: 'accounts', Key: { id: s('alice') }, ConditionExpression: 'attribute_exists(id)' } },
        ],
        { ReturnConsumedCapacity: 'INDEXES' },
      );
      assert.deepEqual(result.ConsumedCapacity, [
        {
          TableName: 'indexed',
          CapacityUnits: 9,
          WriteCapacityUnits: 9,
          Table: { CapacityUnits: 6, WriteCapacityUnits: 6 },
          GlobalSecondaryIndexes: { byG: { CapacityUnits: 3, WriteCapacityUnits: 3 } },
        },
        { TableName: 'accounts', CapacityUnits: 2, WriteCapacityUnits: 2, Table: { CapacityUnits: 2, WriteCapacityUnits: 2 } },
      ]);
      const red = await client.send(
        new QueryCommand({ TableName: 'indexed', IndexName: 'byG', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': s('red') } }),
      );
      assert.equal(red.Count, 2);
    });

    test('ReturnItemCollectionMetrics for the actions on tables with local secondary indexes', async () => {
      const result = await write(
        [
          { Put: { TableName: 'collections', Item: { pk: s('p'), sk: s('1'), l: s('a') } } },
          { Put: { TableName: 'ledger', Item: { pk: s('p'), sk: n('1') } } },
        ],
        { ReturnItemCollectionMetrics: 'SIZE' },
      );
      assert.deepEqual(result.ItemCollectionMetrics, {
        collections: [{ ItemCollectionKey: { pk: s('p') }, SizeEstimateRangeGB: [0, 1] }],
      });
    });

    test('TransactGetItems reads one snapshot in request order', async () => {
      const result = await client.send(
        new TransactGetItemsCommand({
          TransactItems: [
            { Get: { TableName: 'accounts', Key: { id: s('alice') } } },
            { Get: { TableName: 'accounts', Key: { id: s('nobody') } } },
            { Get: { TableName: 'ledger', Key: { pk: s('bob'), sk: n('1') }, ProjectionExpression: 'amount' } },
            { Get: { TableName: 'ledger', Key: { pk: s('p'), sk: n('1') }, ProjectionExpression: 'nothing' } },
          ],
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      assert.deepEqual(result.Responses, [
        { Item: { id: s('alice'), balance: n('100') } },
        {},
        { Item: { amount: n('10') } },
        {},
      ]);
      assert.deepEqual(result.ConsumedCapacity, [
        { TableName: 'accounts', CapacityUnits: 4, ReadCapacityUnits: 4 },
        { TableName: 'ledger', CapacityUnits: 4, ReadCapacityUnits: 4 },
      ]);
    });

    test('TransactGetItems errors', async () => {
      await rejectsWith(
        client.send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: 'missing', Key: { id: s('a') } } }] })),
        'ResourceNotFoundException',
        'Requested resource not found',
      );
      const error = await rejectsWith(
        client.send(
          new TransactGetItemsCommand({
            TransactItems: [
              { Get: { TableName: 'accounts', Key: { id: s('alice') } } },
              { Get: { TableName: 'accounts', Key: { nope: s('a') } } },
            ],
          }),
        ),
        'TransactionCanceledException',
        'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ValidationError]',
      );
      assert.deepEqual(error.CancellationReasons, [
        { Code: 'None' },
        { Code: 'ValidationError', Message: 'The provided key element does not match the schema' },
      ]);
      await rejectsWith(
        client.send(
          new TransactGetItemsCommand({
            TransactItems: [
              { Get: { TableName: 'accounts', Key: { id: s('alice') } } },
              { Get: { TableName: 'accounts', Key: { id: s('alice') }, ProjectionExpression: 'id' } },
            ],
          }),
        ),
        'ValidationException',
        'Transaction request cannot include multiple operations on one item',
      );
      await rejectsWith(
        client.send(
          new TransactGetItemsCommand({
            TransactItems: [{ Get: { TableName: 'accounts', Key: { id: s('alice') }, ProjectionExpression: '!!' } }],
          }),
        ),
        'ValidationException',
        'Invalid ProjectionExpression: Syntax error; token: "!", near: "!!"',
      );
    });
  });
}
