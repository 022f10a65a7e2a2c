import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sharedView } from '../../../test/helpers/shared-storage.js';
import { MemoryStorage } from '../../storage/memory/memory-storage.js';
import { GRANT_LEASE_MS, ItemGrants } from './item-grants.js';
import { regionSetOf } from './strong-consistency.js';

test('an item is granted to one write at a time, until it is given back or its lease ends', async () => {
  const grants = new ItemGrants(undefined, 0);
  assert.equal(await grants.grant('t/k', 'a', false, 1000), 'granted');
  assert.equal(await grants.grant('t/k', 'a', false, 1001), 'granted');
  assert.equal(await grants.grant('t/k', 'b', true, 1002), 'conflict');
  assert.equal(await grants.grant('t/other', 'b', true, 1002), 'granted');
  await grants.release('t/k', 'b');
  assert.equal(await grants.grant('t/k', 'b', true, 1003), 'conflict');
  await grants.release('t/k', 'a');
  assert.equal(await grants.grant('t/k', 'b', true, 1004), 'granted');
  assert.equal(await grants.grant('t/k', 'c', false, 1004 + GRANT_LEASE_MS), 'granted');
});

test("a restarted server grants nothing to other servers' writes for one lease", async () => {
  const grants = new ItemGrants(undefined, 5000);
  assert.equal(await grants.grant('t/k', 'a', true, 4999), 'unavailable');
  assert.equal(await grants.grant('t/k', 'a', false, 4999), 'granted');
  assert.equal(await grants.grant('t/j', 'b', true, 5000), 'granted');
});

test('processes serving one region from one storage grant an item to one write between them', async () => {
  const store = new MemoryStorage();
  // Two front ends of one region (each its own grants, as each process has), on one store.
  const first = new ItemGrants(sharedView(store), 0);
  const second = new ItemGrants(sharedView(store), 0);
  assert.equal(await first.grant('t/k', 'a', false, 1000), 'granted');
  assert.equal(await second.grant('t/k', 'b', true, 1001), 'conflict');
  assert.equal(await second.grant('t/other', 'b', true, 1001), 'granted');
  // Given back through the other process: only its holder's release counts.
  await second.release('t/k', 'b');
  assert.equal(await second.grant('t/k', 'b', true, 1002), 'conflict');
  await second.release('t/k', 'a');
  assert.equal(await second.grant('t/k', 'b', true, 1003), 'granted');
  // A holder that died: its grant lapses with its lease.
  assert.equal(await first.grant('t/k', 'c', false, 1004), 'conflict');
  assert.equal(await first.grant('t/k', 'c', false, 1003 + GRANT_LEASE_MS), 'granted');
  await store.close();
});

test('the three regions of a STRONG table are in one region set', () => {
  assert.equal(regionSetOf(['us-east-1', 'us-east-2', 'us-west-2']), 'US');
  assert.equal(regionSetOf(['eu-west-1', 'eu-central-1', 'eu-west-3']), 'EU');
  assert.equal(regionSetOf(['us-east-1', 'us-east-2', 'eu-west-1']), undefined);
  assert.equal(regionSetOf(['us-west-1', 'us-east-2', 'us-west-2']), undefined);
});
