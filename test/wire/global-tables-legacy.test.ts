/**
 * Global tables version 2017.11.29 (the legacy API) on one server: CreateGlobalTable joins tables that already
 * exist in each region, DescribeGlobalTable / ListGlobalTables describe the group, and writes replicate as they do
 * for a 2019.11.21 global table.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateGlobalTableCommand,
  CreateTableCommand,
  DescribeGlobalTableCommand,
  DescribeGlobalTableSettingsCommand,
  DescribeTableCommand,
  DescribeTableReplicaAutoScalingCommand,
  GetItemCommand,
  ListGlobalTablesCommand,
  PutItemCommand,
  UpdateGlobalTableCommand,
  UpdateGlobalTableSettingsCommand,
  UpdateTableCommand,
  UpdateTableReplicaAutoScalingCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { startCairn, type Cairn } from '../helpers/cairn.js';
import { INVALID, rejectsWith } from '../helpers/assertions.js';
import { eventuallyPasses } from '../helpers/eventually.js';

const CREDENTIALS = { accessKeyId: 'AKID', secretAccessKey: 'secret' };
const ACCOUNT = '000000000000';

let cairn: Cairn;
let east: DynamoDBClient;
let west: DynamoDBClient;
let south: DynamoDBClient;

before(async () => {
  cairn = await startCairn({ inMemory: true });
  east = cairn.client;
  west = cairn.clientAs(CREDENTIALS, 'eu-west-1');
  south = cairn.clientAs(CREDENTIALS, 'ap-south-1');
});
after(async () => {
  await cairn.close();
});


/** The table a legacy global table is made of: streams with new and old images, as DynamoDB requires. */
async function createTable(client: DynamoDBClient, name: string, extra: Partial<CreateTableCommandInput> = {}): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      ...extra,
    }),
  );
}

function createGlobal(client: DynamoDBClient, name: string, regions: readonly string[]) {
  return client.send(new CreateGlobalTableCommand({ GlobalTableName: name, ReplicationGroup: regions.map((RegionName) => ({ RegionName })) }));
}

describe('CreateGlobalTable', () => {
  test('joins the tables of each region; writes replicate both ways', async () => {
    await createTable(east, 'legacy');
    await createTable(west, 'legacy');
    const before = Date.now() / 1000;
    const { GlobalTableDescription: created } = await createGlobal(east, 'legacy', ['us-east-1', 'eu-west-1']);
    const createdAt = created?.CreationDateTime?.getTime() ?? 0;
    assert.ok(createdAt / 1000 >= Math.floor(before) && createdAt <= Date.now(), String(createdAt));
    assert.deepEqual(created, {
      ReplicationGroup: [{ RegionName: 'us-east-1' }, { RegionName: 'eu-west-1' }],
      GlobalTableArn: `arn:aws:dynamodb::${ACCOUNT}:global-table/legacy`,
      CreationDateTime: created?.CreationDateTime,
      GlobalTableStatus: 'CREATING',
      GlobalTableName: 'legacy',
    });

    const { GlobalTableDescription: described } = await west.send(new DescribeGlobalTableCommand({ GlobalTableName: 'legacy' }));
    assert.deepEqual(described, { ...created, GlobalTableStatus: 'ACTIVE' });

    // DescribeTable says the version in each region, and lists no 2019.11.21 Replicas.
    for (const client of [east, west]) {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: 'legacy' }));
      assert.equal(Table?.GlobalTableVersion, '2017.11.29');
      assert.equal(Table?.Replicas, undefined);
    }

    await east.send(new PutItemCommand({ TableName: 'legacy', Item: { id: { S: 'a' }, v: { S: 'from east' } } }));
    await west.send(new PutItemCommand({ TableName: 'legacy', Item: { id: { S: 'b' }, v: { S: 'from west' } } }));
    await eventuallyPasses(async () => {
      const { Item } = await west.send(new GetItemCommand({ TableName: 'legacy', Key: { id: { S: 'a' } }, ConsistentRead: true }));
      assert.deepEqual(Item, { id: { S: 'a' }, v: { S: 'from east' } });
    });
    await eventuallyPasses(async () => {
      const { Item } = await east.send(new GetItemCommand({ TableName: 'legacy', Key: { id: { S: 'b' } }, ConsistentRead: true }));
      assert.deepEqual(Item, { id: { S: 'b' }, v: { S: 'from west' } });
    });
  });

  test('a global table of that name already exists', async () => {
    await createTable(east, 'twice');
    await createGlobal(east, 'twice', ['us-east-1']);
    await rejectsWith(
      createGlobal(west, 'twice', ['us-east-1']),
      'GlobalTableAlreadyExistsException',
      "Global table already exists: Global table with name: 'twice' already exists.",
    );
  });

  test('several at once: one is created, the others find it', async () => {
    await createTable(east, 'race');
    await createTable(west, 'race');
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, at) => createGlobal(at % 2 === 0 ? east : west, 'race', ['us-east-1', 'eu-west-1'])));
    assert.equal(results.filter((result) => result.status === 'fulfilled').length, 1);
    for (const result of results) {
      if (result.status === 'rejected') assert.equal((result.reason as Error).name, 'GlobalTableAlreadyExistsException');
    }
  });

  test('a region without the table', async () => {
    await createTable(east, 'missing');
    await rejectsWith(
      createGlobal(east, 'missing', ['us-east-1', 'eu-west-1']),
      'TableNotFoundException',
      "Table not found: Table: 'missing' not found in region: 'eu-west-1'.",
    );
    // Nothing changed: the table in us-east-1 is not part of a global table.
    const { Table } = await east.send(new DescribeTableCommand({ TableName: 'missing' }));
    assert.equal(Table?.GlobalTableVersion, undefined);
  });

  test('a table without a NEW_AND_OLD_IMAGES stream', async () => {
    await createTable(east, 'nostream');
    await createTable(west, 'nostream', { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } });
    await createTable(south, 'nostream', { StreamSpecification: undefined });
    await rejectsWith(
      createGlobal(east, 'nostream', ['us-east-1', 'eu-west-1']),
      'ValidationException',
      `${INVALID}Table: nostream in region: eu-west-1 must have DynamoDB Streams enabled with StreamViewType NEW_AND_OLD_IMAGES`,
    );
    await rejectsWith(
      createGlobal(east, 'nostream', ['ap-south-1']),
      'ValidationException',
      `${INVALID}Table: nostream in region: ap-south-1 must have DynamoDB Streams enabled with StreamViewType NEW_AND_OLD_IMAGES`,
    );
  });

  test('a table that is not empty', async () => {
    await createTable(east, 'full');
    await createTable(west, 'full');
    await west.send(new PutItemCommand({ TableName: 'full', Item: { id: { S: 'x' } } }));
    await rejectsWith(createGlobal(east, 'full', ['us-east-1', 'eu-west-1']), 'ValidationException', `${INVALID}Table: full in region: eu-west-1 must be empty`);
  });

  test('tables with another key schema or other indexes', async () => {
    await createTable(east, 'unlike');
    await createTable(west, 'unlike', {
      AttributeDefinitions: [
        { AttributeName: 'id', AttributeType: 'S' },
        { AttributeName: 'g', AttributeType: 'S' },
      ],
      GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
    });
    await createTable(south, 'unlike', { AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'N' }] });
    const message = (region: string) => `${INVALID}Table: unlike in region: ${region} must have the same key schema and secondary indexes as the other replicas`;
    await rejectsWith(createGlobal(east, 'unlike', ['us-east-1', 'eu-west-1']), 'ValidationException', message('eu-west-1'));
    await rejectsWith(createGlobal(east, 'unlike', ['us-east-1', 'ap-south-1']), 'ValidationException', message('ap-south-1'));
  });

  test('the same region twice, or none', async () => {
    await createTable(east, 'dup');
    await rejectsWith(
      createGlobal(east, 'dup', ['us-east-1', 'us-east-1']),
      'ValidationException',
      `${INVALID}Duplicate region in ReplicationGroup: us-east-1`,
    );
    await rejectsWith(createGlobal(east, 'dup', []), 'ValidationException', `${INVALID}ReplicationGroup must not be empty`);
  });

  test('a malformed name is refused by the request validation', async () => {
    await rejectsWith(
      createGlobal(east, 'a!', ['us-east-1']),
      'ValidationException',
      "2 validation errors detected: Value 'a!' at 'globalTableName' failed to satisfy constraint: Member must have length greater than or equal to 3; " +
        "Value 'a!' at 'globalTableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
    );
  });
});

describe('DescribeGlobalTable', () => {
  test('an unknown global table, or a table that is not a legacy global table', async () => {
    await createTable(east, 'plain');
    for (const name of ['nothing', 'plain']) {
      await rejectsWith(
        east.send(new DescribeGlobalTableCommand({ GlobalTableName: name })),
        'GlobalTableNotFoundException',
        `Global table not found: Global table with name: '${name}' does not exist.`,
      );
    }
  });
});

describe('ListGlobalTables', () => {
  test('lists legacy global tables in name order, by region, a page at a time', async () => {
    await createTable(east, 'list-b');
    await createTable(south, 'list-b');
    await createGlobal(east, 'list-b', ['us-east-1', 'ap-south-1']);
    await createTable(west, 'list-a');
    await createGlobal(east, 'list-a', ['eu-west-1']);

    const { GlobalTables: all } = await east.send(new ListGlobalTablesCommand({}));
    const listed = (all ?? []).filter((table) => table.GlobalTableName?.startsWith('list-'));
    assert.deepEqual(listed, [
      { GlobalTableName: 'list-a', ReplicationGroup: [{ RegionName: 'eu-west-1' }] },
      { GlobalTableName: 'list-b', ReplicationGroup: [{ RegionName: 'us-east-1' }, { RegionName: 'ap-south-1' }] },
    ]);

    const inSouth = await west.send(new ListGlobalTablesCommand({ RegionName: 'ap-south-1', ExclusiveStartGlobalTableName: 'list-' }));
    assert.deepEqual(inSouth, {
      $metadata: inSouth.$metadata,
      GlobalTables: [{ GlobalTableName: 'list-b', ReplicationGroup: [{ RegionName: 'us-east-1' }, { RegionName: 'ap-south-1' }] }],
    });

    const first = await east.send(new ListGlobalTablesCommand({ ExclusiveStartGlobalTableName: 'list-', Limit: 1 }));
    assert.deepEqual(first.GlobalTables, [{ GlobalTableName: 'list-a', ReplicationGroup: [{ RegionName: 'eu-west-1' }] }]);
    assert.equal(first.LastEvaluatedGlobalTableName, 'list-a');
  });
});

describe('UpdateGlobalTable', () => {
  const update = (client: DynamoDBClient, name: string, updates: { Create?: { RegionName: string }; Delete?: { RegionName: string } }[]) =>
    client.send(new UpdateGlobalTableCommand({ GlobalTableName: name, ReplicaUpdates: updates }));

  test('a region added to a group with items gets them, then follows writes; a region taken out stops', async () => {
    await createTable(east, 'grow');
    await createTable(west, 'grow');
    await createGlobal(east, 'grow', ['us-east-1']);
    for (let i = 0; i < 30; i++) await east.send(new PutItemCommand({ TableName: 'grow', Item: { id: { S: `k${i}` }, v: { N: String(i) } } }));

    const { GlobalTableDescription: grown } = await update(east, 'grow', [{ Create: { RegionName: 'eu-west-1' } }]);
    assert.deepEqual(grown, {
      ReplicationGroup: [{ RegionName: 'us-east-1' }, { RegionName: 'eu-west-1' }],
      GlobalTableArn: `arn:aws:dynamodb::${ACCOUNT}:global-table/grow`,
      CreationDateTime: grown?.CreationDateTime,
      GlobalTableStatus: 'UPDATING',
      GlobalTableName: 'grow',
    });
    await eventuallyPasses(async () => {
      const { GlobalTableDescription } = await east.send(new DescribeGlobalTableCommand({ GlobalTableName: 'grow' }));
      assert.equal(GlobalTableDescription?.GlobalTableStatus, 'ACTIVE');
    }, 5000);
    const { Item: copied } = await west.send(new GetItemCommand({ TableName: 'grow', Key: { id: { S: 'k29' } }, ConsistentRead: true }));
    assert.deepEqual(copied, { id: { S: 'k29' }, v: { N: '29' } });
    await west.send(new PutItemCommand({ TableName: 'grow', Item: { id: { S: 'w' }, v: { S: 'west' } } }));
    await eventuallyPasses(async () => {
      const { Item } = await east.send(new GetItemCommand({ TableName: 'grow', Key: { id: { S: 'w' } }, ConsistentRead: true }));
      assert.deepEqual(Item, { id: { S: 'w' }, v: { S: 'west' } });
    });

    const { GlobalTableDescription: shrunk } = await update(west, 'grow', [{ Delete: { RegionName: 'eu-west-1' } }]);
    assert.deepEqual(shrunk?.ReplicationGroup, [{ RegionName: 'us-east-1' }]);
    // The table that left is a plain table again, and no longer receives the group's writes.
    const { Table } = await west.send(new DescribeTableCommand({ TableName: 'grow' }));
    assert.equal(Table?.GlobalTableVersion, undefined);
    await east.send(new PutItemCommand({ TableName: 'grow', Item: { id: { S: 'after' } } }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const { Item: after } = await west.send(new GetItemCommand({ TableName: 'grow', Key: { id: { S: 'after' } }, ConsistentRead: true }));
    assert.equal(after, undefined);
    const { GlobalTableDescription } = await east.send(new DescribeGlobalTableCommand({ GlobalTableName: 'grow' }));
    assert.deepEqual(GlobalTableDescription?.ReplicationGroup, [{ RegionName: 'us-east-1' }]);
  });

  test('errors: no such global table, a region already in it or not in it, a table missing or unfit', async () => {
    await createTable(east, 'upd');
    await createTable(south, 'upd', { StreamSpecification: undefined });
    await createGlobal(east, 'upd', ['us-east-1']);
    await rejectsWith(
      update(east, 'upd-none', [{ Create: { RegionName: 'eu-west-1' } }]),
      'GlobalTableNotFoundException',
      "Global table not found: Global table with name: 'upd-none' does not exist.",
    );
    await rejectsWith(
      update(east, 'upd', [{ Create: { RegionName: 'us-east-1' } }]),
      'ReplicaAlreadyExistsException',
      "Replica already exists: Replica for table: 'upd' already exists in region: 'us-east-1'.",
    );
    await rejectsWith(
      update(east, 'upd', [{ Delete: { RegionName: 'eu-west-1' } }]),
      'ReplicaNotFoundException',
      "Replica not found: Replica for table: 'upd' does not exist in region: 'eu-west-1'.",
    );
    await rejectsWith(
      update(east, 'upd', [{ Create: { RegionName: 'eu-west-1' } }]),
      'TableNotFoundException',
      "Table not found: Table: 'upd' not found in region: 'eu-west-1'.",
    );
    await rejectsWith(
      update(east, 'upd', [{ Create: { RegionName: 'ap-south-1' } }]),
      'ValidationException',
      `${INVALID}Table: upd in region: ap-south-1 must have DynamoDB Streams enabled with StreamViewType NEW_AND_OLD_IMAGES`,
    );
    await rejectsWith(
      update(east, 'upd', [{ Create: { RegionName: 'eu-west-1' }, Delete: { RegionName: 'eu-west-1' } }]),
      'ValidationException',
      `${INVALID}Exactly one of ReplicaUpdate.Create or ReplicaUpdate.Delete must be given`,
    );
    await rejectsWith(update(east, 'upd', []), 'ValidationException', `${INVALID}ReplicaUpdates must not be empty`);
    // Checked together: the second update fails, so the first is not made.
    await createTable(west, 'upd');
    await rejectsWith(
      update(east, 'upd', [{ Create: { RegionName: 'eu-west-1' } }, { Delete: { RegionName: 'ca-central-1' } }]),
      'ReplicaNotFoundException',
      "Replica not found: Replica for table: 'upd' does not exist in region: 'ca-central-1'.",
    );
    const { GlobalTableDescription } = await east.send(new DescribeGlobalTableCommand({ GlobalTableName: 'upd' }));
    assert.deepEqual(GlobalTableDescription?.ReplicationGroup, [{ RegionName: 'us-east-1' }]);
  });

  test("UpdateTable's ReplicaUpdates are refused on a legacy global table", async () => {
    await createTable(east, 'mixed');
    await createGlobal(east, 'mixed', ['us-east-1']);
    await rejectsWith(
      east.send(new UpdateTableCommand({ TableName: 'mixed', ReplicaUpdates: [{ Create: { RegionName: 'eu-west-1' } }] })),
      'ValidationException',
      `${INVALID}Table mixed is part of a global table of version 2017.11.29: use UpdateGlobalTable to change its replicas`,
    );
  });
});

describe('global table settings', () => {
  const provisioned: Partial<CreateTableCommandInput> = {
    AttributeDefinitions: [
      { AttributeName: 'id', AttributeType: 'S' },
      { AttributeName: 'g', AttributeType: 'S' },
    ],
    BillingMode: 'PROVISIONED',
    ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
    GlobalSecondaryIndexes: [
      {
        IndexName: 'byG',
        KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'KEYS_ONLY' },
        ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 3 },
      },
    ],
  };

  test("describes each replica, and updates the group's write capacity and each replica's read capacity and class", async () => {
    await createTable(east, 'settings', provisioned);
    await createTable(west, 'settings', provisioned);
    await createGlobal(east, 'settings', ['us-east-1', 'eu-west-1']);
    const replica = (region: string, read: number, write: number, indexRead: number, indexWrite: number) => ({
      RegionName: region,
      ReplicaStatus: 'ACTIVE',
      ReplicaBillingModeSummary: { BillingMode: 'PROVISIONED' },
      ReplicaProvisionedReadCapacityUnits: read,
      ReplicaProvisionedWriteCapacityUnits: write,
      ReplicaGlobalSecondaryIndexSettings: [
        { IndexName: 'byG', IndexStatus: 'ACTIVE', ProvisionedReadCapacityUnits: indexRead, ProvisionedWriteCapacityUnits: indexWrite },
      ],
    });
    const described = await west.send(new DescribeGlobalTableSettingsCommand({ GlobalTableName: 'settings' }));
    assert.deepEqual(described, {
      $metadata: described.$metadata,
      GlobalTableName: 'settings',
      ReplicaSettings: [replica('us-east-1', 5, 5, 3, 3), replica('eu-west-1', 5, 5, 3, 3)],
    });

    const updated = await east.send(
      new UpdateGlobalTableSettingsCommand({
        GlobalTableName: 'settings',
        GlobalTableProvisionedWriteCapacityUnits: 12,
        GlobalTableGlobalSecondaryIndexSettingsUpdate: [{ IndexName: 'byG', ProvisionedWriteCapacityUnits: 8 }],
        ReplicaSettingsUpdate: [
          {
            RegionName: 'eu-west-1',
            ReplicaProvisionedReadCapacityUnits: 20,
            ReplicaGlobalSecondaryIndexSettingsUpdate: [{ IndexName: 'byG', ProvisionedReadCapacityUnits: 9 }],
            ReplicaTableClass: 'STANDARD_INFREQUENT_ACCESS',
          },
        ],
      }),
    );
    assert.deepEqual(updated.ReplicaSettings, [
      replica('us-east-1', 5, 12, 3, 8),
      { ...replica('eu-west-1', 20, 12, 9, 8), ReplicaTableClassSummary: { TableClass: 'STANDARD_INFREQUENT_ACCESS' } },
    ]);
    // The replicas' own tables carry the settings.
    const { Table } = await west.send(new DescribeTableCommand({ TableName: 'settings' }));
    assert.equal(Table?.ProvisionedThroughput?.ReadCapacityUnits, 20);
    assert.equal(Table?.ProvisionedThroughput?.WriteCapacityUnits, 12);
    assert.equal(Table?.GlobalSecondaryIndexes?.[0]?.ProvisionedThroughput?.ReadCapacityUnits, 9);
    assert.deepEqual(Table?.TableClassSummary, { TableClass: 'STANDARD_INFREQUENT_ACCESS' });

    // On-demand for the whole group.
    const onDemand = await east.send(new UpdateGlobalTableSettingsCommand({ GlobalTableName: 'settings', GlobalTableBillingMode: 'PAY_PER_REQUEST' }));
    for (const settings of onDemand.ReplicaSettings ?? []) {
      assert.equal(settings.ReplicaBillingModeSummary?.BillingMode, 'PAY_PER_REQUEST');
      assert.ok(settings.ReplicaBillingModeSummary?.LastUpdateToPayPerRequestDateTime instanceof Date);
      assert.equal(settings.ReplicaProvisionedReadCapacityUnits, 0);
      assert.deepEqual(settings.ReplicaGlobalSecondaryIndexSettings, [{ IndexName: 'byG', IndexStatus: 'ACTIVE' }]);
    }
  });

  test('errors, and nothing changed by a refused update', async () => {
    await createTable(east, 'settings-bad', provisioned);
    await createGlobal(east, 'settings-bad', ['us-east-1']);
    await rejectsWith(
      east.send(new DescribeGlobalTableSettingsCommand({ GlobalTableName: 'settings-none' })),
      'GlobalTableNotFoundException',
      "Global table not found: Global table with name: 'settings-none' does not exist.",
    );
    const update = (input: Omit<ConstructorParameters<typeof UpdateGlobalTableSettingsCommand>[0], 'GlobalTableName'>) =>
      east.send(new UpdateGlobalTableSettingsCommand({ GlobalTableName: 'settings-bad', ...input }));
    await rejectsWith(
      update({ GlobalTableProvisionedWriteCapacityUnits: 7, ReplicaSettingsUpdate: [{ RegionName: 'eu-west-1', ReplicaProvisionedReadCapacityUnits: 2 }] }),
      'ReplicaNotFoundException',
      "Replica not found: Replica for table: 'settings-bad' does not exist in region: 'eu-west-1'.",
    );
    await rejectsWith(
      update({ GlobalTableProvisionedWriteCapacityUnits: 7, GlobalTableGlobalSecondaryIndexSettingsUpdate: [{ IndexName: 'nope', ProvisionedWriteCapacityUnits: 2 }] }),
      'IndexNotFoundException',
      'Requested resource not found: Index nope for table settings-bad',
    );
    await rejectsWith(
      update({ GlobalTableBillingMode: 'PAY_PER_REQUEST', GlobalTableProvisionedWriteCapacityUnits: 7 }),
      'ValidationException',
      `${INVALID}Provisioned capacity units cannot be specified when GlobalTableBillingMode is PAY_PER_REQUEST`,
    );
    await rejectsWith(
      update({ GlobalTableProvisionedWriteCapacityAutoScalingSettingsUpdate: { MinimumUnits: 10, MaximumUnits: 1 } }),
      'ValidationException',
      `${INVALID}MinimumUnits (10) must not be greater than MaximumUnits (1) for the table's write capacity`,
    );
    const { ReplicaSettings } = await east.send(new DescribeGlobalTableSettingsCommand({ GlobalTableName: 'settings-bad' }));
    assert.equal(ReplicaSettings?.[0]?.ReplicaProvisionedWriteCapacityUnits, 5);
  });
});

describe('auto scaling settings (recorded and described)', () => {
  const ROLE = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/dynamodb.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_DynamoDBTable`;
  const provisioned: Partial<CreateTableCommandInput> = { BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } };

  test("UpdateTableReplicaAutoScaling sets the group's write settings and a replica's read settings", async () => {
    await createTable(east, 'scaled', provisioned);
    await createTable(west, 'scaled', provisioned);
    await createGlobal(east, 'scaled', ['us-east-1', 'eu-west-1']);
    const { TableAutoScalingDescription } = await east.send(
      new UpdateTableReplicaAutoScalingCommand({
        TableName: 'scaled',
        ProvisionedWriteCapacityAutoScalingUpdate: {
          MinimumUnits: 5,
          MaximumUnits: 50,
          ScalingPolicyUpdate: { TargetTrackingScalingPolicyConfiguration: { TargetValue: 70 } },
        },
        ReplicaUpdates: [{ RegionName: 'eu-west-1', ReplicaProvisionedReadCapacityAutoScalingUpdate: { MinimumUnits: 2, MaximumUnits: 20, AutoScalingDisabled: true } }],
      }),
    );
    const write = {
      MinimumUnits: 5,
      MaximumUnits: 50,
      AutoScalingDisabled: false,
      AutoScalingRoleArn: ROLE,
      ScalingPolicies: [{ PolicyName: 'DynamoDBWriteCapacityUtilization:table/scaled', TargetTrackingScalingPolicyConfiguration: { TargetValue: 70 } }],
    };
    const expected = {
      TableName: 'scaled',
      TableStatus: 'ACTIVE',
      Replicas: [
        { RegionName: 'us-east-1', GlobalSecondaryIndexes: [], ReplicaProvisionedWriteCapacityAutoScalingSettings: write, ReplicaStatus: 'ACTIVE' },
        {
          RegionName: 'eu-west-1',
          GlobalSecondaryIndexes: [],
          ReplicaProvisionedReadCapacityAutoScalingSettings: { MinimumUnits: 2, MaximumUnits: 20, AutoScalingDisabled: true, AutoScalingRoleArn: ROLE, ScalingPolicies: [] },
          ReplicaProvisionedWriteCapacityAutoScalingSettings: write,
          ReplicaStatus: 'ACTIVE',
        },
      ],
    };
    assert.deepEqual(TableAutoScalingDescription, expected);
    const described = await west.send(new DescribeTableReplicaAutoScalingCommand({ TableName: 'scaled' }));
    assert.deepEqual(described.TableAutoScalingDescription, expected);
    // DescribeGlobalTableSettings shows the same settings.
    const { ReplicaSettings } = await east.send(new DescribeGlobalTableSettingsCommand({ GlobalTableName: 'scaled' }));
    assert.deepEqual(ReplicaSettings?.[1]?.ReplicaProvisionedWriteCapacityAutoScalingSettings, write);
    assert.equal(ReplicaSettings?.[0]?.ReplicaProvisionedReadCapacityAutoScalingSettings, undefined);
  });

  test('errors: unknown table, region not in the group, on-demand table, bad target, nothing asked', async () => {
    await createTable(east, 'scaled-bad', provisioned);
    await createTable(east, 'scaled-od');
    await rejectsWith(
      east.send(new DescribeTableReplicaAutoScalingCommand({ TableName: 'scaled-none' })),
      'ResourceNotFoundException',
      'Requested resource not found: Table: scaled-none not found',
    );
    const update = (input: ConstructorParameters<typeof UpdateTableReplicaAutoScalingCommand>[0]) => east.send(new UpdateTableReplicaAutoScalingCommand(input));
    await rejectsWith(
      update({ TableName: 'scaled-bad', ReplicaUpdates: [{ RegionName: 'eu-west-1' }] }),
      'ValidationException',
      `${INVALID}Table scaled-bad has no replica in region eu-west-1`,
    );
    await rejectsWith(
      update({ TableName: 'scaled-od', ProvisionedWriteCapacityAutoScalingUpdate: { MinimumUnits: 1, MaximumUnits: 2 } }),
      'ValidationException',
      `${INVALID}Auto scaling cannot be configured for the table's write capacity of table scaled-od in region us-east-1: its billing mode is PAY_PER_REQUEST`,
    );
    await rejectsWith(
      update({
        TableName: 'scaled-bad',
        ProvisionedWriteCapacityAutoScalingUpdate: { MinimumUnits: 1, MaximumUnits: 2, ScalingPolicyUpdate: { TargetTrackingScalingPolicyConfiguration: { TargetValue: 95 } } },
      }),
      'ValidationException',
      `${INVALID}TargetValue must be a number between 20 and 90 for the table's write capacity`,
    );
    await rejectsWith(
      update({ TableName: 'scaled-bad' }),
      'ValidationException',
      'At least one of ProvisionedWriteCapacityAutoScalingUpdate, GlobalSecondaryIndexUpdates or ReplicaUpdates is required',
    );
  });
});
