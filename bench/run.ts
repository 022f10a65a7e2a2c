/**
 * `npm run bench`: Cairn against a bare node:http baseline and its peers (dynalite; optionally DynamoDB Local),
 * on GetItem / PutItem / UpdateItem, plus cold-start time and memory. Prints a markdown report and writes it to
 * bench/results/latest.md.
 *
 * The machine is shared and noisy, so servers are measured alternately (baseline, cairn, dynalite, then
 * dynalite, cairn, baseline...) for several rounds and every figure is a median; Cairn is judged by its ratio to
 * the baseline measured in the same round, not by absolute numbers that depend on the machine.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, type as osType } from 'node:os';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { killAllChildren, readProcStatusKb } from './children.js';
import { closeIdleConnections } from './http-call.js';
import { runLoad, type LoadFigures } from './load.js';
import { canUseNetworkNamespace, insideNetworkNamespace, rerunInNetworkNamespace } from './netns.js';
import { parseBenchOptions, USAGE, type BenchOptions } from './options.js';
import { locateDynamoDbLocal, selectPeers, type Peer, type PeerName } from './peers.js';
import { renderReport, type PeerScenarioResult, type ScenarioResult, type StartupResult } from './report.js';
import { launchServer, measureStartup, type RunningServer } from './server-process.js';
import { createBenchTable, preloadItems, probeScenario } from './setup.js';
import { formatMs, formatRate } from './stats.js';
import { createRandom, SCENARIO_NAMES, scenarioBodies, type ScenarioName } from './wire.js';

/** Distinct pre-built bodies per scenario; each connection loops over a window of SEQUENCE_LENGTH of them. */
const BODY_POOL_SIZE = 4096;
const SEQUENCE_LENGTH = 256;
const SEED = 20260101;

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function main(argv: readonly string[]): Promise<number> {
  const options = parseBenchOptions(argv);
  if (options.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const benchDirectory = dirname(fileURLToPath(import.meta.url));
  const root = resolve(benchDirectory, '..', '..');
  const notes: string[] = [];

  if (options.withDynamoDbLocal && !insideNetworkNamespace()) {
    if (typeof locateDynamoDbLocal(root, options.dynamoDbLocalDirectory) !== 'string') {
      const problem = canUseNetworkNamespace();
      if (problem === undefined) {
        log('DynamoDB Local binds all interfaces: re-running the whole benchmark inside unshare --net');
        return rerunInNetworkNamespace(fileURLToPath(import.meta.url), argv);
      }
      notes.push(`DynamoDB Local skipped: ${problem}`);
    }
  }

  const startedAt = new Date();
  const startedClock = performance.now();
  const loadAverageBefore = formatLoadAverage();
  const selection = selectPeers({
    root,
    benchDirectory,
    withDynamoDbLocal: options.withDynamoDbLocal,
    dynamoDbLocalDirectory: options.dynamoDbLocalDirectory,
    insideNetworkNamespace: insideNetworkNamespace(),
    only: options.only,
  });
  log(`servers: ${selection.peers.map((peer) => peer.name).join(', ')}`);

  // Cold starts first, while the machine is otherwise quiet.
  const startup = new Map<PeerName, { startupMs: number[]; idleRssKb: number[]; failure?: string }>();
  for (const peer of selection.peers) {
    log(`cold start x${options.startupRuns}: ${peer.label}`);
    try {
      startup.set(peer.name, await measureStartup(peer, options.startupRuns));
    } catch (error) {
      startup.set(peer.name, { startupMs: [], idleRssKb: [], failure: errorMessage(error) });
    }
  }

  const servers = new Map<PeerName, RunningServer>();
  const setupFailures = new Map<PeerName, string>();
  for (const peer of selection.peers) {
    if (startup.get(peer.name)?.failure !== undefined) {
      setupFailures.set(peer.name, 'could not start (see startup)');
      continue;
    }
    try {
      log(`starting ${peer.label}`);
      const server = await launchServer(peer);
      servers.set(peer.name, server);
      if (peer.hasTables) {
        const began = performance.now();
        await createBenchTable(server.url);
        await preloadItems(server.url);
        log(`  preloaded ${peer.name} in ${formatMs(performance.now() - began)}`);
      }
    } catch (error) {
      setupFailures.set(peer.name, errorMessage(error));
      log(`  ${peer.name} set-up failed: ${errorMessage(error)}`);
    }
  }

  const scenarios: ScenarioResult[] = [];
  for (const scenario of options.scenarios) {
    scenarios.push(await measureScenario(scenario, selection.peers, servers, setupFailures, options));
  }

  const startupResults: StartupResult[] = selection.peers.map((peer) => {
    const entry = startup.get(peer.name) ?? { startupMs: [], idleRssKb: [] };
    const server = servers.get(peer.name);
    return {
      peer: peer.name,
      label: peer.label,
      startupMs: entry.startupMs,
      idleRssKb: entry.idleRssKb,
      peakRssKb: server === undefined ? undefined : readProcStatusKb(server.child.pid, 'VmHWM'),
      failure: entry.failure,
    };
  });

  for (const server of servers.values()) await server.stop();
  closeIdleConnections();

  if (cpus().length <= 2) {
    notes.push(
      `Only ${cpus().length} CPUs: the load generator (one core) competes with the server, so absolute figures are ` +
        'low; the baseline may be generator-bound, and then ratios to it overstate the other servers a little.',
    );
  }
  notes.push(
    'The baseline reads and JSON.parses each request and answers a same-size (~1 KB) item, serialized per request, ' +
      'for every operation (the definition the targets use); no validation, no storage.',
  );

  const report = renderReport({
    startedAt,
    elapsedSeconds: (performance.now() - startedClock) / 1000,
    environment: {
      node: process.version,
      cpus: `${cpus().length} x ${cpus()[0]?.model.trim() ?? 'unknown CPU'}`,
      os: `${osType()} ${release()}`,
      loadAverageBefore,
      loadAverageAfter: formatLoadAverage(),
    },
    settings:
      `${options.connections} keep-alive connections, ${options.durationSeconds} s per measurement, ` +
      `${options.rounds} alternating round(s) after a ${options.warmupSeconds} s warm-up, ` +
      `${options.startupRuns} cold start(s) per server`,
    scenarios,
    startup: startupResults,
    skipped: selection.skipped.filter((skipped) => !(options.only && skipped.reason === 'not selected')),
    notes,
  });
  process.stdout.write(report + '\n');
  const output = isAbsolute(options.output) ? options.output : resolve(root, options.output);
  mkdirSync(dirname(output), { recursive: true });
  writeFileSync(output, report + '\n');
  log(`report written to ${options.output}`);
  return 0;
}

async function measureScenario(
  scenario: ScenarioName,
  peers: readonly Peer[],
  servers: ReadonlyMap<PeerName, RunningServer>,
  setupFailures: ReadonlyMap<PeerName, string>,
  options: BenchOptions,
): Promise<ScenarioResult> {
  // One pool for every server: they all replay the very same requests.
  const bodies = scenarioBodies(scenario, BODY_POOL_SIZE, createRandom(SEED + 1000 * (SCENARIO_NAMES.indexOf(scenario) + 1)));
  const measured: { peer: Peer; server: RunningServer; rounds: LoadFigures[]; crash?: string }[] = [];
  const results: PeerScenarioResult[] = [];
  for (const peer of peers) {
    const server = servers.get(peer.name);
    const failure =
      setupFailures.get(peer.name) ??
      (server === undefined || server.child.hasExited()
        ? 'not running'
        : peer.hasTables
          ? await probeScenario(server.url, scenario, bodies[0] ?? '')
          : undefined);
    if (failure !== undefined || server === undefined) {
      log(`${scenario}: ${peer.name} not measured: ${failure ?? 'not running'}`);
      results.push({ peer: peer.name, label: peer.label, rounds: [], failure: failure ?? 'not running' });
      continue;
    }
    measured.push({ peer, server, rounds: [] });
  }

  const load = (server: RunningServer, seconds: number, round: number): Promise<LoadFigures> =>
    runLoad({
      url: server.url,
      operation: scenario,
      bodies,
      connections: options.connections,
      durationSeconds: seconds,
      sequenceLength: SEQUENCE_LENGTH,
      // The same seed per round for every server: each gets the same connection windows.
      random: createRandom(SEED + round),
    });

  if (options.warmupSeconds > 0) {
    for (const entry of measured) {
      if (entry.server.child.hasExited()) continue;
      log(`${scenario}: warm-up ${entry.peer.name}`);
      await load(entry.server, options.warmupSeconds, -1);
    }
  }
  for (let round = 0; round < options.rounds; round++) {
    // ABBA order (baseline, cairn, dynalite, then dynalite, cairn, baseline...): a drift in the machine's load
    // during a round then favours no server systematically.
    const order = round % 2 === 0 ? measured : [...measured].reverse();
    for (const entry of order) {
      if (entry.crash !== undefined) continue;
      const figures = await load(entry.server, options.durationSeconds, round);
      entry.rounds.push(figures);
      const failed = figures.non2xx + figures.errors;
      log(
        `${scenario} round ${round + 1}/${options.rounds} ${entry.peer.name}: ${formatRate(figures.requestsPerSecond)} req/s, ` +
          `p50 ${formatMs(figures.p50Ms)}, p99 ${formatMs(figures.p99Ms)}${failed > 0 ? `, ${failed} failed` : ''}`,
      );
      if (entry.server.child.hasExited()) {
        // A crash under load is a finding, not a reason to lose the other servers' figures.
        entry.crash = `crashed (${entry.server.child.exitDescription()}): ${entry.server.child.output().trim().slice(-300)}`;
        log(`${scenario}: ${entry.peer.name} ${entry.crash}`);
      }
    }
  }
  for (const entry of measured) {
    results.push({ peer: entry.peer.name, label: entry.peer.label, rounds: entry.rounds, failure: entry.crash });
  }
  // Keep the report's row order the peers' order, measured or not.
  const peerOrder = peers.map((peer) => peer.name);
  results.sort((a, b) => peerOrder.indexOf(a.peer) - peerOrder.indexOf(b.peer));
  return { scenario, peers: results };
}

function formatLoadAverage(): string {
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
}

main(process.argv.slice(2)).then(
  (code) => {
    killAllChildren();
    process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    killAllChildren();
    process.exit(1);
  },
);
