/**
 * The capacity of one table or one global secondary index: its partitions and the limits above them.
 *
 * Provisioned mode: a read and a write bucket that fill at the provisioned units and bank up to 300 seconds of
 * unused capacity ("DynamoDB currently retains up to five minutes (300 seconds) of unused read and write
 * capacity"). Adaptive capacity lends unused table capacity to a hot partition instantly, so a partition is
 * held to its own limits (3,000 / 1,000 units a second), never to an even share of the table's.
 *
 * On-demand mode: the ceiling that follows the previous peak (OnDemandCeiling), the OnDemandThroughput
 * maximums when set, and the per-table quota (40,000 units a second by default), each as a bucket holding one
 * second of its rate; partitions are added as the ceiling grows.
 *
 * A request is admitted when none of the buckets it touches is in debt, then charged what it consumed.
 * Throughput a request was refused is never charged.
 *
 * Every request is admitted and charged, so both are made cheap without changing a single outcome:
 * - Fast admission. When a request is admitted, lower bounds of the balances it was checked against are kept
 *   (the resource's, per access, and its partition's), and every charge lowers them by its units. Refilling only
 *   adds, so while both bounds are above zero every bucket is certainly not in debt, and the request is admitted
 *   without reading one. Otherwise it is checked exactly, as before, which takes the bounds afresh.
 * - Deferred charges. A charge is queued with its capacity time and applied, in order, at the end of the event
 *   loop's turn (or before anything reads or checks the buckets exactly). A bucket charged at t then read at t'
 *   is the same whether the charge was applied at t or later, as long as nothing else touched it in between
 *   with a later time, which applying the queue first before every exact read ensures. Applied in one batch, the
 *   work also runs with its code and data in the processor's caches, which one request's HTTP and storage work
 *   otherwise evicts between two of its calls (measured: several times the cost of the same work in a loop).
 */
import { OnDemandCeiling, DEFAULT_CEILING_POLICY, type CeilingPolicy } from './on-demand-ceiling.js';
import { DYNAMODB_PARTITION_LIMITS, type Access, type Partition, type PartitionLimits } from './partition.js';
import { DEFAULT_SPLIT_POLICY, PartitionMap, type SplitPolicy } from './partition-map.js';
import { throttle, type LimitType, type ResourceKind, type Throttle } from './throttle.js';
import { TokenBucket } from './token-bucket.js';

export type ThroughputSettings =
  | {
      readonly mode: 'PROVISIONED';
      readonly readUnits: number;
      readonly writeUnits: number;
      /**
       * WarmThroughput: the most the table has been provisioned with (or asked to be warmed to). Its partitions
       * were allocated for it and are kept, so the count follows it, not only the current units.
       */
      readonly warmReadUnits?: number;
      readonly warmWriteUnits?: number;
    }
  | {
      readonly mode: 'PAY_PER_REQUEST';
      /** OnDemandThroughput.MaxReadRequestUnits (undefined or -1: none). */
      readonly maxReadUnits?: number;
      readonly maxWriteUnits?: number;
      /** WarmThroughput: what the table serves at once (12,000 / 4,000 for a new table). */
      readonly warmReadUnits: number;
      readonly warmWriteUnits: number;
    };

/** DynamoDB's warm throughput of a new on-demand table: 12,000 reads and 4,000 writes a second. */
export const NEW_ON_DEMAND_WARM = { readUnits: 12_000, writeUnits: 4_000 } as const;

/** The per-table quota of on-demand tables (adjustable in DynamoDB; an option here). */
export const DEFAULT_TABLE_QUOTA = { readUnits: 40_000, writeUnits: 40_000 } as const;

export const BURST_SECONDS = 300;

export interface CapacityPolicy {
  readonly partitionLimits: PartitionLimits;
  readonly split: SplitPolicy;
  readonly ceiling: CeilingPolicy;
  readonly tableQuota: { readonly readUnits: number; readonly writeUnits: number };
}

export const DEFAULT_CAPACITY_POLICY: CapacityPolicy = {
  partitionLimits: DYNAMODB_PARTITION_LIMITS,
  split: DEFAULT_SPLIT_POLICY,
  ceiling: DEFAULT_CEILING_POLICY,
  tableQuota: DEFAULT_TABLE_QUOTA,
};

/**
 * The limits above the partitions for one kind of access, in one object: a request checks and charges the limits
 * of its own access only, so it reads one object by a named property (not `limits[access]`, a keyed load that
 * turns megamorphic once both reads and writes went through it).
 */
interface AccessLimits {
  /** 0 for reads, 1 for writes: the offset of this access in PartitionMap.slack and in a queued charge. */
  readonly offset: 0 | 1;
  /**
   * A lower bound of the smallest balance among this access's buckets below, less the units charged since it was
   * taken (fast admission); 0 (unknown) until an exact check takes it.
   */
  slack: number;
  /** Provisioned mode: the table's bucket of this access. */
  provisioned: TokenBucket | undefined;
  /** On-demand mode: the ceiling that follows the previous peak, the bucket that serves it, the table quota. */
  ceiling: OnDemandCeiling | undefined;
  served: TokenBucket | undefined;
  quota: TokenBucket | undefined;
  /** On-demand mode with OnDemandThroughput's maximum set for this access. */
  maximum: TokenBucket | undefined;
}

function noLimits(offset: 0 | 1): AccessLimits {
  return { offset, slack: 0, provisioned: undefined, ceiling: undefined, served: undefined, quota: undefined, maximum: undefined };
}

/**
 * A queued charge's fields, in ResourceCapacity.queue: its kind (the access offset, plus CHECKED for a charge
 * checked first: see book()), hash, units, size delta, capacity time.
 */
const QUEUED_FIELDS = 5;
const CHECKED = 2;

/** Charges queued before they are applied whatever else happens: a bound on the queue's memory. */
const MAX_QUEUED = 4096;

/** The partitions a table or index needs for a throughput and a size (DynamoDB's long-published rule). */
export function partitionsFor(readUnits: number, writeUnits: number, sizeBytes: number, limits: PartitionLimits): number {
  const byThroughput = Math.ceil(readUnits / limits.readUnitsPerSecond + writeUnits / limits.writeUnitsPerSecond);
  const bySize = Math.ceil(sizeBytes / limits.sizeBytes);
  return Math.max(1, byThroughput, bySize);
}

/** The throughput a provisioned table's partitions were allocated for: its units, or its warm throughput. */
function provisionedForPartitions(settings: Extract<ThroughputSettings, { mode: 'PROVISIONED' }>): [number, number] {
  return [Math.max(settings.readUnits, settings.warmReadUnits ?? 0), Math.max(settings.writeUnits, settings.warmWriteUnits ?? 0)];
}

/** On-demand: enough partitions to serve the ceiling in reads or in writes (4 for a new table). */
function onDemandPartitions(readUnits: number, writeUnits: number, limits: PartitionLimits): number {
  return Math.max(1, Math.ceil(readUnits / limits.readUnitsPerSecond), Math.ceil(writeUnits / limits.writeUnitsPerSecond));
}

export class ResourceCapacity {
  private readonly map: PartitionMap;
  private settings: ThroughputSettings;
  private readonly reads: AccessLimits = noLimits(0);
  private readonly writes: AccessLimits = noLimits(1);
  /** Charges not yet applied, QUEUED_FIELDS numbers each, in the order they were made. */
  private queue = new Float64Array(64 * QUEUED_FIELDS);
  private queued = 0;
  /** Told when the queue stops being empty, so that it is applied at the end of the turn (set by the tracker). */
  onQueued: ((resource: ResourceCapacity) => void) | undefined;
  /** Told of the limit a charge booked `checked` would have hit (set by the tracker: `account` mode's count). */
  onCheckedThrottle: ((throttle: Throttle, access: Access) => void) | undefined;

  constructor(
    readonly kind: ResourceKind,
    /** The ARN named in ThrottlingReasons. */
    readonly arn: string,
    settings: ThroughputSettings,
    sizeBytes: number,
    now: number,
    readonly policy: CapacityPolicy = DEFAULT_CAPACITY_POLICY,
  ) {
    this.settings = settings;
    const limits = policy.partitionLimits;
    const count =
      settings.mode === 'PROVISIONED'
        ? partitionsFor(...provisionedForPartitions(settings), sizeBytes, limits)
        : Math.max(onDemandPartitions(settings.warmReadUnits, settings.warmWriteUnits, limits), Math.ceil(sizeBytes / limits.sizeBytes));
    this.map = new PartitionMap(count, now, limits, policy.split);
    this.map.spreadSize(sizeBytes);
    this.apply(settings, now);
  }

  /**
   * The partitions, with every queued charge applied. A caller may change them (a test charging a bucket): what
   * fast admission knew of their balances is forgotten.
   */
  get partitions(): PartitionMap {
    this.settle();
    this.forgetSlack();
    return this.map;
  }

  get mode(): ThroughputSettings['mode'] {
    return this.settings.mode;
  }

  get throughput(): ThroughputSettings {
    return this.settings;
  }

  /** Changes the throughput (UpdateTable): buckets follow, partitions split to serve an increase and never merge. */
  update(settings: ThroughputSettings, now: number): void {
    this.settle();
    // A decrease may take banked credit away: the bounds of fast admission no longer hold.
    this.forgetSlack();
    this.apply(settings, now);
  }

  /** The limit a request to the partition of `hash` would hit now, or undefined when it may go ahead. */
  check(access: Access, hash: number, now: number): Throttle | undefined {
    const limits = access === 'read' ? this.reads : this.writes;
    if (limits.slack > 0) {
      const map = this.map;
      if ((map.slack[2 * map.indexOf(hash) + limits.offset] as number) > 0) return undefined;
    }
    return this.checkExactly(access, limits, hash, now);
  }

  /** check() against the buckets themselves; an admitted request takes the bounds of fast admission afresh. */
  private checkExactly(access: Access, limits: AccessLimits, hash: number, now: number): Throttle | undefined {
    this.settle();
    const refused = this.refusal(access, hash, now);
    if (refused !== undefined) return refused;
    let slack = Number.POSITIVE_INFINITY;
    if (limits.provisioned !== undefined) slack = Math.min(slack, limits.provisioned.available(now));
    if (limits.served !== undefined) slack = Math.min(slack, limits.served.available(now));
    if (limits.maximum !== undefined) slack = Math.min(slack, limits.maximum.available(now));
    if (limits.quota !== undefined) slack = Math.min(slack, limits.quota.available(now));
    limits.slack = slack;
    // limitHit found the partition (closing its windows, which may have split it) just before.
    const map = this.map;
    map.slack[2 * map.indexOf(hash) + limits.offset] = map.find(hash, now).bucket(access).available(now);
    return undefined;
  }

  /** Charges units consumed in the partition of `hash`. */
  charge(access: Access, hash: number, units: number, now: number): void {
    this.book(access, hash, units, 0, now);
  }

  /**
   * Charges units consumed in the partition of `hash` and the bytes the request added there (negative: removed),
   * queued: applied at the end of the turn, or before the buckets are next read. `checked`: the request was not
   * admitted (`account` mode's single-item requests, see CapacityTracker.admitItemRead): the limit it would have
   * hit is looked for when the charge is applied, just before it, and told to onCheckedThrottle.
   */
  book(access: Access, hash: number, units: number, sizeDelta: number, now: number, checked = false): void {
    const charged = units > 0;
    if (!charged && sizeDelta === 0) return;
    const limits = access === 'read' ? this.reads : this.writes;
    if (charged) {
      limits.slack -= units;
      const map = this.map;
      const at = 2 * map.indexOf(hash) + limits.offset;
      map.slack[at] = (map.slack[at] as number) - units;
    }
    let queue = this.queue;
    const start = this.queued * QUEUED_FIELDS;
    if (start === queue.length) {
      const grown = new Float64Array(queue.length * 2);
      grown.set(queue);
      this.queue = queue = grown;
    }
    queue[start] = checked ? limits.offset + CHECKED : limits.offset;
    queue[start + 1] = hash;
    queue[start + 2] = charged ? units : 0;
    queue[start + 3] = sizeDelta;
    queue[start + 4] = now;
    if (++this.queued === 1) this.onQueued?.(this);
    else if (this.queued >= MAX_QUEUED) this.settle();
  }

  /** Applies the queued charges, in the order and at the capacity times they were made. */
  settle(): void {
    const count = this.queued;
    if (count === 0) return;
    this.queued = 0;
    const queue = this.queue;
    for (let i = 0; i < count * QUEUED_FIELDS; i += QUEUED_FIELDS) {
      const kind = queue[i] as number;
      const access: Access = kind % 2 === 0 ? 'read' : 'write';
      const hash = queue[i + 1] as number;
      const units = queue[i + 2] as number;
      const sizeDelta = queue[i + 3] as number;
      const now = queue[i + 4] as number;
      if (kind >= CHECKED) this.checkCharged(access, hash, now);
      if (units > 0) this.applyCharge(access, hash, units, now);
      if (sizeDelta !== 0) this.map.addSize(hash, sizeDelta, now);
    }
    if (queue.length > 64 * QUEUED_FIELDS && count < 16) this.queue = new Float64Array(64 * QUEUED_FIELDS);
  }

  /**
   * The check of a charge booked `checked`, against the buckets as the charges queued before it left them (called
   * while the queue is applied, so recordThrottled()'s settle() finds nothing left to apply).
   */
  private checkCharged(access: Access, hash: number, now: number): void {
    const refused = this.refusal(access, hash, now);
    if (refused === undefined) return;
    this.recordThrottled(access, hash, now);
    this.onCheckedThrottle?.(refused, access);
  }

  /** The throttle of the first limit a request to the partition of `hash` hits now, read from the buckets. */
  private refusal(access: Access, hash: number, now: number): Throttle | undefined {
    const limit = this.limitHit(access, hash, now);
    return limit === undefined ? undefined : throttle(this.settings.mode, this.kind, access, limit, this.arn);
  }

  private applyCharge(access: Access, hash: number, units: number, now: number): void {
    const partition = this.map.find(hash, now);
    chargeBuckets(partition, access, access === 'read' ? this.reads : this.writes, units, now);
    partition.recordConsumed(access, hash, units);
  }

  private forgetSlack(): void {
    this.reads.slack = 0;
    this.writes.slack = 0;
    this.map.slack.fill(0);
  }

  /**
   * Units that other processes sharing the storage consumed in one partition (capacity-ledger.ts): charged to the
   * same buckets as this process's own units (partition, provisioned, on-demand ceiling, maximum, quota), so that
   * each process's buckets follow the fleet's consumption, and counted in the partition's current window (the
   * partitions endpoint, heat), but not in its heat by key hash, which is this process's sample of where the heat
   * lies. Never on the per-request path.
   */
  absorb(access: Access, partition: Partition, units: number, throttles: number, now: number): void {
    this.settle();
    const limits = access === 'read' ? this.reads : this.writes;
    if (units > 0) {
      // The bounds fast admission keeps of these buckets no longer hold: the next request is checked exactly.
      limits.slack = 0;
      this.map.slack[2 * this.map.indexOf(partition.low) + limits.offset] = 0;
      chargeBuckets(partition, access, limits, units, now);
    }
    const window = partition.current;
    if (access === 'read') {
      window.readUnits += units;
      window.readThrottles += throttles;
    } else {
      window.writeUnits += units;
      window.writeThrottles += throttles;
    }
  }

  /**
   * The balances (read, write) of the buckets above the partitions: the provisioned units' (burst credit included),
   * or the on-demand capacity served. Another process that starts using the table takes them (adoptBalances).
   */
  balances(now: number): [number, number] {
    this.settle();
    const of = (limits: AccessLimits) => (limits.provisioned ?? limits.served)?.available(now) ?? 0;
    return [of(this.reads), of(this.writes)];
  }

  /**
   * Lowers the buckets above the partitions to balances another process sharing the storage has (never raises
   * them): a process that starts using a table others have been using takes the fleet's credit, not a full bucket.
   */
  adoptBalances(read: number, write: number, now: number): void {
    this.settle();
    for (const [limits, balance] of [[this.reads, read], [this.writes, write]] as const) {
      const bucket = limits.provisioned ?? limits.served;
      if (bucket === undefined || !Number.isFinite(balance) || balance >= bucket.available(now)) continue;
      bucket.setBalance(balance, now);
      // The bounds fast admission keeps of this bucket no longer hold: the next request is checked exactly.
      limits.slack = 0;
    }
  }

  /** Counts a refused request against its partition (heat, and the partition endpoint's throttle counts). */
  recordThrottled(access: Access, hash: number, now: number): void {
    this.settle();
    this.map.find(hash, now).recordThrottled(access, hash);
  }

  /** Bytes written (positive) or removed (negative) in the partition of `hash`. */
  addSize(hash: number, delta: number, now: number): void {
    this.book('write', hash, 0, delta, now);
  }

  /** What the table or index serves at once, for DescribeTable's WarmThroughput. */
  warmThroughput(now: number): { readUnits: number; writeUnits: number } {
    this.settle();
    const readCeiling = this.reads.ceiling;
    const writeCeiling = this.writes.ceiling;
    if (readCeiling !== undefined && writeCeiling !== undefined) {
      // The ceiling first: it closes the window that ended by `now`, whose peak then counts as reached.
      const reached = (ceiling: OnDemandCeiling) => {
        const half = Math.ceil(ceiling.ceiling(now) / 2);
        return Math.max(ceiling.warmUnits, Math.ceil(ceiling.highestPeak()), half);
      };
      return { readUnits: reached(readCeiling), writeUnits: reached(writeCeiling) };
    }
    const settings = this.settings as Extract<ThroughputSettings, { mode: 'PROVISIONED' }>;
    return { readUnits: settings.readUnits, writeUnits: settings.writeUnits };
  }

  private limitHit(access: Access, hash: number, now: number): LimitType | undefined {
    const limits = access === 'read' ? this.reads : this.writes;
    const served = limits.served;
    if (served !== undefined) {
      // The limits the user set come first: a request the maximum refuses is refused for that reason.
      if (limits.maximum?.admits(now) === false) return 'MaxOnDemandThroughputExceeded';
      if (limits.quota?.admits(now) === false) return 'AccountLimitExceeded';
      this.followCeiling(limits, now);
      // Capacity that has not yet followed a new peak: DynamoDB has no reason of its own for it; it adds
      // partitions to scale out, and what throttles meanwhile is a partition.
      if (!served.admits(now)) return 'KeyRangeThroughputExceeded';
    }
    if (limits.provisioned?.admits(now) === false) return 'ProvisionedThroughputExceeded';
    if (!this.map.find(hash, now).bucket(access).admits(now)) return 'KeyRangeThroughputExceeded';
    return undefined;
  }

  /** Grows an on-demand resource's served bucket (and its partitions) to the ceiling, once capacity followed. */
  private followCeiling(limits: AccessLimits, now: number): void {
    const served = limits.served;
    const readCeiling = this.reads.ceiling;
    const writeCeiling = this.writes.ceiling;
    if (served === undefined || limits.ceiling === undefined || readCeiling === undefined || writeCeiling === undefined) return;
    const ceiling = limits.ceiling.ceiling(now);
    const grown = ceiling - served.unitsPerSecond;
    if (grown === 0) return;
    served.resize(ceiling, ceiling, now);
    // Capacity that has followed (or was warmed by UpdateTable) is there to be used at once: new partitions come
    // with their throughput unspent. Growing only the rate would leave the bucket at the old ceiling's balance.
    if (grown > 0) served.setBalance(served.available(now) + grown, now);
    const read = readCeiling.ceiling(now);
    const write = writeCeiling.ceiling(now);
    this.map.ensureCount(onDemandPartitions(read, write, this.policy.partitionLimits), now);
  }

  private apply(settings: ThroughputSettings, now: number): void {
    const limits = this.policy.partitionLimits;
    const { reads, writes } = this;
    this.settings = settings;
    if (settings.mode === 'PROVISIONED') {
      const { readUnits, writeUnits } = settings;
      reads.provisioned = resized(reads.provisioned, readUnits, readUnits * BURST_SECONDS, now);
      writes.provisioned = resized(writes.provisioned, writeUnits, writeUnits * BURST_SECONDS, now);
      for (const access of [reads, writes]) access.ceiling = access.served = access.quota = access.maximum = undefined;
      this.map.ensureCount(partitionsFor(...provisionedForPartitions(settings), 0, limits), now);
      return;
    }
    reads.provisioned = writes.provisioned = undefined;
    const { warmReadUnits, warmWriteUnits } = settings;
    if (reads.ceiling === undefined || writes.ceiling === undefined) {
      reads.ceiling = new OnDemandCeiling(warmReadUnits, now, this.policy.ceiling);
      writes.ceiling = new OnDemandCeiling(warmWriteUnits, now, this.policy.ceiling);
      reads.served = new TokenBucket(warmReadUnits, warmReadUnits, now);
      writes.served = new TokenBucket(warmWriteUnits, warmWriteUnits, now);
      reads.quota = new TokenBucket(this.policy.tableQuota.readUnits, this.policy.tableQuota.readUnits, now);
      writes.quota = new TokenBucket(this.policy.tableQuota.writeUnits, this.policy.tableQuota.writeUnits, now);
    } else {
      reads.ceiling.raiseWarm(warmReadUnits);
      writes.ceiling.raiseWarm(warmWriteUnits);
    }
    reads.maximum = maximumBucket(settings.maxReadUnits, reads.maximum, now);
    writes.maximum = maximumBucket(settings.maxWriteUnits, writes.maximum, now);
    this.followCeiling(reads, now);
    this.followCeiling(writes, now);
  }
}

/** Charges units to a partition's bucket and to the limits above the partitions (the on-demand ceiling counts them). */
function chargeBuckets(partition: Partition, access: Access, limits: AccessLimits, units: number, now: number): void {
  partition.bucket(access).charge(units, now);
  limits.provisioned?.charge(units, now);
  limits.ceiling?.record(units, now);
  limits.served?.charge(units, now);
  limits.maximum?.charge(units, now);
  limits.quota?.charge(units, now);
}

/** A bucket at a new rate and size: the one there was, resized, or a new one. */
function resized(current: TokenBucket | undefined, rate: number, size: number, now: number): TokenBucket {
  if (current === undefined) return new TokenBucket(rate, size, now);
  current.resize(rate, size, now);
  return current;
}

/** The bucket of an OnDemandThroughput maximum (undefined or below 1: none). */
function maximumBucket(units: number | undefined, current: TokenBucket | undefined, now: number): TokenBucket | undefined {
  if (units === undefined || units < 1) return undefined;
  return resized(current, units, units, now);
}
