/**
 * Replication is durable: writes acknowledged in one region but not yet applied in another when the server is
 * killed (-9) are applied after the restart, from the position each replica keeps in the others' streams.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  PutItemCommand,
  ScanCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { killedAfterTests, spawnCairn } from '../helpers/cairn-process.js';

let dataDir = '';
const running = killedAfterTests(() => (dataDir !== '' ? rm(dataDir, { recursive: true, force: true }) : undefined));

function regionClient(url: string, region: string): DynamoDBClient {
  return new DynamoDBClient({ region, endpoint: url, credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' }, maxAttempts: 1 });
}

async function count(client: DynamoDBClient): Promise<number> {
  const { Count } = await client.send(new ScanCommand({ TableName: 'durable', Select: 'COUNT', ConsistentRead: true }));
  return Count ?? 0;
}

test('replication pending at a kill -9 catches up after the restart', async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'cairn-gt-restart-'));
  // Replication rounds far apart: the writes below are certainly not replicated before the kill.
  const first = await spawnCairn(['--data', dataDir, '--replication-interval-ms', '600000']);
  running.push(first);
  const east = regionClient(first.url, 'us-east-1');
  await east.send(
    new CreateTableCommand({
      TableName: 'durable',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await east.send(new UpdateTableCommand({ TableName: 'durable', ReplicaUpdates: [{ Create: { RegionName: 'eu-west-1' } }] }));
  const deadline = Date.now() + 5000;
  for (;;) {
    const { Table } = await east.send(new DescribeTableCommand({ TableName: 'durable' }));
    if (Table?.Replicas?.[0]?.ReplicaStatus === 'ACTIVE') break;
    assert.ok(Date.now() < deadline, 'the replica becomes ACTIVE');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  for (let i = 0; i < 25; i++) await east.send(new PutItemCommand({ TableName: 'durable', Item: { id: { S: `k${i}` } } }));
  assert.equal(await count(regionClient(first.url, 'eu-west-1')), 0);
  first.child.kill('SIGKILL');
  await first.exited;

  const second = await spawnCairn(['--data', dataDir]);
  running.push(second);
  const west = regionClient(second.url, 'eu-west-1');
  const until = Date.now() + 2000;
  while ((await count(west)) !== 25) {
    assert.ok(Date.now() < until, 'eu-west-1 has every write within 2 s of the restart');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const { Table } = await west.send(new DescribeTableCommand({ TableName: 'durable' }));
  assert.deepEqual(Table?.Replicas, [{ RegionName: 'us-east-1', ReplicaStatus: 'ACTIVE' }]);
});
