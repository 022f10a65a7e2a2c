import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LatencyHistogram } from './latency-histogram.js';

test('quantiles are within 10% above the true value, and histograms merge', () => {
  const histogram = new LatencyHistogram();
  assert.equal(histogram.quantile(0.5), 0);
  for (let i = 1; i <= 100; i++) histogram.add(i);
  const p50 = histogram.quantile(0.5);
  const p99 = histogram.quantile(0.99);
  assert.ok(p50 >= 50 && p50 <= 55, `p50 ${p50}`);
  assert.ok(p99 >= 99 && p99 <= 109, `p99 ${p99}`);
  const other = new LatencyHistogram();
  for (let i = 0; i < 100; i++) other.add(1000);
  histogram.merge(other);
  assert.equal(histogram.count, 200);
  assert.ok(histogram.quantile(0.99) >= 1000 && histogram.quantile(0.99) <= 1100);
  // Below the first bucket and past the last.
  const extremes = new LatencyHistogram();
  extremes.add(0);
  extremes.add(1e12);
  assert.equal(extremes.quantile(0.5), 0.01);
  assert.ok(extremes.quantile(1) > 1e6);
});
