/**
 * DynamoDB Streams through @aws-sdk/client-dynamodb-streams, on both engines: records exactly as DynamoDB emits them
 * for every view type and operation (one per change, none for a no-op or a failed condition, one per item of a
 * transaction or batch), stream lifecycle on CreateTable/UpdateTable (new ARN per enabling, disabled streams still
 * readable), shards with rollover and parents, iterators of every type, pagination, retention, and the errors.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  UpdateTableCommand,
  type AttributeValue,
  type DynamoDBClient,
  type StreamViewType,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import { startCairn, type Cairn } from '../helpers/cairn.js';
import { INVALID, rejectsWith } from '../helpers/assertions.js';
import { hashKeyTable } from '../helpers/tables.js';


let cairn: Cairn;
let client: DynamoDBClient;
let streams: DynamoDBStreamsClient;

const s = (value: string): AttributeValue => ({ S: value });
const n = (value: string): AttributeValue => ({ N: value });

async function createStreamTable(name: string, viewType: StreamViewType): Promise<string> {
  const created = await client.send(
    new CreateTableCommand({ ...hashKeyTable(name), StreamSpecification: { StreamEnabled: true, StreamViewType: viewType } }),
  );
  return created.TableDescription?.LatestStreamArn as string;
}

/** Every record of every shard of a stream, from TRIM_HORIZON, following child shards. */
async function allRecords(streamArn: string, limit?: number): Promise<StreamRecord[]> {
  const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
  const records: StreamRecord[] = [];
  for (const shard of StreamDescription?.Shards ?? []) {
    let iterator = (
      await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))
    ).ShardIterator;
    for (let page = 0; iterator !== undefined && page < 1000; page++) {
      const result = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, ...(limit ? { Limit: limit } : {}) }));
      records.push(...(result.Records ?? []));
      if ((result.Records ?? []).length === 0 && shard.SequenceNumberRange?.EndingSequenceNumber === undefined) break;
      iterator = result.NextShardIterator;
    }
  }
  return records;
}

const summary = (records: readonly StreamRecord[]) =>
  records.map((record) => [record.eventName, record.dynamodb?.Keys?.id?.S, record.dynamodb?.NewImage?.v?.N, record.dynamodb?.OldImage?.v?.N]);

for (const inMemory of [false, true]) {
  describe(inMemory ? 'Streams in memory' : 'Streams on LMDB', () => {
    before(async () => {
      cairn = await startCairn({ inMemory, shardLimits: { maxRecords: 5 }, streamRetentionMs: 60 * 60 * 1000 });
      client = cairn.client;
      streams = new DynamoDBStreamsClient({
        endpoint: cairn.url,
        region: 'us-east-1',
        credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
        maxAttempts: 1,
      });
    });
    after(async () => {
      streams.destroy();
      await cairn.close();
    });

    test('one record per change, in order, exactly as DynamoDB shapes it', async () => {
      const arn = await createStreamTable('orders', 'NEW_AND_OLD_IMAGES');
      assert.match(arn, /^arn:aws:dynamodb:us-east-1:000000000000:table\/orders\/stream\/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/);
      await client.send(new PutItemCommand({ TableName: 'orders', Item: { id: s('a'), v: n('1') } }));
      // Nothing changes: no record.
      await client.send(new PutItemCommand({ TableName: 'orders', Item: { id: s('a'), v: n('1') } }));
      await client.send(
        new UpdateItemCommand({ TableName: 'orders', Key: { id: s('a') }, UpdateExpression: 'ADD v :one', ExpressionAttributeValues: { ':one': n('1') } }),
      );
      // A failed condition: no record.
      await assert.rejects(
        client.send(new PutItemCommand({ TableName: 'orders', Item: { id: s('a') }, ConditionExpression: 'attribute_not_exists(id)' })),
      );
      await client.send(new DeleteItemCommand({ TableName: 'orders', Key: { id: s('a') } }));
      // Deleting what is not there: no record.
      await client.send(new DeleteItemCommand({ TableName: 'orders', Key: { id: s('a') } }));
      const records = await allRecords(arn);
      assert.deepEqual(summary(records), [
        ['INSERT', 'a', '1', undefined],
        ['MODIFY', 'a', '2', '1'],
        ['REMOVE', 'a', undefined, '2'],
      ]);
      const first = records[0] as StreamRecord;
      assert.match(first.eventID ?? '', /^[0-9a-f]{32}$/);
      assert.equal(first.eventVersion, '1.1');
      assert.equal(first.eventSource, 'aws:dynamodb');
      assert.equal(first.awsRegion, 'us-east-1');
      assert.equal(first.userIdentity, undefined);
      assert.equal(first.dynamodb?.StreamViewType, 'NEW_AND_OLD_IMAGES');
      assert.deepEqual(first.dynamodb?.Keys, { id: s('a') });
      // Keys (2+1) and NewImage (2+1 + 1+2): SizeBytes counts the images the record carries, as item sizes.
      assert.equal(first.dynamodb?.SizeBytes, 9);
      assert.ok(first.dynamodb?.ApproximateCreationDateTime instanceof Date);
      const sequences = records.map((record) => BigInt(record.dynamodb?.SequenceNumber ?? '0'));
      assert.ok(sequences.every((sequence, i) => i === 0 || sequence > (sequences[i - 1] as bigint)));
      assert.ok(records.every((record) => (record.dynamodb?.SequenceNumber ?? '').length >= 21));
    });

    test('each view type carries the images it names', async () => {
      const expected: Record<StreamViewType, [boolean, boolean]> = {
        KEYS_ONLY: [false, false],
        NEW_IMAGE: [true, false],
        OLD_IMAGE: [false, true],
        NEW_AND_OLD_IMAGES: [true, true],
      };
      for (const [viewType, [withNew, withOld]] of Object.entries(expected) as [StreamViewType, [boolean, boolean]][]) {
        const table = `view_${viewType.toLowerCase()}`;
        const arn = await createStreamTable(table, viewType);
        await client.send(new PutItemCommand({ TableName: table, Item: { id: s('k'), v: n('1') } }));
        await client.send(new PutItemCommand({ TableName: table, Item: { id: s('k'), v: n('2') } }));
        const [, modify] = await allRecords(arn);
        assert.equal(modify?.dynamodb?.NewImage !== undefined, withNew, `${viewType} NewImage`);
        assert.equal(modify?.dynamodb?.OldImage !== undefined, withOld, `${viewType} OldImage`);
        assert.deepEqual(modify?.dynamodb?.Keys, { id: s('k') });
        assert.equal(modify?.dynamodb?.StreamViewType, viewType);
      }
    });

    test('a transaction or a batch gives one record per item; shards roll over with parents', async () => {
      const arn = await createStreamTable('multi', 'KEYS_ONLY');
      await client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: 'multi', Item: { id: s('t1') } } },
            { Put: { TableName: 'multi', Item: { id: s('t2') } } },
            { ConditionCheck: { TableName: 'multi', Key: { id: s('none') }, ConditionExpression: 'attribute_not_exists(id)' } },
          ],
        }),
      );
      await client.send(
        new BatchWriteItemCommand({
          RequestItems: { multi: ['b1', 'b2', 'b3', 'b4', 'b5', 'b6'].map((id) => ({ PutRequest: { Item: { id: s(id) } } })) },
        }),
      );
      const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: arn }));
      // 8 records with at most 5 per shard (the test server's limit): two shards, the second a child of the first.
      const shards = StreamDescription?.Shards ?? [];
      assert.equal(shards.length, 2);
      assert.equal(shards[1]?.ParentShardId, shards[0]?.ShardId);
      assert.match(shards[0]?.ShardId ?? '', /^shardId-\d{20}-[0-9a-f]{8}$/);
      assert.ok(shards[0]?.SequenceNumberRange?.EndingSequenceNumber !== undefined);
      assert.equal(shards[1]?.SequenceNumberRange?.EndingSequenceNumber, undefined);
      const records = await allRecords(arn, 2);
      assert.deepEqual(
        records.map((record) => record.dynamodb?.Keys?.id?.S).sort(),
        ['b1', 'b2', 'b3', 'b4', 'b5', 'b6', 't1', 't2'],
      );
      assert.equal(StreamDescription?.StreamStatus, 'ENABLED');
      assert.equal(StreamDescription?.TableName, 'multi');
      assert.deepEqual(StreamDescription?.KeySchema, [{ AttributeName: 'id', KeyType: 'HASH' }]);
    });

    test('iterators: LATEST, AT and AFTER a sequence number; a closed shard ends without a next iterator', async () => {
      const arn = await createStreamTable('iter', 'NEW_IMAGE');
      for (const v of ['1', '2', '3']) await client.send(new PutItemCommand({ TableName: 'iter', Item: { id: s(v), v: n(v) } }));
      const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: arn }));
      const shardId = StreamDescription?.Shards?.[0]?.ShardId as string;
      const records = await allRecords(arn);
      const second = records[1]?.dynamodb?.SequenceNumber as string;
      const read = async (type: 'AT_SEQUENCE_NUMBER' | 'AFTER_SEQUENCE_NUMBER' | 'LATEST', sequence?: string) => {
        const { ShardIterator } = await streams.send(
          new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: type, ...(sequence ? { SequenceNumber: sequence } : {}) }),
        );
        return streams.send(new GetRecordsCommand({ ShardIterator }));
      };
      assert.deepEqual((await read('AT_SEQUENCE_NUMBER', second)).Records?.map((r) => r.dynamodb?.Keys?.id?.S), ['2', '3']);
      assert.deepEqual((await read('AFTER_SEQUENCE_NUMBER', second)).Records?.map((r) => r.dynamodb?.Keys?.id?.S), ['3']);
      const latest = await read('LATEST');
      assert.deepEqual(latest.Records, []);
      assert.ok(latest.NextShardIterator !== undefined);
      await client.send(new PutItemCommand({ TableName: 'iter', Item: { id: s('4'), v: n('4') } }));
      const next = await streams.send(new GetRecordsCommand({ ShardIterator: latest.NextShardIterator }));
      assert.deepEqual(next.Records?.map((r) => r.dynamodb?.Keys?.id?.S), ['4']);

      // Disabling closes the stream: its shard gets an end, a reader reaches it and gets no next iterator.
      const disabled = await client.send(new UpdateTableCommand({ TableName: 'iter', StreamSpecification: { StreamEnabled: false } }));
      assert.equal(disabled.TableDescription?.StreamSpecification, undefined);
      assert.equal(disabled.TableDescription?.LatestStreamArn, arn);
      const after = await streams.send(new GetRecordsCommand({ ShardIterator: next.NextShardIterator }));
      assert.deepEqual(after.Records, []);
      assert.equal(after.NextShardIterator, undefined);
      const closed = await streams.send(new DescribeStreamCommand({ StreamArn: arn }));
      assert.equal(closed.StreamDescription?.StreamStatus, 'DISABLED');
      assert.ok(closed.StreamDescription?.Shards?.[0]?.SequenceNumberRange?.EndingSequenceNumber !== undefined);
      // Writes are no longer recorded; re-enabling makes a new stream with a new ARN, and the old one stays listed.
      await client.send(new PutItemCommand({ TableName: 'iter', Item: { id: s('5') } }));
      await new Promise((resolve) => setTimeout(resolve, 2));
      const again = await client.send(
        new UpdateTableCommand({ TableName: 'iter', StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } }),
      );
      const newArn = again.TableDescription?.LatestStreamArn as string;
      assert.notEqual(newArn, arn);
      await client.send(new PutItemCommand({ TableName: 'iter', Item: { id: s('6') } }));
      assert.deepEqual((await allRecords(newArn)).map((r) => r.dynamodb?.Keys?.id?.S), ['6']);
      assert.equal((await allRecords(arn)).length, 4);
      const listed = await streams.send(new ListStreamsCommand({ TableName: 'iter' }));
      assert.deepEqual(
        listed.Streams?.map((stream) => stream.StreamArn),
        [newArn, arn],
      );
    });

    test('ListStreams pages; DescribeTable and the stream agree', async () => {
      const all = await streams.send(new ListStreamsCommand({}));
      assert.ok((all.Streams?.length ?? 0) >= 7);
      const first = await streams.send(new ListStreamsCommand({ Limit: 2 }));
      assert.equal(first.Streams?.length, 2);
      const rest = await streams.send(new ListStreamsCommand({ ExclusiveStartStreamArn: first.LastEvaluatedStreamArn }));
      assert.deepEqual(
        [...(first.Streams ?? []), ...(rest.Streams ?? [])].map((stream) => stream.StreamArn),
        all.Streams?.map((stream) => stream.StreamArn),
      );
      assert.deepEqual((await streams.send(new ListStreamsCommand({ TableName: 'nosuchtable' }))).Streams, []);
      const { Table } = await client.send(new DescribeTableCommand({ TableName: 'orders' }));
      assert.deepEqual(Table?.StreamSpecification, { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    });

    test('a new stream has an open shard at once; iterators on it work before the first write', async () => {
      const arn = await createStreamTable('fresh', 'NEW_IMAGE');
      const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: arn }));
      const shards = StreamDescription?.Shards ?? [];
      assert.equal(shards.length, 1);
      const shard = shards[0];
      assert.match(shard?.ShardId ?? '', /^shardId-\d{20}-[0-9a-f]{8}$/);
      assert.equal(shard?.ParentShardId, undefined);
      assert.deepEqual(shard?.SequenceNumberRange, { StartingSequenceNumber: '000000000000000000001' });
      const shardId = shard?.ShardId as string;
      const iterator = async (type: 'TRIM_HORIZON' | 'LATEST') =>
        (await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: type }))).ShardIterator;
      const horizon = await iterator('TRIM_HORIZON');
      const latest = await iterator('LATEST');
      const at = (
        await streams.send(
          new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: '000000000000000000001' }),
        )
      ).ShardIterator;
      const empty = await streams.send(new GetRecordsCommand({ ShardIterator: horizon }));
      assert.deepEqual(empty.Records, []);
      assert.ok(empty.NextShardIterator !== undefined);
      await client.send(new PutItemCommand({ TableName: 'fresh', Item: { id: s('a'), v: n('1') } }));
      for (const start of [horizon, latest, at, empty.NextShardIterator]) {
        const { Records } = await streams.send(new GetRecordsCommand({ ShardIterator: start }));
        assert.deepEqual(summary(Records ?? []), [['INSERT', 'a', '1', undefined]]);
        assert.equal(Records?.[0]?.dynamodb?.SequenceNumber, '000000000000000000001');
      }
      // The shard the first write went to is the one described before it.
      const after = await streams.send(new DescribeStreamCommand({ StreamArn: arn }));
      assert.deepEqual(after.StreamDescription?.Shards, shards);
      // Disabled before any write, a stream shows its shard closed and empty.
      await client.send(new UpdateTableCommand({ TableName: 'fresh', StreamSpecification: { StreamEnabled: false } }));
      const second = await client.send(
        new UpdateTableCommand({ TableName: 'fresh', StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } }),
      );
      const secondArn = second.TableDescription?.LatestStreamArn as string;
      await client.send(new UpdateTableCommand({ TableName: 'fresh', StreamSpecification: { StreamEnabled: false } }));
      const closed = await streams.send(new DescribeStreamCommand({ StreamArn: secondArn }));
      assert.equal(closed.StreamDescription?.StreamStatus, 'DISABLED');
      assert.deepEqual(
        closed.StreamDescription?.Shards?.map((entry) => entry.SequenceNumberRange),
        [{ StartingSequenceNumber: '000000000000000000001', EndingSequenceNumber: '000000000000000000000' }],
      );
    });

    test('DescribeStream with a CHILD_SHARDS filter lists the children of a shard; the filter is checked', async () => {
      const arn = await createStreamTable('children', 'KEYS_ONLY');
      // Six writes with five records a shard: two shards, the second a child of the first.
      for (let i = 0; i < 6; i++) await client.send(new PutItemCommand({ TableName: 'children', Item: { id: s(`k${i}`) } }));
      const all = (await streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription?.Shards ?? [];
      assert.equal(all.length, 2);
      const [parent, child] = all;
      const childrenOf = async (shardId: string) =>
        (await streams.send(new DescribeStreamCommand({ StreamArn: arn, ShardFilter: { Type: 'CHILD_SHARDS', ShardId: shardId } })))
          .StreamDescription?.Shards;
      assert.deepEqual(await childrenOf(parent?.ShardId as string), [child]);
      assert.deepEqual(await childrenOf(child?.ShardId as string), []);
      await rejectsWith(
        streams.send(new DescribeStreamCommand({ StreamArn: arn, ShardFilter: { Type: 'PARENT' as 'CHILD_SHARDS', ShardId: parent?.ShardId as string } })),
        'ValidationException',
        "1 validation error detected: Value 'PARENT' at 'shardFilter.type' failed to satisfy constraint: Member must satisfy enum value set: [CHILD_SHARDS]",
      );
      await rejectsWith(
        streams.send(new DescribeStreamCommand({ StreamArn: arn, ShardFilter: { Type: 'CHILD_SHARDS', ShardId: 'short' } })),
        'ValidationException',
        "1 validation error detected: Value 'short' at 'shardFilter.shardId' failed to satisfy constraint: Member must have length greater than or equal to 28",
      );
      await rejectsWith(
        streams.send(new DescribeStreamCommand({ StreamArn: arn, ShardFilter: { ShardId: parent?.ShardId as string } })),
        'ValidationException',
        'ShardFilter.Type is required when ShardFilter is specified',
      );
      await rejectsWith(
        streams.send(new DescribeStreamCommand({ StreamArn: arn, ShardFilter: { Type: 'CHILD_SHARDS' } })),
        'ValidationException',
        'ShardFilter.ShardId is required when ShardFilter.Type is CHILD_SHARDS',
      );
    });

    test('stream settings and reads are checked with DynamoDB messages', async () => {
      await rejectsWith(
        client.send(new UpdateTableCommand({ TableName: 'orders', StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } })),
        'ValidationException',
        'Table already has an enabled stream: TableName: orders',
      );
      await client.send(new CreateTableCommand(hashKeyTable('plain')));
      await rejectsWith(
        client.send(new UpdateTableCommand({ TableName: 'plain', StreamSpecification: { StreamEnabled: false } })),
        'ValidationException',
        'Table has no stream to disable: TableName: plain',
      );
      await rejectsWith(
        client.send(new UpdateTableCommand({ TableName: 'plain', StreamSpecification: { StreamEnabled: true } })),
        'ValidationException',
        `${INVALID}If stream is being enabled then UpdateViewType is required`,
      );
      await rejectsWith(
        client.send(new CreateTableCommand({ ...hashKeyTable('bad'), StreamSpecification: { StreamEnabled: true } })),
        'ValidationException',
        `${INVALID}Table is being created with a stream enabled, UpdateViewType is required`,
      );
      await rejectsWith(streams.send(new DescribeStreamCommand({ StreamArn: 'fake-stream' })), 'ValidationException', 'Invalid StreamArn');
      const missing = 'arn:aws:dynamodb:us-east-1:000000000000:table/nope/stream/2026-01-01T00:00:00.000';
      await rejectsWith(
        streams.send(new DescribeStreamCommand({ StreamArn: missing })),
        'ResourceNotFoundException',
        `Requested resource not found: Stream: ${missing} not found`,
      );
      const { Streams } = await streams.send(new ListStreamsCommand({ TableName: 'orders' }));
      const arn = Streams?.[0]?.StreamArn as string;
      await rejectsWith(
        streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: 'shardId-00000000000000000000-00000000', ShardIteratorType: 'LATEST' })),
        'ResourceNotFoundException',
        'Requested resource not found: Shard: shardId-00000000000000000000-00000000 not found',
      );
      const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: arn }));
      const shardId = StreamDescription?.Shards?.[0]?.ShardId as string;
      await rejectsWith(
        streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER' })),
        'ValidationException',
        'SequenceNumber must be provided when ShardIteratorType is AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER',
      );
      await rejectsWith(streams.send(new GetRecordsCommand({ ShardIterator: 'garbage' })), 'ValidationException', 'Invalid ShardIterator');
      const none = await streams.send(new DescribeStreamCommand({ StreamArn: arn, ExclusiveStartShardId: 'shardId-00000000000000000000-00000000' }));
      assert.deepEqual(none.StreamDescription?.Shards, []);
    });
  });
}

describe('Stream retention', () => {
  test('records older than the retention are trimmed; a reader behind them is told so', async () => {
    const server = await startCairn({ inMemory: true, streamRetentionMs: 1000 });
    const streamsClient = new DynamoDBStreamsClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
      maxAttempts: 1,
    });
    try {
      const created = await server.client.send(
        new CreateTableCommand({ ...hashKeyTable('retained'), StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } }),
      );
      const arn = created.TableDescription?.LatestStreamArn as string;
      await server.client.send(new PutItemCommand({ TableName: 'retained', Item: { id: s('old') } }));
      const { StreamDescription } = await streamsClient.send(new DescribeStreamCommand({ StreamArn: arn }));
      const shardId = StreamDescription?.Shards?.[0]?.ShardId as string;
      const { ShardIterator } = await streamsClient.send(
        new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }),
      );
      // ApproximateCreationDateTime has whole seconds: wait until the record is surely past 1 s of retention.
      await new Promise((resolve) => setTimeout(resolve, 2100));
      await server.client.send(new PutItemCommand({ TableName: 'retained', Item: { id: s('new') } }));
      await server.server.engine.periodicRound(Date.now(), true);
      await rejectsWith(
        streamsClient.send(new GetRecordsCommand({ ShardIterator })),
        'TrimmedDataAccessException',
        'The data you are trying to access has been trimmed',
      );
      const { ShardIterator: fresh } = await streamsClient.send(
        new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }),
      );
      const { Records } = await streamsClient.send(new GetRecordsCommand({ ShardIterator: fresh }));
      assert.deepEqual(Records?.map((record) => record.dynamodb?.Keys?.id?.S), ['new']);
    } finally {
      streamsClient.destroy();
      await server.close();
    }
  });
});
