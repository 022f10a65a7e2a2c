/**
 * Stream triggers through the wire: handlers (a module on a worker thread, a TypeScript module, an HTTP endpoint)
 * get exactly Lambda's DynamoDB event, in order, in batches; filters drop records; the admin endpoint creates,
 * lists, replaces and removes triggers; a trigger follows its table to a new stream; and a slow handler holds up
 * neither PutItem nor other triggers.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import {
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  PutItemCommand,
  UpdateItemCommand,
  UpdateTableCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBClient as Client } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient, DescribeStreamCommand } from '@aws-sdk/client-dynamodb-streams';
import { startServer } from '../../src/server.js';
import { startCairn, type Cairn } from '../helpers/cairn.js';
import {
  admin,
  createTrigger,
  deliveredKeys,
  eventually,
  keysFrom,
  putKeys,
  readDeliveries,
  recordingModule,
  streamTable,
  tempDir,
  type LambdaRecord,
} from './triggers-fixtures.js';

let cairn: Cairn;
let client: DynamoDBClient;
const dir = tempDir();

before(async () => {
  cairn = await startCairn();
  client = cairn.client;
});

after(async () => {
  await cairn.close();
  dir.remove();
});

async function streamArnOf(table: string): Promise<string> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: table }));
  return Table?.LatestStreamArn as string;
}

describe('a module handler', () => {
  test("gets Lambda's event: the stream records in order, with eventSourceARN, in batches", async () => {
    await client.send(new CreateTableCommand(streamTable('orders')));
    const out = join(dir.path, 'orders.jsonl');
    const description = await createTrigger(cairn, { TableName: 'orders', Handler: recordingModule(dir.path, 'orders.mjs', out), BatchSize: 3 });
    assert.equal(description.Source, 'api');
    assert.equal(description.State, 'Enabled');

    await client.send(new PutItemCommand({ TableName: 'orders', Item: { id: { S: 'a' }, qty: { N: '1' } } }));
    await client.send(
      new UpdateItemCommand({
        TableName: 'orders',
        Key: { id: { S: 'a' } },
        UpdateExpression: 'SET qty = :q',
        ExpressionAttributeValues: { ':q': { N: '2' } },
      }),
    );
    await client.send(new DeleteItemCommand({ TableName: 'orders', Key: { id: { S: 'a' } } }));
    await putKeys(client, 'orders', keysFrom('k', 7));

    const records = await eventually(() => {
      const all = readDeliveries(out).flatMap((delivery) => delivery.event.Records);
      return all.length >= 10 && all;
    }, 'ten records');
    const arn = await streamArnOf('orders');
    assert.deepEqual(
      records.map((record) => record.eventName),
      ['INSERT', 'MODIFY', 'REMOVE', ...Array<string>(7).fill('INSERT')],
    );
    const sequences = records.map((record) => BigInt(record.dynamodb.SequenceNumber));
    assert.deepEqual([...sequences].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)), sequences, 'in sequence order');
    const [insert, modify, remove] = records as [LambdaRecord, LambdaRecord, LambdaRecord];
    assert.deepEqual(Object.keys(insert), ['eventID', 'eventName', 'eventVersion', 'eventSource', 'awsRegion', 'dynamodb', 'eventSourceARN']);
    assert.equal(insert.eventSource, 'aws:dynamodb');
    assert.equal(insert.eventVersion, '1.1');
    assert.equal(insert.awsRegion, 'us-east-1');
    assert.equal(insert.eventSourceARN, arn);
    assert.deepEqual(insert.dynamodb.NewImage, { id: { S: 'a' }, qty: { N: '1' } });
    assert.deepEqual(modify.dynamodb.OldImage, { id: { S: 'a' }, qty: { N: '1' } });
    assert.deepEqual(modify.dynamodb.NewImage, { id: { S: 'a' }, qty: { N: '2' } });
    assert.equal(remove.dynamodb.NewImage, undefined);
    assert.deepEqual(remove.dynamodb.Keys, { id: { S: 'a' } });

    const deliveries = readDeliveries(out);
    assert.ok(deliveries.every((delivery) => delivery.event.Records.length <= 3), 'BatchSize 3');
    assert.equal(new Set(deliveries.map((delivery) => delivery.requestId)).size, deliveries.length, 'one request id per invocation');
    assert.deepEqual(Object.keys(deliveries[0]?.event ?? {}), ['Records']);

    const status = (await admin(cairn, 'GET', `/cairn/triggers/${String(description.Id)}`)).body as Record<string, unknown>;
    assert.equal(status.EventSourceArn, arn);
    assert.equal(status.LastProcessingResult, 'OK');
    assert.equal((status.Statistics as Record<string, number>).RecordsDelivered, 10);
  });

  test('may be TypeScript, and export another name', async () => {
    await client.send(new CreateTableCommand(streamTable('typed')));
    const out = join(dir.path, 'typed.jsonl');
    const path = join(dir.path, 'typed-handler.ts');
    writeFileSync(
      path,
      `import { appendFileSync } from 'node:fs';
interface Event { Records: { dynamodb: { Keys: { id: { S: string } } } }[] }
export const onChange = async (event: Event): Promise<void> => {
  const keys: string[] = event.Records.map((record) => record.dynamodb.Keys.id.S);
  appendFileSync(${JSON.stringify(out)}, keys.join('\\n') + '\\n');
};
`,
    );
    await createTrigger(cairn, { TableName: 'typed', Handler: `${path}#onChange` });
    await putKeys(client, 'typed', ['t1', 't2']);
    await eventually(async () => {
      const { readFileSync, existsSync } = await import('node:fs');
      return existsSync(out) && readFileSync(out, 'utf8') === 't1\nt2\n';
    }, 'the TypeScript handler');
  });
});

describe('an HTTP handler', () => {
  let server: Server;
  const bodies: { headers: IncomingMessage['headers']; body: { Records: LambdaRecord[] } }[] = [];

  before(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        bodies.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Records: LambdaRecord[] } });
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('gets the same event, POSTed as JSON', async () => {
    await client.send(new CreateTableCommand(streamTable('hooked', 'NEW_IMAGE')));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    await createTrigger(cairn, { Id: 'hook', TableName: 'hooked', Handler: url });
    await putKeys(client, 'hooked', keysFrom('h', 5));
    const records = await eventually(() => {
      const all = bodies.flatMap((entry) => entry.body.Records);
      return all.length >= 5 && all;
    }, 'five records over HTTP');
    assert.deepEqual(
      records.map((record) => record.dynamodb.Keys.id.S),
      keysFrom('h', 5),
    );
    assert.equal(records[0]?.eventSourceARN, await streamArnOf('hooked'));
    assert.equal(records[0]?.dynamodb.StreamViewType, 'NEW_IMAGE');
    assert.equal(bodies[0]?.headers['content-type'], 'application/json');
    assert.equal(bodies[0]?.headers['x-cairn-trigger'], 'hook');
  });
});

describe('filters', () => {
  test("drop the records no pattern matches (Lambda's syntax, on the record as the handler sees it)", async () => {
    await client.send(new CreateTableCommand(streamTable('filtered')));
    const out = join(dir.path, 'filtered.jsonl');
    const description = await createTrigger(cairn, {
      TableName: 'filtered',
      Handler: recordingModule(dir.path, 'filtered.mjs', out),
      FilterCriteria: {
        Filters: [
          { Pattern: JSON.stringify({ eventName: ['INSERT'], dynamodb: { NewImage: { status: { S: [{ prefix: 'open' }] } } } }) },
          { Pattern: JSON.stringify({ eventName: ['REMOVE'] }) },
        ],
      },
    });
    await putKeys(client, 'filtered', ['f1'], { status: { S: 'open' } });
    await putKeys(client, 'filtered', ['f2'], { status: { S: 'closed' } });
    await putKeys(client, 'filtered', ['f3']);
    await putKeys(client, 'filtered', ['f1'], { status: { S: 'opened' } }); // MODIFY: dropped
    await client.send(new DeleteItemCommand({ TableName: 'filtered', Key: { id: { S: 'f2' } } }));
    await putKeys(client, 'filtered', ['f4'], { status: { S: 'open-ish' } });
    const records = await eventually(() => {
      const all = readDeliveries(out).flatMap((delivery) => delivery.event.Records);
      return all.length >= 3 && all;
    }, 'the matching records');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepEqual(
      readDeliveries(out)
        .flatMap((delivery) => delivery.event.Records)
        .map((record) => `${record.eventName} ${record.dynamodb.Keys.id.S}`),
      ['INSERT f1', 'REMOVE f2', 'INSERT f4'],
    );
    assert.equal(records.length, 3);
    const status = (await admin(cairn, 'GET', `/cairn/triggers/${String(description.Id)}`)).body as { Statistics: Record<string, number> };
    assert.equal(status.Statistics.RecordsFiltered, 3);
  });

  test('refuse an invalid pattern with 400', async () => {
    const response = await admin(cairn, 'POST', '/cairn/triggers', {
      TableName: 'filtered',
      Handler: recordingModule(dir.path, 'never.mjs', join(dir.path, 'never.jsonl')),
      FilterCriteria: { Filters: [{ Pattern: '{"eventName": "INSERT"}' }] },
    });
    assert.equal(response.status, 400);
    assert.match((response.body as { message: string }).message, /Invalid filter pattern definition/);
  });
});

describe('the admin endpoint', () => {
  test('lists, describes, replaces and removes triggers', async () => {
    await client.send(new CreateTableCommand(streamTable('managed')));
    const out = join(dir.path, 'managed.jsonl');
    const handler = recordingModule(dir.path, 'managed.mjs', out);

    const created = await admin(cairn, 'PUT', '/cairn/triggers/managed', { TableName: 'managed', Handler: handler, BatchSize: 2 });
    assert.equal(created.status, 201);
    assert.equal((created.body as { Id: string }).Id, 'managed');
    assert.equal((await admin(cairn, 'POST', '/cairn/triggers', { Id: 'managed', TableName: 'managed', Handler: handler })).status, 409);

    const list = (await admin(cairn, 'GET', '/cairn/triggers')).body as { Triggers: { Id: string }[] };
    assert.ok(list.Triggers.some((trigger) => trigger.Id === 'managed'));

    await putKeys(client, 'managed', ['m1']);
    await eventually(() => deliveredKeys(out).includes('m1'), 'm1');

    const replaced = await admin(cairn, 'PUT', '/cairn/triggers/managed', { TableName: 'managed', Handler: handler, BatchSize: 7 });
    assert.equal(replaced.status, 200);
    assert.equal((replaced.body as { BatchSize: number }).BatchSize, 7);
    await putKeys(client, 'managed', ['m2']);
    await eventually(() => deliveredKeys(out).includes('m2'), 'm2 after the replacement');
    // At least once: m1 may come again only if the replacement stopped the trigger between its call and checkpoint.
    assert.deepEqual([...new Set(deliveredKeys(out))], ['m1', 'm2'], 'the replacement kept the position');

    const removed = await admin(cairn, 'DELETE', '/cairn/triggers/managed');
    assert.equal(removed.status, 200);
    assert.equal((removed.body as { State: string }).State, 'Stopped');
    assert.equal((await admin(cairn, 'GET', '/cairn/triggers/managed')).status, 404);
    assert.equal((await admin(cairn, 'DELETE', '/cairn/triggers/managed')).status, 404);
    await putKeys(client, 'managed', ['m3']);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepEqual([...new Set(deliveredKeys(out))], ['m1', 'm2'], 'nothing after removal');
  });

  test('answers errors as JSON', async () => {
    const noTable = await admin(cairn, 'POST', '/cairn/triggers', { Handler: './x.mjs' });
    assert.equal(noTable.status, 400);
    assert.match((noTable.body as { message: string }).message, /TableName/);
    assert.equal((await admin(cairn, 'POST', '/cairn/triggers', '{not json')).status, 400);
    assert.equal((await admin(cairn, 'PATCH', '/cairn/triggers/x')).status, 405);
    assert.equal((await admin(cairn, 'POST', '/cairn/triggers', { TableName: 'managed', Handler: join(dir.path, 'missing.mjs') })).status, 400);
    // Other paths are still DynamoDB's 404.
    assert.equal((await admin(cairn, 'GET', '/cairn/other')).status, 404);
  });
});

describe('a trigger follows its table', () => {
  test('to a new stream (new ARN) when the stream is enabled again, after draining the old one', async () => {
    await client.send(new CreateTableCommand(streamTable('moving')));
    const out = join(dir.path, 'moving.jsonl');
    await createTrigger(cairn, { TableName: 'moving', Handler: recordingModule(dir.path, 'moving.mjs', out) });
    const firstArn = await streamArnOf('moving');
    await putKeys(client, 'moving', ['before']);
    await client.send(new UpdateTableCommand({ TableName: 'moving', StreamSpecification: { StreamEnabled: false } }));
    await putKeys(client, 'moving', ['unstreamed']);
    await client.send(new UpdateTableCommand({ TableName: 'moving', StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } }));
    const secondArn = await streamArnOf('moving');
    assert.notEqual(secondArn, firstArn);
    await putKeys(client, 'moving', ['after']);
    const records = await eventually(() => {
      const all = readDeliveries(out).flatMap((delivery) => delivery.event.Records);
      return all.length >= 2 && all;
    }, 'records of both streams');
    assert.deepEqual(
      records.map((record) => [record.dynamodb.Keys.id.S, record.eventSourceARN]),
      [
        ['before', firstArn],
        ['after', secondArn],
      ],
    );
  });

  test('from TRIM_HORIZON or from LATEST', async () => {
    await client.send(new CreateTableCommand(streamTable('history')));
    await putKeys(client, 'history', ['old1', 'old2']);
    const fromStart = join(dir.path, 'horizon.jsonl');
    const fromNow = join(dir.path, 'latest.jsonl');
    await createTrigger(cairn, { TableName: 'history', Handler: recordingModule(dir.path, 'horizon.mjs', fromStart), StartingPosition: 'TRIM_HORIZON' });
    await createTrigger(cairn, { TableName: 'history', Handler: recordingModule(dir.path, 'latest.mjs', fromNow), StartingPosition: 'LATEST' });
    await putKeys(client, 'history', ['new1']);
    await eventually(() => deliveredKeys(fromStart).length === 3 && deliveredKeys(fromNow).length === 1, 'both triggers');
    assert.deepEqual(deliveredKeys(fromStart), ['old1', 'old2', 'new1']);
    assert.deepEqual(deliveredKeys(fromNow), ['new1']);
  });

  test('that does not exist yet, and starts once it has a stream', async () => {
    const out = join(dir.path, 'later.jsonl');
    const description = await createTrigger(cairn, { TableName: 'later', Handler: recordingModule(dir.path, 'later.mjs', out) });
    assert.equal(description.State, 'Waiting');
    await client.send(new CreateTableCommand(streamTable('later')));
    await putKeys(client, 'later', ['l1']);
    await eventually(() => deliveredKeys(out).includes('l1'), 'l1');
  });
});

describe('a slow handler', () => {
  test('stalls neither PutItem nor the other triggers', async () => {
    await client.send(new CreateTableCommand(streamTable('busy')));
    const slowOut = join(dir.path, 'slow.jsonl');
    const fastOut = join(dir.path, 'fast.jsonl');
    // Blocks its thread for 8 s per batch, synchronously.
    await createTrigger(cairn, {
      TableName: 'busy',
      Handler: recordingModule(dir.path, 'slow.mjs', slowOut, 'const until = Date.now() + 8000; while (Date.now() < until) {}'),
      BatchSize: 1,
    });
    await createTrigger(cairn, { TableName: 'busy', Handler: recordingModule(dir.path, 'fast.mjs', fastOut) });
    await putKeys(client, 'busy', ['first']);
    await eventually(() => deliveredKeys(slowOut).length === 1, 'the slow handler to start');

    const started = Date.now();
    await putKeys(client, 'busy', keysFrom('b', 20));
    const elapsed = Date.now() - started;
    assert.ok(elapsed < 2500, `20 PutItems took ${elapsed} ms while the handler blocked its thread`);
    await eventually(() => deliveredKeys(fastOut).length === 21, 'the other trigger to deliver everything', 5000);
    assert.equal(deliveredKeys(slowOut).length, 1, 'the slow one is still on its first batch');
  });
});

describe('shards', () => {
  test('are read one after the other: a child once its parent is drained', async () => {
    const server = await startServer({ port: 0, inMemory: true, logLevel: 'silent', shardLimits: { maxRecords: 4 } });
    const options = { region: 'us-east-1', endpoint: server.url, credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' } };
    const local = new Client(options);
    const streams = new DynamoDBStreamsClient(options);
    try {
      await local.send(new CreateTableCommand(streamTable('rolled')));
      const out = join(dir.path, 'rolled.jsonl');
      await server.triggers.create({ TableName: 'rolled', Handler: recordingModule(dir.path, 'rolled.mjs', out), BatchSize: 10, StartingPosition: 'TRIM_HORIZON' });
      const keys = keysFrom('r', 14);
      await putKeys(local, 'rolled', keys);
      await eventually(() => deliveredKeys(out).length === 14, 'every record');
      assert.deepEqual(deliveredKeys(out), keys);
      const { Table } = await local.send(new DescribeTableCommand({ TableName: 'rolled' }));
      const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: Table?.LatestStreamArn }));
      assert.equal(StreamDescription?.Shards?.length, 4);
      const batches = readDeliveries(out).map((delivery) => delivery.event.Records.length);
      assert.ok(batches.every((size) => size <= 4), `a batch never spans two shards: ${batches.join(', ')}`);
    } finally {
      local.destroy();
      streams.destroy();
      await server.close();
    }
  });
});
