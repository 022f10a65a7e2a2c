/**
 * Global tables across servers, administered from any region: a replica's settings changed (ReplicaUpdates Update)
 * and indexes created or deleted (GlobalSecondaryIndexUpdates) reach the replica on a peer, and a replica whose
 * creation on a peer fails is reported CREATION_FAILED instead of staying CREATING.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import {
  CreateTableCommand,
  DescribeTableCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateTableCommand,
  type DynamoDBClient,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { restartRegionServer, startRegionServers, stopRegionServers, type RegionServer } from '../helpers/region-servers.js';
import { rejectsWith } from '../helpers/assertions.js';
import { eventuallyPasses } from '../helpers/eventually.js';

const started: RegionServer[] = [];
after(() => stopRegionServers(started));

async function regions(names: readonly string[], options: Parameters<typeof startRegionServers>[1] = {}): Promise<RegionServer[]> {
  const servers = await startRegionServers(names, options);
  started.push(...servers);
  return servers;
}

async function describe(client: DynamoDBClient, name: string): Promise<TableDescription> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
  assert.ok(Table !== undefined);
  return Table;
}

async function scan(client: DynamoDBClient, name: string): Promise<string> {
  const { Items } = await client.send(new ScanCommand({ TableName: name, ConsistentRead: true }));
  return JSON.stringify((Items ?? []).sort((a, b) => (a.id?.S ?? '').localeCompare(b.id?.S ?? '')));
}

async function activeReplica(client: DynamoDBClient, name: string, region: string): Promise<void> {
  await eventuallyPasses(async () => {
    const replica = (await describe(client, name)).Replicas?.find((candidate) => candidate.RegionName === region);
    assert.equal(replica?.ReplicaStatus, 'ACTIVE');
  }, 10_000);
}

test("a replica's settings and the table's indexes changed in one region reach the replica on a peer", async () => {
  const [east, west] = (await regions(['us-east-1', 'eu-west-1'])) as [RegionServer, RegionServer];
  await east.client.send(
    new CreateTableCommand({
      TableName: 'settings',
      AttributeDefinitions: [
        { AttributeName: 'id', AttributeType: 'S' },
        { AttributeName: 'g', AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        { IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' }, ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } },
      ],
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
    }),
  );
  await east.client.send(new PutItemCommand({ TableName: 'settings', Item: { id: { S: 'a' }, g: { S: 'x' }, h: { S: 'y' } } }));
  await east.client.send(new UpdateTableCommand({ TableName: 'settings', ReplicaUpdates: [{ Create: { RegionName: 'eu-west-1' } }] }));
  await activeReplica(east.client, 'settings', 'eu-west-1');

  // Update of the peer's replica: its own table takes the overrides, as DescribeTable in its region shows.
  const { TableDescription: answered } = await east.client.send(
    new UpdateTableCommand({
      TableName: 'settings',
      ReplicaUpdates: [
        {
          Update: {
            RegionName: 'eu-west-1',
            ProvisionedThroughputOverride: { ReadCapacityUnits: 9 },
            GlobalSecondaryIndexes: [{ IndexName: 'byG', ProvisionedThroughputOverride: { ReadCapacityUnits: 4 } }],
            TableClassOverride: 'STANDARD_INFREQUENT_ACCESS',
          },
        },
      ],
    }),
  );
  assert.deepEqual(answered?.Replicas, [
    {
      RegionName: 'eu-west-1',
      ReplicaStatus: 'ACTIVE',
      ProvisionedThroughputOverride: { ReadCapacityUnits: 9 },
      GlobalSecondaryIndexes: [{ IndexName: 'byG', ProvisionedThroughputOverride: { ReadCapacityUnits: 4 } }],
      ReplicaTableClassSummary: { TableClass: 'STANDARD_INFREQUENT_ACCESS' },
    },
  ]);
  const replica = await describe(west.client, 'settings');
  assert.equal(replica.ProvisionedThroughput?.ReadCapacityUnits, 9);
  assert.equal(replica.ProvisionedThroughput?.WriteCapacityUnits, 5);
  assert.equal(replica.GlobalSecondaryIndexes?.[0]?.ProvisionedThroughput?.ReadCapacityUnits, 4);
  assert.deepEqual(replica.TableClassSummary, { TableClass: 'STANDARD_INFREQUENT_ACCESS' });
  const own = await describe(east.client, 'settings');
  assert.equal(own.ProvisionedThroughput?.ReadCapacityUnits, 5);
  assert.equal(own.GlobalSecondaryIndexes?.[0]?.ProvisionedThroughput?.ReadCapacityUnits, 5);
  // An override of an index the table does not have is refused, as for Create.
  await rejectsWith(
    east.client.send(
      new UpdateTableCommand({
        TableName: 'settings',
        ReplicaUpdates: [{ Update: { RegionName: 'eu-west-1', GlobalSecondaryIndexes: [{ IndexName: 'nope', ProvisionedThroughputOverride: { ReadCapacityUnits: 4 } }] } }],
      }),
    ),
    'ValidationException',
    'One or more parameter values were invalid: Global secondary index nope does not exist on table settings',
  );

  // An index created in us-east-1 is created, and backfilled, in eu-west-1 too.
  await east.client.send(
    new UpdateTableCommand({
      TableName: 'settings',
      AttributeDefinitions: [{ AttributeName: 'h', AttributeType: 'S' }],
      GlobalSecondaryIndexUpdates: [
        { Create: { IndexName: 'byH', KeySchema: [{ AttributeName: 'h', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' }, ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 3 } } },
      ],
    }),
  );
  await eventuallyPasses(async () => {
    const index = (await describe(west.client, 'settings')).GlobalSecondaryIndexes?.find((candidate) => candidate.IndexName === 'byH');
    assert.equal(index?.IndexStatus, 'ACTIVE');
    assert.equal(index?.IndexArn, 'arn:aws:dynamodb:eu-west-1:000000000000:table/settings/index/byH');
  }, 10_000);
  const { Items } = await west.client.send(
    new QueryCommand({ TableName: 'settings', IndexName: 'byH', KeyConditionExpression: 'h = :h', ExpressionAttributeValues: { ':h': { S: 'y' } } }),
  );
  assert.deepEqual(Items, [{ id: { S: 'a' }, h: { S: 'y' } }]);
  // One that a replica would refuse (it exists) is refused before any changes.
  await rejectsWith(
    west.client.send(
      new UpdateTableCommand({
        TableName: 'settings',
        AttributeDefinitions: [{ AttributeName: 'h', AttributeType: 'S' }],
        GlobalSecondaryIndexUpdates: [
          { Create: { IndexName: 'byH', KeySchema: [{ AttributeName: 'h', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' }, ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 3 } } },
        ],
      }),
    ),
    'ValidationException',
    'Attempting to create an index which already exists',
  );
  // An index deleted in eu-west-1 goes from us-east-1 as well.
  await west.client.send(new UpdateTableCommand({ TableName: 'settings', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byG' } }] }));
  await eventuallyPasses(async () => {
    const names = (await describe(east.client, 'settings')).GlobalSecondaryIndexes?.map((index) => index.IndexName);
    assert.deepEqual(names, ['byH']);
  }, 10_000);
  await eventuallyPasses(async () => {
    const names = (await describe(west.client, 'settings')).GlobalSecondaryIndexes?.map((index) => index.IndexName);
    assert.deepEqual(names, ['byH']);
  }, 10_000);
});

test('a replica whose copy to a peer cannot be made is CREATION_FAILED, and can be deleted and created again', async () => {
  // The copy is held after its first batch, while the peer is stopped.
  let reached: () => void = () => undefined;
  const atFirstBatch = new Promise<void>((resolve) => (reached = resolve));
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  const [east, west] = (await regions(['us-east-1', 'eu-west-1'], {
    replicaCreationTimeoutMs: 1000,
    backfill: {
      batchSize: 2,
      betweenBatches: async () => {
        reached();
        await released;
      },
    },
  })) as [RegionServer, RegionServer];
  await east.client.send(
    new CreateTableCommand({
      TableName: 'doomed',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  for (let i = 0; i < 6; i++) await east.client.send(new PutItemCommand({ TableName: 'doomed', Item: { id: { S: `k${i}` } } }));
  const { TableDescription } = await east.client.send(new UpdateTableCommand({ TableName: 'doomed', ReplicaUpdates: [{ Create: { RegionName: 'eu-west-1' } }] }));
  assert.equal(TableDescription?.Replicas?.[0]?.ReplicaStatus, 'CREATING');
  await atFirstBatch;
  await west.server.close();
  release();

  await eventuallyPasses(async () => {
    assert.deepEqual((await describe(east.client, 'doomed')).Replicas, [
      {
        RegionName: 'eu-west-1',
        ReplicaStatus: 'CREATION_FAILED',
        ReplicaStatusDescription: 'The replica could not be created: region eu-west-1 could not be reached for 1 s',
      },
    ]);
  }, 10_000);
  // The table goes on; a new Create while the peer is still down is refused, and changes nothing.
  await east.client.send(new PutItemCommand({ TableName: 'doomed', Item: { id: { S: 'after' } } }));
  const refused = await rejectsWith(
    east.client.send(new UpdateTableCommand({ TableName: 'doomed', ReplicaUpdates: [{ Create: { RegionName: 'eu-west-1' } }] })),
    'InternalServerError',
    'Replica could not be created in region eu-west-1: peer eu-west-1: fetch failed',
    500,
  );
  assert.ok(refused);
  assert.equal((await describe(east.client, 'doomed')).Replicas?.[0]?.ReplicaStatus, 'CREATION_FAILED');
  // Delete takes it out of the set although its region does not answer.
  await east.client.send(new UpdateTableCommand({ TableName: 'doomed', ReplicaUpdates: [{ Delete: { RegionName: 'eu-west-1' } }] }));
  assert.equal((await describe(east.client, 'doomed')).Replicas, undefined);

  // With the peer back, the replica is created and copied.
  await restartRegionServer(west);
  await east.client.send(new UpdateTableCommand({ TableName: 'doomed', ReplicaUpdates: [{ Create: { RegionName: 'eu-west-1' } }] }));
  await activeReplica(east.client, 'doomed', 'eu-west-1');
  await eventuallyPasses(async () => assert.equal(await scan(west.client, 'doomed'), await scan(east.client, 'doomed')), 10_000);
  assert.equal(JSON.parse(await scan(west.client, 'doomed')).length, 7);
});
