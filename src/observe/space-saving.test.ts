import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SpaceSaving } from './space-saving.js';

test('exact counts while the values fit, largest first, ties by value', () => {
  const sketch = new SpaceSaving(4);
  for (const value of ['b', 'a', 'b', 'c', 'b', 'a']) sketch.add(value);
  assert.equal(sketch.total, 6);
  assert.deepEqual(sketch.top(2), [
    { value: 'b', count: 3, error: 0 },
    { value: 'a', count: 2, error: 0 },
  ]);
});

test('a hot value is kept among many cold ones, with memory bounded by the capacity', () => {
  const sketch = new SpaceSaving(8);
  for (let i = 0; i < 1000; i++) {
    sketch.add('hot');
    sketch.add(`cold${i}`);
  }
  assert.equal(sketch.total, 2000);
  const [top] = sketch.top(1);
  assert.equal(top?.value, 'hot');
  // The guarantee: a held value's count overestimates its true count by at most its error.
  assert.ok(top !== undefined && top.count - top.error <= 1000 && top.count >= 1000);
  assert.equal(sketch.top(100).length, 8);
});

test('merging adds counts and totals', () => {
  const a = new SpaceSaving(4);
  const b = new SpaceSaving(4);
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
