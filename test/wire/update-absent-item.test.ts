/**
 * UpdateItem (and a transaction's Update) of an item that does not exist: DynamoDB creates the item only when the
 * update writes something. An update made only of removals (REMOVE, DELETE; AttributeUpdates DELETE) writes
 * nothing: no item, no Attributes whatever ReturnValues asks, no stream record, no change to the table's
 * statistics — and it is still charged as a write (1 WCU).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTableCommand,
  DescribeTableCommand,
  GetItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type DynamoDBClient,
  type ReturnValue,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { startCairn, type Cairn } from '../helpers/cairn.js';
import { hashKeyTable } from '../helpers/tables.js';

const TABLE = 'absent_updates';
let cairn: Cairn;
let client: DynamoDBClient;
let streamArn: string;

const update = (id: string, input: Omit<UpdateItemCommandInput, 'TableName' | 'Key'>) =>
  client.send(new UpdateItemCommand({ TableName: TABLE, Key: { id: { S: id } }, ...input }));
const get = async (id: string) =>
  (await client.send(new GetItemCommand({ TableName: TABLE, Key: { id: { S: id } }, ConsistentRead: true }))).Item;

/** The keys of the stream's records, in order. */
async function streamKeys(): Promise<string[]> {
  const streams = new DynamoDBStreamsClient({
    endpoint: cairn.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
    maxAttempts: 1,
  });
  const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
  const keys: string[] = [];
  for (const shard of StreamDescription?.Shards ?? []) {
    const { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    const { Records } = await streams.send(new GetRecordsCommand({ ShardIterator }));
    for (const record of Records ?? []) keys.push(`${record.eventName} ${record.dynamodb?.Keys?.id?.S}`);
  }
  streams.destroy();
  return keys;
}

const RETURN_VALUES: readonly ReturnValue[] = ['NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW'];

for (const inMemory of [false, true]) {
  describe(inMemory ? 'update of an absent item, in memory' : 'update of an absent item, on LMDB', () => {
    before(async () => {
      cairn = await startCairn({ inMemory });
      client = cairn.client;
      const created = await client.send(
        new CreateTableCommand({ ...hashKeyTable(TABLE), StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } }),
      );
      streamArn = created.TableDescription?.LatestStreamArn as string;
    });
    after(async () => {
      await cairn.close();
    });

    test('only REMOVE / DELETE actions create nothing and return no Attributes, for every ReturnValues', async () => {
      for (const returnValues of RETURN_VALUES) {
        const removed = await update(`remove-${returnValues}`, {
          UpdateExpression: 'REMOVE a, b.c, l[2]',
          ReturnValues: returnValues,
          ReturnConsumedCapacity: 'TOTAL',
        });
        assert.equal(removed.Attributes, undefined);
        assert.deepEqual(removed.ConsumedCapacity, { TableName: TABLE, CapacityUnits: 1 });
        assert.equal(await get(`remove-${returnValues}`), undefined);

        const deleted = await update(`delete-${returnValues}`, {
          UpdateExpression: 'DELETE s :members REMOVE a',
          ExpressionAttributeValues: { ':members': { SS: ['x'] } },
          ReturnValues: returnValues,
        });
        assert.equal(deleted.Attributes, undefined);
        assert.equal(await get(`delete-${returnValues}`), undefined);

        const legacy = await update(`legacy-${returnValues}`, {
          AttributeUpdates: { a: { Action: 'DELETE' }, s: { Action: 'DELETE', Value: { SS: ['x'] } } },
          ReturnValues: returnValues,
        });
        assert.equal(legacy.Attributes, undefined);
        assert.equal(await get(`legacy-${returnValues}`), undefined);
      }
    });

    test('a condition is still checked first', async () => {
      await assert.rejects(
        update('guarded', { UpdateExpression: 'REMOVE a', ConditionExpression: 'attribute_exists(id)' }),
        (error: Error) => error.name === 'ConditionalCheckFailedException',
      );
      const passed = await update('unguarded', {
        UpdateExpression: 'REMOVE a',
        ConditionExpression: 'attribute_not_exists(id)',
        ReturnValues: 'ALL_NEW',
      });
      assert.equal(passed.Attributes, undefined);
      assert.equal(await get('unguarded'), undefined);
    });

    test('a SET or ADD (also mixed with REMOVE), AttributeUpdates PUT / ADD, or no update at all create the item', async () => {
      const mixed = await update('mixed', {
        UpdateExpression: 'REMOVE a SET b = :v',
        ExpressionAttributeValues: { ':v': { S: 'new' } },
        ReturnValues: 'ALL_NEW',
      });
      assert.deepEqual(mixed.Attributes, { id: { S: 'mixed' }, b: { S: 'new' } });
      const added = await update('added', {
        UpdateExpression: 'ADD n :one DELETE s :x',
        ExpressionAttributeValues: { ':one': { N: '1' }, ':x': { SS: ['x'] } },
        ReturnValues: 'UPDATED_NEW',
      });
      assert.deepEqual(added.Attributes, { n: { N: '1' } });
      const legacyPut = await update('legacy-put', {
        AttributeUpdates: { gone: { Action: 'DELETE' }, v: { Action: 'PUT', Value: { N: '2' } } },
        ReturnValues: 'ALL_NEW',
      });
      assert.deepEqual(legacyPut.Attributes, { id: { S: 'legacy-put' }, v: { N: '2' } });
      const legacyAdd = await update('legacy-add', { AttributeUpdates: { ss: { Action: 'ADD', Value: { SS: ['a'] } } } });
      assert.equal(legacyAdd.Attributes, undefined);
      assert.deepEqual(await get('legacy-add'), { id: { S: 'legacy-add' }, ss: { SS: ['a'] } });
      await update('bare', {});
      assert.deepEqual(await get('bare'), { id: { S: 'bare' } });
    });

    test('a transaction Update of only removals writes nothing either', async () => {
      await client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Update: { TableName: TABLE, Key: { id: { S: 'tx-remove' } }, UpdateExpression: 'REMOVE a' } },
            {
              Update: {
                TableName: TABLE,
                Key: { id: { S: 'tx-set' } },
                UpdateExpression: 'SET a = :v',
                ExpressionAttributeValues: { ':v': { N: '1' } },
              },
            },
          ],
        }),
      );
      assert.equal(await get('tx-remove'), undefined);
      assert.deepEqual(await get('tx-set'), { id: { S: 'tx-set' }, a: { N: '1' } });
    });

    test('no stream record and no item counted for the updates that wrote nothing', async () => {
      const keys = await streamKeys();
      assert.deepEqual(keys, [
        'INSERT mixed',
        'INSERT added',
        'INSERT legacy-put',
        'INSERT legacy-add',
        'INSERT bare',
        'INSERT tx-set',
      ]);
      const { Table } = await client.send(new DescribeTableCommand({ TableName: TABLE }));
      assert.equal(Table?.ItemCount, 6);
    });
  });
}
