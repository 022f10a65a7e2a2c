/**
 * The partitions of one table or global secondary index: contiguous ranges of the partition-key hash space that
 * together cover it. Partitions only ever split, never merge (DynamoDB keeps a partition once it has allocated
 * it: a temporary scale-up leaves a table with more, thinner partitions):
 * - to reach a count (the initial count from the table's throughput and size, a throughput increase, an
 *   on-demand table scaling out): the widest range splits at its middle;
 * - for size: a partition past 10 GB splits at the middle of its range;
 * - for heat: a partition that ran close to its limits for long enough splits where the heat divides in two,
 *   so that a hot key ends up alone in a partition. It can never be split below one hash value, so one
 *   partition-key value (and one item collection of a table with local secondary indexes) always stays in one
 *   partition, and can never get more than one partition's limits: 3,000 read and 1,000 write units a second.
 * How much heat for how long is not documented by DynamoDB; the thresholds are options.
 */
import { DYNAMODB_PARTITION_LIMITS, HASH_SPACE, Partition, emptyWindow, type Access, type PartitionLimits } from './partition.js';

export interface SplitPolicy {
  /** Length of a heat window in capacity time (default one minute, CloudWatch's period). */
  readonly windowMs: number;
  /** Utilisation of the partition's limits (0-1) above which a window counts as hot (default 0.8). */
  readonly heatThreshold: number;
  /** How long a partition must stay hot before it splits (default five minutes). */
  readonly heatSplitDelayMs: number;
}

export const DEFAULT_SPLIT_POLICY: SplitPolicy = { windowMs: 60_000, heatThreshold: 0.8, heatSplitDelayMs: 5 * 60_000 };

export type SplitCause = 'count' | 'size' | 'heat';

/** Told of every split (metrics, the partition endpoint's history), with the capacity time it happened at. */
export type SplitListener = (cause: SplitCause, parent: Partition, children: readonly [Partition, Partition], at: number) => void;

export class PartitionMap {
  private list: Partition[];
  /**
   * The partitions' first hashes, in order, and HASH_SPACE after the last: every request searches them, and a
   * search of one array of numbers reads a cache line or two where a search of the partitions reads one object per
   * step. The closing HASH_SPACE lets a range be checked as lows[i] <= hash < lows[i + 1] without a bounds test.
   */
  private lows: Float64Array;
  /**
   * Per partition, by index: a lower bound of its read bucket's balance (at 2i) and of its write bucket's (at
   * 2i + 1), less the units charged since the bound was taken (ResourceCapacity's fast admission). Zeroed, so
   * unknown, whenever the partitions change.
   */
  slack: Float64Array;
  onSplit: SplitListener | undefined;

  constructor(
    count: number,
    now: number,
    readonly limits: PartitionLimits = DYNAMODB_PARTITION_LIMITS,
    readonly policy: SplitPolicy = DEFAULT_SPLIT_POLICY,
  ) {
    this.list = [new Partition(0, HASH_SPACE, limits, now)];
    this.lows = Float64Array.of(0, HASH_SPACE);
    this.slack = new Float64Array(2);
    (this.list[0] as Partition).tracksHeat = this.heatNeeded(this.list[0] as Partition);
    this.ensureCount(count, now);
  }

  get partitions(): readonly Partition[] {
    return this.list;
  }

  get count(): number {
    return this.list.length;
  }

  /** The partition holding a hash; closes its windows up to `now` first (which may split it for heat). */
  find(hash: number, now: number): Partition {
    // A request finds its partition twice (admission, then the charge): the last one found is checked first.
    const last = this.lastFound;
    let partition = last !== undefined && last.contains(hash) ? last : this.lookup(hash);
    if (now - partition.current.startedAt >= this.policy.windowMs) {
      this.rollWindows(partition, now);
      partition = this.lookup(hash);
    }
    this.lastFound = partition;
    return partition;
  }

  /** The partition find() returned last; forgotten when the partitions change. */
  private lastFound: Partition | undefined;

  /**
   * The index of the partition holding a hash, without closing its windows: for the slack of fast admission,
   * which moves with the partitions (a split zeroes it). Requests come in runs of one key, so the index found last
   * is tried first.
   */
  indexOf(hash: number): number {
    const lows = this.lows;
    const last = this.lastIndex;
    if ((lows[last] as number) <= hash && hash < (lows[last + 1] as number)) return last;
    const index = this.search(hash);
    this.lastIndex = index;
    return index;
  }

  private lastIndex = 0;

  /** Splits the widest partitions at their middle until there are at least `count` (capped by the hash space). */
  ensureCount(count: number, now: number): void {
    const target = Math.min(count, HASH_SPACE);
    while (this.list.length < target) {
      let widest = this.list[0] as Partition;
      for (const partition of this.list) if (partition.high - partition.low > widest.high - widest.low) widest = partition;
      this.split(widest, widest.low + Math.floor((widest.high - widest.low) / 2), now, 'count');
    }
  }

  /**
   * Splits the partition holding `at` so that a partition starts at `at`: a split another process sharing the
   * storage made (capacity-ledger.ts), so that every process's map is the union of every process's splits. Nothing
   * when a partition already starts there.
   */
  splitAt(at: number, now: number, cause: SplitCause): void {
    if (!(at > 0 && at < HASH_SPACE) || !Number.isInteger(at)) return;
    const partition = this.lookup(at);
    if (partition.low !== at) this.split(partition, at, now, cause);
  }

  /** Adds (or with a negative delta removes) bytes to the partition of a hash; a partition past its size splits. */
  addSize(hash: number, delta: number, now: number): void {
    const partition = this.lookup(hash);
    partition.sizeBytes = Math.max(0, partition.sizeBytes + delta);
    if (partition.sizeBytes > this.limits.sizeBytes && partition.high - partition.low > 1) {
      this.split(partition, partition.low + Math.floor((partition.high - partition.low) / 2), now, 'size');
    }
  }

  /** Spreads a known total size evenly over the partitions (at start-up, from the table's statistics). */
  spreadSize(totalBytes: number): void {
    for (const partition of this.list) partition.sizeBytes = (totalBytes * (partition.high - partition.low)) / HASH_SPACE;
  }

  private lookup(hash: number): Partition {
    return this.list[this.search(hash)] as Partition;
  }

  /** The index of the last partition whose first hash is at most `hash`. */
  private search(hash: number): number {
    const lows = this.lows;
    let low = 0;
    let high = lows.length - 2;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((lows[middle] as number) <= hash) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  /** Closes the windows of a partition that ended by `now`, and splits it if it has been hot for long enough. */
  private rollWindows(partition: Partition, now: number): void {
    const { windowMs, heatThreshold, heatSplitDelayMs } = this.policy;
    const elapsedWindows = Math.floor((now - partition.current.startedAt) / windowMs);
    const closed = partition.current;
    const hot = Partition.utilisation(closed, this.limits, windowMs) >= heatThreshold;
    // A window with no traffic at all in between breaks a hot streak.
    if (hot && elapsedWindows === 1) partition.hotSince ??= closed.startedAt;
    else partition.hotSince = undefined;
    partition.previous = elapsedWindows === 1 ? closed : emptyWindow(closed.startedAt + (elapsedWindows - 1) * windowMs);
    partition.current = emptyWindow(closed.startedAt + elapsedWindows * windowMs);
    partition.tracksHeat = this.heatNeeded(partition);
    if (partition.hotSince === undefined || now - partition.hotSince < heatSplitDelayMs) return;
    const at = heatSplitPoint(partition, closed.heatByHash);
    if (at !== undefined) this.split(partition, at, now, 'heat');
  }

  /**
   * Whether a partition's current window needs heat by key hash: only when it can end in a split for heat. A
   * window closes into a split only after windows that were hot for `heatSplitDelayMs`; when that delay spans at
   * least two windows, the window before the closing one was hot already, so recording heat from the moment a
   * partition is found hot (hotSince set) loses nothing. A shorter delay could split after the first hot window:
   * heat is then recorded always.
   */
  private heatNeeded(partition: Partition): boolean {
    return partition.hotSince !== undefined || this.policy.heatSplitDelayMs < 2 * this.policy.windowMs;
  }

  private split(parent: Partition, at: number, now: number, cause: SplitCause): void {
    const lower = new Partition(parent.low, at, this.limits, now);
    const upper = new Partition(at, parent.high, this.limits, now);
    lower.tracksHeat = upper.tracksHeat = this.heatNeeded(lower);
    // Each half keeps the parent's standing (a debt stays a debt); the split itself adds a partition's worth of
    // throughput, which is the point of splitting.
    for (const access of ['read', 'write'] as const satisfies readonly Access[]) {
      const balance = parent.bucket(access).available(now);
      lower.bucket(access).setBalance(balance, now);
      upper.bucket(access).setBalance(balance, now);
    }
    const share = (at - parent.low) / (parent.high - parent.low);
    lower.sizeBytes = parent.sizeBytes * share;
    upper.sizeBytes = parent.sizeBytes - lower.sizeBytes;
    const index = this.list.indexOf(parent);
    this.list.splice(index, 1, lower, upper);
    const lows = new Float64Array(this.list.length + 1);
    for (let i = 0; i < this.list.length; i++) lows[i] = (this.list[i] as Partition).low;
    lows[this.list.length] = HASH_SPACE;
    this.lows = lows;
    this.slack = new Float64Array(2 * this.list.length);
    this.lastFound = undefined;
    this.lastIndex = 0;
    this.onSplit?.(cause, parent, [lower, upper], now);
  }
}

/**
 * Where a hot partition splits: at the hash where its heat divides in two. When one key hash carries half the
 * heat or more, the cut goes right beside it, on the side that leaves it the narrower range, so that a hot key
 * is isolated after at most two splits. Undefined when the partition is one hash wide (nothing to split).
 */
export function heatSplitPoint(partition: Partition, heatByHash: ReadonlyMap<number, number>): number | undefined {
  if (partition.high - partition.low < 2) return undefined;
  const hashes = [...heatByHash.keys()].filter((hash) => partition.contains(hash)).sort((a, b) => a - b);
  let total = 0;
  for (const hash of hashes) total += heatByHash.get(hash) as number;
  if (total === 0) return partition.low + Math.floor((partition.high - partition.low) / 2);
  let cumulative = 0;
  for (const hash of hashes) {
    const heat = heatByHash.get(hash) as number;
    cumulative += heat;
    if (cumulative < total / 2) continue;
    if (heat >= total / 2) {
      // Keep the hot hash with the smaller remainder of the range, so the next split can isolate it.
      const below = hash - partition.low;
      const above = partition.high - (hash + 1);
      if (below === 0) return hash + 1;
      if (above === 0) return hash;
      return below <= above ? hash + 1 : hash;
    }
    return hash === partition.low ? hash + 1 : hash;
  }
  return undefined;
}
