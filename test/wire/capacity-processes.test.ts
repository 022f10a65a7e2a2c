/**
 * Capacity across several Cairn servers on one store (a store shared by processes, as PostgreSQL is; here one
 * in-memory store, and one manual capacity clock for all the servers, so that minutes of capacity time pass in no
 * time): a table's throughput is enforced for all of them together, not once per server, and the partitions
 * endpoint and the access-pattern report of any server count the requests every server served. The exchanges of
 * the capacity ledger (every 100 ms of wall time) are also run by hand, so that the test knows when each server
 * has learnt the others' consumption.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateTableCommand, PutItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { ManualClock } from '../../src/capacity/capacity-clock.js';
import { startCairn, type Cairn } from '../helpers/cairn.js';
import { rejectsWith, type SdkError } from '../helpers/assertions.js';
import { SharedMemoryStorage } from '../helpers/shared-storage.js';
import { filler } from '../helpers/capacity.js';
import type { PartitionsView } from '../../src/observe/partitions-view.js';
import type { AccessReport } from '../../src/observe/access-report.js';

const s = (value: string): AttributeValue => ({ S: value });
const PROVISIONED_MESSAGE =
  'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.';
const RATE = 10;
const ON_DEMAND_MESSAGE =
  'Throughput exceeds the current capacity of your table or index. DynamoDB is automatically scaling your table or index so please try again shortly. ' +
  'If exceptions persist, check if you have a hot key: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html';

const clock = new ManualClock(1_000_000);
let shared: SharedMemoryStorage;
let a: Cairn;
let b: Cairn;

/** One round of the ledger in which each server publishes and learns what the other published. */
async function exchange(): Promise<void> {
  const ledgerOf = (cairn: Cairn) => {
    const ledger = cairn.server.engine.capacityLedger;
    assert.ok(ledger !== undefined, 'a server on a shared store exchanges capacity');
    return ledger;
  };
  await ledgerOf(a).exchange();
  await ledgerOf(b).exchange();
  await ledgerOf(a).exchange();
}

/** The reasons a request was throttled for, or undefined when it went through. */
async function throttleOf(request: Promise<unknown>): Promise<string[] | undefined> {
  try {
    await request;
    return undefined;
  } catch (error) {
    assert.equal((error as SdkError).name, 'ProvisionedThroughputExceededException');
    return ((error as SdkError).ThrottlingReasons as { reason: string }[]).map(({ reason }) => reason);
  }
}

/** Whether a write went through (false: throttled with the table's provisioned throughput answer). */
async function put(cairn: Cairn, table: string, id: string, size = 0): Promise<boolean> {
  try {
    await cairn.client.send(new PutItemCommand({ TableName: table, Item: { id: s(id), ...(size > 0 ? { pad: s(filler(size)) } : {}) } }));
    return true;
  } catch (error) {
    assert.equal((error as SdkError).name, 'ProvisionedThroughputExceededException');
    return false;
  }
}

before(async () => {
  shared = new SharedMemoryStorage();
  const options = { inMemory: true, storage: undefined, capacity: { mode: 'enforce' as const, clock } };
  a = await startCairn({ ...options, storage: shared.view() });
  b = await startCairn({ ...options, storage: shared.view() });
  await a.client.send(
    new CreateTableCommand({
      TableName: 'shared',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      ProvisionedThroughput: { ReadCapacityUnits: RATE, WriteCapacityUnits: RATE },
    }),
  );
  await a.client.send(
    new CreateTableCommand({
      TableName: 'counted',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
});

after(async () => {
  await a?.close();
  await b?.close();
});

describe('capacity across servers on one store', () => {
  test('the burst credit spent through one server is spent for the other: it throttles with DynamoDB\'s answer', async () => {
    // 10 WCU bank 3,000 units of burst credit; items of 300 KB cost 300 units each, one a second (a partition
    // takes 1,000 units a second), until the table's credit is spent.
    let written = 0;
    for (;;) {
      const refused = await throttleOf(a.client.send(new PutItemCommand({ TableName: 'shared', Item: { id: s(`big${written}`), pad: s(filler(300 * 1024 - 20)) } })));
      if (refused !== undefined) {
        assert.deepEqual(refused, ['TableWriteProvisionedThroughputExceeded']);
        break;
      }
      written++;
      clock.advance(1000);
    }
    assert.equal(written, 11);
    await exchange();
    const error = await rejectsWith(b.client.send(new PutItemCommand({ TableName: 'shared', Item: { id: s('through b') } })), 'ProvisionedThroughputExceededException', PROVISIONED_MESSAGE);
    assert.deepEqual(error.ThrottlingReasons, [
      { reason: 'TableWriteProvisionedThroughputExceeded', resource: 'arn:aws:dynamodb:us-east-1:000000000000:table/shared' },
    ]);
  });

  test('written through both servers for 40 seconds, the table takes its 10 units a second, not 20', async () => {
    // Let the debt of the burst be repaid first.
    clock.advance(1000);
    while (!(await put(a, 'shared', 'probe'))) {
      clock.advance(1000);
      await exchange();
    }
    await exchange();
    let units = 0;
    const seconds = 40;
    for (let second = 0; second < seconds; second++) {
      clock.advance(1000);
      // Each server takes 1 KB writes until it throttles, then they exchange what they consumed.
      for (const cairn of [a, b]) while (await put(cairn, 'shared', `w${second}-${units}`)) units++;
      await exchange();
    }
    // Each second, each server admits until its own bucket is in debt, before it learns what the other took (one
    // second here, the bound's L): the fleet may overshoot by one server's second, which is then repaid as debt.
    assert.ok(units >= RATE * (seconds - 1), `the servers took ${units} units in ${seconds} s`);
    assert.ok(units <= RATE * (seconds + 1) + 2, `the servers took ${units} units in ${seconds} s`);
  });

  test('one partition key written through both servers gets one partition\'s 1,000 units a second, not 2,000', async () => {
    await a.client.send(
      new CreateTableCommand({
        TableName: 'tenants',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    const hot = (cairn: Cairn) => cairn.client.send(new PutItemCommand({ TableName: 'tenants', Item: { id: s('noisy'), pad: s(filler(100 * 1024 - 20)) } }));
    // An on-demand table serves 4,000 units a second at once; its partitions, 1,000 each. Items of 100 KB: 100 units.
    let units = 0;
    const seconds = 10;
    for (let second = 0; second < seconds; second++) {
      clock.advance(1000);
      for (const cairn of [a, b]) {
        for (;;) {
          try {
            await hot(cairn);
            units += 100;
          } catch (error) {
            const refused = error as SdkError;
            assert.equal(refused.name, 'ThrottlingException');
            assert.equal(refused.message, ON_DEMAND_MESSAGE);
            assert.deepEqual(refused.throttlingReasons, [{ reason: 'TableWriteKeyRangeThroughputExceeded', resource: 'arn:aws:dynamodb:us-east-1:000000000000:table/tenants' }]);
            break;
          }
        }
      }
      await exchange();
    }
    // As for the table above: one server's second of overshoot at most, then repaid.
    assert.ok(units >= 1000 * (seconds - 1), `the servers took ${units} units in ${seconds} s`);
    assert.ok(units <= 1000 * (seconds + 1) + 200, `the servers took ${units} units in ${seconds} s`);
  });

  test('the partitions endpoint and the report of each server count the requests both served', async () => {
    for (let i = 0; i < 5; i++) assert.ok(await put(a, 'counted', `a${i}`));
    for (let i = 0; i < 7; i++) assert.ok(await put(b, 'counted', `b${i}`));
    await exchange();
    for (const cairn of [a, b]) {
      const response = await cairn.rawRequest({ method: 'GET', path: '/cairn/tables/counted/partitions' });
      assert.equal(response.status, 200);
      const view = response.body as PartitionsView;
      const written = view.Table.Partitions.reduce((sum, partition) => sum + partition.Current.WriteUnits, 0);
      assert.equal(written, 12);
    }
    await b.server.observability.fleet?.publish();
    const response = await a.rawRequest({ method: 'GET', path: '/cairn/report?format=json' });
    assert.equal(response.status, 200);
    const report = response.body as AccessReport;
    const table = report.Tables.find((entry) => entry.TableName === 'counted');
    assert.ok(table !== undefined);
    assert.equal(table.Requests, 12);
    assert.equal(table.WriteCapacityUnits, 12);
    assert.deepEqual(
      table.Patterns.map((pattern) => [pattern.Operation, pattern.Count, pattern.WriteCapacityUnits]),
      [['PutItem', 12, 12]],
    );
    assert.equal(table.HotKeys[0]?.Requests, 12);
  });

  test('a server alone on its store exchanges nothing', async () => {
    const alone = await startCairn({ inMemory: true, capacity: { mode: 'enforce', clock } });
    try {
      if (alone.server.engine.storage.multiProcess === true) return; // the PostgreSQL run: every store is shared
      assert.equal(alone.server.engine.capacityLedger, undefined);
      assert.equal(alone.server.observability.fleet, undefined);
    } finally {
      await alone.close();
    }
  });
});
