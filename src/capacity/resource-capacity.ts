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
 */
import { OnDemandCeiling, DEFAULT_CEILING_POLICY, type CeilingPolicy } from './on-demand-ceiling.js';
import { DYNAMODB_PARTITION_LIMITS, type Access, type PartitionLimits } from './partition.js';
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
  /** Provisioned mode: the table's bucket of this access. */
  provisioned: TokenBucket | undefined;
  /** On-demand mode: the ceiling that follows the previous peak, the bucket that serves it, the table quota. */
  ceiling: OnDemandCeiling | undefined;
  served: TokenBucket | undefined;
  quota: TokenBucket | undefined;
  /** On-demand mode with OnDemandThroughput's maximum set for this access. */
  maximum: TokenBucket | undefined;
}

function noLimits(): AccessLimits {
  return { provisioned: undefined, ceiling: undefined, served: undefined, quota: undefined, maximum: undefined };
}

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
  readonly partitions: PartitionMap;
  private settings: ThroughputSettings;
  private readonly reads: AccessLimits = noLimits();
  private readonly writes: AccessLimits = noLimits();

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
    this.partitions = new PartitionMap(count, now, limits, policy.split);
    this.partitions.spreadSize(sizeBytes);
    this.apply(settings, now);
  }

  get mode(): ThroughputSettings['mode'] {
    return this.settings.mode;
  }

  get throughput(): ThroughputSettings {
    return this.settings;
  }

  /** Changes the throughput (UpdateTable): buckets follow, partitions split to serve an increase and never merge. */
  update(settings: ThroughputSettings, now: number): void {
    this.apply(settings, now);
  }

  /** The limit a request to the partition of `hash` would hit now, or undefined when it may go ahead. */
  check(access: Access, hash: number, now: number): Throttle | undefined {
    const limit = this.limitHit(access, hash, now);
    return limit === undefined ? undefined : throttle(this.settings.mode, this.kind, access, limit, this.arn);
  }

  /** Charges units consumed in the partition of `hash`. */
  charge(access: Access, hash: number, units: number, now: number): void {
    if (units <= 0) return;
    const partition = this.partitions.find(hash, now);
    partition.bucket(access).charge(units, now);
    partition.recordConsumed(access, hash, units);
    const limits = access === 'read' ? this.reads : this.writes;
    limits.provisioned?.charge(units, now);
    limits.ceiling?.record(units, now);
    limits.served?.charge(units, now);
    limits.maximum?.charge(units, now);
    limits.quota?.charge(units, now);
  }

  /** Counts a refused request against its partition (heat, and the partition endpoint's throttle counts). */
  recordThrottled(access: Access, hash: number, now: number): void {
    this.partitions.find(hash, now).recordThrottled(access, hash);
  }

  /** Bytes written (positive) or removed (negative) in the partition of `hash`. */
  addSize(hash: number, delta: number, now: number): void {
    if (delta !== 0) this.partitions.addSize(hash, delta, now);
  }

  /** What the table or index serves at once, for DescribeTable's WarmThroughput. */
  warmThroughput(now: number): { readUnits: number; writeUnits: number } {
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
    if (!this.partitions.find(hash, now).bucket(access).admits(now)) return 'KeyRangeThroughputExceeded';
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
    this.partitions.ensureCount(onDemandPartitions(read, write, this.policy.partitionLimits), now);
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
      this.partitions.ensureCount(partitionsFor(...provisionedForPartitions(settings), 0, limits), now);
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
