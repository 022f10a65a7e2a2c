/**
 * The audit log (`--audit-log`, `--audit-data-events`): CloudTrail-shaped JSON lines, one per request; management
 * events always, data events only when asked for and never with item values; buffered writes that reach the file
 * within a second and on close, survive a disk that refuses them, and rotate by size.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, ListTablesCommand, PutItemCommand, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { parseAuthFile } from '../../src/auth/auth-file.js';
import type { Principal } from '../../src/auth/principal.js';
import { createLogger } from '../../src/http/logger.js';
import { startCairn, type Cairn, type RawResponse } from '../helpers/cairn.js';
import { spawnCairn } from '../helpers/cairn-process.js';
import { ACCOUNT_A, AUTH_FILE, SESSION_A, USER_A } from '../helpers/auth.js';
import { mountTmpfs, skipWithoutTmpfs } from '../helpers/tmpfs.js';

const CLI = fileURLToPath(new URL('../../bundle/cli.js', import.meta.url));
const MARKER = 'TOP-SECRET-VALUE';
const USER_AGENT = 'audit-test/1.0';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const EVENT_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const ROOT = {
  type: 'Root',
  principalId: '000000000000',
  arn: 'arn:aws:iam::000000000000:root',
  accountId: '000000000000',
  accessKeyId: 'AKID',
};
const TABLE_ARN = 'arn:aws:dynamodb:us-east-1:000000000000:table/audited';
const TABLE_RESOURCE = [{ accountId: '000000000000', type: 'AWS::DynamoDB::Table', ARN: TABLE_ARN }];

type Event = Record<string, unknown>;

function auditFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'cairn-audit-')), 'audit.jsonl');
}

function readEvents(file: string): Event[] {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  return text === '' ? [] : text.trimEnd().split('\n').map((line) => JSON.parse(line) as Event);
}

async function flushedEvents(cairn: Cairn, file: string): Promise<Event[]> {
  await cairn.server.audit?.log.flush();
  return readEvents(file);
}

/** An event with its per-request values checked (eventID, eventTime) and taken out, for deepEqual. */
function stable(event: Event | undefined): Event {
  assert.ok(event !== undefined, 'event missing');
  const { eventID, eventTime, ...rest } = event;
  assert.match(String(eventID), UUID);
  assert.match(String(eventTime), EVENT_TIME);
  assert.ok(Math.abs(Date.parse(String(eventTime)) - Date.now()) < 60_000);
  return rest;
}

/** The members every event of these tests shares, around its own. */
function expected(event: Event): Event {
  const { eventName, errorCode, errorMessage, requestParameters, responseElements, requestID, readOnly, resources, management, ...rest } = event;
  assert.deepEqual(rest, {}, 'unexpected members in the expectation');
  return {
    eventVersion: '1.08',
    userIdentity: ROOT,
    eventSource: 'dynamodb.amazonaws.com',
    eventName,
    awsRegion: 'us-east-1',
    sourceIPAddress: '127.0.0.1',
    userAgent: USER_AGENT,
    ...(errorCode !== undefined ? { errorCode, errorMessage } : {}),
    requestParameters,
    responseElements,
    requestID,
    readOnly,
    ...(resources !== undefined ? { resources } : {}),
    eventType: 'AwsApiCall',
    apiVersion: '2012-08-10',
    managementEvent: management,
    recipientAccountId: '000000000000',
    eventCategory: management === true ? 'Management' : 'Data',
  };
}

function requestIdOf(response: RawResponse): string {
  const id = response.headers['x-amzn-requestid'];
  assert.ok(id !== undefined);
  return id;
}

const CREATE_TABLE: CreateTableCommandInput = {
  TableName: 'audited',
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'N' },
  ],
  BillingMode: 'PAY_PER_REQUEST',
  StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
};

function call(cairn: Cairn, operation: string, body: object): Promise<RawResponse> {
  return cairn.raw(`DynamoDB_20120810.${operation}`, body, { 'User-Agent': USER_AGENT });
}

describe('management events (without --audit-data-events)', () => {
  let cairn: Cairn;
  let file: string;
  before(async () => {
    file = auditFile();
    cairn = await startCairn({ inMemory: true, audit: { file, flushIntervalMs: 10 } });
  });
  after(async () => {
    await cairn.close();
  });

  test('CreateTable, a failing DescribeTable and a refused CreateTable are logged; PutItem and GetItem are not', async () => {
    const created = await call(cairn, 'CreateTable', CREATE_TABLE);
    assert.equal(created.status, 200);
    const put = await call(cairn, 'PutItem', { TableName: 'audited', Item: { pk: { S: 'a' }, sk: { N: '1' }, secret: { S: MARKER } } });
    assert.equal(put.status, 200);
    const got = await call(cairn, 'GetItem', { TableName: 'audited', Key: { pk: { S: 'a' }, sk: { N: '1' } } });
    assert.equal(got.status, 200);
    const missing = await call(cairn, 'DescribeTable', { TableName: 'missing' });
    assert.equal(missing.status, 400);
    const invalid = await call(cairn, 'CreateTable', { ...CREATE_TABLE, TableName: 'x' });
    assert.equal(invalid.status, 400);

    const events = await flushedEvents(cairn, file);
    assert.deepEqual(
      events.map((event) => event.eventName),
      ['CreateTable', 'DescribeTable', 'CreateTable'],
    );
    const description = (created.body as { TableDescription: Record<string, unknown> }).TableDescription;
    assert.deepEqual(
      stable(events[0]),
      expected({
        eventName: 'CreateTable',
        requestParameters: {
          tableName: 'audited',
          keySchema: [
            { attributeName: 'pk', keyType: 'HASH' },
            { attributeName: 'sk', keyType: 'RANGE' },
          ],
          attributeDefinitions: [
            { attributeName: 'pk', attributeType: 'S' },
            { attributeName: 'sk', attributeType: 'N' },
          ],
          billingMode: 'PAY_PER_REQUEST',
          streamSpecification: { streamEnabled: true, streamViewType: 'KEYS_ONLY' },
        },
        responseElements: {
          tableDescription: {
            attributeDefinitions: [
              { attributeName: 'pk', attributeType: 'S' },
              { attributeName: 'sk', attributeType: 'N' },
            ],
            tableName: 'audited',
            keySchema: [
              { attributeName: 'pk', keyType: 'HASH' },
              { attributeName: 'sk', keyType: 'RANGE' },
            ],
            tableStatus: 'ACTIVE',
            creationDateTime: description.CreationDateTime,
            provisionedThroughput: { numberOfDecreasesToday: 0, readCapacityUnits: 0, writeCapacityUnits: 0 },
            tableSizeBytes: 0,
            itemCount: 0,
            tableArn: TABLE_ARN,
            tableId: description.TableId,
            billingModeSummary: {
              billingMode: 'PAY_PER_REQUEST',
              lastUpdateToPayPerRequestDateTime: (description.BillingModeSummary as Record<string, unknown>).LastUpdateToPayPerRequestDateTime,
            },
            streamSpecification: { streamEnabled: true, streamViewType: 'KEYS_ONLY' },
            latestStreamLabel: description.LatestStreamLabel,
            latestStreamArn: description.LatestStreamArn,
            deletionProtectionEnabled: false,
            // Without an encryption key, nothing is encrypted at rest and DescribeTable says so.
            sSEDescription: { status: 'DISABLED' },
            warmThroughput: { readUnitsPerSecond: 12000, writeUnitsPerSecond: 4000, status: 'ACTIVE' },
          },
        },
        requestID: requestIdOf(created),
        readOnly: false,
        resources: TABLE_RESOURCE,
        management: true,
      }),
    );
    assert.deepEqual(
      stable(events[1]),
      expected({
        eventName: 'DescribeTable',
        errorCode: 'ResourceNotFoundException',
        errorMessage: 'Requested resource not found: Table: missing not found',
        requestParameters: { tableName: 'missing' },
        responseElements: null,
        requestID: requestIdOf(missing),
        readOnly: true,
        resources: [{ accountId: '000000000000', type: 'AWS::DynamoDB::Table', ARN: 'arn:aws:dynamodb:us-east-1:000000000000:table/missing' }],
        management: true,
      }),
    );
    const refused = stable(events[2]);
    assert.equal(refused.errorCode, 'ValidationException');
    assert.equal(
      refused.errorMessage,
      "1 validation error detected: Value 'x' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3",
    );
    assert.equal(refused.requestID, requestIdOf(invalid));
    assert.equal(refused.responseElements, null);
    assert.equal(readFileSync(file, 'utf8').includes(MARKER), false);
  });

  test('a request refused before it is authenticated is logged with its errorCode', async () => {
    const refused = await cairn.rawRequest({
      headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'DynamoDB_20120810.ListTables', 'User-Agent': USER_AGENT },
      body: '{}',
    });
    assert.equal(refused.status, 400);
    const events = await flushedEvents(cairn, file);
    assert.deepEqual(stable(events.at(-1)), {
      ...expected({
        eventName: 'ListTables',
        errorCode: 'MissingAuthenticationTokenException',
        errorMessage: 'Request is missing Authentication Token',
        requestParameters: {},
        responseElements: null,
        requestID: requestIdOf(refused),
        readOnly: true,
        management: true,
      }),
      // No Authorization header: no access key to name.
      userIdentity: { type: 'Root', principalId: '000000000000', arn: 'arn:aws:iam::000000000000:root', accountId: '000000000000' },
    });
  });
});

describe('data events (--audit-data-events)', () => {
  let cairn: Cairn;
  let file: string;
  before(async () => {
    file = auditFile();
    cairn = await startCairn({ inMemory: true, audit: { file, dataEvents: true, flushIntervalMs: 10 } });
    assert.equal((await call(cairn, 'CreateTable', CREATE_TABLE)).status, 200);
  });
  after(async () => {
    await cairn.close();
  });

  /** Runs one request and returns its answer and the one event it added. */
  async function logged(operation: string, body: object): Promise<{ response: RawResponse; event: Event }> {
    const before = (await flushedEvents(cairn, file)).length;
    const response = await call(cairn, operation, body);
    const events = await flushedEvents(cairn, file);
    assert.equal(events.length, before + 1, `one event for ${operation}`);
    return { response, event: stable(events.at(-1)) };
  }

  test('PutItem: the key and the attribute names, never the values', async () => {
    const { response, event } = await logged('PutItem', {
      TableName: 'audited',
      Item: { pk: { S: 'tenant-1' }, sk: { N: '7' }, secret: { S: MARKER }, tags: { SS: [MARKER] } },
      ConditionExpression: 'attribute_not_exists(pk) AND #s <> :v',
      ExpressionAttributeNames: { '#s': 'secret' },
      ExpressionAttributeValues: { ':v': { S: MARKER } },
      ReturnConsumedCapacity: 'TOTAL',
    });
    assert.equal(response.status, 200);
    assert.deepEqual(
      event,
      expected({
        eventName: 'PutItem',
        requestParameters: {
          tableName: 'audited',
          key: { pk: 'tenant-1', sk: '7' },
          item: ['pk', 'sk', 'secret', 'tags'],
          conditionExpression: 'attribute_not_exists(pk) AND #s <> :v',
          expressionAttributeNames: { '#s': 'secret' },
          returnConsumedCapacity: 'TOTAL',
        },
        responseElements: null,
        requestID: requestIdOf(response),
        readOnly: false,
        resources: TABLE_RESOURCE,
        management: false,
      }),
    );
  });

  test('GetItem: read-only, its key, and no answer (the item) in the log', async () => {
    const { response, event } = await logged('GetItem', {
      TableName: 'audited',
      Key: { pk: { S: 'tenant-1' }, sk: { N: '7' } },
      ProjectionExpression: 'secret',
      ConsistentRead: true,
    });
    assert.deepEqual(response.body, { Item: { secret: { S: MARKER } } });
    assert.deepEqual(
      event,
      expected({
        eventName: 'GetItem',
        requestParameters: { tableName: 'audited', key: { pk: 'tenant-1', sk: '7' }, projectionExpression: 'secret', consistentRead: true },
        responseElements: null,
        requestID: requestIdOf(response),
        readOnly: true,
        resources: TABLE_RESOURCE,
        management: false,
      }),
    );
  });

  test('a failed condition: errorCode and errorMessage, values left out', async () => {
    const { response, event } = await logged('UpdateItem', {
      TableName: 'audited',
      Key: { pk: { S: 'tenant-1' }, sk: { N: '7' } },
      UpdateExpression: 'SET secret = :v',
      ConditionExpression: 'attribute_not_exists(pk)',
      ExpressionAttributeValues: { ':v': { S: MARKER } },
    });
    assert.equal(response.status, 400);
    assert.deepEqual(
      event,
      expected({
        eventName: 'UpdateItem',
        errorCode: 'ConditionalCheckFailedException',
        errorMessage: 'The conditional request failed',
        requestParameters: {
          tableName: 'audited',
          key: { pk: 'tenant-1', sk: '7' },
          updateExpression: 'SET secret = :v',
          conditionExpression: 'attribute_not_exists(pk)',
        },
        responseElements: null,
        requestID: requestIdOf(response),
        readOnly: false,
        resources: TABLE_RESOURCE,
        management: false,
      }),
    );
  });

  test('batches and transactions: keys and attribute names per table; every table a resource', async () => {
    assert.equal((await call(cairn, 'CreateTable', { ...CREATE_TABLE, TableName: 'audited2', StreamSpecification: undefined })).status, 200);
    const batch = await logged('BatchWriteItem', {
      RequestItems: {
        audited: [{ PutRequest: { Item: { pk: { S: 'b' }, sk: { N: '1' }, secret: { S: MARKER } } } }],
        audited2: [{ DeleteRequest: { Key: { pk: { S: 'c' }, sk: { N: '2' } } } }],
      },
    });
    assert.equal(batch.response.status, 200);
    assert.deepEqual(batch.event.requestParameters, {
      requestItems: {
        audited: [{ putRequest: { item: ['pk', 'sk', 'secret'] } }],
        audited2: [{ deleteRequest: { key: { pk: 'c', sk: '2' } } }],
      },
    });
    assert.deepEqual(batch.event.resources, [
      ...TABLE_RESOURCE,
      { accountId: '000000000000', type: 'AWS::DynamoDB::Table', ARN: 'arn:aws:dynamodb:us-east-1:000000000000:table/audited2' },
    ]);
    assert.equal(batch.event.readOnly, false);
    const transaction = await logged('TransactWriteItems', {
      TransactItems: [
        { Put: { TableName: 'audited2', Item: { pk: { S: 'd' }, sk: { N: '3' }, secret: { S: MARKER } } } },
        {
          ConditionCheck: {
            TableName: 'audited',
            Key: { pk: { S: 'b' }, sk: { N: '1' } },
            ConditionExpression: 'secret = :v',
            ExpressionAttributeValues: { ':v': { S: MARKER } },
          },
        },
      ],
    });
    assert.equal(transaction.response.status, 200);
    assert.deepEqual(transaction.event.requestParameters, {
      transactItems: [
        { put: { tableName: 'audited2', item: ['pk', 'sk', 'secret'] } },
        { conditionCheck: { tableName: 'audited', key: { pk: 'b', sk: '1' }, conditionExpression: 'secret = :v' } },
      ],
    });
    assert.deepEqual(
      (transaction.event.resources as Event[]).map((resource) => resource.ARN),
      ['arn:aws:dynamodb:us-east-1:000000000000:table/audited2', TABLE_ARN],
    );
  });

  test('PartiQL: literals redacted, parameters left out, readOnly for SELECTs', async () => {
    const select = await logged('ExecuteStatement', {
      Statement: `SELECT * FROM "audited" WHERE pk = 'tenant-1' AND sk = 7 AND secret = ?`,
      Parameters: [{ S: MARKER }],
    });
    assert.equal(select.response.status, 200);
    assert.deepEqual(select.event.requestParameters, { statement: `SELECT * FROM "audited" WHERE pk = *** AND sk = *** AND secret = ?` });
    assert.equal(select.event.readOnly, true);
    assert.deepEqual(select.event.resources, TABLE_RESOURCE);
    const insert = await logged('ExecuteStatement', { Statement: `INSERT INTO "audited" VALUE {'pk': 'e', 'sk': 5, 'secret': '${MARKER}'}` });
    assert.equal(insert.response.status, 200);
    // A tuple's field names are attribute names, not values: they stay.
    assert.deepEqual(insert.event.requestParameters, { statement: `INSERT INTO "audited" VALUE {'pk': ***, 'sk': ***, 'secret': ***}` });
    assert.equal(insert.event.readOnly, false);
  });

  test('Query and the stream reads are data events; DescribeStream is a management event', async () => {
    const query = await logged('Query', {
      TableName: 'audited',
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': { S: 'tenant-1' } },
      ExclusiveStartKey: { pk: { S: 'tenant-1' }, sk: { N: '0' } },
      Limit: 5,
    });
    assert.equal(query.response.status, 200);
    assert.deepEqual(query.event.requestParameters, {
      tableName: 'audited',
      keyConditionExpression: 'pk = :p',
      exclusiveStartKey: { pk: 'tenant-1', sk: '0' },
      limit: 5,
    });
    assert.equal(query.event.eventCategory, 'Data');
    const description = (await call(cairn, 'DescribeTable', { TableName: 'audited' })).body as { Table: { LatestStreamArn: string } };
    const streamArn = description.Table.LatestStreamArn;
    const streamResource = [{ accountId: '000000000000', type: 'AWS::DynamoDB::Stream', ARN: streamArn }];
    const described = await cairn.raw('DynamoDBStreams_20120810.DescribeStream', { StreamArn: streamArn }, { 'User-Agent': USER_AGENT });
    assert.equal(described.status, 200);
    const shardId = (described.body as { StreamDescription: { Shards: { ShardId: string }[] } }).StreamDescription.Shards[0]?.ShardId;
    const events = await flushedEvents(cairn, file);
    const describeEvent = stable(events.at(-1));
    assert.equal(describeEvent.eventName, 'DescribeStream');
    assert.equal(describeEvent.eventCategory, 'Management');
    assert.equal(describeEvent.readOnly, true);
    assert.deepEqual(describeEvent.resources, streamResource);
    const before = events.length;
    const iterator = await cairn.raw(
      'DynamoDBStreams_20120810.GetShardIterator',
      { StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' },
      { 'User-Agent': USER_AGENT },
    );
    assert.equal(iterator.status, 200);
    const records = await cairn.raw(
      'DynamoDBStreams_20120810.GetRecords',
      { ShardIterator: (iterator.body as { ShardIterator: string }).ShardIterator },
      { 'User-Agent': USER_AGENT },
    );
    assert.equal(records.status, 200);
    const streamEvents = (await flushedEvents(cairn, file)).slice(before).map(stable);
    assert.deepEqual(
      streamEvents.map((event) => [event.eventName, event.eventCategory, event.managementEvent, event.readOnly, event.resources, event.responseElements]),
      [
        ['GetShardIterator', 'Data', false, true, streamResource, null],
        ['GetRecords', 'Data', false, true, streamResource, null],
      ],
    );
    assert.equal(readFileSync(file, 'utf8').includes(MARKER), false);
  });
});

describe('with --auth: who signed, and requests that were not', () => {
  let cairn: Cairn;
  let file: string;
  const directory = parseAuthFile(AUTH_FILE);
  const principalOf = (accessKeyId: string): Principal => {
    const key = directory.key(accessKeyId);
    assert.ok(key !== undefined);
    return key.principal;
  };
  before(async () => {
    file = auditFile();
    cairn = await startCairn({ inMemory: true, auth: AUTH_FILE, audit: { file, flushIntervalMs: 10 } });
  });
  after(async () => {
    await cairn.close();
  });

  test('an IAM user and a session are named as CloudTrail names them; a bad signature and a refused request are recorded', async () => {
    const user = principalOf(USER_A.accessKeyId);
    const session = principalOf(SESSION_A.accessKeyId);
    await cairn.clientAs(USER_A).send(new CreateTableCommand({ ...CREATE_TABLE, StreamSpecification: undefined }));
    await cairn.clientAs(SESSION_A).send(new ListTablesCommand({}));
    await assert.rejects(cairn.clientAs({ ...USER_A, secretAccessKey: 'not-the-secret' }).send(new ListTablesCommand({})), { name: 'InvalidSignatureException' });
    await assert.rejects(cairn.clientAs(USER_A).send(new CreateTableCommand({ ...CREATE_TABLE, TableName: 'x' })), { name: 'ValidationException' });
    const events = (await flushedEvents(cairn, file)).map(stable);
    assert.deepEqual(
      events.map((event) => [event.eventName, event.userIdentity, event.recipientAccountId, event.errorCode]),
      [
        [
          'CreateTable',
          { type: 'IAMUser', principalId: user.userId, arn: `arn:aws:iam::${ACCOUNT_A}:user/app`, accountId: ACCOUNT_A, accessKeyId: USER_A.accessKeyId, userName: 'app' },
          ACCOUNT_A,
          undefined,
        ],
        [
          'ListTables',
          { type: 'AssumedRole', principalId: session.userId, arn: `arn:aws:sts::${ACCOUNT_A}:assumed-role/reader/batch-7`, accountId: ACCOUNT_A, accessKeyId: SESSION_A.accessKeyId },
          ACCOUNT_A,
          undefined,
        ],
        // Refused before its signature was verified: who sent it is not known, only the key it claimed.
        ['ListTables', { type: 'Unknown', accessKeyId: USER_A.accessKeyId }, ACCOUNT_A, 'InvalidSignatureException'],
        // Refused by validation, after the signature was verified: the signer is known.
        [
          'CreateTable',
          { type: 'IAMUser', principalId: user.userId, arn: `arn:aws:iam::${ACCOUNT_A}:user/app`, accountId: ACCOUNT_A, accessKeyId: USER_A.accessKeyId, userName: 'app' },
          ACCOUNT_A,
          'ValidationException',
        ],
      ],
    );
    assert.deepEqual(events[0]?.resources, [{ accountId: ACCOUNT_A, type: 'AWS::DynamoDB::Table', ARN: `arn:aws:dynamodb:us-east-1:${ACCOUNT_A}:table/audited` }]);
    assert.match(String(events[2]?.errorMessage), /^The request signature we calculated does not match the signature you provided\./);
  });
});

describe('with --auth and a policy that refuses', () => {
  test('a request IAM denies is recorded under its signer, with AccessDeniedException and its message', async () => {
    const limited = { accessKeyId: 'AKIALIMITEDUSER00001', secretAccessKey: 'secret-of-limited' };
    const authFile = {
      accounts: [
        {
          id: ACCOUNT_A,
          users: [
            {
              name: 'limited',
              ...limited,
              policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:ListTables', Resource: '*' }] }],
            },
          ],
        },
      ],
    };
    const principal = parseAuthFile(authFile).key(limited.accessKeyId)?.principal;
    assert.ok(principal !== undefined);
    const file = auditFile();
    const cairn = await startCairn({ inMemory: true, auth: authFile, audit: { file, flushIntervalMs: 10 } });
    try {
      await cairn.clientAs(limited).send(new ListTablesCommand({}));
      const message =
        `User: arn:aws:iam::${ACCOUNT_A}:user/limited is not authorized to perform: dynamodb:CreateTable on resource: ` +
        `arn:aws:dynamodb:us-east-1:${ACCOUNT_A}:table/audited because no identity-based policy allows the dynamodb:CreateTable action`;
      await assert.rejects(cairn.clientAs(limited).send(new CreateTableCommand({ ...CREATE_TABLE, StreamSpecification: undefined })), {
        name: 'AccessDeniedException',
        message,
      });
      const events = (await flushedEvents(cairn, file)).map(stable);
      const identity = {
        type: 'IAMUser',
        principalId: principal.userId,
        arn: `arn:aws:iam::${ACCOUNT_A}:user/limited`,
        accountId: ACCOUNT_A,
        accessKeyId: limited.accessKeyId,
        userName: 'limited',
      };
      assert.deepEqual(
        events.map((event) => [event.eventName, event.userIdentity, event.errorCode, event.errorMessage]),
        [
          ['ListTables', identity, undefined, undefined],
          ['CreateTable', identity, 'AccessDeniedException', message],
        ],
      );
    } finally {
      await cairn.close();
    }
  });
});

describe('writing the file', () => {
  test('an event reaches the file within a second of its answer, with the default buffering', async () => {
    const file = auditFile();
    const cairn = await startCairn({ inMemory: true, audit: { file } });
    try {
      const started = Date.now();
      assert.equal((await call(cairn, 'ListTables', {})).status, 200);
      while (readEvents(file).length === 0 && Date.now() - started < 2_000) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(readEvents(file).length, 1);
      assert.ok(Date.now() - started < 1_000, `written after ${Date.now() - started} ms`);
    } finally {
      await cairn.close();
    }
  });

  test('events still in the buffer are written when the server closes', async () => {
    const file = auditFile();
    const cairn = await startCairn({ inMemory: true, audit: { file, flushIntervalMs: 60_000 } });
    for (let i = 0; i < 3; i++) assert.equal((await call(cairn, 'ListTables', {})).status, 200);
    assert.equal(readEvents(file).length, 0);
    await cairn.close();
    assert.deepEqual(
      readEvents(file).map((event) => event.eventName),
      ['ListTables', 'ListTables', 'ListTables'],
    );
  });

  test('a full disk does not stop serving: events are dropped, counted and warned about, and writing resumes once space is freed', async (t) => {
    const tmpfs = mountTmpfs('cairn-audit-full-', 1);
    try {
      if (skipWithoutTmpfs(t, tmpfs)) return;
      const file = join(tmpfs.path, 'audit.jsonl');
      const lines: string[] = [];
      const cairn = await startCairn({ inMemory: true, audit: { file, flushIntervalMs: 10 }, logger: createLogger('warn', (line) => lines.push(line)) });
      try {
        // Every free byte taken: the next write fails with ENOSPC.
        const ballast = join(tmpfs.path, 'ballast');
        writeFileSync(ballast, Buffer.alloc(tmpfs.free(), 1));
        for (let i = 0; i < 3; i++) {
          assert.equal((await call(cairn, 'ListTables', {})).status, 200);
          await cairn.server.audit?.log.flush();
        }
        assert.deepEqual(cairn.server.audit?.log.stats, { written: 0, dropped: 3, writeErrors: 3, rotations: 0 });
        const metrics = await cairn.rawRequest({ method: 'GET', path: '/metrics' });
        assert.match(String(metrics.body), /^cairn_audit_events_dropped_total 3$/m);
        assert.match(String(metrics.body), /^cairn_audit_events_total 0$/m);
        assert.equal(lines.length, 1);
        assert.ok(
          (lines[0] ?? '').endsWith(
            ` WARN audit log ${file}: cannot write 1 event: ENOSPC: no space left on device, write; 1 event dropped so far (requests are served regardless)\n`,
          ),
          lines[0],
        );
        // Space again: the next event is written, with nothing of the dropped ones half-written before it.
        rmSync(ballast);
        assert.equal((await call(cairn, 'ListTables', {})).status, 200);
        await cairn.server.audit?.log.flush();
        assert.equal(cairn.server.audit?.log.stats.written, 1);
        assert.deepEqual(
          readEvents(file).map((event) => event.eventName),
          ['ListTables'],
        );
      } finally {
        await cairn.close();
      }
    } finally {
      tmpfs.remove();
    }
  });

  test('a batch the disk takes only part of is taken back whole: the file keeps whole lines only', async (t) => {
    const tmpfs = mountTmpfs('cairn-audit-partial-', 1);
    try {
      if (skipWithoutTmpfs(t, tmpfs)) return;
      const file = join(tmpfs.path, 'audit.jsonl');
      const cairn = await startCairn({ inMemory: true, audit: { file, flushIntervalMs: 60_000 }, logger: createLogger('silent') });
      try {
        assert.equal((await call(cairn, 'ListTables', {})).status, 200);
        await cairn.server.audit?.log.flush();
        const before = readFileSync(file);
        // One page left: a batch of 20 events (several pages) is written in part, then refused.
        writeFileSync(join(tmpfs.path, 'ballast'), Buffer.alloc(tmpfs.free() - 4096, 1));
        for (let i = 0; i < 20; i++) assert.equal((await call(cairn, 'DescribeLimits', {})).status, 200);
        await cairn.server.audit?.log.flush();
        assert.deepEqual(cairn.server.audit?.log.stats, { written: 1, dropped: 20, writeErrors: 1, rotations: 0 });
        assert.deepEqual(readFileSync(file), before);
        rmSync(join(tmpfs.path, 'ballast'));
        assert.equal((await call(cairn, 'ListTables', {})).status, 200);
      } finally {
        await cairn.close();
      }
      assert.deepEqual(
        readEvents(file).map((event) => event.eventName),
        ['ListTables', 'ListTables'],
      );
    } finally {
      tmpfs.remove();
    }
  });

  test('rotation by size: the full file is renamed aside and a new one started; no event is lost', async () => {
    const file = auditFile();
    const cairn = await startCairn({ inMemory: true, audit: { file, maxBytes: 2_000, flushIntervalMs: 60_000 } });
    try {
      for (let i = 0; i < 6; i++) {
        assert.equal((await call(cairn, 'ListTables', {})).status, 200);
        await cairn.server.audit?.log.flush();
      }
    } finally {
      await cairn.close();
    }
    const dir = join(file, '..');
    const names = readdirSync(dir).sort();
    assert.ok(names.length > 2, names.join(', '));
    let total = 0;
    for (const name of names) {
      assert.ok(name === 'audit.jsonl' || /^audit\.jsonl\.\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z(-\d+)?$/.test(name), name);
      const size = readFileSync(join(dir, name)).length;
      assert.ok(size <= 2_000, `${name}: ${size} bytes`);
      total += readEvents(join(dir, name)).length;
    }
    assert.equal(total, 6);
    assert.equal(cairn.server.audit?.log.stats.rotations, names.length - 1);
    assert.equal(statSync(file).mode & 0o777, 0o600);
  });
});

describe('the CLI', () => {
  test('--audit-data-events without --audit-log exits 2; an audit log that cannot be opened exits 1', () => {
    const alone = spawnSync(process.execPath, [CLI, '--in-memory', '--port', '0', '--audit-data-events'], { encoding: 'utf8' });
    assert.equal(alone.status, 2);
    assert.match(alone.stderr, /^cairn: --audit-data-events and --audit-log-max-bytes need --audit-log \(or "audit\.log" in the configuration file\)\n/);
    const dir = mkdtempSync(join(tmpdir(), 'cairn-audit-'));
    const unopenable = spawnSync(process.execPath, [CLI, '--in-memory', '--port', '0', '--audit-log', dir], { encoding: 'utf8' });
    assert.equal(unopenable.status, 1);
    assert.equal(unopenable.stderr, `cairn: cannot open the audit log ${dir}: EISDIR: illegal operation on a directory, open '${dir}'\n`);
  });

  test('the configuration file\'s "audit" (relative to the file); a flag wins over it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cairn-audit-'));
    const config = join(dir, 'cairn.config.json');
    writeFileSync(config, JSON.stringify({ audit: { log: 'from-config.jsonl', dataEvents: false } }));
    const cairn = await spawnCairn(['--in-memory', '--config', config, '--audit-data-events']);
    try {
      await cairn.client.send(
        new CreateTableCommand({
          TableName: 'configured',
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      await cairn.client.send(new PutItemCommand({ TableName: 'configured', Item: { id: { S: '1' } } }));
    } finally {
      cairn.child.kill('SIGTERM');
      assert.equal(await cairn.exited, 0);
    }
    assert.deepEqual(
      readEvents(join(dir, 'from-config.jsonl')).map((event) => [event.eventName, event.eventCategory]),
      [
        ['CreateTable', 'Management'],
        ['PutItem', 'Data'],
      ],
    );
  });
});
