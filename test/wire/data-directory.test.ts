/**
 * One Cairn process per data directory: a second one on the same `--data` refuses to start (naming the directory
 * and the holder's pid), a `--data` that is a file is refused before anything is created, and a lock left by a
 * process that died (kill -9) does not block a restart.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawnCairn, type CairnProcess, killedAfterTests } from '../helpers/cairn-process.js';
import { LMDB_ONLY } from '../helpers/test-storage.js';

const root = mkdtempSync(join(tmpdir(), 'cairn-data-dir-'));
const running = killedAfterTests(() => rmSync(root, { recursive: true, force: true }));

async function stop(cairn: CairnProcess, signal: NodeJS.Signals): Promise<number | string> {
  cairn.child.kill(signal);
  const exit = await cairn.exited;
  cairn.client.destroy();
  return exit;
}

test('a second process on the same data directory is refused, naming the directory and the holder', { skip: LMDB_ONLY }, async () => {
  const dataDir = join(root, 'shared');
  const first = await spawnCairn(['--data', dataDir]);
  running.push(first);
  await assert.rejects(
    spawnCairn(['--data', dataDir]),
    (error: Error) => {
      assert.match(error.message, /^Cairn exited \(1\) before listening: /);
      assert.ok(
        error.message.includes(
          `cairn: data directory ${dataDir} is in use by another Cairn instance (process ${first.child.pid}); one process per data directory\n`,
        ),
        error.message,
      );
      return true;
    },
  );
  // The first one is unaffected, and once it has stopped the directory is free again.
  await first.client.send(new ListTablesCommand({}));
  assert.equal(await stop(first, 'SIGTERM'), 0);
  assert.equal(existsSync(join(dataDir, 'cairn.pid')), false);
  const next = await spawnCairn(['--data', dataDir]);
  running.push(next);
  assert.equal(await stop(next, 'SIGTERM'), 0);
});

test('a lock left by a process killed with -9 does not block a restart', { skip: LMDB_ONLY }, async () => {
  const dataDir = join(root, 'killed');
  const first = await spawnCairn(['--data', dataDir]);
  running.push(first);
  assert.equal(await stop(first, 'SIGKILL'), 'SIGKILL');
  assert.equal(readFileSync(join(dataDir, 'cairn.pid'), 'utf8').split(' ')[0], String(first.child.pid));
  const second = await spawnCairn(['--data', dataDir]);
  running.push(second);
  await second.client.send(new ListTablesCommand({}));
  assert.equal(await stop(second, 'SIGTERM'), 0);
});

test('a lock naming a process that no longer exists is stale', { skip: LMDB_ONLY }, async () => {
  const dataDir = join(root, 'stale');
  const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  const first = await spawnCairn(['--data', dataDir]);
  running.push(first);
  assert.equal(await stop(first, 'SIGTERM'), 0);
  writeFileSync(join(dataDir, 'cairn.pid'), `${gone.stdout} -\n`);
  const second = await spawnCairn(['--data', dataDir]);
  running.push(second);
  assert.equal(await stop(second, 'SIGTERM'), 0);
});

test('a --data that is a file is refused before anything is created', { skip: LMDB_ONLY }, async () => {
  const file = join(root, 'not-a-directory');
  writeFileSync(file, 'precious');
  const before = readdirSync(root).sort();
  await assert.rejects(spawnCairn(['--data', file]), (error: Error) => {
    assert.ok(error.message.includes(`cairn: data directory ${file} is not a directory\n`), error.message);
    return true;
  });
  assert.equal(readFileSync(file, 'utf8'), 'precious');
  assert.deepEqual(readdirSync(root).sort(), before);
});
