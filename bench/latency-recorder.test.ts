import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LatencyRecorder } from './latency-recorder.js';

describe('LatencyRecorder', () => {
  it('reads nearest-rank percentiles of fractional samples', () => {
    const recorder = new LatencyRecorder(4);
    // 1..100 ms in reverse order: p50 is the 50th smallest, p99 the 99th.
    for (let ms = 100; ms >= 1; ms--) recorder.record(ms + 0.25);
    assert.equal(recorder.size, 100);
    assert.deepEqual(recorder.percentiles([0.5, 0.99, 1, 0]), [50.25, 99.25, 100.25, 1.25]);
  });

  it('grows past its initial capacity without losing samples', () => {
    const recorder = new LatencyRecorder(2);
    for (const ms of [5, 1, 4, 2, 3]) recorder.record(ms);
    assert.deepEqual(recorder.percentiles([0.2, 0.6, 1]), [1, 3, 5]);
  });

  it('forgets samples on reset', () => {
    const recorder = new LatencyRecorder(8);
    recorder.record(7);
    recorder.reset();
    recorder.record(2);
    assert.deepEqual(recorder.percentiles([0.5]), [2]);
  });

  it('answers NaN when nothing was recorded', () => {
    const [p50] = new LatencyRecorder(1).percentiles([0.5]);
    assert.ok(Number.isNaN(p50));
  });
});
