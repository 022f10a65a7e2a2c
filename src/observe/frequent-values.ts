/**
 * The most frequent values of a stream in bounded memory (Misra and Gries' frequent-items algorithm, with batched
 * decrements): up to twice `capacity` counters; a value that finds them all taken subtracts the median count
 * from every counter (or its own weight, if smaller), which frees at least half of them. Each pass takes the
 * subtracted amount from at least `capacity + 1` counters, so any value whose share of the stream exceeds
 * 1/(capacity + 1) is always held, and a held value's count falls short of its true count by at most
 * `undercount`. A pass costs a sort of the counters but frees `capacity` of them, so adding a value costs
 * O(log capacity) amortised however many distinct values (keys) the stream has: a stream of all-distinct keys (a
 * table read at random) no longer pays a pass over every counter per request, as the one-at-a-time form does.
 *
 * Sampled admission: once `capacity` values are held (half the counters), a single arrival of a value without a
 * counter (a miss) is admitted only one time in ADMIT_EVERY, carrying the weight of the misses skipped since the
 * last admission, so that no weight is lost and the counters still sum to what was added less what passes
 * subtracted. A table read at random over many keys then costs a lookup per request instead of an insertion, and
 * passes are ADMIT_EVERY times rarer (a pass leaves at most `capacity` counters, so sampling goes on after it). The counts become estimates (a value may carry up to ADMIT_EVERY - 1 arrivals of others, or miss some of
 * its own while it is not held); a value whose share stays well above 1/(capacity + 1) is held from its first
 * admission on, and from then counted exactly. Until `capacity` values are held, and for weighted adds (merges),
 * every value is counted exactly as above.
 */
const ADMIT_EVERY = 8;

export interface Counted {
  readonly value: string;
  /** The value's count: exact while fewer than `capacity` values were held; an estimate after (see above). */
  readonly count: number;
}

export class FrequentValues {
  private readonly counters = new Map<string, number>();
  /** Everything added, held or not. */
  total = 0;
  /** How much was subtracted from every counter so far by passes. */
  undercount = 0;
  /** Misses skipped since the last admission (see ADMIT_EVERY). */
  private skipped = 0;

  constructor(readonly capacity: number) {}

  add(value: string, weight = 1): void {
    this.total += weight;
    const counter = this.counters.get(value);
    if (counter !== undefined) {
      this.counters.set(value, counter + weight);
      return;
    }
    let remaining = weight;
    if (weight === 1 && this.counters.size >= this.capacity) {
      if (++this.skipped < ADMIT_EVERY) return;
      remaining = this.skipped;
      this.skipped = 0;
    }
    while (remaining > 0 && this.counters.size >= 2 * this.capacity) {
      // A typed array sorts numbers natively, without a comparator call per comparison.
      const counts = Float64Array.from(this.counters.values()).sort();
      const subtracted = Math.min(counts[this.capacity - 1] as number, remaining);
      for (const [key, count] of this.counters) {
        if (count <= subtracted) this.counters.delete(key);
        else this.counters.set(key, count - subtracted);
      }
      remaining -= subtracted;
      this.undercount += subtracted;
    }
    if (remaining > 0) this.counters.set(value, remaining);
  }

  /** The `k` largest counters (at most `capacity`: those the bound speaks for), largest first, ties by value. */
  top(k: number): Counted[] {
    return [...this.counters]
      .map(([value, count]) => ({ value, count }))
      .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
      .slice(0, Math.min(k, this.capacity));
  }

  /** A summary as another process published it: its counters (top(capacity)), total and undercount, exactly. */
  static restore(capacity: number, counted: readonly Counted[], total: number, undercount: number): FrequentValues {
    const summary = new FrequentValues(capacity);
    for (const { value, count } of counted.slice(0, 2 * capacity)) summary.counters.set(value, count);
    summary.total = total;
    summary.undercount = undercount;
    return summary;
  }

  /** Adds another summary's counters (merging report slices); the result keeps this one's bound. */
  merge(other: FrequentValues): void {
    const held = other.top(other.capacity);
    let heldTotal = 0;
    for (const { value, count } of held) {
      this.add(value, count);
      heldTotal += count;
    }
    // The other's total also covers what it subtracted; its counters' bound carries over.
    this.total += other.total - heldTotal;
    this.undercount += other.undercount;
  }
}
