import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStorage } from '../storage/memory/memory-storage.js';
import { isLeaseRecord, leaseKey, Leases, LEASE_SPACE } from './leases.js';
import { sharedView } from '../../test/helpers/shared-storage.js';

const PERIOD = 200;

test('one process holds a lease; it moves when the holder stops renewing, and at once when it stops', async () => {
  const store = new MemoryStorage();
  const [a, b] = [new Leases(sharedView(store), { periodMs: PERIOD }), new Leases(sharedView(store), { periodMs: PERIOD })];
  a.want('work');
  b.want('work');
  await a.renewRound();
  await b.renewRound();
  assert.deepEqual([a.holds('work'), b.holds('work')], [true, false]);
  const record = await store.get(LEASE_SPACE, leaseKey('work'));
  assert.ok(isLeaseRecord(record) && record.holder === a.holder);

  // A renews within the period: B still cannot take it.
  await a.renewRound();
  await b.renewRound();
  assert.deepEqual([a.holds('work'), b.holds('work')], [true, false]);

  // A stops renewing (as a killed process does): once the period is over A no longer counts it held, and B takes it.
  const deadline = Date.now() + 10 * PERIOD;
  while (!b.holds('work')) {
    assert.ok(Date.now() < deadline, 'B took the lease over');
    await new Promise((resolve) => setTimeout(resolve, 20));
    await b.renewRound();
    // Never both at once.
    assert.ok(!(a.holds('work') && b.holds('work')));
  }
  assert.equal(a.holds('work'), false);

  // B stops: it releases the lease, and A takes it at its next round.
  await b.stop();
  await a.renewRound();
  assert.equal(a.holds('work'), true);
  await a.stop();
  assert.equal(await store.get(LEASE_SPACE, leaseKey('work')), undefined);
});

test('without other processes every lease is held and the storage is not touched', async () => {
  const store = new MemoryStorage();
  const leases = new Leases(store, { periodMs: PERIOD });
  leases.want('work');
  leases.start();
  assert.equal(leases.holds('work'), true);
  assert.equal(leases.holds('anything'), true);
  await leases.renewRound();
  const stored = [];
  for await (const entry of store.range(LEASE_SPACE)) stored.push(entry);
  assert.deepEqual(stored, []);
  await leases.stop();
});
