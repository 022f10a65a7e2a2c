/**
 * Capacity across two Cairn processes (the CLI, `--postgres`) serving one PostgreSQL database, in `enforce` mode on
 * a capacity clock running twice as fast as the wall clock: a provisioned table written through both is held
 * to its own throughput, not twice it, and the access-pattern report of one process (`GET /cairn/report`, and
 * `cairn report`) counts the requests the other served.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, DescribeTableCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { spawnCairn, killedAfterTests, type CairnProcess } from '../helpers/cairn-process.js';
import { postgresUnavailable, startPostgres, type PostgresServer } from '../helpers/postgres-server.js';
import { eventuallyPasses } from '../helpers/eventually.js';
import { filler } from '../helpers/capacity.js';
import type { SdkError } from '../helpers/assertions.js';
import type { AccessReport } from '../../src/observe/access-report.js';

const skip = postgresUnavailable();
const CLI = fileURLToPath(new URL('../../bundle/cli.js', import.meta.url));
const TIME_SCALE = 2;
/** Write units a second of capacity time. */
const RATE = 5;
const TABLE = 'fleet';

let postgres: PostgresServer;
const processes = killedAfterTests(async () => {
  await postgres?.stop();
});

/** Every PutItem sent, through either process, and the write units of those that went through. */
let sent = 0;
let units = 0;

/**
 * Sends a write: undefined when it went through, else the reason the table's throughput refused it for
 * (`TableWriteProvisionedThroughputExceeded`, or `TableWriteKeyRangeThroughputExceeded` for a partition's limit).
 */
async function put(client: DynamoDBClient, id: string, size = 0): Promise<string | undefined> {
  sent++;
  try {
    await client.send(new PutItemCommand({ TableName: TABLE, Item: { id: { S: id }, ...(size > 0 ? { pad: { S: filler(size) } } : {}) } }));
    // Items of `size` KB less a few bytes cost `size` / 1024 units; the small ones, 1.
    units += size > 0 ? Math.ceil(size / 1024) : 1;
    return undefined;
  } catch (error) {
    assert.equal((error as SdkError).name, 'ProvisionedThroughputExceededException', String(error));
    return ((error as SdkError).ThrottlingReasons as { reason: string }[])[0]?.reason;
  }
}

/** `cairn report` on the command line, as a user runs it. */
function cairnReport(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, 'report', ...args], (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function first(): CairnProcess {
  return processes[0] as CairnProcess;
}

function second(): CairnProcess {
  return processes[1] as CairnProcess;
}

before(async () => {
  if (skip !== undefined) return;
  postgres = await startPostgres({ durable: false });
  const url = await postgres.createDatabase();
  for (let i = 0; i < 2; i++) {
    processes.push(await spawnCairn(['--postgres', url, '--capacity', 'enforce', '--capacity-time-scale', String(TIME_SCALE), '--lease-period-ms', '1000'], 20_000));
  }
  await first().client.send(
    new CreateTableCommand({
      TableName: TABLE,
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      ProvisionedThroughput: { ReadCapacityUnits: RATE, WriteCapacityUnits: RATE },
    }),
  );
  await eventuallyPasses(async () => {
    await second().client.send(new DescribeTableCommand({ TableName: TABLE }));
  }, 10_000);
});

describe('capacity across processes on PostgreSQL', { skip }, () => {
  test('the burst credit one process spent is spent for the other: it throttles within a few writes', async () => {
    // The table banks 300 s of its 5 units: 1,500, spent through the first process alone, 100 KB at a time, then
    // 10 KB at a time until the table (not a partition, which takes 1,000 units a second) refuses.
    for (let spent = 0; spent < 1200; ) {
      if ((await put(first().client, `big${sent}`, 100 * 1024 - 20)) === undefined) spent += 100;
      else await sleep(50);
    }
    for (;;) {
      const refused = await put(first().client, `medium${sent}`, 10 * 1024 - 20);
      if (refused === 'TableWriteProvisionedThroughputExceeded') break;
    }
    // The debt of the last write (up to 10 units, a second of wall time) repaid, a small write goes through again.
    while ((await put(first().client, `after-burst-${sent}`)) !== undefined) await sleep(50);
    await sleep(500);
    // The second process learnt all of it (exchanges every 100 ms): what it may take is what the fleet has, a few
    // units, not its own 1,500 of credit.
    let through = 0;
    while ((await put(second().client, `second-${sent}`)) === undefined && through < 100) through++;
    assert.ok(through < 20, `the second process took ${through} writes before it throttled`);
  });

  test('a provisioned table written through two processes takes its throughput, not twice it', async () => {
    // Four writers per process, 1 KB writes (1 unit each), for 4 s of wall time: 8 s of capacity time.
    const before = units;
    const startedAt = Date.now();
    const wallMs = 4000;
    const writer = async (cairn: CairnProcess, name: string): Promise<void> => {
      for (let i = 0; Date.now() - startedAt < wallMs; i++) {
        if ((await put(cairn.client, `${name}-${i}`)) !== undefined) await sleep(5);
      }
    };
    await Promise.all([first(), second()].flatMap((cairn, at) => [0, 1, 2, 3].map((slot) => writer(cairn, `p${at}w${slot}`))));
    const seconds = ((Date.now() - startedAt) / 1000) * TIME_SCALE;
    const taken = units - before;
    // The two take the table's rate once, plus what each admits before it learns the other's consumption (a few
    // hundred ms of wall time), which the debt it leaves then takes back. Each on its own would take twice the rate.
    assert.ok(taken <= RATE * seconds * 1.5, `${taken} units in ${seconds} s of capacity time`);
    assert.ok(taken >= RATE * seconds * 0.5, `${taken} units in ${seconds} s of capacity time`);
  });

  test('`cairn report` asked of the second process counts the first one\'s requests too', async () => {
    await eventuallyPasses(async () => {
      const { code, stdout, stderr } = await cairnReport(['--endpoint', second().url, '--json']);
      assert.equal(code, 0, stderr);
      const table = (JSON.parse(stdout) as AccessReport).Tables.find((entry) => entry.TableName === TABLE);
      assert.equal(table?.Requests, sent);
    }, 5000);
  });

  test('the report of either process counts the requests both served', async () => {
    for (const cairn of [first(), second()]) {
      await eventuallyPasses(async () => {
        const response = await fetch(`${cairn.url}/cairn/report?format=json`);
        assert.equal(response.status, 200);
        const report = (await response.json()) as AccessReport;
        const table = report.Tables.find((entry) => entry.TableName === TABLE);
        assert.ok(table !== undefined);
        assert.deepEqual(
          table.Patterns.map((pattern) => [pattern.Operation, pattern.Count]),
          [['PutItem', sent]],
        );
        assert.equal(table.Requests, sent);
        assert.equal(table.WriteCapacityUnits, units);
      }, 5000);
    }
  });
});
