/**
 * Accounts with `--auth`: tables are namespaced per account and region. Two accounts each have a table `Orders` in
 * us-east-1 with their own items, ARNs carry the owner's account, ListTables shows only the caller's tables, and
 * the same ClientRequestToken in two accounts is two tokens. Without `--auth` an existing data directory keeps
 * its tables (they are the default account's).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTableCommand,
  DescribeTableCommand,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteItemsCommand,
  ExecuteStatementCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient, ListStreamsCommand } from '@aws-sdk/client-dynamodb-streams';
import { startCairn, type Cairn } from '../helpers/cairn.js';
import { ACCOUNT_A, ACCOUNT_B, AUTH_FILE, SESSION_A, USER_A, USER_A2, USER_B } from '../helpers/auth.js';

const createT = new CreateTableCommand({
  TableName: 'Orders',
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
  BillingMode: 'PAY_PER_REQUEST',
  StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
});

describe('tables namespaced per account and region', () => {
  let cairn: Cairn;
  let a: DynamoDBClient;
  let b: DynamoDBClient;
  before(async () => {
    cairn = await startCairn({ inMemory: true, auth: AUTH_FILE });
    a = cairn.clientAs(USER_A);
    b = cairn.clientAs(USER_B);
  });
  after(() => cairn.close());

  test('two accounts each create Orders in us-east-1; items, ARNs and listings stay apart', async () => {
    const createdA = await a.send(createT);
    const createdB = await b.send(createT);
    assert.equal(createdA.TableDescription?.TableArn, `arn:aws:dynamodb:us-east-1:${ACCOUNT_A}:table/Orders`);
    assert.equal(createdB.TableDescription?.TableArn, `arn:aws:dynamodb:us-east-1:${ACCOUNT_B}:table/Orders`);
    assert.match(createdA.TableDescription?.LatestStreamArn ?? '', new RegExp(`^arn:aws:dynamodb:us-east-1:${ACCOUNT_A}:table/Orders/stream/`));

    await a.send(new PutItemCommand({ TableName: 'Orders', Item: { id: { S: '1' }, owner: { S: 'a' } } }));
    await b.send(new PutItemCommand({ TableName: 'Orders', Item: { id: { S: '1' }, owner: { S: 'b' } } }));
    await b.send(new PutItemCommand({ TableName: 'Orders', Item: { id: { S: '2' }, owner: { S: 'b' } } }));
    assert.deepEqual((await a.send(new GetItemCommand({ TableName: 'Orders', Key: { id: { S: '1' } } }))).Item, { id: { S: '1' }, owner: { S: 'a' } });
    assert.deepEqual((await b.send(new GetItemCommand({ TableName: 'Orders', Key: { id: { S: '1' } } }))).Item, { id: { S: '1' }, owner: { S: 'b' } });
    assert.equal((await a.send(new ScanCommand({ TableName: 'Orders' }))).Count, 1);
    assert.equal((await b.send(new ScanCommand({ TableName: 'Orders' }))).Count, 2);
    const query = await a.send(new QueryCommand({ TableName: 'Orders', KeyConditionExpression: 'id = :id', ExpressionAttributeValues: { ':id': { S: '2' } } }));
    assert.equal(query.Count, 0);
    const partiql = await b.send(new ExecuteStatementCommand({ Statement: `SELECT owner FROM "Orders" WHERE id = '2'` }));
    assert.deepEqual(partiql.Items, [{ owner: { S: 'b' } }]);

    // Another user and a session of account A see account A's tables.
    const a2 = cairn.clientAs(USER_A2);
    assert.deepEqual((await a2.send(new GetItemCommand({ TableName: 'Orders', Key: { id: { S: '1' } } }))).Item?.owner, { S: 'a' });
    const session = cairn.clientAs(SESSION_A);
    assert.equal((await session.send(new DescribeTableCommand({ TableName: 'Orders' }))).Table?.TableArn, `arn:aws:dynamodb:us-east-1:${ACCOUNT_A}:table/Orders`);
  });

  test('ListTables shows the caller’s tables only, and a region is its own namespace', async () => {
    await a.send(new CreateTableCommand({ ...createT.input, TableName: 'OnlyA', StreamSpecification: undefined }));
    assert.deepEqual((await a.send(new ListTablesCommand({}))).TableNames, ['OnlyA', 'Orders']);
    assert.deepEqual((await b.send(new ListTablesCommand({}))).TableNames, ['Orders']);
    const aWest = cairn.clientAs(USER_A, 'us-west-2');
    assert.deepEqual((await aWest.send(new ListTablesCommand({}))).TableNames, []);
    await assert.rejects(aWest.send(new GetItemCommand({ TableName: 'Orders', Key: { id: { S: '1' } } })), {
      name: 'ResourceNotFoundException',
      message: 'Requested resource not found',
    });
  });

  test('ListStreams shows the caller’s streams only', async () => {
    const streams = (credentials: typeof USER_A): DynamoDBStreamsClient =>
      new DynamoDBStreamsClient({ region: 'us-east-1', endpoint: cairn.url, credentials: { ...credentials }, maxAttempts: 1 });
    const streamsA = streams(USER_A);
    const streamsB = streams(USER_B);
    try {
      const listedA = (await streamsA.send(new ListStreamsCommand({}))).Streams ?? [];
      const listedB = (await streamsB.send(new ListStreamsCommand({}))).Streams ?? [];
      assert.deepEqual(
        listedA.map((stream) => stream.StreamArn?.split(':')[4]),
        [ACCOUNT_A],
      );
      assert.deepEqual(
        listedB.map((stream) => stream.StreamArn?.split(':')[4]),
        [ACCOUNT_B],
      );
    } finally {
      streamsA.destroy();
      streamsB.destroy();
    }
  });

  test('one ClientRequestToken in two accounts is two tokens', async () => {
    const transaction = (value: string): TransactWriteItemsCommand =>
      new TransactWriteItemsCommand({
        ClientRequestToken: 'shared-token',
        TransactItems: [{ Put: { TableName: 'Orders', Item: { id: { S: 'tx' }, value: { S: value } } } }],
      });
    await a.send(transaction('from a'));
    // Were the token shared, this would be IdempotentParameterMismatchException (another request, same token).
    await b.send(transaction('from b'));
    assert.deepEqual((await b.send(new GetItemCommand({ TableName: 'Orders', Key: { id: { S: 'tx' } } }))).Item?.value, { S: 'from b' });
    assert.deepEqual((await a.send(new GetItemCommand({ TableName: 'Orders', Key: { id: { S: 'tx' } } }))).Item?.value, { S: 'from a' });
  });
});
