/**
 * Stream triggers across restarts: the position is checkpointed in Cairn's storage, so a trigger resumes where
 * it stopped — after a graceful close, and after kill -9 in the middle of deliveries — with no record lost and
 * duplicates only as at-least-once delivery allows (the batches in flight at the stop). Triggers come from the
 * configuration file (`--config`) and `--trigger` flags of the command line, or from the admin endpoint (stored).
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startCairn } from '../helpers/cairn.js';
import { spawnCairn } from '../helpers/cairn-process.js';
import { admin, createTrigger, deliveredKeys, eventually, keysFrom, putKeys, recordingModule, streamTable, tempDir } from './triggers-fixtures.js';

const dir = tempDir();
after(() => dir.remove());

/** Every key delivered at least once; how many deliveries were repeats. */
function assertAllDelivered(delivered: readonly string[], expected: readonly string[]): number {
  const seen = new Set(delivered);
  const missing = expected.filter((key) => !seen.has(key));
  assert.deepEqual(missing, [], `${missing.length} acknowledged writes never reached the handler`);
  return delivered.length - seen.size;
}

/** The first delivery of each key comes in the order the keys were written. */
function assertFirstDeliveriesInOrder(delivered: readonly string[], expected: readonly string[]): void {
  const first: string[] = [];
  const seen = new Set<string>();
  for (const key of delivered) {
    if (!seen.has(key)) first.push(key);
    seen.add(key);
  }
  assert.deepEqual(
    first.filter((key) => expected.includes(key)),
    expected,
  );
}

describe('a graceful restart', () => {
  test('resumes an admin-created trigger where it stopped', async () => {
    const data = join(dir.path, 'graceful-data');
    const out = join(dir.path, 'graceful.jsonl');
    // 50 ms per batch of 5: the close comes while deliveries are still under way.
    const handler = recordingModule(dir.path, 'graceful.mjs', out, 'await new Promise((resolve) => setTimeout(resolve, 50));');

    const first = await startCairn({ dataDir: data });
    await first.client.send(new CreateTableCommand(streamTable('resumed')));
    await createTrigger(first, { Id: 'resumed', TableName: 'resumed', Handler: handler, BatchSize: 5 });
    const before = keysFrom('a', 60);
    await putKeys(first.client, 'resumed', before);
    await first.server.close();
    first.client.destroy();
    const deliveredBeforeRestart = deliveredKeys(out).length;
    assert.ok(deliveredBeforeRestart < 60, 'the close came before everything was delivered');

    const second = await startCairn({ dataDir: data });
    try {
      const description = (await admin(second, 'GET', '/cairn/triggers/resumed')).body as { Source: string };
      assert.equal(description.Source, 'api', 'the trigger was stored');
      const later = keysFrom('b', 20);
      await putKeys(second.client, 'resumed', later);
      await eventually(() => deliveredKeys(out).includes('b0019'), 'the last write', 15_000);
      const delivered = deliveredKeys(out);
      const duplicates = assertAllDelivered(delivered, [...before, ...later]);
      assert.ok(duplicates <= 5, `${duplicates} duplicates: at most the batch in flight at the close`);
      assertFirstDeliveriesInOrder(delivered, [...before, ...later]);
    } finally {
      await second.close();
    }
  });
});

describe('kill -9', () => {
  test('during deliveries loses no acknowledged record (configuration file trigger)', async () => {
    const data = join(dir.path, 'killed-data');
    const out = join(dir.path, 'killed.jsonl');
    recordingModule(dir.path, 'killed.mjs', out, 'await new Promise((resolve) => setTimeout(resolve, 50));');
    const config = join(dir.path, 'killed.config.json');
    writeFileSync(config, JSON.stringify({ triggers: [{ Id: 'killed', TableName: 'killed', Handler: './killed.mjs', BatchSize: 10, StartingPosition: 'TRIM_HORIZON' }] }));

    const first = await spawnCairn(['--data', data, '--config', config]);
    const acknowledged: string[] = [];
    try {
      await first.client.send(new CreateTableCommand(streamTable('killed')));
      // Eight writers; the kill comes once 400 writes are acknowledged and deliveries are under way.
      const writer = async (w: number): Promise<void> => {
        for (let i = 0; ; i++) {
          const key = `w${w}-${String(i).padStart(4, '0')}`;
          await first.client.send(new PutItemCommand({ TableName: 'killed', Item: { id: { S: key } } }));
          acknowledged.push(key);
          if (acknowledged.length >= 400) {
            if (deliveredKeys(out).length > 0) first.child.kill('SIGKILL');
          }
        }
      };
      await Promise.allSettled(Array.from({ length: 8 }, (_, w) => writer(w)));
      assert.equal(await first.exited, 'SIGKILL');
    } finally {
      first.client.destroy();
      if (first.child.exitCode === null && first.child.signalCode === null) first.child.kill('SIGKILL');
    }
    assert.ok(deliveredKeys(out).length < acknowledged.length, 'killed before everything was delivered');

    const second = await spawnCairn(['--data', data, '--config', config]);
    try {
      await putKeys(second.client, 'killed', ['after-restart']);
      await eventually(() => deliveredKeys(out).includes('after-restart'), 'the write after the restart', 15_000);
      const delivered = deliveredKeys(out);
      assertAllDelivered(delivered, [...acknowledged, 'after-restart']);
      const perWriter = (w: number): string[] => acknowledged.filter((key) => key.startsWith(`w${w}-`));
      for (let w = 0; w < 8; w++) assertFirstDeliveriesInOrder(delivered, perWriter(w));
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
      second.client.destroy();
    }
  });
});

describe('the command line', () => {
  const CLI = fileURLToPath(new URL('../../bundle/cli.js', import.meta.url));

  test('--trigger runs a trigger; admin cannot remove it', async () => {
    const out = join(dir.path, 'flagged.jsonl');
    const handler = recordingModule(dir.path, 'flagged.mjs', out);
    const cairn = await spawnCairn(['--in-memory', '--trigger', `id=flagged,table=flagged,handler=${handler},batch-size=2,filter={"eventName":["INSERT"]}`]);
    const client: DynamoDBClient = cairn.client;
    try {
      await client.send(new CreateTableCommand(streamTable('flagged')));
      await putKeys(client, 'flagged', ['x1', 'x2', 'x3']);
      await eventually(() => deliveredKeys(out).length === 3, 'three records');
      const response = await fetch(`${cairn.url}/cairn/triggers/flagged`, { method: 'DELETE' });
      assert.equal(response.status, 409);
      const description = (await (await fetch(`${cairn.url}/cairn/triggers/flagged`)).json()) as { Source: string; BatchSize: number };
      assert.equal(description.Source, 'config');
      assert.equal(description.BatchSize, 2);
    } finally {
      cairn.child.kill('SIGTERM');
      await cairn.exited;
      client.destroy();
    }
  });

  test('refuses a bad trigger before starting', async () => {
    const child = spawn(process.execPath, [CLI, '--in-memory', '--port', '0', '--trigger', 'table=things,handler=./does-not-exist.mjs'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(code, 2);
    assert.match(stderr, /Handler module not found/);
  });
});
