/**
 * Serving from PostgreSQL through the CLI, as a user would: `--postgres URL`, CAIRN_POSTGRES_URL and the
 * configuration file's `postgres`; the data survives kill -9 of the process; options that only mean something for
 * an LMDB data directory are refused with it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateTableCommand,
  DescribeTableCommand,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { killedAfterTests, spawnCairn } from '../helpers/cairn-process.js';
import { postgresUnavailable } from '../helpers/postgres-server.js';
import { testDatabase } from '../helpers/test-storage.js';

const CLI = fileURLToPath(new URL('../../src/cli.js', import.meta.url));
const skip = postgresUnavailable();
const root = mkdtempSync(join(tmpdir(), 'cairn-postgres-cli-'));
const running = killedAfterTests(() => rmSync(root, { recursive: true, force: true }));

test('--postgres URL serves from PostgreSQL; what was acknowledged survives kill -9 and a restart', { skip }, async () => {
  const url = await testDatabase();
  const first = await spawnCairn(['--postgres', url]);
  running.push(first);
  await first.client.send(new CreateTableCommand({
    TableName: 'users',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  }));
  await first.client.send(new PutItemCommand({ TableName: 'users', Item: { id: { S: '1' }, name: { S: 'Ada' } } }));
  first.child.kill('SIGKILL');
  assert.equal(await first.exited, 'SIGKILL');
  const second = await spawnCairn(['--postgres', url]);
  running.push(second);
  assert.deepEqual((await second.client.send(new ListTablesCommand({}))).TableNames, ['users']);
  const { Item } = await second.client.send(new GetItemCommand({ TableName: 'users', Key: { id: { S: '1' } } }));
  assert.deepEqual(Item, { id: { S: '1' }, name: { S: 'Ada' } });
});

test('CAIRN_POSTGRES_URL and the configuration file\'s "postgres" name the database too', { skip }, async () => {
  const fromEnvironment = await testDatabase();
  process.env['CAIRN_POSTGRES_URL'] = fromEnvironment;
  try {
    const cairn = await spawnCairn([]);
    running.push(cairn);
    await cairn.client.send(new PutItemCommand({ TableName: 'missing', Item: { id: { S: '1' } } })).catch((error: Error) => {
      assert.equal(error.name, 'ResourceNotFoundException');
    });
    cairn.child.kill('SIGKILL');
  } finally {
    delete process.env['CAIRN_POSTGRES_URL'];
  }
  const fromFile = await testDatabase();
  const config = join(root, 'cairn.config.json');
  writeFileSync(config, JSON.stringify({ postgres: fromFile }));
  const cairn = await spawnCairn(['--config', config]);
  running.push(cairn);
  await cairn.client.send(new CreateTableCommand({
    TableName: 'configured',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  }));
  // The flag wins over the file: this one serves the other database, which has no tables.
  const flagged = await spawnCairn(['--config', config, '--postgres', fromEnvironment]);
  running.push(flagged);
  assert.deepEqual((await flagged.client.send(new ListTablesCommand({}))).TableNames, []);
  assert.deepEqual((await cairn.client.send(new ListTablesCommand({}))).TableNames, ['configured']);
});

test('concurrent writes through one server on PostgreSQL, grouped into shared transactions, each keep their own answer', { skip }, async () => {
  const cairn = await spawnCairn(['--postgres', await testDatabase()]);
  running.push(cairn);
  const client = cairn.client;
  await client.send(new CreateTableCommand({
    TableName: 'grouped',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  }));
  // Three conditional creates of each of 20 items at once: exactly one of each wins.
  const creates = await Promise.allSettled(
    Array.from({ length: 60 }, (_, i) =>
      client.send(new PutItemCommand({
        TableName: 'grouped',
        Item: { id: { S: `item-${i % 20}` }, by: { N: String(i) } },
        ConditionExpression: 'attribute_not_exists(id)',
      })),
    ),
  );
  const refused = creates.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  assert.equal(refused.length, 40);
  for (const { reason } of refused) {
    const error = reason as Error & { $metadata?: { httpStatusCode?: number } };
    assert.equal(error.name, 'ConditionalCheckFailedException');
    assert.equal(error.message, 'The conditional request failed');
    assert.equal(error.$metadata?.httpStatusCode, 400);
  }
  // 40 increments of 4 counters at once: exact.
  await Promise.all(
    Array.from({ length: 40 }, (_, i) =>
      client.send(new UpdateItemCommand({
        TableName: 'grouped',
        Key: { id: { S: `counter-${i % 4}` } },
        UpdateExpression: 'ADD n :one',
        ExpressionAttributeValues: { ':one': { N: '1' } },
      })),
    ),
  );
  for (let counter = 0; counter < 4; counter++) {
    const { Item } = await client.send(new GetItemCommand({ TableName: 'grouped', Key: { id: { S: `counter-${counter}` } }, ConsistentRead: true }));
    assert.deepEqual(Item, { id: { S: `counter-${counter}` }, n: { N: '10' } });
  }
  const items = await client.send(new ScanCommand({ TableName: 'grouped', Select: 'COUNT' }));
  assert.equal(items.Count, 24);
  const { Table } = await client.send(new DescribeTableCommand({ TableName: 'grouped' }));
  assert.equal(Table?.ItemCount, 24, 'the statistics count every item once, whichever bucket each commit took');
});

test('options of an LMDB data directory are refused with --postgres, and so is a URL that is not one', () => {
  const url = 'postgres://cairn:secret@127.0.0.1:5432/cairn';
  const keyFile = join(root, 'key');
  writeFileSync(keyFile, 'ab'.repeat(32));
  const badConfig = join(root, 'bad.config.json');
  writeFileSync(badConfig, JSON.stringify({ postgres: 'mysql://x' }));
  const cases: ReadonlyArray<readonly [string[], number, string]> = [
    [['--postgres', url, '--in-memory'], 2, 'cairn: --postgres and --in-memory name two different stores: give one\n'],
    [['--postgres', url, '--data', root], 2, 'cairn: --data names an LMDB data directory; with --postgres the data is kept in PostgreSQL\n'],
    [
      ['--postgres', url, '--encryption-key-file', keyFile],
      2,
      "cairn: --encryption-key-file encrypts an LMDB data directory at rest; with --postgres, use PostgreSQL's own encryption at rest (disk or tablespace encryption)\n",
    ],
    [['--postgres', 'https://user:pw@example.invalid/x'], 2, 'cairn: invalid PostgreSQL URL (expected postgres://user:password@host:port/database): https://user:***@example.invalid/x\n'],
    [['--config', badConfig], 2, `cairn: ${badConfig}: "postgres" must be a connection URL, postgres://user:password@host:port/database\n`],
  ];
  for (const [args, status, firstLine] of cases) {
    const result = spawnSync(process.execPath, [CLI, '--port', '0', ...args], { encoding: 'utf8', env: { ...process.env, CAIRN_POSTGRES_URL: '' } });
    assert.equal(result.status, status, args.join(' '));
    assert.equal(result.stderr.split('\n')[0] + '\n', firstLine, args.join(' '));
  }
});
