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
 * Sampled counting: once `capacity` values are held (half the counters), a single arrival is counted only with
 * probability 1/SAMPLE_EVERY, and then with the weight SAMPLE_EVERY (`total` still counts every arrival). A table
 * read at random over many keys then costs a lookup only every SAMPLE_EVERY requests, and passes are that much
 * rarer (a pass leaves at most `capacity` counters, so sampling goes on after it). The sample is random, not every
 * n-th arrival, so that no pattern of arrivals can hide in its gaps. The counts become estimates, within a few
 * percent for any value whose share is large enough to matter (a value with 1% of a million arrivals is
 * counted within about 3%); a value whose share stays well above 1/(capacity + 1) is found as before. Until
 * `capacity` values are held, and for weighted adds (merges), every value is counted exactly as above.
 *
 * Counters are kept by a 32-bit hash of the value (valueHash), which the caller may compute while the value is
 * still in the processor's cache: a request's key is noted while the request runs but counted a turn of the event
 * loop later, and reading its string then (to hash it, then to compare it) was the largest single cost of counting
 * it. The value itself is kept only when its counter is created. Two values with the same hash would share a
 * counter, under the first one's name: with a few hundred counters, a chance of about one in ten million.
 */
const SAMPLE_EVERY = 8;

/** FNV-1a over the value's UTF-16 code units, as a signed 32-bit integer (a small integer for V8's maps). */
export function valueHash(value: string): number {
  let hash = 0x811c9dc5;
  for (let at = 0; at < value.length; at++) hash = Math.imul(hash ^ value.charCodeAt(at), 0x01000193);
  return hash | 0;
}

export interface Counted {
  readonly value: string;
  /** The value's count: exact while fewer than `capacity` values were held; an estimate after (see above). */
  readonly count: number;
}

export class FrequentValues {
  /** Counts by valueHash. */
  private readonly counters = new Map<number, number>();
  /** The value each counter counts, by the same hash. */
  private readonly values = new Map<number, string>();
  /** Everything added, held or not. */
  total = 0;
  /** How much was subtracted from every counter so far by passes. */
  undercount = 0;

  constructor(
    readonly capacity: number,
    /** Uniform in [0, 1): which arrivals the sample counts once the counters are half taken (tests pass their own). */
    private readonly random: () => number = Math.random,
  ) {}

  /** Counts `value` (`hash`: its valueHash, when the caller has it already). */
  add(value: string, weight = 1, hash = valueHash(value)): void {
    this.total += weight;
    let remaining = weight;
    if (weight === 1 && this.counters.size >= this.capacity) {
      if (this.random() * SAMPLE_EVERY >= 1) return;
      remaining = SAMPLE_EVERY;
    }
    const counter = this.counters.get(hash);
    if (counter !== undefined) {
      this.counters.set(hash, counter + remaining);
      return;
    }
    while (remaining > 0 && this.counters.size >= 2 * this.capacity) {
      // A typed array sorts numbers natively, without a comparator call per comparison.
      const counts = Float64Array.from(this.counters.values()).sort();
      const subtracted = Math.min(counts[this.capacity - 1] as number, remaining);
      for (const [key, count] of this.counters) {
        if (count > subtracted) {
          this.counters.set(key, count - subtracted);
          continue;
        }
        this.counters.delete(key);
        this.values.delete(key);
      }
      remaining -= subtracted;
      this.undercount += subtracted;
    }
    if (remaining > 0) {
      this.counters.set(hash, remaining);
      this.values.set(hash, value);
    }
  }

  /** The `k` largest counters (at most `capacity`: those the bound speaks for), largest first, ties by value. */
  top(k: number): Counted[] {
    return [...this.counters]
      .map(([hash, count]) => ({ value: this.values.get(hash) as string, count }))
      .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
      .slice(0, Math.min(k, this.capacity));
  }

  /** A summary as another process published it: its counters (top(capacity)), total and undercount, exactly. */
  static restore(capacity: number, counted: readonly Counted[], total: number, undercount: number): FrequentValues {
    const summary = new FrequentValues(capacity);
    for (const { value, count } of counted.slice(0, 2 * capacity)) {
      const hash = valueHash(value);
      summary.counters.set(hash, (summary.counters.get(hash) ?? 0) + count);
      if (!summary.values.has(hash)) summary.values.set(hash, value);
    }
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
