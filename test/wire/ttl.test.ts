/**
 * Time to Live through the AWS SDK: UpdateTimeToLive / DescribeTimeToLive with DynamoDB's rules and messages, and
 * the sweeper: only items whose TTL attribute is a Number of epoch seconds in the past (and not more than five
 * years past) are deleted, through the write path (indexes kept, a REMOVE stream record naming the service);
 * items already there when TTL is enabled expire too; expired items stay readable until swept.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateTimeToLiveCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { startCairn, type Cairn } from '../helpers/cairn.js';
import { rejectsWith } from '../helpers/assertions.js';
import { hashKeyTable } from '../helpers/tables.js';

const s = (value: string): AttributeValue => ({ S: value });
const n = (value: string): AttributeValue => ({ N: value });
const nowSeconds = () => Math.floor(Date.now() / 1000);

for (const inMemory of [false, true]) {
  describe(inMemory ? 'TTL in memory' : 'TTL on LMDB', () => {
    let cairn: Cairn;
    let client: DynamoDBClient;
    before(async () => {
      // A long sweep interval: the tests run the sweeper themselves, so that "not yet swept" is observable.
      cairn = await startCairn({ inMemory, ttlSweepIntervalMs: 3_600_000, ttlChangeIntervalMs: 0 });
      client = cairn.client;
    });
    after(() => cairn.close());

    const sweep = () => cairn.server.engine.periodicRound(Date.now(), false);
    const exists = async (table: string, id: string) =>
      (await client.send(new GetItemCommand({ TableName: table, Key: { id: s(id) } }))).Item !== undefined;

    test('UpdateTimeToLive and DescribeTimeToLive follow DynamoDB', async () => {
      await client.send(new CreateTableCommand(hashKeyTable('settings')));
      const describe = async () => (await client.send(new DescribeTimeToLiveCommand({ TableName: 'settings' }))).TimeToLiveDescription;
      assert.deepEqual(await describe(), { TimeToLiveStatus: 'DISABLED' });
      const enabled = await client.send(
        new UpdateTimeToLiveCommand({ TableName: 'settings', TimeToLiveSpecification: { AttributeName: 'expires', Enabled: true } }),
      );
      assert.deepEqual(enabled.TimeToLiveSpecification, { AttributeName: 'expires', Enabled: true });
      await cairn.server.engine.settleBackgroundWork();
      assert.deepEqual(await describe(), { TimeToLiveStatus: 'ENABLED', AttributeName: 'expires' });
      const update = (AttributeName: string, Enabled: boolean) =>
        client.send(new UpdateTimeToLiveCommand({ TableName: 'settings', TimeToLiveSpecification: { AttributeName, Enabled } }));
      await rejectsWith(update('expires', true), 'ValidationException', 'TimeToLive is already enabled');
      await rejectsWith(
        update('other', true),
        'ValidationException',
        'TimeToLive is active on a different AttributeName: current AttributeName is expires',
      );
      await update('expires', false);
      await cairn.server.engine.settleBackgroundWork();
      assert.deepEqual(await describe(), { TimeToLiveStatus: 'DISABLED' });
      await rejectsWith(update('expires', false), 'ValidationException', 'TimeToLive is already disabled');
      await rejectsWith(
        client.send(new DescribeTimeToLiveCommand({ TableName: 'nope' })),
        'ResourceNotFoundException',
        'Requested resource not found: Table: nope not found',
      );
    });

    test('the sweeper deletes exactly the expired items, through the write path', async () => {
      await client.send(
        new CreateTableCommand({
          ...hashKeyTable('sessions'),
          AttributeDefinitions: [
            { AttributeName: 'id', AttributeType: 'S' },
            { AttributeName: 'user', AttributeType: 'S' },
          ],
          GlobalSecondaryIndexes: [{ IndexName: 'byUser', KeySchema: [{ AttributeName: 'user', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
        }),
      );
      const now = nowSeconds();
      const items: Record<string, AttributeValue | undefined> = {
        // Written before TTL is enabled: expire all the same.
        early: n(String(now - 100)),
      };
      await client.send(new PutItemCommand({ TableName: 'sessions', Item: { id: s('early'), user: s('u'), expires: items.early as AttributeValue } }));
      await client.send(new UpdateTimeToLiveCommand({ TableName: 'sessions', TimeToLiveSpecification: { AttributeName: 'expires', Enabled: true } }));
      await cairn.server.engine.settleBackgroundWork();
      const put = (id: string, expires?: AttributeValue) =>
        client.send(new PutItemCommand({ TableName: 'sessions', Item: { id: s(id), user: s('u'), ...(expires ? { expires } : {}) } }));
      await put('past', n(`${now - 10}.5`));
      await put('exponent', n(`${Math.floor((now - 20) / 10)}e1`));
      await put('future', n(String(now + 3600)));
      await put('string', s(String(now - 10)));
      await put('ancient', n(String(now - 6 * 365 * 24 * 3600)));
      await put('none');
      await put('revived', n(String(now - 5)));
      await client.send(new PutItemCommand({ TableName: 'sessions', Item: { id: s('revived'), user: s('u'), expires: n(String(now + 3600)) } }));

      // Expired but not yet swept: still readable.
      assert.equal(await exists('sessions', 'past'), true);
      await sweep();
      const remaining = [];
      for (const id of ['early', 'past', 'exponent', 'future', 'string', 'ancient', 'none', 'revived']) {
        if (await exists('sessions', id)) remaining.push(id);
      }
      assert.deepEqual(remaining, ['future', 'string', 'ancient', 'none', 'revived']);
      const byUser = await client.send(
        new QueryCommand({ TableName: 'sessions', IndexName: 'byUser', KeyConditionExpression: '#u = :u', ExpressionAttributeNames: { '#u': 'user' }, ExpressionAttributeValues: { ':u': s('u') } }),
      );
      assert.equal(byUser.Count, 5);
      const { Table } = await client.send(new DescribeTableCommand({ TableName: 'sessions' }));
      assert.equal(Table?.ItemCount, 5);

      // The deletions are REMOVE records made by the service.
      const streams = new DynamoDBStreamsClient({ endpoint: cairn.url, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
      try {
        const arn = Table?.LatestStreamArn as string;
        const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: arn }));
        const { ShardIterator } = await streams.send(
          new GetShardIteratorCommand({ StreamArn: arn, ShardId: StreamDescription?.Shards?.[0]?.ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
        );
        const { Records } = await streams.send(new GetRecordsCommand({ ShardIterator }));
        const removals = (Records ?? []).filter((record) => record.eventName === 'REMOVE');
        assert.deepEqual(removals.map((record) => record.dynamodb?.Keys?.id?.S).sort(), ['early', 'exponent', 'past']);
        for (const removal of removals) {
          assert.deepEqual(removal.userIdentity, { PrincipalId: 'dynamodb.amazonaws.com', Type: 'Service' });
          assert.equal(removal.dynamodb?.NewImage, undefined);
          assert.ok(removal.dynamodb?.OldImage?.expires !== undefined);
        }
        const inserts = (Records ?? []).filter((record) => record.eventName === 'INSERT');
        assert.ok(inserts.every((record) => record.userIdentity === undefined));
      } finally {
        streams.destroy();
      }

      // A second sweep finds nothing more to do.
      await sweep();
      assert.equal(await exists('sessions', 'future'), true);
    });

    test('with TTL disabled nothing expires', async () => {
      await client.send(new CreateTableCommand(hashKeyTable('keepers')));
      await client.send(new PutItemCommand({ TableName: 'keepers', Item: { id: s('k'), expires: n(String(nowSeconds() - 100)) } }));
      await sweep();
      assert.equal(await exists('keepers', 'k'), true);
    });
  });
}

describe('TTL change interval', () => {
  test('a second change within the interval is refused (the default is an hour)', async () => {
    const cairn = await startCairn({ inMemory: true });
    try {
      await cairn.client.send(new CreateTableCommand(hashKeyTable('hourly')));
      const update = (Enabled: boolean) =>
        cairn.client.send(new UpdateTimeToLiveCommand({ TableName: 'hourly', TimeToLiveSpecification: { AttributeName: 'ttl', Enabled } }));
      await update(true);
      await rejectsWith(update(false), 'ValidationException', 'Time to live has been modified multiple times within a fixed interval');
      // The content rules come first.
      await rejectsWith(update(true), 'ValidationException', 'TimeToLive is already enabled');
    } finally {
      await cairn.close();
    }
  });

  test('the sweeper runs by itself on its interval', async () => {
    const cairn = await startCairn({ inMemory: true, ttlSweepIntervalMs: 50, ttlChangeIntervalMs: 0 });
    try {
      await cairn.client.send(new CreateTableCommand(hashKeyTable('auto')));
      await cairn.client.send(new UpdateTimeToLiveCommand({ TableName: 'auto', TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true } }));
      await cairn.server.engine.settleBackgroundWork();
      await cairn.client.send(new PutItemCommand({ TableName: 'auto', Item: { id: s('gone'), ttl: n(String(nowSeconds() - 1)) } }));
      let present = true;
      for (let i = 0; i < 100 && present; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        present = (await cairn.client.send(new GetItemCommand({ TableName: 'auto', Key: { id: s('gone') } }))).Item !== undefined;
      }
      assert.equal(present, false);
    } finally {
      await cairn.close();
    }
  });
});
