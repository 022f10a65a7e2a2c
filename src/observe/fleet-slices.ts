/**
 * The access-pattern report across processes: with several Cairn processes on one storage (Storage.multiProcess),
 * each publishes its recorder's one-minute slices to the space `report-slices` (one row per process and slice,
 * rewritten while the slice is still growing, every second by default), and a report asked of any process merges
 * the slices the others published with its own. A report therefore counts the requests every process served, up
 * to the last second or so of the others'.
 *
 * What stays per process: `/metrics` (Prometheus scrapes each instance and sums), and the recorded interval (a
 * reset starts a new one for the process it is sent to; the others' slices are then counted from the minute of
 * the reset on). Slices are stamped with capacity time: processes run with the same `--capacity-time-scale` and
 * started together agree on it (at scale 1 it is the wall clock); otherwise the others' minutes are theirs.
 *
 * Rows are written by their process only; a row not rewritten for a day is deleted by whichever process sees it
 * (the recorder keeps a day of slices).
 */
import type { Access } from '../capacity/partition.js';
import type { Storage, WriteRequest } from '../storage/storage.js';
import type { AccessRecorder, PatternStats, ResourceUsage, Slice, TableSlice } from './access-recorder.js';
import { FrequentValues, type Counted } from './frequent-values.js';
import { LatencyHistogram } from './latency-histogram.js';
import { SerialRounds } from '../engine/serial-rounds.js';

export const REPORT_SLICES_SPACE = 'report-slices';
/** Default interval between two publications (wall-clock ms). */
export const DEFAULT_SLICE_PUBLISH_MS = 1000;
const EXPIRE_MS = 24 * 60 * 60 * 1000;
/** Failed publications are reported at most this often (wall-clock ms). */
const ERROR_REPORT_MS = 10_000;
/** How often rows are checked for expiry (wall-clock ms). */
const EXPIRY_CHECK_MS = 60_000;

interface PublishedPattern {
  readonly region: string;
  readonly table: string;
  readonly operation: string;
  readonly index?: string;
  readonly keyCondition?: string;
  readonly filter?: string;
  readonly projection: string;
  readonly count: number;
  readonly readUnits: number;
  readonly writeUnits: number;
  readonly scanned: number;
  readonly returned: number;
  readonly throttled: number;
  readonly conditionFailed: number;
  readonly latency: readonly number[];
}

interface PublishedHotKeys {
  readonly capacity: number;
  readonly total: number;
  readonly undercount: number;
  readonly counters: readonly Counted[];
}

interface PublishedTable {
  readonly region: string;
  readonly table: string;
  readonly usage: readonly (readonly [string, Omit<ResourceUsage, 'second' | 'secondRead' | 'secondWrite'>])[];
  readonly hotKeys: readonly (readonly [string, PublishedHotKeys])[];
  readonly throttles: readonly { readonly index?: string; readonly access: Access; readonly reason: string; readonly enforced: boolean; readonly count: number }[];
}

export interface PublishedSlice {
  readonly startedAt: number;
  readonly patterns: readonly PublishedPattern[];
  readonly tables: readonly PublishedTable[];
}

/** A process's row for one slice. */
interface SliceRow {
  readonly holder: string;
  /** Epoch ms (wall clock) of the row's last write. */
  readonly at: number;
  readonly slice: PublishedSlice;
}

function isSliceRow(value: unknown): value is SliceRow {
  const row = value as SliceRow;
  return typeof value === 'object' && value !== null && typeof row.holder === 'string' && typeof row.at === 'number' && typeof row.slice === 'object' && row.slice !== null;
}

/** A slice as JSON-compatible values. */
export function publishedSlice(slice: Slice): PublishedSlice {
  const patterns: PublishedPattern[] = [];
  for (const pattern of slice.patterns.values()) {
    patterns.push({
      region: pattern.region,
      table: pattern.table,
      operation: pattern.operation,
      ...(pattern.index !== undefined ? { index: pattern.index } : {}),
      ...(pattern.keyCondition !== undefined ? { keyCondition: pattern.keyCondition } : {}),
      ...(pattern.filter !== undefined ? { filter: pattern.filter } : {}),
      projection: pattern.projection,
      count: pattern.count,
      readUnits: pattern.readUnits,
      writeUnits: pattern.writeUnits,
      scanned: pattern.scanned,
      returned: pattern.returned,
      throttled: pattern.throttled,
      conditionFailed: pattern.conditionFailed,
      latency: pattern.latency.pairs(),
    });
  }
  const tables: PublishedTable[] = [];
  for (const byName of slice.tables.values()) {
    for (const entry of byName.values()) {
      tables.push({
        region: entry.region,
        table: entry.table,
        usage: [...entry.usage].map(([index, usage]) => [
          index,
          { readUnits: usage.readUnits, writeUnits: usage.writeUnits, peakReadPerSecond: usage.peakReadPerSecond, peakWritePerSecond: usage.peakWritePerSecond },
        ]),
        hotKeys: [...entry.hotKeys].map(([index, sketch]) => [
          index,
          { capacity: sketch.capacity, total: sketch.total, undercount: sketch.undercount, counters: sketch.top(sketch.capacity) },
        ]),
        throttles: [...entry.throttles.values()].map(({ index, access, reason, enforced, count }) => ({ ...(index !== undefined ? { index } : {}), access, reason, enforced, count })),
      });
    }
  }
  return { startedAt: slice.startedAt, patterns, tables };
}

/**
 * A published slice as the report merges slices. Patterns are keyed as the recorder keys them (its `pattern`),
 * so that one pattern seen by several processes is merged into one.
 */
export function sliceFrom(published: PublishedSlice): Slice {
  const patterns = new Map<string, PatternStats>();
  for (const pattern of published.patterns) {
    const stats: PatternStats = {
      region: pattern.region,
      table: pattern.table,
      operation: pattern.operation,
      index: pattern.index,
      keyCondition: pattern.keyCondition,
      filter: pattern.filter,
      projection: pattern.projection,
      count: pattern.count,
      readUnits: pattern.readUnits,
      writeUnits: pattern.writeUnits,
      scanned: pattern.scanned,
      returned: pattern.returned,
      throttled: pattern.throttled,
      conditionFailed: pattern.conditionFailed,
      latency: LatencyHistogram.fromPairs(pattern.latency),
    };
    const id = `${stats.region}\u0000${stats.table}\u0000${stats.operation}\u0000${stats.index ?? ''}\u0000${stats.keyCondition ?? ''}\u0000${stats.filter ?? ''}\u0000${stats.projection}`;
    patterns.set(id, stats);
  }
  const tables = new Map<string, Map<string, TableSlice>>();
  for (const entry of published.tables) {
    let byName = tables.get(entry.region);
    if (byName === undefined) tables.set(entry.region, (byName = new Map()));
    const usage = new Map<string, ResourceUsage>(entry.usage.map(([index, used]) => [index, { ...used, second: -1, secondRead: 0, secondWrite: 0 }]));
    const hotKeys = new Map(entry.hotKeys.map(([index, sketch]) => [index, FrequentValues.restore(sketch.capacity, sketch.counters, sketch.total, sketch.undercount)]));
    const throttles = new Map(
      entry.throttles.map((throttle) => [
        `${throttle.index ?? ''}\u0000${throttle.access}\u0000${throttle.reason}\u0000${throttle.enforced}`,
        { index: throttle.index, access: throttle.access, reason: throttle.reason, enforced: throttle.enforced, count: throttle.count },
      ]),
    );
    byName.set(entry.table, {
      region: entry.region,
      table: entry.table,
      usage,
      hotKeys,
      throttles,
      plainPatterns: new Map(),
      tableUsage: usage.get(''),
      tableHotKeys: hotKeys.get(''),
    });
  }
  return { startedAt: published.startedAt, patterns, tables };
}

export interface FleetSlicesOptions {
  /** Interval between two publications (wall-clock ms, default 1000). */
  readonly intervalMs?: number;
  readonly onError?: (error: unknown) => void;
}

const encoder = new TextEncoder();

export class FleetSlices {
  /** The JSON of each slice as last written, by its start: a slice that did not change is not written again. */
  private readonly written = new Map<number, string>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private lastExpiryCheck = -Infinity;

  constructor(
    private readonly storage: Storage,
    private readonly recorder: AccessRecorder,
    /** This process, as rows name it. */
    private readonly holder: string,
    /** Folds the requests answered so far into the recorder. */
    private readonly flush: () => void,
    private readonly options: FleetSlicesOptions = {},
  ) {}

  start(): void {
    if (this.timer !== undefined || this.stopped) return;
    this.timer = setInterval(() => {
      if (this.rounds.pending === 0) void this.publish();
    }, this.options.intervalMs ?? DEFAULT_SLICE_PUBLISH_MS);
    this.timer.unref();
  }

  /** Publishes once more (what was answered until now stays in the report after this process stops). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    if (this.timer !== undefined) clearInterval(this.timer);
    await this.publish();
    this.stopped = true;
  }

  /** The publications asked for, one after the other; the storage down is said once every ERROR_REPORT_MS. */
  private readonly rounds = new SerialRounds((error) => this.options.onError?.(error), ERROR_REPORT_MS);

  /**
   * Writes the slices that changed since the last publication. Publications never overlap: one asked for during
   * another runs after it, so that it includes every request answered before it was asked for.
   */
  publish(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return this.rounds.run(() => this.publishOnce());
  }

  /** The slices the other processes published. */
  async others(): Promise<Slice[]> {
    const slices: Slice[] = [];
    for await (const { value } of this.storage.range(REPORT_SLICES_SPACE)) {
      if (!isSliceRow(value) || value.holder === this.holder) continue;
      slices.push(sliceFrom(value.slice));
    }
    return slices;
  }

  private async publishOnce(): Promise<void> {
    this.flush();
    const at = Date.now();
    const writes: WriteRequest[] = [];
    const live = new Set<number>();
    for (const slice of this.recorder.slicesSince(undefined)) {
      live.add(slice.startedAt);
      const published = publishedSlice(slice);
      const json = JSON.stringify(published);
      if (this.written.get(slice.startedAt) === json) continue;
      this.written.set(slice.startedAt, json);
      const row: SliceRow = { holder: this.holder, at, slice: published };
      writes.push({ space: REPORT_SLICES_SPACE, key: encoder.encode(`${this.holder}/${String(slice.startedAt).padStart(16, '0')}`), value: row });
    }
    // Slices the recorder dropped (a reset, or a day old) are not written again.
    for (const startedAt of this.written.keys()) if (!live.has(startedAt)) this.written.delete(startedAt);
    if (writes.length > 0) await this.storage.atomic([], () => ({ writes, result: undefined }));
    if (at - this.lastExpiryCheck >= EXPIRY_CHECK_MS) {
      this.lastExpiryCheck = at;
      await this.deleteExpired(at);
    }
  }

  private async deleteExpired(now: number): Promise<void> {
    const expired: Uint8Array[] = [];
    for await (const { key, value } of this.storage.range(REPORT_SLICES_SPACE)) {
      if (!isSliceRow(value) || now - value.at > EXPIRE_MS) expired.push(key);
    }
    for (const key of expired) {
      await this.storage.atomic([{ space: REPORT_SLICES_SPACE, key }], ([current]) => ({
        writes: !isSliceRow(current) || Date.now() - current.at > EXPIRE_MS ? [{ space: REPORT_SLICES_SPACE, key, value: undefined }] : [],
        result: undefined,
      }));
    }
  }
}
