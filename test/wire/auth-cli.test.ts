/**
 * The `cairn` command with `--auth`, `auth` in the configuration file and `--insecure`, run as a process: a good
 * file makes every request need a known key, a bad one refuses to start naming the member at fault, the flag wins
 * over the configuration file, and a non-loopback --host without --auth is refused unless --insecure is given.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawnCairn, killedAfterTests } from '../helpers/cairn-process.js';
import { AUTH_FILE, USER_A, USER_B } from '../helpers/auth.js';
import type { TestCredentials } from '../helpers/cairn.js';

const root = mkdtempSync(join(tmpdir(), 'cairn-auth-cli-'));
const running = killedAfterTests(() => rmSync(root, { recursive: true, force: true }));

function write(name: string, content: unknown): string {
  const path = join(root, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

async function list(url: string, credentials: TestCredentials): Promise<string> {
  const client = new DynamoDBClient({ region: 'us-east-1', endpoint: url, credentials: { ...credentials }, maxAttempts: 1 });
  try {
    await client.send(new ListTablesCommand({}));
    return 'ok';
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  } finally {
    client.destroy();
  }
}

async function refusedToStart(args: string[]): Promise<string> {
  try {
    const started = await spawnCairn(args);
    running.push(started);
  } catch (error) {
    return (error as Error).message;
  }
  assert.fail('Cairn started');
}

test('--auth FILE: requests need a key of the file', async () => {
  const file = write('auth.json', AUTH_FILE);
  const cairn = await spawnCairn(['--in-memory', '--auth', file]);
  running.push(cairn);
  assert.equal(await list(cairn.url, USER_A), 'ok');
  assert.equal(await list(cairn.url, { accessKeyId: 'AKID', secretAccessKey: 'secret' }), 'UnrecognizedClientException: The security token included in the request is invalid.');
  cairn.child.kill('SIGTERM');
  assert.equal(await cairn.exited, 0);
});

test('"auth" in the configuration file, relative to it; --auth wins over it', async () => {
  // A user without policies may do nothing (IAM's default deny): b may list its tables.
  const listTables = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:ListTables', Resource: '*' }] };
  write('only-b.json', { accounts: [{ id: '444455556666', users: [{ name: 'b', ...USER_B, policies: [listTables] }] }] });
  const config = write('cairn.config.json', { auth: './only-b.json' });
  const fromConfig = await spawnCairn(['--in-memory', '--config', config]);
  running.push(fromConfig);
  assert.equal(await list(fromConfig.url, USER_B), 'ok');
  assert.match(await list(fromConfig.url, USER_A), /^UnrecognizedClientException/);
  fromConfig.child.kill('SIGTERM');
  await fromConfig.exited;

  const flagWins = await spawnCairn(['--in-memory', '--config', config, '--auth', write('auth-a.json', AUTH_FILE)]);
  running.push(flagWins);
  assert.equal(await list(flagWins.url, USER_A), 'ok');
  flagWins.child.kill('SIGTERM');
  await flagWins.exited;
});

test('a bad auth file refuses to start, naming the file and the member at fault', async () => {
  const duplicate = write('duplicate.json', {
    accounts: [
      { id: '111122223333', users: [{ name: 'a', ...USER_A }] },
      { id: '444455556666', users: [{ name: 'b', ...USER_A }] },
    ],
  });
  const message = await refusedToStart(['--in-memory', '--auth', duplicate]);
  assert.match(message, /^Cairn exited \(1\) before listening: /);
  assert.ok(
    message.includes(`cairn: auth file ${duplicate}: accounts[1].users[0]: access key id ${USER_A.accessKeyId} is already used by accounts[0].users[0]\n`),
    message,
  );
  const badAccount = write('bad-account.json', { accounts: [{ id: '12-34' }] });
  assert.ok((await refusedToStart(['--in-memory', '--auth', badAccount])).includes(`cairn: auth file ${badAccount}: accounts[0]: "id" must be a 12-digit AWS account id, not "12-34"\n`));
  const missing = join(root, 'missing.json');
  assert.ok((await refusedToStart(['--in-memory', '--auth', missing])).includes(`cairn: auth file ${missing}: ENOENT: no such file or directory, open '${missing}'\n`));
  const notJson = write('not-json.json', '{ accounts');
  assert.match(await refusedToStart(['--in-memory', '--auth', notJson]), new RegExp(`cairn: auth file ${notJson.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not JSON: `));
  const badConfig = write('bad-config.json', { auth: 7 });
  assert.ok((await refusedToStart(['--in-memory', '--config', badConfig])).includes(`${badConfig}: "auth" must be the path of the accounts and keys file`));
});

test('a non-loopback --host without --auth is refused; --insecure lets it through', async () => {
  // 192.0.2.1 (TEST-NET-1) is no address of this machine: past the check, listening on it fails, so nothing is
  // ever exposed by this test.
  const refused = await refusedToStart(['--in-memory', '--host', '192.0.2.1']);
  assert.ok(
    refused.includes(
      'cairn: refusing to listen on 192.0.2.1 without --auth: any client that can reach it could read and write every table (give --auth FILE, or --insecure to allow it)\n',
    ),
    refused,
  );
  const insecure = await refusedToStart(['--in-memory', '--host', '192.0.2.1', '--insecure']);
  assert.ok(!insecure.includes('refusing to listen'), insecure);
  assert.match(insecure, /EADDRNOTAVAIL/);
  const withAuth = await refusedToStart(['--in-memory', '--host', '192.0.2.1', '--auth', write('auth-host.json', AUTH_FILE)]);
  assert.ok(!withAuth.includes('refusing to listen'), withAuth);
  // Loopback names need neither.
  for (const host of ['localhost', '127.0.0.2', '::1']) {
    const cairn = await spawnCairn(['--in-memory', '--host', host]).catch((error: Error) => error);
    if (cairn instanceof Error) {
      // ::1 may be unavailable where IPv6 is off; the check itself must not be what refused it.
      assert.ok(!cairn.message.includes('refusing to listen'), cairn.message);
      continue;
    }
    running.push(cairn);
    cairn.child.kill('SIGTERM');
    await cairn.exited;
  }
});
