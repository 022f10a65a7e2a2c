/**
 * `cairn report`: the command line asks a running Cairn (started through the CLI, with prices from its
 * configuration file) for its access-pattern report over HTTP, as text or JSON, and can reset the interval.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { spawnCairn, type CairnProcess } from '../helpers/cairn-process.js';

const CLI = fileURLToPath(new URL('../../bundle/cli.js', import.meta.url));

function cairnReport(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, 'report', ...args], (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });
}

describe('cairn report', () => {
  let dir: string;
  let cairn: CairnProcess;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cairn-report-'));
    const config = join(dir, 'cairn.config.json');
    await writeFile(config, JSON.stringify({ capacity: { prices: { onDemandWritePerMillion: 2 } } }));
    cairn = await spawnCairn(['--in-memory', '--config', config]);
    await cairn.client.send(
      new CreateTableCommand({
        TableName: 'notes',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    for (const id of ['a', 'b', 'a']) await cairn.client.send(new PutItemCommand({ TableName: 'notes', Item: { id: { S: id } } }));
  });
  after(async () => {
    cairn.child.kill('SIGTERM');
    await cairn.exited;
    await rm(dir, { recursive: true, force: true });
  });

  test('prints the text report of the running server', async () => {
    const { code, stdout, stderr } = await cairnReport(['--endpoint', cairn.url]);
    assert.equal(stderr, '');
    assert.equal(code, 0);
    const lines = stdout.replace(/p50 [\d.]+ ms {2}p99 [\d.]+ ms/g, 'p50 _ ms  p99 _ ms').split('\n');
    assert.equal(lines[0], 'Cairn access-pattern report');
    assert.equal(lines[2], 'Prices: on-demand $0.125/M reads, $2/M writes; provisioned $0.00013/RCU-hour, $0.00065/WCU-hour');
    assert.deepEqual(lines.slice(4, 11), [
      'Table notes (us-east-1, PAY_PER_REQUEST): 3 requests, 0 RCU, 3 WCU',
      '  Access patterns',
      '    PutItem  key: id = :v  filter: none  projection: none',
      '            3 ████████████████████ 100.0%  RCU 0  WCU 3  p50 _ ms  p99 _ ms',
      '  Hot partition keys (3 requests naming a key)',
      '    █████████████▍░░░░░░  66.7%       2  a',
      '    ██████▋░░░░░░░░░░░░░  33.3%       1  b',
    ]);
  });

  test('--json prints the JSON report; --reset starts a new interval afterwards', async () => {
    const first = await cairnReport(['--endpoint', `${cairn.url}/`, '--json', '--reset']);
    assert.equal(first.code, 0);
    const report = JSON.parse(first.stdout) as { Prices: { onDemandWritePerMillion: number }; Tables: { TableName: string; Requests: number; Cost: { OnDemand: number } }[] };
    assert.equal(report.Prices.onDemandWritePerMillion, 2);
    assert.deepEqual(
      report.Tables.map((table) => [table.TableName, table.Requests, table.Cost.OnDemand]),
      [['notes', 3, 0.000006]],
    );
    const after = JSON.parse((await cairnReport(['--endpoint', cairn.url, '--json'])).stdout) as { Tables: unknown[] };
    assert.deepEqual(after.Tables, []);
  });

  test('a server that cannot be reached, or a bad option, fails with a message', async () => {
    const unreachable = await cairnReport(['--endpoint', 'http://127.0.0.1:1']);
    assert.equal(unreachable.code, 1);
    assert.match(unreachable.stderr, /^cairn report: cannot reach http:\/\/127\.0\.0\.1:1: /);
    const bad = await cairnReport(['--bogus']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^cairn report: Unknown option '--bogus'/);
    const help = await cairnReport(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: cairn report \[options\]/);
  });
});
