/**
 * `GET /metrics` after a scripted workload: consumed units by table, index and operation, requests by status,
 * latency histograms, throttles (enforced, and would-be in account mode), conditional failures, user errors,
 * Query/Scan item counts, provisioned capacity, items, sizes, partitions and TTL deletions, in Prometheus text.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTableCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateTimeToLiveCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { ManualClock } from '../../src/capacity/capacity-clock.js';
import { startCairn, type Cairn } from '../helpers/cairn.js';
import { rejectsWith } from '../helpers/assertions.js';
import { join } from 'node:path';
import { createTrigger, deliveredKeys, eventually, putKeys, recordingModule, streamTable, tempDir } from './triggers-fixtures.js';

/** The sample lines of the named metrics (comments left out), in the order served. */
export function samples(text: string, ...names: string[]): string[] {
  return text.split('\n').filter((line) => names.some((name) => line.startsWith(`${name}{`) || line.startsWith(`${name} `)));
}

async function metrics(cairn: Cairn): Promise<{ status: number; type: string; text: string }> {
  const response = await cairn.rawRequest({ method: 'GET', path: '/metrics' });
  return { status: response.status, type: response.headers['content-type'] ?? '', text: response.bytes.toString('utf8') };
}

function ordersTable() {
  return new CreateTableCommand({
    TableName: 'orders',
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [
      { AttributeName: 'customer', KeyType: 'HASH' },
      { AttributeName: 'order', KeyType: 'RANGE' },
    ],
    AttributeDefinitions: [
      { AttributeName: 'customer', AttributeType: 'S' },
      { AttributeName: 'order', AttributeType: 'S' },
      { AttributeName: 'status', AttributeType: 'S' },
    ],
    GlobalSecondaryIndexes: [{ IndexName: 'byStatus', KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
  });
}

describe('GET /metrics', () => {
  const clock = new ManualClock(1_000_000);
  let cairn: Cairn;
  let client: DynamoDBClient;
  before(async () => {
    cairn = await startCairn({ inMemory: true, capacity: { mode: 'enforce', clock }, ttlSweepIntervalMs: 3_600_000 });
    client = cairn.client;
    await client.send(ordersTable());
    await client.send(
      new CreateTableCommand({
        TableName: 'metered',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 1 },
      }),
    );
    // orders: three puts (1 WCU each on the table, 1 on the GSI), two reads (0.5 each), a filtered Query, a Scan,
    // a write refused by its condition, a request refused by validation.
    for (const [customer, order, status] of [
      ['ada', '1', 'open'],
      ['ada', '2', 'shipped'],
      ['bob', '1', 'open'],
    ] as const) {
      await client.send(new PutItemCommand({ TableName: 'orders', Item: { customer: { S: customer }, order: { S: order }, status: { S: status } } }));
    }
    for (let i = 0; i < 2; i++) await client.send(new GetItemCommand({ TableName: 'orders', Key: { customer: { S: 'ada' }, order: { S: '1' } } }));
    await client.send(
      new QueryCommand({
        TableName: 'orders',
        KeyConditionExpression: 'customer = :c',
        FilterExpression: '#s = :s',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':c': { S: 'ada' }, ':s': { S: 'open' } },
      }),
    );
    await client.send(new ScanCommand({ TableName: 'orders', IndexName: 'byStatus' }));
    await rejectsWith(
      client.send(
        new PutItemCommand({
          TableName: 'orders',
          Item: { customer: { S: 'ada' }, order: { S: '1' } },
          ConditionExpression: 'attribute_not_exists(customer)',
        }),
      ),
      'ConditionalCheckFailedException',
      'The conditional request failed',
    );
    await rejectsWith(
      client.send(new GetItemCommand({ TableName: 'orders', Key: { customer: { S: 'ada' } } })),
      'ValidationException',
      'The provided key element does not match the schema',
    );
    // metered (1 WCU, 300 units of burst credit): one 300 KB item spends it all; the next write is throttled.
    await client.send(new PutItemCommand({ TableName: 'metered', Item: { id: { S: 'big' }, data: { S: 'x'.repeat(300 * 1024 - 10) } } }));
    await rejectsWith(
      client.send(new PutItemCommand({ TableName: 'metered', Item: { id: { S: 'refused' } } })),
      'ProvisionedThroughputExceededException',
      'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
    );
  });
  after(() => cairn.close());

  test('consumed units by table, index and operation, in Prometheus text format', async () => {
    const { status, type, text } = await metrics(cairn);
    assert.equal(status, 200);
    assert.equal(type, 'text/plain; version=0.0.4; charset=utf-8');
    assert.deepEqual(samples(text, 'cairn_consumed_read_capacity_units_total', 'cairn_consumed_write_capacity_units_total'), [
      'cairn_consumed_read_capacity_units_total{table="orders",index="",operation="GetItem"} 1',
      'cairn_consumed_read_capacity_units_total{table="orders",index="",operation="Query"} 0.5',
      'cairn_consumed_read_capacity_units_total{table="orders",index="byStatus",operation="Scan"} 0.5',
      'cairn_consumed_write_capacity_units_total{table="orders",index="",operation="PutItem"} 3',
      'cairn_consumed_write_capacity_units_total{table="orders",index="byStatus",operation="PutItem"} 3',
      'cairn_consumed_write_capacity_units_total{table="metered",index="",operation="PutItem"} 300',
    ]);
  });

  test('requests by status, errors by kind, throttles by reason', async () => {
    const { text } = await metrics(cairn);
    assert.deepEqual(
      samples(text, 'cairn_requests_total').filter((line) => !line.includes('CreateTable')),
      [
        'cairn_requests_total{table="orders",operation="PutItem",status="200"} 3',
        'cairn_requests_total{table="orders",operation="PutItem",status="400"} 1',
        'cairn_requests_total{table="orders",operation="GetItem",status="200"} 2',
        'cairn_requests_total{table="orders",operation="GetItem",status="400"} 1',
        'cairn_requests_total{table="orders",operation="Query",status="200"} 1',
        'cairn_requests_total{table="orders",operation="Scan",status="200"} 1',
        'cairn_requests_total{table="metered",operation="PutItem",status="200"} 1',
        'cairn_requests_total{table="metered",operation="PutItem",status="400"} 1',
      ],
    );
    assert.deepEqual(samples(text, 'cairn_conditional_check_failed_requests_total'), [
      'cairn_conditional_check_failed_requests_total{table="orders",operation="PutItem"} 1',
    ]);
    assert.deepEqual(samples(text, 'cairn_user_errors_total'), ['cairn_user_errors_total{operation="GetItem",error="ValidationException"} 1']);
    assert.deepEqual(samples(text, 'cairn_system_errors_total'), []);
    assert.deepEqual(samples(text, 'cairn_throttled_requests_total'), [
      'cairn_throttled_requests_total{table="metered",operation="PutItem",reason="TableWriteProvisionedThroughputExceeded"} 1',
    ]);
    assert.deepEqual(samples(text, 'cairn_write_throttle_events_total', 'cairn_read_throttle_events_total'), [
      'cairn_write_throttle_events_total{table="metered",index="",reason="TableWriteProvisionedThroughputExceeded",enforced="true"} 1',
    ]);
  });

  test('latency histograms of successful requests, and Query / Scan item counts', async () => {
    const { text } = await metrics(cairn);
    assert.deepEqual(samples(text, 'cairn_successful_request_latency_seconds_count').filter((line) => !line.includes('CreateTable')), [
      'cairn_successful_request_latency_seconds_count{table="orders",operation="PutItem"} 3',
      'cairn_successful_request_latency_seconds_count{table="orders",operation="GetItem"} 2',
      'cairn_successful_request_latency_seconds_count{table="orders",operation="Query"} 1',
      'cairn_successful_request_latency_seconds_count{table="orders",operation="Scan"} 1',
      'cairn_successful_request_latency_seconds_count{table="metered",operation="PutItem"} 1',
    ]);
    const buckets = samples(text, 'cairn_successful_request_latency_seconds_bucket').filter((line) => line.includes('operation="GetItem"'));
    assert.deepEqual(
      buckets.map((line) => line.replace(/ \d+$/, '')),
      ['0.00025', '0.0005', '0.001', '0.0025', '0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '+Inf'].map(
        (le) => `cairn_successful_request_latency_seconds_bucket{le="${le}",table="orders",operation="GetItem"}`,
      ),
    );
    assert.ok(buckets.at(-1)?.endsWith(' 2'));
    assert.match(text, /^# TYPE cairn_successful_request_latency_seconds histogram$/m);
    const [sum] = samples(text, 'cairn_successful_request_latency_seconds_sum').filter((line) => line.includes('operation="GetItem"'));
    assert.match(sum ?? '', /^cairn_successful_request_latency_seconds_sum\{table="orders",operation="GetItem"\} [\d.e-]+$/);
    assert.deepEqual(samples(text, 'cairn_returned_item_count_total', 'cairn_scanned_item_count_total'), [
      'cairn_returned_item_count_total{table="orders",index="",operation="Query"} 1',
      'cairn_returned_item_count_total{table="orders",index="byStatus",operation="Scan"} 3',
      'cairn_scanned_item_count_total{table="orders",index="",operation="Query"} 2',
      'cairn_scanned_item_count_total{table="orders",index="byStatus",operation="Scan"} 3',
    ]);
  });

  test('provisioned capacity, items, sizes and partitions, read when scraped', async () => {
    const { text } = await metrics(cairn);
    assert.deepEqual(samples(text, 'cairn_provisioned_read_capacity_units', 'cairn_provisioned_write_capacity_units'), [
      'cairn_provisioned_read_capacity_units{table="metered",index=""} 5',
      'cairn_provisioned_write_capacity_units{table="metered",index=""} 1',
    ]);
    assert.deepEqual(samples(text, 'cairn_item_count'), [
      'cairn_item_count{table="orders",index=""} 3',
      'cairn_item_count{table="orders",index="byStatus"} 3',
      'cairn_item_count{table="metered",index=""} 1',
    ]);
    // orders: three items of 'customer', 'order' and 'status' (8 + 5 + 6 bytes of names) with values of 3 + 1 + 4
    // (open) or 7 (shipped) bytes: 27 + 30 + 27.
    assert.deepEqual(samples(text, 'cairn_size_bytes').slice(0, 1), ['cairn_size_bytes{table="orders",index=""} 84']);
    // 4 partitions for a new on-demand table (12,000 RCU or 4,000 WCU), 1 for 5 RCU / 1 WCU.
    assert.deepEqual(samples(text, 'cairn_partition_count'), [
      'cairn_partition_count{table="orders",index=""} 4',
      'cairn_partition_count{table="orders",index="byStatus"} 4',
      'cairn_partition_count{table="metered",index=""} 1',
    ]);
    assert.match(text, /^# TYPE cairn_trigger_iterator_age_seconds gauge$/m);
    assert.match(text, /^# TYPE cairn_trigger_backlog_records gauge$/m);
  });

  test('TTL deletions are counted (TimeToLiveDeletedItemCount)', async () => {
    await client.send(new UpdateTimeToLiveCommand({ TableName: 'orders', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } }));
    await cairn.server.engine.settleBackgroundWork();
    const past = String(Math.floor(Date.now() / 1000) - 60);
    for (const order of ['7', '8']) {
      await client.send(new PutItemCommand({ TableName: 'orders', Item: { customer: { S: 'eve' }, order: { S: order }, expires: { N: past } } }));
    }
    await cairn.server.engine.periodicRound(Date.now(), false);
    const { text } = await metrics(cairn);
    assert.deepEqual(samples(text, 'cairn_time_to_live_deleted_item_count_total'), ['cairn_time_to_live_deleted_item_count_total{table="orders"} 2']);
  });

  test('only GET, only loopback; other paths under /cairn/ are not DynamoDB\'s', async () => {
    const post = await cairn.rawRequest({ method: 'POST', path: '/metrics' });
    assert.equal(post.status, 405);
    assert.equal(post.headers.allow, 'GET');
    assert.deepEqual(post.body, { message: 'POST is not allowed here' });
    const unknown = await cairn.rawRequest({ method: 'GET', path: '/cairn/nothing' });
    assert.equal(unknown.status, 404);
    assert.deepEqual(unknown.body, { message: 'no endpoint at /cairn/nothing' });
  });
});

describe('GET /metrics in account and off modes', () => {
  test('account mode counts the throttles that would have happened, labelled enforced="false"', async () => {
    const cairn = await startCairn({ inMemory: true, capacity: { mode: 'account', clock: new ManualClock(0) } });
    try {
      await cairn.client.send(
        new CreateTableCommand({
          TableName: 'metered',
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
        }),
      );
      await cairn.client.send(new PutItemCommand({ TableName: 'metered', Item: { id: { S: 'big' }, data: { S: 'x'.repeat(300 * 1024 - 10) } } }));
      await cairn.client.send(new PutItemCommand({ TableName: 'metered', Item: { id: { S: 'served' } } }));
      const { text } = await metrics(cairn);
      assert.deepEqual(samples(text, 'cairn_write_throttle_events_total'), [
        'cairn_write_throttle_events_total{table="metered",index="",reason="TableWriteProvisionedThroughputExceeded",enforced="false"} 1',
      ]);
      // The request was served: no throttled request.
      assert.deepEqual(samples(text, 'cairn_throttled_requests_total'), []);
      assert.deepEqual(samples(text, 'cairn_consumed_write_capacity_units_total'), [
        'cairn_consumed_write_capacity_units_total{table="metered",index="",operation="PutItem"} 301',
      ]);
    } finally {
      await cairn.close();
    }
  });

  test('off mode records no requests (the gauges are still served)', async () => {
    const cairn = await startCairn({ inMemory: true, capacity: { mode: 'off' } });
    try {
      await cairn.client.send(
        new CreateTableCommand({
          TableName: 'plain',
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      await cairn.client.send(new PutItemCommand({ TableName: 'plain', Item: { id: { S: 'a' } } }));
      const { status, text } = await metrics(cairn);
      assert.equal(status, 200);
      assert.deepEqual(samples(text, 'cairn_requests_total', 'cairn_consumed_write_capacity_units_total'), []);
      assert.deepEqual(samples(text, 'cairn_item_count'), ['cairn_item_count{table="plain",index=""} 1']);
    } finally {
      await cairn.close();
    }
  });
});

describe('GET /metrics: trigger lag', () => {
  test('each trigger has its iterator age and the records of its stream not yet delivered', async () => {
    const dir = tempDir('cairn-metrics-');
    const cairn = await startCairn({ inMemory: true });
    try {
      await cairn.client.send(new CreateTableCommand(streamTable('feed')));
      const out = join(dir.path, 'feed.jsonl');
      await createTrigger(cairn, { Id: 'feed-audit', TableName: 'feed', Handler: recordingModule(dir.path, 'feed.mjs', out) });
      await putKeys(cairn.client, 'feed', ['a', 'b', 'c']);
      await eventually(() => deliveredKeys(out).length === 3, 'three records delivered');
      // Delivered, and the position moved past them (the next round of the trigger sees no backlog).
      const text = await eventually(async () => {
        const scraped = (await metrics(cairn)).text;
        return samples(scraped, 'cairn_trigger_backlog_records')[0]?.endsWith(' 0') === true ? scraped : undefined;
      }, 'no backlog');
      assert.deepEqual(samples(text, 'cairn_trigger_backlog_records'), ['cairn_trigger_backlog_records{trigger="feed-audit",table="feed"} 0']);
      const [age] = samples(text, 'cairn_trigger_iterator_age_seconds');
      const match = /^cairn_trigger_iterator_age_seconds\{trigger="feed-audit",table="feed"\} ([\d.]+)$/.exec(age ?? '');
      // Records carry their creation time in whole seconds: the age is under a second or two here.
      assert.ok(match !== null && Number(match[1]) < 5, age);
    } finally {
      await cairn.close();
      dir.remove();
    }
  });
});
