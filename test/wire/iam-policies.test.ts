/**
 * IAM policy evaluation with `--auth`: a server whose auth file holds several users with different identity
 * policies, and a second account. Allow, explicit Deny, default deny, wildcards, NotAction / NotResource,
 * conditions (request keys and global keys), control-plane and account-level actions, Streams, PartiQL, resource
 * policies within an account and across accounts; each denial with DynamoDB's AccessDeniedException and message.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTableCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  ExecuteStatementCommand,
  GetItemCommand,
  GetResourcePolicyCommand,
  ListTablesCommand,
  PutItemCommand,
  PutResourcePolicyCommand,
  QueryCommand,
  ScanCommand,
  TagResourceCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { startCairn, type Cairn, type TestCredentials } from '../helpers/cairn.js';
import { rejectsWith } from '../helpers/assertions.js';

const A = '111122223333';
const B = '444455556666';
const TABLE = `arn:aws:dynamodb:us-east-1:${A}:table/orders`;
const OTHER = `arn:aws:dynamodb:us-east-1:${A}:table/other`;

function user(name: string): TestCredentials {
  return { accessKeyId: `AKIA${name.toUpperCase().padEnd(16, 'X')}`.slice(0, 20), secretAccessKey: `secret-of-${name}` };
}
function policy(...Statement: object[]): object {
  return { Version: '2012-10-17', Statement };
}

const SESSION = { accessKeyId: 'ASIAAUDITORSESSION01', secretAccessKey: 'secret-of-the-session', sessionToken: 'session-token' };

const USERS: Record<string, object[]> = {
  admin: [policy({ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' })],
  reader: [
    policy({
      Effect: 'Allow',
      Action: ['dynamodb:Get*', 'dynamodb:Query', 'dynamodb:DescribeTable'],
      Resource: [TABLE, `${TABLE}/index/*`],
    }),
  ],
  nodelete: [
    policy(
      { Sid: 'Everything', Effect: 'Allow', Action: '*', Resource: '*' },
      { Sid: 'ButDeletes', Effect: 'Deny', Action: ['dynamodb:Delete*'], Resource: TABLE },
    ),
    policy({ Effect: 'Deny', NotAction: ['dynamodb:Get*', 'dynamodb:Describe*', 'dynamodb:Delete*', 'dynamodb:ListTables'], NotResource: TABLE }),
  ],
  conditional: [
    policy(
      { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE, Condition: { StringEqualsIfExists: { 'dynamodb:ReturnConsumedCapacity': 'NONE' } } },
      { Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: TABLE, Condition: { 'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['id', 'name'] } } },
      { Effect: 'Allow', Action: 'dynamodb:UpdateItem', Resource: TABLE, Condition: { StringEquals: { 'dynamodb:ReturnValues': ['NONE', 'UPDATED_OLD'] } } },
      { Effect: 'Allow', Action: 'dynamodb:Query', Resource: TABLE, Condition: { StringEquals: { 'dynamodb:Select': 'COUNT' } } },
      { Effect: 'Allow', Action: 'dynamodb:Scan', Resource: TABLE, Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } },
      { Effect: 'Allow', Action: 'dynamodb:DescribeTable', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' }, StringEquals: { 'aws:RequestedRegion': 'us-east-1', 'aws:PrincipalAccount': A } } },
      { Effect: 'Allow', Action: 'dynamodb:ListTables', Resource: '*', Condition: { DateLessThan: { 'aws:CurrentTime': '2000-01-01T00:00:00Z' } } },
    ),
  ],
  attrs: [
    policy({
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:Query'],
      Resource: TABLE,
      Condition: { 'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['id', 'name'] }, StringEqualsIfExists: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' } },
    }),
  ],
  own: [policy({ Effect: 'Allow', Action: '*', Resource: 'arn:aws:dynamodb:*:*:table/${aws:username}*' })],
  streamer: [
    policy(
      { Effect: 'Allow', Action: ['dynamodb:DescribeStream', 'dynamodb:GetShardIterator', 'dynamodb:GetRecords'], Resource: `${TABLE}/stream/*` },
      { Effect: 'Allow', Action: 'dynamodb:ListStreams', Resource: '*' },
    ),
  ],
  sql: [policy({ Effect: 'Allow', Action: ['dynamodb:PartiQLSelect', 'dynamodb:PartiQLUpdate'], Resource: TABLE })],
  nobody: [],
};

const AUTH = {
  accounts: [
    {
      id: A,
      users: Object.entries(USERS).map(([name, policies]) => ({ name, ...user(name), policies })),
      sessions: [{ roleName: 'auditor', sessionName: 'audit-1', ...SESSION, expiration: '2099-01-01T00:00:00Z', policies: [] }],
    },
    {
      id: B,
      users: [
        {
          name: 'partner',
          ...user('partner'),
          policies: [policy({ Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem'], Resource: `arn:aws:dynamodb:us-east-1:${A}:table/*` })],
        },
      ],
    },
  ],
};

const denied = (name: string, action: string, resource: string, account = A): string =>
  `User: arn:aws:iam::${account}:user/${name} is not authorized to perform: dynamodb:${action} on resource: ${resource} because no identity-based policy allows the dynamodb:${action} action`;
const explicit = (name: string, action: string, resource: string, kind: 'identity' | 'resource'): string =>
  `User: arn:aws:iam::${A}:user/${name} is not authorized to perform: dynamodb:${action} on resource: ${resource} with an explicit deny in ${kind === 'identity' ? 'an identity' : 'a resource'}-based policy`;

async function accessDenied(promise: Promise<unknown>, message: string): Promise<void> {
  const error = await rejectsWith(promise, 'AccessDeniedException', message);
  assert.equal((error as { __type?: string }).__type ?? 'com.amazon.coral.service#AccessDeniedException', 'com.amazon.coral.service#AccessDeniedException');
}

let cairn: Cairn;
const clients: Record<string, DynamoDBClient> = {};
before(async () => {
  cairn = await startCairn({ inMemory: true, auth: AUTH, clientCredentials: user('admin') });
  for (const name of Object.keys(USERS)) clients[name] = cairn.clientAs(user(name));
  clients.partner = cairn.clientAs(user('partner'));
  const admin = cairn.client;
  for (const TableName of ['orders', 'other', 'ownorders']) {
    await admin.send(
      new CreateTableCommand({
        TableName,
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [
          { AttributeName: 'id', AttributeType: 'S' },
          { AttributeName: 'name', AttributeType: 'S' },
        ],
        GlobalSecondaryIndexes: [{ IndexName: 'byName', KeySchema: [{ AttributeName: 'name', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      }),
    );
    await admin.send(new PutItemCommand({ TableName, Item: { id: { S: '1' }, name: { S: 'one' } } }));
  }
});
after(async () => {
  await cairn.close();
});

describe('identity-based policies', () => {
  test('Allow with wildcard actions on the table and its indexes; anything else is denied by default', async () => {
    const reader = clients.reader as DynamoDBClient;
    const got = await reader.send(new GetItemCommand({ TableName: 'orders', Key: { id: { S: '1' } } }));
    assert.deepEqual(got.Item, { id: { S: '1' }, name: { S: 'one' } });
    const byIndex = await reader.send(
      new QueryCommand({ TableName: 'orders', IndexName: 'byName', KeyConditionExpression: '#n = :n', ExpressionAttributeNames: { '#n': 'name' }, ExpressionAttributeValues: { ':n': { S: 'one' } } }),
    );
    assert.equal(byIndex.Count, 1);
    // The table's ARN by name or as TableName ARN is the same resource.
    await reader.send(new DescribeTableCommand({ TableName: TABLE }));
    await accessDenied(reader.send(new PutItemCommand({ TableName: 'orders', Item: { id: { S: '2' } } })), denied('reader', 'PutItem', TABLE));
    await accessDenied(reader.send(new ScanCommand({ TableName: 'orders' })), denied('reader', 'Scan', TABLE));
    await accessDenied(reader.send(new ScanCommand({ TableName: 'orders', IndexName: 'byName' })), denied('reader', 'Scan', `${TABLE}/index/byName`));
    await accessDenied(reader.send(new GetItemCommand({ TableName: 'other', Key: { id: { S: '1' } } })), denied('reader', 'GetItem', OTHER));
    await accessDenied(reader.send(new DeleteTableCommand({ TableName: 'orders' })), denied('reader', 'DeleteTable', TABLE));
    await accessDenied(reader.send(new ListTablesCommand({})), denied('reader', 'ListTables', `arn:aws:dynamodb:us-east-1:${A}:table/*`));
    // A table that does not exist is denied all the same: IAM decides before the table is looked for.
    await accessDenied(
      reader.send(new GetItemCommand({ TableName: 'missing', Key: { id: { S: '1' } } })),
      denied('reader', 'GetItem', `arn:aws:dynamodb:us-east-1:${A}:table/missing`),
    );
    await accessDenied(clients.nobody!.send(new DescribeTableCommand({ TableName: 'orders' })), denied('nobody', 'DescribeTable', TABLE));
  });

  test('an explicit Deny wins over an Allow; NotAction and NotResource', async () => {
    const nodelete = clients.nodelete as DynamoDBClient;
    await nodelete.send(new PutItemCommand({ TableName: 'orders', Item: { id: { S: 'nd' } } }));
    await accessDenied(nodelete.send(new DeleteItemCommand({ TableName: 'orders', Key: { id: { S: 'nd' } } })), explicit('nodelete', 'DeleteItem', TABLE, 'identity'));
    await accessDenied(nodelete.send(new DeleteTableCommand({ TableName: 'orders' })), explicit('nodelete', 'DeleteTable', TABLE, 'identity'));
    // The second policy denies everything but reads and deletes outside `orders`.
    await nodelete.send(new GetItemCommand({ TableName: 'other', Key: { id: { S: '1' } } }));
    await accessDenied(nodelete.send(new PutItemCommand({ TableName: 'other', Item: { id: { S: 'x' } } })), explicit('nodelete', 'PutItem', OTHER, 'identity'));
    await nodelete.send(new DeleteItemCommand({ TableName: 'other', Key: { id: { S: 'x' } } }));
  });

  test('policy variables in resources: ${aws:username}', async () => {
    const own = clients.own as DynamoDBClient;
    await own.send(new GetItemCommand({ TableName: 'ownorders', Key: { id: { S: '1' } } }));
    await accessDenied(own.send(new GetItemCommand({ TableName: 'orders', Key: { id: { S: '1' } } })), denied('own', 'GetItem', TABLE));
  });

  test('conditions on request keys (ReturnConsumedCapacity, Attributes, ReturnValues, Select) and global keys', async () => {
    const conditional = clients.conditional as DynamoDBClient;
    await conditional.send(new GetItemCommand({ TableName: 'orders', Key: { id: { S: '1' } } }));
    await conditional.send(new GetItemCommand({ TableName: 'orders', Key: { id: { S: '1' } }, ReturnConsumedCapacity: 'NONE' }));
    await accessDenied(
      conditional.send(new GetItemCommand({ TableName: 'orders', Key: { id: { S: '1' } }, ReturnConsumedCapacity: 'TOTAL' })),
      denied('conditional', 'GetItem', TABLE),
    );
    await conditional.send(new PutItemCommand({ TableName: 'orders', Item: { id: { S: 'c' }, name: { S: 'c' } } }));
    await accessDenied(
      conditional.send(new PutItemCommand({ TableName: 'orders', Item: { id: { S: 'c' }, secret: { S: 's' } } })),
      denied('conditional', 'PutItem', TABLE),
    );
    await conditional.send(
      new UpdateItemCommand({ TableName: 'orders', Key: { id: { S: 'c' } }, UpdateExpression: 'SET #n = :n', ExpressionAttributeNames: { '#n': 'name' }, ExpressionAttributeValues: { ':n': { S: 'd' } }, ReturnValues: 'UPDATED_OLD' }),
    );
    await accessDenied(
      conditional.send(new UpdateItemCommand({ TableName: 'orders', Key: { id: { S: 'c' } }, UpdateExpression: 'SET #n = :n', ExpressionAttributeNames: { '#n': 'name' }, ExpressionAttributeValues: { ':n': { S: 'e' } }, ReturnValues: 'ALL_NEW' })),
      denied('conditional', 'UpdateItem', TABLE),
    );
    // A condition on a key the request lacks: StringEquals fails (UpdateItem without ReturnValues).
    await accessDenied(
      conditional.send(new UpdateItemCommand({ TableName: 'orders', Key: { id: { S: 'c' } }, UpdateExpression: 'SET #n = :n', ExpressionAttributeNames: { '#n': 'name' }, ExpressionAttributeValues: { ':n': { S: 'e' } } })),
      denied('conditional', 'UpdateItem', TABLE),
    );
    const counted = await conditional.send(new QueryCommand({ TableName: 'orders', KeyConditionExpression: 'id = :id', ExpressionAttributeValues: { ':id': { S: 'c' } }, Select: 'COUNT' }));
    assert.equal(counted.Count, 1);
    await accessDenied(
      conditional.send(new QueryCommand({ TableName: 'orders', KeyConditionExpression: 'id = :id', ExpressionAttributeValues: { ':id': { S: 'c' } } })),
      denied('conditional', 'Query', TABLE),
    );
    // aws:SourceIp is the client's address (loopback here), outside 10.0.0.0/8.
    await accessDenied(conditional.send(new ScanCommand({ TableName: 'orders' })), denied('conditional', 'Scan', TABLE));
    // aws:SecureTransport (plain HTTP), aws:RequestedRegion and aws:PrincipalAccount.
    await conditional.send(new DescribeTableCommand({ TableName: 'orders' }));
    await accessDenied(
      cairn.clientAs(user('conditional'), 'eu-west-1').send(new DescribeTableCommand({ TableName: 'orders' })),
      denied('conditional', 'DescribeTable', `arn:aws:dynamodb:eu-west-1:${A}:table/orders`),
    );
    // aws:CurrentTime is now, not before 2000.
    await accessDenied(conditional.send(new ListTablesCommand({})), denied('conditional', 'ListTables', `arn:aws:dynamodb:us-east-1:${A}:table/*`));
  });

  test('only some attributes: a projection within them passes, a read of whole items or of another attribute does not', async () => {
    const attrs = clients.attrs as DynamoDBClient;
    const got = await attrs.send(new GetItemCommand({ TableName: 'orders', Key: { id: { S: '1' } }, ProjectionExpression: 'id, #n', ExpressionAttributeNames: { '#n': 'name' } }));
    assert.deepEqual(got.Item, { id: { S: '1' }, name: { S: 'one' } });
    await attrs.send(new QueryCommand({ TableName: 'orders', KeyConditionExpression: 'id = :id', ExpressionAttributeValues: { ':id': { S: '1' } }, Select: 'SPECIFIC_ATTRIBUTES', ProjectionExpression: '#n', ExpressionAttributeNames: { '#n': 'name' } }));
    await accessDenied(attrs.send(new GetItemCommand({ TableName: 'orders', Key: { id: { S: '1' } } })), denied('attrs', 'GetItem', TABLE));
    await accessDenied(attrs.send(new GetItemCommand({ TableName: 'orders', Key: { id: { S: '1' } }, ProjectionExpression: 'id, note' })), denied('attrs', 'GetItem', TABLE));
    await accessDenied(
      attrs.send(new QueryCommand({ TableName: 'orders', KeyConditionExpression: 'id = :id', ExpressionAttributeValues: { ':id': { S: '1' } } })),
      denied('attrs', 'Query', TABLE),
    );
  });

  test('PartiQL statements need PartiQLSelect / PartiQLInsert / PartiQLUpdate / PartiQLDelete', async () => {
    const sql = clients.sql as DynamoDBClient;
    const selected = await sql.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM "orders" WHERE id = '1'` }));
    assert.deepEqual(selected.Items, [{ id: { S: '1' }, name: { S: 'one' } }]);
    await sql.send(new ExecuteStatementCommand({ Statement: `UPDATE "orders" SET note = 'n' WHERE id = '1'` }));
    await accessDenied(sql.send(new ExecuteStatementCommand({ Statement: `INSERT INTO "orders" VALUE {'id': 'p'}` })), denied('sql', 'PartiQLInsert', TABLE));
    await accessDenied(sql.send(new ExecuteStatementCommand({ Statement: `DELETE FROM "orders" WHERE id = '1'` })), denied('sql', 'PartiQLDelete', TABLE));
    await accessDenied(sql.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM "orders"."byName"` })), denied('sql', 'PartiQLSelect', `${TABLE}/index/byName`));
    await accessDenied(sql.send(new GetItemCommand({ TableName: 'orders', Key: { id: { S: '1' } } })), denied('sql', 'GetItem', TABLE));
  });

  test('tagging with a ResourceArn IAM cannot match names the caller', async () => {
    await accessDenied(
      (clients.admin as DynamoDBClient).send(new TagResourceCommand({ ResourceArn: 'not-an-arn', Tags: [{ Key: 'k', Value: 'v' }] })),
      `User: arn:aws:iam::${A}:user/admin is not authorized to perform: dynamodb:TagResource on resource: not-an-arn`,
    );
  });
});

describe('Streams', () => {
  test('stream actions on the stream ARN; ListStreams is account-level', async () => {
    const described = await cairn.client.send(new DescribeTableCommand({ TableName: 'orders' }));
    const streamArn = described.Table?.LatestStreamArn ?? '';
    assert.ok(streamArn.startsWith(`${TABLE}/stream/`));
    const streams = (name: string): DynamoDBStreamsClient =>
      new DynamoDBStreamsClient({ region: 'us-east-1', endpoint: cairn.url, credentials: user(name), maxAttempts: 1 });
    const streamer = streams('streamer');
    const listed = await streamer.send(new ListStreamsCommand({}));
    assert.ok((listed.Streams ?? []).some((stream) => stream.StreamArn === streamArn));
    const stream = await streamer.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    const shardId = stream.StreamDescription?.Shards?.[0]?.ShardId ?? '';
    const iterator = await streamer.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }));
    const records = await streamer.send(new GetRecordsCommand({ ShardIterator: iterator.ShardIterator }));
    assert.ok((records.Records ?? []).length >= 1);

    const reader = streams('reader');
    await accessDenied(reader.send(new DescribeStreamCommand({ StreamArn: streamArn })), denied('reader', 'DescribeStream', streamArn));
    await accessDenied(reader.send(new GetRecordsCommand({ ShardIterator: iterator.ShardIterator })), denied('reader', 'GetRecords', streamArn));
    await accessDenied(reader.send(new ListStreamsCommand({})), denied('reader', 'ListStreams', '*'));
    const otherArn = (await cairn.client.send(new DescribeTableCommand({ TableName: 'other' }))).Table?.LatestStreamArn ?? '';
    await accessDenied(streamer.send(new DescribeStreamCommand({ StreamArn: otherArn })), denied('streamer', 'DescribeStream', otherArn));
    for (const client of [streamer, reader]) client.destroy();
  });
});

describe('resource-based policies', () => {
  test('within an account, a resource policy allows alone and its Deny wins over an identity Allow', async () => {
    await accessDenied(clients.nobody!.send(new GetItemCommand({ TableName: 'other', Key: { id: { S: '1' } } })), denied('nobody', 'GetItem', OTHER));
    await cairn.client.send(
      new PutResourcePolicyCommand({
        ResourceArn: OTHER,
        Policy: JSON.stringify(
          policy(
            { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:user/nobody` }, Action: 'dynamodb:GetItem', Resource: OTHER },
            { Effect: 'Deny', Principal: { AWS: `arn:aws:iam::${A}:user/nodelete` }, Action: 'dynamodb:GetItem', Resource: OTHER },
          ),
        ),
      }),
    );
    const got = await clients.nobody!.send(new GetItemCommand({ TableName: 'other', Key: { id: { S: '1' } } }));
    assert.deepEqual(got.Item?.id, { S: '1' });
    await accessDenied(clients.nobody!.send(new PutItemCommand({ TableName: 'other', Item: { id: { S: '1' } } })), denied('nobody', 'PutItem', OTHER));
    await accessDenied(clients.nodelete!.send(new GetItemCommand({ TableName: 'other', Key: { id: { S: '1' } } })), explicit('nodelete', 'GetItem', OTHER, 'resource'));
  });

  test('a role named as Principal covers its sessions, which are named by their assumed-role ARN', async () => {
    const session = cairn.clientAs(SESSION);
    const sessionArn = `arn:aws:sts::${A}:assumed-role/auditor/audit-1`;
    await accessDenied(
      session.send(new DescribeTableCommand({ TableName: 'other' })),
      `User: ${sessionArn} is not authorized to perform: dynamodb:DescribeTable on resource: ${OTHER} because no identity-based policy allows the dynamodb:DescribeTable action`,
    );
    const current = await cairn.client.send(new GetResourcePolicyCommand({ ResourceArn: OTHER }));
    const document = JSON.parse(current.Policy ?? '{}') as { Statement: object[] };
    document.Statement.push({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:role/auditor` }, Action: 'dynamodb:DescribeTable', Resource: OTHER });
    await cairn.client.send(new PutResourcePolicyCommand({ ResourceArn: OTHER, Policy: JSON.stringify(document), ExpectedRevisionId: current.RevisionId }));
    const described = await session.send(new DescribeTableCommand({ TableName: 'other' }));
    assert.equal(described.Table?.TableArn, OTHER);
  });

  test('across accounts, both the identity policy and the resource policy must allow', async () => {
    const partner = clients.partner as DynamoDBClient;
    const key = { id: { S: '1' } };
    const noResourceAllow = (action: string): string =>
      `User: arn:aws:iam::${B}:user/partner is not authorized to perform: dynamodb:${action} on resource: ${TABLE} because no resource-based policy allows the dynamodb:${action} action`;
    await accessDenied(partner.send(new GetItemCommand({ TableName: TABLE, Key: key })), noResourceAllow('GetItem'));
    await cairn.client.send(
      new PutResourcePolicyCommand({
        ResourceArn: TABLE,
        Policy: JSON.stringify(policy({ Effect: 'Allow', Principal: { AWS: B }, Action: ['dynamodb:GetItem', 'dynamodb:Query'], Resource: [TABLE, `${TABLE}/index/*`] })),
      }),
    );
    const got = await partner.send(new GetItemCommand({ TableName: TABLE, Key: key }));
    assert.deepEqual(got.Item?.id, key.id);
    // The resource policy allows Query, the partner's identity policy does not.
    await accessDenied(
      partner.send(new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'id = :id', ExpressionAttributeValues: { ':id': key.id } })),
      denied('partner', 'Query', TABLE, B),
    );
    // The identity policy allows PutItem, the resource policy does not.
    await accessDenied(partner.send(new PutItemCommand({ TableName: TABLE, Item: { id: { S: 'p' } } })), noResourceAllow('PutItem'));
  });

  test('a policy that denies its author PutResourcePolicy needs ConfirmRemoveSelfResourceAccess', async () => {
    const own = `arn:aws:dynamodb:us-east-1:${A}:table/ownorders`;
    const lockout = JSON.stringify(policy({ Effect: 'Deny', Principal: { AWS: `arn:aws:iam::${A}:user/admin` }, Action: 'dynamodb:PutResourcePolicy', Resource: own }));
    await rejectsWith(
      cairn.client.send(new PutResourcePolicyCommand({ ResourceArn: own, Policy: lockout })),
      'ValidationException',
      'One or more parameter values were invalid: This policy would deny you dynamodb:PutResourcePolicy on the resource; set ConfirmRemoveSelfResourceAccess to true to confirm',
    );
    await cairn.client.send(new PutResourcePolicyCommand({ ResourceArn: own, Policy: lockout, ConfirmRemoveSelfResourceAccess: true }));
    await accessDenied(cairn.client.send(new PutResourcePolicyCommand({ ResourceArn: own, Policy: lockout })), explicit('admin', 'PutResourcePolicy', own, 'resource'));
  });
});
