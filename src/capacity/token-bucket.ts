/**
 * A token bucket in capacity units: it fills at `rate` units per second up to `size` units. DynamoDB admits a
 * request when the buckets it touches are not in debt, and then charges what the request actually consumed,
 * which may take a bucket below zero: the cost of a Query or Scan is only known once it has read, and a write's
 * cost depends on the item it replaces. A bucket in debt throttles until refilling pays the debt back. This is
 * why a machine's speed never changes the outcome: admission depends only on capacity time and on what was
 * charged, not on how fast requests are served.
 */
export class TokenBucket {
  private balance: number;
  private updatedAt: number;

  constructor(
    /** Units per second. */
    private rate: number,
    /** The most the bucket holds: rate × seconds of credit it may bank. */
    private size: number,
    now: number,
    /** A new bucket starts full unless told otherwise. */
    initial = size,
  ) {
    this.balance = Math.min(initial, size);
    this.updatedAt = now;
  }

  get unitsPerSecond(): number {
    return this.rate;
  }

  get capacity(): number {
    return this.size;
  }

  /** The balance at `now` (negative while in debt). */
  available(now: number): number {
    this.refill(now);
    return this.balance;
  }

  /** True when a request may start: the bucket holds at least `minimum` units (by default: it is not in debt). */
  admits(now: number, minimum = Number.MIN_VALUE): boolean {
    return this.available(now) >= minimum;
  }

  /** Charges consumed units; the balance may go below zero. */
  charge(units: number, now: number): void {
    this.refill(now);
    this.balance -= units;
  }

  /**
   * Changes the rate and size (UpdateTable, an on-demand table scaling out, a partition split). Credit already
   * banked is kept up to the new size; a debt is kept as it is.
   */
  resize(rate: number, size: number, now: number): void {
    this.refill(now);
    this.rate = rate;
    this.size = size;
    if (this.balance > size) this.balance = size;
  }

  /** Sets the balance (a split hands each half its share of the parent's credit). */
  setBalance(balance: number, now: number): void {
    this.refill(now);
    this.balance = Math.min(balance, this.size);
  }

  private refill(now: number): void {
    const elapsed = now - this.updatedAt;
    if (elapsed <= 0) return;
    this.updatedAt = now;
    if (this.balance >= this.size) return;
    this.balance = Math.min(this.size, this.balance + (elapsed / 1000) * this.rate);
  }
}
