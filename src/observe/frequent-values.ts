/**
 * The most frequent values of a stream in bounded memory (Misra and Gries' frequent-items algorithm): at most
 * `capacity` counters; a value that finds them all taken subtracts from every counter until one frees up (or its
 * own weight is used up), so any value whose share of the stream exceeds 1/(capacity + 1) is always held, and a
 * held value's count falls short of its true count by at most `undercount`. Each subtraction pass costs
 * `capacity` steps but can only take back what earlier additions put in, so adding a value costs O(1) amortised,
 * however many distinct values (keys) the stream has.
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
    while (remaining > 0 && this.counters.size >= this.capacity) {
      let smallest = remaining;
      for (const count of this.counters.values()) if (count < smallest) smallest = count;
      for (const [key, count] of this.counters) {
        if (count === smallest) this.counters.delete(key);
        else this.counters.set(key, count - smallest);
      }
      remaining -= smallest;
      this.undercount += smallest;
    }
    if (remaining > 0) this.counters.set(value, remaining);
  }

  /** The `k` largest counters, largest first (ties by value, for a stable report). */
  top(k: number): Counted[] {
    return [...this.counters]
      .map(([value, count]) => ({ value, count }))
      .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
      .slice(0, k);
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
