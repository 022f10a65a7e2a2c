import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GRANT_LEASE_MS, ItemGrants } from './item-grants.js';
import { regionSetOf } from './strong-consistency.js';

test('an item is granted to one write at a time, until it is given back or its lease ends', () => {
  const grants = new ItemGrants(0);
  assert.equal(grants.grant('t/k', 'a', false, 1000), 'granted');
  assert.equal(grants.grant('t/k', 'a', false, 1001), 'granted');
  assert.equal(grants.grant('t/k', 'b', true, 1002), 'conflict');
  assert.equal(grants.grant('t/other', 'b', true, 1002), 'granted');
  grants.release('t/k', 'b');
  assert.equal(grants.grant('t/k', 'b', true, 1003), 'conflict');
  grants.release('t/k', 'a');
  assert.equal(grants.grant('t/k', 'b', true, 1004), 'granted');
  assert.equal(grants.grant('t/k', 'c', false, 1004 + GRANT_LEASE_MS), 'granted');
});

test("a restarted server grants nothing to other servers' writes for one lease", () => {
  const grants = new ItemGrants(5000);
  assert.equal(grants.grant('t/k', 'a', true, 4999), 'unavailable');
  assert.equal(grants.grant('t/k', 'a', false, 4999), 'granted');
  assert.equal(grants.grant('t/j', 'b', true, 5000), 'granted');
});

test('the three regions of a STRONG table are in one region set', () => {
  assert.equal(regionSetOf(['us-east-1', 'us-east-2', 'us-west-2']), 'US');
  assert.equal(regionSetOf(['eu-west-1', 'eu-central-1', 'eu-west-3']), 'EU');
  assert.equal(regionSetOf(['us-east-1', 'us-east-2', 'eu-west-1']), undefined);
  assert.equal(regionSetOf(['us-west-1', 'us-east-2', 'us-west-2']), undefined);
});
