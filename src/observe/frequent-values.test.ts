import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrequentValues, valueHash } from './frequent-values.js';

/** A seeded generator (xorshift), so that a test always draws the same sample. */
function seededRandom(): () => number {
  let state = 0x2545f491;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x100000000;
  };
}

test('exact counts while the values fit, largest first, ties by value', () => {
  const values = new FrequentValues(4);
  for (const value of ['b', 'a', 'b', 'c', 'b', 'a']) values.add(value);
  assert.equal(values.total, 6);
  assert.equal(values.undercount, 0);
  assert.deepEqual(values.top(2), [
    { value: 'b', count: 3 },
    { value: 'a', count: 2 },
  ]);
});

test('a hot value is kept among many distinct cold ones, within the bound, in bounded memory', () => {
  const values = new FrequentValues(8, seededRandom());
  for (let i = 0; i < 1000; i++) {
    values.add('hot');
    values.add(`cold${i}`);
  }
  assert.equal(values.total, 2000);
  const [top] = values.top(1);
  assert.equal(top?.value, 'hot');
  // Half the stream: at most total / (capacity + 1) short of its 1,000, give or take the sample's error.
  assert.ok(top !== undefined && top.count <= 1000 + 150 && top.count >= 1000 - values.undercount - 150, `hot ${top?.count}`);
  assert.ok(values.undercount <= 2000 / 9);
  assert.ok(values.top(100).length <= 8);
});

test('a weighted value that finds the counters taken subtracts only what it needs', () => {
  // Capacity 1: two counters before a pass.
  const values = new FrequentValues(1);
  values.add('a', 5);
  values.add('b', 2);
  values.add('c', 3);
  // c subtracts 2 (b's count): b goes, a keeps 3, c holds its remaining 1.
  assert.deepEqual(values.top(3), [{ value: 'a', count: 3 }]);
  assert.equal(values.undercount, 2);
  assert.equal(values.total, 10);
});

test('merging adds counts and totals', () => {
  const a = new FrequentValues(4);
  const b = new FrequentValues(4);
  for (const value of ['x', 'x', 'y']) a.add(value);
  for (const value of ['x', 'z']) b.add(value);
  a.merge(b);
  assert.equal(a.total, 5);
  assert.deepEqual(a.top(3).map(({ value, count }) => [value, count]), [
    ['x', 3],
    ['y', 1],
    ['z', 1],
  ]);
});

test('a stream of distinct values keeps at most twice the capacity in counters and a hot value on top', () => {
  const values = new FrequentValues(16);
  for (let i = 0; i < 100_000; i++) {
    values.add(`k${i}`);
    if (i % 10 === 0) values.add('hot');
  }
  assert.equal(values.top(1)[0]?.value, 'hot');
  assert.ok(values.undercount <= values.total / 17, `undercount ${values.undercount}`);
  assert.ok(values.top(100).length <= 16);
});

test('once capacity values are held, an arrival is counted one time in eight, with a weight of eight', () => {
  // The sample's draws, in order: below 1/8 counts the arrival.
  const draws = [0.5, 0.9, 0.1, 0.2, 0.05];
  const values = new FrequentValues(2, () => draws.shift() ?? 0.99);
  values.add('a');
  values.add('b');
  // Two values (the capacity) are held: an arrival drawn at 1/8 or above is only in the total.
  values.add('cold'); // 0.5
  values.add('a'); // 0.9
  assert.deepEqual(values.top(3), [
    { value: 'a', count: 1 },
    { value: 'b', count: 1 },
  ]);
  values.add('late'); // 0.1: counted, weight 8
  values.add('a'); // 0.2
  values.add('a'); // 0.05: counted, weight 8
  // top() lists at most `capacity` values: b, with 1, is held but not listed.
  assert.deepEqual(values.top(3), [
    { value: 'a', count: 9 },
    { value: 'late', count: 8 },
  ]);
  assert.equal(values.total, 7);
  assert.equal(values.undercount, 0);
  // Weighted adds (merges) are never sampled.
  values.add('merged', 5);
  assert.deepEqual(values.top(2), [
    { value: 'a', count: 9 },
    { value: 'late', count: 8 },
  ]);
  assert.equal(values.total, 12);
});

test('sampled counts estimate a hot value among a million random arrivals within a few percent', () => {
  const random = seededRandom();
  const values = new FrequentValues(256, random);
  for (let i = 0; i < 1_000_000; i++) values.add(i % 100 === 0 ? 'hot' : `k${Math.floor(random() * 50_000)}`);
  assert.equal(values.total, 1_000_000);
  const [top] = values.top(1);
  assert.equal(top?.value, 'hot');
  // Short of its 10,000 by at most what passes subtracted (Misra and Gries), give or take the sample's error.
  assert.ok(top !== undefined && top.count <= 10_000 + 600 && top.count >= 10_000 - values.undercount - 600, `hot ${top?.count}, undercount ${values.undercount}`);
});

test('values are counted by their hash: the hash of FNV-1a, as a signed 32-bit integer', () => {
  assert.equal(valueHash(''), 0x811c9dc5 | 0);
  assert.equal(valueHash('a'), 0xe40c292c | 0);
  assert.equal(valueHash('foobar'), 0xbf9cf968 | 0);
});
