import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStorage } from '../storage/memory/memory-storage.js';
import { sharedView } from '../../test/helpers/shared-storage.js';
import type { TableMetadata } from '../engine/table-metadata.js';
import { ManualClock } from './capacity-clock.js';
import { CAPACITY_LEDGER_SPACE, CapacityLedger, type LedgerRow } from './capacity-ledger.js';
import { CapacityTracker } from './capacity-tracker.js';

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
};

const WITH_GSI: TableMetadata = {
  ...TABLE,
  tableName: 'orders-by-customer',
  tableId: 'table-3',
  tableArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/orders-by-customer',
  globalSecondaryIndexes: [
    {
      indexName: 'byCustomer',
      indexId: 'index-1',
      kind: 'GLOBAL',
      key: { hash: { name: 'customer', type: 'S' } },
      keySchema: [{ AttributeName: 'customer', KeyType: 'HASH' }],
      projection: { ProjectionType: 'ALL' },
      status: 'ACTIVE',
      provisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1, NumberOfDecreasesToday: 0 },
    },
  ],
};

const ON_DEMAND: TableMetadata = { ...TABLE, tableName: 'events', tableId: 'table-2', tableArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/events', billingMode: 'PAY_PER_REQUEST' };

/** Two processes' trackers and ledgers on one store, on one manual clock. */
function fleet(tables: readonly TableMetadata[] = [TABLE]) {
  const store = new MemoryStorage();
  const clock = new ManualClock(1_000_000);
  const process = (holder: string) => {
    const tracker = new CapacityTracker('enforce', clock);
    const ledger = new CapacityLedger(sharedView(store), tracker, (id) => tables.find((table) => table.tableId === id), holder);
    return { tracker, ledger };
  };
  return { store, clock, a: process('a'), b: process('b'), later: process };
}

test('what one process consumed is charged to the other\'s buckets and windows, once', async () => {
  const { clock, a, b } = fleet();
  const resourceA = a.tracker.of(TABLE).table;
  const resourceB = b.tracker.of(TABLE).table;
  await a.ledger.exchange();
  await b.ledger.exchange();
  a.tracker.charge([{ resource: resourceA, access: 'write', hash: 100, units: 30, sizeDelta: 2048 }]);
  resourceA.recordThrottled('read', 100, clock.now());
  await a.ledger.exchange();
  await b.ledger.exchange();
  const [partition] = resourceB.partitions.partitions;
  assert.ok(partition !== undefined);
  assert.deepEqual([partition.current.writeUnits, partition.current.readThrottles, partition.sizeBytes], [30, 1, 2048]);
  // The table bucket banked 300 s of 10 units; the partition's holds one second of 1,000.
  assert.equal(partition.write.available(clock.now()), 1000 - 30);
  const before = resourceB.check('write', 100, clock.now());
  assert.equal(before, undefined);
  // Nothing more: neither applies it again nor sends the other's units back.
  await a.ledger.exchange();
  await b.ledger.exchange();
  await a.ledger.exchange();
  assert.equal(partition.current.writeUnits, 30);
  assert.equal(resourceA.partitions.partitions[0]?.current.writeUnits, 30);
  // A table's burst credit spent by one process is spent for the other.
  a.tracker.charge([{ resource: resourceA, access: 'write', hash: 100, units: 2970 }]);
  await a.ledger.exchange();
  await b.ledger.exchange();
  assert.equal(resourceB.check('write', 100, clock.now())?.reasons[0]?.reason, 'TableWriteProvisionedThroughputExceeded');
});

test('a GSI\'s units are charged to the other process\'s GSI: its back-pressure is the fleet\'s', async () => {
  const { clock, a, b } = fleet([WITH_GSI]);
  const indexA = a.tracker.of(WITH_GSI).indexes.get('index-1');
  const indexB = b.tracker.of(WITH_GSI).indexes.get('index-1');
  assert.ok(indexA !== undefined && indexB !== undefined);
  // 1 WCU banks 300 units: spent through A.
  a.tracker.charge([{ resource: indexA, access: 'write', hash: 9, units: 300 }]);
  await a.ledger.exchange();
  await b.ledger.exchange();
  assert.deepEqual(
    b.tracker.of(WITH_GSI).table.partitions.partitions.map((partition) => partition.current.writeUnits),
    [0],
  );
  assert.deepEqual(indexB.check('write', 9, clock.now())?.reasons, [
    { reason: 'IndexWriteProvisionedThroughputExceeded', resource: 'arn:aws:dynamodb:us-east-1:000000000000:table/orders-by-customer/index/byCustomer' },
  ]);
});

test('a process that starts using a table later takes the fleet\'s credit, not a full bucket', async () => {
  const { clock, a, later } = fleet();
  // 10 WCU bank 3,000 units: A spends 2,000 of them.
  a.tracker.charge([{ resource: a.tracker.of(TABLE).table, access: 'write', hash: 5, units: 2000 }]);
  await a.ledger.exchange();
  const c = later('c');
  const resourceC = c.tracker.of(TABLE).table;
  assert.deepEqual(resourceC.balances(clock.now()), [1500, 3000]);
  await c.ledger.exchange();
  assert.deepEqual(resourceC.balances(clock.now()), [1500, 1000]);
  // Only at the first exchange: its own credit is its own from then on.
  clock.advance(1000);
  await a.ledger.exchange();
  await c.ledger.exchange();
  assert.deepEqual(resourceC.balances(clock.now()), [1500, 1010]);
});

test('units published for a key-hash range are spread over the partitions that overlap it', async () => {
  const { clock, a, b } = fleet();
  const resourceA = a.tracker.of(TABLE).table;
  const resourceB = b.tracker.of(TABLE).table;
  resourceB.partitions.ensureCount(4, clock.now());
  a.tracker.charge([{ resource: resourceA, access: 'read', hash: 7, units: 40 }]);
  await a.ledger.exchange();
  await b.ledger.exchange();
  assert.deepEqual(
    resourceB.partitions.partitions.map((partition) => partition.current.readUnits),
    [10, 10, 10, 10],
  );
});

test('a split one process made is made by the other, and units then land in the same partitions', async () => {
  const { clock, a, b } = fleet();
  const resourceA = a.tracker.of(TABLE).table;
  const resourceB = b.tracker.of(TABLE).table;
  resourceA.partitions.splitAt(100, clock.now(), 'heat');
  a.tracker.charge([{ resource: resourceA, access: 'write', hash: 50, units: 8 }]);
  await a.ledger.exchange();
  await b.ledger.exchange();
  assert.deepEqual(
    resourceB.partitions.partitions.map((partition) => [partition.low, partition.high, partition.current.writeUnits]),
    [
      [0, 100, 8],
      [100, 0x10000, 0],
    ],
  );
  assert.deepEqual(
    b.tracker.splitsOf(resourceB).map(({ cause, splitAt }) => [cause, splitAt]),
    [['heat', 100]],
  );
  // B's map now has the split too: sent back, it changes nothing in A's.
  await a.ledger.exchange();
  assert.equal(resourceA.partitions.count, 2);
});

test('an on-demand table\'s previous peak is the fleet\'s', async () => {
  const { clock, a, b } = fleet([ON_DEMAND]);
  const resourceA = a.tracker.of(ON_DEMAND).table;
  const resourceB = b.tracker.of(ON_DEMAND).table;
  // Each process serves 3,000 write units a second for a minute: the fleet 6,000.
  clock.advance(1000);
  a.tracker.charge([{ resource: resourceA, access: 'write', hash: 1, units: 180_000 }]);
  b.tracker.charge([{ resource: resourceB, access: 'write', hash: 40_000, units: 180_000 }]);
  await a.ledger.exchange();
  await b.ledger.exchange();
  await a.ledger.exchange();
  // Half an hour after that minute, each serves twice the fleet's peak at once.
  clock.advance(31 * 60_000);
  assert.equal(resourceA.warmThroughput(clock.now()).writeUnits, 6000);
  assert.equal(resourceB.warmThroughput(clock.now()).writeUnits, 6000);
});

test('a table the other process has not used yet gets its units; one it does not know is left alone', async () => {
  const { a, b } = fleet();
  a.tracker.charge([
    { resource: a.tracker.of(TABLE).table, access: 'write', hash: 1, units: 3, sizeDelta: 100 },
    { resource: a.tracker.of(ON_DEMAND).table, access: 'write', hash: 1, units: 5 },
  ]);
  await a.ledger.exchange();
  await b.ledger.exchange();
  assert.deepEqual([...b.tracker.held()].map(([tableId]) => tableId), ['table-1']);
  const [partition] = b.tracker.of(TABLE).table.partitions.partitions;
  assert.deepEqual([partition?.current.writeUnits, partition?.sizeBytes], [3, 100]);
});

test('a process that stops deletes its row; a row not written for 30 seconds is deleted by the others', async () => {
  const { store, a, b } = fleet();
  a.tracker.charge([{ resource: a.tracker.of(TABLE).table, access: 'write', hash: 1, units: 1 }]);
  await a.ledger.exchange();
  await b.ledger.exchange();
  const holders = async () => {
    const rows: string[] = [];
    for await (const { value } of store.range(CAPACITY_LEDGER_SPACE)) rows.push((value as LedgerRow).holder);
    return rows.sort();
  };
  assert.deepEqual(await holders(), ['a', 'b']);
  await a.ledger.stop();
  assert.deepEqual(await holders(), ['b']);
  const dead: LedgerRow = { holder: 'dead', at: Date.now() - 31_000, publications: [] };
  await store.atomic([], () => ({ writes: [{ space: CAPACITY_LEDGER_SPACE, key: new TextEncoder().encode('dead'), value: dead }], result: undefined }));
  assert.deepEqual(await holders(), ['b', 'dead']);
  await b.ledger.exchange();
  assert.deepEqual(await holders(), ['b']);
});
