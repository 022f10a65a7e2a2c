/**
 * The few statistics the report needs. The machine is shared and noisy, so every figure is a median over rounds,
 * and ratios are taken per round between runs measured back to back (paired), which cancels slow drifts in the
 * machine's load better than a ratio of two medians.
 */

/** The median of `values` (mean of the two middle values for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const upper = sorted[middle] ?? Number.NaN;
  if (sorted.length % 2 === 1) return upper;
  const lower = sorted[middle - 1] ?? Number.NaN;
  return (lower + upper) / 2;
}

/**
 * Per-round ratios `candidate[i] / baseline[i]` for the rounds both have, skipping rounds where the baseline
 * measured nothing (a zero would make the ratio infinite, not informative).
 */
export function pairedRatios(candidate: readonly number[], baseline: readonly number[]): number[] {
  const ratios: number[] = [];
  const rounds = Math.min(candidate.length, baseline.length);
  for (let i = 0; i < rounds; i++) {
    const c = candidate[i];
    const b = baseline[i];
    if (c === undefined || b === undefined || !(b > 0)) continue;
    ratios.push(c / b);
  }
  return ratios;
}

/** The median of the per-round ratios `candidate[i] / baseline[i]`, leaving out rounds not measured (NaN). */
export function pairedMedian(candidate: readonly number[], baseline: readonly number[]): number {
  return median(pairedRatios(candidate, baseline).filter(Number.isFinite));
}

/** `min–max` spread, to show how noisy a median is. */
export function spread(values: readonly number[]): { min: number; max: number } {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const value of values) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return values.length === 0 ? { min: Number.NaN, max: Number.NaN } : { min, max };
}

/** Whole requests per second with thousands separators, e.g. `12,345`. */
export function formatRate(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return Math.round(value).toLocaleString('en-US');
}

/** A ratio as `0.73x`. */
export function formatRatio(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}x` : 'n/a';
}

/** Milliseconds with a precision that suits the magnitude: `0.42 ms`, `12.3 ms`, `1,234 ms`. */
export function formatMs(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (value < 10) return `${value.toFixed(2)} ms`;
  if (value < 100) return `${value.toFixed(1)} ms`;
  return `${Math.round(value).toLocaleString('en-US')} ms`;
}

/** KiB as MiB, e.g. `48.2 MiB`. */
export function formatKbAsMib(kb: number | undefined): string {
  return kb === undefined || !Number.isFinite(kb) ? 'n/a' : `${(kb / 1024).toFixed(1)} MiB`;
}
