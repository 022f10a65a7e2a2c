/**
 * One partition of a table or global secondary index: a range of the 16-bit hash of the partition key (the hash
 * every storage key already starts with, so a partition is also one contiguous range of the table's storage),
 * with DynamoDB's per-partition throughput limits as two token buckets, its approximate size, and the heat it
 * saw over the current and the last window of capacity time.
 */
import { TokenBucket } from './token-bucket.js';

/** DynamoDB's per-partition limits: 3,000 read units and 1,000 write units a second, 10 GB of data. */
export interface PartitionLimits {
  readonly readUnitsPerSecond: number;
  readonly writeUnitsPerSecond: number;
  readonly sizeBytes: number;
}

export const DYNAMODB_PARTITION_LIMITS: PartitionLimits = {
  readUnitsPerSecond: 3000,
  writeUnitsPerSecond: 1000,
  sizeBytes: 10 * 1024 * 1024 * 1024,
};

/** The hash space partitions divide: the 2-byte hash prefix of storage keys. */
export const HASH_SPACE = 0x10000;

export type Access = 'read' | 'write';

/** What a partition saw in one window of capacity time. */
export interface PartitionWindow {
  readonly startedAt: number;
  readUnits: number;
  writeUnits: number;
  readThrottles: number;
  writeThrottles: number;
  /** Units by partition-key hash, reads and writes weighted by their limits (heat), to choose a split point. */
  readonly heatByHash: Map<number, number>;
}

export function emptyWindow(startedAt: number): PartitionWindow {
  return { startedAt, readUnits: 0, writeUnits: 0, readThrottles: 0, writeThrottles: 0, heatByHash: new Map() };
}

export class Partition {
  readonly read: TokenBucket;
  readonly write: TokenBucket;
  /** Bytes of items (or index entries) in the range, as the writes charged to it have counted them. */
  sizeBytes = 0;
  current: PartitionWindow;
  previous: PartitionWindow | undefined;
  /** Capacity time since which every closed window was hot (undefined: the last one was not). */
  hotSince: number | undefined;
  /**
   * Whether the current window records heat by key hash. Only a window that may end in a split for heat needs it
   * (the split point is chosen from it); the partition map turns it on while a partition is hot, which spares
   * every request to a cool partition a map update (see PartitionMap.rollWindows).
   */
  tracksHeat = true;

  constructor(
    /** First hash of the range. */
    readonly low: number,
    /** One past the last hash of the range. */
    readonly high: number,
    readonly limits: PartitionLimits,
    now: number,
  ) {
    // A partition can absorb one second of its limit at once: burst credit is the table's, not the partition's,
    // and "burst capacity can't alleviate partition-level throttling".
    this.read = new TokenBucket(limits.readUnitsPerSecond, limits.readUnitsPerSecond, now);
    this.write = new TokenBucket(limits.writeUnitsPerSecond, limits.writeUnitsPerSecond, now);
    this.current = emptyWindow(now);
  }

  bucket(access: Access): TokenBucket {
    return access === 'read' ? this.read : this.write;
  }

  contains(hash: number): boolean {
    return hash >= this.low && hash < this.high;
  }

  /** Records consumed units (and their heat by key hash) in the current window. */
  recordConsumed(access: Access, hash: number, units: number): void {
    if (access === 'read') this.current.readUnits += units;
    else this.current.writeUnits += units;
    if (!this.tracksHeat) return;
    const heat = units / (access === 'read' ? this.limits.readUnitsPerSecond : this.limits.writeUnitsPerSecond);
    this.current.heatByHash.set(hash, (this.current.heatByHash.get(hash) ?? 0) + heat);
  }

  /**
   * Records a throttled request. Throttled demand is heat too (a hot key held at the limit is exactly what a
   * split for heat relieves), counted as one unit of the kind refused.
   */
  recordThrottled(access: Access, hash: number): void {
    if (access === 'read') this.current.readThrottles++;
    else this.current.writeThrottles++;
    if (!this.tracksHeat) return;
    const heat = 1 / (access === 'read' ? this.limits.readUnitsPerSecond : this.limits.writeUnitsPerSecond);
    this.current.heatByHash.set(hash, (this.current.heatByHash.get(hash) ?? 0) + heat);
  }

  /**
   * The utilisation of a window: the larger of its read and write units over the partition's limits for the
   * window's length (1 = the partition ran at its limit throughout), throttled demand included.
   */
  static utilisation(window: PartitionWindow, limits: PartitionLimits, windowMs: number): number {
    const seconds = windowMs / 1000;
    const reads = (window.readUnits + window.readThrottles) / (limits.readUnitsPerSecond * seconds);
    const writes = (window.writeUnits + window.writeThrottles) / (limits.writeUnitsPerSecond * seconds);
    return Math.max(reads, writes);
  }
}
