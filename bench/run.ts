/**
 * `npm run bench`: Cairn against a bare node:http baseline and its peers (dynalite; optionally DynamoDB Local),
 * on GetItem / PutItem / UpdateItem / Query / QueryReverse / BatchWriteItem / TransactWriteItems of 2 and of 10
 * Puts, plus cold-start time and memory, and
 * with --scale Cairn's Query latency on a 10,000-item table against a 1,000,000-item one, and the cost of the
 * capacity model (bench/capacity-cost.ts: --capacity off / account / enforce). Prints a markdown report and writes it to
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
import { measureCapacityCost, type CapacityCostResult } from './capacity-cost.js';
import { measurePartiqlCost, type PartiqlCostResult } from './partiql-cost.js';
import { measureAuthCost, type AuthCostResult } from './auth-cost.js';
import { measureEncryptionCost, type EncryptionCostResult } from './encryption-cost.js';
import { measurePostgresCost, type PostgresCostResult } from './postgres-cost.js';
import { killAllChildren, readProcStatusKb } from './children.js';
import { closeIdleConnections } from './http-call.js';
import { runLoad, type LoadFigures } from './load.js';
import { canUseNetworkNamespace, insideNetworkNamespace, rerunInNetworkNamespace } from './netns.js';
import { parseBenchOptions, USAGE, type BenchOptions } from './options.js';
import { locateDynamoDbLocal, selectPeers, type Peer, type PeerName } from './peers.js';
import {
  renderReport,
  type ScaleResult,
  type ScaleTableResult,
  type ScenarioResult,
  type StartupResult,
  type StreamsResult,
} from './report.js';
import { launchServer, measureStartup, type RunningServer } from './server-process.js';
import { measureScenario, startPeers } from './scenario-rounds.js';
import { bulkLoad, createTable, probeScenario } from './setup.js';
import {
  measureStreamCost,
  measureStreamLag,
  measureTtlSweep,
  type StreamCostFigures,
  type StreamLagFigures,
  type TtlSweepFigures,
} from './stream-bench.js';
import { measureTriggerLag } from './trigger-lag.js';
import { measureReplicationLag } from './replication-lag.js';
import { formatMs, formatRate } from './stats.js';
import {
  createQueryTableBody,
  createRandom,
  PARTITION_ITEMS,
  queryBody,
  randomIndex,
  scenarioOperation,
  sortedItemAt,
} from './wire.js';

const SEED = 20260101;

/** The scale part: the table both of its Cairn servers hold, its connections, and its bulk-load concurrency. */
const SCALE_TABLE_NAME = 'cairn_bench_scale';
const SCALE_CONNECTIONS = 4;
const SCALE_LOAD_CONCURRENCY = 16;
const SCALE_SMALL_ITEMS = 10_000;
const SCALE_MAX_SECONDS = 3;

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

  // --capacity-only: none of the servers of the main part are started, measured or reported.
  const peers = options.capacityOnly ? [] : selection.peers;
  // Cold starts first, while the machine is otherwise quiet.
  const startup = new Map<PeerName, { startupMs: number[]; idleRssKb: number[]; failure?: string }>();
  for (const peer of peers) {
    log(`cold start x${options.startupRuns}: ${peer.label}`);
    try {
      startup.set(peer.name, await measureStartup(peer, options.startupRuns));
    } catch (error) {
      startup.set(peer.name, { startupMs: [], idleRssKb: [], failure: errorMessage(error) });
    }
  }

  const { servers, setupFailures } = await startPeers(
    peers.filter((peer) => startup.get(peer.name)?.failure === undefined),
    options.scenarios,
    log,
    { rounds: options.rounds, connections: options.connections },
  );
  for (const peer of peers) {
    if (startup.get(peer.name)?.failure !== undefined) setupFailures.set(peer.name, 'could not start (see startup)');
  }

  const scenarios: ScenarioResult[] = [];
  for (const scenario of peers.length === 0 ? [] : options.scenarios) {
    scenarios.push(await measureScenario(scenario, peers, servers, setupFailures, { ...options, log }, SEED));
  }

  const startupResults: StartupResult[] = peers.map((peer) => {
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

  // After the other servers are gone: the bulk loads and the low-concurrency latencies get the machine alone.
  let scale: ScaleResult | undefined;
  if (options.scale && !options.capacityOnly) {
    const cairn = selection.peers.find((peer) => peer.name === 'cairn');
    if (cairn === undefined) notes.push('Query latency at scale not measured: Cairn is not among the servers.');
    else scale = await measureScale(cairn, options);
  }
  let streams: StreamsResult | undefined;
  if (options.streams && !options.capacityOnly) {
    const cairn = selection.peers.find((peer) => peer.name === 'cairn');
    if (cairn !== undefined) streams = await measureStreams(cairn, options);
  }
  // Trigger delivery lag (bench/trigger-lag.ts, on its own Cairn), reported in the Streams section.
  if (streams !== undefined) {
    log('triggers: delivery lag at 500 writes/s');
    try {
      const lag = await measureTriggerLag({ cli: resolve(root, 'dist', 'bundle', 'cli.js'), seconds: options.durationSeconds });
      streams = { ...streams, triggerLag: lag };
    } catch (error) {
      streams = { ...streams, failures: [...streams.failures, `trigger delivery lag: ${errorMessage(error)}`] };
    }
  }
  // Global table replication lag at 1,000 writes/s between two Cairn servers (bench/replication-lag.ts).
  if (streams !== undefined) {
    log('global tables: replication lag at 1,000 writes/s between two servers');
    try {
      const replication = await measureReplicationLag({ cli: resolve(root, 'dist', 'bundle', 'cli.js'), seconds: options.durationSeconds });
      streams = { ...streams, replication };
    } catch (error) {
      streams = { ...streams, failures: [...streams.failures, `global table replication lag: ${errorMessage(error)}`] };
    }
  }
  let capacity: CapacityCostResult | undefined;
  if (options.capacity) {
    const cairn = selection.peers.find((peer) => peer.name === 'cairn');
    if (cairn === undefined) notes.push('Capacity model cost not measured: Cairn is not among the servers.');
    else capacity = await measureCapacityCost(cairn, { ...options, log }, SEED);
  }
  let partiql: PartiqlCostResult | undefined;
  if (options.partiql) {
    const cairn = selection.peers.find((peer) => peer.name === 'cairn');
    if (cairn === undefined) notes.push('PartiQL cost not measured: Cairn is not among the servers.');
    else partiql = await measurePartiqlCost(cairn, { ...options, log }, SEED);
  }
  let auth: AuthCostResult | undefined;
  if (options.auth) {
    const cairn = selection.peers.find((peer) => peer.name === 'cairn');
    if (cairn === undefined) notes.push('SigV4 verification cost not measured: Cairn is not among the servers.');
    else auth = await measureAuthCost(cairn, { ...options, log }, SEED);
  }
  let encryption: EncryptionCostResult | undefined;
  if (options.encryption) {
    const cairn = selection.peers.find((peer) => peer.name === 'cairn');
    if (cairn === undefined) notes.push('Encryption at rest cost not measured: Cairn is not among the servers.');
    else encryption = await measureEncryptionCost(cairn, { ...options, log }, SEED);
  }
  let postgres: PostgresCostResult | undefined;
  if (options.postgres) postgres = await measurePostgresCost(root, benchDirectory, { ...options, log }, SEED);
  closeIdleConnections();

  if (cpus().length <= 2 && !options.capacityOnly) {
    notes.push(
      `Only ${cpus().length} CPUs: the load generator (one core) competes with the server, so absolute figures are ` +
        'low; the baseline may be generator-bound, and then ratios to it overstate the other servers a little.',
    );
  }
  if (!options.capacityOnly) {
    notes.push(
      'The baseline reads and JSON.parses each request and answers a same-size (~1 KB) item, serialized per request, ' +
        'for GetItem, PutItem and UpdateItem (the definition the targets use); no validation, no storage. For Query ' +
        'it answers what DynamoDB would: a page of 20 same-size ~1 KB items with Count, ScannedCount and ' +
        'LastEvaluatedKey (ascending or descending as asked), serialized per request; for BatchWriteItem it parses ' +
        'the ~26 KB request and answers `{"UnprocessedItems":{}}`, as DynamoDB does when every write was done; for ' +
        'BatchGetItem it answers 100 same-size items, nothing unprocessed, and for Scan a full page: same-size items ' +
        'up to 1 MB of item sizes, with Count, ScannedCount and LastEvaluatedKey, serialized per request.',
    );
  }
  if (options.scenarios.includes('BatchWriteItem') && !options.capacityOnly) {
    notes.push(
      'BatchWriteItem replays a pool of 1,024 pre-built batches (each connection loops over 16 of them), so after ' +
        'the first pass most puts overwrite an item written earlier in the run (PutItem replays its pool of 4,096 ' +
        'bodies the same way).',
    );
  }
  if (options.scenarios.some((scenario) => scenarioOperation(scenario) === 'TransactWriteItems') && !options.capacityOnly) {
    notes.push(
      'TransactWriteItems (2 or 10 Puts, no condition) replays its pool like PutItem, so its bodies carry no ' +
        'ClientRequestToken (a replayed token would be answered from its record, not written); the AWS SDKs add one ' +
        'to every call, which Cairn records in the same commit, so SDK users pay a little more per transaction. The ' +
        'baseline answers it as it answers PutItem (a ~1 KB item, where DynamoDB answers `{}` to both), so the two ' +
        'ratios rest on the same floor. dynalite implements no transactions (it answers UnknownOperationException): n/a.',
    );
  }
  if (streams !== undefined) {
    notes.push(
      'Stream lag counts from the moment the PutItem answer reached the client to the moment GetRecords returned ' +
        'the record; a record can be returned before its write is answered (the commit is visible while its log ' +
        'record is being synced), which counts as 0. The TTL sweep time runs from the second the items expired ' +
        '(TTL compares whole seconds) to the last deletion, with the sweeper running every 100 ms.',
    );
  }
  if (!options.scale && !options.capacityOnly) {
    notes.push('Query latency at scale not measured (--no-scale or --quick); pass --scale: it adds about a minute on 2 cores.');
  }

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
    scale,
    ...(streams !== undefined ? { streams } : {}),
    ...(capacity !== undefined ? { capacity } : {}),
    ...(partiql !== undefined ? { partiql } : {}),
    ...(auth !== undefined ? { auth } : {}),
    ...(encryption !== undefined ? { encryption } : {}),
    ...(postgres !== undefined ? { postgres } : {}),
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

/**
 * The Streams part, on its own Cairn server (sweeping expired items every 100 ms): stream lag at 1,000 writes/s,
 * PutItem with and without a stream, and TTL sweeps of 1% of a 10,000-item table and of a larger one (the --scale
 * size with --scale, else 100,000).
 */
async function measureStreams(cairn: Peer, options: BenchOptions): Promise<StreamsResult> {
  const failures: string[] = [];
  const sweeping: Peer = {
    ...cairn,
    launch: (port, dataDirectory) => {
      const launch = cairn.launch(port, dataDirectory);
      return { ...launch, args: [...launch.args, '--ttl-sweep-ms', '100'] };
    },
  };
  const server = await launchServer(sweeping);
  const result: { lag?: StreamLagFigures; cost?: StreamCostFigures; ttl: TtlSweepFigures[] } = { ttl: [] };
  try {
    log('streams: stream lag at 1,000 writes/s');
    try {
      result.lag = await measureStreamLag(server.url, 1000, options.durationSeconds);
    } catch (error) {
      failures.push(`stream lag: ${errorMessage(error)}`);
    }
    log('streams: PutItem with and without a stream');
    try {
      result.cost = await measureStreamCost(server.url, {
        connections: options.connections,
        durationSeconds: options.durationSeconds,
        rounds: options.rounds,
      });
    } catch (error) {
      failures.push(`stream cost: ${errorMessage(error)}`);
    }
    for (const items of [10_000, options.scale ? options.scaleItems : 100_000]) {
      log(`streams: TTL sweep of 1% of ${items.toLocaleString('en-US')} items`);
      try {
        result.ttl.push(await measureTtlSweep(server.url, `cairn_bench_ttl_${items}`, items, SCALE_LOAD_CONCURRENCY));
      } catch (error) {
        failures.push(`TTL sweep of ${items} items: ${errorMessage(error)}`);
      }
    }
  } finally {
    await server.stop();
  }
  return { ...result, failures };
}

/**
 * Query latency at scale: two Cairn servers on fresh data directories, one bulk-loaded with 10,000 items and one
 * with options.scaleItems (BatchWriteItem, 25 per request, 16 in flight), then the Query scenario's request at
 * low concurrency on each, alternating ABBA round by round like the scenarios.
 */
async function measureScale(cairn: Peer, options: BenchOptions): Promise<ScaleResult> {
  const tables: { result: ScaleTableResult; server?: RunningServer }[] = [];
  for (const items of [SCALE_SMALL_ITEMS, options.scaleItems]) {
    const label = `${items.toLocaleString('en-US')} items`;
    let server: RunningServer | undefined;
    try {
      log(`scale: starting Cairn for ${label}`);
      server = await launchServer(cairn);
      await createTable(server.url, SCALE_TABLE_NAME, createQueryTableBody(SCALE_TABLE_NAME));
      const loadMs = await bulkLoad({
        url: server.url,
        tableName: SCALE_TABLE_NAME,
        count: items,
        itemAt: sortedItemAt,
        concurrency: SCALE_LOAD_CONCURRENCY,
        progress: (written) => log(`scale: ${written.toLocaleString('en-US')} of ${label} loaded`),
      });
      log(`scale: loaded ${label} in ${formatMs(loadMs)} (${formatRate((items / loadMs) * 1000)} items/s)`);
      // The last partition, read back: the whole load is there, in order.
      const probe = await probeScenario(server.url, 'Query', queryBody(Math.floor(items / PARTITION_ITEMS) - 1, true, SCALE_TABLE_NAME));
      if (probe !== undefined) throw new Error(`after the load: ${probe}`);
      tables.push({ result: { label, items, loadMs, rounds: [] }, server });
    } catch (error) {
      log(`scale: ${label} failed: ${errorMessage(error)}`);
      tables.push({ result: { label, items, loadMs: 0, rounds: [], failure: errorMessage(error) } });
      if (server !== undefined) await server.stop();
    }
  }
  const rounds = options.rounds;
  // A few seconds: at 4 connections that is still thousands of samples, and it keeps a default run near 6 minutes.
  const seconds = Math.min(options.durationSeconds, SCALE_MAX_SECONDS);
  const measured = tables.flatMap((table) => (table.server === undefined ? [] : [{ table, server: table.server }]));
  const collected = new Map<ScaleTableResult, LoadFigures[]>();
  // The same request stream shape for both tables: random partitions among each table's own.
  const bodiesOf = new Map<ScaleTableResult, string[]>();
  for (const { table } of measured) {
    const random = createRandom(SEED + 77);
    const partitions = Math.floor(table.result.items / PARTITION_ITEMS);
    bodiesOf.set(table.result, Array.from({ length: 4096 }, () => queryBody(randomIndex(random, partitions), true, SCALE_TABLE_NAME)));
  }
  const load = (entry: (typeof measured)[number], durationSeconds: number, round: number): Promise<LoadFigures> =>
    runLoad({
      url: entry.server.url,
      operation: 'Query',
      bodies: bodiesOf.get(entry.table.result) ?? [],
      connections: SCALE_CONNECTIONS,
      durationSeconds,
      sequenceLength: 256,
      random: createRandom(SEED + round),
    });
  try {
    if (options.warmupSeconds > 0) {
      for (const entry of measured) {
        log(`scale: warm-up ${entry.table.result.label}`);
        await load(entry, options.warmupSeconds, -1);
      }
    }
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? measured : [...measured].reverse();
      for (const entry of order) {
        const figures = await load(entry, seconds, round);
        collected.set(entry.table.result, [...(collected.get(entry.table.result) ?? []), figures]);
        const failed = figures.non2xx + figures.errors;
        log(
          `scale round ${round + 1}/${rounds} ${entry.table.result.label}: ${formatRate(figures.requestsPerSecond)} req/s, ` +
            `p50 ${formatMs(figures.p50Ms)}, p99 ${formatMs(figures.p99Ms)}${failed > 0 ? `, ${failed} failed` : ''}`,
        );
      }
    }
  } finally {
    for (const entry of measured) await entry.server.stop();
  }
  const [small, large] = tables.map((table) => ({ ...table.result, rounds: collected.get(table.result) ?? [] }));
  if (small === undefined || large === undefined) throw new Error('scale: expected two tables');
  return {
    settings: `${SCALE_CONNECTIONS} keep-alive connections, ${rounds} alternating round(s) of ${seconds} s after a ${options.warmupSeconds} s warm-up, ascending Query (Limit 20) of random partitions`,
    loadSettings: `BatchWriteItem of 25 items per request, ${SCALE_LOAD_CONCURRENCY} requests in flight, bodies built by the benchmark process as it goes (it shares the machine)`,
    small,
    large,
  };
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
