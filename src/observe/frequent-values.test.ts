import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrequentValues } from './frequent-values.js';

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
  const values = new FrequentValues(8);
  for (let i = 0; i < 1000; i++) {
    values.add('hot');
    values.add(`cold${i}`);
  }
  assert.equal(values.total, 2000);
  const [top] = values.top(1);
  assert.equal(top?.value, 'hot');
  // Half the stream: at most total / (capacity + 1) short of its 1,000.
  assert.ok(top !== undefined && top.count <= 1000 && top.count >= 1000 - values.undercount, `hot ${top?.count}`);
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

test('once capacity values are held, one miss in eight is admitted with the weight of the seven skipped before it', () => {
  const values = new FrequentValues(2);
  for (const value of ['a', 'b', 'a']) values.add(value);
  // Two values (the capacity) are held: seven misses are skipped, the eighth carries all eight.
  for (let i = 0; i < 7; i++) values.add(`cold${i}`);
  assert.deepEqual(values.top(3), [
    { value: 'a', count: 2 },
    { value: 'b', count: 1 },
  ]);
  values.add('late');
  assert.deepEqual(values.top(3), [
    { value: 'late', count: 8 },
    { value: 'a', count: 2 },
  ]);
  assert.equal(values.total, 11);
  assert.equal(values.undercount, 0);
  // A held value is counted exactly from then on; a miss that is not the eighth is skipped.
  values.add('late');
  values.add('other');
  assert.deepEqual(values.top(3), [
    { value: 'late', count: 9 },
    { value: 'a', count: 2 },
  ]);
  assert.equal(values.total, 13);
});
