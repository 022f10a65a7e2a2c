/**
 * The main part's servers and scenarios, shared by `npm run bench` (run.ts) and the regression guard (guard.ts):
 * starting each peer with the bench table preloaded (and the Query table when a Query scenario runs), and
 * measuring one scenario on every peer in alternating ABBA rounds after a warm-up.
 */
import { runLoad, type LoadFigures } from './load.js';
import type { Peer, PeerName } from './peers.js';
import type { PeerScenarioResult, ScenarioResult } from './report.js';
import { launchServer, type RunningServer } from './server-process.js';
import { bulkLoad, createBenchTable, createTable, preloadItems, probeScenario } from './setup.js';
import { formatMs, formatRate } from './stats.js';
import {
  bodyPoolShape,
  createQueryTableBody,
  createRandom,
  deletedItemAt,
  DEFAULT_DELETE_RUNS,
  deletePoolSize,
  type DeleteRuns,
  PRELOADED_ITEMS,
  QUERY_TABLE_NAME,
  TABLE_NAME,
  SCENARIO_NAMES,
  scenarioBodies,
  scenarioOperation,
  scenarioUnsupportedBy,
  sortedItemAt,
  type ScenarioName,
} from './wire.js';

export interface RoundOptions {
  readonly connections: number;
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
  readonly rounds: number;
  readonly log: (message: string) => void;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Starts every peer; one that cannot start or be loaded is listed in setupFailures instead of servers. */
export async function startPeers(
  peers: readonly Peer[],
  scenarios: readonly ScenarioName[],
  log: (message: string) => void,
  /** With a DeleteItem scenario: the rounds and connections it will run (its items are loaded for them). */
  deleteRuns: DeleteRuns = DEFAULT_DELETE_RUNS,
): Promise<{ servers: Map<PeerName, RunningServer>; setupFailures: Map<PeerName, string> }> {
  const servers = new Map<PeerName, RunningServer>();
  const setupFailures = new Map<PeerName, string>();
  for (const peer of peers) {
    try {
      log(`starting ${peer.label}`);
      const server = await launchServer(peer);
      servers.set(peer.name, server);
      if (peer.hasTables) {
        const began = performance.now();
        await createBenchTable(server.url);
        await preloadItems(server.url);
        if (scenarios.includes('Query') || scenarios.includes('QueryReverse')) {
          await createTable(server.url, QUERY_TABLE_NAME, createQueryTableBody());
          await bulkLoad({ url: server.url, tableName: QUERY_TABLE_NAME, count: PRELOADED_ITEMS, itemAt: sortedItemAt });
        }
        if (scenarios.includes('DeleteItem')) {
          const count = deletePoolSize(deleteRuns);
          await bulkLoad({ url: server.url, tableName: TABLE_NAME, count, itemAt: deletedItemAt });
        }
        log(`  preloaded ${peer.name} in ${formatMs(performance.now() - began)}`);
      }
    } catch (error) {
      setupFailures.set(peer.name, errorMessage(error));
      log(`  ${peer.name} set-up failed: ${errorMessage(error)}`);
    }
  }
  return { servers, setupFailures };
}

export async function measureScenario(
  scenario: ScenarioName,
  peers: readonly Peer[],
  servers: ReadonlyMap<PeerName, RunningServer>,
  setupFailures: ReadonlyMap<PeerName, string>,
  options: RoundOptions,
  seed: number,
): Promise<ScenarioResult> {
  const log = options.log;
  // One pool for every server: they all replay the very same requests.
  const shape = bodyPoolShape(scenario);
  // DeleteItem's pool is one body per item loaded for it: a window per connection of the warm-up and each round.
  const poolSize = scenario === 'DeleteItem' ? deletePoolSize(options) : shape.poolSize;
  const bodies = scenarioBodies(scenario, poolSize, createRandom(seed + 1000 * (SCENARIO_NAMES.indexOf(scenario) + 1)));
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
      // A peer without the operation answers the probe with an error: that is n/a, not a failure to report.
      const unsupported = server === undefined || setupFailures.has(peer.name) ? undefined : scenarioUnsupportedBy(scenario, peer.name);
      log(`${scenario}: ${peer.name} not measured: ${failure ?? 'not running'}${unsupported !== undefined ? ` (${unsupported})` : ''}`);
      results.push(
        unsupported !== undefined
          ? { peer: peer.name, label: peer.label, rounds: [], failure: unsupported, unsupported: true }
          : { peer: peer.name, label: peer.label, rounds: [], failure: failure ?? 'not running' },
      );
      continue;
    }
    measured.push({ peer, server, rounds: [] });
  }

  const load = (server: RunningServer, seconds: number, round: number): Promise<LoadFigures> =>
    runLoad({
      url: server.url,
      operation: scenarioOperation(scenario),
      bodies,
      connections: options.connections,
      durationSeconds: seconds,
      sequenceLength: shape.sequenceLength,
      // The same seed per round for every server: each gets the same connection windows.
      random: createRandom(seed + round),
      // DeleteItem: the warm-up (round -1) takes the first windows, each round the next ones.
      ...(scenario === 'DeleteItem' ? { disjointWindow: round + 1 } : {}),
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
