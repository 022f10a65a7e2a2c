/**
 * Trigger delivery lag for `npm run bench` (and on its own: `node dist/bench/trigger-lag.js [--rate N]
 * [--seconds N]`): Cairn runs as a child process, durable, with two stream triggers given as `--trigger` flags —
 * a module handler (on a worker thread) and an HTTP handler served by this process. PutItem goes out at a steady
 * rate (open loop, default 500 writes/s for 5 s) to each trigger's table in turn; for every record, the lag is the
 * time from the write's acknowledgement to the handler being invoked with it. The module handler stamps its
 * invocation with the wall clock at sub-millisecond resolution (performance.timeOrigin + performance.now(), as this
 * process does for acknowledgements); the HTTP handler's invocation is the request's arrival here.
 * A record can reach its handler before its write's answer reaches the writer: that counts as a lag of zero.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freePort, killAllChildren, registerTempDirectory, spawnChild, type ChildHandle } from './children.js';
import { describeAnswer, postOperation, waitUntilAnswering } from './http-call.js';
import { formatMs } from './stats.js';

export interface TriggerLagFigures {
  readonly handler: 'module' | 'http';
  readonly writesPerSecond: number;
  readonly records: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

export interface TriggerLagOptions {
  /** The bundled CLI (dist/bundle/cli.js). */
  readonly cli: string;
  readonly rate?: number;
  readonly seconds?: number;
  readonly batchSize?: number;
}

const now = (): number => performance.timeOrigin + performance.now();

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

function figures(handler: TriggerLagFigures['handler'], rate: number, lags: number[]): TriggerLagFigures {
  const sorted = [...lags].sort((a, b) => a - b);
  return { handler, writesPerSecond: rate, records: lags.length, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), maxMs: sorted[sorted.length - 1] ?? Number.NaN };
}

function tableBody(name: string): string {
  return JSON.stringify({
    TableName: name,
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  });
}

/** Writes `rate` items a second for `seconds` (open loop); the acknowledgement time of each key. */
async function writeSteadily(url: string, table: string, rate: number, seconds: number): Promise<Map<string, number>> {
  const acknowledged = new Map<string, number>();
  const total = rate * seconds;
  const interval = 1000 / rate;
  const start = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const key = `k${i}`;
    const body = JSON.stringify({ TableName: table, Item: { pk: { S: key }, payload: { S: 'x'.repeat(100) } } });
    pending.push(
      postOperation(url, 'PutItem', body).then((answer) => {
        if (answer.status !== 200) throw new Error(`PutItem failed: ${describeAnswer(answer)}`);
        acknowledged.set(key, now());
      }),
    );
  }
  await Promise.all(pending);
  return acknowledged;
}

async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function lagsOf(acknowledged: Map<string, number>, invoked: Map<string, number>): number[] {
  const lags: number[] = [];
  for (const [key, ackAt] of acknowledged) {
    const at = invoked.get(key);
    if (at !== undefined) lags.push(Math.max(0, at - ackAt));
  }
  return lags;
}

export async function measureTriggerLag(options: TriggerLagOptions): Promise<TriggerLagFigures[]> {
  const rate = options.rate ?? 500;
  const seconds = options.seconds ?? 5;
  const batchSize = options.batchSize ?? 100;
  const work = mkdtempSync(join(tmpdir(), 'cairn-bench-trigger-lag-'));
  registerTempDirectory(work);

  // The module handler: stamps each invocation, one line per record.
  const moduleOut = join(work, 'module.txt');
  const handlerPath = join(work, 'handler.mjs');
  writeFileSync(
    handlerPath,
    `import { appendFileSync } from 'node:fs';
export function handler(event) {
  const at = performance.timeOrigin + performance.now();
  appendFileSync(${JSON.stringify(moduleOut)}, event.Records.map((record) => record.dynamodb.Keys.pk.S + ' ' + at).join('\\n') + '\\n');
}
`,
  );
  writeFileSync(moduleOut, '');

  // The HTTP handler: this process, stamping each request's arrival.
  const httpInvoked = new Map<string, number>();
  const receiver: Server = createServer((req, res) => {
    const at = now();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Records: { dynamodb: { Keys: { pk: { S: string } } } }[] };
      for (const record of event.Records) if (!httpInvoked.has(record.dynamodb.Keys.pk.S)) httpInvoked.set(record.dynamodb.Keys.pk.S, at);
      res.writeHead(200, { 'Content-Length': 0 });
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`;

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let child: ChildHandle | undefined;
  try {
    child = spawnChild('cairn (triggers)', process.execPath, [
      options.cli,
      '--port',
      String(port),
      '--data',
      join(work, 'data'),
      '--log-level',
      'error',
      '--trigger',
      `id=lag-module,table=lag_module,handler=${handlerPath},batch-size=${batchSize},starting-position=TRIM_HORIZON`,
      '--trigger',
      `id=lag-http,table=lag_http,handler=${hook},batch-size=${batchSize},starting-position=TRIM_HORIZON`,
    ]);
    const started = child;
    await waitUntilAnswering(url, performance.now(), { timeoutMs: 10_000, isDead: () => (started.hasExited() ? started.exitDescription() : undefined) });
    for (const table of ['lag_module', 'lag_http']) {
      const answer = await postOperation(url, 'CreateTable', tableBody(table));
      if (answer.status !== 200) throw new Error(`CreateTable failed: ${describeAnswer(answer)}`);
    }

    const results: TriggerLagFigures[] = [];
    const moduleAcks = await writeSteadily(url, 'lag_module', rate, seconds);
    const moduleInvoked = new Map<string, number>();
    await waitFor(
      () => {
        for (const line of readFileSync(moduleOut, 'utf8').split('\n')) {
          const [key, at] = line.split(' ');
          if (key !== undefined && at !== undefined && !moduleInvoked.has(key)) moduleInvoked.set(key, Number(at));
        }
        return moduleInvoked.size >= moduleAcks.size;
      },
      30_000,
      'the module handler to get every record',
    );
    results.push(figures('module', rate, lagsOf(moduleAcks, moduleInvoked)));

    const httpAcks = await writeSteadily(url, 'lag_http', rate, seconds);
    await waitFor(() => httpInvoked.size >= httpAcks.size, 30_000, 'the HTTP handler to get every record');
    results.push(figures('http', rate, lagsOf(httpAcks, httpInvoked)));
    return results;
  } catch (error) {
    const output = child?.output().trim();
    throw new Error(`${error instanceof Error ? error.message : String(error)}${output ? `; Cairn's output ended with: ${output.slice(-500)}` : ''}`);
  } finally {
    await child?.stop();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
    rmSync(work, { recursive: true, force: true });
  }
}

export function renderTriggerLag(results: readonly TriggerLagFigures[]): string {
  const lines = [
    '| trigger handler | writes/s | records | lag p50 | lag p99 | max |',
    '|---|---:|---:|---:|---:|---:|',
    ...results.map(
      (result) =>
        `| ${result.handler === 'module' ? 'module (worker thread)' : 'HTTP (POST)'} | ${result.writesPerSecond} | ${result.records} | ${formatMs(result.p50Ms)} | ${formatMs(result.p99Ms)} | ${formatMs(result.maxMs)} |`,
    ),
  ];
  return `${lines.join('\n')}\n\nLag: write acknowledged -> handler invoked with the record (durable Cairn, default 10 ms polling, BatchSize 100).\n`;
}

async function main(argv: readonly string[]): Promise<void> {
  const value = (flag: string): number | undefined => {
    const at = argv.indexOf(flag);
    return at === -1 ? undefined : Number(argv[at + 1]);
  };
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const results = await measureTriggerLag({
    cli: join(root, 'dist', 'bundle', 'cli.js'),
    ...(value('--rate') !== undefined ? { rate: value('--rate') as number } : {}),
    ...(value('--seconds') !== undefined ? { seconds: value('--seconds') as number } : {}),
  });
  process.stdout.write(renderTriggerLag(results));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    () => process.exit(0),
    (error: unknown) => {
      killAllChildren();
      process.stderr.write(`trigger-lag: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
