import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatKbAsMib, formatMs, formatRate, formatRatio, median, pairedMedian, pairedRatios, spread } from './stats.js';

describe('median', () => {
  const cases: { values: number[]; expected: number }[] = [
    { values: [3], expected: 3 },
    { values: [5, 1, 3], expected: 3 },
    { values: [4, 1, 3, 2], expected: 2.5 },
    { values: [10, 10, 1, 1000], expected: 10 },
  ];
  for (const { values, expected } of cases) {
    it(`of [${values.join(', ')}] is ${expected}`, () => assert.equal(median(values), expected));
  }
  it('is NaN for no values', () => assert.ok(Number.isNaN(median([]))));
  it('does not reorder its input', () => {
    const values = [3, 1, 2];
    median(values);
    assert.deepEqual(values, [3, 1, 2]);
  });
});

describe('pairedRatios', () => {
  it('divides round by round', () => assert.deepEqual(pairedRatios([50, 30], [100, 60]), [0.5, 0.5]));
  it('stops at the shorter series', () => assert.deepEqual(pairedRatios([10, 20, 30], [20, 40]), [0.5, 0.5]));
  it('skips rounds where the baseline measured nothing', () => assert.deepEqual(pairedRatios([10, 20], [0, 40]), [0.5]));
});

describe('spread', () => {
  it('finds min and max', () => assert.deepEqual(spread([3, 9, 1, 4]), { min: 1, max: 9 }));
  it('is NaN for no values', () => {
    const { min, max } = spread([]);
    assert.ok(Number.isNaN(min) && Number.isNaN(max));
  });
});

describe('formatting', () => {
  const cases: { actual: string; expected: string }[] = [
    { actual: formatRate(12345.6), expected: '12,346' },
    { actual: formatRate(Number.NaN), expected: 'n/a' },
    { actual: formatRatio(0.654), expected: '0.65x' },
    { actual: formatRatio(Number.POSITIVE_INFINITY), expected: 'n/a' },
    { actual: formatMs(0.4249), expected: '0.42 ms' },
    { actual: formatMs(12.34), expected: '12.3 ms' },
    { actual: formatMs(1234.4), expected: '1,234 ms' },
    { actual: formatKbAsMib(49_357), expected: '48.2 MiB' },
    { actual: formatKbAsMib(undefined), expected: 'n/a' },
  ];
  for (const { actual, expected } of cases) it(`renders ${expected}`, () => assert.equal(actual, expected));
});

it('pairedMedian: the median of the rounds\' ratios, rounds not measured (NaN) or with nothing to divide by left out', () => {
  assert.equal(pairedMedian([2, 6, 3], [1, 2, 1]), 3);
  assert.equal(pairedMedian([Number.NaN, 4, 9], [1, 2, 3]), 2.5);
  assert.equal(pairedMedian([5, 4], [0, 2]), 2);
  assert.ok(Number.isNaN(pairedMedian([], [])));
});
