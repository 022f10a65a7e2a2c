/**
 * The capacity ledger: how several Cairn processes sharing one storage (Storage.multiProcess) enforce one table's
 * throughput between them, instead of each admitting the whole of it.
 *
 * Every process keeps its own buckets (the per-request path never waits for the storage) and, every interval
 * (100 ms of wall time by default), exchanges with the others through the space `capacity-ledger`:
 * - it publishes what it consumed since its last publication, per table or GSI and per partition (key-hash range):
 *   units read and written, requests throttled, bytes added. It learns this without any work per request, from
 *   the partitions' windows (the units they recorded since the values it saw last);
 * - it debits its own buckets with what the others published since it last looked (ResourceCapacity.absorb), so
 *   every process's buckets follow the fleet's consumption: the partitions' limits, the provisioned units and
 *   their burst credit, the on-demand ceiling (whose previous peak is then the fleet's), the OnDemandThroughput
 *   maximums and the table quota. The units also go into the partitions' windows, so that heat (splits), sizes
 *   (splits for size) and the partitions endpoint are the fleet's too.
 *
 * The bound: a process learns of the others' consumption up to L later (the interval, twice over: one to publish,
 * one to read, plus the storage's latency). Within L, each of N processes may admit up to its bucket's balance
 * before the others' debits reach it, so the fleet may take up to (N - 1) x (balance + rate x L) more than one
 * process would: with nothing banked (a table running at its limit) that is (N - 1) x rate x L; with burst credit
 * banked, the fleet may spend it up to N times over within L. Every unit admitted is then charged to every
 * process's buckets, which go into debt and refuse requests until the debt is repaid, so over any longer span the
 * fleet's throughput is the table's. A process that starts using a table the others use takes, at its first
 * exchange, the balances of the buckets above the partitions from the most recent row (each row carries them),
 * rather than starting with full ones.
 *
 * Each process has one row (keyed by its lease holder id), holding its publications of the last few seconds, each
 * numbered; a reader applies those it has not applied yet (on first sight of a process, those published after it
 * started itself). The row is written only when there is something new, and at least every few seconds; a row
 * that has not been written for EXPIRE_MS belongs to a process that stopped or died, and whichever process sees it
 * deletes it.
 *
 * Splits: each process splits its own map, from the fleet's traffic (the others' units are in its windows): splits
 * to reach a count are the same everywhere; a split for heat is cut where that process's own sample of heat by key
 * hash divides. Each publication also carries the splits made since the last one, and every process makes the
 * others' splits in its own map (PartitionMap.splitAt), so that all maps converge to the union of every process's
 * splits (partitions only ever split, so the union is a map too). Until then, units published for a key-hash
 * range are spread over the local partitions that overlap it, in proportion to the overlap. A process that starts
 * later learns only the splits made after it started.
 */
import type { TableMetadata } from '../engine/table-metadata.js';
import type { Storage } from '../storage/storage.js';
import type { CapacityTracker, SplitRecord, TableCapacity } from './capacity-tracker.js';
import type { Partition } from './partition.js';
import type { PartitionMap, SplitCause } from './partition-map.js';
import type { ResourceCapacity } from './resource-capacity.js';
import { SerialRounds } from '../engine/serial-rounds.js';

export const CAPACITY_LEDGER_SPACE = 'capacity-ledger';
/** Default interval between two exchanges (wall-clock ms). */
export const DEFAULT_LEDGER_INTERVAL_MS = 100;
/** How long a publication stays in its row for readers that fell behind (wall-clock ms). */
const RETAIN_MS = 5000;
/** A row is written at least this often (wall-clock ms), so that a live process's row never expires. */
const HEARTBEAT_MS = 5000;
/** A row not written for this long is a stopped or dead process's (wall-clock ms). */
const EXPIRE_MS = 30_000;

/** Failed exchanges are reported at most this often (wall-clock ms). */
const ERROR_REPORT_MS = 10_000;

/** Numbers per partition in a publication: low, high, read units, write units, read throttles, write throttles, bytes. */
const PART_FIELDS = 7;

/** What one process consumed in one table or GSI since its last publication. */
export interface ResourceDelta {
  /** tableId. */
  readonly t: string;
  /** indexId of a GSI; absent for the table. */
  readonly i?: string;
  /** PART_FIELDS numbers per partition that changed. */
  readonly p: readonly number[];
  /** Splits made since the last publication (for heat, size or a count), each where a new partition starts. */
  readonly s?: readonly { readonly at: number; readonly cause: SplitCause }[];
}

export interface Publication {
  readonly seq: number;
  /** Epoch ms (wall clock) of the publication. */
  readonly at: number;
  readonly resources: readonly ResourceDelta[];
}

/** A process's row. */
export interface LedgerRow {
  readonly holder: string;
  /** Epoch ms (wall clock) of the row's last write. */
  readonly at: number;
  readonly publications: readonly Publication[];
  /**
   * The balances of the buckets above the partitions of each table and GSI the process holds, when it wrote the
   * row: a process that starts using one of them takes them, rather than full buckets.
   */
  readonly balances?: readonly { readonly t: string; readonly i?: string; readonly r: number; readonly w: number }[];
}

function isLedgerRow(value: unknown): value is LedgerRow {
  const row = value as LedgerRow;
  return typeof value === 'object' && value !== null && typeof row.holder === 'string' && typeof row.at === 'number' && Array.isArray(row.publications);
}

/** A partition's window as last seen: what it had recorded when this process last published or applied. */
interface Baseline {
  readonly windowStartedAt: number;
  readonly readUnits: number;
  readonly writeUnits: number;
  readonly readThrottles: number;
  readonly writeThrottles: number;
  readonly sizeBytes: number;
}

function baselineOf(partition: Partition): Baseline {
  const window = partition.current;
  return {
    windowStartedAt: window.startedAt,
    readUnits: window.readUnits,
    writeUnits: window.writeUnits,
    readThrottles: window.readThrottles,
    writeThrottles: window.writeThrottles,
    sizeBytes: partition.sizeBytes,
  };
}

const NO_TRAFFIC = { readUnits: 0, writeUnits: 0, readThrottles: 0, writeThrottles: 0 } as const;

export interface LedgerOptions {
  /** Interval between exchanges (wall-clock ms, default 100). */
  readonly intervalMs?: number;
  /** Brings the catalog up to date (a row names a table this process does not know yet). */
  readonly refreshTables?: () => Promise<void>;
  readonly onError?: (error: unknown) => void;
}

const encoder = new TextEncoder();

export class CapacityLedger {
  private readonly baselines = new WeakMap<Partition, Baseline>();
  /** By holder: the last publication applied. */
  private readonly applied = new Map<string, number>();
  private seq = 0;
  private recent: Publication[] = [];
  private lastWrite = -Infinity;
  private readonly startedAt = Date.now();
  private readonly key: Uint8Array;
  readonly intervalMs: number;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly storage: Storage,
    private readonly tracker: CapacityTracker,
    /** The table of a tableId, when this process's catalog knows it. */
    private readonly tableById: (tableId: string) => TableMetadata | undefined,
    /** This process, as rows name it. */
    readonly holder: string,
    private readonly options: LedgerOptions = {},
  ) {
    this.key = encoder.encode(holder);
    this.intervalMs = options.intervalMs ?? DEFAULT_LEDGER_INTERVAL_MS;
  }

  start(): void {
    if (this.timer !== undefined || this.stopped) return;
    this.timer = setInterval(() => {
      if (this.rounds.pending === 0) void this.exchange();
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Stops exchanging and deletes this process's row, so that the others stop reading it at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    await this.rounds.ended();
    try {
      await this.storage.atomic([], () => ({ writes: [{ space: CAPACITY_LEDGER_SPACE, key: this.key, value: undefined }], result: undefined }));
    } catch {
      // The storage is gone: the row expires by itself.
    }
  }

  /** The exchanges asked for, one after the other; the storage down is said once every ERROR_REPORT_MS. */
  private readonly rounds = new SerialRounds((error) => this.options.onError?.(error), ERROR_REPORT_MS);

  /**
   * One exchange: reads the others' rows, publishes this process's consumption since the last exchange and
   * applies theirs. Exchanges never overlap: one asked for during another runs after it, so that it publishes
   * everything consumed before it was asked for. Failures go to onError.
   */
  exchange(): Promise<void> {
    return this.rounds.run(
      () => (this.stopped ? undefined : this.exchangeOnce()),
      () => this.stopped,
    );
  }

  private async exchangeOnce(): Promise<void> {
    const rows: LedgerRow[] = [];
    const expired: Uint8Array[] = [];
    const wallNow = Date.now();
    for await (const { key, value } of this.storage.range(CAPACITY_LEDGER_SPACE)) {
      if (!isLedgerRow(value) || value.holder === this.holder) continue;
      if (wallNow - value.at > EXPIRE_MS) expired.push(key);
      else rows.push(value);
    }
    // A table another process created that this one has not loaded yet: its catalog is brought up to date first,
    // so that the units consumed in it are not dropped.
    const unknown = rows.some((row) => row.publications.some(({ resources }) => resources.some(({ t }) => !this.isHeld(t) && this.tableById(t) === undefined)));
    if (unknown) await this.options.refreshTables?.();
    if (this.stopped) return;
    // From here to the write, synchronously: no request charges a partition between the reading of its window
    // and the baseline that follows, so nothing is published twice or missed.
    const now = this.tracker.clock.now();
    const resources = this.collect(now);
    this.heldNow = new Map(this.tracker.held());
    for (const row of rows) this.apply(row, now);
    this.heldNow = undefined;
    this.adoptBalances(rows, now);
    this.snapshot();
    const at = Date.now();
    if (resources.length > 0) this.recent.push({ seq: ++this.seq, at, resources });
    while (this.recent.length > 0 && at - (this.recent[0] as Publication).at > RETAIN_MS) this.recent.shift();
    if (resources.length > 0 || at - this.lastWrite >= HEARTBEAT_MS) {
      // A copy: the storage may keep the very object it is given, and `recent` changes.
      const row: LedgerRow = { holder: this.holder, at, publications: [...this.recent], balances: this.balances(now) };
      this.lastWrite = at;
      await this.storage.atomic([], () => ({ writes: [{ space: CAPACITY_LEDGER_SPACE, key: this.key, value: row }], result: undefined }));
    }
    for (const key of expired) await this.deleteExpired(key);
  }

  /** Deletes a row if it is still expired (its process may have written it since it was read). */
  private async deleteExpired(key: Uint8Array): Promise<void> {
    await this.storage.atomic([{ space: CAPACITY_LEDGER_SPACE, key }], ([current]) => ({
      writes: isLedgerRow(current) && Date.now() - current.at > EXPIRE_MS ? [{ space: CAPACITY_LEDGER_SPACE, key, value: undefined }] : [],
      result: undefined,
    }));
  }

  /**
   * What this process consumed since the baselines, per resource and partition; then closes the windows that
   * ended by `now` (which may split a partition), so that the others' units go into the current windows.
   */
  private collect(now: number): ResourceDelta[] {
    const deltas: ResourceDelta[] = [];
    for (const [tableId, capacity] of this.tracker.held()) {
      for (const [indexId, resource] of [[undefined, capacity.table] as const, ...capacity.indexes]) {
        const parts = this.delta(resource, now);
        const splits = this.newSplits(resource);
        if (parts.length === 0 && splits.length === 0) continue;
        deltas.push({ t: tableId, ...(indexId !== undefined ? { i: indexId } : {}), p: parts, ...(splits.length > 0 ? { s: splits } : {}) });
      }
    }
    return deltas;
  }

  /** The last split of each resource published (the tracker keeps the last 100 of them). */
  private readonly lastSplit = new WeakMap<ResourceCapacity, SplitRecord>();

  /** The splits of a resource since the last one published (those this exchange's closing of windows made included). */
  private newSplits(resource: ResourceCapacity): { at: number; cause: SplitCause }[] {
    const history = this.tracker.splitsOf(resource);
    const last = this.lastSplit.get(resource);
    const from = last === undefined ? 0 : history.indexOf(last) + 1;
    const latest = history[history.length - 1];
    if (latest !== undefined) this.lastSplit.set(resource, latest);
    return history.slice(from).map((split) => ({ at: split.splitAt, cause: split.cause }));
  }

  private delta(resource: ResourceCapacity, now: number): number[] {
    const parts: number[] = [];
    const map = resource.partitions;
    for (const partition of map.partitions) {
      const base = this.baselines.get(partition);
      const current = partition.current;
      const previous = partition.previous;
      // The windows since the baseline's: its own (if still current), or the one that followed it, or (a partition
      // this process has not published yet) all it recorded. A window that closed while another one opened and
      // closed again before an exchange is lost, which takes more than a window (a minute of capacity time)
      // between two exchanges.
      let since: Omit<Baseline, 'windowStartedAt' | 'sizeBytes'> = NO_TRAFFIC;
      let read = 0;
      let write = 0;
      let readThrottles = 0;
      let writeThrottles = 0;
      if (base !== undefined && base.windowStartedAt === current.startedAt) {
        since = base;
      } else if (previous !== undefined && (base === undefined || base.windowStartedAt === previous.startedAt)) {
        const from = base ?? NO_TRAFFIC;
        read = previous.readUnits - from.readUnits;
        write = previous.writeUnits - from.writeUnits;
        readThrottles = previous.readThrottles - from.readThrottles;
        writeThrottles = previous.writeThrottles - from.writeThrottles;
      }
      read += current.readUnits - since.readUnits;
      write += current.writeUnits - since.writeUnits;
      readThrottles += current.readThrottles - since.readThrottles;
      writeThrottles += current.writeThrottles - since.writeThrottles;
      // A partition without a baseline in a map seen before came from a split: its size is its parent's share,
      // already counted. In a map not seen before (a table this process just started using), every byte is new.
      const bytes = base !== undefined ? partition.sizeBytes - base.sizeBytes : this.seenMaps.has(map) ? 0 : partition.sizeBytes;
      if (read === 0 && write === 0 && readThrottles === 0 && writeThrottles === 0 && bytes === 0) continue;
      parts.push(partition.low, partition.high, read, write, readThrottles, writeThrottles, bytes);
    }
    for (const low of map.partitions.map((partition) => partition.low)) map.find(low, now);
    return parts;
  }

  /** Applies a row's publications this process has not applied yet. */
  private apply(row: LedgerRow, now: number): void {
    const last = this.applied.get(row.holder);
    let applied = last;
    for (const publication of row.publications) {
      // On first sight of a process, only what it consumed since this one started.
      if (last === undefined ? publication.at < this.startedAt : publication.seq <= last) continue;
      for (const delta of publication.resources) this.applyDelta(delta, now);
      applied = Math.max(applied ?? 0, publication.seq);
    }
    if (applied !== undefined) this.applied.set(row.holder, applied);
    else if (last === undefined) this.applied.set(row.holder, row.publications.reduce((highest, { seq }) => Math.max(highest, seq), 0));
  }

  private applyDelta(delta: ResourceDelta, now: number): void {
    const resource = this.resource(delta.t, delta.i);
    if (resource === undefined) return;
    // The other's splits first, so that its units land in the same partitions here.
    for (const { at, cause } of delta.s ?? []) resource.partitions.splitAt(at, now, cause);
    const parts = delta.p;
    for (let at = 0; at + PART_FIELDS <= parts.length; at += PART_FIELDS) {
      const low = parts[at] as number;
      const high = parts[at + 1] as number;
      if (!(high > low)) continue;
      const [read, write, readThrottles, writeThrottles, bytes] = parts.slice(at + 2, at + PART_FIELDS) as [number, number, number, number, number];
      // Overlapping partitions, each its share; found before any is changed (a size split changes the list).
      const targets: [Partition, number][] = [];
      for (const partition of resource.partitions.partitions) {
        const overlap = Math.min(high, partition.high) - Math.max(low, partition.low);
        if (overlap > 0) targets.push([partition, overlap / (high - low)]);
      }
      for (const [partition, share] of targets) {
        if (read !== 0 || readThrottles !== 0) resource.absorb('read', partition, read * share, readThrottles * share, now);
        if (write !== 0 || writeThrottles !== 0) resource.absorb('write', partition, write * share, writeThrottles * share, now);
        if (bytes !== 0) resource.addSize(partition.low, bytes * share, now);
      }
    }
  }

  /** The capacity of a table (or of its GSI `indexId`), created when this process has not used the table yet. */
  private resource(tableId: string, indexId: string | undefined): ResourceCapacity | undefined {
    let capacity = this.heldNow?.get(tableId);
    if (capacity === undefined) {
      const table = this.tableById(tableId);
      if (table === undefined) return undefined;
      capacity = this.tracker.of(table);
      this.heldNow?.set(tableId, capacity);
    }
    return indexId === undefined ? capacity.table : capacity.indexes.get(indexId);
  }

  private isHeld(tableId: string): boolean {
    for (const [id] of this.tracker.held()) if (id === tableId) return true;
    return false;
  }

  /** The tracker's tables during an exchange's application of the others' rows. */
  private heldNow: Map<string, TableCapacity> | undefined;

  /** The balances of every table and GSI this process holds (LedgerRow.balances). */
  private balances(now: number): NonNullable<LedgerRow['balances']> {
    const balances: { t: string; i?: string; r: number; w: number }[] = [];
    for (const [tableId, capacity] of this.tracker.held()) {
      for (const [indexId, resource] of [[undefined, capacity.table] as const, ...capacity.indexes]) {
        const [r, w] = resource.balances(now);
        balances.push({ t: tableId, ...(indexId !== undefined ? { i: indexId } : {}), r, w });
      }
    }
    return balances;
  }

  /**
   * A table or GSI this process started using since the last exchange (its partition map not seen yet) takes the
   * balances of the most recently written row that has them, after the others' units of this exchange were
   * charged (which that row's balances include already), so that its buckets start where the fleet's are.
   */
  private adoptBalances(rows: readonly LedgerRow[], now: number): void {
    const freshest = [...rows].sort((x, y) => y.at - x.at);
    for (const [tableId, capacity] of this.tracker.held()) {
      for (const [indexId, resource] of [[undefined, capacity.table] as const, ...capacity.indexes]) {
        if (this.seenMaps.has(resource.partitions)) continue;
        for (const row of freshest) {
          const known = row.balances?.find((entry) => entry.t === tableId && entry.i === indexId);
          if (known === undefined) continue;
          resource.adoptBalances(known.r, known.w, now);
          break;
        }
      }
    }
  }

  /** Every partition's window as it is now, after this exchange's own publication and the others' units. */
  private snapshot(): void {
    for (const [, capacity] of this.tracker.held()) {
      for (const resource of [capacity.table, ...capacity.indexes.values()]) {
        this.seenMaps.add(resource.partitions);
        for (const partition of resource.partitions.partitions) this.baselines.set(partition, baselineOf(partition));
      }
    }
  }

  /** The partition maps whose partitions have had baselines. */
  private readonly seenMaps = new WeakSet<PartitionMap>();
}

