import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CommitQueue } from './commit-queue.js';

test('jobs start alone while slots are free; those that wait go together into the next free slot, at most maxBatch at a time', async () => {
  const batches: number[][] = [];
  const finishers: (() => void)[] = [];
  const queue = new CommitQueue<number>(2, 3, (batch) => {
    batches.push(batch);
    return new Promise<void>((resolve) => finishers.push(resolve));
  });
  queue.add(1);
  queue.add(2);
  for (const job of [3, 4, 5, 6, 7]) queue.add(job);
  assert.deepEqual(batches, [[1], [2]]);
  finishers[0]?.();
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(batches, [[1], [2], [3, 4, 5]]);
  finishers[1]?.();
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(batches, [[1], [2], [3, 4, 5], [6, 7]]);
  finishers[2]?.();
  finishers[3]?.();
  await new Promise((resolve) => setImmediate(resolve));
  queue.add(8);
  assert.deepEqual(batches.at(-1), [8], 'idle again: a job starts at once');
});

test('a batch whose run rejects frees its slot all the same', async () => {
  const batches: number[][] = [];
  const queue = new CommitQueue<number>(1, 10, (batch) => {
    batches.push(batch);
    return batch[0] === 1 ? Promise.reject(new Error('broken')) : Promise.resolve();
  });
  queue.add(1);
  queue.add(2);
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(batches, [[1], [2]]);
});
