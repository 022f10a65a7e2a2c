/**
 * The access-pattern report (`GET /cairn/report`, JSON and text) after a scripted workload on a manual capacity
 * clock: patterns grouped by shape whatever their values and placeholder names, their counts and units, filter
 * waste, whole-table Scans, hot partition keys, GSI write amplification, throttles and the interval's cost; then
 * `?since=`, `POST /cairn/report/reset` and configured prices.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { ManualClock } from '../../src/capacity/capacity-clock.js';
import { startCairn, type Cairn } from '../helpers/cairn.js';
import { rejectsWith } from '../helpers/assertions.js';

const START = Date.UTC(2026, 0, 1, 12, 0, 0);
const HOUR = 3_600_000;

export function shopTable() {
  return new CreateTableCommand({
    TableName: 'shop',
    KeySchema: [
      { AttributeName: 'customer', KeyType: 'HASH' },
      { AttributeName: 'order', KeyType: 'RANGE' },
    ],
    AttributeDefinitions: [
      { AttributeName: 'customer', AttributeType: 'S' },
      { AttributeName: 'order', AttributeType: 'S' },
      { AttributeName: 'status', AttributeType: 'S' },
    ],
    ProvisionedThroughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 5 },
    GlobalSecondaryIndexes: [
      {
        IndexName: 'byStatus',
        KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'KEYS_ONLY' },
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      },
    ],
  });
}

/** The workload: 4 puts (3 for ada), 2 key-condition Queries, a filtered Query, a Scan, 2 projected reads, a refused put. */
export async function shopWorkload(client: DynamoDBClient): Promise<void> {
  for (const [customer, order, status] of [
    ['ada', '1', 'open'],
    ['ada', '2', 'shipped'],
    ['ada', '3', 'shipped'],
    ['bob', '1', 'open'],
  ] as const) {
    await client.send(new PutItemCommand({ TableName: 'shop', Item: { customer: { S: customer }, order: { S: order }, status: { S: status } } }));
  }
  for (const [customer, prefix] of [
    ['ada', '1'],
    ['bob', '2'],
  ] as const) {
    await client.send(
      new QueryCommand({
        TableName: 'shop',
        KeyConditionExpression: 'customer = :customer AND begins_with(#o, :prefix)',
        ExpressionAttributeNames: { '#o': 'order' },
        ExpressionAttributeValues: { ':customer': { S: customer }, ':prefix': { S: prefix } },
      }),
    );
  }
  await client.send(
    new QueryCommand({
      TableName: 'shop',
      KeyConditionExpression: '#c=:c',
      FilterExpression: '#s = :s',
      ProjectionExpression: '#o',
      ExpressionAttributeNames: { '#c': 'customer', '#s': 'status', '#o': 'order' },
      ExpressionAttributeValues: { ':c': { S: 'ada' }, ':s': { S: 'open' } },
    }),
  );
  await client.send(new ScanCommand({ TableName: 'shop', FilterExpression: 'attribute_exists(gift)' }));
  for (let i = 0; i < 2; i++) {
    await client.send(new GetItemCommand({ TableName: 'shop', Key: { customer: { S: 'ada' }, order: { S: '1' } }, ProjectionExpression: '#s', ExpressionAttributeNames: { '#s': 'status' } }));
  }
  await rejectsWith(
    client.send(
      new PutItemCommand({
        TableName: 'shop',
        Item: { customer: { S: 'ada' }, order: { S: '1' }, status: { S: 'open' } },
        ConditionExpression: 'attribute_not_exists(customer)',
      }),
    ),
    'ConditionalCheckFailedException',
    'The conditional request failed',
  );
}

async function report(cairn: Cairn, query = ''): Promise<{ status: number; type: string; body: unknown; text: string }> {
  const response = await cairn.rawRequest({ method: 'GET', path: `/cairn/report${query}` });
  return { status: response.status, type: response.headers['content-type'] ?? '', body: response.body, text: response.bytes.toString('utf8') };
}

/** Latencies are the machine's: the report's are replaced by a marker before comparing. */
function withoutLatency<T>(value: T): T {
  return JSON.parse(JSON.stringify(value), (key, member: unknown) => (key === 'LatencyMs' ? 'measured' : member)) as T;
}

const DEFAULT_PRICES = {
  onDemandWritePerMillion: 0.625,
  onDemandReadPerMillion: 0.125,
  provisionedWritePerUnitHour: 0.00065,
  provisionedReadPerUnitHour: 0.00013,
  onDemandReplicatedWritePerMillion: 0.625,
  provisionedReplicatedWritePerUnitHour: 0.00065,
};

function pattern(fields: Record<string, unknown>) {
  return {
    IndexName: null,
    KeyCondition: null,
    Filter: null,
    Projection: 'none',
    ReadCapacityUnits: 0,
    WriteCapacityUnits: 0,
    LatencyMs: 'measured',
    Throttled: 0,
    ConditionalCheckFailed: 0,
    ...fields,
  };
}

describe('GET /cairn/report', () => {
  const clock = new ManualClock(START);
  let cairn: Cairn;
  before(async () => {
    cairn = await startCairn({ inMemory: true, capacity: { mode: 'account', clock } });
    await cairn.client.send(shopTable());
    await shopWorkload(cairn.client);
    clock.advance(HOUR);
  });
  after(() => cairn.close());

  test('JSON: each access pattern with its count, units, filter waste; Scans, hot keys, GSI amplification, cost', async () => {
    const { status, type, body } = await report(cairn, '?format=json');
    assert.equal(status, 200);
    assert.equal(type, 'application/json');
    // Reads: 2 Queries of 0.5, the filtered Query 0.5, the Scan 0.5, 2 GetItems of 0.5: 3 RCU. Writes: 4 puts of 1
    // WCU on the table and 1 on the GSI (the put refused by its condition is charged to the table's buckets, but
    // its unit is not in the report: it does not reach the operation's notes):
    // on-demand (3 x 0.125 + 8 x 0.625) / 1e6; provisioned for one hour, table 10 RCU + 5 WCU, GSI 5 + 5.
    assert.deepEqual(withoutLatency(body), {
      Since: '2026-01-01T12:00:00.000Z',
      Until: '2026-01-01T13:00:00.000Z',
      SinceMs: START,
      UntilMs: START + HOUR,
      DurationSeconds: 3600,
      CapacityMode: 'account',
      Prices: DEFAULT_PRICES,
      Tables: [
        {
          TableName: 'shop',
          Region: 'us-east-1',
          BillingMode: 'PROVISIONED',
          Requests: 11,
          ReadCapacityUnits: 3,
          WriteCapacityUnits: 8,
          Patterns: [
            pattern({ Operation: 'PutItem', KeyCondition: 'customer = :v AND order = :v', Count: 4, Share: 0.3636, WriteCapacityUnits: 8 }),
            // Equal counts and units: in the order of their shapes' text.
            pattern({
              Operation: 'GetItem',
              KeyCondition: 'customer = :v AND order = :v',
              Projection: 'status',
              Count: 2,
              Share: 0.1818,
              ReadCapacityUnits: 1,
            }),
            pattern({
              Operation: 'Query',
              KeyCondition: 'customer = :v AND begins_with(order, :v)',
              Count: 2,
              Share: 0.1818,
              ReadCapacityUnits: 1,
              ScannedCount: 1,
              ReturnedCount: 1,
            }),
            pattern({
              Operation: 'Query',
              KeyCondition: 'customer = :v',
              Filter: 'status = :v',
              Projection: 'order',
              Count: 1,
              Share: 0.0909,
              ReadCapacityUnits: 0.5,
              ScannedCount: 3,
              ReturnedCount: 1,
            }),
            pattern({
              Operation: 'Scan',
              Filter: 'attribute_exists(gift)',
              Count: 1,
              Share: 0.0909,
              ReadCapacityUnits: 0.5,
              ScannedCount: 4,
              ReturnedCount: 0,
            }),
            pattern({
              Operation: 'PutItem',
              KeyCondition: 'customer = :v AND order = :v',
              Filter: 'attribute_not_exists(customer)',
              Count: 1,
              Share: 0.0909,
              ConditionalCheckFailed: 1,
            }),
          ],
          Scans: { Requests: 1, ScannedCount: 4, ReadCapacityUnits: 0.5 },
          HotKeys: [
            {
              IndexName: null,
              // The puts, Queries and reads that name a key (a write refused by its condition is not counted).
              Requests: 9,
              Keys: [
                { Value: 'ada', Count: 7, Share: 0.7778 },
                { Value: 'bob', Count: 2, Share: 0.2222 },
              ],
            },
          ],
          WriteAmplification: [{ IndexName: 'byStatus', WriteCapacityUnits: 4, PerTableWriteUnit: 1 }],
          Throttles: [],
          Cost: { OnDemand: 0.00000538, Provisioned: 0.00845, ProvisionedBasis: 'provisioned' },
        },
      ],
      Cost: { OnDemand: 0.00000538, Provisioned: 0.00845 },
    });
  });

  test('text: one section per table, bars for shares, readable in a terminal', async () => {
    const { status, type, text } = await report(cairn);
    assert.equal(status, 200);
    assert.equal(type, 'text/plain; charset=utf-8');
    const lines = text.replace(/p50 [\d.]+ ms {2}p99 [\d.]+ ms/g, 'p50 _ ms  p99 _ ms').split('\n');
    assert.deepEqual(lines, [
      'Cairn access-pattern report',
      'Interval: 2026-01-01T12:00:00.000Z .. 2026-01-01T13:00:00.000Z (3600 s of capacity time), capacity mode account',
      'Prices: on-demand $0.125/M reads, $0.625/M writes; provisioned $0.00013/RCU-hour, $0.00065/WCU-hour',
      '',
      'Table shop (us-east-1, PROVISIONED): 11 requests, 3 RCU, 8 WCU',
      '  Access patterns',
      '    PutItem  key: customer = :v AND order = :v  filter: none  projection: none',
      '            4 ███████▎░░░░░░░░░░░░  36.4%  RCU 0  WCU 8  p50 _ ms  p99 _ ms',
      '    GetItem  key: customer = :v AND order = :v  filter: none  projection: status',
      '            2 ███▋░░░░░░░░░░░░░░░░  18.2%  RCU 1  WCU 0  p50 _ ms  p99 _ ms',
      '    Query  key: customer = :v AND begins_with(order, :v)  filter: none  projection: none',
      '            2 ███▋░░░░░░░░░░░░░░░░  18.2%  RCU 1  WCU 0  p50 _ ms  p99 _ ms  scanned 1, returned 1',
      '    Query  key: customer = :v  filter: status = :v  projection: order',
      '            1 █▉░░░░░░░░░░░░░░░░░░   9.1%  RCU 0.5  WCU 0  p50 _ ms  p99 _ ms  scanned 3, returned 1 (filter discarded 66.7%)',
      '    Scan  key: none  filter: attribute_exists(gift)  projection: none',
      '            1 █▉░░░░░░░░░░░░░░░░░░   9.1%  RCU 0.5  WCU 0  p50 _ ms  p99 _ ms  scanned 4, returned 0 (filter discarded 100.0%)',
      '    PutItem  key: customer = :v AND order = :v  filter: attribute_not_exists(customer)  projection: none',
      '            1 █▉░░░░░░░░░░░░░░░░░░   9.1%  RCU 0  WCU 0  p50 _ ms  p99 _ ms  condition failed 1',
      '  Scans of the whole table: 1 requests read 4 items for 0.5 RCU',
      '  Hot partition keys (9 requests naming a key)',
      '    ███████████████▌░░░░  77.8%       7  ada',
      '    ████▌░░░░░░░░░░░░░░░  22.2%       2  bob',
      '  GSI write amplification (index write units per table write unit)',
      '    byStatus: 1 (4 WCU)',
      '  Cost of the interval: $0.000005 on-demand, $0.008450 provisioned (at its provisioned units)',
      '',
      'Interval cost, all tables: $0.000005 on-demand, $0.008450 provisioned',
      '',
    ]);
  });

  test('?since= keeps the minutes from then on; reset starts a new interval; bad parameters are 400', async () => {
    await cairn.client.send(new GetItemCommand({ TableName: 'shop', Key: { customer: { S: 'carol' }, order: { S: '1' } } }));
    const since = (await report(cairn, `?format=json&since=${new Date(START + HOUR).toISOString()}`)).body as {
      SinceMs: number;
      Tables: { Requests: number; Patterns: { Operation: string; Count: number }[] }[];
    };
    assert.equal(since.SinceMs, START + HOUR);
    assert.deepEqual(
      since.Tables.map((table) => [table.Requests, table.Patterns.map((one) => `${one.Operation} ${one.Count}`)]),
      [[1, ['GetItem 1']]],
    );
    const reset = await cairn.rawRequest({ method: 'POST', path: '/cairn/report/reset' });
    assert.equal(reset.status, 200);
    assert.deepEqual(reset.body, { Since: '2026-01-01T13:00:00.000Z' });
    const empty = await report(cairn);
    assert.match(empty.text, /\nNo requests recorded\.\n$/);
    assert.deepEqual((await report(cairn, '?format=yaml')).body, { message: 'unknown format yaml (text or json)' });
    assert.deepEqual((await report(cairn, '?since=yesterday')).body, { message: 'since must be an ISO date or milliseconds, got yesterday' });
    assert.equal((await cairn.rawRequest({ method: 'GET', path: '/cairn/report/reset' })).status, 405);
  });
});

describe('the report in enforce mode, with configured prices', () => {
  test('throttles by reason, batch writes per table, on-demand tables costed at their peak rate', async () => {
    const clock = new ManualClock(START);
    const cairn = await startCairn({
      inMemory: true,
      capacity: { mode: 'enforce', clock },
      prices: { ...DEFAULT_PRICES, onDemandWritePerMillion: 1, provisionedWritePerUnitHour: 0.001 },
    });
    try {
      const client = cairn.client;
      await client.send(
        new CreateTableCommand({
          TableName: 'metered',
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
        }),
      );
      await client.send(
        new CreateTableCommand({
          TableName: 'events',
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      await client.send(new PutItemCommand({ TableName: 'metered', Item: { id: { S: 'big' }, data: { S: 'x'.repeat(300 * 1024 - 10) } } }));
      await assert.rejects(client.send(new PutItemCommand({ TableName: 'metered', Item: { id: { S: 'refused' } } })));
      // 25 one-unit writes in one second of capacity time, then 5 more in the next: a peak of 25 WCU a second.
      await client.send(
        new BatchWriteItemCommand({
          RequestItems: { events: Array.from({ length: 25 }, (_, i) => ({ PutRequest: { Item: { id: { S: `e${i}` } } } })) },
        }),
      );
      clock.advance(1000);
      for (let i = 0; i < 5; i++) await client.send(new PutItemCommand({ TableName: 'events', Item: { id: { S: `later${i}` } } }));
      clock.advance(HOUR - 1000);
      const body = (await report(cairn, '?format=json')).body as {
        Prices: Record<string, number>;
        Tables: { TableName: string; Requests: number; WriteCapacityUnits: number; Patterns: unknown[]; Throttles: unknown[]; Cost: unknown }[];
      };
      assert.deepEqual(body.Prices, { ...DEFAULT_PRICES, onDemandWritePerMillion: 1, provisionedWritePerUnitHour: 0.001 });
      assert.deepEqual(
        body.Tables.map((table) => ({ ...withoutLatency(table), HotKeys: undefined, Patterns: withoutLatency(table.Patterns).length })),
        [
          {
            TableName: 'events',
            Region: 'us-east-1',
            BillingMode: 'PAY_PER_REQUEST',
            Requests: 6,
            ReadCapacityUnits: 0,
            WriteCapacityUnits: 30,
            Patterns: 2,
            Scans: { Requests: 0, ScannedCount: 0, ReadCapacityUnits: 0 },
            HotKeys: undefined,
            WriteAmplification: [],
            Throttles: [],
            // 30 WCU at $1 a million; provisioned at the peak of 25 WCU for an hour at $0.001.
            Cost: { OnDemand: 0.00003, Provisioned: 0.025, ProvisionedBasis: 'peak' },
          },
          {
            TableName: 'metered',
            Region: 'us-east-1',
            BillingMode: 'PROVISIONED',
            Requests: 2,
            ReadCapacityUnits: 0,
            WriteCapacityUnits: 300,
            Patterns: 1,
            Scans: { Requests: 0, ScannedCount: 0, ReadCapacityUnits: 0 },
            HotKeys: undefined,
            WriteAmplification: [],
            Throttles: [{ IndexName: null, Access: 'write', Reason: 'TableWriteProvisionedThroughputExceeded', Enforced: true, Count: 1 }],
            // 300 WCU at $1 a million; 1 RCU x $0.00013 + 1 WCU x $0.001 for an hour.
            Cost: { OnDemand: 0.0003, Provisioned: 0.00113, ProvisionedBasis: 'provisioned' },
          },
        ],
      );
      const metered = withoutLatency(body.Tables[1]?.Patterns);
      assert.deepEqual(metered, [
        pattern({ Operation: 'PutItem', KeyCondition: 'id = :v', Count: 2, Share: 1, WriteCapacityUnits: 300, Throttled: 1 }),
      ]);
      const events = withoutLatency(body.Tables[0]?.Patterns);
      assert.deepEqual(events, [
        pattern({ Operation: 'PutItem', KeyCondition: 'id = :v', Count: 5, Share: 0.8333, WriteCapacityUnits: 5 }),
        pattern({ Operation: 'BatchWriteItem', KeyCondition: 'id = :v', Count: 1, Share: 0.1667, WriteCapacityUnits: 25 }),
      ]);
      const text = (await report(cairn)).text;
      assert.match(text, /\n {2}Throttles\n {10}1 {2}TableWriteProvisionedThroughputExceeded\n/);
    } finally {
      await cairn.close();
    }
  });
});
