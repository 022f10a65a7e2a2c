/**
 * How much an on-demand table (or index) can serve at once. DynamoDB: "On-demand capacity mode instantly
 * accommodates up to double the previous peak traffic on a table", new tables start as if their previous peak
 * were half of 12,000 read / 4,000 write units a second (their warm throughput), and "throttling can occur if you
 * exceed double your previous peak within 30 minutes".
 *
 * Modelled so: the peak is the highest average rate served over one window (a minute); a peak becomes the
 * "previous peak" once `followDelayMs` (30 minutes by default) of capacity time has passed since its window
 * closed; the ceiling is the larger of the warm throughput and twice the previous peak. So a table pushed past
 * its ceiling serves its ceiling, and half an hour later twice that, until capacity has followed the demand.
 * A ceiling never comes down: "once your on-demand table is scaled out, you can instantly achieve the same
 * throughput again in the future".
 */
export interface CeilingPolicy {
  /** The window a peak rate is averaged over (default one minute). */
  readonly windowMs: number;
  /** How long after it is reached a peak starts to count (default 30 minutes). */
  readonly followDelayMs: number;
}

export const DEFAULT_CEILING_POLICY: CeilingPolicy = { windowMs: 60_000, followDelayMs: 30 * 60_000 };

export class OnDemandCeiling {
  private windowStart: number;
  private windowUnits = 0;
  /** The highest peak that already counts. */
  private previousPeak = 0;
  /** Peaks waiting to count, in time order and increasing rate (a lower later one could never matter). */
  private readonly pending: { effectiveAt: number; rate: number }[] = [];

  constructor(
    /** Units a second the table serves at once whatever its history (its warm throughput). */
    private warm: number,
    now: number,
    private readonly policy: CeilingPolicy = DEFAULT_CEILING_POLICY,
  ) {
    this.windowStart = now;
  }

  /** Counts units served. */
  record(units: number, now: number): void {
    this.roll(now);
    this.windowUnits += units;
  }

  /** Units a second the table can serve at `now`. */
  ceiling(now: number): number {
    this.roll(now);
    while (this.pending.length > 0 && (this.pending[0] as { effectiveAt: number }).effectiveAt <= now) {
      const next = this.pending.shift() as { rate: number };
      if (next.rate > this.previousPeak) this.previousPeak = next.rate;
    }
    return Math.max(this.warm, 2 * this.previousPeak);
  }

  /** The highest rate served so far, counted or not (WarmThroughput follows it). */
  highestPeak(): number {
    const last = this.pending[this.pending.length - 1];
    return Math.max(this.previousPeak, last === undefined ? 0 : last.rate);
  }

  /** Raises the warm throughput (UpdateTable WarmThroughput, or a switch from provisioned mode); never lowers it. */
  raiseWarm(units: number): void {
    if (units > this.warm) this.warm = units;
  }

  get warmUnits(): number {
    return this.warm;
  }

  private roll(now: number): void {
    const { windowMs, followDelayMs } = this.policy;
    if (now - this.windowStart < windowMs) return;
    const rate = this.windowUnits / (windowMs / 1000);
    const closedAt = this.windowStart + windowMs;
    const last = this.pending[this.pending.length - 1];
    if (rate > this.previousPeak && (last === undefined || rate > last.rate)) {
      this.pending.push({ effectiveAt: closedAt + followDelayMs, rate });
    }
    this.windowStart += Math.floor((now - this.windowStart) / windowMs) * windowMs;
    this.windowUnits = 0;
  }
}
