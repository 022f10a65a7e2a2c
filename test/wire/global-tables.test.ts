/**
 * Global tables (version 2019.11.21) on one server: replicas in other regions of the same account, created by
 * UpdateTable ReplicaUpdates, filled by a copy, and kept in step in both directions with last writer wins.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateTableCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type AttributeValue,
  type DynamoDBClient,
  type ReplicationGroupUpdate,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, DescribeStreamCommand } from '@aws-sdk/client-dynamodb-streams';
import { startCairn, type Cairn } from '../helpers/cairn.js';
import { INVALID, rejectsWith } from '../helpers/assertions.js';
import { eventuallyPasses } from '../helpers/eventually.js';

const CREDENTIALS = { accessKeyId: 'AKID', secretAccessKey: 'secret' };

let cairn: Cairn;
let east: DynamoDBClient;
let west: DynamoDBClient;
let south: DynamoDBClient;

before(async () => {
  cairn = await startCairn({ inMemory: true, ttlSweepIntervalMs: 100, ttlChangeIntervalMs: 0 });
  east = cairn.client;
  west = cairn.clientAs(CREDENTIALS, 'eu-west-1');
  south = cairn.clientAs(CREDENTIALS, 'ap-south-1');
});
after(async () => {
  await cairn.close();
});


async function createTable(name: string, extra: Partial<ConstructorParameters<typeof CreateTableCommand>[0]> = {}): Promise<void> {
  await east.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [
        { AttributeName: 'id', AttributeType: 'S' },
        { AttributeName: 'g', AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
      BillingMode: 'PAY_PER_REQUEST',
      ...extra,
    }),
  );
}

async function addReplica(client: DynamoDBClient, name: string, region: string, extra: Partial<ReplicationGroupUpdate['Create']> = {}) {
  return client.send(new UpdateTableCommand({ TableName: name, ReplicaUpdates: [{ Create: { RegionName: region, ...extra } }] }));
}

async function waitActive(client: DynamoDBClient, name: string): Promise<void> {
  await eventuallyPasses(async () => {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
    assert.ok((Table?.Replicas ?? []).every((replica) => replica.ReplicaStatus === 'ACTIVE'), JSON.stringify(Table?.Replicas));
  }, 5000);
}

/** A full scan, sorted by id, as comparable JSON. */
async function scanAll(client: DynamoDBClient, name: string): Promise<Record<string, AttributeValue>[]> {
  const items: Record<string, AttributeValue>[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: name, ConsistentRead: true, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return items.sort((a, b) => (a.id?.S ?? '').localeCompare(b.id?.S ?? ''));
}

function item(id: string, value: string): Record<string, AttributeValue> {
  return { id: { S: id }, v: { S: value }, g: { S: 'group' } };
}

describe('creating a replica', () => {
  test('copies the existing items, then follows writes in both directions', async () => {
    await createTable('copied');
    for (let i = 0; i < 40; i++) await east.send(new PutItemCommand({ TableName: 'copied', Item: item(`k${i}`, `v${i}`) }));
    const { TableDescription } = await addReplica(east, 'copied', 'eu-west-1', {
      KMSMasterKeyId: 'alias/replica-key',
      TableClassOverride: 'STANDARD_INFREQUENT_ACCESS',
      GlobalSecondaryIndexes: [{ IndexName: 'byG', ProvisionedThroughputOverride: { ReadCapacityUnits: 7 } }],
    });
    assert.equal(TableDescription?.GlobalTableVersion, '2019.11.21');
    // The copy runs in the background: the share copied by the time of the answer depends on the machine.
    const progress = TableDescription?.Replicas?.[0]?.ReplicaStatusPercentProgress ?? '';
    assert.match(progress, /^[0-9]{1,2}$/);
    assert.deepEqual(TableDescription?.Replicas, [
      {
        RegionName: 'eu-west-1',
        ReplicaStatus: 'CREATING',
        ReplicaStatusPercentProgress: progress,
        KMSMasterKeyId: 'alias/replica-key',
        GlobalSecondaryIndexes: [{ IndexName: 'byG', ProvisionedThroughputOverride: { ReadCapacityUnits: 7 } }],
        ReplicaTableClassSummary: { TableClass: 'STANDARD_INFREQUENT_ACCESS' },
      },
    ]);
    // Streams with new and old images are enabled for the table, as DynamoDB does when the first replica is added.
    assert.deepEqual(TableDescription?.StreamSpecification, { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    await waitActive(east, 'copied');

    const { Table: replica } = await west.send(new DescribeTableCommand({ TableName: 'copied' }));
    assert.equal(replica?.GlobalTableVersion, '2019.11.21');
    assert.deepEqual(replica?.Replicas, [{ RegionName: 'us-east-1', ReplicaStatus: 'ACTIVE' }]);
    assert.deepEqual(replica?.KeySchema, [{ AttributeName: 'id', KeyType: 'HASH' }]);
    assert.equal(replica?.GlobalSecondaryIndexes?.[0]?.IndexName, 'byG');
    assert.deepEqual(replica?.StreamSpecification, { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    assert.equal(replica?.TableArn, 'arn:aws:dynamodb:eu-west-1:000000000000:table/copied');
    assert.deepEqual(replica?.TableClassSummary, { TableClass: 'STANDARD_INFREQUENT_ACCESS' });
    assert.deepEqual(await scanAll(west, 'copied'), await scanAll(east, 'copied'));
    assert.equal((await scanAll(west, 'copied')).length, 40);

    // us-east-1 -> eu-west-1
    await east.send(new PutItemCommand({ TableName: 'copied', Item: item('new-east', 'e') }));
    await eventuallyPasses(async () => {
      const { Item } = await west.send(new GetItemCommand({ TableName: 'copied', Key: { id: { S: 'new-east' } } }));
      assert.deepEqual(Item, item('new-east', 'e'));
    });
    // eu-west-1 -> us-east-1, and an update, which replicates as the whole new item
    await west.send(new PutItemCommand({ TableName: 'copied', Item: item('new-west', 'w') }));
    await west.send(
      new UpdateItemCommand({
        TableName: 'copied',
        Key: { id: { S: 'k1' } },
        UpdateExpression: 'SET v = :v',
        ExpressionAttributeValues: { ':v': { S: 'changed in eu-west-1' } },
      }),
    );
    await eventuallyPasses(async () => {
      const { Item } = await east.send(new GetItemCommand({ TableName: 'copied', Key: { id: { S: 'new-west' } } }));
      assert.deepEqual(Item, item('new-west', 'w'));
      const { Item: k1 } = await east.send(new GetItemCommand({ TableName: 'copied', Key: { id: { S: 'k1' } } }));
      assert.deepEqual(k1, item('k1', 'changed in eu-west-1'));
    });
    // The replica's index is maintained by the replicated writes.
    const { Items } = await west.send(
      new ScanCommand({ TableName: 'copied', IndexName: 'byG', Select: 'COUNT' }),
    ).then((page) => ({ Items: page.Count }));
    assert.equal(Items, 42);
  });

  test('a replicated write appears in the replica stream as an ordinary record', async () => {
    await createTable('streamed');
    await addReplica(east, 'streamed', 'eu-west-1');
    await waitActive(east, 'streamed');
    await east.send(new PutItemCommand({ TableName: 'streamed', Item: item('a', '1') }));
    const streams = new DynamoDBStreamsClient({ region: 'eu-west-1', endpoint: cairn.url, credentials: CREDENTIALS, maxAttempts: 1 });
    const { Table } = await west.send(new DescribeTableCommand({ TableName: 'streamed' }));
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: Table?.LatestStreamArn }));
    const shardId = StreamDescription?.Shards?.[0]?.ShardId;
    const { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({ StreamArn: Table?.LatestStreamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    await eventuallyPasses(async () => {
      const { Records } = await streams.send(new GetRecordsCommand({ ShardIterator }));
      assert.equal(Records?.length, 1);
      assert.equal(Records?.[0]?.eventName, 'INSERT');
      assert.equal(Records?.[0]?.awsRegion, 'eu-west-1');
      assert.deepEqual(Records?.[0]?.dynamodb?.NewImage, item('a', '1'));
      assert.equal(Records?.[0]?.userIdentity, undefined);
      assert.equal('replication' in (Records?.[0] ?? {}), false);
    });
    streams.destroy();
  });
});

describe('a table with a KEYS_ONLY stream', () => {
  test('may be global: its stream stays KEYS_ONLY, and replication carries whole items', async () => {
    await createTable('keysOnly', { StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } });
    const { TableDescription } = await addReplica(east, 'keysOnly', 'eu-west-1');
    assert.deepEqual(TableDescription?.StreamSpecification, { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' });
    await waitActive(east, 'keysOnly');
    await east.send(new PutItemCommand({ TableName: 'keysOnly', Item: item('whole', 'item') }));
    await eventuallyPasses(async () => {
      const { Item } = await west.send(new GetItemCommand({ TableName: 'keysOnly', Key: { id: { S: 'whole' } } }));
      assert.deepEqual(Item, item('whole', 'item'));
    });
    // The Streams API still shows keys only.
    const streams = new DynamoDBStreamsClient({ region: 'us-east-1', endpoint: cairn.url, credentials: CREDENTIALS, maxAttempts: 1 });
    const { Table } = await east.send(new DescribeTableCommand({ TableName: 'keysOnly' }));
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: Table?.LatestStreamArn }));
    const { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: Table?.LatestStreamArn,
        ShardId: StreamDescription?.Shards?.[0]?.ShardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const { Records } = await streams.send(new GetRecordsCommand({ ShardIterator }));
    assert.deepEqual(Records?.[0]?.dynamodb?.Keys, { id: { S: 'whole' } });
    assert.equal(Records?.[0]?.dynamodb?.NewImage, undefined);
    assert.equal('replication' in (Records?.[0] ?? {}), false);
    streams.destroy();
  });
});

describe('replication', () => {
  before(async () => {
    await createTable('shared');
    await addReplica(east, 'shared', 'eu-west-1');
    await waitActive(east, 'shared');
    await addReplica(west, 'shared', 'ap-south-1');
    await waitActive(west, 'shared');
  });

  test('three replicas: every one lists the other two', async () => {
    for (const [client, others] of [
      [east, ['eu-west-1', 'ap-south-1']],
      [west, ['us-east-1', 'ap-south-1']],
      [south, ['us-east-1', 'eu-west-1']],
    ] as const) {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: 'shared' }));
      assert.deepEqual(
        Table?.Replicas?.map((replica) => replica.RegionName).sort(),
        [...others].sort(),
      );
    }
  });

  test('conflicting concurrent writes to the same keys converge to identical items everywhere', async () => {
    const clients = [east, west, south];
    const writes: Promise<unknown>[] = [];
    for (let round = 0; round < 20; round++) {
      for (const [position, client] of clients.entries()) {
        for (let key = 0; key < 5; key++) {
          writes.push(client.send(new PutItemCommand({ TableName: 'shared', Item: item(`c${key}`, `r${round}-from-${position}`) })));
        }
        writes.push(client.send(new DeleteItemCommand({ TableName: 'shared', Key: { id: { S: `c${round % 5}` } } })));
      }
    }
    await Promise.all(writes);
    await eventuallyPasses(async () => {
      const [a, b, c] = await Promise.all(clients.map((client) => scanAll(client, 'shared')));
      assert.deepEqual(b, a);
      assert.deepEqual(c, a);
    }, 5000);
  });

  test('an index created or deleted in one replica is created or deleted in every replica, and backfilled', async () => {
    await east.send(new PutItemCommand({ TableName: 'shared', Item: item('indexed', 'findme') }));
    await eventuallyPasses(async () => {
      const { Item } = await south.send(new GetItemCommand({ TableName: 'shared', Key: { id: { S: 'indexed' } } }));
      assert.ok(Item !== undefined);
    });
    await west.send(
      new UpdateTableCommand({
        TableName: 'shared',
        AttributeDefinitions: [{ AttributeName: 'v', AttributeType: 'S' }],
        GlobalSecondaryIndexUpdates: [
          { Create: { IndexName: 'byV', KeySchema: [{ AttributeName: 'v', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } } },
        ],
      }),
    );
    for (const client of [east, west, south]) {
      await eventuallyPasses(async () => {
        const { Table } = await client.send(new DescribeTableCommand({ TableName: 'shared' }));
        assert.equal(Table?.GlobalSecondaryIndexes?.find((index) => index.IndexName === 'byV')?.IndexStatus, 'ACTIVE');
        const { Items } = await client.send(
          new QueryCommand({
            TableName: 'shared',
            IndexName: 'byV',
            KeyConditionExpression: 'v = :v',
            ExpressionAttributeValues: { ':v': { S: 'findme' } },
          }),
        );
        assert.deepEqual(Items, [{ id: { S: 'indexed' }, v: { S: 'findme' } }]);
      }, 4000);
    }
    await south.send(new UpdateTableCommand({ TableName: 'shared', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byV' } }] }));
    for (const client of [east, west, south]) {
      await eventuallyPasses(async () => {
        const { Table } = await client.send(new DescribeTableCommand({ TableName: 'shared' }));
        assert.deepEqual(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName), ['byG']);
      }, 4000);
    }
  });

  test('deletes replicate', async () => {
    await east.send(new PutItemCommand({ TableName: 'shared', Item: item('gone', 'x') }));
    // In eu-west-1 too, where it is deleted: a delete that finds no item changes nothing, and replicates nothing.
    await eventuallyPasses(async () => {
      for (const client of [south, west]) {
        const { Item } = await client.send(new GetItemCommand({ TableName: 'shared', Key: { id: { S: 'gone' } } }));
        assert.ok(Item !== undefined);
      }
    });
    await west.send(new DeleteItemCommand({ TableName: 'shared', Key: { id: { S: 'gone' } } }));
    await eventuallyPasses(async () => {
      for (const client of [east, south]) {
        const { Item } = await client.send(new GetItemCommand({ TableName: 'shared', Key: { id: { S: 'gone' } } }));
        assert.equal(Item, undefined);
      }
    });
  });

  test('conditions are evaluated in the region that takes the write', async () => {
    await east.send(new PutItemCommand({ TableName: 'shared', Item: item('cond', 'east') }));
    // Before it has replicated, eu-west-1 may not have the item; once it has, the condition sees it there.
    await eventuallyPasses(async () => {
      await rejectsWith(
        west.send(
          new PutItemCommand({ TableName: 'shared', Item: item('cond', 'west'), ConditionExpression: 'attribute_not_exists(id)' }),
        ),
        'ConditionalCheckFailedException',
        'The conditional request failed',
      );
    });
  });

  test('TTL deletes replicate', async () => {
    await east.send(new PutItemCommand({ TableName: 'shared', Item: item('expiring', 'x') }));
    await eventuallyPasses(async () => {
      const { Item } = await west.send(new GetItemCommand({ TableName: 'shared', Key: { id: { S: 'expiring' } } }));
      assert.ok(Item !== undefined);
    });
    await east.send(new UpdateTimeToLiveCommand({ TableName: 'shared', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } }));
    const { TimeToLiveDescription } = await west.send(new DescribeTimeToLiveCommand({ TableName: 'shared' }));
    assert.equal(TimeToLiveDescription?.TimeToLiveStatus, 'DISABLED');
    await east.send(
      new UpdateItemCommand({
        TableName: 'shared',
        Key: { id: { S: 'expiring' } },
        UpdateExpression: 'SET expires = :past',
        ExpressionAttributeValues: { ':past': { N: String(Math.floor(Date.now() / 1000) - 60) } },
      }),
    );
    // eu-west-1 has no TTL of its own here: the item goes there because us-east-1's TTL deletion replicates.
    await eventuallyPasses(async () => {
      for (const client of [east, west, south]) {
        const { Item } = await client.send(new GetItemCommand({ TableName: 'shared', Key: { id: { S: 'expiring' } } }));
        assert.equal(Item, undefined);
      }
    }, 4000);
  });
});

describe('removing replicas', () => {
  test('ReplicaUpdates Delete deletes the replica table; the table is no longer global', async () => {
    await createTable('removed');
    await addReplica(east, 'removed', 'eu-west-1');
    await waitActive(east, 'removed');
    const { TableDescription } = await east.send(
      new UpdateTableCommand({ TableName: 'removed', ReplicaUpdates: [{ Delete: { RegionName: 'eu-west-1' } }] }),
    );
    assert.deepEqual(TableDescription?.Replicas, [{ RegionName: 'eu-west-1', ReplicaStatus: 'DELETING' }]);
    await rejectsWith(
      west.send(new DescribeTableCommand({ TableName: 'removed' })),
      'ResourceNotFoundException',
      'Requested resource not found: Table: removed not found',
    );
    const { Table } = await east.send(new DescribeTableCommand({ TableName: 'removed' }));
    assert.equal(Table?.Replicas, undefined);
    assert.equal(Table?.GlobalTableVersion, undefined);
    // Writes go on in us-east-1 alone. The stream enabled for the replicas stays, and may now be disabled.
    await east.send(new PutItemCommand({ TableName: 'removed', Item: item('after', 'x') }));
    assert.deepEqual(Table?.StreamSpecification, { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    await east.send(new UpdateTableCommand({ TableName: 'removed', StreamSpecification: { StreamEnabled: false } }));
  });

  test('the table a replica was copied from cannot be deleted for 24 hours, by either way', async () => {
    await createTable('source');
    await addReplica(east, 'source', 'eu-west-1');
    await waitActive(east, 'source');
    const refused = 'Replica cannot be deleted because it has acted as a source region for new replica(s) being added to the table in the last 24 hours.';
    await rejectsWith(east.send(new DeleteTableCommand({ TableName: 'source' })), 'ValidationException', refused);
    await rejectsWith(
      west.send(new UpdateTableCommand({ TableName: 'source', ReplicaUpdates: [{ Delete: { RegionName: 'us-east-1' } }] })),
      'ValidationException',
      refused,
    );
    // Both replicas are still there, still replicating.
    await east.send(new PutItemCommand({ TableName: 'source', Item: item('still', 'x') }));
    await eventuallyPasses(async () => {
      const { Item } = await west.send(new GetItemCommand({ TableName: 'source', Key: { id: { S: 'still' } } }));
      assert.ok(Item !== undefined);
    });
  });

  test("ReplicaUpdates Update changes a replica's overrides and its table's settings", async () => {
    await createTable('overridden', {
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byG',
          KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
          ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
        },
      ],
    });
    await addReplica(east, 'overridden', 'eu-west-1', { ProvisionedThroughputOverride: { ReadCapacityUnits: 3 } });
    await waitActive(east, 'overridden');
    const { Table: replica } = await west.send(new DescribeTableCommand({ TableName: 'overridden' }));
    assert.equal(replica?.ProvisionedThroughput?.ReadCapacityUnits, 3);
    assert.equal(replica?.ProvisionedThroughput?.WriteCapacityUnits, 5);
    const { TableDescription } = await east.send(
      new UpdateTableCommand({
        TableName: 'overridden',
        ReplicaUpdates: [{ Update: { RegionName: 'eu-west-1', ProvisionedThroughputOverride: { ReadCapacityUnits: 9 } } }],
      }),
    );
    assert.deepEqual(TableDescription?.Replicas, [
      { RegionName: 'eu-west-1', ReplicaStatus: 'ACTIVE', ProvisionedThroughputOverride: { ReadCapacityUnits: 9 } },
    ]);
    const { Table: updated } = await west.send(new DescribeTableCommand({ TableName: 'overridden' }));
    assert.equal(updated?.ProvisionedThroughput?.ReadCapacityUnits, 9);
  });

  test('DeleteTable of a replica removes it from the others', async () => {
    await createTable('dropped');
    await addReplica(east, 'dropped', 'eu-west-1');
    await waitActive(east, 'dropped');
    await west.send(new DeleteTableCommand({ TableName: 'dropped' }));
    const { Table } = await east.send(new DescribeTableCommand({ TableName: 'dropped' }));
    assert.equal(Table?.Replicas, undefined);
    await east.send(new PutItemCommand({ TableName: 'dropped', Item: item('after', 'x') }));
  });
});

describe('validation', () => {
  before(async () => {
    await createTable('checked');
  });

  test('refusals, with their messages', async () => {
    const update = (ReplicaUpdates: ReplicationGroupUpdate[], extra = {}) =>
      east.send(new UpdateTableCommand({ TableName: 'checked', ReplicaUpdates, ...extra }));
    await rejectsWith(
      update([{ Create: { RegionName: 'eu-west-1' } }, { Create: { RegionName: 'ap-south-1' } }]),
      'ValidationException',
      `${INVALID}Only one replica update is allowed per UpdateTable request`,
    );
    await rejectsWith(
      update([{ Create: { RegionName: 'eu-west-1' } }], { DeletionProtectionEnabled: true }),
      'ValidationException',
      `${INVALID}ReplicaUpdates must be the only operation in the request`,
    );
    await rejectsWith(
      update([{ Create: { RegionName: 'eu-west-1' }, Delete: { RegionName: 'eu-west-1' } }]),
      'ValidationException',
      `${INVALID}Exactly one of ReplicationGroupUpdate.Create, ReplicationGroupUpdate.Update, ReplicationGroupUpdate.Delete must be given`,
    );
    await rejectsWith(
      update([{ Create: { RegionName: 'Mars' } }]),
      'ValidationException',
      `${INVALID}Invalid region name: Mars`,
    );
    const localRegion = 'Cannot add or delete the local region through ReplicaUpdates. Use CreateTable, DeleteTable, or UpdateTable as required.';
    await rejectsWith(update([{ Create: { RegionName: 'us-east-1' } }]), 'ValidationException', localRegion);
    await rejectsWith(update([{ Delete: { RegionName: 'us-east-1' } }]), 'ValidationException', localRegion);
    await rejectsWith(
      update([{ Delete: { RegionName: 'eu-west-1' } }]),
      'ValidationException',
      `${INVALID}Table checked has no replica in region eu-west-1`,
    );
    await rejectsWith(
      update([{ Create: { RegionName: 'eu-west-1', GlobalSecondaryIndexes: [{ IndexName: 'nope' }] } }]),
      'ValidationException',
      `${INVALID}Global secondary index nope does not exist on table checked`,
    );
    // A table of that name in the target region already.
    await west.send(
      new CreateTableCommand({
        TableName: 'checked',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await rejectsWith(
      update([{ Create: { RegionName: 'eu-west-1' } }]),
      'ValidationException',
      "Failed to create a the new replica of table with name: 'checked' because one or more replicas already existed as tables.",
    );
    // Nothing was half-done: the table has no replicas and its stream is still off.
    const { Table } = await east.send(new DescribeTableCommand({ TableName: 'checked' }));
    assert.equal(Table?.Replicas, undefined);
    assert.equal(Table?.StreamSpecification, undefined);
  });

  test('a replicated table keeps its stream', async () => {
    await createTable('keeps');
    await addReplica(east, 'keeps', 'eu-west-1');
    await waitActive(east, 'keeps');
    await rejectsWith(
      east.send(new UpdateTableCommand({ TableName: 'keeps', StreamSpecification: { StreamEnabled: false } })),
      'ValidationException',
      `${INVALID}Disabling the stream is not allowed for a Global Table: TableName: keeps`,
    );
    await rejectsWith(
      east.send(new UpdateTableCommand({ TableName: 'keeps', StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } })),
      'ValidationException',
      'Table already has an enabled stream: TableName: keeps',
    );
    await rejectsWith(
      addReplica(west, 'keeps', 'us-east-1'),
      'ValidationException',
      `${INVALID}A replica of table keeps already exists in region us-east-1`,
    );
  });
});

describe('the copy races writes', () => {
  let slow: Cairn;
  before(async () => {
    // Small batches with pauses: the copy runs long enough for writes to land before, inside and after it.
    slow = await startCairn({ inMemory: true, backfill: { batchSize: 5, pauseMs: 5 } });
  });
  after(async () => {
    await slow.close();
  });

  test('writes, updates and deletes during the copy end identical in both regions', async () => {
    const source = slow.client;
    const replica = slow.clientAs(CREDENTIALS, 'eu-west-1');
    await source.send(
      new CreateTableCommand({
        TableName: 'racing',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    const key = (i: number) => `k${String(i).padStart(3, '0')}`;
    for (let i = 0; i < 150; i++) await source.send(new PutItemCommand({ TableName: 'racing', Item: item(key(i), 'before') }));
    const { TableDescription } = await source.send(
      new UpdateTableCommand({ TableName: 'racing', ReplicaUpdates: [{ Create: { RegionName: 'eu-west-1' } }] }),
    );
    assert.equal(TableDescription?.Replicas?.[0]?.ReplicaStatus, 'CREATING');
    let sawCreating = false;
    for (let i = 0; i < 150; i += 3) {
      await source.send(new PutItemCommand({ TableName: 'racing', Item: item(key(149 - i), 'during') }));
      await source.send(new DeleteItemCommand({ TableName: 'racing', Key: { id: { S: key(i + 1) } } }));
      await source.send(new PutItemCommand({ TableName: 'racing', Item: item(`new${i}`, 'during') }));
      const { Table } = await source.send(new DescribeTableCommand({ TableName: 'racing' }));
      if (Table?.Replicas?.[0]?.ReplicaStatus === 'CREATING') sawCreating = true;
    }
    assert.ok(sawCreating, 'the writes ran while the copy did');
    await eventuallyPasses(async () => {
      const { Table } = await source.send(new DescribeTableCommand({ TableName: 'racing' }));
      assert.equal(Table?.Replicas?.[0]?.ReplicaStatus, 'ACTIVE');
      const expected = await scanAll(source, 'racing');
      assert.deepEqual(await scanAll(replica, 'racing'), expected);
    }, 10_000);
  });
});
