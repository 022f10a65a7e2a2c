/**
 * The legacy global tables API (version 2017.11.29) across servers: the ReplicationGroup names regions that peers
 * serve, whose tables exist there beforehand as the legacy version requires; each peer checks and changes its own
 * table, and the group replicates both ways.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  CreateGlobalTableCommand,
  CreateTableCommand,
  DescribeGlobalTableCommand,
  DescribeGlobalTableSettingsCommand,
  DescribeTableCommand,
  PutItemCommand,
  ScanCommand,
  UpdateGlobalTableCommand,
  UpdateGlobalTableSettingsCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { startRegionServers, stopRegionServers, type RegionServer } from '../helpers/region-servers.js';
import { rejectsWith } from '../helpers/assertions.js';
import { eventuallyPasses } from '../helpers/eventually.js';

let east: RegionServer;
let west: RegionServer;
let servers: RegionServer[] = [];

before(async () => {
  servers = await startRegionServers(['us-east-1', 'eu-west-1']);
  [east, west] = servers as [RegionServer, RegionServer];
});
after(() => stopRegionServers(servers));

async function createTable(client: DynamoDBClient, name: string): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
}

async function ids(client: DynamoDBClient, name: string): Promise<string[]> {
  const { Items } = await client.send(new ScanCommand({ TableName: name, ConsistentRead: true }));
  return (Items ?? []).map((item) => item.id?.S ?? '').sort();
}

const put = (client: DynamoDBClient, name: string, id: string) => client.send(new PutItemCommand({ TableName: name, Item: { id: { S: id } } }));

test('CreateGlobalTable joins the tables of peers, which then replicate both ways; settings reach each replica', async () => {
  await createTable(east.client, 'legacy');
  await createTable(west.client, 'legacy');
  const { GlobalTableDescription } = await east.client.send(
    new CreateGlobalTableCommand({ GlobalTableName: 'legacy', ReplicationGroup: [{ RegionName: 'us-east-1' }, { RegionName: 'eu-west-1' }] }),
  );
  assert.deepEqual(GlobalTableDescription?.ReplicationGroup, [{ RegionName: 'us-east-1' }, { RegionName: 'eu-west-1' }]);
  assert.equal(GlobalTableDescription?.GlobalTableStatus, 'CREATING');
  // The peer's table is a member: DescribeGlobalTable and DescribeTable in its region say so.
  const described = await west.client.send(new DescribeGlobalTableCommand({ GlobalTableName: 'legacy' }));
  assert.deepEqual(described.GlobalTableDescription?.ReplicationGroup, [{ RegionName: 'us-east-1' }, { RegionName: 'eu-west-1' }]);
  assert.equal(described.GlobalTableDescription?.GlobalTableStatus, 'ACTIVE');
  assert.equal(described.GlobalTableDescription?.GlobalTableArn, 'arn:aws:dynamodb::000000000000:global-table/legacy');
  assert.equal((await west.client.send(new DescribeTableCommand({ TableName: 'legacy' }))).Table?.GlobalTableVersion, '2017.11.29');

  await put(east.client, 'legacy', 'from-east');
  await put(west.client, 'legacy', 'from-west');
  for (const server of [east, west]) {
    await eventuallyPasses(async () => assert.deepEqual(await ids(server.client, 'legacy'), ['from-east', 'from-west']), 10_000);
  }

  // UpdateGlobalTableSettings from us-east-1 changes the peer's replica; DescribeGlobalTableSettings reads both.
  await east.client.send(
    new UpdateGlobalTableSettingsCommand({ GlobalTableName: 'legacy', ReplicaSettingsUpdate: [{ RegionName: 'eu-west-1', ReplicaTableClass: 'STANDARD_INFREQUENT_ACCESS' }] }),
  );
  assert.deepEqual((await west.client.send(new DescribeTableCommand({ TableName: 'legacy' }))).Table?.TableClassSummary, { TableClass: 'STANDARD_INFREQUENT_ACCESS' });
  const { ReplicaSettings } = await east.client.send(new DescribeGlobalTableSettingsCommand({ GlobalTableName: 'legacy' }));
  assert.deepEqual(
    ReplicaSettings?.map((replica) => [replica.RegionName, replica.ReplicaStatus, replica.ReplicaBillingModeSummary?.BillingMode, replica.ReplicaTableClassSummary?.TableClass]),
    [
      ['us-east-1', 'ACTIVE', 'PAY_PER_REQUEST', undefined],
      ['eu-west-1', 'ACTIVE', 'PAY_PER_REQUEST', 'STANDARD_INFREQUENT_ACCESS'],
    ],
  );
  // A change the peer's replica refuses is refused before any replica changes.
  await rejectsWith(
    east.client.send(new UpdateGlobalTableSettingsCommand({ GlobalTableName: 'legacy', GlobalTableProvisionedWriteCapacityUnits: 5 })),
    'ValidationException',
    'One or more parameter values were invalid: Provisioned capacity units cannot be specified when GlobalTableBillingMode is PAY_PER_REQUEST',
  );

  // UpdateGlobalTable Delete, asked in eu-west-1, takes us-east-1 out: both stay tables, no longer replicating.
  await west.client.send(new UpdateGlobalTableCommand({ GlobalTableName: 'legacy', ReplicaUpdates: [{ Delete: { RegionName: 'us-east-1' } }] }));
  assert.equal((await east.client.send(new DescribeTableCommand({ TableName: 'legacy' }))).Table?.GlobalTableVersion, undefined);
  const left = await west.client.send(new DescribeGlobalTableCommand({ GlobalTableName: 'legacy' }));
  assert.deepEqual(left.GlobalTableDescription?.ReplicationGroup, [{ RegionName: 'eu-west-1' }]);
  await put(east.client, 'legacy', 'east-alone');
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.deepEqual(await ids(west.client, 'legacy'), ['from-east', 'from-west']);
});

test("a peer's table is checked by the peer, before anything changes", async () => {
  await createTable(east.client, 'checked');
  await rejectsWith(
    east.client.send(new CreateGlobalTableCommand({ GlobalTableName: 'checked', ReplicationGroup: [{ RegionName: 'us-east-1' }, { RegionName: 'eu-west-1' }] })),
    'TableNotFoundException',
    "Table not found: Table: 'checked' not found in region: 'eu-west-1'.",
  );
  await createTable(west.client, 'checked');
  await put(west.client, 'checked', 'not-empty');
  await rejectsWith(
    east.client.send(new CreateGlobalTableCommand({ GlobalTableName: 'checked', ReplicationGroup: [{ RegionName: 'us-east-1' }, { RegionName: 'eu-west-1' }] })),
    'ValidationException',
    'One or more parameter values were invalid: Table: checked in region: eu-west-1 must be empty',
  );
  assert.equal((await east.client.send(new DescribeTableCommand({ TableName: 'checked' }))).Table?.GlobalTableVersion, undefined);
  await rejectsWith(east.client.send(new DescribeGlobalTableCommand({ GlobalTableName: 'checked' })), 'GlobalTableNotFoundException', "Global table not found: Global table with name: 'checked' does not exist.");
});

test("UpdateGlobalTable adds a peer's region: the group's items are copied into its table", async () => {
  await createTable(east.client, 'grown');
  await createTable(west.client, 'grown');
  await east.client.send(new CreateGlobalTableCommand({ GlobalTableName: 'grown', ReplicationGroup: [{ RegionName: 'us-east-1' }] }));
  for (let i = 0; i < 5; i++) await put(east.client, 'grown', `k${i}`);
  await east.client.send(new UpdateGlobalTableCommand({ GlobalTableName: 'grown', ReplicaUpdates: [{ Create: { RegionName: 'eu-west-1' } }] }));
  await eventuallyPasses(async () => assert.deepEqual(await ids(west.client, 'grown'), ['k0', 'k1', 'k2', 'k3', 'k4']), 10_000);
  await eventuallyPasses(async () => {
    const { GlobalTableDescription } = await west.client.send(new DescribeGlobalTableCommand({ GlobalTableName: 'grown' }));
    assert.equal(GlobalTableDescription?.GlobalTableStatus, 'ACTIVE');
  }, 10_000);
  await put(west.client, 'grown', 'from-west');
  await eventuallyPasses(async () => assert.equal((await ids(east.client, 'grown')).length, 6), 10_000);
});
