/**
 * The cost of PartiQL: a point SELECT against GetItem of the same keys, and an INSERT against PutItem of the same
 * ~1 KB items, on one Cairn (durable), in alternating rounds (API, PartiQL, then PartiQL, API...), PartiQL
 * reported as a ratio of the API in the same round (target: within 15%).
 *
 * Unlike the scenarios against the peers, the requests are built while measuring, not replayed from a pool: an
 * INSERT of a key already written is refused (DuplicateItemException), so every INSERT, and for a fair pair every
 * PutItem, writes a key never written before. Both sides build their bodies by substituting the key into one
 * template, so the load generator spends the same on each. Like the capacity part, the server's CPU time per
 * request is measured too (from /proc), the steadier figure on a shared machine.
 */
import type { AlternatingOptions } from './alternating-rounds.js';
import { readProcCpuMs } from './children.js';
import { postOperation, describeAnswer } from './http-call.js';
import type { Peer } from './peers.js';
import { launchServer, type RunningServer } from './server-process.js';
import { createBenchTable, preloadItems } from './setup.js';
import { median, pairedMedian } from './stats.js';
import { closedLoop, type ClosedLoopResult } from './closed-loop.js';
import { awsHeaders, buildItem, createRandom, keyOf, PRELOADED_ITEMS, randomIndex, TABLE_NAME } from './wire.js';

export type PartiqlPair = 'read' | 'write';

export interface PartiqlSideFigures {
  readonly label: string;
  readonly operation: string;
  readonly requestsPerSecond: number[];
  readonly p50Ms: number[];
  readonly cpuMicrosPerRequest: number[];
  readonly failed: number;
}

export interface PartiqlPairFigures {
  readonly pair: PartiqlPair;
  readonly api: PartiqlSideFigures;
  readonly partiql: PartiqlSideFigures;
}

export interface PartiqlCostResult {
  readonly settings: string;
  readonly pairs: readonly PartiqlPairFigures[];
  readonly failures: readonly string[];
}

/** Connections, round length and count, warm-up and the progress log: the same for every part. */
export type PartiqlCostOptions = AlternatingOptions;

/** Fresh keys for the writes start past every key the other parts use (7 digits, so every item has one size). */
const FRESH_KEYS_FROM = 2_000_000;
const KEY_PLACEHOLDER = keyOf(9_999_999);

interface Side {
  readonly label: string;
  readonly operation: string;
  /** The body of the request for key `key`. */
  readonly body: (key: string) => string;
}

/** The item template with its key replaced: the same ~1 KB item for PutItem and INSERT. */
function itemTemplate(): { readonly item: ReturnType<typeof buildItem>; readonly names: string[] } {
  const item = { ...buildItem(0), pk: { S: KEY_PLACEHOLDER } };
  return { item, names: Object.keys(item) };
}

function sides(pair: PartiqlPair): readonly [Side, Side] {
  if (pair === 'read') {
    return [
      { label: 'GetItem', operation: 'GetItem', body: (key) => JSON.stringify({ TableName: TABLE_NAME, Key: { pk: { S: key } } }) },
      {
        label: 'SELECT * ... WHERE pk = ?',
        operation: 'ExecuteStatement',
        body: (key) => JSON.stringify({ Statement: `SELECT * FROM "${TABLE_NAME}" WHERE pk = ?`, Parameters: [{ S: key }] }),
      },
    ];
  }
  const { item, names } = itemTemplate();
  const put = JSON.stringify({ TableName: TABLE_NAME, Item: item });
  const statement = `INSERT INTO "${TABLE_NAME}" VALUE {${names.map((name) => `'${name}': ?`).join(', ')}}`;
  const insert = JSON.stringify({ Statement: statement, Parameters: names.map((name) => item[name]) });
  return [
    { label: 'PutItem', operation: 'PutItem', body: (key) => put.replace(KEY_PLACEHOLDER, key) },
    { label: "INSERT INTO ... VALUE {'pk': ?, ...}", operation: 'ExecuteStatement', body: (key) => insert.replace(KEY_PLACEHOLDER, key) },
  ];
}

/** A closed-loop load of one side's requests, each with the next key. */
function sideLoad(url: string, side: Side, connections: number, seconds: number, nextKey: () => string): Promise<ClosedLoopResult> {
  const headers = awsHeaders(side.operation);
  return closedLoop(url, connections, seconds, () => ({ payload: Buffer.from(side.body(nextKey())), headers }));
}

export async function measurePartiqlCost(cairn: Peer, options: PartiqlCostOptions, seed: number): Promise<PartiqlCostResult> {
  const failures: string[] = [];
  const pairs: PartiqlPairFigures[] = [];
  let server: RunningServer | undefined;
  let fresh = FRESH_KEYS_FROM;
  const freshKey = (): string => keyOf(fresh++);
  try {
    options.log('partiql: starting Cairn');
    server = await launchServer(cairn);
    await createBenchTable(server.url);
    await preloadItems(server.url);
    const url = server.url;
    const pid = server.child.pid;
    for (const pair of ['read', 'write'] as const) {
      const [api, partiql] = sides(pair);
      const random = createRandom(seed + (pair === 'read' ? 1 : 2));
      const readKey = (): string => keyOf(randomIndex(random, PRELOADED_ITEMS));
      const nextKey = pair === 'read' ? readKey : freshKey;
      // Each side's request must do its work once before it is measured.
      for (const side of [api, partiql]) {
        const answer = await postOperation(url, side.operation, side.body(nextKey()));
        if (answer.status !== 200) throw new Error(`${side.label}: ${describeAnswer(answer)}`);
        if (pair === 'read' && !answer.text.includes('"pk"')) throw new Error(`${side.label} answered without the item: ${answer.text.slice(0, 200)}`);
      }
      if (options.warmupSeconds > 0) {
        for (const side of [api, partiql]) await sideLoad(url, side, options.connections, options.warmupSeconds, nextKey);
      }
      const figures = new Map<Side, PartiqlSideFigures>(
        [api, partiql].map((side) => [side, { label: side.label, operation: side.operation, requestsPerSecond: [], p50Ms: [], cpuMicrosPerRequest: [], failed: 0 }]),
      );
      for (let round = 0; round < options.rounds; round++) {
        const order = round % 2 === 0 ? [api, partiql] : [partiql, api];
        for (const side of order) {
          const cpuBefore = readProcCpuMs(pid);
          const result = await sideLoad(url, side, options.connections, options.durationSeconds, nextKey);
          const cpuAfter = readProcCpuMs(pid);
          const entry = figures.get(side) as PartiqlSideFigures & { failed: number };
          entry.requestsPerSecond.push(result.requestsPerSecond);
          entry.p50Ms.push(result.p50Ms);
          entry.cpuMicrosPerRequest.push(
            cpuBefore === undefined || cpuAfter === undefined || result.completed === 0 ? Number.NaN : ((cpuAfter - cpuBefore) * 1000) / result.completed,
          );
          entry.failed += result.failed;
          if (result.firstFailure !== undefined) failures.push(`${side.label}: ${result.firstFailure}`);
          options.log(
            `partiql ${pair} round ${round + 1}/${options.rounds} ${side.label}: ${Math.round(result.requestsPerSecond)} req/s, ` +
              `p50 ${result.p50Ms.toFixed(2)} ms${result.failed > 0 ? `, ${result.failed} failed` : ''}`,
          );
        }
      }
      pairs.push({ pair, api: figures.get(api) as PartiqlSideFigures, partiql: figures.get(partiql) as PartiqlSideFigures });
    }
  } catch (error) {
    failures.push(error instanceof Error ? error.message : String(error));
  } finally {
    await server?.stop();
  }
  return {
    settings:
      `${options.connections} keep-alive connections in closed loops, ${options.rounds} alternating round(s) of ` +
      `${options.durationSeconds} s after a ${options.warmupSeconds} s warm-up, one Cairn (durable)`,
    pairs,
    failures,
  };
}


export function renderPartiqlCost(lines: string[], result: PartiqlCostResult): void {
  lines.push('## PartiQL against the item operations', '');
  lines.push(
    `A point SELECT against GetItem of the same keys, and an INSERT (every attribute a \`?\` parameter) against ` +
      `PutItem of the same ~1 KB items at fresh keys. ${result.settings}. Target: PartiQL within 15% of the API.`,
    '',
  );
  lines.push('| Pair | API req/s | PartiQL req/s | throughput ratio | API CPU µs/req | PartiQL CPU µs/req | CPU ratio | p50 API / PartiQL |');
  lines.push('|---|---|---|---|---|---|---|---|');
  for (const { pair, api, partiql } of result.pairs) {
    const throughput = pairedMedian(partiql.requestsPerSecond, api.requestsPerSecond);
    const cpu = pairedMedian(partiql.cpuMicrosPerRequest, api.cpuMicrosPerRequest);
    lines.push(
      `| ${api.label} / ${partiql.label.replace(/\|/g, '\\|')} (${pair}) | ${Math.round(median(api.requestsPerSecond))} | ` +
        `${Math.round(median(partiql.requestsPerSecond))} | ${throughput.toFixed(3)} | ${median(api.cpuMicrosPerRequest).toFixed(0)} | ` +
        `${median(partiql.cpuMicrosPerRequest).toFixed(0)} | ${cpu.toFixed(3)} | ${median(api.p50Ms).toFixed(2)} / ${median(partiql.p50Ms).toFixed(2)} ms |`,
    );
  }
  lines.push('');
  for (const failure of result.failures) lines.push(`- failed: ${failure.replace(/\|/g, '\\|')}`);
  if (result.failures.length > 0) lines.push('');
}
