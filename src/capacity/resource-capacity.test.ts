import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from './capacity-clock.js';
import { DEFAULT_CAPACITY_POLICY, NEW_ON_DEMAND_WARM, ResourceCapacity, partitionsFor, type ThroughputSettings } from './resource-capacity.js';
import type { Access } from './partition.js';

const TABLE_ARN = 'arn:aws:dynamodb:us-east-1:000000000000:table/orders';
const GB = 1024 * 1024 * 1024;
const ON_DEMAND: ThroughputSettings = { mode: 'PAY_PER_REQUEST', warmReadUnits: NEW_ON_DEMAND_WARM.readUnits, warmWriteUnits: NEW_ON_DEMAND_WARM.writeUnits };

/** One key's load: `perSecond` requests of `units` each to the partition of `hash`. */
interface Load {
  readonly hash: number;
  readonly perSecond: number;
  readonly units?: number;
}

/**
 * One second of capacity time in which the loads' requests interleave, each spread evenly over the second.
 * Returns how many requests of each load were served.
 */
function driveLoads(capacity: ResourceCapacity, clock: ManualClock, access: Access, loads: readonly Load[]): number[] {
  const start = clock.now();
  const events: { at: number; load: number }[] = [];
  loads.forEach((load, index) => {
    for (let i = 0; i < load.perSecond; i++) events.push({ at: start + (i * 1000) / load.perSecond, load: index });
  });
  events.sort((a, b) => a.at - b.at);
  const served = loads.map(() => 0);
  for (const { at, load } of events) {
    const { hash, units = 1 } = loads[load] as Load;
    if (capacity.check(access, hash, at) === undefined) {
      capacity.charge(access, hash, units, at);
      served[load] = (served[load] as number) + 1;
    } else {
      capacity.recordThrottled(access, hash, at);
    }
  }
  clock.advance(1000);
  return served;
}

function driveSecond(capacity: ResourceCapacity, clock: ManualClock, access: Access, hash: number, perSecond: number, units = 1): number {
  return driveLoads(capacity, clock, access, [{ hash, perSecond, units }])[0] as number;
}

test('initial partitions: throughput over the partition limits, size over 10 GB, 4 for a new on-demand table', () => {
  const limits = DEFAULT_CAPACITY_POLICY.partitionLimits;
  assert.equal(partitionsFor(5, 5, 0, limits), 1);
  assert.equal(partitionsFor(3000, 1000, 0, limits), 2);
  assert.equal(partitionsFor(1000, 1, 0, limits), 1);
  assert.equal(partitionsFor(5, 5, 25 * GB, limits), 3);
  assert.equal(new ResourceCapacity('Table', TABLE_ARN, ON_DEMAND, 0, 0).partitions.count, 4);
  assert.equal(new ResourceCapacity('Table', TABLE_ARN, { mode: 'PROVISIONED', readUnits: 6000, writeUnits: 2000 }, 0, 0).partitions.count, 4);
  // An increase splits partitions; a decrease keeps them.
  const table = new ResourceCapacity('Table', TABLE_ARN, { mode: 'PROVISIONED', readUnits: 5, writeUnits: 5 }, 0, 0);
  table.update({ mode: 'PROVISIONED', readUnits: 5, writeUnits: 2500 }, 0);
  assert.equal(table.partitions.count, 3);
  table.update({ mode: 'PROVISIONED', readUnits: 5, writeUnits: 5 }, 0);
  assert.equal(table.partitions.count, 3);
});

test('provisioned: burst credit serves above the provisioned rate until spent, then the table throttles at its rate', () => {
  const clock = new ManualClock(0);
  const table = new ResourceCapacity('Table', TABLE_ARN, { mode: 'PROVISIONED', readUnits: 10, writeUnits: 10 }, 0, clock.now());
  // The burst bucket starts full: 3,000 units. At 40 writes a second against 10, the credit lasts about 100 s.
  const served: number[] = [];
  for (let second = 0; second < 130; second++) served.push(driveSecond(table, clock, 'write', 123, 40));
  assert.deepEqual(served.slice(0, 5), [40, 40, 40, 40, 40]);
  assert.deepEqual(served.slice(120, 125), [10, 10, 10, 10, 10]);
  const throttled = table.check('write', 123, clock.now());
  assert.deepEqual(throttled, {
    exception: 'ProvisionedThroughputExceededException',
    message: 'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
    reasons: [{ reason: 'TableWriteProvisionedThroughputExceeded', resource: TABLE_ARN }],
    limit: 'ProvisionedThroughputExceeded',
    resourceKind: 'Table',
  });
  // Reads have their own bucket, untouched.
  assert.equal(table.check('read', 123, clock.now()), undefined);
});

test('adaptive capacity: a hot partition may use the whole table capacity, never more than the partition limit', () => {
  const clock = new ManualClock(0);
  // 3,990 WCU (and 10 RCU): four partitions, an even share of about 1,000 each.
  const table = new ResourceCapacity('Table', TABLE_ARN, { mode: 'PROVISIONED', readUnits: 10, writeUnits: 3990 }, 0, clock.now());
  assert.equal(table.partitions.count, 4);
  // One partition alone takes 1,000 a second (its limit), although the table has 4,000.
  let served = 0;
  for (let second = 0; second < 10; second++) served = driveSecond(table, clock, 'write', 100, 2000);
  assert.equal(served, 1000);
  // Another partition of the same table is not held back by it.
  assert.equal(driveSecond(table, clock, 'write', 60_000, 900), 900);
  driveSecond(table, clock, 'write', 100, 2000);
  const refused = table.check('write', 100, clock.now() - 1);
  assert.equal(refused?.reasons[0]?.reason, 'TableWriteKeyRangeThroughputExceeded');
  assert.equal(refused?.exception, 'ProvisionedThroughputExceededException');
});

test('on-demand: a hot key is held to 1,000 writes a second while other keys go on, until a split isolates it', () => {
  const clock = new ManualClock(0);
  const table = new ResourceCapacity('Table', TABLE_ARN, ON_DEMAND, 0, clock.now());
  const hot = 1000;
  const neighbour = 2000; // in the same partition as the hot key at first
  const elsewhere = 50_000;
  // The first second also spends the partition's one second of credit; from then on it serves its limit.
  let served: number[] = [];
  for (let second = 0; second < 5; second++) {
    served = driveLoads(table, clock, 'write', [{ hash: hot, perSecond: 1500 }, { hash: elsewhere, perSecond: 100 }]);
  }
  assert.deepEqual(served, [1000, 100]);
  const refused = table.check('write', hot, clock.now() - 1);
  assert.equal(refused?.exception, 'ThrottlingException');
  assert.deepEqual(refused?.reasons, [{ reason: 'TableWriteKeyRangeThroughputExceeded', resource: TABLE_ARN }]);
  assert.equal(
    refused?.message,
    'Throughput exceeds the current capacity of your table or index. DynamoDB is automatically scaling your table or index so please try again shortly. ' +
      'If exceptions persist, check if you have a hot key: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html',
  );
  // Its neighbour in the same partition is the noisy tenant's victim: it gets a share of what is left.
  served = driveLoads(table, clock, 'write', [{ hash: hot, perSecond: 1500 }, { hash: neighbour, perSecond: 800 }]);
  assert.ok((served[1] as number) < 500, `neighbour served ${served[1]}`);
  assert.equal((served[0] as number) + (served[1] as number), 1000);
  // Keep the key hot: after five minutes of heat its partition splits, twice at most, and the key is alone.
  for (let second = 0; second < 15 * 60 && table.partitions.find(hot, clock.now()).high - table.partitions.find(hot, clock.now()).low > 1; second++) {
    driveSecond(table, clock, 'write', hot, 1500);
  }
  const home = table.partitions.find(hot, clock.now());
  assert.deepEqual([home.low, home.high], [hot, hot + 1]);
  assert.ok(table.partitions.count >= 5 && table.partitions.count <= 6);
  // Alone, the key still gets no more than one partition's limit; its old neighbour is no longer held back.
  for (let second = 0; second < 3; second++) {
    served = driveLoads(table, clock, 'write', [{ hash: hot, perSecond: 3000 }, { hash: neighbour, perSecond: 800 }]);
  }
  assert.deepEqual(served, [1000, 800]);
});

test('on-demand: twice the previous peak at once; beyond it capacity follows 30 minutes after each new peak', () => {
  const clock = new ManualClock(0);
  const table = new ResourceCapacity('Table', TABLE_ARN, ON_DEMAND, 0, clock.now());
  // Demand of 10,000 writes a second (requests of 100 units, spread over many keys): 4,000 at first.
  const servedPerMinute: number[] = [];
  for (let minute = 0; minute < 70; minute++) {
    let units = 0;
    for (let second = 0; second < 60; second++) {
      const start = clock.now();
      for (let i = 0; i < 100; i++) {
        const hash = (i * 653) % 65536;
        const now = start + i * 10;
        if (table.check('write', hash, now) === undefined) {
          table.charge('write', hash, 100, now);
          units += 100;
        }
      }
      clock.advance(1000);
    }
    servedPerMinute.push(units / 60);
  }
  const perSecond = (minute: number) => Math.round(servedPerMinute[minute] as number);
  assert.ok(Math.abs(perSecond(0) - 4000) <= 100, `minute 0: ${perSecond(0)}`);
  assert.ok(Math.abs(perSecond(29) - 4000) <= 100, `minute 29: ${perSecond(29)}`);
  assert.ok(Math.abs(perSecond(32) - 8000) <= 200, `minute 32: ${perSecond(32)}`);
  assert.ok(perSecond(65) >= 9_900, `minute 65: ${perSecond(65)}`);
  assert.ok(table.partitions.count >= 10, `partitions: ${table.partitions.count}`);
  assert.ok(table.warmThroughput(clock.now()).writeUnits >= 8000);
});

test('on-demand maximums throttle first, with their own reason and message; -1 removes them', () => {
  const clock = new ManualClock(0);
  const table = new ResourceCapacity('Table', TABLE_ARN, { ...ON_DEMAND, maxWriteUnits: 10 } as ThroughputSettings, 0, clock.now());
  // The first second spends the one second of credit as well.
  assert.equal(driveSecond(table, clock, 'write', 5, 20), 20);
  for (let second = 0; second < 3; second++) assert.equal(driveSecond(table, clock, 'write', 5, 20), 10);
  assert.deepEqual(table.check('write', 5, clock.now() - 1), {
    exception: 'ThrottlingException',
    message: 'Throughput exceeds the maximum OnDemandThroughput configured on table or index',
    reasons: [{ reason: 'TableWriteMaxOnDemandThroughputExceeded', resource: TABLE_ARN }],
    limit: 'MaxOnDemandThroughputExceeded',
    resourceKind: 'Table',
  });
  assert.equal(driveSecond(table, clock, 'read', 5, 200), 200);
  table.update({ ...ON_DEMAND, maxWriteUnits: -1 } as ThroughputSettings, clock.now());
  assert.equal(driveSecond(table, clock, 'write', 5, 200), 200);
});

test('an index throttles with Index reasons and the index message', () => {
  const arn = `${TABLE_ARN}/index/byCustomer`;
  const index = new ResourceCapacity('Index', arn, { mode: 'PROVISIONED', readUnits: 1, writeUnits: 1 }, 0, 0);
  index.charge('write', 9, 400, 0);
  const refused = index.check('write', 9, 0);
  assert.equal(refused?.reasons[0]?.reason, 'IndexWriteProvisionedThroughputExceeded');
  assert.equal(refused?.reasons[0]?.resource, arn);
  assert.equal(
    refused?.message,
    'The level of configured provisioned throughput for one or more global secondary indexes of the table was exceeded. ' +
      'Consider increasing your provisioning level for the under-provisioned global secondary indexes with the UpdateTable API.',
  );
});

test('switching modes keeps the partitions; a switch to on-demand starts from the warm throughput', () => {
  const table = new ResourceCapacity('Table', TABLE_ARN, { mode: 'PROVISIONED', readUnits: 30_000, writeUnits: 10_000 }, 0, 0);
  assert.equal(table.partitions.count, 20);
  table.update(ON_DEMAND, 0);
  assert.equal(table.mode, 'PAY_PER_REQUEST');
  assert.equal(table.partitions.count, 20);
  assert.deepEqual(table.warmThroughput(0), { readUnits: 12_000, writeUnits: 4_000 });
  table.update({ mode: 'PROVISIONED', readUnits: 5, writeUnits: 5 }, 0);
  assert.deepEqual(table.warmThroughput(0), { readUnits: 5, writeUnits: 5 });
});

test('fast admission and queued charges decide exactly as checking every bucket at once does', () => {
  // Short windows and delays, so that on-demand ceilings follow peaks and hot partitions split within the run.
  const policy = {
    ...DEFAULT_CAPACITY_POLICY,
    split: { windowMs: 1000, heatThreshold: 0.5, heatSplitDelayMs: 2000 },
    ceiling: { windowMs: 1000, followDelayMs: 3000 },
  };
  const settings: ThroughputSettings[] = [
    { mode: 'PROVISIONED', readUnits: 40, writeUnits: 15 },
    { mode: 'PAY_PER_REQUEST', warmReadUnits: 60, warmWriteUnits: 30, maxReadUnits: 90 },
  ];
  for (const [run, setting] of settings.entries()) {
    let seed = 17 + run;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const fast = new ResourceCapacity('Table', TABLE_ARN, setting, 0, 0, policy);
    // The reference: every request checks every bucket, every charge is applied at once.
    const exact = new ResourceCapacity('Table', TABLE_ARN, setting, 0, 0, policy);
    const hashes = [5, 9, 30_000, 30_001, 65_000];
    let now = 0;
    const outcomes = { admitted: 0, throttled: 0 };
    for (let step = 0; step < 20_000; step++) {
      now += Math.floor(random() * 4);
      const access: Access = random() < 0.6 ? 'read' : 'write';
      const hash = hashes[Math.floor(random() * (random() < 0.7 ? 2 : hashes.length))] as number;
      const fastThrottle = fast.check(access, hash, now);
      const exactThrottle = exact.check(access, hash, now);
      assert.deepEqual(fastThrottle, exactThrottle, `step ${step}`);
      if (fastThrottle !== undefined) {
        outcomes.throttled++;
        fast.recordThrottled(access, hash, now);
        exact.recordThrottled(access, hash, now);
      } else {
        outcomes.admitted++;
        const units = random() < 0.5 ? 0.5 : Math.ceil(random() * 6);
        const size = access === 'write' ? Math.floor(random() * 2000) - 500 : 0;
        fast.book(access, hash, units, size, now);
        exact.book(access, hash, units, size, now);
      }
      // Reading the partitions applies the queue and forgets the bounds of fast admission: the next check is exact.
      void exact.partitions;
      if (step === 12_000) {
        const lower: ThroughputSettings = setting.mode === 'PROVISIONED' ? { ...setting, readUnits: 20, writeUnits: 5 } : { ...setting, maxReadUnits: 30 };
        fast.update(lower, now);
        exact.update(lower, now);
      }
    }
    assert.ok(outcomes.admitted > 5000 && outcomes.throttled > 1000, JSON.stringify(outcomes));
    const view = (capacity: ResourceCapacity) =>
      capacity.partitions.partitions.map((partition) => [partition.low, partition.high, partition.read.available(now), partition.write.available(now), partition.sizeBytes]);
    assert.deepEqual(view(fast), view(exact));
    assert.ok(fast.partitions.count > 1, 'a hot partition split');
  }
});
