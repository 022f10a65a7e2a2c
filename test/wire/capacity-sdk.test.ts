/**
 * The AWS SDKs against Cairn's throttling, with their default retry behaviour (unlike the other wire tests, whose
 * client makes one attempt): a throttled PutItem is retried with backoff and succeeds once capacity time has
 * refilled the bucket; UnprocessedItems of a throttled BatchWriteItem are retried to completion, by the usual
 * loop with the JS SDK (lib-dynamodb has no batch writer) and by boto3's batch_writer, which re-queues them
 * itself; and both SDKs read the ThrottlingReasons of the exceptions under the member names their models give.
 *
 * The capacity clock is a manual one that starts running fast (a second of capacity time every millisecond) at
 * the first throttle, so that the first attempts are throttled whatever the machine's speed and the retries then
 * find capacity.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import {
  CreateTableCommand,
  DynamoDBClient,
  PutItemCommand,
  ScanCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, type BatchWriteCommandInput, type BatchWriteCommandOutput } from '@aws-sdk/lib-dynamodb';
import { ManualClock } from '../../src/capacity/capacity-clock.js';
import { startCairn, type Cairn } from '../helpers/cairn.js';
import { filler, hashOf, resourceOf } from '../helpers/capacity.js';

const hasBoto3 = spawnSync('python3', ['-c', 'import boto3'], { stdio: 'ignore' }).status === 0;

describe('SDK retries against throttling', () => {
  const clock = new ManualClock(30_000_000);
  let cairn: Cairn;
  /** A client with the SDK's default retry strategy (4 attempts for DynamoDB, backoff from 1 s on throttles). */
  let retrying: DynamoDBClient;
  let timer: NodeJS.Timeout | undefined;
  let enforcedThrottles = 0;
  before(async () => {
    cairn = await startCairn({ inMemory: true, capacity: { mode: 'enforce', clock } });
    retrying = new DynamoDBClient({ region: 'us-east-1', endpoint: cairn.url, credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' } });
    cairn.server.engine.capacity.observer = {
      throttled: (_throttle, _access, enforced) => {
        if (!enforced) return;
        enforcedThrottles++;
        timer ??= setInterval(() => clock.advance(1000), 1);
      },
    };
  });
  after(async () => {
    clearInterval(timer);
    retrying.destroy();
    await cairn.close();
  });
  /** Stops the clock again (each test starts on a still clock). */
  function stopClock(): void {
    clearInterval(timer);
    timer = undefined;
  }

  test('a throttled PutItem is retried with backoff and succeeds once the bucket has refilled', async () => {
    stopClock();
    await cairn.client.send(
      new CreateTableCommand({
        TableName: 'retried',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
      }),
    );
    // 400 units against 300 of credit: a debt of 100 seconds.
    await cairn.client.send(new PutItemCommand({ TableName: 'retried', Item: { id: { S: 'big' }, d: { S: filler(400 * 1024 - 9) } } }));
    const before = enforcedThrottles;
    const answer = await retrying.send(new PutItemCommand({ TableName: 'retried', Item: { id: { S: 'retried' } } }));
    assert.ok(enforcedThrottles > before, 'the first attempt was throttled');
    assert.equal(answer.$metadata.attempts, enforcedThrottles - before + 1);
    assert.ok((answer.$metadata.totalRetryDelay ?? -1) >= 0);
    const scan = await retrying.send(new ScanCommand({ TableName: 'retried', Select: 'COUNT' }));
    assert.equal(scan.Count, 2);
  });

  /** The items of a table, page by page. */
  async function countItems(TableName: string): Promise<number> {
    let count = 0;
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await retrying.send(new ScanCommand({ TableName, Select: 'COUNT', ...(start !== undefined ? { ExclusiveStartKey: start } : {}) }));
      count += page.Count ?? 0;
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return count;
  }

  /** An on-demand table, its hot partition key, and other keys in other partitions. */
  async function hotTable(TableName: string): Promise<{ hot: string; others: string[] }> {
    await cairn.client.send(
      new CreateTableCommand({
        TableName,
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    const partitions = resourceOf(cairn, TableName).partitions.partitions;
    const partitionOf = (pk: string) =>
      partitions.findIndex((partition) => partition.contains(hashOf(cairn, TableName, { pk: { S: pk }, sk: { S: 's' } })));
    const others = Array.from({ length: 40 }, (_, i) => `tenant${i}`).filter((pk) => partitionOf(pk) !== partitionOf('hot'));
    return { hot: 'hot', others };
  }

  test('UnprocessedItems of throttled BatchWriteItems retried to completion by the usual loop (lib-dynamodb)', async () => {
    stopClock();
    const { hot, others } = await hotTable('fanout');
    const doc = DynamoDBDocumentClient.from(retrying);
    // 50 items: 25 of 100 KB (100 write units each) on the hot key, 25 small ones spread over other partitions. The
    // first batch takes the hot partition 300 units into debt; later batches find it in debt (their other items
    // are written) until capacity time pays it back.
    const items = Array.from({ length: 50 }, (_, i) =>
      i % 2 === 0 ? { pk: hot, sk: `s${i}`, d: filler(100 * 1024 - 20) } : { pk: others[i % others.length] as string, sk: `s${i}`, d: 'small' },
    );
    let rounds = 0;
    let unprocessedSeen = 0;
    for (let start = 0; start < items.length; start += 25) {
      let pending: BatchWriteCommandInput['RequestItems'] = { fanout: items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } })) };
      for (let attempt = 0; pending !== undefined && Object.keys(pending).length > 0; attempt++) {
        assert.ok(attempt < 20, 'the loop finishes');
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(1000, 50 * 2 ** attempt)));
        rounds++;
        const answer: BatchWriteCommandOutput = await doc.send(new BatchWriteCommand({ RequestItems: pending }));
        pending = answer.UnprocessedItems;
        unprocessedSeen += pending?.fanout?.length ?? 0;
      }
    }
    assert.ok(unprocessedSeen > 0, 'some requests came back unprocessed');
    assert.ok(rounds > 2);
    assert.equal(await countItems('fanout'), 50);
  });

  test('boto3: batch_writer re-queues UnprocessedItems to completion; ThrottlingReasons read under their model names', { skip: hasBoto3 ? false : 'boto3 is not installed' }, async () => {
    stopClock();
    const { hot, others } = await hotTable('boto');
    // A table to throttle with retries turned off, once per exception.
    await cairn.client.send(
      new CreateTableCommand({
        TableName: 'botoProvisioned',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
      }),
    );
    await cairn.client.send(new PutItemCommand({ TableName: 'botoProvisioned', Item: { id: { S: 'big' }, d: { S: filler(400 * 1024 - 9) } } }));
    const item = (pk: string, sk: string): Record<string, AttributeValue> => ({ pk: { S: pk }, sk: { S: sk }, d: { S: filler(400 * 1024 - 20) } });
    for (const sk of ['a', 'b', 'c']) await cairn.client.send(new PutItemCommand({ TableName: 'boto', Item: item(hot, sk) }));
    const probe = await runPython(THROTTLED_ONCE_SCRIPT, [cairn.url, hot]);
    assert.equal(probe.status, 0, probe.stderr);
    assert.deepEqual(JSON.parse(probe.stdout), {
      ThrottlingException: {
        message:
          'Throughput exceeds the current capacity of your table or index. DynamoDB is automatically scaling your table or index so please try again shortly. ' +
          'If exceptions persist, check if you have a hot key: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html',
        throttlingReasons: [{ reason: 'TableWriteKeyRangeThroughputExceeded', resource: 'arn:aws:dynamodb:us-east-1:000000000000:table/boto' }],
      },
      ProvisionedThroughputExceededException: {
        message: 'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
        ThrottlingReasons: [{ reason: 'TableWriteProvisionedThroughputExceeded', resource: 'arn:aws:dynamodb:us-east-1:000000000000:table/botoProvisioned' }],
      },
    });
    // The hot partition has refilled meanwhile; the clock stands still until batch_writer's second batch is throttled.
    stopClock();
    const result = await runPython(BATCH_WRITER_SCRIPT, [cairn.url, hot, JSON.stringify(others)]);
    assert.equal(result.status, 0, result.stderr);
    const out = JSON.parse(result.stdout) as { unprocessed: number };
    assert.ok(out.unprocessed > 0, 'batch_writer met UnprocessedItems');
    // Three items written before, 60 by batch_writer.
    assert.equal(await countItems('boto'), 63);
  });
});

// Throttles the hot key (ThrottlingException) and the provisioned table (ProvisionedThroughputExceededException)
// once each, retries off, and prints the modeled members boto3 parsed from each error.
const THROTTLED_ONCE_SCRIPT = `
import json, sys, boto3
from botocore.config import Config
from botocore.exceptions import ClientError
endpoint, hot = sys.argv[1], sys.argv[2]
errors = {}
once = boto3.client('dynamodb', endpoint_url=endpoint, region_name='us-east-1', config=Config(retries={'total_max_attempts': 1}))
for table, key in (('boto', {'pk': {'S': hot}, 'sk': {'S': 'z'}}), ('botoProvisioned', {'id': {'S': 'x'}})):
    try:
        once.put_item(TableName=table, Item=key)
    except ClientError as error:
        response = error.response
        errors[response['Error']['Code']] = {k: v for k, v in response.items() if k not in ('Error', 'ResponseMetadata')}
print(json.dumps(errors))
`;

// Writes 60 items through batch_writer, every other one a 100 KB item on the hot key, the others small ones on
// other keys, counting the UnprocessedItems it met (and re-queued).
const BATCH_WRITER_SCRIPT = `
import json, sys, boto3
endpoint, hot, others = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
out = {'unprocessed': 0}
resource = boto3.resource('dynamodb', endpoint_url=endpoint, region_name='us-east-1')
def count(parsed, **kwargs):
    out['unprocessed'] += sum(len(requests) for requests in parsed.get('UnprocessedItems', {}).values())
resource.meta.client.meta.events.register('after-call.dynamodb.BatchWriteItem', count)
table = resource.Table('boto')
with table.batch_writer() as writer:
    for i in range(60):
        pk = hot if i % 2 == 0 else others[i % len(others)]
        writer.put_item(Item={'pk': pk, 'sk': 'b%d' % i, 'd': 'x' * (100 * 1024 - 20 if pk == hot else 100)})
print(json.dumps(out))
`;

/** Runs Python asynchronously: the server under test shares this event loop. */
function runPython(script: string, args: readonly string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'python3',
      ['-c', script, ...args],
      {
        env: { ...process.env, AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 'secret', AWS_EC2_METADATA_DISABLED: 'true' },
        encoding: 'utf8',
        timeout: 60_000,
        maxBuffer: 1 << 20,
      },
      (error, stdout, stderr) => resolve({ status: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr }),
    );
  });
}
