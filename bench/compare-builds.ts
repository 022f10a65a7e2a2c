/**
 * `node dist/bench/compare-builds.js --before <dir> [--after <dir>] [--scenarios PutItem,BatchWriteItem]`: the
 * same scenarios on two builds of Cairn (each directory a checkout holding dist/bundle/cli.js and node_modules/),
 * in alternating rounds under the same load, with the server's CPU time per request from /proc (see
 * alternating-rounds.ts). Whether a change to a hot path pays is judged on the paired ratios of CPU per request
 * (after / before, round by round): on a shared machine throughput swings far more than CPU time does, and a change
 * is worth keeping only when the ratios stay below 1 by more than their spread between runs of one build against
 * itself (`--after` left out compares `--before` with this checkout; `--before` and `--after` the same directory
 * gives that spread).
 *
 *   --rounds N      alternating rounds per scenario (default 6, 1-30)
 *   --duration S    seconds per round (default 3, 1-60)
 *   --warmup S      warm-up seconds per server and scenario (default 1, 0-30)
 *
 * Exit code 0 once every scenario was measured, 2 when it could not run (a bad flag, a server that did not start).
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { measureAlternating, type ModeFigures } from './alternating-rounds.js';
import { killAllChildren } from './children.js';
import { closeIdleConnections } from './http-call.js';
import type { Peer } from './peers.js';
import { startPeers } from './scenario-rounds.js';
import type { RunningServer } from './server-process.js';
import { median, pairedRatios } from './stats.js';
import { SCENARIO_NAMES, type ScenarioName } from './wire.js';

const SEED = 20261206;

export type BuildName = 'before' | 'after';

export interface CompareOptions {
  readonly before: string;
  readonly after: string;
  readonly scenarios: readonly ScenarioName[];
  readonly rounds: number;
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
}

/** The options, or why they are wrong. `root` is this checkout (the default of --after). */
export function parseCompareOptions(argv: readonly string[], root: string): CompareOptions | string {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        before: { type: 'string' },
        after: { type: 'string' },
        scenarios: { type: 'string', default: 'PutItem,UpdateItem,BatchWriteItem' },
        rounds: { type: 'string', default: '6' },
        duration: { type: 'string', default: '3' },
        warmup: { type: 'string', default: '1' },
      },
    }));
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  if (values.before === undefined) return '--before <directory> is required';
  const scenarios = values.scenarios.split(',').filter((name) => name !== '');
  const unknown = scenarios.find((name) => !(SCENARIO_NAMES as readonly string[]).includes(name));
  if (unknown !== undefined) return `unknown scenario ${unknown} (one of ${SCENARIO_NAMES.join(', ')})`;
  // Its items are loaded for the rounds of one `npm run bench` and deleted by them (wire.ts, DELETE_KEY_BASE).
  if (scenarios.includes('DeleteItem')) return 'DeleteItem is measured by npm run bench only';
  if (scenarios.length === 0) return '--scenarios names no scenario';
  const rounds = boundedInteger('--rounds', values.rounds, 1, 30);
  const durationSeconds = boundedInteger('--duration', values.duration, 1, 60);
  const warmupSeconds = boundedInteger('--warmup', values.warmup, 0, 30);
  for (const value of [rounds, durationSeconds, warmupSeconds]) if (typeof value === 'string') return value;
  return {
    before: resolve(values.before),
    after: resolve(values.after ?? root),
    scenarios: scenarios as ScenarioName[],
    rounds: rounds as number,
    durationSeconds: durationSeconds as number,
    warmupSeconds: warmupSeconds as number,
  };
}

function boundedInteger(flag: string, text: string, min: number, max: number): number | string {
  const value = Number(text);
  return Number.isInteger(value) && value >= min && value <= max ? value : `${flag} must be an integer from ${min} to ${max}`;
}

/** One line per scenario: each build's median CPU per request and throughput, and the paired CPU ratios. */
export function renderComparison(scenario: ScenarioName, figures: readonly ModeFigures<BuildName>[]): string {
  const of = (mode: BuildName) => figures.find((figure) => figure.mode === mode);
  const before = of('before');
  const after = of('after');
  if (before === undefined || after === undefined) return `${scenario}: not measured`;
  const describe = (figure: ModeFigures<BuildName>) =>
    `${figure.mode} ${median(figure.cpuMicrosPerRequest).toFixed(1)} µs/request, ` +
    `${Math.round(median(figure.rounds.map((round) => round.requestsPerSecond)))} req/s`;
  const ratios = pairedRatios(after.cpuMicrosPerRequest, before.cpuMicrosPerRequest);
  return (
    `${scenario}: ${describe(before)}; ${describe(after)}; CPU after/before by round ` +
    `${ratios.map((ratio) => ratio.toFixed(2)).join(' ')}, median ${median(ratios).toFixed(3)}`
  );
}

/** Cairn as built in `directory`, launched as `npm run bench` launches it (bundled, durable, default flags). */
function buildPeer(build: BuildName, directory: string): Peer {
  return {
    // startPeers keys its servers by peer name: each build is launched on its own.
    name: 'cairn',
    label: `Cairn ${build} (${directory})`,
    hasTables: true,
    startupTimeoutMs: 15_000,
    launch: (port, dataDirectory) => ({
      command: process.execPath,
      args: [join(directory, 'dist', 'bundle', 'cli.js'), '--port', String(port), '--data', dataDirectory],
    }),
  };
}

async function main(): Promise<number> {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const options = parseCompareOptions(process.argv.slice(2), root);
  if (typeof options === 'string') {
    console.error(options);
    return 2;
  }
  for (const directory of [options.before, options.after]) {
    if (!existsSync(join(directory, 'dist', 'bundle', 'cli.js'))) {
      console.error(`${directory} holds no dist/bundle/cli.js (build it first)`);
      return 2;
    }
  }
  const log = (message: string): void => console.log(message);
  const servers: { mode: BuildName; server: RunningServer }[] = [];
  try {
    for (const [mode, directory] of [['before', options.before], ['after', options.after]] as const) {
      const started = await startPeers([buildPeer(mode, directory)], options.scenarios, log);
      const server = started.servers.get('cairn');
      if (server === undefined) {
        console.error(`${mode}: ${started.setupFailures.get('cairn') ?? 'did not start'}`);
        return 2;
      }
      servers.push({ mode, server });
    }
    const lines: string[] = [];
    for (const scenario of options.scenarios) {
      const measured = await measureAlternating('compare', servers, scenario, { connections: 64, log, ...options }, SEED, 0);
      if (typeof measured === 'string') {
        console.error(measured);
        return 2;
      }
      lines.push(renderComparison(scenario, measured));
    }
    console.log(lines.join('\n'));
    return 0;
  } finally {
    for (const { server } of servers) await server.stop();
    closeIdleConnections();
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      killAllChildren();
      process.exit(2);
    },
  );
}
