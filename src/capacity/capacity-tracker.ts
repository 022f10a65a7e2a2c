/**
 * Capacity per table and per global secondary index, kept in step with the catalog's metadata: the resources
 * are created when a table is first used, follow its billing mode and throughput as UpdateTable changes them,
 * and are dropped with the table. Local secondary indexes have no capacity of their own: DynamoDB charges their
 * reads and writes to the table.
 *
 * Modes (`--capacity`): `off` counts nothing; `account` (the default) counts everything (consumed units,
 * partitions, heat, throttles that *would* have happened) but never refuses a request, so nothing changes for
 * users who do not ask for it; `enforce` refuses requests exactly as DynamoDB would.
 *
 * The state is this process's: with several front ends over one store, each holds its own buckets, and the
 * capacity ledger (capacity-ledger.ts) debits them with what the other processes consumed, so that they follow
 * the fleet's consumption.
 */
import type { IndexMetadata, TableMetadata } from '../engine/table-metadata.js';
import type { CapacityClock } from './capacity-clock.js';
import type { Charge } from './charges.js';
import { readUnits } from '../model/item-size.js';
import type { Access } from './partition.js';
import type { SplitCause } from './partition-map.js';
import { throttlingError, type Throttle } from './throttle.js';
import { DEFAULT_CAPACITY_POLICY, NEW_ON_DEMAND_WARM, ResourceCapacity, type CapacityPolicy, type ThroughputSettings } from './resource-capacity.js';

export type CapacityMode = 'off' | 'account' | 'enforce';

/**
 * What an item read costs at the least (a missing item, or any item up to 4 KB): what `enforce` mode books when
 * the read is admitted, and so what its charge leaves out.
 */
function leastReadUnits(consistent: boolean): number {
  return readUnits(0, consistent);
}

export const CAPACITY_MODES: readonly CapacityMode[] = ['off', 'account', 'enforce'];

/** The throughput settings of a table or GSI as its metadata states them (GSIs inherit the table's mode). */
export function throughputSettings(table: TableMetadata, index?: IndexMetadata): ThroughputSettings {
  if (table.billingMode === 'PROVISIONED') {
    const provisioned = index === undefined ? table.provisionedThroughput : index.provisionedThroughput ?? table.provisionedThroughput;
    const warm = index === undefined ? table.warmThroughput : index.warmThroughput;
    return {
      mode: 'PROVISIONED',
      readUnits: provisioned.ReadCapacityUnits,
      writeUnits: provisioned.WriteCapacityUnits,
      ...(warm?.ReadUnitsPerSecond !== undefined ? { warmReadUnits: warm.ReadUnitsPerSecond } : {}),
      ...(warm?.WriteUnitsPerSecond !== undefined ? { warmWriteUnits: warm.WriteUnitsPerSecond } : {}),
    };
  }
  const onDemand = index === undefined ? table.onDemandThroughput : index.onDemandThroughput;
  const warm = index === undefined ? table.warmThroughput : index.warmThroughput;
  return {
    mode: 'PAY_PER_REQUEST',
    ...(onDemand?.MaxReadRequestUnits !== undefined ? { maxReadUnits: onDemand.MaxReadRequestUnits } : {}),
    ...(onDemand?.MaxWriteRequestUnits !== undefined ? { maxWriteUnits: onDemand.MaxWriteRequestUnits } : {}),
    warmReadUnits: Math.max(NEW_ON_DEMAND_WARM.readUnits, warm?.ReadUnitsPerSecond ?? 0),
    warmWriteUnits: Math.max(NEW_ON_DEMAND_WARM.writeUnits, warm?.WriteUnitsPerSecond ?? 0),
  };
}

function sameSettings(a: ThroughputSettings, b: ThroughputSettings): boolean {
  if (a.mode === 'PROVISIONED' || b.mode === 'PROVISIONED') {
    return (
      a.mode === 'PROVISIONED' &&
      b.mode === 'PROVISIONED' &&
      a.readUnits === b.readUnits &&
      a.writeUnits === b.writeUnits &&
      a.warmReadUnits === b.warmReadUnits &&
      a.warmWriteUnits === b.warmWriteUnits
    );
  }
  return (
    a.maxReadUnits === b.maxReadUnits &&
    a.maxWriteUnits === b.maxWriteUnits &&
    a.warmReadUnits === b.warmReadUnits &&
    a.warmWriteUnits === b.warmWriteUnits
  );
}

/**
 * Told of what the capacity model sees (metrics, the access-pattern report). `enforced` is false for a throttle
 * that `account` mode only counted: the request went ahead.
 */
export interface CapacityObserver {
  throttled(throttle: Throttle, access: Access, enforced: boolean): void;
  /** A partition of a table or GSI split (not the partitions a table starts with). */
  split?(resource: ResourceCapacity, split: SplitRecord): void;
}

/** One split, as the partitions endpoint lists them. */
export interface SplitRecord {
  readonly cause: SplitCause;
  /** Capacity time of the split (ms). */
  readonly at: number;
  /** The parent's hash range [low, high) and where it was cut. */
  readonly low: number;
  readonly high: number;
  readonly splitAt: number;
}

/** Splits kept per table or GSI for the partitions endpoint (the oldest are forgotten first). */
const SPLIT_HISTORY = 100;

export interface TableCapacity {
  readonly table: ResourceCapacity;
  /** By indexId, GSIs only. */
  readonly indexes: ReadonlyMap<string, ResourceCapacity>;
}

export class CapacityTracker {
  /** By tableId. */
  private readonly tables = new Map<string, { table: ResourceCapacity; indexes: Map<string, ResourceCapacity> }>();
  /** The metadata object each entry was last synced with: the catalog replaces it on every change. */
  private readonly syncedWith = new WeakMap<TableMetadata, TableCapacity>();

  constructor(
    readonly mode: CapacityMode,
    readonly clock: CapacityClock,
    readonly policy: CapacityPolicy = DEFAULT_CAPACITY_POLICY,
  ) {}

  get counting(): boolean {
    return this.mode !== 'off';
  }

  get enforcing(): boolean {
    return this.mode === 'enforce';
  }

  /** The capacity of a table and its GSIs, in step with this metadata. */
  of(table: TableMetadata): TableCapacity {
    // A request asks twice (admission, then the charge), and requests come in runs of one table's.
    if (table === this.lastTable && this.lastCapacity !== undefined) return this.lastCapacity;
    const synced = this.syncedWith.get(table);
    if (synced !== undefined) {
      this.lastTable = table;
      this.lastCapacity = synced;
      return synced;
    }
    const now = this.clock.now();
    let entry = this.tables.get(table.tableId);
    if (entry === undefined) {
      entry = { table: this.build('Table', table.tableArn, table, undefined, now), indexes: new Map() };
      this.tables.set(table.tableId, entry);
    } else {
      this.follow(entry.table, throughputSettings(table), now);
    }
    const live = new Set<string>();
    for (const index of table.globalSecondaryIndexes ?? []) {
      live.add(index.indexId);
      const existing = entry.indexes.get(index.indexId);
      if (existing === undefined) {
        entry.indexes.set(index.indexId, this.build('Index', `${table.tableArn}/index/${index.indexName}`, table, index, now));
      } else {
        this.follow(existing, throughputSettings(table, index), now);
      }
    }
    for (const indexId of entry.indexes.keys()) if (!live.has(indexId)) entry.indexes.delete(indexId);
    this.syncedWith.set(table, entry);
    this.lastTable = table;
    this.lastCapacity = entry;
    return entry;
  }

  private lastTable: TableMetadata | undefined;
  private lastCapacity: TableCapacity | undefined;

  /** Told of throttles (metrics); set by the server. */
  observer: CapacityObserver | undefined;

  /**
   * Whether the charges' partitions and resources admit a request now: undefined when they do, else the first
   * limit hit. In `account` mode a hit is counted (observer, partition heat) and undefined returned: the request
   * goes ahead. In `enforce` mode the throttle is returned for the caller to refuse the request with.
   */
  admit(charges: readonly { readonly resource: ResourceCapacity; readonly access: Access; readonly hash: number }[]): Throttle | undefined {
    if (this.mode === 'off') return undefined;
    const now = this.clock.now();
    for (const charge of charges) {
      const refused = this.check(charge.resource, charge.access, charge.hash, now);
      if (refused !== undefined) return this.mode === 'enforce' ? refused : undefined;
    }
    return undefined;
  }

  /** A limit one partition of a resource hits now, counted (partition heat, observer) when it is hit. */
  private check(resource: ResourceCapacity, access: Access, hash: number, now: number): Throttle | undefined {
    const refused = resource.check(access, hash, now);
    if (refused === undefined) return undefined;
    resource.recordThrottled(access, hash, now);
    this.observer?.throttled(refused, access, this.mode === 'enforce');
    return refused;
  }

  /**
   * Admits a read of a table (or of a GSI: `indexId`) in the partition of `hash`; throws the throttling error in
   * `enforce` mode when it is refused. LSI reads are the table's.
   */
  admitRead(table: TableMetadata, hash: number, indexId?: string): void {
    const refused = this.readThrottle(table, hash, indexId);
    if (refused !== undefined) throw throttlingError(refused);
  }

  /**
   * As admit() for one read of a table (or of a GSI: `indexId`) in the partition of `hash`, without the array
   * admit() takes: the throttle in `enforce` mode, undefined when the read may go ahead (or in `account` mode).
   */
  readThrottle(table: TableMetadata, hash: number, indexId?: string): Throttle | undefined {
    if (this.mode === 'off') return undefined;
    const refused = this.check(this.resource(table, indexId), 'read', hash, this.clock.now());
    return this.mode === 'enforce' ? refused : undefined;
  }

  /**
   * Admits the read of one item by its key (GetItem, a PartiQL SELECT of one item, BatchExecuteStatement's reads),
   * charged with chargeItemRead(). In `enforce` mode, as admitRead(), and the least the read costs (readUnits of
   * an empty item: a missing item and any item up to 4 KB cost exactly that) is booked at once, so that the
   * commonest read makes one call on the capacity model, not two: measured in a server under load, a call costs
   * about 0.45 µs more than its work, its code and data being out of the processor's caches again by the next
   * request. Booked at admission rather than after the read, a read's charge is in the buckets before the next
   * request is admitted, whatever the storage's speed (a read whose storage then fails keeps that charge). In
   * `account` mode, where nothing is refused, nothing is done now: the limit the read would hit is looked for when
   * its charge is applied (chargeItemRead), a few moments later than before the read.
   */
  admitItemRead(table: TableMetadata, hash: number, consistent: boolean): void {
    const refused = this.itemReadThrottle(table, hash, consistent);
    if (refused !== undefined) throw throttlingError(refused);
  }

  /** As admitItemRead(), answering with the throttle (`enforce` mode) instead of throwing it. */
  itemReadThrottle(table: TableMetadata, hash: number, consistent: boolean): Throttle | undefined {
    if (this.mode !== 'enforce') return undefined;
    const resource = this.resource(table);
    const now = this.clock.now();
    const refused = this.check(resource, 'read', hash, now);
    if (refused === undefined) resource.book('read', hash, leastReadUnits(consistent), 0, now);
    return refused;
  }

  /**
   * Books the read units of a read admitted with admitItemRead() or itemReadThrottle(): in `enforce` mode those
   * beyond the least that admission booked, in `account` mode all of them, checked (ResourceCapacity.book).
   */
  chargeItemRead(table: TableMetadata, hash: number, units: number, consistent: boolean, now?: number): void {
    if (this.mode === 'off') return;
    const enforcing = this.mode === 'enforce';
    const rest = enforcing ? units - leastReadUnits(consistent) : units;
    // The commonest read in `enforce` mode: nothing beyond what admission booked.
    if (rest <= 0) return;
    this.resource(table).book('read', hash, rest, 0, now ?? this.clock.now(), !enforcing);
  }

  /**
   * As itemReadThrottle() for one write of a table's item in the partition of `hash` (its table's partition): in
   * `account` mode the write's table charge, the first of those charge() is given with `firstChecked`, is checked.
   */
  itemWriteThrottle(table: TableMetadata, hash: number): Throttle | undefined {
    if (this.mode !== 'enforce') return undefined;
    return this.check(this.of(table).table, 'write', hash, this.clock.now());
  }

  /** Books the read units a read consumed in the partition of `hash`. */
  chargeRead(table: TableMetadata, hash: number, units: number, indexId?: string): void {
    if (this.mode === 'off') return;
    this.resource(table, indexId).charge('read', hash, units, this.clock.now());
  }

  /** The capacity a table's reads (or a GSI's: `indexId`) are admitted and charged on; LSIs are the table's. */
  resource(table: TableMetadata, indexId?: string): ResourceCapacity {
    const capacity = this.of(table);
    return (indexId === undefined ? undefined : capacity.indexes.get(indexId)) ?? capacity.table;
  }

  /**
   * Books consumed units (and size changes) in their partitions. `firstChecked`: the first charge is a single
   * write's table charge, admitted with itemWriteThrottle(), so checked in `account` mode.
   */
  charge(charges: readonly Charge[], firstChecked = false): void {
    if (this.mode === 'off') return;
    const now = this.clock.now();
    let checked = firstChecked && this.mode === 'account';
    for (const charge of charges) {
      charge.resource.book(charge.access, charge.hash, charge.units, charge.sizeDelta ?? 0, now, checked);
      checked = false;
    }
  }

  /** Resources whose queued charges are applied at the end of this turn of the event loop. */
  private unsettled: ResourceCapacity[] = [];

  private readonly queued = (resource: ResourceCapacity): void => {
    if (this.unsettled.push(resource) === 1) setImmediate(this.settle);
  };

  /** Applies every queued charge (ResourceCapacity.book). */
  readonly settle = (): void => {
    const resources = this.unsettled;
    this.unsettled = [];
    for (const resource of resources) resource.settle();
  };

  /** The capacity held so far of each table, by tableId (the capacity ledger publishes and applies through it). */
  held(): IterableIterator<[string, TableCapacity]> {
    return this.tables.entries();
  }

  /** Forgets a deleted table. */
  forget(tableId: string): void {
    this.tables.delete(tableId);
  }

  private build(kind: 'Table' | 'Index', arn: string, table: TableMetadata, index: IndexMetadata | undefined, now: number): ResourceCapacity {
    // Partitions start from the throughput alone: the data a table already holds counts toward their sizes only as
    // it is written again.
    const resource = new ResourceCapacity(kind, arn, throughputSettings(table, index), 0, now, this.policy);
    resource.onQueued = this.queued;
    resource.onCheckedThrottle = (refused, access) => this.observer?.throttled(refused, access, false);
    // The partitions it starts with are not splits; from here on, every split is recorded.
    const history: SplitRecord[] = [];
    this.splitHistory.set(resource, history);
    resource.partitions.onSplit = (cause, parent, [lower], at) => {
      const record: SplitRecord = { cause, at, low: parent.low, high: parent.high, splitAt: lower.high };
      history.push(record);
      if (history.length > SPLIT_HISTORY) history.shift();
      this.observer?.split?.(resource, record);
    };
    return resource;
  }

  private readonly splitHistory = new WeakMap<ResourceCapacity, SplitRecord[]>();

  /** The splits of a table or GSI so far (at most the last 100), oldest first. */
  splitsOf(resource: ResourceCapacity): readonly SplitRecord[] {
    return this.splitHistory.get(resource) ?? [];
  }

  private follow(resource: ResourceCapacity, settings: ThroughputSettings, now: number): void {
    if (!sameSettings(resource.throughput, settings)) resource.update(settings, now);
  }
}
