/**
 * The benchmark's report: plain markdown, readable in a terminal and in the repository (bench/results/latest.md).
 * Rendering is a pure function of the collected figures, so it is tested without running any load.
 */
import type { CapacityCostResult, CapacityModeFigures, CapacityScenarioFigures } from './capacity-cost.js';
import { renderPartiqlCost, type PartiqlCostResult } from './partiql-cost.js';
import { renderAuthCost, type AuthCostResult } from './auth-cost.js';
import { renderEncryptionCost, type EncryptionCostResult } from './encryption-cost.js';
import { renderPostgresCost, type PostgresCostResult } from './postgres-cost.js';
import type { StreamCostFigures, StreamLagFigures, TtlSweepFigures } from './stream-bench.js';
import { renderTriggerLag, type TriggerLagFigures } from './trigger-lag.js';
import { renderReplicationLag, type ReplicationLagFigures } from './replication-lag.js';
import type { LoadFigures } from './load.js';
import type { PeerName, SkippedPeer } from './peers.js';
import { formatKbAsMib, formatMs, formatRate, formatRatio, median, pairedMedian, pairedRatios, spread } from './stats.js';
import { BATCH_GET_SIZE, DELETE_WINDOW, itemsWrittenPerRequest, SCAN_PAGE_BYTES, SCAN_SEGMENTS, TRANSACTION_SIZES, type ScenarioName } from './wire.js';

/**
 * Issue 16's targets for Cairn (durable, 64 connections), as a ratio of the baseline's throughput in the same run;
 * Scan's is in MB/s of items served (SCAN_TARGET_MB_PER_SECOND).
 */
export const CAIRN_TARGETS: Readonly<Record<ScenarioName, number | undefined>> = {
  GetItem: 0.85,
  PutItem: 0.65,
  UpdateItem: 0.6,
  Query: 0.5,
  QueryReverse: 0.5,
  BatchWriteItem: 0.3,
  TransactWriteItems2: undefined,
  TransactWriteItems10: undefined,
  BatchGetItem: 0.4,
  Scan: undefined,
  DeleteItem: 0.65,
};

/** Scan: pages of 1 MB served at this many MB (10^6 bytes) of items a second, or more. */
export const SCAN_TARGET_MB_PER_SECOND = 200;

/** Query at scale: the 1,000,000-item table's p50 at most this many times the 10,000-item table's. */
export const SCALE_P50_TARGET = 1.5;

export const SCENARIO_DESCRIPTIONS: Readonly<Record<ScenarioName, string>> = {
  GetItem: 'GetItem of an existing ~1 KB item, random keys over the preloaded items',
  PutItem: 'PutItem of ~1 KB items, random keys (mostly new items, some overwrites)',
  UpdateItem: 'UpdateItem `SET #c = #c + :one` on random preloaded keys',
  Query:
    'Query of the first 20 ~1 KB items (Limit 20, ascending) of a random partition of 50, on a (pk S, sk N) table of ' +
    '10,000 preloaded items; every answer is 20 items with a LastEvaluatedKey',
  QueryReverse: 'The same Query with ScanIndexForward false: the last 20 items of the partition, descending',
  BatchWriteItem:
    'BatchWriteItem of 25 PutRequests of ~1 KB items (~26 KB per request), distinct random keys over 1,000,000; ' +
    'req/s counts requests, so items/s is 25 times it',
  TransactWriteItems2:
    `TransactWriteItems of ${TRANSACTION_SIZES.TransactWriteItems2} Puts of PutItem's ~1 KB items (distinct random keys over ` +
    `PutItem's key space), all applied in one atomic, durable commit; req/s counts transactions`,
  TransactWriteItems10:
    `TransactWriteItems of ${TRANSACTION_SIZES.TransactWriteItems10} Puts of PutItem's ~1 KB items (~11 KB per request, distinct ` +
    `random keys over PutItem's key space), one atomic, durable commit; req/s counts transactions`,
  BatchGetItem:
    `BatchGetItem of ${BATCH_GET_SIZE} distinct random keys over the preloaded ~1 KB items (~110 KB per answer); req/s counts ` +
    `requests, so items/s is ${BATCH_GET_SIZE} times it`,
  Scan:
    `Scan of the first page of a random segment of ${SCAN_SEGMENTS} (Segment, TotalSegments) of the ~1 KB items' table (the ` +
    `preloaded items, and those the write scenarios wrote when they ran before): every answer is a full page, 1 MB of ` +
    `items as DynamoDB sizes them, so MB/s of items served is req/s times 1.05`,
  DeleteItem:
    `DeleteItem of ~1 KB items loaded for it (keys of their own): each connection of each round deletes its own ` +
    `${DELETE_WINDOW} items in turn, so every delete finds its item`,
};

/** The scenarios of the per-item comparison of writes, in this order (the ones that ran). */
const MULTI_ITEM_WRITES: readonly ScenarioName[] = ['PutItem', 'BatchWriteItem', 'TransactWriteItems2', 'TransactWriteItems10'];

export interface PeerScenarioResult {
  readonly peer: PeerName;
  readonly label: string;
  /** One entry per measured round, in round order (index i pairs with the baseline's round i). */
  readonly rounds: readonly LoadFigures[];
  /** Why the peer was not measured in this scenario (e.g. the operation answered an error). */
  readonly failure?: string;
  /** Set with `failure` when the peer lacks the operation altogether: the report shows n/a, not a failure. */
  readonly unsupported?: boolean;
}

export interface ScenarioResult {
  readonly scenario: ScenarioName;
  readonly peers: readonly PeerScenarioResult[];
}

export interface StartupResult {
  readonly peer: PeerName;
  readonly label: string;
  readonly startupMs: readonly number[];
  readonly idleRssKb: readonly number[];
  /** VmHWM of the long-running server at the end of all scenarios. */
  readonly peakRssKb?: number;
  readonly failure?: string;
}

export interface BenchEnvironment {
  readonly node: string;
  readonly cpus: string;
  readonly os: string;
  readonly loadAverageBefore: string;
  readonly loadAverageAfter: string;
}

export interface BenchReport {
  readonly startedAt: Date;
  readonly elapsedSeconds: number;
  readonly environment: BenchEnvironment;
  readonly settings: string;
  readonly scenarios: readonly ScenarioResult[];
  readonly startup: readonly StartupResult[];
  readonly skipped: readonly SkippedPeer[];
  readonly notes: readonly string[];
  /** The Query-at-scale part (`--scale`), when it ran. */
  readonly scale?: ScaleResult;
  /** The Streams part, when it ran. */
  readonly streams?: StreamsResult;
  /** The capacity part (bench/capacity-cost.ts), when it ran. */
  readonly capacity?: CapacityCostResult;
  /** The PartiQL part (bench/partiql-cost.ts), when it ran. */
  readonly partiql?: PartiqlCostResult;
  /** The SigV4 part (bench/auth-cost.ts), when it ran. */
  readonly auth?: AuthCostResult;
  /** The encryption part (bench/encryption-cost.ts), when it ran. */
  readonly encryption?: EncryptionCostResult;
  /** The PostgreSQL part (bench/postgres-cost.ts), when it ran. */
  readonly postgres?: PostgresCostResult;
}

export interface StreamsResult {
  readonly lag?: StreamLagFigures;
  readonly triggerLag?: readonly TriggerLagFigures[];
  /** Global tables across two servers (bench/replication-lag.ts). */
  readonly replication?: ReplicationLagFigures;
  readonly cost?: StreamCostFigures;
  readonly ttl: readonly TtlSweepFigures[];
  readonly failures: readonly string[];
}

export interface ScaleTableResult {
  readonly label: string;
  readonly items: number;
  /** Wall-clock milliseconds of the BatchWriteItem bulk load. */
  readonly loadMs: number;
  /** One entry per measured round (index i pairs with the other table's round i). */
  readonly rounds: readonly LoadFigures[];
  readonly failure?: string;
}

export interface ScaleResult {
  /** How the measurement ran, e.g. `4 connections, 3 alternating rounds of 3 s`. */
  readonly settings: string;
  /** How the tables were loaded, e.g. `BatchWriteItem of 25 items, 16 requests in flight`. */
  readonly loadSettings: string;
  /** The small table first, then the large one. */
  readonly small: ScaleTableResult;
  readonly large: ScaleTableResult;
}

export function renderReport(report: BenchReport): string {
  const lines: string[] = [];
  lines.push('# Cairn benchmark', '');
  lines.push(`Run ${report.startedAt.toISOString()} in ${Math.round(report.elapsedSeconds)} s.`, '');
  lines.push(`- Node ${report.environment.node}; ${report.environment.cpus}; ${report.environment.os}`);
  lines.push(`- Load average before / after: ${report.environment.loadAverageBefore} / ${report.environment.loadAverageAfter}`);
  lines.push(`- ${report.settings}`);
  lines.push(
    '- Every server runs in its own process; measurements alternate between servers round by round, each figure ' +
      'is the median over rounds and "x baseline" is the median of per-round ratios to the baseline run of the same round.',
  );
  lines.push('');

  for (const scenario of report.scenarios) renderScenario(lines, scenario);
  renderMultiItemWrites(lines, report.scenarios);
  if (report.scale !== undefined) renderScale(lines, report.scale);
  if (report.streams !== undefined) renderStreams(lines, report.streams);
  if (report.capacity !== undefined) renderCapacity(lines, report.capacity);
  if (report.partiql !== undefined) renderPartiqlCost(lines, report.partiql);
  if (report.auth !== undefined) renderAuthCost(lines, report.auth);
  if (report.encryption !== undefined) renderEncryptionCost(lines, report.encryption);
  if (report.postgres !== undefined) renderPostgresCost(lines, report.postgres);
  if (report.startup.length > 0) renderStartup(lines, report.startup);

  if (report.skipped.length > 0) {
    lines.push('## Not measured', '');
    for (const skipped of report.skipped) lines.push(`- ${skipped.name}: ${skipped.reason}`);
    lines.push('');
  }
  if (report.notes.length > 0) {
    lines.push('## Notes', '');
    for (const note of report.notes) lines.push(`- ${note}`);
    lines.push('');
  }
  return lines.join('\n');
}

function renderScenario(lines: string[], scenario: ScenarioResult): void {
  lines.push(`## ${scenario.scenario}`, '', SCENARIO_DESCRIPTIONS[scenario.scenario] + '.', '');
  lines.push('| Server | req/s | x baseline | p50 | p99 | failed requests | target |');
  lines.push('|---|---:|---:|---:|---:|---:|---|');
  const baseline = scenario.peers.find((peer) => peer.peer === 'baseline');
  const baselineRates = baseline?.rounds.map((round) => round.requestsPerSecond) ?? [];
  for (const peer of scenario.peers) {
    if (peer.failure !== undefined) {
      lines.push(
        peer.unsupported === true
          ? `| ${peer.label} | n/a (${escapeCell(peer.failure)}) | n/a | | | | |`
          : `| ${peer.label} | not measured: ${escapeCell(peer.failure)} | | | | | |`,
      );
      continue;
    }
    const rates = peer.rounds.map((round) => round.requestsPerSecond);
    const ratio = peer.peer === 'baseline' ? 1 : median(pairedRatios(rates, baselineRates));
    const failed = peer.rounds.reduce((sum, round) => sum + round.non2xx + round.errors, 0);
    const completed = peer.rounds.reduce((sum, round) => sum + round.completed, 0);
    lines.push(
      `| ${peer.label} | ${formatRate(median(rates))} | ${formatRatio(ratio)} | ` +
        `${formatMs(median(peer.rounds.map((round) => round.p50Ms)))} | ` +
        `${formatMs(median(peer.rounds.map((round) => round.p99Ms)))} | ` +
        `${failed === 0 ? '0' : `${failed} of ${completed} (!)`} | ${targetCell(scenario.scenario, peer.peer, ratio, median(rates), failed)} |`,
    );
  }
  lines.push('');
  const roundLines = scenario.peers
    .filter((peer) => peer.failure === undefined && peer.rounds.length > 0)
    .map((peer) => {
      const rates = peer.rounds.map((round) => round.requestsPerSecond);
      const { min, max } = spread(rates);
      return `${peer.peer} ${rates.map(formatRate).join(' / ')} (spread ${formatRatio(max / min)})`;
    });
  if (roundLines.length > 0) lines.push(`Per-round req/s: ${roundLines.join('; ')}.`, '');
  const failures = scenario.peers.flatMap((peer) => failureSummary(peer));
  for (const failure of failures) lines.push(`(!) ${failure}`);
  if (failures.length > 0) lines.push('');
}

/** The median of per-round ratios of a peer to the baseline in one scenario; NaN when either was not measured. */
export function baselineRatio(scenario: ScenarioResult, peer: PeerName): number {
  const candidate = scenario.peers.find((entry) => entry.peer === peer);
  const baseline = scenario.peers.find((entry) => entry.peer === 'baseline');
  if (candidate === undefined || baseline === undefined || candidate.failure !== undefined || baseline.failure !== undefined) {
    return Number.NaN;
  }
  return median(pairedRatios(candidate.rounds.map((round) => round.requestsPerSecond), baseline.rounds.map((round) => round.requestsPerSecond)));
}

/**
 * Cairn's multi-item writes beside its single PutItem: items written per second, as a multiple of PutItem's, and
 * each scenario's ratio to the baseline; the other servers' ratios (n/a where they lack the operation). Only when
 * a transaction scenario ran.
 */
function renderMultiItemWrites(lines: string[], scenarios: readonly ScenarioResult[]): void {
  const rows = MULTI_ITEM_WRITES.flatMap((name) => scenarios.filter((scenario) => scenario.scenario === name));
  if (!rows.some((row) => row.scenario.startsWith('TransactWriteItems'))) return;
  // The other servers, by name, in the order the scenarios list them.
  const others: PeerName[] = [];
  for (const row of rows) {
    for (const { peer } of row.peers) if (peer !== 'baseline' && peer !== 'cairn' && !others.includes(peer)) others.push(peer);
  }
  const itemsPerSecond = (row: ScenarioResult): number => {
    const cairn = row.peers.find((entry) => entry.peer === 'cairn');
    if (cairn === undefined || cairn.failure !== undefined) return Number.NaN;
    return itemsWrittenPerRequest(row.scenario) * median(cairn.rounds.map((round) => round.requestsPerSecond));
  };
  const putRow = rows.find((row) => row.scenario === 'PutItem');
  const putRate = putRow === undefined ? Number.NaN : itemsPerSecond(putRow);
  lines.push('## Multi-item writes beside PutItem (Cairn)', '');
  lines.push(
    'The same ~1 KB items written one per PutItem, 25 per BatchWriteItem and 2 or 10 per TransactWriteItems, at the ' +
      'same connection count. items/s is items per request times the median req/s; "vs PutItem" divides it by ' +
      "PutItem's items/s; x baseline is each scenario's own paired ratio, as above.",
    '',
  );
  lines.push(
    `| Scenario | items / request | Cairn req/s | Cairn items/s | items/s vs PutItem | Cairn x baseline | Cairn p50 | Cairn p99 |` +
      others.map((other) => ` ${other} x baseline |`).join(''),
  );
  lines.push(`|---|---:|---:|---:|---:|---:|---:|---:|${others.map(() => '---:|').join('')}`);
  for (const row of rows) {
    const cairn = row.peers.find((entry) => entry.peer === 'cairn');
    const measured = cairn !== undefined && cairn.failure === undefined;
    const rounds = measured ? cairn.rounds : [];
    const rate = itemsPerSecond(row);
    const otherCells = others.map((other) => {
      const entry = row.peers.find((candidate) => candidate.peer === other);
      if (entry === undefined) return ' |';
      if (entry.unsupported === true) return ' n/a |';
      return entry.failure !== undefined ? ' not measured |' : ` ${formatRatio(baselineRatio(row, other))} |`;
    });
    lines.push(
      `| ${row.scenario} | ${itemsWrittenPerRequest(row.scenario)} | ` +
        `${measured ? formatRate(median(rounds.map((round) => round.requestsPerSecond))) : 'not measured'} | ${formatRate(rate)} | ` +
        `${formatRatio(rate / putRate)} | ${formatRatio(baselineRatio(row, 'cairn'))} | ` +
        `${formatMs(median(rounds.map((round) => round.p50Ms)))} | ${formatMs(median(rounds.map((round) => round.p99Ms)))} |` +
        otherCells.join(''),
    );
  }
  lines.push('');
  if (putRow === undefined) lines.push('PutItem was not among the scenarios of this run, so there is no per-item comparison.', '');
}

function targetCell(scenario: ScenarioName, peer: PeerName, ratio: number, requestsPerSecond: number, failed: number): string {
  if (peer !== 'cairn') return '';
  if (scenario === 'Scan') {
    const megabytes = (requestsPerSecond * SCAN_PAGE_BYTES) / 1e6;
    const verdict = failed > 0 ? 'invalid (failed requests)' : megabytes >= SCAN_TARGET_MB_PER_SECOND ? 'met' : 'missed';
    return `${formatRate(megabytes)} MB/s, >= ${SCAN_TARGET_MB_PER_SECOND}: ${verdict}`;
  }
  const target = CAIRN_TARGETS[scenario];
  if (target === undefined) return '';
  const verdict = failed > 0 ? 'invalid (failed requests)' : ratio >= target ? 'met' : 'missed';
  return `>= ${target.toFixed(2)}x: ${verdict}`;
}

/** Status codes of the failed requests, so a scenario that only produced errors is not mistaken for speed. */
function failureSummary(peer: PeerScenarioResult): string[] {
  const counts: Record<string, number> = {};
  let errors = 0;
  for (const round of peer.rounds) {
    errors += round.errors;
    for (const [code, count] of Object.entries(round.statusCodes)) {
      if (code.startsWith('2')) continue;
      counts[code] = (counts[code] ?? 0) + count;
    }
  }
  const parts = Object.entries(counts).map(([code, count]) => `${count} x HTTP ${code}`);
  if (errors > 0) parts.push(`${errors} connection errors/timeouts`);
  return parts.length === 0 ? [] : [`${peer.label}: ${parts.join(', ')}`];
}

/** The large table's p50 over the small table's, as the median of per-round ratios; NaN when one is missing. */
export function scaleP50Ratio(scale: ScaleResult): number {
  if (scale.small.failure !== undefined || scale.large.failure !== undefined) return Number.NaN;
  return median(pairedRatios(scale.large.rounds.map((round) => round.p50Ms), scale.small.rounds.map((round) => round.p50Ms)));
}

function renderStreams(lines: string[], streams: StreamsResult): void {
  lines.push('## Streams and TTL (Cairn)', '');
  const { lag, cost } = streams;
  if (lag !== undefined) {
    lines.push(
      `Stream lag (write acknowledged -> record returned by GetRecords, a reader polling the shards): ` +
        `${lag.records.toLocaleString('en-US')} records at ${formatRate(lag.writesPerSecond)} writes/s: ` +
        `p50 ${formatMs(lag.p50Ms)}, p99 ${formatMs(lag.p99Ms)}, max ${formatMs(lag.maxMs)} (target: p99 ≤ 50 ms).`,
      '',
    );
  }
  if (cost !== undefined && cost.withStream.length > 0 && cost.withoutStream.length > 0) {
    const ratio = median(pairedRatios(cost.withStream.map((f) => f.requestsPerSecond), cost.withoutStream.map((f) => f.requestsPerSecond)));
    lines.push(
      `PutItem throughput with a NEW_AND_OLD_IMAGES stream, as a ratio of the same load without one (alternating ` +
        `rounds): ${formatRatio(ratio)} (${formatRate(median(cost.withStream.map((f) => f.requestsPerSecond)))} vs ` +
        `${formatRate(median(cost.withoutStream.map((f) => f.requestsPerSecond)))} req/s; p99 ` +
        `${formatMs(median(cost.withStream.map((f) => f.p99Ms)))} vs ${formatMs(median(cost.withoutStream.map((f) => f.p99Ms)))}).`,
      '',
    );
  }
  if (streams.ttl.length > 0) {
    lines.push('TTL: 1% of a table\'s items expire at the same second; time until the sweeper has deleted them all:', '');
    lines.push('| Table | expiring items | sweep time | items/s deleted |');
    lines.push('|---|---:|---:|---:|');
    for (const ttl of streams.ttl) {
      lines.push(
        `| ${ttl.tableItems.toLocaleString('en-US')} items | ${ttl.expiringItems.toLocaleString('en-US')} | ${formatMs(ttl.sweepMs)} | ` +
          `${formatRate((ttl.expiringItems / ttl.sweepMs) * 1000)} |`,
      );
    }
    lines.push('');
  }
  if (streams.triggerLag !== undefined) {
    lines.push('Trigger delivery lag (write acknowledged -> handler invoked with the record):', '');
    lines.push(renderTriggerLag(streams.triggerLag));
  }
  if (streams.replication !== undefined) {
    lines.push('Global table replication between two servers (write acknowledged in one region -> in the replica\'s stream in the other):', '');
    lines.push(renderReplicationLag(streams.replication));
  }
  for (const failure of streams.failures) lines.push(`- not measured: ${escapeCell(failure)}`);
  if (streams.failures.length > 0) lines.push('');
}

/** `account` and `enforce` must cost at most 5% of `off`'s throughput. */
export const CAPACITY_COST_TARGET = 0.95;

/** A mode's throughput as a ratio of `off`'s in the same rounds (median of per-round ratios). */
export function capacityRatio(figures: CapacityScenarioFigures, mode: CapacityModeFigures): number {
  const off = figures.modes.find((candidate) => candidate.mode === 'off');
  if (off === undefined) return Number.NaN;
  return median(pairedRatios(mode.rounds.map((round) => round.requestsPerSecond), off.rounds.map((round) => round.requestsPerSecond)));
}

/**
 * `off`'s CPU time per request over a mode's, round by round (median): 1.00x costs nothing, 0.95x means the mode
 * spends 5% more CPU on each request. NaN when CPU time was not measured.
 */
export function capacityCpuRatio(figures: CapacityScenarioFigures, mode: CapacityModeFigures): number {
  const off = figures.modes.find((candidate) => candidate.mode === 'off');
  if (off === undefined) return Number.NaN;
  return pairedMedian(off.cpuMicrosPerRequest, mode.cpuMicrosPerRequest);
}

/** ` (39.9-45.3 µs by process)`: the lowest and highest of a mode's processes, when it ran on several. */
function processSpread(processCpuMicros: readonly number[] | undefined): string {
  const finite = (processCpuMicros ?? []).filter(Number.isFinite);
  if (finite.length < 2) return '';
  return ` (${Math.min(...finite).toFixed(1)}-${Math.max(...finite).toFixed(1)} by process)`;
}

function renderCapacity(lines: string[], capacity: CapacityCostResult): void {
  lines.push('## Capacity model cost (Cairn)', '');
  lines.push(
    `GetItem and PutItem on Cairn with \`--capacity off\`, \`account\` (the default: every request counted, none ` +
      `refused) and \`enforce\` (every request admitted against its partition and table buckets, then charged; the ` +
      `table is on-demand, warmed to 40,000 units a second, so none is refused). ${capacity.settings}. ` +
      `"CPU/request" is the server's CPU time per completed request; "x off (CPU)" is off's over the mode's, round by ` +
      `round (1.00x: no extra CPU). It moves much less than throughput when other work shares the machine, so the ` +
      `target (within 5%) is judged on it; throughput ratios are shown as measured.`,
    '',
  );
  lines.push('| Scenario | mode | req/s | x off | CPU/request | x off (CPU) | p50 | p99 | failed requests | target |');
  lines.push('|---|---|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const figures of capacity.scenarios) {
    for (const mode of figures.modes) {
      const ratio = capacityRatio(figures, mode);
      const cpuRatio = capacityCpuRatio(figures, mode);
      const failed = mode.rounds.reduce((sum, round) => sum + round.non2xx + round.errors, 0);
      const target =
        mode.mode === 'off' ? '' : `>= ${formatRatio(CAPACITY_COST_TARGET)}: ${cpuRatio >= CAPACITY_COST_TARGET && failed === 0 ? 'met' : 'not met'}`;
      const cpu = median(mode.cpuMicrosPerRequest.filter(Number.isFinite));
      lines.push(
        `| ${figures.scenario} | ${mode.mode} | ${formatRate(median(mode.rounds.map((round) => round.requestsPerSecond)))} | ` +
          `${mode.mode === 'off' ? '1.00x' : formatRatio(ratio)} | ${Number.isFinite(cpu) ? `${cpu.toFixed(1)} µs${processSpread(mode.processCpuMicros)}` : 'n/a'} | ` +
          `${mode.mode === 'off' ? '1.00x' : formatRatio(cpuRatio)} | ${formatMs(median(mode.rounds.map((round) => round.p50Ms)))} | ` +
          `${formatMs(median(mode.rounds.map((round) => round.p99Ms)))} | ${failed} | ${target} |`,
      );
    }
  }
  lines.push('');
  if (capacity.calls !== undefined) {
    const share = (ns: number, scenario: string) => {
      const off = capacity.scenarios.find((figures) => figures.scenario === scenario)?.modes.find((mode) => mode.mode === 'off');
      const cpu = median((off?.cpuMicrosPerRequest ?? []).filter(Number.isFinite));
      return Number.isFinite(cpu) ? ` (${((ns / 1000 / cpu) * 100).toFixed(1)}% of ${scenario}'s CPU per request with capacity off)` : '';
    };
    const { readNs, writeNs } = capacity.calls;
    lines.push(
      `The capacity model's calls alone, timed in process (no HTTP, no storage; a clock moving 50 µs per request): ` +
        `a read's admit and charge ${Math.round(readNs.account)} ns in account mode, ${Math.round(readNs.enforce)} ns in enforce mode` +
        `${share(readNs.enforce, 'GetItem')}; a write's ${Math.round(writeNs.account)} / ${Math.round(writeNs.enforce)} ns` +
        `${share(writeNs.enforce, 'PutItem')}.`,
      '',
    );
  }
  for (const failure of capacity.failures) lines.push(`- not measured: ${escapeCell(failure)}`);
  if (capacity.failures.length > 0) lines.push('');
}

function renderScale(lines: string[], scale: ScaleResult): void {
  lines.push('## Query latency at scale (Cairn)', '');
  lines.push(
    `The Query scenario's request (the first 20 ~1 KB items of a random partition of 50) on a table of ` +
      `${scale.small.items.toLocaleString('en-US')} items and on one of ${scale.large.items.toLocaleString('en-US')}, ` +
      `each in its own Cairn server on a fresh data directory; ${scale.settings}. Bulk load: ${scale.loadSettings}. ` +
      'The peers are not measured here: bulk-loading them would add minutes.',
    '',
  );
  lines.push('| Table | bulk load | items/s loaded | req/s | p50 | p99 | failed requests |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|');
  for (const table of [scale.small, scale.large]) {
    const name = `${table.items.toLocaleString('en-US')} items`;
    const loadRate = table.loadMs > 0 ? formatRate((table.items / table.loadMs) * 1000) : 'n/a';
    if (table.failure !== undefined) {
      lines.push(`| ${name} | not measured: ${escapeCell(table.failure)} | | | | | |`);
      continue;
    }
    const failed = table.rounds.reduce((sum, round) => sum + round.non2xx + round.errors, 0);
    const completed = table.rounds.reduce((sum, round) => sum + round.completed, 0);
    lines.push(
      `| ${name} | ${formatMs(table.loadMs)} | ${loadRate} | ${formatRate(median(table.rounds.map((round) => round.requestsPerSecond)))} | ` +
        `${formatMs(median(table.rounds.map((round) => round.p50Ms)))} | ${formatMs(median(table.rounds.map((round) => round.p99Ms)))} | ` +
        `${failed === 0 ? '0' : `${failed} of ${completed} (!)`} |`,
    );
  }
  lines.push('');
  const ratio = scaleP50Ratio(scale);
  const p99Ratio =
    scale.small.failure === undefined && scale.large.failure === undefined
      ? median(pairedRatios(scale.large.rounds.map((round) => round.p99Ms), scale.small.rounds.map((round) => round.p99Ms)))
      : Number.NaN;
  const failed = [scale.small, scale.large].some((table) => table.rounds.some((round) => round.non2xx + round.errors > 0));
  const verdict = !Number.isFinite(ratio)
    ? 'not measured'
    : failed
      ? 'invalid (failed requests)'
      : ratio <= SCALE_P50_TARGET
        ? 'met'
        : 'missed';
  lines.push(
    `p50 ${scale.large.items.toLocaleString('en-US')} / ${scale.small.items.toLocaleString('en-US')}: ${formatRatio(ratio)} ` +
      `(target <= ${SCALE_P50_TARGET.toFixed(2)}x: ${verdict}); p99 ratio ${formatRatio(p99Ratio)}.`,
    '',
  );
}

function renderStartup(lines: string[], startup: readonly StartupResult[]): void {
  if (startup.length === 0) return;
  lines.push('## Startup and memory', '');
  lines.push(
    'Cold start: spawn the server on an empty data directory, poll ListTables until it answers. ' +
      'Idle RSS is VmRSS right after that first answer; peak RSS is VmHWM of the benchmarked server after all scenarios.',
    '',
  );
  lines.push('| Server | time to first answer (median, min-max) | idle RSS | peak RSS after load |');
  lines.push('|---|---:|---:|---:|');
  for (const entry of startup) {
    if (entry.failure !== undefined) {
      lines.push(`| ${entry.label} | failed: ${escapeCell(entry.failure)} | | ${formatKbAsMib(entry.peakRssKb)} |`);
      continue;
    }
    const { min, max } = spread(entry.startupMs);
    lines.push(
      `| ${entry.label} | ${formatMs(median(entry.startupMs))} (${formatMs(min)}-${formatMs(max)}) | ` +
        `${formatKbAsMib(median(entry.idleRssKb))} | ${formatKbAsMib(entry.peakRssKb)} |`,
    );
  }
  lines.push('');
}

/** Markdown table cells cannot hold pipes or line breaks. */
function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ').slice(0, 300);
}
