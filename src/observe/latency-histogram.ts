/**
 * Latencies for the report's p50 and p99, in bounded memory: counts in logarithmic buckets 10% wide from 10 µs
 * (a quantile is reported as its bucket's upper bound, so at most 10% high), mergeable across report slices.
 */
const FIRST_MS = 0.01;
const GROWTH = 1.1;
const BUCKETS = 200;
const LOG_GROWTH = Math.log(GROWTH);

export class LatencyHistogram {
  private readonly counts = new Uint32Array(BUCKETS);
  count = 0;

  add(ms: number): void {
    const bucket = ms <= FIRST_MS ? 0 : Math.min(BUCKETS - 1, Math.ceil(Math.log(ms / FIRST_MS) / LOG_GROWTH));
    this.counts[bucket] = (this.counts[bucket] ?? 0) + 1;
    this.count++;
  }

  merge(other: LatencyHistogram): void {
    for (let bucket = 0; bucket < BUCKETS; bucket++) this.counts[bucket] = (this.counts[bucket] ?? 0) + (other.counts[bucket] ?? 0);
    this.count += other.count;
  }

  /** The non-empty buckets, as bucket and count pairs one after the other (a report slice other processes read). */
  pairs(): number[] {
    const pairs: number[] = [];
    for (let bucket = 0; bucket < BUCKETS; bucket++) {
      const count = this.counts[bucket] ?? 0;
      if (count > 0) pairs.push(bucket, count);
    }
    return pairs;
  }

  /** A histogram from pairs(); pairs out of range are ignored. */
  static fromPairs(pairs: readonly number[]): LatencyHistogram {
    const histogram = new LatencyHistogram();
    for (let at = 0; at + 1 < pairs.length; at += 2) {
      const bucket = pairs[at] as number;
      const count = pairs[at + 1] as number;
      if (!Number.isInteger(bucket) || bucket < 0 || bucket >= BUCKETS || !(count > 0)) continue;
      histogram.counts[bucket] = (histogram.counts[bucket] ?? 0) + count;
      histogram.count += count;
    }
    return histogram;
  }

  /** The latency (ms) below which a fraction `q` of the requests fell; 0 without requests. */
  quantile(q: number): number {
    if (this.count === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let bucket = 0; bucket < BUCKETS; bucket++) {
      seen += this.counts[bucket] ?? 0;
      if (seen >= rank) return FIRST_MS * GROWTH ** bucket;
    }
    return FIRST_MS * GROWTH ** (BUCKETS - 1);
  }
}
