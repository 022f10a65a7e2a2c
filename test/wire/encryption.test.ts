/**
 * Encryption at rest through the CLI (`--encryption-key-file`): a marker string written in item values, in a
 * GSI-projected attribute and in stream images never appears in any file of the data directory (before and after a
 * restart, and after kill -9 with writes only in the write-ahead log); a restart with the right key reads it all
 * back; a wrong key, a missing key, a bad key file and a key for an unencrypted directory are refused with their
 * messages; a key rotation under load keeps every item readable; DescribeTable's SSEDescription tells the truth.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { spawnCairn, type CairnProcess, killedAfterTests } from '../helpers/cairn-process.js';
import { startCairn } from '../helpers/cairn.js';
import { LMDB_ONLY } from '../helpers/test-storage.js';

const MARKER = 'MARKER-9b1c-secret';
const root = mkdtempSync(join(tmpdir(), 'cairn-encryption-'));
const running = killedAfterTests(() => rmSync(root, { recursive: true, force: true }));

const keyA = join(root, 'a.key');
const keyB = join(root, 'b.key');
writeFileSync(keyA, `${Buffer.alloc(32, 0xa7).toString('hex')}\n`);
writeFileSync(keyB, Buffer.alloc(32, 0x4e).toString('base64'));

async function start(args: readonly string[]): Promise<CairnProcess> {
  const cairn = await spawnCairn(args);
  running.push(cairn);
  return cairn;
}

async function stop(cairn: CairnProcess, signal: NodeJS.Signals): Promise<void> {
  cairn.child.kill(signal);
  await cairn.exited;
  cairn.client.destroy();
}

/** Starting must fail: the process's exit code and what it printed. */
async function refused(args: readonly string[]): Promise<string> {
  try {
    const cairn = await spawnCairn(args);
    running.push(cairn);
  } catch (error) {
    return (error as Error).message;
  }
  assert.fail('Cairn started');
}

/** Every file of the data directory, byte for byte: none may hold the marker. */
function assertNoMarker(dir: string): { walBytes: number } {
  let walBytes = 0;
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const path = join(dir, name);
    if (!statSync(path).isFile()) continue;
    const bytes = readFileSync(path);
    if (name.startsWith('wal')) walBytes += bytes.length;
    assert.equal(bytes.includes(Buffer.from(MARKER)), false, `${name} holds the marker in clear`);
  }
  return { walBytes };
}

const TABLE = 'vault';

async function createTable(client: DynamoDBClient): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: TABLE,
      AttributeDefinitions: [
        { AttributeName: 'id', AttributeType: 'S' },
        { AttributeName: 'g', AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [{ IndexName: 'byGroup', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['secret'] } }],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
}

async function putMarked(client: DynamoDBClient, n: number): Promise<void> {
  await client.send(
    new PutItemCommand({
      TableName: TABLE,
      Item: { id: { S: `item${n}` }, g: { S: 'g1' }, secret: { S: `${MARKER} ${n}` }, deep: { M: { list: { L: [{ S: MARKER }] } } } },
    }),
  );
}

async function assertReadable(cairn: CairnProcess, count: number): Promise<void> {
  for (const n of [0, Math.floor(count / 2), count - 1]) {
    const { Item } = await cairn.client.send(new GetItemCommand({ TableName: TABLE, Key: { id: { S: `item${n}` } }, ConsistentRead: true }));
    assert.equal(Item?.secret?.S, `${MARKER} ${n}`);
  }
  const { Items } = await cairn.client.send(
    new QueryCommand({ TableName: TABLE, IndexName: 'byGroup', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'g1' } } }),
  );
  assert.equal(Items?.length, count);
  assert.ok(Items?.every((item) => item.secret?.S?.startsWith(MARKER)));
}

test('a marker in item values, a GSI projection and stream images is in no file of the data directory, across restarts and kill -9', { skip: LMDB_ONLY }, async () => {
  const dataDir = join(root, 'marker');
  const first = await start(['--data', dataDir, '--encryption-key-file', keyA]);
  await createTable(first.client);
  for (let n = 0; n < 40; n++) await putMarked(first.client, n);
  await first.client.send(
    new UpdateItemCommand({ TableName: TABLE, Key: { id: { S: 'item0' } }, UpdateExpression: 'SET note = :m', ExpressionAttributeValues: { ':m': { S: MARKER } } }),
  );
  assertNoMarker(dataDir);
  await stop(first, 'SIGTERM');
  assertNoMarker(dataDir);

  // Kill -9 while writes are still only in the write-ahead log.
  const second = await start(['--data', dataDir, '--encryption-key-file', keyA]);
  await assertReadable(second, 40);
  for (let n = 40; n < 200; n++) await putMarked(second.client, n);
  second.child.kill('SIGKILL');
  await second.exited;
  second.client.destroy();
  const { walBytes } = assertNoMarker(dataDir);
  assert.ok(walBytes > 0, 'writes were left in the write-ahead log');

  // Replayed with the right key: everything is back, the stream images included.
  const third = await start(['--data', dataDir, '--encryption-key-file', keyA]);
  await assertReadable(third, 200);
  const described = await third.client.send(new DescribeTableCommand({ TableName: TABLE }));
  const streams = new DynamoDBStreamsClient({ region: 'us-east-1', endpoint: third.url, credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' }, maxAttempts: 1 });
  try {
    const stream = await streams.send(new DescribeStreamCommand({ StreamArn: described.Table?.LatestStreamArn }));
    let images = 0;
    for (const shard of stream.StreamDescription?.Shards ?? []) {
      const { ShardIterator } = await streams.send(
        new GetShardIteratorCommand({ StreamArn: described.Table?.LatestStreamArn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
      );
      const { Records } = await streams.send(new GetRecordsCommand({ ShardIterator }));
      images += (Records ?? []).filter((record) => record.dynamodb?.NewImage?.secret?.S?.startsWith(MARKER) === true).length;
    }
    assert.equal(images, 201);
  } finally {
    streams.destroy();
  }
  await stop(third, 'SIGTERM');
  assertNoMarker(dataDir);
});

test('a wrong key, no key, a bad key file and a key for an unencrypted directory are refused at start-up', { skip: LMDB_ONLY }, async () => {
  const dataDir = join(root, 'refusals');
  const cairn = await start(['--data', dataDir, '--encryption-key-file', keyA]);
  await createTable(cairn.client);
  await putMarked(cairn.client, 0);
  await stop(cairn, 'SIGTERM');

  const wrong = await refused(['--data', dataDir, '--encryption-key-file', keyB]);
  assert.match(wrong, /^Cairn exited \(1\) before listening: /);
  assert.ok(wrong.endsWith(`cairn: the key of --encryption-key-file is not the key data directory ${dataDir} is encrypted with\n`), wrong);
  const missing = await refused(['--data', dataDir]);
  assert.ok(missing.endsWith(`cairn: data directory ${dataDir} is encrypted at rest: start Cairn with --encryption-key-file naming its key\n`), missing);

  const badKey = join(root, 'bad.key');
  writeFileSync(badKey, 'not a key\n');
  const bad = await refused(['--data', dataDir, '--encryption-key-file', badKey]);
  assert.match(bad, /^Cairn exited \(1\) before listening: /);
  assert.ok(
    bad.includes(
      `cairn: encryption key file ${badKey} does not hold a 256-bit key: expected 32 raw bytes, 64 hexadecimal characters or ` +
        '44 characters of base64 (one trailing newline allowed), found 10 bytes that are none of these\n',
    ),
    bad,
  );

  const plainDir = join(root, 'plain');
  const plain = await start(['--data', plainDir]);
  await stop(plain, 'SIGTERM');
  const unencrypted = await refused(['--data', plainDir, '--encryption-key-file', keyA]);
  assert.ok(
    unencrypted.endsWith(
      `cairn: data directory ${plainDir} was written without encryption: Cairn does not encrypt an existing directory in place; ` +
        'start without --encryption-key-file, or give a new data directory and copy the tables into it\n',
    ),
    unencrypted,
  );
  const previousAlone = await refused(['--data', dataDir, '--previous-encryption-key-file', keyA]);
  assert.ok(previousAlone.includes('cairn: --previous-encryption-key-file needs --encryption-key-file (the new key)\n'), previousAlone);
  const inMemory = await refused(['--in-memory', '--encryption-key-file', keyA]);
  assert.ok(inMemory.includes('cairn: --encryption-key-file has nothing to encrypt with --in-memory: nothing is written to disk\n'), inMemory);

  // The right key still opens it, named in the configuration file this time.
  const config = join(root, 'cairn.config.json');
  writeFileSync(config, JSON.stringify({ encryptionKeyFile: './a.key' }));
  const again = await start(['--data', dataDir, '--config', config]);
  const { Item } = await again.client.send(new GetItemCommand({ TableName: TABLE, Key: { id: { S: 'item0' } } }));
  assert.equal(Item?.secret?.S, `${MARKER} 0`);
  await stop(again, 'SIGTERM');
  // The flag wins over the file.
  const overridden = await refused(['--data', dataDir, '--config', config, '--encryption-key-file', keyB]);
  assert.ok(overridden.endsWith(`cairn: the key of --encryption-key-file is not the key data directory ${dataDir} is encrypted with\n`), overridden);
});

test('a key rotation under load keeps every item readable, then the directory needs only the new key', { skip: LMDB_ONLY }, async () => {
  const dataDir = join(root, 'rotation');
  const ITEMS = 300;
  const first = await start(['--data', dataDir, '--encryption-key-file', keyA]);
  await createTable(first.client);
  for (let n = 0; n < ITEMS; n++) await putMarked(first.client, n);
  await stop(first, 'SIGTERM');

  const rotating = await start(['--data', dataDir, '--encryption-key-file', keyB, '--previous-encryption-key-file', keyA, '--log-level', 'info']);
  // Rewrites and reads while the rotation runs.
  for (let round = 0; round < 3; round++) {
    for (let n = round; n < ITEMS; n += 7) await putMarked(rotating.client, n);
    await assertReadable(rotating, ITEMS);
  }
  const deadline = Date.now() + 20_000;
  while (!rotating.stderr().includes('encryption key rotation finished: the data directory no longer needs the previous key')) {
    assert.ok(Date.now() < deadline, `no rotation message: ${rotating.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await assertReadable(rotating, ITEMS);
  await stop(rotating, 'SIGTERM');
  assertNoMarker(dataDir);

  const after = await start(['--data', dataDir, '--encryption-key-file', keyB]);
  await assertReadable(after, ITEMS);
  await stop(after, 'SIGTERM');
  const old = await refused(['--data', dataDir, '--encryption-key-file', keyA]);
  assert.ok(old.endsWith(`cairn: the key of --encryption-key-file is not the key data directory ${dataDir} is encrypted with\n`), old);
});

test('SSEDescription: DynamoDB\'s answers with encryption at rest; Status DISABLED without it', { skip: LMDB_ONLY }, async () => {
  const encrypted = await startCairn({ encryption: { key: Buffer.alloc(32, 1) } });
  const plain = await startCairn();
  try {
    const table = (name: string, sse?: { Enabled?: boolean; SSEType?: 'KMS'; KMSMasterKeyId?: string }) =>
      new CreateTableCommand({
        TableName: name,
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        ...(sse !== undefined ? { SSESpecification: sse } : {}),
      });
    const keyId = '1234abcd-12ab-34cd-56ef-1234567890ab';
    const keyArn = `arn:aws:kms:us-east-1:000000000000:key/${keyId}`;
    // With a key: the AWS-owned key has no SSEDescription; KMS is ENABLED with its key.
    assert.equal((await encrypted.client.send(table('owned'))).TableDescription?.SSEDescription, undefined);
    assert.deepEqual((await encrypted.client.send(table('named', { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: keyId }))).TableDescription?.SSEDescription, {
      Status: 'ENABLED',
      SSEType: 'KMS',
      KMSMasterKeyArn: keyArn,
    });
    assert.deepEqual((await encrypted.client.send(new DescribeTableCommand({ TableName: 'named' }))).Table?.SSEDescription?.Status, 'ENABLED');
    // Without: nothing is encrypted, and DescribeTable says so; the KMS key asked for is still described.
    assert.deepEqual((await plain.client.send(table('owned'))).TableDescription?.SSEDescription, { Status: 'DISABLED' });
    assert.deepEqual((await plain.client.send(table('named', { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: keyId }))).TableDescription?.SSEDescription, {
      Status: 'DISABLED',
      SSEType: 'KMS',
      KMSMasterKeyArn: keyArn,
    });
    assert.deepEqual((await plain.client.send(new DescribeTableCommand({ TableName: 'owned' }))).Table?.SSEDescription, { Status: 'DISABLED' });
  } finally {
    await encrypted.close();
    await plain.close();
  }
});
