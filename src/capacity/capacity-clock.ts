/**
 * The capacity clock: the time that DynamoDB's capacity model runs on. DynamoDB spreads capacity behaviour over
 * minutes and hours (300 s of burst credit, on-demand capacity that follows a new peak within 30 minutes, a hot
 * partition split after minutes of heat), so the model never reads the wall clock itself: it is given a clock.
 * The server runs it at `--capacity-time-scale N` (N seconds of DynamoDB time per wall-clock second); tests
 * drive a manual clock and run hours of capacity time in milliseconds, never sleeping.
 */
export interface CapacityClock {
  /** Milliseconds of capacity time (an epoch-like number; only differences matter). */
  now(): number;
}

/**
 * The wall clock, sped up `scale` times: capacity time starts at the wall time of the call and then advances
 * `scale` milliseconds per wall-clock millisecond.
 */
export function scaledClock(scale = 1, wallNow: () => number = Date.now): CapacityClock {
  if (!(scale > 0) || !Number.isFinite(scale)) throw new RangeError(`capacity time scale must be a positive number, got ${scale}`);
  const start = wallNow();
  if (scale === 1) return { now: wallNow };
  return { now: () => start + (wallNow() - start) * scale };
}

/** A clock that moves only when told to (tests and scenario drivers). */
export class ManualClock implements CapacityClock {
  constructor(private current = 0) {}

  now(): number {
    return this.current;
  }

  advance(milliseconds: number): void {
    if (milliseconds < 0) throw new RangeError('a manual clock only moves forward');
    this.current += milliseconds;
  }
}
