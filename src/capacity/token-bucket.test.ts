import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TokenBucket } from './token-bucket.js';
import { ManualClock, scaledClock } from './capacity-clock.js';

test('a bucket admits while it is not in debt, charges what was consumed, and refills at its rate', () => {
  const clock = new ManualClock(0);
  const bucket = new TokenBucket(10, 10, clock.now());
  assert.equal(bucket.available(clock.now()), 10);
  for (let i = 0; i < 10; i++) {
    assert.equal(bucket.admits(clock.now()), true);
    bucket.charge(1, clock.now());
  }
  assert.equal(bucket.admits(clock.now()), false);
  // A request larger than the balance is admitted, and leaves a debt that throttles until it is paid back.
  clock.advance(100);
  assert.equal(bucket.available(clock.now()), 1);
  bucket.charge(5, clock.now());
  assert.equal(bucket.available(clock.now()), -4);
  clock.advance(400);
  assert.equal(bucket.admits(clock.now()), false);
  clock.advance(1);
  assert.equal(bucket.admits(clock.now()), true);
  // Never more than its size, however long it rests.
  clock.advance(3_600_000);
  assert.equal(bucket.available(clock.now()), 10);
});

test('burst credit: a bucket sized 300 seconds of its rate banks unused capacity and spends it faster than the rate', () => {
  const clock = new ManualClock(0);
  const bucket = new TokenBucket(5, 5 * 300, clock.now(), 0);
  clock.advance(300_000);
  assert.equal(bucket.available(clock.now()), 1500);
  clock.advance(300_000);
  assert.equal(bucket.available(clock.now()), 1500);
  // 20 units a second against a rate of 5: the credit lasts 1500 / 15 = 100 seconds.
  const servedPerSecond: number[] = [];
  for (let second = 0; second < 200; second++) {
    let served = 0;
    for (let i = 0; i < 20; i++) {
      if (bucket.admits(clock.now())) {
        bucket.charge(1, clock.now());
        served++;
      }
    }
    servedPerSecond.push(served);
    clock.advance(1000);
  }
  // 99 full seconds, a partial one, then the provisioned rate.
  assert.deepEqual(servedPerSecond.slice(0, 3), [20, 20, 20]);
  assert.deepEqual(servedPerSecond.slice(98, 103), [20, 15, 5, 5, 5]);
  assert.equal(servedPerSecond.reduce((a, b) => a + b), 2495);
});

test('resizing keeps banked credit up to the new size and keeps a debt', () => {
  const bucket = new TokenBucket(100, 1000, 0);
  bucket.resize(10, 50, 0);
  assert.equal(bucket.available(0), 50);
  bucket.charge(80, 0);
  bucket.resize(1000, 1000, 0);
  assert.equal(bucket.available(0), -30);
  assert.equal(bucket.available(30), 0);
});

test('a scaled clock runs capacity time N times faster than the wall clock', () => {
  let wall = 1_000;
  const clock = scaledClock(60, () => wall);
  assert.equal(clock.now(), 1_000);
  wall += 1_000;
  assert.equal(clock.now(), 61_000);
  assert.throws(() => scaledClock(0), /positive/);
  const manual = new ManualClock(5);
  assert.throws(() => manual.advance(-1), /forward/);
});
