/**
 * Cairn over PostgreSQL (`npm run bench -- --postgres`): GetItem, PutItem, Query and TransactWriteItems (2 Puts)
 * on 1, 2 and 3 Cairn front ends (separate processes, `--postgres` on one database, the load generator's
 * connections spread over them), beside a bare node + pg server that runs the equivalent SQL per request
 * (postgres-baseline-server.ts), all over one PostgreSQL server this part starts (test/helpers/postgres-server.ts:
 * Debian's package, durable settings), a database for the front ends and one for the baseline. The four set-ups
 * are measured in alternating rounds (targets: PutItem >= 0.6x and GetItem >= 0.7x of the baseline with one front
 * end). Throughput is the figure here, with the front ends' CPU per request beside it: most of the work happens in
 * PostgreSQL, which the front ends' CPU does not show. All three front ends run throughout (the idle ones keep
 * renewing their leases), so a set-up with fewer front ends carries the same background work as in production.
 */
import { join, resolve } from 'node:path';
import { measureAlternating, type AlternatingOptions } from './alternating-rounds.js';
import type { LoadFigures } from './load.js';
import type { Peer } from './peers.js';
import { launchServer, type RunningServer } from './server-process.js';
import { bulkLoad, createBenchTable, createTable, preloadItems } from './setup.js';
import { median, pairedMedian } from './stats.js';
import { createQueryTableBody, PRELOADED_ITEMS, QUERY_TABLE_NAME, sortedItemAt, type ScenarioName } from './wire.js';
import { postgresUnavailable, startPostgres } from '../test/helpers/postgres-server.js';

/** The bare baseline, then Cairn with 1, 2 and 3 front ends on one database. */
export type PostgresMode = 'node+pg' | 'cairn x1' | 'cairn x2' | 'cairn x3';

export const FRONT_ENDS = 3;

export const POSTGRES_SCENARIOS = ['GetItem', 'PutItem', 'Query', 'TransactWriteItems2'] as const satisfies readonly ScenarioName[];
export type PostgresScenario = (typeof POSTGRES_SCENARIOS)[number];

/** Cairn's throughput with one front end over the bare node + pg server's, for the scenarios that have a target. */
export const POSTGRES_TARGETS: Readonly<Partial<Record<PostgresScenario, number>>> = { GetItem: 0.7, PutItem: 0.6 };

/** One set-up's figures for one scenario: index i of both lists is round i. */
export interface PostgresModeFigures {
  readonly mode: PostgresMode;
  readonly frontEnds: number;
  readonly rounds: readonly LoadFigures[];
  /** The front ends' CPU time (summed over them) per completed request in each round, in µs (NaN without /proc). */
  readonly cpuMicrosPerRequest: readonly number[];
}

export interface PostgresScenarioFigures {
  readonly scenario: PostgresScenario;
  readonly modes: readonly PostgresModeFigures[];
}

export interface PostgresCostResult {
  readonly settings: string;
  readonly scenarios: readonly PostgresScenarioFigures[];
  readonly failures: readonly string[];
}

/** A set-up: the servers the load is spread over. */
interface Setup {
  readonly mode: PostgresMode;
  readonly servers: readonly RunningServer[];
}

export async function measurePostgresCost(root: string, benchDirectory: string, options: AlternatingOptions, seed: number): Promise<PostgresCostResult> {
  const failures: string[] = [];
  const scenarios: PostgresScenarioFigures[] = [];
  const settings =
    `${options.connections} keep-alive connections (divided among the front ends), ${options.rounds} alternating round(s) of ` +
    `${options.durationSeconds} s after a ${options.warmupSeconds} s warm-up; one PostgreSQL server (fsync on), one database ` +
    `shared by the ${FRONT_ENDS} Cairn front ends and one for the baseline, pools of 10 connections per process`;
  const unavailable = postgresUnavailable();
  if (unavailable !== undefined) return { settings, scenarios, failures: [unavailable] };
  const postgres = await startPostgres();
  const started: RunningServer[] = [];
  try {
    const cairnUrl = await postgres.createDatabase();
    const baselineUrl = await postgres.createDatabase();
    const cli = resolve(root, 'dist', 'src', 'cli.js');
    options.log('postgres: starting the bare node + pg server');
    const baseline = await launchServer({
      name: 'baseline',
      label: 'bare node + pg (the equivalent SQL per request)',
      hasTables: true,
      startupTimeoutMs: 15_000,
      launch: (port) => ({ command: process.execPath, args: [join(benchDirectory, 'postgres-baseline-server.js'), String(port), baselineUrl] }),
    });
    started.push(baseline);
    const frontEnds: RunningServer[] = [];
    for (let index = 0; index < FRONT_ENDS; index++) {
      const peer: Peer = {
        name: 'cairn',
        label: `Cairn --postgres front end ${index + 1}`,
        hasTables: true,
        startupTimeoutMs: 15_000,
        launch: (port) => ({ command: process.execPath, args: [cli, '--port', String(port), '--log-level', 'warn', '--postgres', cairnUrl] }),
      };
      options.log(`postgres: starting ${peer.label}`);
      const server = await launchServer(peer);
      started.push(server);
      frontEnds.push(server);
    }
    // Tables and items go in through one server of each database; the other front ends serve them at once.
    for (const server of [baseline, frontEnds[0] as RunningServer]) {
      await createBenchTable(server.url);
      await preloadItems(server.url);
      await createTable(server.url, QUERY_TABLE_NAME, createQueryTableBody());
      await bulkLoad({ url: server.url, tableName: QUERY_TABLE_NAME, count: PRELOADED_ITEMS, itemAt: sortedItemAt });
    }
    const setups: Setup[] = [
      { mode: 'node+pg', servers: [baseline] },
      { mode: 'cairn x1', servers: frontEnds.slice(0, 1) },
      { mode: 'cairn x2', servers: frontEnds.slice(0, 2) },
      { mode: 'cairn x3', servers: frontEnds.slice(0, 3) },
    ];
    for (const scenario of POSTGRES_SCENARIOS) {
      const measured = await measureSetups(setups, scenario, options, seed);
      if (typeof measured === 'string') failures.push(measured);
      else scenarios.push({ scenario, modes: measured });
    }
  } catch (error) {
    failures.push(error instanceof Error ? error.message : String(error));
  } finally {
    for (const server of started) await server.stop();
    await postgres.stop();
  }
  return { settings, scenarios, failures };
}

/**
 * One scenario on every set-up, in alternating rounds (measureAlternating: every front end probed, the load spread
 * over a set-up's front ends, their CPU summed). Returns a problem instead when a probe fails.
 */
async function measureSetups(setups: readonly Setup[], scenario: PostgresScenario, options: AlternatingOptions, seed: number): Promise<PostgresModeFigures[] | string> {
  const entries = setups.map((setup) => {
    const [server, ...moreServers] = setup.servers;
    if (server === undefined) throw new Error(`set-up ${setup.mode} has no server`);
    return { mode: setup.mode, server, moreServers };
  });
  // The seeds of the former GetItem/PutItem-only part (offset 3000), so their request bodies stay the same.
  const measured = await measureAlternating('postgres', entries, scenario, options, seed, 3000);
  if (typeof measured === 'string') return measured;
  return measured.map((figures, index) => ({ ...figures, frontEnds: (setups[index] as Setup).servers.length }));
}

/** How a scenario is answered on the baseline, for the report. */
const BASELINE_SQL: Readonly<Record<PostgresScenario, string>> = {
  GetItem: '`SELECT item WHERE pk = $1`',
  PutItem: '`INSERT ... ON CONFLICT (pk) DO UPDATE`',
  Query: '`SELECT ... WHERE pk = $1 ORDER BY sk LIMIT 20`',
  TransactWriteItems2: '`BEGIN`, 2 upserts, `COMMIT`',
};

export function renderPostgresCost(lines: string[], result: PostgresCostResult): void {
  lines.push('## Cairn over PostgreSQL: 1 to 3 front ends', '');
  lines.push(
    `GetItem, PutItem, Query (20 items a page) and TransactWriteItems (2 Puts) on 1, 2 and ${FRONT_ENDS} Cairn processes ` +
      'serving one database with `--postgres`, the load spread over them, beside a bare node + pg server that answers ' +
      'each request with the equivalent SQL (below). ' +
      `${result.settings}. "x node+pg" is the set-up's throughput over the bare server's, round by round; "x 1 front end" ` +
      'how it grows with front ends. CPU per request is the front ends\' (PostgreSQL\'s own is not counted). ' +
      'Targets (one front end): GetItem >= 0.70x, PutItem >= 0.60x.',
    '',
  );
  lines.push('| Scenario | set-up | req/s | x node+pg | x 1 front end | front end CPU/request | p50 | p99 | failed requests | target |');
  lines.push('|---|---|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const figures of result.scenarios) {
    const rates = (mode: PostgresMode | undefined): number[] => figures.modes.find((entry) => entry.mode === mode)?.rounds.map((round) => round.requestsPerSecond) ?? [];
    for (const mode of figures.modes) {
      const isBaseline = mode.mode === 'node+pg';
      const own = mode.rounds.map((round) => round.requestsPerSecond);
      const ratio = pairedMedian(own, rates('node+pg'));
      const growth = isBaseline ? Number.NaN : pairedMedian(own, rates('cairn x1'));
      const failed = mode.rounds.reduce((sum, round) => sum + round.non2xx + round.errors, 0);
      const cpu = median(mode.cpuMicrosPerRequest.filter(Number.isFinite));
      const goal = POSTGRES_TARGETS[figures.scenario];
      const target = goal === undefined || mode.mode !== 'cairn x1' ? '' : `>= ${goal.toFixed(2)}x: ${ratio >= goal && failed === 0 ? 'met' : 'not met'}`;
      lines.push(
        `| ${figures.scenario} | ${mode.mode} | ${Math.round(median(own))} | ${isBaseline ? '1.00x' : formatRatio(ratio)} | ` +
          `${isBaseline ? '' : formatRatio(growth)} | ${Number.isFinite(cpu) ? `${cpu.toFixed(1)} µs` : 'n/a'} | ` +
          `${median(mode.rounds.map((round) => round.p50Ms)).toFixed(2)} ms | ${median(mode.rounds.map((round) => round.p99Ms)).toFixed(2)} ms | ` +
          `${failed} | ${target} |`,
      );
    }
  }
  lines.push('');
  lines.push('The baseline\'s SQL per request (no validation, no conditions, no indexes, streams or statistics):');
  for (const scenario of POSTGRES_SCENARIOS) lines.push(`- ${scenario}: ${BASELINE_SQL[scenario]}`);
  lines.push('');
  for (const failure of result.failures) lines.push(`- not measured: ${failure.replace(/\|/g, '\\|')}`);
  if (result.failures.length > 0) lines.push('');
}

function formatRatio(ratio: number): string {
  return Number.isFinite(ratio) ? `${ratio.toFixed(2)}x` : 'n/a';
}
