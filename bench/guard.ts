/**
 * `npm run bench:guard`: a short benchmark that fails loudly when Cairn got slower or bigger than the figures
 * committed in bench/guard-figures.json. Not part of `npm test` (tests do not time things); run it before merging
 * a change to a hot path. About two and a half minutes on 2 cores.
 *
 * It measures, against the bare node:http baseline of `npm run bench` in the same run: GetItem, PutItem (durable)
 * and Query of 20 items (throughput and CPU time per request, alternating rounds as in `npm run bench`), start-up
 * to the first answer (the fastest of the cold starts) and idle RSS (their median) (cold starts alternating between the two servers). The verdict is in
 * guard-check.ts.
 *
 *   --update        record this run's figures in bench/guard-figures.json instead of checking them
 *   --rounds N      alternating rounds per scenario (default 5)
 *   --duration S    seconds per round (default 2)
 *   --startup-runs N  cold starts per server (default 5)
 *
 * Exit code 0: every figure within tolerance (or --update). 1: a figure regressed (each is printed). 2: the
 * guard could not run (bad flag, a server that does not start).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { killAllChildren } from './children.js';
import { closeIdleConnections } from './http-call.js';
import { checkFigures, parseGuardFile, renderVerdicts, updatedFile, type GuardFigure, type GuardFile } from './guard-check.js';
import { selectPeers, type Peer } from './peers.js';
import { measureAlternating } from './alternating-rounds.js';
import type { LoadFigures } from './load.js';
import { startPeers } from './scenario-rounds.js';
import { measureStartup } from './server-process.js';
import { median, pairedMedian } from './stats.js';
import type { ScenarioName } from './wire.js';

const SEED = 20260101;
const SCENARIOS: readonly ScenarioName[] = ['GetItem', 'PutItem', 'Query'];

/**
 * Each figure's direction and the tolerance a new figure starts with. Two figures per scenario: throughput (Cairn's
 * req/s over the baseline's) and CPU ("<scenario> CPU": the baseline's CPU time per request over Cairn's, from
 * /proc of both servers). Throughput ratios swing with the machine's load (the load generator competes with the
 * servers for 2 cores); CPU per request hardly does, so it gets the tighter tolerance. Start-up is tens of
 * milliseconds and swings more; memory hardly at all.
 */
const DEFAULTS: Readonly<Record<string, Omit<GuardFigure, 'ratio'>>> = {
  GetItem: { better: 'higher', tolerance: 0.3 },
  'GetItem CPU': { better: 'higher', tolerance: 0.2 },
  PutItem: { better: 'higher', tolerance: 0.3 },
  'PutItem CPU': { better: 'higher', tolerance: 0.2 },
  Query: { better: 'higher', tolerance: 0.3 },
  'Query CPU': { better: 'higher', tolerance: 0.2 },
  'start-up': { better: 'lower', tolerance: 0.35 },
  'idle RSS': { better: 'lower', tolerance: 0.1 },
};

function rates(rounds: readonly LoadFigures[]): number[] {
  return rounds.map((round) => round.requestsPerSecond);
}

function log(message: string): void {
  process.stderr.write(`[bench:guard] ${message}\n`);
}

function bounded(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) throw new UsageError(`${name} must be an integer from ${min} to ${max}: ${text}`);
  return value;
}

class UsageError extends Error {}

async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      update: { type: 'boolean' },
      rounds: { type: 'string' },
      duration: { type: 'string' },
      'startup-runs': { type: 'string' },
    },
    strict: true,
  });
  const rounds = bounded('--rounds', values.rounds, 5, 1, 15);
  const durationSeconds = bounded('--duration', values.duration, 2, 1, 60);
  const startupRuns = bounded('--startup-runs', values['startup-runs'], 5, 1, 20);

  const benchDirectory = dirname(fileURLToPath(import.meta.url));
  const root = resolve(benchDirectory, '..', '..');
  const figuresFile = join(root, 'bench', 'guard-figures.json');
  const committed: GuardFile | undefined = values.update === true ? tryRead(figuresFile) : parseGuardFile(readFileSync(figuresFile, 'utf8'));

  const selection = selectPeers({ root, benchDirectory, withDynamoDbLocal: false, insideNetworkNamespace: false, only: ['cairn'] });
  const baseline = selection.peers.find((peer) => peer.name === 'baseline');
  const cairn = selection.peers.find((peer) => peer.name === 'cairn');
  if (baseline === undefined || cairn === undefined) {
    throw new Error(`Cairn cannot be measured: ${selection.skipped.find((skipped) => skipped.name === 'cairn')?.reason ?? 'not found'}`);
  }
  const peers: readonly Peer[] = [baseline, cairn];
  const loadBefore = loadavg()[0] ?? Number.NaN;
  const measured = new Map<string, number>();

  // Cold starts first, alternating, so that a change in the machine's load falls on both servers alike.
  log(`cold starts x${startupRuns}, alternating`);
  const startup = new Map(peers.map((peer) => [peer.name, { ms: [] as number[], rssKb: [] as number[] }]));
  for (let run = 0; run < startupRuns; run++) {
    for (const peer of run % 2 === 0 ? peers : [...peers].reverse()) {
      const one = await measureStartup(peer, 1);
      startup.get(peer.name)?.ms.push(...one.startupMs);
      startup.get(peer.name)?.rssKb.push(...one.idleRssKb);
    }
  }
  const ofPeer = (name: string) => startup.get(name as Peer['name']) ?? { ms: [], rssKb: [] };
  // The fastest start of each: the machine's other work only ever adds to a start-up, so the minimum is the
  // figure least moved by it (medians of 5 moved by half between runs on a busy machine).
  measured.set('start-up', Math.min(...ofPeer('cairn').ms) / Math.min(...ofPeer('baseline').ms));
  measured.set('idle RSS', median(ofPeer('cairn').rssKb) / median(ofPeer('baseline').rssKb));
  log(
    `start-up ${Math.min(...ofPeer('cairn').ms).toFixed(0)} ms (baseline ${Math.min(...ofPeer('baseline').ms).toFixed(0)} ms), fastest of ${startupRuns}; ` +
      `idle RSS ${(median(ofPeer('cairn').rssKb) / 1024).toFixed(1)} MiB (baseline ${(median(ofPeer('baseline').rssKb) / 1024).toFixed(1)} MiB)`,
  );

  const { servers, setupFailures } = await startPeers(peers, SCENARIOS, log);
  try {
    const failure = [...setupFailures].map(([name, problem]) => `${name}: ${problem}`).join('; ');
    const baselineServer = servers.get('baseline');
    const cairnServer = servers.get('cairn');
    if (failure !== '' || baselineServer === undefined || cairnServer === undefined) throw new Error(`a server could not be set up: ${failure}`);
    const pair = [
      { mode: 'baseline' as const, server: baselineServer, probe: false },
      { mode: 'cairn' as const, server: cairnServer },
    ];
    const options = { connections: 64, durationSeconds, warmupSeconds: 1, rounds, log };
    for (const scenario of SCENARIOS) {
      const figures = await measureAlternating('guard', pair, scenario, options, SEED, 1000);
      if (typeof figures === 'string') throw new Error(figures);
      const [base, candidate] = figures;
      if (base === undefined || candidate === undefined) continue;
      const failed = candidate.rounds.reduce((sum, round) => sum + round.non2xx + round.errors, 0);
      if (failed > 0) throw new Error(`${scenario}: ${failed} requests to Cairn failed`);
      measured.set(scenario, pairedMedian(rates(candidate.rounds), rates(base.rounds)));
      // The baseline's CPU per request over Cairn's: Cairn's share of the baseline's efficiency.
      measured.set(`${scenario} CPU`, pairedMedian(base.cpuMicrosPerRequest, candidate.cpuMicrosPerRequest));
    }
  } finally {
    for (const server of servers.values()) await server.stop();
    closeIdleConnections();
  }

  const settings = `${rounds} rounds of ${durationSeconds} s at 64 connections, ${startupRuns} cold starts, load average ${loadBefore.toFixed(1)} before`;
  if (values.update === true) {
    const file = updatedFile(committed, DEFAULTS, measured, `${new Date().toISOString().slice(0, 10)}, npm run bench:guard: ${settings}`);
    writeFileSync(figuresFile, JSON.stringify(file, null, 2) + '\n');
    for (const [name, figure] of Object.entries(file.figures)) process.stdout.write(`recorded ${name}: ${figure.ratio.toFixed(2)}x\n`);
    process.stdout.write(`bench:guard: figures written to bench/guard-figures.json (${settings})\n`);
    return 0;
  }
  const verdicts = checkFigures(committed as GuardFile, measured);
  process.stdout.write(`bench:guard (${settings}), ratios to the bare node:http baseline in the same run:\n`);
  for (const line of renderVerdicts(verdicts)) process.stdout.write(`${line}\n`);
  return verdicts.every((verdict) => verdict.passed) ? 0 : 1;
}

function tryRead(file: string): GuardFile | undefined {
  try {
    return parseGuardFile(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    killAllChildren();
    process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`[bench:guard] could not run: ${error instanceof Error ? error.message : String(error)}\n`);
    killAllChildren();
    process.exit(2);
  },
);
