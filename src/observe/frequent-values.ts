/**
 * The most frequent values of a stream in bounded memory (Misra and Gries' frequent-items algorithm, with batched
 * decrements): up to twice `capacity` counters; a value that finds them all taken subtracts the median count
 * from every counter (or its own weight, if smaller), which frees at least half of them. Each pass takes the
 * subtracted amount from at least `capacity + 1` counters, so any value whose share of the stream exceeds
 * 1/(capacity + 1) is always held, and a held value's count falls short of its true count by at most
 * `undercount`. A pass costs a sort of the counters but frees `capacity` of them, so adding a value costs
 * O(log capacity) amortised however many distinct values (keys) the stream has: a stream of all-distinct keys (a
 * table read at random) no longer pays a pass over every counter per request, as the one-at-a-time form does.
 */
export interface Counted {
  readonly value: string;
  /** At most the true count, and at least the true count less `undercount`. */
  readonly count: number;
}

export class FrequentValues {
  private readonly counters = new Map<string, number>();
  /** Everything added, held or not. */
  total = 0;
  /** How much was subtracted from every counter so far: the largest possible undercount of a held value. */
  undercount = 0;

  constructor(readonly capacity: number) {}

  add(value: string, weight = 1): void {
    this.total += weight;
    const counter = this.counters.get(value);
    if (counter !== undefined) {
      this.counters.set(value, counter + weight);
      return;
    }
    let remaining = weight;
    while (remaining > 0 && this.counters.size >= 2 * this.capacity) {
      const counts = [...this.counters.values()].sort((a, b) => a - b);
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
