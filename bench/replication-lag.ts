/**
 * Global tables across servers, for `npm run bench` (and on its own: `node dist/bench/replication-lag.js [--rate N]
 * [--seconds N]`): two durable Cairn servers as child processes, us-east-1 and eu-west-1, each the other's peer,
 * and a table of us-east-1 with its replica on eu-west-1.
 *
 * - Replication lag: PutItem goes to us-east-1 at a steady rate (open loop, default 1,000 writes/s for 5 s); for
 *   every write, the lag is the time from its acknowledgement to its record appearing in the eu-west-1 replica's
 *   stream, polled every 5 ms through the replication endpoint (as a peer reads it), so the figure includes up to
 *   5 ms of polling. A record can appear before its write's answer arrives: that counts as zero.
 * - The PutItem cost of a replica: closed-loop PutItem (16 in flight) on us-east-1 for the same time, on a table
 *   without a replica and on one with a replica on the peer, alternated (without, with, without, with).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freePort, killAllChildren, registerTempDirectory, spawnChild, type ChildHandle } from './children.js';
import { describeAnswer, postOperation } from './http-call.js';
import { formatMs } from './stats.js';

export interface ReplicationLagFigures {
  readonly writesPerSecond: number;
  readonly records: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** PutItem answered per second on us-east-1, without and with a replica on the peer. */
  readonly putsPerSecondAlone: number;
  readonly putsPerSecondReplicated: number;
}

export interface ReplicationLagOptions {
  /** The bundled CLI (dist/bundle/cli.js). */
  readonly cli: string;
  readonly rate?: number;
  readonly seconds?: number;
}

const ACCOUNT = '000000000000';
const now = (): number => performance.timeOrigin + performance.now();

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

async function call(url: string, operation: string, body: unknown): Promise<unknown> {
  const answer = await postOperation(url, operation, JSON.stringify(body));
  if (answer.status !== 200) throw new Error(`${operation} failed: ${describeAnswer(answer)}`);
  return answer.json;
}

/** An operation of a server's replication endpoint (unsigned: the servers run without --auth, on loopback). */
async function replicationCall<T>(url: string, operation: string, body: Record<string, unknown>): Promise<T> {
  const response = await fetch(`${url}/cairn/replication/${operation}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ accountId: ACCOUNT, ...body }),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`replication ${operation}: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const tableBody = (name: string) => ({
  TableName: name,
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  BillingMode: 'PAY_PER_REQUEST',
});

const putBody = (table: string, key: string) => ({ TableName: table, Item: { pk: { S: key }, payload: { S: 'x'.repeat(100) } } });

/** Closed loop: PutItem with `concurrency` in flight for `seconds`; answers per second. */
async function putThroughput(url: string, table: string, seconds: number, prefix: string): Promise<number> {
  const end = performance.now() + seconds * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: 16 }, async (_unused, worker) => {
      for (let i = 0; performance.now() < end; i++) {
        await call(url, 'PutItem', putBody(table, `${prefix}-${worker}-${i}`));
        done++;
      }
    }),
  );
  return done / seconds;
}

export async function measureReplicationLag(options: ReplicationLagOptions): Promise<ReplicationLagFigures> {
  const rate = options.rate ?? 1000;
  const seconds = options.seconds ?? 5;
  const work = mkdtempSync(join(tmpdir(), 'cairn-bench-replication-'));
  registerTempDirectory(work);
  const regions = ['us-east-1', 'eu-west-1'] as const;
  const ports = [await freePort(), await freePort()];
  const urls = ports.map((port) => `http://127.0.0.1:${port}`) as [string, string];
  const children: ChildHandle[] = [];
  try {
    for (const [position, region] of regions.entries()) {
      const config = join(work, `${region}.json`);
      writeFileSync(config, JSON.stringify({ peers: { [regions[1 - position] as string]: urls[1 - position] } }));
      const child = spawnChild(`cairn (${region})`, process.execPath, [
        options.cli,
        '--port',
        String(ports[position]),
        '--data',
        join(work, region),
        '--region-name',
        region,
        '--config',
        config,
        '--log-level',
        'error',
      ]);
      children.push(child);
      // Readiness through /metrics: DynamoDB's API of eu-west-1 refuses the set-up client's us-east-1 signature.
      await waitFor(
        async () => {
          if (child.hasExited()) throw new Error(`cairn (${region}) ${child.exitDescription()}`);
          return (await fetch(`${urls[position] as string}/metrics`).catch(() => undefined))?.status === 200;
        },
        10_000,
        `cairn (${region}) to answer`,
      );
    }
    const [east, west] = urls;
    for (const table of ['replicated', 'alone']) await call(east, 'CreateTable', tableBody(table));
    await call(east, 'UpdateTable', { TableName: 'replicated', ReplicaUpdates: [{ Create: { RegionName: 'eu-west-1' } }] });
    await waitFor(
      async () => {
        const { Table } = (await call(east, 'DescribeTable', { TableName: 'replicated' })) as { Table?: { Replicas?: { ReplicaStatus?: string }[] } };
        return Table?.Replicas?.[0]?.ReplicaStatus === 'ACTIVE';
      },
      10_000,
      'the replica to become ACTIVE',
    );
    const { stream } = await replicationCall<{ stream: string | null }>(west, 'stream', { tableName: 'replicated', forRegion: 'us-east-1' });
    if (stream === null) throw new Error('the eu-west-1 replica has no stream');

    // The reader: every record of the replica's stream, stamped when first seen.
    const seen = new Map<string, number>();
    let reading = true;
    const reader = (async () => {
      let from = 0;
      while (reading) {
        const { records } = await replicationCall<{ records: { sequence: number; record: { dynamodb: { Keys: { pk: { S: string } } } } }[] }>(
          west,
          'records',
          { stream, from, limit: 1000 },
        );
        const at = now();
        for (const { sequence, record } of records) {
          if (!seen.has(record.dynamodb.Keys.pk.S)) seen.set(record.dynamodb.Keys.pk.S, at);
          from = sequence + 1;
        }
        if (records.length < 1000) await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();

    // The writer: open loop at `rate`.
    const acknowledged = new Map<string, number>();
    const interval = 1000 / rate;
    const start = performance.now();
    const pending: Promise<void>[] = [];
    for (let i = 0; i < rate * seconds; i++) {
      const wait = start + i * interval - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      const key = `k${i}`;
      pending.push(call(east, 'PutItem', putBody('replicated', key)).then(() => void acknowledged.set(key, now())));
    }
    await Promise.all(pending);
    await waitFor(async () => [...acknowledged.keys()].every((key) => seen.has(key)), 30_000, 'every write to reach eu-west-1');
    reading = false;
    await reader;
    const lags = [...acknowledged].map(([key, at]) => Math.max(0, (seen.get(key) as number) - at)).sort((a, b) => a - b);

    // The PutItem cost of a replica: alternating rounds, half the time each.
    const round = Math.max(0.5, seconds / 4);
    let alone = 0;
    let replicated = 0;
    for (let r = 0; r < 2; r++) {
      alone += await putThroughput(east, 'alone', round, `a${r}`);
      replicated += await putThroughput(east, 'replicated', round, `r${r}`);
    }
    return {
      writesPerSecond: rate,
      records: lags.length,
      p50Ms: percentile(lags, 50),
      p99Ms: percentile(lags, 99),
      maxMs: lags[lags.length - 1] ?? Number.NaN,
      putsPerSecondAlone: alone / 2,
      putsPerSecondReplicated: replicated / 2,
    };
  } catch (error) {
    const output = children.map((child) => child.output().trim().slice(-300)).join(' | ');
    throw new Error(`${error instanceof Error ? error.message : String(error)}${output.trim() ? `; the servers' output ended with: ${output}` : ''}`);
  } finally {
    for (const child of children) await child.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

export function renderReplicationLag(result: ReplicationLagFigures): string {
  const ratio = result.putsPerSecondReplicated / result.putsPerSecondAlone;
  return [
    '| writes/s | records | lag p50 | lag p99 | max | PutItem/s without a replica | with a replica on the peer | ratio |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| ${result.writesPerSecond} | ${result.records} | ${formatMs(result.p50Ms)} | ${formatMs(result.p99Ms)} | ${formatMs(result.maxMs)} | ` +
      `${Math.round(result.putsPerSecondAlone)} | ${Math.round(result.putsPerSecondReplicated)} | ${ratio.toFixed(2)} |`,
    '',
    'Lag: PutItem acknowledged by us-east-1 -> its record in the eu-west-1 replica\'s stream (two durable servers on loopback, default 50 ms replication rounds, 5 ms polling of the stream). PutItem/s: 16 in flight, alternating rounds.',
    '',
  ].join('\n');
}

async function main(argv: readonly string[]): Promise<void> {
  const value = (flag: string): number | undefined => {
    const at = argv.indexOf(flag);
    return at === -1 ? undefined : Number(argv[at + 1]);
  };
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const result = await measureReplicationLag({
    cli: join(root, 'dist', 'bundle', 'cli.js'),
    ...(value('--rate') !== undefined ? { rate: value('--rate') as number } : {}),
    ...(value('--seconds') !== undefined ? { seconds: value('--seconds') as number } : {}),
  });
  process.stdout.write(renderReplicationLag(result));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    () => process.exit(0),
    (error: unknown) => {
      killAllChildren();
      process.stderr.write(`replication-lag: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
