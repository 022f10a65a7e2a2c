/**
 * The capacity mode and time scale from the configuration file (`capacity.mode`, `capacity.timeScale`), and the
 * flags that override them, on a Cairn process started as a user starts it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnCairn } from '../helpers/cairn-process.js';

async function reportedMode(args: readonly string[]): Promise<unknown> {
  const cairn = await spawnCairn(['--in-memory', ...args]);
  try {
    const answer = await fetch(`${cairn.url}/cairn/report?format=json`);
    assert.equal(answer.status, 200);
    return ((await answer.json()) as { CapacityMode?: unknown }).CapacityMode;
  } finally {
    cairn.child.kill('SIGTERM');
    await cairn.exited;
  }
}

test('capacity.mode in the configuration file sets the mode; --capacity overrides it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cairn-capacity-config-'));
  try {
    const config = join(dir, 'cairn.config.json');
    await writeFile(config, JSON.stringify({ capacity: { mode: 'enforce', timeScale: 60 } }));
    assert.equal(await reportedMode(['--config', config]), 'enforce');
    assert.equal(await reportedMode(['--config', config, '--capacity', 'account']), 'account');
    assert.equal(await reportedMode([]), 'account');
    await writeFile(config, JSON.stringify({ capacity: { mode: 'sometimes' } }));
    await assert.rejects(spawnCairn(['--in-memory', '--config', config]), /"capacity.mode" must be one of off, account, enforce/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
