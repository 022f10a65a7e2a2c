import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from './capacity-clock.js';
import { CapacityTracker, throughputSettings } from './capacity-tracker.js';
import type { IndexMetadata, TableMetadata } from '../engine/table-metadata.js';

const GSI: IndexMetadata = {
  indexName: 'byCustomer',
  indexId: 'index-1',
  kind: 'GLOBAL',
  key: { hash: { name: 'customer', type: 'S' } },
  keySchema: [{ AttributeName: 'customer', KeyType: 'HASH' }],
  projection: { ProjectionType: 'ALL' },
  status: 'ACTIVE',
  provisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 3, NumberOfDecreasesToday: 0 },
};

const TABLE: TableMetadata = {
  region: 'us-east-1',
  accountId: '000000000000',
  tableName: 'orders',
  tableId: 'table-1',
  tableArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/orders',
  key: { hash: { name: 'id', type: 'S' } },
  keySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  attributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
  status: 'ACTIVE',
  creationDateTime: 0,
  billingMode: 'PROVISIONED',
  provisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 10, NumberOfDecreasesToday: 0 },
  deletionProtectionEnabled: false,
  tags: {},
  globalSecondaryIndexes: [GSI],
};

test('settings from metadata: provisioned units per table and GSI; on-demand maximums and warm throughput', () => {
  assert.deepEqual(throughputSettings(TABLE), { mode: 'PROVISIONED', readUnits: 5, writeUnits: 10 });
  assert.deepEqual(throughputSettings(TABLE, GSI), { mode: 'PROVISIONED', readUnits: 2, writeUnits: 3 });
  const onDemand: TableMetadata = {
    ...TABLE,
    billingMode: 'PAY_PER_REQUEST',
    onDemandThroughput: { MaxWriteRequestUnits: 50 },
    warmThroughput: { ReadUnitsPerSecond: 20_000 },
  };
  assert.deepEqual(throughputSettings(onDemand), { mode: 'PAY_PER_REQUEST', maxWriteUnits: 50, warmReadUnits: 20_000, warmWriteUnits: 4000 });
  assert.deepEqual(throughputSettings(onDemand, GSI), { mode: 'PAY_PER_REQUEST', warmReadUnits: 12_000, warmWriteUnits: 4000 });
});

test('the tracker keeps one capacity per table and GSI, follows UpdateTable, drops deleted indexes and tables', () => {
  const clock = new ManualClock(0);
  const tracker = new CapacityTracker('enforce', clock);
  const first = tracker.of(TABLE);
  assert.equal(tracker.of(TABLE), first);
  assert.equal(first.table.arn, TABLE.tableArn);
  assert.equal(first.indexes.get('index-1')?.arn, `${TABLE.tableArn}/index/byCustomer`);
  // Spend some of the table's write credit, then raise its throughput: the same buckets follow.
  first.table.charge('write', 1, 2000, clock.now());
  const raised: TableMetadata = { ...TABLE, provisionedThroughput: { ...TABLE.provisionedThroughput, WriteCapacityUnits: 2500 } };
  const after = tracker.of(raised);
  assert.equal(after.table, first.table);
  assert.deepEqual(after.table.throughput, { mode: 'PROVISIONED', readUnits: 5, writeUnits: 2500 });
  assert.equal(after.table.partitions.count, 3);
  const withoutIndex: TableMetadata = { ...raised, globalSecondaryIndexes: [] };
  assert.equal(tracker.of(withoutIndex).indexes.size, 0);
  tracker.forget(TABLE.tableId);
  assert.notEqual(tracker.of({ ...TABLE }).table, first.table);
  assert.equal(tracker.enforcing, true);
  assert.equal(new CapacityTracker('account', clock).enforcing, false);
  assert.equal(new CapacityTracker('off', clock).counting, false);
});

test("an item read in enforce mode books its least cost at admission and the rest with its charge; account mode books it all with the charge", () => {
  const readUnitsOf = (tracker: CapacityTracker) => {
    const partitions = tracker.of(TABLE).table.partitions;
    return partitions.find(7, 0).current.readUnits;
  };
  const clock = new ManualClock(0);
  const enforce = new CapacityTracker('enforce', clock);
  // A consistent read: one unit at admission, before the item is read.
  enforce.admitItemRead(TABLE, 7, true);
  assert.equal(readUnitsOf(enforce), 1);
  // An item up to 4 KB costs no more than that; a 9 KB one, three units in all.
  enforce.chargeItemRead(TABLE, 7, 1, true);
  assert.equal(readUnitsOf(enforce), 1);
  enforce.admitItemRead(TABLE, 7, true);
  enforce.chargeItemRead(TABLE, 7, 3, true);
  assert.equal(readUnitsOf(enforce), 4);
  // An eventually consistent read: half a unit at admission.
  assert.equal(enforce.itemReadThrottle(TABLE, 7, false), undefined);
  assert.equal(readUnitsOf(enforce), 4.5);

  const account = new CapacityTracker('account', clock);
  account.admitItemRead(TABLE, 7, true);
  assert.equal(readUnitsOf(account), 0);
  account.chargeItemRead(TABLE, 7, 3, true);
  assert.equal(readUnitsOf(account), 3);
});
