/**
 * DeleteTable, then kill -9: the drop is part of the table's deletion commit (in the write-ahead log), so a
 * restart neither brings the table's items, index entries, TTL entries and stream records back as rows that no
 * table owns, nor lets a re-created table of the same name see any of them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type GetRecordsCommandOutput,
  type GetShardIteratorCommandOutput,
} from '@aws-sdk/client-dynamodb-streams';
import { spawnCairn, killedAfterTests } from '../helpers/cairn-process.js';
import { LmdbStorage } from '../../src/storage/lmdb/lmdb-storage.js';
import { CATALOG_SPACE } from '../../src/engine/catalog.js';
import { CATALOG_VERSION_SPACE } from '../../src/engine/catalog-version.js';
import type { TableMetadata } from '../../src/engine/table-metadata.js';

const TABLE = 'dropped';
const ITEMS = 300;

const definition: CreateTableCommandInput = {
  TableName: TABLE,
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  AttributeDefinitions: [
    { AttributeName: 'id', AttributeType: 'S' },
    { AttributeName: 'g', AttributeType: 'S' },
  ],
  BillingMode: 'PAY_PER_REQUEST',
  GlobalSecondaryIndexes: [
    { IndexName: 'byGroup', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } },
  ],
  StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
};

let dataDir = '';
const running = killedAfterTests(async () => {
  if (dataDir !== '') await rm(dataDir, { recursive: true, force: true });
});

/** Every storage space that holds keys, read straight from the store of a stopped Cairn. */
async function spacesIn(dir: string): Promise<{ spaces: Set<string>; tables: TableMetadata[] }> {
  const storage = new LmdbStorage({ path: dir });
  try {
    const tables: TableMetadata[] = [];
    for await (const { value } of storage.range(CATALOG_SPACE)) tables.push(value as TableMetadata);
    // Reaching under the interface: LMDB keys are `space 0x00 key` (space-keys.ts).
    const db = (storage as unknown as { db: { getKeys(): Iterable<Buffer> } }).db;
    const spaces = new Set<string>();
    for (const key of db.getKeys()) spaces.add(key.subarray(0, key.indexOf(0)).toString('utf8'));
    return { spaces, tables };
  } finally {
    await storage.close();
  }
}

test('a table deleted just before kill -9 leaves no rows behind, and its name comes back empty', { timeout: 60_000 }, async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'cairn-drop-crash-'));
  const first = await spawnCairn(['--data', dataDir]);
  running.push(first);
  await first.client.send(new CreateTableCommand(definition));
  await first.client.send(
    new UpdateTimeToLiveCommand({ TableName: TABLE, TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } }),
  );
  const expires = String(Math.floor(Date.now() / 1000) + 3600);
  for (let n = 0; n < ITEMS; n++) {
    await first.client.send(
      new PutItemCommand({ TableName: TABLE, Item: { id: { S: `item-${n}` }, g: { S: `g${n % 3}` }, expires: { N: expires } } }),
    );
  }
  const { Table } = await first.client.send(new DescribeTableCommand({ TableName: TABLE }));
  const oldTableId = Table?.TableId as string;
  assert.equal(Table?.ItemCount, ITEMS);
  await first.client.send(new DeleteTableCommand({ TableName: TABLE }));
  first.child.kill('SIGKILL');
  assert.equal(await first.exited, 'SIGKILL');
  first.client.destroy();

  // After the restart: nothing of the old table in the store.
  const second = await spawnCairn(['--data', dataDir]);
  running.push(second);
  second.child.kill('SIGTERM');
  assert.equal(await second.exited, 0);
  second.client.destroy();
  const afterRestart = await spacesIn(dataDir);
  assert.deepEqual(afterRestart.tables, []);
  // The catalog version (moved by every DDL commit) is catalog state, not a row of the table.
  assert.deepEqual([...afterRestart.spaces].filter((space) => space !== CATALOG_SPACE && space !== CATALOG_VERSION_SPACE), [], `rows of the deleted table ${oldTableId}`);

  // A table re-created under the same name starts empty: items, index and stream.
  const third = await spawnCairn(['--data', dataDir]);
  running.push(third);
  const created = await third.client.send(new CreateTableCommand(definition));
  assert.notEqual(created.TableDescription?.TableId, oldTableId);
  const scan = await third.client.send(new ScanCommand({ TableName: TABLE }));
  assert.deepEqual(scan.Items, []);
  const query = await third.client.send(
    new QueryCommand({
      TableName: TABLE,
      IndexName: 'byGroup',
      KeyConditionExpression: 'g = :g',
      ExpressionAttributeValues: { ':g': { S: 'g0' } },
    }),
  );
  assert.deepEqual(query.Items, []);
  const described = await third.client.send(new DescribeTableCommand({ TableName: TABLE }));
  assert.equal(described.Table?.ItemCount, 0);
  assert.equal(described.Table?.GlobalSecondaryIndexes?.[0]?.ItemCount, 0);
  const streams = new DynamoDBStreamsClient({
    region: 'us-east-1',
    endpoint: third.url,
    credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
    maxAttempts: 1,
  });
  try {
    const stream = await streams.send(new DescribeStreamCommand({ StreamArn: described.Table?.LatestStreamArn }));
    for (const shard of stream.StreamDescription?.Shards ?? []) {
      const iterator: GetShardIteratorCommandOutput = await streams.send(
        new GetShardIteratorCommand({
          StreamArn: described.Table?.LatestStreamArn,
          ShardId: shard.ShardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      );
      const records: GetRecordsCommandOutput = await streams.send(new GetRecordsCommand({ ShardIterator: iterator.ShardIterator }));
      assert.deepEqual(records.Records, []);
    }
  } finally {
    streams.destroy();
  }
  third.child.kill('SIGTERM');
  assert.equal(await third.exited, 0);
  third.client.destroy();
});
