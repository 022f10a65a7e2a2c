/**
 * Global tables across servers: each server serves one region (`--region-name`) and knows the others as `peers`
 * in its configuration file. A replica in a peer's region is created on that peer, filled by a copy, and the two
 * follow each other's streams over HTTP, with last writer wins as between the regions of one server.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  PutItemCommand,
  ScanCommand,
  UpdateTableCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { killedAfterTests, spawnCairn, type CairnProcess } from '../helpers/cairn-process.js';
import { rejectsWith } from '../helpers/assertions.js';
import { ACCOUNT_A, ACCOUNT_B, AUTH_FILE, USER_A, writeAuthFile } from '../helpers/auth.js';
import { signPeerRequest } from '../../src/engine/replication/peer-signing.js';
import { regionPlaces } from '../helpers/region-processes.js';

let root = '';
const clients: DynamoDBClient[] = [];
const running = killedAfterTests(async () => {
  for (const client of clients) client.destroy();
  if (root !== '') await rm(root, { recursive: true, force: true });
});


interface RegionServer {
  readonly region: string;
  /** Extra flags (--auth). */
  readonly extra: readonly string[];
  readonly credentials: Credentials;
  readonly port: number;
  readonly dataDir: string;
  readonly configFile: string;
  process: CairnProcess;
  client: DynamoDBClient;
}

interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}
const ANY_KEY: Credentials = { accessKeyId: 'AKID', secretAccessKey: 'secret' };

function regionClient(url: string, region: string, credentials: Credentials = ANY_KEY): DynamoDBClient {
  const client = new DynamoDBClient({ region, endpoint: url, credentials, maxAttempts: 1 });
  clients.push(client);
  return client;
}

async function start(server: Omit<RegionServer, 'process' | 'client'>): Promise<RegionServer> {
  const process = await spawnCairn([
    '--port',
    String(server.port),
    '--data',
    server.dataDir,
    '--region-name',
    server.region,
    '--config',
    server.configFile,
    '--replication-interval-ms',
    '20',
    ...server.extra,
  ]);
  running.push(process);
  return { ...server, process, client: regionClient(process.url, server.region, server.credentials) };
}

/** Servers of `regions`, each with the others as its peers. */
async function startRegions(regions: readonly string[], extra: readonly string[] = [], credentials = ANY_KEY): Promise<RegionServer[]> {
  if (root === '') root = await mkdtemp(join(tmpdir(), 'cairn-gt-peers-'));
  const servers: RegionServer[] = [];
  for (const { region, port, dir, configFile } of await regionPlaces(root, regions)) {
    servers.push(await start({ region, port, dataDir: join(dir, 'data'), configFile, extra, credentials }));
  }
  return servers;
}

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    assert.ok(Date.now() < deadline, `${what} within ${timeoutMs} ms (last: ${JSON.stringify(value)})`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

type Row = Record<string, AttributeValue>;

async function scan(client: DynamoDBClient, table: string): Promise<Row[]> {
  const { Items } = await client.send(new ScanCommand({ TableName: table, ConsistentRead: true }));
  return (Items ?? []).sort((a, b) => (a.id?.S ?? '').localeCompare(b.id?.S ?? ''));
}

async function createTable(client: DynamoDBClient, name: string): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
}

/** Adds the replica of `region` from `from`'s table and waits until every server describes it ACTIVE. */
async function addReplica(from: RegionServer, name: string, region: string, all: readonly RegionServer[]): Promise<void> {
  await from.client.send(new UpdateTableCommand({ TableName: name, ReplicaUpdates: [{ Create: { RegionName: region } }] }));
  for (const server of all) {
    await until(
      `${server.region} describes ${region} ACTIVE`,
      async () => (await server.client.send(new DescribeTableCommand({ TableName: name }))).Table?.Replicas,
      (replicas) => replicas?.find((replica) => replica.RegionName === region)?.ReplicaStatus === 'ACTIVE' || (server.region === region && replicas !== undefined && replicas.every((replica) => replica.ReplicaStatus === 'ACTIVE')),
    );
  }
}

async function metrics(server: RegionServer): Promise<string> {
  const response = await fetch(`${server.process.url}/metrics`);
  assert.equal(response.status, 200);
  return response.text();
}

/** The value of one series of a Prometheus text answer, or undefined when it is absent. */
function metric(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const LAG_EAST = `cairn_replication_lag_seconds{table="durable",region="us-east-1",source_region="eu-west-1"}`;

const put = (client: DynamoDBClient, table: string, id: string, value: string) =>
  client.send(new PutItemCommand({ TableName: table, Item: { id: { S: id }, v: { S: value } } }));

test('two servers: a replica created on the peer is copied into, then writes go both ways', async () => {
  const [east, west] = (await startRegions(['us-east-1', 'eu-west-1'])) as [RegionServer, RegionServer];
  await createTable(east.client, 'users');
  for (let i = 0; i < 30; i++) await put(east.client, 'users', `before-${i}`, 'east');

  await east.client.send(new UpdateTableCommand({ TableName: 'users', ReplicaUpdates: [{ Create: { RegionName: 'eu-west-1' } }] }));
  // The copy: every item written before the replica existed reaches the peer.
  await until('the copy reaches eu-west-1', () => scan(west.client, 'users').catch(() => []), (rows) => rows.length === 30);
  await until(
    'us-east-1 describes the replica ACTIVE',
    async () => (await east.client.send(new DescribeTableCommand({ TableName: 'users' }))).Table?.Replicas,
    (replicas) => replicas?.[0]?.ReplicaStatus === 'ACTIVE',
  );
  const { Table } = await west.client.send(new DescribeTableCommand({ TableName: 'users' }));
  assert.deepEqual(Table?.Replicas, [{ RegionName: 'us-east-1', ReplicaStatus: 'ACTIVE' }]);
  assert.equal(Table?.GlobalTableVersion, '2019.11.21');
  assert.equal(Table?.TableArn, `arn:aws:dynamodb:eu-west-1:000000000000:table/users`);

  // One way, then the other.
  await put(east.client, 'users', 'from-east', 'e');
  await until('eu-west-1 has the write of us-east-1', () => scan(west.client, 'users'), (rows) => rows.some((row) => row.id?.S === 'from-east'));
  await put(west.client, 'users', 'from-west', 'w');
  await until('us-east-1 has the write of eu-west-1', () => scan(east.client, 'users'), (rows) => rows.some((row) => row.id?.S === 'from-west'));

  // Deletes replicate, in both directions.
  await east.client.send(new DeleteItemCommand({ TableName: 'users', Key: { id: { S: 'from-west' } } }));
  await west.client.send(new DeleteItemCommand({ TableName: 'users', Key: { id: { S: 'before-0' } } }));
  const expected = await until('us-east-1 has both deletes', () => scan(east.client, 'users'), (rows) => rows.length === 30);
  await until('eu-west-1 equals us-east-1', () => scan(west.client, 'users'), (rows) => JSON.stringify(rows) === JSON.stringify(expected));
  assert.ok(!expected.some((row) => row.id?.S === 'from-west' || row.id?.S === 'before-0'));

  // A server of one region refuses requests for another, as a regional DynamoDB endpoint does.
  const stray = regionClient(east.process.url, 'ap-south-1');
  await rejectsWith(stray.send(new ScanCommand({ TableName: 'users' })), 'InvalidSignatureException', "Credential should be scoped to a valid region, not 'ap-south-1'. ");
  // A replica in a region that neither it nor a peer serves cannot be made.
  await rejectsWith(
    east.client.send(new UpdateTableCommand({ TableName: 'users', ReplicaUpdates: [{ Create: { RegionName: 'ap-south-1' } }] })),
    'ValidationException',
    'One or more parameter values were invalid: Region ap-south-1 is neither served by this server nor by one of its peers',
  );
  // A table of the name already in the peer's region refuses the replica, as on one server.
  await createTable(west.client, 'taken');
  await createTable(east.client, 'taken');
  await rejectsWith(
    east.client.send(new UpdateTableCommand({ TableName: 'taken', ReplicaUpdates: [{ Create: { RegionName: 'eu-west-1' } }] })),
    'ValidationException',
    "Failed to create a the new replica of table with name: 'taken' because one or more replicas already existed as tables.",
  );
  const taken = await east.client.send(new DescribeTableCommand({ TableName: 'taken' }));
  assert.equal(taken.Table?.Replicas, undefined);

  // ReplicaUpdates Delete of the peer's replica deletes its table there; both go on as tables of their own.
  await east.client.send(new UpdateTableCommand({ TableName: 'users', ReplicaUpdates: [{ Delete: { RegionName: 'eu-west-1' } }] }));
  await rejectsWith(west.client.send(new DescribeTableCommand({ TableName: 'users' })), 'ResourceNotFoundException', 'Requested resource not found: Table: users not found');
  const alone = await east.client.send(new DescribeTableCommand({ TableName: 'users' }));
  assert.equal(alone.Table?.Replicas, undefined);
  await put(east.client, 'users', 'after-delete', 'e');
  assert.equal((await scan(east.client, 'users')).length, 31);
});

test('peers need --region-name, and not their own region', async () => {
  if (root === '') root = await mkdtemp(join(tmpdir(), 'cairn-gt-peers-'));
  const configFile = join(root, 'own-region.json');
  await writeFile(configFile, JSON.stringify({ peers: { 'us-east-1': 'http://127.0.0.1:1' } }));
  await assert.rejects(spawnCairn(['--in-memory', '--region-name', 'us-east-1', '--config', configFile]), /"peers" names this server's own region us-east-1/);
  await assert.rejects(spawnCairn(['--in-memory', '--config', configFile]), /"peers" needs --region-name: the region this server serves/);
});

test('three servers with writes in all: conflicting writes converge to identical tables', async () => {
  const servers = await startRegions(['us-east-1', 'eu-west-1', 'ap-south-1']);
  const [east] = servers as [RegionServer];
  await createTable(east.client, 'orders');
  await addReplica(east, 'orders', 'eu-west-1', servers.slice(0, 2));
  await addReplica(east, 'orders', 'ap-south-1', servers);

  // Every server writes its own items and the same contested ones, at the same time.
  await Promise.all(
    servers.map(async (server) => {
      for (let i = 0; i < 20; i++) {
        await put(server.client, 'orders', `${server.region}-${i}`, server.region);
        await put(server.client, 'orders', `contested-${i % 5}`, `${server.region}-${i}`);
      }
      await server.client.send(new DeleteItemCommand({ TableName: 'orders', Key: { id: { S: `${server.region}-0` } } }));
    }),
  );
  // Each server ends with the same whole table: every item, and the same winner of each contested one.
  await until(
    'the three servers have identical tables',
    () => Promise.all(servers.map(async (server) => JSON.stringify(await scan(server.client, 'orders')))),
    (tables) => tables[0] === tables[1] && tables[1] === tables[2] && (JSON.parse(tables[0] as string) as Row[]).length === 3 * 19 + 5,
  );
  // All three converged to one table, whatever each saw first.
  const scans = await Promise.all(servers.map((server) => scan(server.client, 'orders')));
  assert.deepEqual(scans[1], scans[0]);
  assert.deepEqual(scans[2], scans[0]);
  const { Table } = await (servers[2] as RegionServer).client.send(new DescribeTableCommand({ TableName: 'orders' }));
  assert.deepEqual(
    Table?.Replicas?.map((replica) => [replica.RegionName, replica.ReplicaStatus]).sort(),
    [
      ['eu-west-1', 'ACTIVE'],
      ['us-east-1', 'ACTIVE'],
    ],
  );
});

test('a peer killed with kill -9 catches up from its stream position when it returns', async () => {
  const [east, west] = (await startRegions(['us-east-1', 'eu-west-1'])) as [RegionServer, RegionServer];
  await createTable(east.client, 'durable');
  await addReplica(east, 'durable', 'eu-west-1', [east, west]);
  await put(west.client, 'durable', 'west-before', 'w');
  await until('us-east-1 has the write of eu-west-1', () => scan(east.client, 'durable'), (rows) => rows.length === 1);

  west.process.child.kill('SIGKILL');
  await west.process.exited;
  // Written while the peer is down: nothing can reach it.
  for (let i = 0; i < 25; i++) await put(east.client, 'durable', `while-down-${i}`, 'e');
  await east.client.send(new DeleteItemCommand({ TableName: 'durable', Key: { id: { S: 'west-before' } } }));

  // The writes eu-west-1 has not applied, as us-east-1 counts them (PendingReplicationCount), and the lag of
  // us-east-1 behind eu-west-1's stream, which it cannot read.
  const pending = `cairn_replication_pending_count{table="durable",receiving_region="eu-west-1"}`;
  assert.equal(metric(await metrics(east), pending), 26);
  await until('us-east-1 reports its lag behind eu-west-1', async () => metric(await metrics(east), LAG_EAST), (lag) => lag !== undefined && lag > 0);

  const back = await start(west);
  const expected = await scan(east.client, 'durable');
  assert.equal(expected.length, 25);
  await until('eu-west-1 catches up', () => scan(back.client, 'durable'), (rows) => JSON.stringify(rows) === JSON.stringify(expected));
  await until('nothing is pending once eu-west-1 caught up', async () => metric(await metrics(east), pending), (count) => count === 0);
  // ReplicationLatency of the writes applied in eu-west-1: from their write in us-east-1 to their application.
  const latency = metric(await metrics(back), `cairn_replication_latency_seconds{table="durable",region="eu-west-1",source_region="us-east-1"}`);
  assert.ok(latency !== undefined && latency > 0 && latency < 60, `latency ${latency}`);
  // And it replicates again in its turn.
  await put(back.client, 'durable', 'west-after', 'w');
  await until('us-east-1 has the write of the restarted eu-west-1', () => scan(east.client, 'durable'), (rows) => rows.length === 26);
  await until('us-east-1 keeps up with eu-west-1 again', async () => metric(await metrics(east), LAG_EAST), (lag) => lag === 0);
});

test('with --auth, peers sign their calls with the replication user of the account, and only that user may make them', async () => {
  const replication = { accessKeyId: 'AKIAREPLICATIONAAAA1', secretAccessKey: 'secret-of-replication-in-account-a' };
  const file = {
    ...AUTH_FILE,
    accounts: AUTH_FILE.accounts.map((account) =>
      account.id === ACCOUNT_A ? { ...account, users: [...account.users, { name: 'replication', ...replication, policies: [] }] } : account,
    ),
  };
  const authFile = await writeAuthFile(file);
  const [east, west] = (await startRegions(['us-east-1', 'eu-west-1'], ['--auth', authFile], USER_A)) as [RegionServer, RegionServer];
  await createTable(east.client, 'secure');
  await put(east.client, 'secure', 'copied', 'e');
  await addReplica(east, 'secure', 'eu-west-1', [east, west]);
  await until('eu-west-1 has the copy', () => scan(west.client, 'secure'), (rows) => rows.length === 1);
  await put(west.client, 'secure', 'from-west', 'w');
  await until('us-east-1 has the write of eu-west-1', () => scan(east.client, 'secure'), (rows) => rows.length === 2);
  const { Table } = await west.client.send(new DescribeTableCommand({ TableName: 'secure' }));
  assert.equal(Table?.TableArn, `arn:aws:dynamodb:eu-west-1:${ACCOUNT_A}:table/secure`);

  // The replication endpoint: unsigned, or signed by another user of the account, it is refused.
  const url = `${west.process.url}/cairn/replication/table-id`;
  const body = JSON.stringify({ accountId: ACCOUNT_A, tableName: 'secure' });
  const unsigned = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  assert.equal(unsigned.status, 403);
  const byApp = await fetch(url, { method: 'POST', headers: signedHeaders(url, body, USER_A), body });
  assert.equal(byApp.status, 403);
  assert.deepEqual(await byApp.json(), {
    message: `arn:aws:iam::${ACCOUNT_A}:user/app may not replicate tables of account ${ACCOUNT_A}`,
    type: 'AccessDeniedException',
  });
  const byReplication = await fetch(url, { method: 'POST', headers: signedHeaders(url, body, replication), body });
  assert.equal(byReplication.status, 200);
  assert.equal(typeof ((await byReplication.json()) as { tableId: unknown }).tableId, 'string');
  // Signed by the replication user, but for another account: refused.
  const otherBody = JSON.stringify({ accountId: ACCOUNT_B, tableName: 'secure' });
  const otherAccount = await fetch(url, { method: 'POST', headers: signedHeaders(url, otherBody, replication), body: otherBody });
  assert.equal(otherAccount.status, 403);
});

function signedHeaders(url: string, body: string, credentials: Credentials): Record<string, string> {
  return { 'content-type': 'application/json', ...signPeerRequest(url, body, 'eu-west-1', credentials, Date.now()) };
}
