/**
 * The most frequent values of a stream in bounded memory (Metwally et al.'s space-saving algorithm): at most
 * `capacity` counters; a value not counted takes over the smallest counter, inheriting its count as its possible
 * overcount (`error`). Any value whose true count exceeds total/capacity is guaranteed to be held, so the hot keys
 * of a workload are found exactly while cold ones cost nothing.
 */
export interface Counted {
  readonly value: string;
  readonly count: number;
  /** How much of `count` may belong to values this one displaced. */
  readonly error: number;
}

export class SpaceSaving {
  private readonly counters = new Map<string, { count: number; error: number }>();
  total = 0;

  constructor(readonly capacity: number) {}

  add(value: string, weight = 1): void {
    this.total += weight;
    const counter = this.counters.get(value);
    if (counter !== undefined) {
      counter.count += weight;
      return;
    }
    if (this.counters.size < this.capacity) {
      this.counters.set(value, { count: weight, error: 0 });
      return;
    }
    let smallestKey: string | undefined;
    let smallest: { count: number; error: number } | undefined;
    for (const [key, entry] of this.counters) {
      if (smallest === undefined || entry.count < smallest.count) {
        smallest = entry;
        smallestKey = key;
      }
    }
    if (smallestKey === undefined || smallest === undefined) return;
    this.counters.delete(smallestKey);
    this.counters.set(value, { count: smallest.count + weight, error: smallest.count });
  }

  /** The `k` largest counters, largest first (ties by value, for a stable report). */
  top(k: number): Counted[] {
    return [...this.counters]
      .map(([value, { count, error }]) => ({ value, count, error }))
      .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
      .slice(0, k);
  }

  /** Adds another sketch's counters (merging report slices; the result keeps this sketch's bound). */
  merge(other: SpaceSaving): void {
    for (const { value, count } of other.top(other.capacity)) this.add(value, count);
    // `add` counted the other's held counts; its total also covers values it no longer holds.
    this.total += other.total - other.top(other.capacity).reduce((sum, entry) => sum + entry.count, 0);
  }
}
