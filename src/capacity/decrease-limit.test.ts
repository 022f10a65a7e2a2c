import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ProvisionedThroughputSettings } from '../engine/table-metadata.js';
import { changedThroughput, decreasesToday, utcDateTime } from './decrease-limit.js';

test('dates are spelled as DynamoDB spells them, 12-hour clock in UTC', () => {
  assert.equal(utcDateTime(Date.UTC(2026, 9, 9, 0, 21, 34)), 'Friday, October 9, 2026 at 12:21:34 AM Coordinated Universal Time');
  assert.equal(utcDateTime(Date.UTC(2026, 9, 9, 12, 0, 5)), 'Friday, October 9, 2026 at 12:00:05 PM Coordinated Universal Time');
  assert.equal(utcDateTime(Date.UTC(2018, 6, 25, 20, 48, 14)), 'Wednesday, July 25, 2018 at 8:48:14 PM Coordinated Universal Time');
});

test('the decrease count is the UTC day\'s; raising one side while lowering the other is a decrease', () => {
  const day = Date.UTC(2026, 0, 1);
  let throughput: ProvisionedThroughputSettings = { ReadCapacityUnits: 10, WriteCapacityUnits: 10, NumberOfDecreasesToday: 0 };
  throughput = changedThroughput(throughput, 5, 20, day + 1000);
  assert.deepEqual(throughput, {
    ReadCapacityUnits: 5,
    WriteCapacityUnits: 20,
    NumberOfDecreasesToday: 1,
    LastIncreaseDateTime: day + 1000,
    LastDecreaseDateTime: day + 1000,
  });
  assert.equal(decreasesToday(throughput, day + 86_399_999), 1);
  assert.equal(decreasesToday(throughput, day + 86_400_000), 0);
  throughput = changedThroughput(throughput, 5, 30, day + 2000);
  assert.equal(throughput.NumberOfDecreasesToday, 1);
  assert.equal(throughput.LastDecreaseDateTime, day + 1000);
});

test('a fifth decrease waits an hour after the fourth', () => {
  const day = Date.UTC(2026, 0, 1);
  let throughput: ProvisionedThroughputSettings = { ReadCapacityUnits: 10, WriteCapacityUnits: 10, NumberOfDecreasesToday: 0 };
  for (const units of [9, 8, 7, 6]) throughput = changedThroughput(throughput, units, units, day);
  assert.throws(() => changedThroughput(throughput, 5, 5, day + 3_599_999), { name: 'LimitExceededException' });
  assert.equal(changedThroughput(throughput, 5, 5, day + 3_600_000).NumberOfDecreasesToday, 5);
});
