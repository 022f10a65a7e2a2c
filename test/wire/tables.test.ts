/**
 * The table operations through the AWS SDK: results, and errors with their exact name, message and status.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeEndpointsCommand,
  DescribeLimitsCommand,
  DescribeTableCommand,
  ListTablesCommand,
  ListTagsOfResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateTableCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { startCairn, type Cairn } from '../helpers/cairn.js';
import { INVALID, rejectsWith } from '../helpers/assertions.js';

let cairn: Cairn;
let client: DynamoDBClient;
before(async () => {
  cairn = await startCairn();
  client = cairn.client;
});
after(async () => {
  await cairn.close();
});

const ARN_PREFIX = 'arn:aws:dynamodb:us-east-1:000000000000:table/';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;


function onDemand(tableName: string, extra: Partial<CreateTableCommandInput> = {}): CreateTableCommandInput {
  return {
    TableName: tableName,
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
    ...extra,
  };
}


describe('CreateTable', () => {
  test('an on-demand table: full description, ACTIVE at once, 0 provisioned units, BillingModeSummary', async () => {
    const before = Date.now() / 1000;
    const { TableDescription: d } = await client.send(new CreateTableCommand(onDemand('ondemand')));
    assert.ok(d);
    assert.equal(d.TableName, 'ondemand');
    assert.equal(d.TableStatus, 'ACTIVE');
    assert.deepEqual(d.KeySchema, [{ AttributeName: 'id', KeyType: 'HASH' }]);
    assert.deepEqual(d.AttributeDefinitions, [{ AttributeName: 'id', AttributeType: 'S' }]);
    assert.deepEqual(d.ProvisionedThroughput, { NumberOfDecreasesToday: 0, ReadCapacityUnits: 0, WriteCapacityUnits: 0 });
    assert.equal(d.TableArn, `${ARN_PREFIX}ondemand`);
    assert.match(d.TableId ?? '', UUID);
    assert.equal(d.ItemCount, 0);
    assert.equal(d.TableSizeBytes, 0);
    assert.equal(d.BillingModeSummary?.BillingMode, 'PAY_PER_REQUEST');
    assert.ok(d.BillingModeSummary?.LastUpdateToPayPerRequestDateTime instanceof Date);
    assert.equal(d.DeletionProtectionEnabled, false);
    assert.equal(d.TableClassSummary, undefined);
    const created = (d.CreationDateTime as Date).getTime() / 1000;
    assert.ok(created >= Math.floor(before) && created <= Date.now() / 1000 + 1);
  });

  test('a provisioned table: its units, no BillingModeSummary; a composite key', async () => {
    const { TableDescription: d } = await client.send(
      new CreateTableCommand({
        TableName: 'provisioned',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'N' },
        ],
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 7 },
        TableClass: 'STANDARD_INFREQUENT_ACCESS',
      }),
    );
    assert.deepEqual(d?.ProvisionedThroughput, { NumberOfDecreasesToday: 0, ReadCapacityUnits: 5, WriteCapacityUnits: 7 });
    assert.equal(d?.BillingModeSummary, undefined);
    assert.deepEqual(d?.TableClassSummary, { TableClass: 'STANDARD_INFREQUENT_ACCESS' });
    assert.equal(cairn.server.engine.catalog.getTable({ accountId: '000000000000', region: 'us-east-1' }, 'provisioned')?.key.range?.type, 'N');
  });

  test('streams and SSE settings are stored and echoed', async () => {
    const { TableDescription: d } = await client.send(
      new CreateTableCommand(
        onDemand('streamed', {
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
          SSESpecification: { Enabled: true },
          DeletionProtectionEnabled: true,
        }),
      ),
    );
    assert.deepEqual(d?.StreamSpecification, { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    assert.match(d?.LatestStreamLabel ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/);
    assert.equal(d?.LatestStreamArn, `${ARN_PREFIX}streamed/stream/${d?.LatestStreamLabel}`);
    // Kept and described, though this server does not encrypt at rest (so the status is DISABLED).
    assert.equal(d?.SSEDescription?.Status, 'DISABLED');
    assert.equal(d?.SSEDescription?.SSEType, 'KMS');
    assert.equal(d?.DeletionProtectionEnabled, true);
  });

  const errors: ReadonlyArray<readonly [string, CreateTableCommandInput, string, string]> = [
    ['an existing table', onDemand('ondemand'), 'ResourceInUseException', 'Table already exists: ondemand'],
    [
      'throughput with PAY_PER_REQUEST',
      onDemand('x1x', { ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }),
      'ValidationException',
      `${INVALID}Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST`,
    ],
    [
      'PROVISIONED without throughput',
      onDemand('x1x', { BillingMode: undefined }),
      'ValidationException',
      `${INVALID}ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED`,
    ],
    [
      'a key attribute without definition',
      onDemand('x1x', { AttributeDefinitions: [{ AttributeName: 'x', AttributeType: 'S' }] }),
      'ValidationException',
      `${INVALID}Some index key attributes are not defined in AttributeDefinitions. Keys: [id], AttributeDefinitions: [x]`,
    ],
    [
      'more keys than definitions',
      onDemand('x1x', {
        KeySchema: [
          { AttributeName: 'id', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      }),
      'ValidationException',
      'Invalid KeySchema: Some index key attribute have no definition',
    ],
    [
      'hash and range with one name',
      onDemand('x1x', {
        KeySchema: [
          { AttributeName: 'id', KeyType: 'HASH' },
          { AttributeName: 'id', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'id', AttributeType: 'S' },
          { AttributeName: 'b', AttributeType: 'S' },
        ],
      }),
      'ValidationException',
      'Both the Hash Key and the Range Key element in the KeySchema have the same name',
    ],
    [
      'a RANGE key first',
      onDemand('x1x', { KeySchema: [{ AttributeName: 'id', KeyType: 'RANGE' }] }),
      'ValidationException',
      'Invalid KeySchema: The first KeySchemaElement is not a HASH key type',
    ],
    [
      'two HASH keys',
      onDemand('x1x', {
        KeySchema: [
          { AttributeName: 'id', KeyType: 'HASH' },
          { AttributeName: 'b', KeyType: 'HASH' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'id', AttributeType: 'S' },
          { AttributeName: 'b', AttributeType: 'S' },
        ],
      }),
      'ValidationException',
      'Invalid KeySchema: The second KeySchemaElement is not a RANGE key type',
    ],
    [
      'an unused attribute definition',
      onDemand('x1x', {
        AttributeDefinitions: [
          { AttributeName: 'id', AttributeType: 'S' },
          { AttributeName: 'b', AttributeType: 'S' },
        ],
      }),
      'ValidationException',
      `${INVALID}Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions`,
    ],
    [
      'an empty GlobalSecondaryIndexes list',
      onDemand('x1x', { GlobalSecondaryIndexes: [] }),
      'ValidationException',
      `${INVALID}List of GlobalSecondaryIndexes is empty`,
    ],
  ];
  for (const [name, input, type, message] of errors) {
    test(`refuses ${name}`, async () => {
      await rejectsWith(client.send(new CreateTableCommand(input)), type, message);
    });
  }
});

describe('DescribeTable', () => {
  test('describes by name and by ARN', async () => {
    const byName = await client.send(new DescribeTableCommand({ TableName: 'provisioned' }));
    const byArn = await client.send(new DescribeTableCommand({ TableName: `${ARN_PREFIX}provisioned` }));
    assert.equal(byName.Table?.TableId, byArn.Table?.TableId);
    assert.equal(byName.Table?.TableStatus, 'ACTIVE');
  });

  test('a missing table names itself in the error', async () => {
    await rejectsWith(
      client.send(new DescribeTableCommand({ TableName: 'missing' })),
      'ResourceNotFoundException',
      'Requested resource not found: Table: missing not found',
    );
  });
});

describe('ListTables', () => {
  test('pages in name order with Limit and ExclusiveStartTableName', async () => {
    const all = await client.send(new ListTablesCommand({}));
    assert.deepEqual(all.TableNames, ['ondemand', 'provisioned', 'streamed']);
    assert.equal(all.LastEvaluatedTableName, undefined);
    const first = await client.send(new ListTablesCommand({ Limit: 2 }));
    assert.deepEqual(first.TableNames, ['ondemand', 'provisioned']);
    assert.equal(first.LastEvaluatedTableName, 'provisioned');
    const second = await client.send(new ListTablesCommand({ Limit: 2, ExclusiveStartTableName: first.LastEvaluatedTableName }));
    assert.deepEqual(second.TableNames, ['streamed']);
    assert.equal(second.LastEvaluatedTableName, undefined);
    const between = await client.send(new ListTablesCommand({ ExclusiveStartTableName: 'ppp' }));
    assert.deepEqual(between.TableNames, ['provisioned', 'streamed']);
  });
});

describe('UpdateTable', () => {
  test('changing throughput records an increase', async () => {
    const { TableDescription: d } = await client.send(
      new UpdateTableCommand({ TableName: 'provisioned', ProvisionedThroughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 7 } }),
    );
    assert.equal(d?.ProvisionedThroughput?.ReadCapacityUnits, 10);
    assert.ok(d?.ProvisionedThroughput?.LastIncreaseDateTime instanceof Date);
    assert.equal(d?.ProvisionedThroughput?.NumberOfDecreasesToday, 0);
  });

  test('a decrease counts in NumberOfDecreasesToday', async () => {
    const { TableDescription: d } = await client.send(
      new UpdateTableCommand({ TableName: 'provisioned', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 7 } }),
    );
    assert.equal(d?.ProvisionedThroughput?.NumberOfDecreasesToday, 1);
    assert.ok(d?.ProvisionedThroughput?.LastDecreaseDateTime instanceof Date);
  });

  test('switching to on-demand zeroes the units; back to provisioned keeps the summary', async () => {
    const toOnDemand = await client.send(new UpdateTableCommand({ TableName: 'provisioned', BillingMode: 'PAY_PER_REQUEST' }));
    assert.equal(toOnDemand.TableDescription?.BillingModeSummary?.BillingMode, 'PAY_PER_REQUEST');
    assert.equal(toOnDemand.TableDescription?.ProvisionedThroughput?.ReadCapacityUnits, 0);
    const back = await client.send(
      new UpdateTableCommand({
        TableName: 'provisioned',
        BillingMode: 'PROVISIONED',
        ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 3 },
      }),
    );
    assert.equal(back.TableDescription?.BillingModeSummary?.BillingMode, 'PROVISIONED');
    assert.deepEqual(
      [back.TableDescription?.ProvisionedThroughput?.ReadCapacityUnits, back.TableDescription?.ProvisionedThroughput?.WriteCapacityUnits],
      [3, 3],
    );
  });

  test('deletion protection and table class change at once', async () => {
    const { TableDescription: d } = await client.send(
      new UpdateTableCommand({ TableName: 'ondemand', DeletionProtectionEnabled: true, TableClass: 'STANDARD' }),
    );
    assert.equal(d?.DeletionProtectionEnabled, true);
    assert.deepEqual(d?.TableClassSummary, { TableClass: 'STANDARD' });
    assert.equal(d?.TableStatus, 'ACTIVE');
  });

  const errors: ReadonlyArray<readonly [string, ConstructorParameters<typeof UpdateTableCommand>[0], string, string]> = [
    [
      'the same throughput',
      { TableName: 'provisioned', ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 3 } },
      'ValidationException',
      'The provisioned throughput for the table will not change. The requested value equals the current value. ' +
        'Current ReadCapacityUnits provisioned for the table: 3. Requested ReadCapacityUnits: 3. ' +
        'Current WriteCapacityUnits provisioned for the table: 3. Requested WriteCapacityUnits: 3. ' +
        'Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.',
    ],
    [
      'throughput on an on-demand table',
      { TableName: 'ondemand', ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 3 } },
      'ValidationException',
      `${INVALID}Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST`,
    ],
    [
      'PROVISIONED without throughput',
      { TableName: 'ondemand', BillingMode: 'PROVISIONED' },
      'ValidationException',
      `${INVALID}ProvisionedThroughput must be specified when BillingMode is PROVISIONED`,
    ],
    [
      'nothing to update',
      { TableName: 'ondemand' },
      'ValidationException',
      'At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates, SSESpecification, ReplicaUpdates, ' +
        'MultiAccountReplicaReady, ReplicaTransitRoleArn, MultiRegionConsistency, DeletionProtectionEnabled, OnDemandThroughput, ' +
        'WarmThroughput or TableClass is required',
    ],
    [
      'a missing table',
      { TableName: 'missing', DeletionProtectionEnabled: false },
      'ResourceNotFoundException',
      'Requested resource not found: Table: missing not found',
    ],
    [
      'enabling an enabled stream',
      { TableName: 'streamed', StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } },
      'ValidationException',
      'Table already has an enabled stream: TableName: streamed',
    ],
  ];
  for (const [name, input, type, message] of errors) {
    test(`refuses ${name}`, async () => {
      await rejectsWith(client.send(new UpdateTableCommand(input)), type, message);
    });
  }
});

describe('tags', () => {
  const arn = `${ARN_PREFIX}ondemand`;

  test('tag, list (sorted by key), replace, untag', async () => {
    await client.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'b', Value: '2' }, { Key: 'a', Value: '1' }] }));
    await client.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'b', Value: 'two' }] }));
    assert.deepEqual((await client.send(new ListTagsOfResourceCommand({ ResourceArn: arn }))).Tags, [
      { Key: 'a', Value: '1' },
      { Key: 'b', Value: 'two' },
    ]);
    await client.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['a', 'not-there'] }));
    assert.deepEqual((await client.send(new ListTagsOfResourceCommand({ ResourceArn: arn }))).Tags, [{ Key: 'b', Value: 'two' }]);
  });

  test('CreateTable tags are listed', async () => {
    await client.send(new CreateTableCommand(onDemand('tagged', { Tags: [{ Key: 'env', Value: 'test' }] })));
    assert.deepEqual((await client.send(new ListTagsOfResourceCommand({ ResourceArn: `${ARN_PREFIX}tagged` }))).Tags, [
      { Key: 'env', Value: 'test' },
    ]);
    await client.send(new DeleteTableCommand({ TableName: 'tagged' }));
  });

  test('at most 50 tags', async () => {
    const tags = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await rejectsWith(
      client.send(new TagResourceCommand({ ResourceArn: arn, Tags: tags })),
      'ValidationException',
      'Number of Tags exceed the current limit for the provided ResourceArn',
    );
  });

  test('missing tables and malformed ARNs', async () => {
    const missing = `${ARN_PREFIX}missing`;
    await rejectsWith(
      client.send(new TagResourceCommand({ ResourceArn: missing, Tags: [{ Key: 'a', Value: 'b' }] })),
      'ResourceNotFoundException',
      `Requested resource not found: ResourcArn: ${missing} not found`,
    );
    await rejectsWith(
      client.send(new ListTagsOfResourceCommand({ ResourceArn: missing })),
      'ResourceNotFoundException',
      `Requested resource not found: ResourcArn: ${missing} not found`,
    );
    await rejectsWith(
      client.send(new UntagResourceCommand({ ResourceArn: missing, TagKeys: ['a'] })),
      'ResourceNotFoundException',
      'Requested resource not found',
    );
    await rejectsWith(
      client.send(new ListTagsOfResourceCommand({ ResourceArn: 'arn:aws:s3:us-east-1:000000000000:bucket/abc' })),
      'ValidationException',
      'Invalid TableArn: Invalid ResourceArn provided as input arn:aws:s3:us-east-1:000000000000:bucket/abc',
    );
    await rejectsWith(
      client.send(new ListTagsOfResourceCommand({ ResourceArn: 'not-an-arn' })),
      'AccessDeniedException',
      'User: arn:aws:iam::000000000000:root is not authorized to perform: dynamodb:ListTagsOfResource on resource: not-an-arn',
    );
    await rejectsWith(
      client.send(new TagResourceCommand({ ResourceArn: arn, Tags: [] })),
      'ValidationException',
      'Atleast one Tag needs to be provided as Input.',
    );
    await rejectsWith(
      client.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: [] })),
      'ValidationException',
      'Atleast one Tag Key needs to be provided as Input.',
    );
  });
});

describe('DeleteTable', () => {
  test('deletion protection refuses, then the table is deleted with status DELETING', async () => {
    await rejectsWith(
      client.send(new DeleteTableCommand({ TableName: 'ondemand' })),
      'ValidationException',
      'Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.',
    );
    await client.send(new UpdateTableCommand({ TableName: 'ondemand', DeletionProtectionEnabled: false }));
    const { TableDescription: d } = await client.send(new DeleteTableCommand({ TableName: 'ondemand' }));
    assert.equal(d?.TableStatus, 'DELETING');
    assert.equal(d?.TableName, 'ondemand');
    await rejectsWith(
      client.send(new DescribeTableCommand({ TableName: 'ondemand' })),
      'ResourceNotFoundException',
      'Requested resource not found: Table: ondemand not found',
    );
    await rejectsWith(
      client.send(new DeleteTableCommand({ TableName: 'ondemand' })),
      'ResourceNotFoundException',
      'Requested resource not found: Table: ondemand not found',
    );
    assert.deepEqual((await client.send(new ListTablesCommand({}))).TableNames, ['provisioned', 'streamed']);
  });

  test('a re-created table is a new table', async () => {
    const first = await client.send(new CreateTableCommand(onDemand('again')));
    await client.send(new DeleteTableCommand({ TableName: 'again' }));
    const second = await client.send(new CreateTableCommand(onDemand('again')));
    assert.notEqual(first.TableDescription?.TableId, second.TableDescription?.TableId);
  });
});

describe('DescribeEndpoints and DescribeLimits', () => {
  test('the endpoint is the address the client used', async () => {
    const { Endpoints } = await client.send(new DescribeEndpointsCommand({}));
    assert.deepEqual(Endpoints, [{ Address: new URL(cairn.url).host, CachePeriodInMinutes: 1440 }]);
  });

  test("DynamoDB's default limits", async () => {
    const limits = await client.send(new DescribeLimitsCommand({}));
    assert.deepEqual(
      [limits.AccountMaxReadCapacityUnits, limits.AccountMaxWriteCapacityUnits, limits.TableMaxReadCapacityUnits, limits.TableMaxWriteCapacityUnits],
      [80000, 80000, 40000, 40000],
    );
  });
});

describe('durability and status delays', () => {
  test('tables survive a restart on the same data directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cairn-restart-'));
    try {
      const one = await startCairn({ dataDir: dir });
      const created = await one.client.send(new CreateTableCommand(onDemand('kept', { Tags: [{ Key: 'k', Value: 'v' }] })));
      await one.close();
      const two = await startCairn({ dataDir: dir });
      try {
        const { Table } = await two.client.send(new DescribeTableCommand({ TableName: 'kept' }));
        assert.equal(Table?.TableId, created.TableDescription?.TableId);
        assert.equal(Table?.TableStatus, 'ACTIVE');
        assert.deepEqual((await two.client.send(new ListTablesCommand({}))).TableNames, ['kept']);
      } finally {
        await two.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('with a status delay, tables report CREATING / UPDATING / DELETING for that long', async () => {
    const delayed = await startCairn({ inMemory: true, tableStatusDelayMs: 150 });
    const c = delayed.client;
    const status = async (): Promise<string | undefined> =>
      (await c.send(new DescribeTableCommand({ TableName: 'slow' }))).Table?.TableStatus;
    try {
      const created = await c.send(
        new CreateTableCommand({ ...onDemand('slow'), BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }),
      );
      assert.equal(created.TableDescription?.TableStatus, 'CREATING');
      await rejectsWith(
        c.send(new DeleteTableCommand({ TableName: 'slow' })),
        'ResourceInUseException',
        'Attempt to change a resource which is still in use: Table is being created: slow',
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(await status(), 'ACTIVE');
      const updated = await c.send(
        new UpdateTableCommand({ TableName: 'slow', ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 2 } }),
      );
      assert.equal(updated.TableDescription?.TableStatus, 'UPDATING');
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(await status(), 'ACTIVE');
      const deleted = await c.send(new DeleteTableCommand({ TableName: 'slow' }));
      assert.equal(deleted.TableDescription?.TableStatus, 'DELETING');
      assert.equal(await status(), 'DELETING');
      assert.deepEqual((await c.send(new ListTablesCommand({}))).TableNames, ['slow']);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await rejectsWith(c.send(new DescribeTableCommand({ TableName: 'slow' })), 'ResourceNotFoundException', 'Requested resource not found: Table: slow not found');
      assert.deepEqual((await c.send(new ListTablesCommand({}))).TableNames, []);
    } finally {
      await delayed.close();
    }
  });
});
