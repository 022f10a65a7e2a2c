import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HASH_SPACE, Partition } from './partition.js';
import { PartitionMap, heatSplitPoint } from './partition-map.js';

const SMALL = { readUnitsPerSecond: 30, writeUnitsPerSecond: 10, sizeBytes: 1000 };

test('partitions cover the hash space in contiguous ranges, split evenly to reach a count', () => {
  const map = new PartitionMap(4, 0);
  assert.deepEqual(map.partitions.map((p) => [p.low, p.high]), [[0, 16384], [16384, 32768], [32768, 49152], [49152, 65536]]);
  assert.equal(map.find(0, 0).low, 0);
  assert.equal(map.find(16383, 0).low, 0);
  assert.equal(map.find(16384, 0).low, 16384);
  assert.equal(map.find(HASH_SPACE - 1, 0).low, 49152);
  map.ensureCount(6, 0);
  assert.equal(map.count, 6);
  // Partitions never merge: asking for fewer changes nothing.
  map.ensureCount(1, 0);
  assert.equal(map.count, 6);
  let expectedLow = 0;
  for (const partition of map.partitions) {
    assert.equal(partition.low, expectedLow);
    expectedLow = partition.high;
  }
  assert.equal(expectedLow, HASH_SPACE);
});

test('a partition past its size limit splits at the middle of its range, halving the size', () => {
  const map = new PartitionMap(1, 0, SMALL);
  const splits: string[] = [];
  map.onSplit = (cause, parent, children) => splits.push(`${cause} ${parent.low}-${parent.high} -> ${children.map((c) => `${c.low}-${c.high}`).join(',')}`);
  map.addSize(100, 600, 0);
  assert.equal(map.count, 1);
  map.addSize(100, 600, 0);
  assert.deepEqual(splits, ['size 0-65536 -> 0-32768,32768-65536']);
  assert.equal(map.partitions[0]?.sizeBytes, 600);
  map.addSize(100, -10_000, 0);
  assert.equal(map.partitions[0]?.sizeBytes, 0);
});

test('a partition hot for longer than the split delay splits so that its hot key ends up alone', () => {
  const map = new PartitionMap(1, 0, SMALL, { windowMs: 1000, heatThreshold: 0.8, heatSplitDelayMs: 3000 });
  const hot = 40_000;
  const causes: string[] = [];
  map.onSplit = (cause) => causes.push(cause);
  // Ten writes a second to one key: the partition runs at its write limit.
  for (let second = 0; second < 20 && map.find(hot, second * 1000).high - map.find(hot, second * 1000).low > 1; second++) {
    for (let i = 0; i < 10; i++) {
      const now = second * 1000 + i * 100;
      map.find(hot, now).recordConsumed('write', hot, 1);
      map.find(7, now).recordConsumed('write', 7, 0.01);
    }
  }
  const home = map.find(hot, 20_000);
  assert.deepEqual([home.low, home.high], [hot, hot + 1]);
  assert.ok(causes.length >= 1 && causes.length <= 2, `splits: ${causes.join(',')}`);
  assert.ok(causes.every((cause) => cause === 'heat'));
});

test('a window of low traffic in between ends a hot streak; a one-hash partition never splits', () => {
  const map = new PartitionMap(1, 0, SMALL, { windowMs: 1000, heatThreshold: 0.8, heatSplitDelayMs: 3000 });
  const drive = (second: number, units: number) => map.find(5, second * 1000).recordConsumed('write', 5, units);
  drive(0, 10);
  drive(1, 10);
  drive(2, 1);
  drive(3, 10);
  drive(4, 10);
  drive(5, 10);
  assert.equal(map.count, 1);
  drive(6, 10);
  drive(7, 10);
  assert.equal(map.count, 2);
  const single = new Partition(9, 10, SMALL, 0);
  assert.equal(heatSplitPoint(single, new Map([[9, 5]])), undefined);
});

test('heat split points: beside a dominant key on its narrower side, else where the heat halves', () => {
  const partition = new Partition(0, 100, SMALL, 0);
  assert.equal(heatSplitPoint(partition, new Map([[10, 9], [50, 1]])), 11);
  assert.equal(heatSplitPoint(partition, new Map([[90, 9], [50, 1]])), 90);
  assert.equal(heatSplitPoint(partition, new Map([[0, 9]])), 1);
  assert.equal(heatSplitPoint(partition, new Map([[99, 9]])), 99);
  assert.equal(heatSplitPoint(partition, new Map([[10, 1], [20, 1], [30, 1], [40, 1]])), 20);
  assert.equal(heatSplitPoint(partition, new Map()), 50);
});

test('heat by key hash is recorded only while a partition may split for heat, and the split point is the same', () => {
  const map = new PartitionMap(1, 0, SMALL, { windowMs: 1000, heatThreshold: 0.8, heatSplitDelayMs: 3000 });
  const partition = () => map.find(40_000, 0);
  // A cool partition counts units, not heat by hash.
  partition().recordConsumed('write', 40_000, 1);
  assert.equal(partition().current.heatByHash.size, 0);
  assert.equal(partition().current.writeUnits, 1);
  // Its first hot window closes: from the next one on, heat is recorded.
  partition().recordConsumed('write', 40_000, 9);
  const second = map.find(40_000, 1000);
  second.recordConsumed('write', 40_000, 10);
  assert.deepEqual([...second.current.heatByHash], [[40_000, 1]]);
  // A split delay shorter than two windows may split after one hot window: heat is recorded from the start.
  const eager = new PartitionMap(1, 0, SMALL, { windowMs: 1000, heatThreshold: 0.8, heatSplitDelayMs: 1000 });
  eager.find(5, 0).recordConsumed('write', 5, 1);
  assert.deepEqual([...(eager.partitions[0] as Partition).current.heatByHash], [[5, 0.1]]);
});
