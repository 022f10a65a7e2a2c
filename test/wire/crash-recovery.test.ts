/**
 * Restarting after a crash that left a large unmerged write-ahead log: the restarted server loads the log into its
 * pending writes and answers at once, before its merges have moved the log into LMDB (the log is trimmed only as
 * they do), and serves every acknowledged write; killed again in the middle of those merges, the next start still
 * serves every acknowledged write, and once its merges are done, LMDB holds them all.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  GetItemCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { clientFor, killedAfterTests, spawnCairn, type CairnProcess } from '../helpers/cairn-process.js';
import { hashKeyTable } from '../helpers/tables.js';
import { LMDB_ONLY } from '../helpers/test-storage.js';

const SERVER = fileURLToPath(new URL('./fixtures/held-merges-server.js', import.meta.url));
const TABLE = 'recovered';
const ITEMS = 1500;
/** About 2 KB per item: some 3 MB of log, dozens of the fixture's segments. */
const PAYLOAD = 'p'.repeat(2000);

type Item = Record<string, AttributeValue>;

let dataDir = '';
const running = killedAfterTests(() => (dataDir === '' ? undefined : rm(dataDir, { recursive: true, force: true })));

const idOf = (n: number): string => `item-${n}`;

/** What every acknowledged write left: items 0..ITEMS-1, the first hundred deleted, the next hundred updated. */
function expected(n: number): Item | undefined {
  if (n < 100) return undefined;
  return { id: { S: idOf(n) }, n: { N: String(n) }, payload: { S: PAYLOAD }, ...(n < 200 ? { updated: { BOOL: true } } : {}) };
}

/** The original segments still in the log (their file names). */
function segments(): string[] {
  return readdirSync(join(dataDir, 'wal')).sort();
}

/** Starts the fixture server (merges held back) and waits for its `listening on` line. */
function startHeldServer(): Promise<{ url: string; kill: () => Promise<void> }> {
  const child = spawn(process.execPath, [SERVER, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not start: ${output}`));
    }, 10_000);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1] === undefined) return;
      clearTimeout(timer);
      resolve({
        url: match[1],
        kill: async () => {
          child.kill('SIGKILL');
          await exited;
        },
      });
    });
    child.once('exit', () => {
      clearTimeout(timer);
      reject(new Error(`the server exited before listening: ${output}`));
    });
  });
}

async function assertEveryWrite(client: DynamoDBClient): Promise<void> {
  for (let start = 0; start < ITEMS; start += 100) {
    const keys = Array.from({ length: 100 }, (_, i) => ({ id: { S: idOf(start + i) } }));
    let request: Record<string, { Keys: Item[] }> | undefined = { [TABLE]: { Keys: keys } };
    const found = new Map<string, Item>();
    while (request !== undefined && Object.keys(request).length > 0) {
      const answer = await client.send(new BatchGetItemCommand({ RequestItems: request }));
      for (const item of answer.Responses?.[TABLE] ?? []) found.set(item.id?.S as string, item);
      request = answer.UnprocessedKeys as Record<string, { Keys: Item[] }> | undefined;
    }
    for (let n = start; n < start + 100; n++) assert.deepEqual(found.get(idOf(n)), expected(n), `item ${n}`);
  }
  const { Table } = await client.send(new DescribeTableCommand({ TableName: TABLE }));
  assert.equal(Table?.ItemCount, ITEMS - 100);
}

test('a restart with a large unmerged log answers before the merge ends and serves every acknowledged write, through a second crash', { skip: LMDB_ONLY, timeout: 120_000 }, async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'cairn-crash-recovery-'));

  // 1. Writes acknowledged by a server whose merges are held back, then kill -9: all of them only in the log.
  const held = await startHeldServer();
  const writer = clientFor(held.url);
  try {
    await writer.send(new CreateTableCommand(hashKeyTable(TABLE)));
    for (let start = 0; start < ITEMS; start += 25) {
      const puts = Array.from({ length: 25 }, (_, i) => ({
        PutRequest: { Item: { id: { S: idOf(start + i) }, n: { N: String(start + i) }, payload: { S: PAYLOAD } } },
      }));
      const answer = await writer.send(new BatchWriteItemCommand({ RequestItems: { [TABLE]: puts } }));
      assert.deepEqual(answer.UnprocessedItems ?? {}, {});
    }
    for (let n = 0; n < 100; n++) await writer.send(new DeleteItemCommand({ TableName: TABLE, Key: { id: { S: idOf(n) } } }));
    for (let n = 100; n < 200; n++) {
      await writer.send(
        new UpdateItemCommand({ TableName: TABLE, Key: { id: { S: idOf(n) } }, UpdateExpression: 'SET updated = :t', ExpressionAttributeValues: { ':t': { BOOL: true } } }),
      );
    }
  } finally {
    writer.destroy();
    await held.kill();
  }
  const logged = segments();
  assert.ok(logged.length >= 20, `the log has ${logged.length} segments`);

  // 2. The restart answers while the log is still there (unmerged), and serves the log's writes.
  const second = await spawnCairn(['--data', dataDir]);
  running.push(second);
  const { Item } = await second.client.send(new GetItemCommand({ TableName: TABLE, Key: { id: { S: idOf(150) } } }));
  assert.deepEqual(Item, expected(150));
  const left = segments();
  assert.ok(
    logged.every((name) => left.includes(name)),
    `the first answer came before any merge: the log's ${logged.length} segments are all there (${left.length} files)`,
  );

  // 3. Killed again once its merges have begun (some segments merged and deleted), before they end.
  await killDuringMerge(second, logged);

  // 4. The next start serves every acknowledged write, and so does LMDB once its merges are done.
  const third = await spawnCairn(['--data', dataDir]);
  running.push(third);
  await assertEveryWrite(third.client);
  for (let waited = 0; segments().some((name) => logged.includes(name)) && waited < 60_000; waited += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.deepEqual(
    segments().filter((name) => logged.includes(name)),
    [],
    'the merges moved the whole log into LMDB and deleted it',
  );
  third.child.kill('SIGTERM');
  assert.equal(await third.exited, 0);
  third.client.destroy();
  const fourth = await spawnCairn(['--data', dataDir]);
  running.push(fourth);
  await assertEveryWrite(fourth.client);
});

/** Waits until some of the `logged` segments are gone (merged) while others remain, then kills with SIGKILL. */
async function killDuringMerge(cairn: CairnProcess, logged: readonly string[]): Promise<void> {
  for (let waited = 0; waited < 60_000; waited += 2) {
    const remaining = segments().filter((name) => logged.includes(name)).length;
    if (remaining < logged.length) {
      cairn.child.kill('SIGKILL');
      assert.equal(await cairn.exited, 'SIGKILL');
      cairn.client.destroy();
      assert.ok(remaining > 0, 'killed while segments of the log were still unmerged');
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  assert.fail('the merges of the recovered log did not begin');
}
