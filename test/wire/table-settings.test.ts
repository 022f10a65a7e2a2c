/**
 * Table operations' checks and descriptions through the AWS SDK (and raw requests where the SDK would not send
 * the shape): CreateTable / UpdateTable definitions, the request-dependent UpdateTable refusal, tags, the
 * required-parameter form of the table operations, OnDemandThroughput / WarmThroughput / SSESpecification kept and
 * described, DeleteTable's description, and the Query / Scan messages of the same kind.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  ListTagsOfResourceCommand,
  QueryCommand,
  ScanCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateTableCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
  type Tag,
} from '@aws-sdk/client-dynamodb';
import { startCairn, type Cairn } from '../helpers/cairn.js';
import { INVALID, rejectsWith } from '../helpers/assertions.js';
import { compositeKeyTable, hashKeyTable } from '../helpers/tables.js';
import { LMDB_ONLY } from '../helpers/test-storage.js';

let cairn: Cairn;
let client: DynamoDBClient;
before(async () => {
  cairn = await startCairn({ inMemory: true });
  client = cairn.client;
});
after(async () => {
  await cairn.close();
});

const ACCOUNT_ARN = 'arn:aws:dynamodb:us-east-1:000000000000:table/';

function withGsi(name: string, projection: CreateTableCommandInput['GlobalSecondaryIndexes']): CreateTableCommandInput {
  return {
    ...hashKeyTable(name),
    AttributeDefinitions: [
      { AttributeName: 'id', AttributeType: 'S' },
      { AttributeName: 'g', AttributeType: 'S' },
    ],
    GlobalSecondaryIndexes: projection,
  };
}

async function rawError(target: string, body: object): Promise<{ status: number; type: string; message: string }> {
  const response = await cairn.raw(`DynamoDB_20120810.${target}`, body);
  const error = response.body as { __type: string; message: string };
  return { status: response.status, type: error.__type, message: error.message };
}

describe('CreateTable definitions', () => {
  const refusals: ReadonlyArray<readonly [string, CreateTableCommandInput, string]> = [
    [
      'INCLUDE without NonKeyAttributes',
      withGsi('inc', [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'INCLUDE' } }]),
      `${INVALID}ProjectionType is INCLUDE, but NonKeyAttributes is not specified`,
    ],
    [
      'a NonKeyAttribute named twice',
      withGsi('inc', [
        {
          IndexName: 'byG',
          KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['a', 'b', 'a'] },
        },
      ]),
      `${INVALID}Duplicate element in NonKeyAttributes: a`,
    ],
    [
      'an attribute defined twice with two types',
      {
        ...hashKeyTable('twice'),
        AttributeDefinitions: [
          { AttributeName: 'id', AttributeType: 'S' },
          { AttributeName: 'id', AttributeType: 'N' },
        ],
      },
      'Attribute Name is duplicated: id',
    ],
    [
      'an attribute defined twice with one type',
      {
        ...hashKeyTable('twice'),
        AttributeDefinitions: [
          { AttributeName: 'id', AttributeType: 'S' },
          { AttributeName: 'id', AttributeType: 'S' },
        ],
      },
      'Attribute Name is duplicated: id',
    ],
  ];
  for (const [name, input, message] of refusals) {
    test(`refuses ${name}`, async () => {
      await rejectsWith(client.send(new CreateTableCommand(input)), 'ValidationException', message);
      await rejectsWith(
        client.send(new DescribeTableCommand({ TableName: input.TableName })),
        'ResourceNotFoundException',
        `Requested resource not found: Table: ${input.TableName} not found`,
      );
    });
  }
});

describe('UpdateTable requests', () => {
  before(async () => {
    await client.send(
      new CreateTableCommand({
        ...withGsi('indexed', [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }]),
      }),
    );
  });

  const ALL =
    'ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates, SSESpecification, ReplicaUpdates, ' +
    'MultiAccountReplicaReady, ReplicaTransitRoleArn, MultiRegionConsistency, DeletionProtectionEnabled, OnDemandThroughput, WarmThroughput';

  test('with nothing to do: the members that would do something, before the table is looked up', async () => {
    for (const TableName of ['indexed', 'missing']) {
      await rejectsWith(client.send(new UpdateTableCommand({ TableName })), 'ValidationException', `At least one of ${ALL} or TableClass is required`);
      await rejectsWith(
        client.send(new UpdateTableCommand({ TableName, GlobalSecondaryIndexUpdates: [], AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'S' }] })),
        'ValidationException',
        `At least one of ${ALL} or TableClass is required`,
      );
      await rejectsWith(
        client.send(new UpdateTableCommand({ TableName, MultiRegionConsistency: 'STRONG' })),
        'ValidationException',
        `At least one of ${ALL.replace(' MultiRegionConsistency,', '')} or TableClass is required`,
      );
    }
  });

  test('a new index may not give another type to an attribute an index keys on', async () => {
    await rejectsWith(
      client.send(
        new UpdateTableCommand({
          TableName: 'indexed',
          AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'N' }],
          GlobalSecondaryIndexUpdates: [
            { Create: { IndexName: 'byG2', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } } },
          ],
        }),
      ),
      'ValidationException',
      `${INVALID}Attributes cannot be redefined. Please check that your attribute has the same type as previously defined. ` +
        'Existing schema: Schema:[SchemaElement: key{g:S:HASH}] New schema: Schema:[SchemaElement: key{g:N:HASH}]',
    );
    // The table's own key keeps its type silently, as DynamoDB keeps it.
    const { TableDescription } = await client.send(
      new UpdateTableCommand({
        TableName: 'indexed',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'N' }],
        GlobalSecondaryIndexUpdates: [
          { Create: { IndexName: 'byId', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } } },
        ],
      }),
    );
    assert.deepEqual(TableDescription?.AttributeDefinitions, [
      { AttributeName: 'id', AttributeType: 'S' },
      { AttributeName: 'g', AttributeType: 'S' },
    ]);
  });
});

describe('the required-parameter form', () => {
  for (const operation of ['CreateTable', 'DeleteTable', 'DescribeTable', 'DescribeTimeToLive', 'UpdateTable']) {
    test(`${operation} without TableName`, async () => {
      // Before any constraint: an UpdateTable with nothing to do, or a CreateTable without a key, says this first.
      assert.deepEqual(await rawError(operation, {}), {
        status: 400,
        type: 'com.amazon.coral.validate#ValidationException',
        message: "The parameter 'TableName' is required but was not present in the request",
      });
    });
  }

  test('the item operations keep the constraint form', async () => {
    assert.equal(
      (await rawError('GetItem', { Key: { id: { S: 'a' } } })).message,
      "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null",
    );
  });
});

describe('tags', () => {
  const arn = `${ACCOUNT_ARN}tagged`;
  before(async () => {
    await client.send(new CreateTableCommand(hashKeyTable('tagged')));
  });
  const tag = (Key: string, Value: string): Tag => ({ Key, Value });

  test('keys of 128 and values of 256 characters of any script, spaces and + - = . _ : / @ are accepted', async () => {
    const tags = [tag('k'.repeat(128), 'v'.repeat(256)), tag('ключ café 表', ''), tag('a+b-c=d.e_f:g/h@i', 'x\u00a0y')];
    await client.send(new TagResourceCommand({ ResourceArn: arn, Tags: tags }));
    const listed = await client.send(new ListTagsOfResourceCommand({ ResourceArn: arn }));
    assert.equal(listed.Tags?.length, 3);
    await client.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: tags.map((entry) => entry.Key as string) }));
  });

  const refusals: ReadonlyArray<readonly [string, Tag[], string]> = [
    ['a key of 129 characters', [tag('ok', 'ok'), tag('k'.repeat(129), 'v')], `The Tag Key provided is invalid, Key: ${'k'.repeat(129)}`],
    ['an empty key', [tag('', 'v')], 'The Tag Key provided is invalid, Key: '],
    ['a key with a comma', [tag('a,b', 'v')], 'The Tag Key provided is invalid, Key: a,b'],
    ['an emoji key', [tag('🔑', 'v')], 'The Tag Key provided is invalid, Key: 🔑'],
    ['a value of 257 characters', [tag('k', 'v'.repeat(257))], `The Tag Value provided is invalid, Value: ${'v'.repeat(257)}`],
    ['a value with a percent sign', [tag('k', '100%')], 'The Tag Value provided is invalid, Value: 100%'],
    ['an aws: key', [tag('ok', 'ok'), tag('aws:zzz', 'v')], 'Tag Key cannot be prefixed with aws:, Key: aws:zzz'],
    ['a key given twice', [tag('dup', '1'), tag('dup', '2')], 'Duplicate Tag Keys provided as input: Duplicate Tag Key found dup'],
  ];
  for (const [name, tags, message] of refusals) {
    test(`TagResource refuses ${name}, and applies none of the tags`, async () => {
      await rejectsWith(client.send(new TagResourceCommand({ ResourceArn: arn, Tags: tags })), 'ValidationException', message);
      assert.deepEqual((await client.send(new ListTagsOfResourceCommand({ ResourceArn: arn }))).Tags, []);
    });
  }

  test('the value of a tag without one is null', async () => {
    assert.equal(
      (await rawError('TagResource', { ResourceArn: arn, Tags: [{ Key: 'k' }] })).message,
      'The Tag Value provided is invalid, Value: null',
    );
  });

  test('UntagResource: keys are checked, at most 50', async () => {
    await rejectsWith(
      client.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['ok', 'k'.repeat(129)] })),
      'ValidationException',
      `The Tag Key provided is invalid, Key: ${'k'.repeat(129)}`,
    );
    await rejectsWith(
      client.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: Array.from({ length: 51 }, (_, i) => `k${i}`) })),
      'ValidationException',
      'Number of Tags exceed the current limit for the provided ResourceArn',
    );
  });

  test('CreateTable tags follow the same rules, and a refused table is not created', async () => {
    await rejectsWith(
      client.send(new CreateTableCommand({ ...hashKeyTable('badtags'), Tags: [tag('aws:foo', 'v')] })),
      'ValidationException',
      'Tag Key cannot be prefixed with aws:, Key: aws:foo',
    );
    await rejectsWith(
      client.send(new CreateTableCommand({ ...hashKeyTable('badtags'), Tags: Array.from({ length: 51 }, (_, i) => tag(`k${i}`, 'v')) })),
      'ValidationException',
      'Number of Tags exceed the current limit for the provided ResourceArn',
    );
    await rejectsWith(
      client.send(new DescribeTableCommand({ TableName: 'badtags' })),
      'ResourceNotFoundException',
      'Requested resource not found: Table: badtags not found',
    );
    await client.send(new CreateTableCommand({ ...hashKeyTable('fiftytags'), Tags: Array.from({ length: 50 }, (_, i) => tag(`k${i}`, 'v')) }));
    await client.send(new CreateTableCommand({ ...hashKeyTable('notags'), Tags: [] }));
  });
});

describe('OnDemandThroughput and WarmThroughput', () => {
  test('are kept and described; an on-demand table is warm at 12,000 / 4,000 units at least', async () => {
    const { TableDescription: created } = await client.send(
      new CreateTableCommand({
        ...hashKeyTable('capped'),
        OnDemandThroughput: { MaxReadRequestUnits: 100 },
        WarmThroughput: { ReadUnitsPerSecond: 12_001 },
      }),
    );
    assert.deepEqual(created?.OnDemandThroughput, { MaxReadRequestUnits: 100 });
    assert.deepEqual(created?.WarmThroughput, { ReadUnitsPerSecond: 12_001, WriteUnitsPerSecond: 4_000, Status: 'ACTIVE' });
    // UpdateTable merges a member in, and -1 removes one.
    await client.send(new UpdateTableCommand({ TableName: 'capped', OnDemandThroughput: { MaxWriteRequestUnits: 50 } }));
    let { Table } = await client.send(new DescribeTableCommand({ TableName: 'capped' }));
    assert.deepEqual(Table?.OnDemandThroughput, { MaxReadRequestUnits: 100, MaxWriteRequestUnits: 50 });
    await client.send(new UpdateTableCommand({ TableName: 'capped', OnDemandThroughput: { MaxReadRequestUnits: -1 } }));
    await client.send(new UpdateTableCommand({ TableName: 'capped', WarmThroughput: { WriteUnitsPerSecond: 5_000 } }));
    ({ Table } = await client.send(new DescribeTableCommand({ TableName: 'capped' })));
    assert.deepEqual(Table?.OnDemandThroughput, { MaxWriteRequestUnits: 50 });
    assert.deepEqual(Table?.WarmThroughput, { ReadUnitsPerSecond: 12_001, WriteUnitsPerSecond: 5_000, Status: 'ACTIVE' });
    // Kept in the table's metadata, where capacity enforcement reads them.
    const metadata = cairn.server.engine.catalog.getTable({ accountId: '000000000000', region: 'us-east-1' }, 'capped');
    assert.deepEqual(metadata?.onDemandThroughput, { MaxWriteRequestUnits: 50 });
    assert.deepEqual(metadata?.warmThroughput, { ReadUnitsPerSecond: 12_001, WriteUnitsPerSecond: 5_000 });
    await client.send(new UpdateTableCommand({ TableName: 'capped', OnDemandThroughput: { MaxWriteRequestUnits: -1 } }));
    ({ Table } = await client.send(new DescribeTableCommand({ TableName: 'capped' })));
    assert.equal(Table?.OnDemandThroughput, undefined);
  });

  test('a provisioned table is warm at its units; its GSIs carry their own', async () => {
    const { TableDescription } = await client.send(
      new CreateTableCommand({
        ...compositeKeyTable('warmed'),
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'N' },
          { AttributeName: 'g', AttributeType: 'S' },
        ],
        WarmThroughput: { WriteUnitsPerSecond: 9 },
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byG',
            KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'KEYS_ONLY' },
            ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 4 },
            WarmThroughput: { ReadUnitsPerSecond: 30 },
          },
        ],
      }),
    );
    assert.deepEqual(TableDescription?.WarmThroughput, { ReadUnitsPerSecond: 5, WriteUnitsPerSecond: 9, Status: 'ACTIVE' });
    assert.deepEqual(TableDescription?.GlobalSecondaryIndexes?.[0]?.WarmThroughput, { ReadUnitsPerSecond: 30, WriteUnitsPerSecond: 4, Status: 'ACTIVE' });
    assert.equal(TableDescription?.OnDemandThroughput, undefined);
  });

  const createRefusals: ReadonlyArray<readonly [string, CreateTableCommandInput, string]> = [
    [
      'a zero maximum',
      { ...hashKeyTable('x1x'), OnDemandThroughput: { MaxReadRequestUnits: 0, MaxWriteRequestUnits: 0 } },
      `${INVALID}Requested MaxReadRequestUnits for OnDemandThroughput for table is outside of valid range`,
    ],
    [
      '-1 at creation',
      { ...hashKeyTable('x1x'), OnDemandThroughput: { MaxWriteRequestUnits: -1 } },
      `${INVALID}Requested MaxWriteRequestUnits for OnDemandThroughput for table is outside of valid range`,
    ],
    [
      'OnDemandThroughput on a provisioned table',
      { ...compositeKeyTable('x1x'), OnDemandThroughput: { MaxReadRequestUnits: 100 } },
      `${INVALID}MaxReadRequestUnits for OnDemandThroughput cannot be specified when the table BillingMode is PROVISIONED`,
    ],
    [
      'warm throughput below the on-demand start',
      { ...hashKeyTable('x1x'), WarmThroughput: { ReadUnitsPerSecond: 1, WriteUnitsPerSecond: 1 } },
      `${INVALID}Requested ReadUnitsPerSecond for WarmThroughput for table is lower than initial throughput for OnDemand. ` +
        'See: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/on-demand-capacity-mode.html#on-demand-capacity-mode-initial',
    ],
    [
      'warm throughput below the provisioned units',
      { ...compositeKeyTable('x1x'), WarmThroughput: { ReadUnitsPerSecond: 4 } },
      `${INVALID}Requested ReadUnitsPerSecond for WarmThroughput for table is lower than ReadCapacityUnits of ProvisionedThroughput`,
    ],
  ];
  for (const [name, input, message] of createRefusals) {
    test(`CreateTable refuses ${name}`, async () => {
      await rejectsWith(client.send(new CreateTableCommand(input)), 'ValidationException', message);
    });
  }

  test('UpdateTable refuses a decrease, a mix, and a maximum on a provisioned table', async () => {
    await rejectsWith(
      client.send(new UpdateTableCommand({ TableName: 'capped', WarmThroughput: { ReadUnitsPerSecond: 12_000 } })),
      'ValidationException',
      `${INVALID}Requested ReadUnitsPerSecond for WarmThroughput for table is lower than current WarmThroughput, decreasing WarmThroughput is not supported`,
    );
    await rejectsWith(
      client.send(new UpdateTableCommand({ TableName: 'capped', WarmThroughput: { ReadUnitsPerSecond: 20_000 }, DeletionProtectionEnabled: true })),
      'ValidationException',
      `${INVALID}WarmThroughput must be the only operation in the request`,
    );
    await rejectsWith(
      client.send(new UpdateTableCommand({ TableName: 'capped', OnDemandThroughput: { MaxReadRequestUnits: 5 }, TableClass: 'STANDARD' })),
      'ValidationException',
      `${INVALID}OnDemandThroughput can only be combined with BillingMode in an UpdateTable request`,
    );
    await rejectsWith(
      client.send(new UpdateTableCommand({ TableName: 'warmed', OnDemandThroughput: { MaxReadRequestUnits: 5 } })),
      'ValidationException',
      `${INVALID}MaxReadRequestUnits for OnDemandThroughput cannot be specified when the table BillingMode is PROVISIONED`,
    );
  });
});

describe('SSESpecification', { skip: LMDB_ONLY }, () => {
  // DynamoDB's answers, from a server that encrypts at rest (without a key every table says DISABLED:
  // encryption.test.ts).
  let encrypted: Cairn;
  let client: DynamoDBClient;
  before(async () => {
    encrypted = await startCairn({ encryption: { key: Buffer.alloc(32, 9) } });
    client = encrypted.client;
  });
  after(() => encrypted.close());

  test('Enabled false is the AWS-owned key: no SSEDescription; Enabled true is the AWS-managed KMS key', async () => {
    const { TableDescription: owned } = await client.send(new CreateTableCommand({ ...hashKeyTable('owned'), SSESpecification: { Enabled: false } }));
    assert.equal(owned?.SSEDescription, undefined);
    const first = await client.send(new CreateTableCommand({ ...hashKeyTable('managed1'), SSESpecification: { Enabled: true } }));
    const second = await client.send(new CreateTableCommand({ ...hashKeyTable('managed2'), SSESpecification: { Enabled: true, SSEType: 'KMS' } }));
    const described = first.TableDescription?.SSEDescription;
    assert.equal(described?.Status, 'ENABLED');
    assert.equal(described?.SSEType, 'KMS');
    assert.match(described?.KMSMasterKeyArn ?? '', /^arn:aws:kms:us-east-1:000000000000:key\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    // One AWS-managed key serves every table of the account and region.
    assert.equal(second.TableDescription?.SSEDescription?.KMSMasterKeyArn, described?.KMSMasterKeyArn);
    const named = await client.send(
      new CreateTableCommand({ ...hashKeyTable('named'), SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: '1234abcd-12ab-34cd-56ef-1234567890ab' } }),
    );
    assert.equal(named.TableDescription?.SSEDescription?.KMSMasterKeyArn, 'arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab');
  });

  test('UpdateTable: alone, and not to the key the table already has', async () => {
    await rejectsWith(
      client.send(new UpdateTableCommand({ TableName: 'owned', SSESpecification: { Enabled: false } })),
      'ValidationException',
      `${INVALID}Table is already encrypted by default`,
    );
    await rejectsWith(
      client.send(new UpdateTableCommand({ TableName: 'owned', SSESpecification: { Enabled: true }, DeletionProtectionEnabled: true })),
      'ValidationException',
      `${INVALID}Server-Side Encryption modification must be the only operation in the request`,
    );
    const { TableDescription: managed } = await client.send(new UpdateTableCommand({ TableName: 'owned', SSESpecification: { Enabled: true } }));
    assert.equal(managed?.SSEDescription?.SSEType, 'KMS');
    const { TableDescription: back } = await client.send(new UpdateTableCommand({ TableName: 'owned', SSESpecification: { Enabled: false } }));
    assert.equal(back?.SSEDescription, undefined);
  });

  const refusals: ReadonlyArray<readonly [string, NonNullable<CreateTableCommandInput['SSESpecification']>, string]> = [
    ['a type with Enabled false', { Enabled: false, SSEType: 'KMS' }, `${INVALID}SSEType can not be specified if Enabled is false`],
    ['a key with Enabled false', { Enabled: false, KMSMasterKeyId: 'k' }, `${INVALID}KMSMasterKeyId can not be specified if Enabled is false`],
    ['AES256', { Enabled: true, SSEType: 'AES256' }, `${INVALID}SSEType AES256 is not supported`],
    ['a key without SSEType KMS', { Enabled: true, KMSMasterKeyId: 'k' }, `${INVALID}SSEType KMS is required if KMSMasterKeyId is specified`],
  ];
  for (const [name, SSESpecification, message] of refusals) {
    test(`refuses ${name}`, async () => {
      await rejectsWith(client.send(new CreateTableCommand({ ...hashKeyTable('x2x'), SSESpecification })), 'ValidationException', message);
    });
  }
});

describe('DeleteTable', () => {
  test("describes the table without its schema and creation time, as DynamoDB's answer does", async () => {
    await client.send(new CreateTableCommand(hashKeyTable('doomed')));
    const { TableDescription: d } = await client.send(new DeleteTableCommand({ TableName: 'doomed' }));
    assert.equal(d?.TableStatus, 'DELETING');
    assert.equal(d?.TableName, 'doomed');
    assert.equal(d?.TableArn, `${ACCOUNT_ARN}doomed`);
    assert.equal(d?.KeySchema, undefined);
    assert.equal(d?.AttributeDefinitions, undefined);
    assert.equal(d?.CreationDateTime, undefined);
    assert.equal(d?.BillingModeSummary?.BillingMode, 'PAY_PER_REQUEST');
  });
});

describe('Query and Scan messages', () => {
  before(async () => {
    await client.send(new CreateTableCommand(hashKeyTable('reads')));
  });

  test('Query names Limit without its value', async () => {
    await rejectsWith(
      client.send(new QueryCommand({ TableName: 'reads', KeyConditionExpression: 'id = :a', ExpressionAttributeValues: { ':a': { S: 'a' } }, Limit: 0 })),
      'ValidationException',
      "1 validation error detected: Value at 'Limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
  });

  test('Scan refuses a Segment without TotalSegments, 0 included', async () => {
    for (const Segment of [0, 3]) {
      await rejectsWith(
        client.send(new ScanCommand({ TableName: 'reads', Segment })),
        'ValidationException',
        'The TotalSegments parameter is required but was not present in the request when Segment parameter is present',
      );
    }
  });
});
