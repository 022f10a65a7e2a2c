/**
 * Exact latency percentiles. autocannon's own histogram counts whole milliseconds, which flattens a loopback
 * server's sub-millisecond p50 to 0 or 1; here every response time (fractional ms) goes into one preallocated
 * typed array, reused across measurements, and percentiles are read from the sorted samples.
 */
export class LatencyRecorder {
  private samples: Float64Array;
  private count = 0;

  constructor(initialCapacity = 1 << 20) {
    this.samples = new Float64Array(initialCapacity);
  }

  /** Called per response: no allocation unless the buffer must grow (doubling, so rarely). */
  record(milliseconds: number): void {
    if (this.count === this.samples.length) {
      const grown = new Float64Array(this.samples.length * 2);
      grown.set(this.samples);
      this.samples = grown;
    }
    this.samples[this.count++] = milliseconds;
  }

  get size(): number {
    return this.count;
  }

  /** Forgets the samples (keeps the buffer) before the next measurement. */
  reset(): void {
    this.count = 0;
  }

  /**
   * The nearest-rank percentiles (`fractions` in [0, 1], e.g. 0.5 and 0.99) of the recorded samples, in the order
   * asked; NaN for each when nothing was recorded. Sorts the samples in place.
   */
  percentiles(fractions: readonly number[]): number[] {
    if (this.count === 0) return fractions.map(() => Number.NaN);
    const sorted = this.samples.subarray(0, this.count).sort();
    return fractions.map((fraction) => {
      const rank = Math.min(this.count, Math.max(1, Math.ceil(fraction * this.count)));
      return sorted[rank - 1] ?? Number.NaN;
    });
  }
}
