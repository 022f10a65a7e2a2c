/**
 * Tenant isolation with `dynamodb:LeadingKeys`: two users whose one policy allows item access only where the
 * partition key is their own user name (`ForAllValues:StringEquals` with `${aws:username}`, the pattern of
 * DynamoDB's fine-grained access control guide), across every item operation, batches, transactions and PartiQL.
 * Scan has no leading keys: it is denied unless a policy lets it through as IAM would.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BatchExecuteStatementCommand,
  BatchGetItemCommand,
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  ExecuteStatementCommand,
  ExecuteTransactionCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { startCairn, type Cairn, type TestCredentials } from '../helpers/cairn.js';
import { rejectsWith } from '../helpers/assertions.js';

const A = '111122223333';
const TABLE = `arn:aws:dynamodb:us-east-1:${A}:table/tenants`;
const TENANT_ACTIONS = [
  'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query',
  'dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem', 'dynamodb:ConditionCheckItem', 'dynamodb:PartiQLSelect',
  'dynamodb:PartiQLInsert', 'dynamodb:PartiQLUpdate', 'dynamodb:PartiQLDelete',
];
const tenantPolicy = (actions: string[], operator = 'ForAllValues:StringEquals'): object => ({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: actions, Resource: [TABLE, `${TABLE}/index/*`], Condition: { [operator]: { 'dynamodb:LeadingKeys': ['${aws:username}'] } } },
    { Effect: 'Deny', Action: 'dynamodb:PartiQLSelect', Resource: '*', Condition: { Bool: { 'dynamodb:FullTableScan': 'true' } } },
  ],
});
const credentials = (name: string): TestCredentials => ({ accessKeyId: `AKIA${name.toUpperCase()}`.padEnd(20, '0'), secretAccessKey: `secret-${name}` });
const AUTH = {
  accounts: [
    {
      id: A,
      users: [
        { name: 'admin', ...credentials('admin'), policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }] },
        { name: 'alice', ...credentials('alice'), policies: [tenantPolicy(TENANT_ACTIONS)] },
        { name: 'bob', ...credentials('bob'), policies: [tenantPolicy(TENANT_ACTIONS)] },
        // Scan listed under ForAllValues: a Scan has no leading keys, and ForAllValues holds for none (IAM's rule).
        { name: 'scanner', ...credentials('scanner'), policies: [tenantPolicy(['dynamodb:Scan'])] },
        // The same with plain StringEquals: an absent key matches nothing.
        { name: 'strict', ...credentials('strict'), policies: [tenantPolicy(['dynamodb:Scan', 'dynamodb:Query'], 'StringEquals')] },
      ],
    },
  ],
};

const deniedMessage = (name: string, action: string, resource = TABLE): string =>
  `User: arn:aws:iam::${A}:user/${name} is not authorized to perform: dynamodb:${action} on resource: ${resource} because no identity-based policy allows the dynamodb:${action} action`;

let cairn: Cairn;
let alice: DynamoDBClient;
let bob: DynamoDBClient;
const key = (tenant: string, id = '1') => ({ tenant: { S: tenant }, id: { S: id } });

before(async () => {
  cairn = await startCairn({ inMemory: true, auth: AUTH, clientCredentials: credentials('admin') });
  await cairn.client.send(
    new CreateTableCommand({
      TableName: 'tenants',
      KeySchema: [{ AttributeName: 'tenant', KeyType: 'HASH' }, { AttributeName: 'id', KeyType: 'RANGE' }],
      AttributeDefinitions: [{ AttributeName: 'tenant', AttributeType: 'S' }, { AttributeName: 'id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  for (const tenant of ['alice', 'bob']) {
    await cairn.client.send(new PutItemCommand({ TableName: 'tenants', Item: { ...key(tenant), v: { N: '1' } } }));
  }
  alice = cairn.clientAs(credentials('alice'));
  bob = cairn.clientAs(credentials('bob'));
});
after(async () => {
  await cairn.close();
});

async function denied(promise: Promise<unknown>, name: string, action: string, resource = TABLE): Promise<void> {
  await rejectsWith(promise, 'AccessDeniedException', deniedMessage(name, action, resource));
}

/** Bob's item is untouched by whatever Alice was refused. */
async function bobsItemIntact(): Promise<void> {
  const item = await cairn.client.send(new GetItemCommand({ TableName: 'tenants', Key: key('bob') }));
  assert.deepEqual(item.Item, { ...key('bob'), v: { N: '1' } });
}

describe('tenant isolation with dynamodb:LeadingKeys and ${aws:username}', () => {
  test('GetItem, PutItem, UpdateItem, DeleteItem: own partition only', async () => {
    assert.deepEqual((await alice.send(new GetItemCommand({ TableName: 'tenants', Key: key('alice') }))).Item, { ...key('alice'), v: { N: '1' } });
    assert.deepEqual((await bob.send(new GetItemCommand({ TableName: 'tenants', Key: key('bob') }))).Item, { ...key('bob'), v: { N: '1' } });
    await denied(alice.send(new GetItemCommand({ TableName: 'tenants', Key: key('bob') })), 'alice', 'GetItem');
    await denied(bob.send(new GetItemCommand({ TableName: 'tenants', Key: key('alice') })), 'bob', 'GetItem');

    await alice.send(new PutItemCommand({ TableName: 'tenants', Item: key('alice', '2') }));
    await denied(alice.send(new PutItemCommand({ TableName: 'tenants', Item: key('bob', '2') })), 'alice', 'PutItem');
    await alice.send(new UpdateItemCommand({ TableName: 'tenants', Key: key('alice', '2'), UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { N: '2' } } }));
    await denied(
      alice.send(new UpdateItemCommand({ TableName: 'tenants', Key: key('bob'), UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { N: '9' } } })),
      'alice',
      'UpdateItem',
    );
    await alice.send(new DeleteItemCommand({ TableName: 'tenants', Key: key('alice', '2') }));
    await denied(alice.send(new DeleteItemCommand({ TableName: 'tenants', Key: key('bob') })), 'alice', 'DeleteItem');
    await bobsItemIntact();
  });

  test('Query: the hash key equality is the leading key; Scan has none', async () => {
    const own = await alice.send(new QueryCommand({ TableName: 'tenants', KeyConditionExpression: 'tenant = :t', ExpressionAttributeValues: { ':t': { S: 'alice' } } }));
    assert.equal(own.Count, 1);
    const legacy = await alice.send(
      new QueryCommand({ TableName: 'tenants', KeyConditions: { tenant: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'alice' }] } } }),
    );
    assert.equal(legacy.Count, 1);
    await denied(
      alice.send(new QueryCommand({ TableName: 'tenants', KeyConditionExpression: 'tenant = :t', ExpressionAttributeValues: { ':t': { S: 'bob' } } })),
      'alice',
      'Query',
    );
    // The tenant policy does not list Scan (as the guide's does not): denied.
    await denied(alice.send(new ScanCommand({ TableName: 'tenants' })), 'alice', 'Scan');
    // Listed under ForAllValues, IAM lets a Scan through (no leading keys: the set operator holds vacuously)...
    const scanned = await cairn.clientAs(credentials('scanner')).send(new ScanCommand({ TableName: 'tenants' }));
    assert.equal(scanned.Count, 2);
    // ...and under plain StringEquals it does not, while a Query of the own partition still passes.
    const strict = cairn.clientAs(credentials('strict'));
    await denied(strict.send(new ScanCommand({ TableName: 'tenants' })), 'strict', 'Scan');
    await denied(
      strict.send(new QueryCommand({ TableName: 'tenants', KeyConditionExpression: 'tenant = :t', ExpressionAttributeValues: { ':t': { S: 'alice' } } })),
      'strict',
      'Query',
    );
  });

  test('BatchGetItem and BatchWriteItem: every key of the table must be the tenant\'s', async () => {
    const got = await alice.send(new BatchGetItemCommand({ RequestItems: { tenants: { Keys: [key('alice'), key('alice', 'missing')] } } }));
    assert.equal(got.Responses?.tenants?.length, 1);
    await denied(alice.send(new BatchGetItemCommand({ RequestItems: { tenants: { Keys: [key('alice'), key('bob')] } } })), 'alice', 'BatchGetItem');
    await alice.send(new BatchWriteItemCommand({ RequestItems: { tenants: [{ PutRequest: { Item: key('alice', '3') } }, { DeleteRequest: { Key: key('alice', '9') } }] } }));
    await denied(
      alice.send(new BatchWriteItemCommand({ RequestItems: { tenants: [{ PutRequest: { Item: key('alice', '4') } }, { DeleteRequest: { Key: key('bob') } }] } })),
      'alice',
      'BatchWriteItem',
    );
    // Denied as a whole: not even Alice's own put was made.
    assert.equal((await cairn.client.send(new GetItemCommand({ TableName: 'tenants', Key: key('alice', '4') }))).Item, undefined);
    await bobsItemIntact();
  });

  test('TransactWriteItems and TransactGetItems: each item needs its action and its leading key', async () => {
    await alice.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: 'tenants', Item: key('alice', '5') } },
          { ConditionCheck: { TableName: 'tenants', Key: key('alice'), ConditionExpression: 'attribute_exists(v)' } },
        ],
      }),
    );
    await denied(
      alice.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: 'tenants', Item: key('alice', '6') } },
            { ConditionCheck: { TableName: 'tenants', Key: key('bob'), ConditionExpression: 'attribute_exists(v)' } },
          ],
        }),
      ),
      'alice',
      'ConditionCheckItem',
    );
    await denied(
      alice.send(new TransactWriteItemsCommand({ TransactItems: [{ Update: { TableName: 'tenants', Key: key('bob'), UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { N: '7' } } } }] })),
      'alice',
      'UpdateItem',
    );
    assert.equal((await cairn.client.send(new GetItemCommand({ TableName: 'tenants', Key: key('alice', '6') }))).Item, undefined);
    const got = await alice.send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: 'tenants', Key: key('alice') } }] }));
    assert.deepEqual(got.Responses?.[0]?.Item, { ...key('alice'), v: { N: '1' } });
    await denied(
      alice.send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: 'tenants', Key: key('alice') } }, { Get: { TableName: 'tenants', Key: key('bob') } }] })),
      'alice',
      'GetItem',
    );
    await bobsItemIntact();
  });

  test('PartiQL: ExecuteStatement, ExecuteTransaction and BatchExecuteStatement by statement', async () => {
    const own = await alice.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM "tenants" WHERE tenant = ?`, Parameters: [{ S: 'alice' }] }));
    assert.equal(own.Items?.length, 3);
    await denied(alice.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM "tenants" WHERE tenant = 'bob'` })), 'alice', 'PartiQLSelect');
    // A SELECT without a partition key is a full table scan: no leading keys (ForAllValues holds for none, as for
    // Scan), so the tenants' policy denies it with dynamodb:FullTableScan.
    await rejectsWith(
      alice.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM "tenants"` })),
      'AccessDeniedException',
      `User: arn:aws:iam::${A}:user/alice is not authorized to perform: dynamodb:PartiQLSelect on resource: ${TABLE} with an explicit deny in an identity-based policy`,
    );
    await alice.send(new ExecuteStatementCommand({ Statement: `INSERT INTO "tenants" VALUE {'tenant': 'alice', 'id': '7'}` }));
    await denied(alice.send(new ExecuteStatementCommand({ Statement: `INSERT INTO "tenants" VALUE {'tenant': 'bob', 'id': '7'}` })), 'alice', 'PartiQLInsert');
    await denied(alice.send(new ExecuteStatementCommand({ Statement: `UPDATE "tenants" SET v = 5 WHERE tenant = 'bob' AND id = '1'` })), 'alice', 'PartiQLUpdate');
    await denied(alice.send(new ExecuteStatementCommand({ Statement: `DELETE FROM "tenants" WHERE tenant = 'bob' AND id = '1'` })), 'alice', 'PartiQLDelete');

    await alice.send(
      new ExecuteTransactionCommand({
        TransactStatements: [{ Statement: `UPDATE "tenants" SET v = 3 WHERE tenant = 'alice' AND id = '7'` }, { Statement: `DELETE FROM "tenants" WHERE tenant = 'alice' AND id = '5'` }],
      }),
    );
    await denied(
      alice.send(
        new ExecuteTransactionCommand({
          TransactStatements: [{ Statement: `UPDATE "tenants" SET v = 4 WHERE tenant = 'alice' AND id = '7'` }, { Statement: `DELETE FROM "tenants" WHERE tenant = 'bob' AND id = '1'` }],
        }),
      ),
      'alice',
      'PartiQLDelete',
    );
    const seven = await cairn.client.send(new GetItemCommand({ TableName: 'tenants', Key: key('alice', '7') }));
    assert.deepEqual(seven.Item?.v, { N: '3' });

    // A batch runs each statement alone: Bob's fails with AccessDenied, Alice's is read.
    const batch = await alice.send(
      new BatchExecuteStatementCommand({
        Statements: [
          { Statement: `SELECT * FROM "tenants" WHERE tenant = 'alice' AND id = '1'` },
          { Statement: `SELECT * FROM "tenants" WHERE tenant = 'bob' AND id = '1'` },
        ],
      }),
    );
    assert.deepEqual(batch.Responses?.[0], { TableName: 'tenants', Item: { ...key('alice'), v: { N: '1' } } });
    assert.deepEqual(batch.Responses?.[1], { TableName: 'tenants', Error: { Code: 'AccessDenied', Message: deniedMessage('alice', 'PartiQLSelect') } });
    const writes = await alice.send(
      new BatchExecuteStatementCommand({
        Statements: [
          { Statement: `UPDATE "tenants" SET v = 8 WHERE tenant = 'alice' AND id = '7'` },
          { Statement: `UPDATE "tenants" SET v = 8 WHERE tenant = 'bob' AND id = '1'` },
        ],
      }),
    );
    assert.deepEqual(writes.Responses?.[1], { TableName: 'tenants', Error: { Code: 'AccessDenied', Message: deniedMessage('alice', 'PartiQLUpdate') } });
    await bobsItemIntact();
  });
});
