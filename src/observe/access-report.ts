/**
 * The access-pattern report of a recorded interval (`GET /cairn/report?format=json`, `cairn report --json`): per
 * table, its access patterns with their count, consumed units, p50/p99 latency and ScannedCount against Count,
 * its Scans, its hot partition keys (per table and GSI, with their share of the requests that named a key), its
 * GSI write amplification, its throttles by reason, and the cost of the interval at on-demand and at provisioned
 * prices. report-text.ts renders the same object for a terminal.
 */
import type { Catalog } from '../engine/catalog.js';
import { LatencyHistogram } from './latency-histogram.js';
import type { AccessRecorder, PatternStats, ResourceUsage, Slice } from './access-recorder.js';
import type { Prices } from './prices.js';
import { isReplicated } from '../engine/replication/replica-set.js';
import { FrequentValues } from './frequent-values.js';

/** Hot keys listed per table or index. */
const TOP_KEYS = 10;

export interface PatternReport {
  readonly Operation: string;
  readonly IndexName: string | null;
  readonly KeyCondition: string | null;
  /** The filter of a Query or Scan, the condition of a write; null without one. */
  readonly Filter: string | null;
  readonly Projection: string;
  readonly Count: number;
  /** Share of the table's requests. */
  readonly Share: number;
  readonly ReadCapacityUnits: number;
  readonly WriteCapacityUnits: number;
  readonly LatencyMs: { readonly P50: number; readonly P99: number };
  /** Query and Scan only: items read and items returned (the difference is what the filter discarded). */
  readonly ScannedCount?: number;
  readonly ReturnedCount?: number;
  readonly Throttled: number;
  readonly ConditionalCheckFailed: number;
}

export interface TableReport {
  readonly TableName: string;
  readonly Region: string;
  /** PROVISIONED or PAY_PER_REQUEST now; null for a table deleted since. */
  readonly BillingMode: string | null;
  readonly Requests: number;
  readonly ReadCapacityUnits: number;
  readonly WriteCapacityUnits: number;
  readonly Patterns: readonly PatternReport[];
  readonly Scans: { readonly Requests: number; readonly ScannedCount: number; readonly ReadCapacityUnits: number };
  readonly HotKeys: readonly {
    readonly IndexName: string | null;
    readonly Requests: number;
    readonly Keys: readonly { readonly Value: string; readonly Count: number; readonly Share: number }[];
  }[];
  /** Per GSI: its write units per write unit of the table (LSIs are part of the table's units). */
  readonly WriteAmplification: readonly { readonly IndexName: string; readonly WriteCapacityUnits: number; readonly PerTableWriteUnit: number }[];
  readonly Throttles: readonly { readonly IndexName: string | null; readonly Access: string; readonly Reason: string; readonly Enforced: boolean; readonly Count: number }[];
  /**
   * A table of a global table only: its own write units, which are replicated write units (rWCU, rWRU): those of
   * the writes its region took and of those applied from the other replicas (which WriteCapacityUnits includes).
   * Its GSIs' write units are ordinary ones.
   */
  readonly ReplicatedWriteCapacityUnits?: number;
  readonly Cost: CostReport;
}

export interface CostReport {
  /** Dollars for the interval's units at on-demand prices. */
  readonly OnDemand: number;
  /**
   * Dollars for the interval at provisioned prices: the provisioned units of a provisioned table (and GSIs) over
   * the interval; for an on-demand table, the peak units per second it consumed, provisioned over the interval.
   */
  readonly Provisioned: number;
  readonly ProvisionedBasis: 'provisioned' | 'peak';
}

export interface AccessReport {
  readonly Since: string;
  readonly Until: string;
  readonly SinceMs: number;
  readonly UntilMs: number;
  readonly DurationSeconds: number;
  readonly CapacityMode: string;
  readonly Prices: Prices;
  readonly Tables: readonly TableReport[];
  readonly Cost: { readonly OnDemand: number; readonly Provisioned: number };
}

export function accessReport(
  recorder: AccessRecorder,
  catalog: Catalog,
  options: {
    readonly now: number;
    readonly since?: number;
    readonly prices: Prices;
    readonly mode: string;
    /** Slices other processes sharing the storage recorded (fleet-slices.ts), counted from the interval's minute on. */
    readonly others?: readonly Slice[];
  },
): AccessReport {
  const since = Math.max(recorder.startedAt, options.since ?? recorder.startedAt);
  let slices = recorder.slicesSince(options.since === undefined ? undefined : since);
  if (options.others !== undefined && options.others.length > 0) {
    const from = Math.floor(since / 60_000) * 60_000;
    slices = [...slices, ...options.others.filter((slice) => slice.startedAt >= from)];
  }
  const hours = Math.max(0, options.now - since) / 3_600_000;
  const merged = mergeSlices(slices);
  const tables: TableReport[] = [];
  for (const [, entry] of [...merged].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    tables.push(tableReport(entry, catalog, options.prices, hours));
  }
  let onDemand = 0;
  let provisioned = 0;
  for (const table of tables) {
    onDemand += table.Cost.OnDemand;
    provisioned += table.Cost.Provisioned;
  }
  return {
    Since: new Date(since).toISOString(),
    Until: new Date(options.now).toISOString(),
    SinceMs: since,
    UntilMs: options.now,
    DurationSeconds: Math.max(0, options.now - since) / 1000,
    CapacityMode: options.mode,
    Prices: options.prices,
    Tables: tables,
    Cost: { OnDemand: dollars(onDemand), Provisioned: dollars(provisioned) },
  };
}

interface MergedTable {
  region: string;
  table: string;
  patterns: PatternStats[];
  usage: Map<string, ResourceUsage>;
  hotKeys: Map<string, FrequentValues>;
  throttles: Map<string, { index: string | undefined; access: string; reason: string; enforced: boolean; count: number }>;
}

/** The slices of the interval folded into one view per table. */
function mergeSlices(slices: readonly Slice[]): Map<string, MergedTable> {
  const tables = new Map<string, MergedTable>();
  const tableOf = (region: string, table: string): MergedTable => {
    const id = `${region}/${table}`;
    let entry = tables.get(id);
    if (entry === undefined) tables.set(id, (entry = { region, table, patterns: [], usage: new Map(), hotKeys: new Map(), throttles: new Map() }));
    return entry;
  };
  const patterns = new Map<string, PatternStats>();
  for (const slice of slices) {
    for (const [id, pattern] of slice.patterns) {
      const existing = patterns.get(id);
      if (existing === undefined) {
        const copy: PatternStats = { ...pattern, latency: new LatencyHistogram() };
        copy.latency.merge(pattern.latency);
        patterns.set(id, copy);
        tableOf(pattern.region, pattern.table).patterns.push(copy);
        continue;
      }
      existing.count += pattern.count;
      existing.readUnits += pattern.readUnits;
      existing.writeUnits += pattern.writeUnits;
      existing.scanned += pattern.scanned;
      existing.returned += pattern.returned;
      existing.throttled += pattern.throttled;
      existing.conditionFailed += pattern.conditionFailed;
      existing.latency.merge(pattern.latency);
    }
    for (const tableSlice of [...slice.tables.values()].flatMap((byName) => [...byName.values()])) {
      const entry = tableOf(tableSlice.region, tableSlice.table);
      for (const [index, usage] of tableSlice.usage) {
        const sum = entry.usage.get(index);
        if (sum === undefined) {
          entry.usage.set(index, { ...usage });
          continue;
        }
        sum.readUnits += usage.readUnits;
        sum.writeUnits += usage.writeUnits;
        sum.peakReadPerSecond = Math.max(sum.peakReadPerSecond, usage.peakReadPerSecond);
        sum.peakWritePerSecond = Math.max(sum.peakWritePerSecond, usage.peakWritePerSecond);
      }
      for (const [index, sketch] of tableSlice.hotKeys) {
        let sum = entry.hotKeys.get(index);
        if (sum === undefined) entry.hotKeys.set(index, (sum = new FrequentValues(sketch.capacity)));
        sum.merge(sketch);
      }
      for (const [id, throttle] of tableSlice.throttles) {
        const sum = entry.throttles.get(id);
        if (sum === undefined) entry.throttles.set(id, { ...throttle });
        else sum.count += throttle.count;
      }
    }
  }
  return tables;
}

function tableReport(entry: MergedTable, catalog: Catalog, prices: Prices, hours: number): TableReport {
  // The report folds tables by region and name; their metadata (key schema, throughput) is the default account's.
  const metadata = catalog.getTable({ accountId: catalog.defaultAccountId, region: entry.region }, entry.table);
  let requests = 0;
  for (const pattern of entry.patterns) requests += pattern.count;
  let readUnits = 0;
  let writeUnits = 0;
  for (const usage of entry.usage.values()) {
    readUnits += usage.readUnits;
    writeUnits += usage.writeUnits;
  }
  const patterns = [...entry.patterns]
    .sort((a, b) => b.count - a.count || b.readUnits + b.writeUnits - (a.readUnits + a.writeUnits) || compareText(patternText(a), patternText(b)))
    .map((pattern): PatternReport => {
      const scan = pattern.operation === 'Query' || pattern.operation === 'Scan';
      return {
        Operation: pattern.operation,
        IndexName: pattern.index ?? null,
        KeyCondition: pattern.keyCondition ?? null,
        Filter: pattern.filter ?? null,
        Projection: pattern.projection,
        Count: pattern.count,
        Share: ratio(pattern.count, requests),
        ReadCapacityUnits: pattern.readUnits,
        WriteCapacityUnits: pattern.writeUnits,
        LatencyMs: { P50: round(pattern.latency.quantile(0.5)), P99: round(pattern.latency.quantile(0.99)) },
        ...(scan ? { ScannedCount: pattern.scanned, ReturnedCount: pattern.returned } : {}),
        Throttled: pattern.throttled,
        ConditionalCheckFailed: pattern.conditionFailed,
      };
    });
  const scans = { Requests: 0, ScannedCount: 0, ReadCapacityUnits: 0 };
  for (const pattern of entry.patterns) {
    if (pattern.operation !== 'Scan') continue;
    scans.Requests += pattern.count;
    scans.ScannedCount += pattern.scanned;
    scans.ReadCapacityUnits += pattern.readUnits;
  }
  const hotKeys = [...entry.hotKeys]
    .sort(([a], [b]) => compareText(a, b))
    .map(([index, sketch]) => ({
      IndexName: index === '' ? null : index,
      Requests: sketch.total,
      Keys: sketch.top(TOP_KEYS).map(({ value, count }) => ({ Value: value, Count: count, Share: ratio(count, sketch.total) })),
    }));
  const tableWrites = entry.usage.get('')?.writeUnits ?? 0;
  const amplification = [...entry.usage]
    .filter(([index, usage]) => index !== '' && usage.writeUnits > 0)
    .sort(([a], [b]) => compareText(a, b))
    .map(([index, usage]) => ({ IndexName: index, WriteCapacityUnits: usage.writeUnits, PerTableWriteUnit: ratio(usage.writeUnits, tableWrites) }));
  const throttles = [...entry.throttles.values()]
    .sort((a, b) => b.count - a.count || compareText(a.reason, b.reason))
    .map((throttle) => ({ IndexName: throttle.index ?? null, Access: throttle.access, Reason: throttle.reason, Enforced: throttle.enforced, Count: throttle.count }));

  // Cost: on-demand from the units; provisioned from what the table is provisioned at now (or its peak rate). The
  // table's own writes of a global table are replicated write units, at their price (its GSIs' are not).
  const replicated = metadata !== undefined && isReplicated(metadata);
  const replicatedUnits = replicated ? tableWrites : 0;
  const onDemand =
    (readUnits * prices.onDemandReadPerMillion + (writeUnits - replicatedUnits) * prices.onDemandWritePerMillion + replicatedUnits * prices.onDemandReplicatedWritePerMillion) /
    1_000_000;
  const writeHour = (own: boolean) => (own && replicated ? prices.provisionedReplicatedWritePerUnitHour : prices.provisionedWritePerUnitHour);
  let provisioned = 0;
  let basis: CostReport['ProvisionedBasis'] = 'peak';
  if (metadata?.billingMode === 'PROVISIONED') {
    basis = 'provisioned';
    const throughputs = [metadata.provisionedThroughput, ...(metadata.globalSecondaryIndexes ?? []).map((index) => index.provisionedThroughput ?? metadata.provisionedThroughput)];
    for (const [position, throughput] of throughputs.entries()) {
      provisioned += hours * (throughput.ReadCapacityUnits * prices.provisionedReadPerUnitHour + throughput.WriteCapacityUnits * writeHour(position === 0));
    }
  } else {
    for (const [index, usage] of entry.usage) {
      provisioned += hours * (Math.ceil(usage.peakReadPerSecond) * prices.provisionedReadPerUnitHour + Math.ceil(usage.peakWritePerSecond) * writeHour(index === ''));
    }
  }
  return {
    TableName: entry.table,
    Region: entry.region,
    BillingMode: metadata?.billingMode ?? null,
    Requests: requests,
    ReadCapacityUnits: readUnits,
    WriteCapacityUnits: writeUnits,
    Patterns: patterns,
    Scans: scans,
    HotKeys: hotKeys,
    WriteAmplification: amplification,
    Throttles: throttles,
    ...(replicated ? { ReplicatedWriteCapacityUnits: replicatedUnits } : {}),
    Cost: { OnDemand: dollars(onDemand), Provisioned: dollars(provisioned), ProvisionedBasis: basis },
  };
}

function patternText(pattern: PatternStats): string {
  return `${pattern.operation} ${pattern.index ?? ''} ${pattern.keyCondition ?? ''} ${pattern.filter ?? ''} ${pattern.projection}`;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 10_000;
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** Dollars to a millionth of a cent, so that sums of small intervals stay exact enough to compare. */
function dollars(amount: number): number {
  return Math.round(amount * 1e8) / 1e8;
}
