/**
 * Stream triggers when handlers fail: retries up to MaximumRetryAttempts, then Lambda's invocation record to the
 * on-failure destination (a JSON-lines file or a table) and on to the next records; bisection isolating a bad
 * record; ReportBatchItemFailures resuming from the lowest failed sequence number; handlers that hang (timeout,
 * the worker restarted) or answer HTTP errors.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CreateTableCommand, DescribeTableCommand, ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startCairn, type Cairn } from '../helpers/cairn.js';
import { hashKeyTable } from '../helpers/tables.js';
import { createTrigger, deliveredKeys, eventually, keysFrom, putKeys, readDeliveries, readJsonLines, recordingModule, streamTable, tempDir } from './triggers-fixtures.js';

let cairn: Cairn;
let client: DynamoDBClient;
const dir = tempDir();

before(async () => {
  cairn = await startCairn({ inMemory: true });
  client = cairn.client;
});

after(async () => {
  await cairn.close();
  dir.remove();
});

interface InvocationRecord {
  requestContext: { requestId: string; functionArn: string; condition: string; approximateInvokeCount: number };
  responseContext: { statusCode: number; executedVersion: string; functionError?: string };
  version: string;
  timestamp: string;
  DDBStreamBatchInfo: {
    shardId: string;
    startSequenceNumber: string;
    endSequenceNumber: string;
    approximateArrivalOfFirstRecord: string;
    approximateArrivalOfLastRecord: string;
    batchSize: number;
    streamArn: string;
  };
  payload?: string;
}

const sequenceOfKey = (out: string, key: string): string | undefined =>
  readDeliveries(out)
    .flatMap((delivery) => delivery.event.Records)
    .find((record) => record.dynamodb.Keys.id.S === key)?.dynamodb.SequenceNumber;

describe('a failing handler', () => {
  test('is retried, then its batch goes to the failure file, and delivery goes on', async () => {
    await client.send(new CreateTableCommand(streamTable('retried')));
    const out = join(dir.path, 'retried.jsonl');
    const failures = join(dir.path, 'retried-failures.jsonl');
    await createTrigger(cairn, {
      Id: 'retried',
      TableName: 'retried',
      Handler: recordingModule(dir.path, 'retried.mjs', out, "if (keys.includes('poison')) throw new Error('cannot handle poison');"),
      BatchSize: 1,
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: `file:${failures}` } },
    });
    await putKeys(client, 'retried', ['good1', 'poison', 'good2']);
    await eventually(() => deliveredKeys(out).includes('good2'), 'the record after the poison one');
    assert.deepEqual(deliveredKeys(out), ['good1', 'poison', 'poison', 'poison', 'good2'], 'the first call and two retries');

    const [record] = readJsonLines(failures) as unknown as InvocationRecord[];
    assert.ok(record !== undefined);
    const { Table } = await client.send(new DescribeTableCommand({ TableName: 'retried' }));
    assert.deepEqual(Object.keys(record), ['requestContext', 'responseContext', 'version', 'timestamp', 'DDBStreamBatchInfo', 'payload']);
    assert.equal(record.requestContext.condition, 'RetryAttemptsExhausted');
    assert.equal(record.requestContext.approximateInvokeCount, 3);
    assert.equal(record.requestContext.functionArn, 'arn:aws:lambda:us-east-1:000000000000:function:retried');
    assert.deepEqual(record.responseContext, { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
    assert.equal(record.version, '1.0');
    assert.match(record.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const info = record.DDBStreamBatchInfo;
    assert.equal(info.streamArn, Table?.LatestStreamArn);
    assert.match(info.shardId, /^shardId-\d{20}-[0-9a-f]{8}$/);
    assert.equal(info.startSequenceNumber, sequenceOfKey(out, 'poison'));
    assert.equal(info.endSequenceNumber, info.startSequenceNumber);
    assert.equal(info.batchSize, 1);
    assert.match(info.approximateArrivalOfFirstRecord, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const payload = JSON.parse(record.payload as string) as { Records: { dynamodb: { Keys: { id: { S: string } } } }[] };
    assert.equal(payload.Records[0]?.dynamodb.Keys.id.S, 'poison');
  });

  test('with BisectBatchOnFunctionError: halves isolate the bad record, the others are delivered', async () => {
    await client.send(new CreateTableCommand(streamTable('bisected')));
    const out = join(dir.path, 'bisected.jsonl');
    const failures = join(dir.path, 'bisected-failures.jsonl');
    await createTrigger(cairn, {
      TableName: 'bisected',
      Handler: recordingModule(dir.path, 'bisected.mjs', out, "if (keys.includes('k0005')) throw new Error('bad record');"),
      BatchSize: 8,
      MaximumBatchingWindowInSeconds: 5,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 0,
      OnFailure: `file:${failures}`,
    });
    await putKeys(client, 'bisected', keysFrom('k', 8));
    const [record] = await eventually(() => {
      const lines = readJsonLines(failures);
      return lines.length > 0 && (lines as unknown as InvocationRecord[]);
    }, 'the failure record');
    await eventually(() => readDeliveries(out).length >= 7, 'the records after the bad one');
    const calls = readDeliveries(out).map((delivery) => delivery.event.Records.map((one) => one.dynamodb.Keys.id.S));
    assert.deepEqual(calls, [keysFrom('k', 8), keysFrom('k', 4), keysFrom('k', 8).slice(4), ['k0004', 'k0005'], ['k0004'], ['k0005'], ['k0006', 'k0007']]);
    assert.equal(record?.DDBStreamBatchInfo.batchSize, 1);
    assert.equal(record?.DDBStreamBatchInfo.startSequenceNumber, sequenceOfKey(out, 'k0005'));
    assert.equal(record?.requestContext.approximateInvokeCount, 1);
  });

  test('reporting batch item failures: delivery resumes at the lowest failed sequence number', async () => {
    await client.send(new CreateTableCommand(streamTable('partial')));
    const out = join(dir.path, 'partial.jsonl');
    const seen = join(dir.path, 'partial-seen.txt');
    // Fails k0002 and k0004 the first time it sees them.
    const body = `
      const { existsSync, readFileSync, appendFileSync: append } = await import('node:fs');
      const before = existsSync(${JSON.stringify(seen)}) ? readFileSync(${JSON.stringify(seen)}, 'utf8').split('\\n') : [];
      const failed = event.Records.filter((record) => ['k0002', 'k0004'].includes(record.dynamodb.Keys.id.S) && !before.includes(record.dynamodb.Keys.id.S));
      for (const record of failed) append(${JSON.stringify(seen)}, record.dynamodb.Keys.id.S + '\\n');
      return { batchItemFailures: failed.map((record) => ({ itemIdentifier: record.dynamodb.SequenceNumber })) };`;
    await createTrigger(cairn, {
      TableName: 'partial',
      Handler: recordingModule(dir.path, 'partial.mjs', out, body),
      BatchSize: 6,
      MaximumBatchingWindowInSeconds: 5,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    await putKeys(client, 'partial', keysFrom('k', 6));
    await eventually(() => readDeliveries(out).length >= 2, 'the retry');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const calls = readDeliveries(out).map((delivery) => delivery.event.Records.map((one) => one.dynamodb.Keys.id.S));
    assert.deepEqual(calls, [keysFrom('k', 6), keysFrom('k', 6).slice(2)]);
  });

  test('that hangs is stopped at its Timeout, its worker replaced, and the batch given up', async () => {
    await client.send(new CreateTableCommand(streamTable('hanging')));
    const out = join(dir.path, 'hanging.jsonl');
    const failures = join(dir.path, 'hanging-failures.jsonl');
    await createTrigger(cairn, {
      TableName: 'hanging',
      Handler: recordingModule(dir.path, 'hanging.mjs', out, "if (keys.includes('stuck')) await new Promise(() => { setInterval(() => {}, 1000); });"),
      BatchSize: 1,
      Timeout: 1,
      MaximumRetryAttempts: 0,
      OnFailure: `file:${failures}`,
    });
    await putKeys(client, 'hanging', ['stuck', 'next']);
    await eventually(() => deliveredKeys(out).includes('next'), 'the record after the hanging one', 8000);
    const [record] = readJsonLines(failures) as unknown as InvocationRecord[];
    assert.equal(record?.requestContext.condition, 'RetryAttemptsExhausted');
    assert.equal(record?.responseContext.functionError, 'Unhandled');
  });
});

describe('failure destinations', () => {
  test('a table gets the invocation record as an item', async () => {
    await client.send(new CreateTableCommand(streamTable('source')));
    await client.send(new CreateTableCommand(hashKeyTable('failures', 'pk')));
    const out = join(dir.path, 'source.jsonl');
    await createTrigger(cairn, {
      Id: 'to-table',
      TableName: 'source',
      Handler: recordingModule(dir.path, 'source.mjs', out, "throw new Error('always');"),
      MaximumRetryAttempts: 1,
      OnFailure: 'table:failures',
    });
    await putKeys(client, 'source', ['s1']);
    const items = await eventually(async () => {
      const { Items } = await client.send(new ScanCommand({ TableName: 'failures' }));
      return Items !== undefined && Items.length > 0 && Items;
    }, 'the failure item');
    const item = items[0];
    assert.ok(item !== undefined);
    const sequence = sequenceOfKey(out, 's1') as string;
    assert.match(item.pk?.S ?? '', new RegExp(`^to-table/shardId-\\d{20}-[0-9a-f]{8}/${sequence}$`));
    assert.equal(item.requestContext?.M?.condition?.S, 'RetryAttemptsExhausted');
    assert.equal(item.requestContext?.M?.approximateInvokeCount?.N, '2');
    assert.equal(item.DDBStreamBatchInfo?.M?.startSequenceNumber?.S, sequence);
    assert.equal(item.DDBStreamBatchInfo?.M?.batchSize?.N, '1');
    assert.equal(item.version?.S, '1.0');
    assert.ok(item.payload?.S?.includes('"s1"'));
  });
});

describe('an HTTP handler answering errors', () => {
  let server: Server;
  let calls = 0;
  before(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        calls++;
        res.writeHead(500);
        res.end('handler broke');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('is retried like one that throws', async () => {
    await client.send(new CreateTableCommand(streamTable('remote')));
    const failures = join(dir.path, 'remote-failures.jsonl');
    await createTrigger(cairn, {
      TableName: 'remote',
      Handler: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
      MaximumRetryAttempts: 2,
      OnFailure: `file:${failures}`,
    });
    await putKeys(client, 'remote', ['r1']);
    const [record] = await eventually(() => {
      const lines = readJsonLines(failures);
      return lines.length > 0 && (lines as unknown as InvocationRecord[]);
    }, 'the failure record');
    assert.equal(calls, 3);
    assert.equal(record?.requestContext.approximateInvokeCount, 3);
  });
});
