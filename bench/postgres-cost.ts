/**
 * Cairn over PostgreSQL (`npm run bench -- --postgres`): GetItem and PutItem on Cairn serving from a database with
 * `--postgres`, beside a bare node + pg server that runs the one equivalent SQL statement per request
 * (postgres-baseline-server.ts), both over one PostgreSQL server this part starts (test/helpers/postgres-server.ts:
 * Debian's package, durable settings) with a database each, measured in alternating rounds (targets: PutItem
 * >= 0.6x and GetItem >= 0.7x of that baseline). Throughput is the figure here, with the server's CPU per request
 * beside it: most of the work happens in PostgreSQL, which the front end's CPU does not show.
 */
import { join, resolve } from 'node:path';
import { measureScenarios, type AlternatingOptions, type ModeFigures } from './alternating-rounds.js';
import type { Peer } from './peers.js';
import { launchServer, type RunningServer } from './server-process.js';
import { createBenchTable, preloadItems } from './setup.js';
import { median, pairedMedian } from './stats.js';
import type { ScenarioName } from './wire.js';
import { postgresUnavailable, startPostgres } from '../test/helpers/postgres-server.js';

export type PostgresMode = 'node+pg' | 'cairn';

export const POSTGRES_SCENARIOS = ['GetItem', 'PutItem'] as const satisfies readonly ScenarioName[];

/** Cairn's throughput over the bare node + pg server's, per scenario. */
export const POSTGRES_TARGETS: Readonly<Record<(typeof POSTGRES_SCENARIOS)[number], number>> = { GetItem: 0.7, PutItem: 0.6 };

export interface PostgresScenarioFigures {
  readonly scenario: (typeof POSTGRES_SCENARIOS)[number];
  readonly modes: readonly ModeFigures<PostgresMode>[];
}

export interface PostgresCostResult {
  readonly settings: string;
  readonly scenarios: readonly PostgresScenarioFigures[];
  readonly failures: readonly string[];
}

export async function measurePostgresCost(root: string, benchDirectory: string, options: AlternatingOptions, seed: number): Promise<PostgresCostResult> {
  const failures: string[] = [];
  const scenarios: PostgresScenarioFigures[] = [];
  const settings =
    `${options.connections} keep-alive connections, ${options.rounds} alternating round(s) of ${options.durationSeconds} s ` +
    `after a ${options.warmupSeconds} s warm-up; one PostgreSQL server (fsync on), a database for each front end, ` +
    'pools of 10 connections on both';
  const unavailable = postgresUnavailable();
  if (unavailable !== undefined) return { settings, scenarios, failures: [unavailable] };
  const postgres = await startPostgres();
  const servers: { mode: PostgresMode; server: RunningServer }[] = [];
  try {
    const cairnUrl = await postgres.createDatabase();
    const baselineUrl = await postgres.createDatabase();
    const cli = resolve(root, 'dist', 'src', 'cli.js');
    const peers: { mode: PostgresMode; peer: Peer }[] = [
      {
        mode: 'node+pg',
        peer: {
          name: 'baseline',
          label: 'bare node + pg (one SQL statement per request)',
          hasTables: true,
          startupTimeoutMs: 15_000,
          launch: (port) => ({ command: process.execPath, args: [join(benchDirectory, 'postgres-baseline-server.js'), String(port), baselineUrl] }),
        },
      },
      {
        mode: 'cairn',
        peer: {
          name: 'cairn',
          label: 'Cairn --postgres',
          hasTables: true,
          startupTimeoutMs: 15_000,
          launch: (port) => ({ command: process.execPath, args: [cli, '--port', String(port), '--log-level', 'warn', '--postgres', cairnUrl] }),
        },
      },
    ];
    for (const { mode, peer } of peers) {
      options.log(`postgres: starting ${peer.label}`);
      const server = await launchServer(peer);
      servers.push({ mode, server });
      await createBenchTable(server.url);
      await preloadItems(server.url);
    }
    scenarios.push(...(await measureScenarios('postgres', servers, POSTGRES_SCENARIOS, options, seed, 3000, failures)));
  } catch (error) {
    failures.push(error instanceof Error ? error.message : String(error));
  } finally {
    for (const { server } of servers) await server.stop();
    await postgres.stop();
  }
  return { settings, scenarios, failures };
}

export function renderPostgresCost(lines: string[], result: PostgresCostResult): void {
  lines.push('## Cairn over PostgreSQL', '');
  lines.push(
    `GetItem and PutItem on Cairn with \`--postgres\`, beside a bare node + pg server that answers each request with ` +
      `the one equivalent SQL statement (an upsert, or a SELECT by key). ${result.settings}. "x node+pg" is Cairn's ` +
      'throughput over the bare server\'s, round by round. Targets: GetItem >= 0.70x, PutItem >= 0.60x.',
    '',
  );
  lines.push('| Scenario | server | req/s | x node+pg | front end CPU/request | p50 | p99 | failed requests | target |');
  lines.push('|---|---|---:|---:|---:|---:|---:|---:|---|');
  for (const figures of result.scenarios) {
    const baseline = figures.modes.find((mode) => mode.mode === 'node+pg');
    for (const mode of figures.modes) {
      const isBaseline = mode.mode === 'node+pg';
      const ratio = pairedMedian(mode.rounds.map((round) => round.requestsPerSecond), baseline?.rounds.map((round) => round.requestsPerSecond) ?? []);
      const failed = mode.rounds.reduce((sum, round) => sum + round.non2xx + round.errors, 0);
      const cpu = median(mode.cpuMicrosPerRequest.filter(Number.isFinite));
      const goal = POSTGRES_TARGETS[figures.scenario];
      const target = isBaseline ? '' : `>= ${goal.toFixed(2)}x: ${ratio >= goal && failed === 0 ? 'met' : 'not met'}`;
      lines.push(
        `| ${figures.scenario} | ${mode.mode} | ${Math.round(median(mode.rounds.map((round) => round.requestsPerSecond)))} | ` +
          `${isBaseline ? '1.00x' : `${ratio.toFixed(2)}x`} | ${Number.isFinite(cpu) ? `${cpu.toFixed(1)} µs` : 'n/a'} | ` +
          `${median(mode.rounds.map((round) => round.p50Ms)).toFixed(2)} ms | ${median(mode.rounds.map((round) => round.p99Ms)).toFixed(2)} ms | ` +
          `${failed} | ${target} |`,
      );
    }
  }
  lines.push('');
  for (const failure of result.failures) lines.push(`- not measured: ${failure.replace(/\|/g, '\\|')}`);
  if (result.failures.length > 0) lines.push('');
}
