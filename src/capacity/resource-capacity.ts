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

interface ReadWrite<T> {
  read: T;
  write: T;
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
  private provisioned: ReadWrite<TokenBucket> | undefined;
  private onDemand:
    | { ceiling: ReadWrite<OnDemandCeiling>; served: ReadWrite<TokenBucket>; maximum: Partial<ReadWrite<TokenBucket>>; quota: ReadWrite<TokenBucket> }
    | undefined;

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
    if (this.provisioned !== undefined) this.provisioned[access].charge(units, now);
    if (this.onDemand !== undefined) {
      this.onDemand.ceiling[access].record(units, now);
      this.onDemand.served[access].charge(units, now);
      this.onDemand.maximum[access]?.charge(units, now);
      this.onDemand.quota[access].charge(units, now);
    }
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
    if (this.onDemand !== undefined) {
      // The ceiling first: it closes the window that ended by `now`, whose peak then counts as reached.
      const reached = (ceiling: OnDemandCeiling) => {
        const half = Math.ceil(ceiling.ceiling(now) / 2);
        return Math.max(ceiling.warmUnits, Math.ceil(ceiling.highestPeak()), half);
      };
      return { readUnits: reached(this.onDemand.ceiling.read), writeUnits: reached(this.onDemand.ceiling.write) };
    }
    const settings = this.settings as Extract<ThroughputSettings, { mode: 'PROVISIONED' }>;
    return { readUnits: settings.readUnits, writeUnits: settings.writeUnits };
  }

  private limitHit(access: Access, hash: number, now: number): LimitType | undefined {
    const onDemand = this.onDemand;
    if (onDemand !== undefined) {
      // The limits the user set come first: a request the maximum refuses is refused for that reason.
      if (onDemand.maximum[access]?.admits(now) === false) return 'MaxOnDemandThroughputExceeded';
      if (!onDemand.quota[access].admits(now)) return 'AccountLimitExceeded';
      this.followCeiling(access, now);
      // Capacity that has not yet followed a new peak: DynamoDB has no reason of its own for it; it adds
      // partitions to scale out, and what throttles meanwhile is a partition.
      if (!onDemand.served[access].admits(now)) return 'KeyRangeThroughputExceeded';
    }
    if (this.provisioned !== undefined && !this.provisioned[access].admits(now)) return 'ProvisionedThroughputExceeded';
    if (!this.partitions.find(hash, now).bucket(access).admits(now)) return 'KeyRangeThroughputExceeded';
    return undefined;
  }

  /** Grows an on-demand resource's served bucket (and its partitions) to the ceiling, once capacity followed. */
  private followCeiling(access: Access, now: number): void {
    const onDemand = this.onDemand;
    if (onDemand === undefined) return;
    const ceiling = onDemand.ceiling[access].ceiling(now);
    const served = onDemand.served[access];
    const grown = ceiling - served.unitsPerSecond;
    if (grown === 0) return;
    served.resize(ceiling, ceiling, now);
    // Capacity that has followed (or was warmed by UpdateTable) is there to be used at once: new partitions come
    // with their throughput unspent. Growing only the rate would leave the bucket at the old ceiling's balance.
    if (grown > 0) served.setBalance(served.available(now) + grown, now);
    const read = onDemand.ceiling.read.ceiling(now);
    const write = onDemand.ceiling.write.ceiling(now);
    this.partitions.ensureCount(onDemandPartitions(read, write, this.policy.partitionLimits), now);
  }

  private apply(settings: ThroughputSettings, now: number): void {
    const limits = this.policy.partitionLimits;
    this.settings = settings;
    if (settings.mode === 'PROVISIONED') {
      const { readUnits, writeUnits } = settings;
      if (this.provisioned === undefined) {
        this.provisioned = {
          read: new TokenBucket(readUnits, readUnits * BURST_SECONDS, now),
          write: new TokenBucket(writeUnits, writeUnits * BURST_SECONDS, now),
        };
      } else {
        this.provisioned.read.resize(readUnits, readUnits * BURST_SECONDS, now);
        this.provisioned.write.resize(writeUnits, writeUnits * BURST_SECONDS, now);
      }
      this.onDemand = undefined;
      this.partitions.ensureCount(partitionsFor(...provisionedForPartitions(settings), 0, limits), now);
      return;
    }
    this.provisioned = undefined;
    const { warmReadUnits, warmWriteUnits } = settings;
    if (this.onDemand === undefined) {
      const ceiling = {
        read: new OnDemandCeiling(warmReadUnits, now, this.policy.ceiling),
        write: new OnDemandCeiling(warmWriteUnits, now, this.policy.ceiling),
      };
      this.onDemand = {
        ceiling,
        served: { read: new TokenBucket(warmReadUnits, warmReadUnits, now), write: new TokenBucket(warmWriteUnits, warmWriteUnits, now) },
        maximum: {},
        quota: {
          read: new TokenBucket(this.policy.tableQuota.readUnits, this.policy.tableQuota.readUnits, now),
          write: new TokenBucket(this.policy.tableQuota.writeUnits, this.policy.tableQuota.writeUnits, now),
        },
      };
    } else {
      this.onDemand.ceiling.read.raiseWarm(warmReadUnits);
      this.onDemand.ceiling.write.raiseWarm(warmWriteUnits);
    }
    this.onDemand.maximum = {
      ...maximumBucket('read', settings.maxReadUnits, this.onDemand.maximum.read, now),
      ...maximumBucket('write', settings.maxWriteUnits, this.onDemand.maximum.write, now),
    };
    this.followCeiling('read', now);
    this.followCeiling('write', now);
  }
}

function maximumBucket(access: Access, units: number | undefined, current: TokenBucket | undefined, now: number): Partial<ReadWrite<TokenBucket>> {
  if (units === undefined || units < 1) return {};
  if (current === undefined) return { [access]: new TokenBucket(units, units, now) };
  current.resize(units, units, now);
  return { [access]: current };
}
