import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OnDemandCeiling } from './on-demand-ceiling.js';

const MINUTE = 60_000;

test('the ceiling is the warm throughput until a peak counts, then twice the previous peak, and never comes down', () => {
  const ceiling = new OnDemandCeiling(4000, 0);
  assert.equal(ceiling.ceiling(0), 4000);
  // A minute at 3,000 units a second: a peak of 3,000, which counts 30 minutes after its window closed.
  for (let second = 0; second < 60; second++) ceiling.record(3000, second * 1000);
  assert.equal(ceiling.ceiling(MINUTE), 4000);
  assert.equal(ceiling.highestPeak(), 3000);
  assert.equal(ceiling.ceiling(MINUTE + 30 * MINUTE - 1), 4000);
  assert.equal(ceiling.ceiling(MINUTE + 30 * MINUTE), 6000);
  // Idle for a day: the table still serves its scaled-out ceiling at once.
  assert.equal(ceiling.ceiling(24 * 60 * MINUTE), 6000);
  ceiling.raiseWarm(10_000);
  assert.equal(ceiling.ceiling(24 * 60 * MINUTE), 10_000);
  ceiling.raiseWarm(5);
  assert.equal(ceiling.warmUnits, 10_000);
});

test('a lower peak reached later never replaces a higher one waiting to count', () => {
  const ceiling = new OnDemandCeiling(100, 0);
  for (let second = 0; second < 60; second++) ceiling.record(500, second * 1000);
  for (let second = 60; second < 120; second++) ceiling.record(200, second * 1000);
  assert.equal(ceiling.ceiling(2 * MINUTE + 30 * MINUTE), 1000);
  assert.equal(ceiling.highestPeak(), 500);
});
