/**
 * Exact capacity units at the size boundaries, operation by operation: what ReturnConsumedCapacity reports and
 * what the capacity model charged to the partitions of the table or index, which must be the same numbers.
 * Writes are 1 KB units of the larger of the old and new item; reads 4 KB units, halved when eventually
 * consistent; transactions double the table's units; index writes cost the entry's size, twice when the entry
 * moves; a Query or Scan page is rounded once, over every item it evaluated; a write refused by its condition is
 * charged. The capacity clock stands still, so every charge stays in the current window.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { ManualClock } from '../../src/capacity/capacity-clock.js';
import { startCairn, type Cairn } from '../helpers/cairn.js';
import { rejectsWith } from '../helpers/assertions.js';
import { hashKeyTable } from '../helpers/tables.js';
import { charged, chargedByPartition, filler, hashOf, resourceOf } from '../helpers/capacity.js';

type Item = Record<string, AttributeValue>;

/** An item of exactly `size` bytes keyed `id` (2 + id + 1 + filler bytes). */
function sized(id: string, size: number, extra: Item = {}): Item {
  let fixed = 2 + id.length + 1;
  for (const [name, value] of Object.entries(extra)) fixed += name.length + (value.S?.length ?? 0);
  return { id: { S: id }, d: { S: filler(size - fixed) }, ...extra };
}

/** An item of exactly `size` bytes in a pk/sk table (2 + pk + 2 + sk + 1 + filler bytes). */
function sizedRow(pk: string, sk: string, size: number): Item {
  return { pk: { S: pk }, sk: { S: sk }, d: { S: filler(size - 5 - pk.length - sk.length) } };
}

describe('capacity units at size boundaries', () => {
  const clock = new ManualClock(5_000_000);
  let cairn: Cairn;
  let client: DynamoDBClient;
  before(async () => {
    cairn = await startCairn({ inMemory: true, capacity: { mode: 'enforce', clock } });
    client = cairn.client;
    await client.send(new CreateTableCommand(hashKeyTable('units')));
    await client.send(
      new CreateTableCommand({
        TableName: 'rows',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
          { AttributeName: 'l', AttributeType: 'S' },
        ],
        LocalSecondaryIndexes: [
          {
            IndexName: 'byL',
            KeySchema: [
              { AttributeName: 'pk', KeyType: 'HASH' },
              { AttributeName: 'l', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await client.send(
      new CreateTableCommand({
        TableName: 'indexed',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [
          { AttributeName: 'id', AttributeType: 'S' },
          { AttributeName: 'g', AttributeType: 'S' },
        ],
        GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  });
  after(() => cairn.close());

  /** Runs `run`, returns the units it charged to the resource (table or GSI) for `access`. */
  async function chargedBy(access: 'read' | 'write', tableName: string, run: () => Promise<unknown>, indexName?: string): Promise<number> {
    const before = charged(cairn, access, tableName, indexName);
    await run();
    return charged(cairn, access, tableName, indexName) - before;
  }

  test('PutItem: 1 KB units of the larger of the old and new item', async () => {
    const put = (item: Item) => client.send(new PutItemCommand({ TableName: 'units', Item: item, ReturnConsumedCapacity: 'TOTAL' }));
    for (const [id, size, units] of [
      ['p1', 1024, 1],
      ['p2', 1025, 2],
      ['p3', 2048, 2],
      ['p4', 2049, 3],
    ] as const) {
      let reported: number | undefined;
      const booked = await chargedBy('write', 'units', async () => {
        reported = (await put(sized(id, size))).ConsumedCapacity?.CapacityUnits;
      });
      assert.deepEqual([reported, booked], [units, units], `${size} bytes`);
    }
    // Replacing 2,049 bytes with 100 costs what the old item did.
    let reported: number | undefined;
    const booked = await chargedBy('write', 'units', async () => {
      reported = (await put(sized('p4', 100))).ConsumedCapacity?.CapacityUnits;
    });
    assert.deepEqual([reported, booked], [3, 3]);
  });

  test('UpdateItem and DeleteItem: the larger of before and after, the deleted item, one unit for nothing', async () => {
    await client.send(new PutItemCommand({ TableName: 'units', Item: sized('u1', 2048) }));
    let reported: number | undefined;
    // One byte more (an attribute "e" holding the empty string): 2,049 bytes, 3 units.
    let booked = await chargedBy('write', 'units', async () => {
      const answer = await client.send(
        new UpdateItemCommand({
          TableName: 'units',
          Key: { id: { S: 'u1' } },
          UpdateExpression: 'SET e = :v',
          ExpressionAttributeValues: { ':v': { S: '' } },
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      reported = answer.ConsumedCapacity?.CapacityUnits;
    });
    assert.deepEqual([reported, booked], [3, 3]);
    booked = await chargedBy('write', 'units', async () => {
      reported = (await client.send(new DeleteItemCommand({ TableName: 'units', Key: { id: { S: 'u1' } }, ReturnConsumedCapacity: 'TOTAL' })))
        .ConsumedCapacity?.CapacityUnits;
    });
    assert.deepEqual([reported, booked], [3, 3]);
    booked = await chargedBy('write', 'units', async () => {
      reported = (await client.send(new DeleteItemCommand({ TableName: 'units', Key: { id: { S: 'u1' } }, ReturnConsumedCapacity: 'TOTAL' })))
        .ConsumedCapacity?.CapacityUnits;
    });
    assert.deepEqual([reported, booked], [1, 1]);
  });

  test('a write refused by its condition is charged: the item it found, at least one unit', async () => {
    await client.send(new PutItemCommand({ TableName: 'units', Item: sized('c1', 3073) }));
    const refused = (id: string) =>
      rejectsWith(
        client.send(new PutItemCommand({ TableName: 'units', Item: { id: { S: id } }, ConditionExpression: 'attribute_not_exists(id)' })),
        'ConditionalCheckFailedException',
        'The conditional request failed',
      );
    assert.equal(await chargedBy('write', 'units', () => refused('c1')), 4);
    assert.equal(
      await chargedBy('write', 'units', () =>
        rejectsWith(
          client.send(new DeleteItemCommand({ TableName: 'units', Key: { id: { S: 'c2' } }, ConditionExpression: 'attribute_exists(id)' })),
          'ConditionalCheckFailedException',
          'The conditional request failed',
        ),
      ),
      1,
    );
  });

  test('GetItem: 4 KB units, half when eventually consistent, the smallest read for a missing item', async () => {
    await client.send(new PutItemCommand({ TableName: 'units', Item: sized('g1', 4096) }));
    await client.send(new PutItemCommand({ TableName: 'units', Item: sized('g2', 4097) }));
    for (const [id, consistent, units] of [
      ['g1', true, 1],
      ['g1', false, 0.5],
      ['g2', true, 2],
      ['g2', false, 1],
      ['missing', true, 1],
      ['missing', false, 0.5],
    ] as const) {
      let reported: number | undefined;
      const booked = await chargedBy('read', 'units', async () => {
        reported = (
          await client.send(new GetItemCommand({ TableName: 'units', Key: { id: { S: id } }, ConsistentRead: consistent, ReturnConsumedCapacity: 'TOTAL' }))
        ).ConsumedCapacity?.CapacityUnits;
      });
      assert.deepEqual([reported, booked], [units, units], `${id} consistent ${consistent}`);
      // The fast path (no ConsumedCapacity asked for) charges the same.
      const fast = await chargedBy('read', 'units', () =>
        client.send(new GetItemCommand({ TableName: 'units', Key: { id: { S: id } }, ConsistentRead: consistent })),
      );
      assert.equal(fast, units, `${id} consistent ${consistent}, fast path`);
    }
  });

  test('BatchGetItem rounds each item on its own; BatchWriteItem too', async () => {
    // The Developer Guide's examples: 1.5 KB and 6.5 KB read as 4 KB + 8 KB; 500 bytes and 3.5 KB written as 1 KB + 4 KB.
    await client.send(new PutItemCommand({ TableName: 'units', Item: sized('b1', 1536) }));
    await client.send(new PutItemCommand({ TableName: 'units', Item: sized('b2', 6656) }));
    for (const [consistent, units] of [
      [true, 3],
      [false, 1.5],
    ] as const) {
      let reported: number | undefined;
      const booked = await chargedBy('read', 'units', async () => {
        const answer = await client.send(
          new BatchGetItemCommand({
            RequestItems: { units: { Keys: [{ id: { S: 'b1' } }, { id: { S: 'b2' } }], ConsistentRead: consistent } },
            ReturnConsumedCapacity: 'TOTAL',
          }),
        );
        assert.equal(answer.Responses?.units?.length, 2);
        reported = answer.ConsumedCapacity?.[0]?.CapacityUnits;
      });
      assert.deepEqual([reported, booked], [units, units]);
    }
    let reported: number | undefined;
    const booked = await chargedBy('write', 'units', async () => {
      const answer = await client.send(
        new BatchWriteItemCommand({
          RequestItems: { units: [{ PutRequest: { Item: sized('w1', 500) } }, { PutRequest: { Item: sized('w2', 3584) } }] },
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      reported = answer.ConsumedCapacity?.[0]?.CapacityUnits;
    });
    assert.deepEqual([reported, booked], [5, 5]);
  });

  test('transactions double the units: writes per 1 KB, reads per 4 KB', async () => {
    await client.send(new PutItemCommand({ TableName: 'units', Item: sized('t2', 1024) }));
    let reported: number | undefined;
    let booked = await chargedBy('write', 'units', async () => {
      const answer = await client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: 'units', Item: sized('t1', 1025) } },
            { ConditionCheck: { TableName: 'units', Key: { id: { S: 't2' } }, ConditionExpression: 'attribute_exists(id)' } },
          ],
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      reported = answer.ConsumedCapacity?.[0]?.CapacityUnits;
    });
    assert.deepEqual([reported, booked], [6, 6]);
    // A retry with the same ClientRequestToken reads instead of writing: two units per 4 KB of each action's item.
    const tokened = () =>
      client.send(
        new TransactWriteItemsCommand({
          TransactItems: [{ Put: { TableName: 'units', Item: sized('t4', 1025) } }],
          ClientRequestToken: 'replayed',
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
    assert.equal(await chargedBy('write', 'units', tokened), 4);
    let replayed: unknown;
    booked = await chargedBy('read', 'units', async () => {
      replayed = (await tokened()).ConsumedCapacity;
    });
    assert.deepEqual([replayed, booked], [[{ TableName: 'units', CapacityUnits: 2, ReadCapacityUnits: 2 }], 2]);
    await client.send(new PutItemCommand({ TableName: 'units', Item: sized('t3', 4097) }));
    booked = await chargedBy('read', 'units', async () => {
      const answer = await client.send(
        new TransactGetItemsCommand({
          TransactItems: [{ Get: { TableName: 'units', Key: { id: { S: 't3' } } } }, { Get: { TableName: 'units', Key: { id: { S: 'none' } } } }],
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      reported = answer.ConsumedCapacity?.[0]?.CapacityUnits;
    });
    assert.deepEqual([reported, booked], [6, 6]);
  });

  test('index writes: the entry put, moved (a delete and a put, each in its partition) and removed, on the GSI', async () => {
    const write = async (run: () => Promise<{ ConsumedCapacity?: { Table?: { CapacityUnits?: number }; GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }> } }>) => {
      let answer: Awaited<ReturnType<typeof run>> | undefined;
      const gsiBooked = await chargedBy('write', 'indexed', async () => {
        answer = await run();
      }, 'byG');
      return { table: answer?.ConsumedCapacity?.Table?.CapacityUnits, gsi: answer?.ConsumedCapacity?.GlobalSecondaryIndexes?.byG?.CapacityUnits, gsiBooked };
    };
    const tableBefore = charged(cairn, 'write', 'indexed');
    // 1,500 bytes with its index key: 2 units on the table, 2 on the index (the entry is the whole item).
    const item = sized('i1', 1500, { g: { S: 'one' } });
    assert.deepEqual(
      await write(() => client.send(new PutItemCommand({ TableName: 'indexed', Item: item, ReturnConsumedCapacity: 'INDEXES' }))),
      { table: 2, gsi: 2, gsiBooked: 2 },
    );
    const byPartitionBefore = chargedByPartition(cairn, 'write', 'indexed', 'byG');
    const moved = await write(() =>
      client.send(
        new UpdateItemCommand({
          TableName: 'indexed',
          Key: { id: { S: 'i1' } },
          UpdateExpression: 'SET g = :g',
          ExpressionAttributeValues: { ':g': { S: 'two' } },
          ReturnConsumedCapacity: 'INDEXES',
        }),
      ),
    );
    assert.deepEqual(moved, { table: 2, gsi: 4, gsiBooked: 4 });
    // The delete is charged where the old entry was, the put where the new one is.
    const gsi = resourceOf(cairn, 'indexed', 'byG');
    const oldHash = hashOf(cairn, 'indexed', { id: { S: 'i1' }, g: { S: 'one' } }, 'byG');
    const newHash = hashOf(cairn, 'indexed', { id: { S: 'i1' }, g: { S: 'two' } }, 'byG');
    assert.notEqual(gsi.partitions.partitions.findIndex((partition) => partition.contains(oldHash)), gsi.partitions.partitions.findIndex((partition) => partition.contains(newHash)));
    const delta = chargedByPartition(cairn, 'write', 'indexed', 'byG').map((units, at) => units - (byPartitionBefore[at] ?? 0));
    const expected = gsi.partitions.partitions.map((partition) => (partition.contains(oldHash) ? 2 : 0) + (partition.contains(newHash) ? 2 : 0));
    assert.deepEqual(delta, expected);
    assert.deepEqual(
      await write(() =>
        client.send(
          new UpdateItemCommand({ TableName: 'indexed', Key: { id: { S: 'i1' } }, UpdateExpression: 'REMOVE g', ReturnConsumedCapacity: 'INDEXES' }),
        ),
      ),
      // 1,500 bytes before, 1,494 after: 2 on the table; the entry removed: 2 on the index.
      { table: 2, gsi: 2, gsiBooked: 2 },
    );
    // Index units never reach the table's partitions.
    assert.equal(charged(cairn, 'write', 'indexed') - tableBefore, 6);
  });

  test('Query: the page rounded once over the items read, at least one unit; LSI reads and fetches on the table', async () => {
    for (const sk of ['a', 'b', 'c']) await client.send(new PutItemCommand({ TableName: 'rows', Item: { ...sizedRow('q', sk, 1500), l: { S: sk } } }));
    const query = (input: Partial<ConstructorParameters<typeof QueryCommand>[0]>) =>
      client.send(
        new QueryCommand({
          TableName: 'rows',
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: { ':p': { S: 'q' } },
          ReturnConsumedCapacity: 'INDEXES',
          ...input,
        }),
      );
    for (const [pk, consistent, units] of [
      // Three items of 1,503 bytes (an "l" attribute of one byte each): 4,509 bytes, two units (three if rounded
      // item by item), one eventually consistent.
      ['q', true, 2],
      ['q', false, 1],
      ['nothing', true, 1],
      ['nothing', false, 0.5],
    ] as const) {
      const before = chargedByPartition(cairn, 'read', 'rows');
      const answer = await query({ ExpressionAttributeValues: { ':p': { S: pk } }, ConsistentRead: consistent });
      const delta = chargedByPartition(cairn, 'read', 'rows').map((after, at) => after - (before[at] ?? 0));
      assert.equal(answer.ConsumedCapacity?.CapacityUnits, units);
      assert.deepEqual(answer.ConsumedCapacity?.Table, { CapacityUnits: units });
      // All of it in the partition of the Query's partition key.
      const hash = hashOf(cairn, 'rows', { pk: { S: pk }, sk: { S: 'a' } });
      assert.deepEqual(delta, resourceOf(cairn, 'rows').partitions.partitions.map((partition) => (partition.contains(hash) ? units : 0)));
    }
    // A filter that keeps nothing changes nothing: the items were read.
    const filtered = await query({ FilterExpression: 'd = :none', ExpressionAttributeValues: { ':p': { S: 'q' }, ':none': { S: '' } }, ConsistentRead: true });
    assert.deepEqual([filtered.Count, filtered.ScannedCount, filtered.ConsumedCapacity?.CapacityUnits], [0, 3, 2]);
    // The LSI holds keys only (pk, sk, l: 7 bytes an entry): half a unit for the page; ALL_ATTRIBUTES fetches each
    // item from the table at one unit (strongly consistent) apiece. Both are the table's.
    const before = charged(cairn, 'read', 'rows');
    const lsi = await query({ IndexName: 'byL', Select: 'ALL_ATTRIBUTES', ConsistentRead: true });
    assert.equal(lsi.Items?.length, 3);
    assert.deepEqual(lsi.ConsumedCapacity, { TableName: 'rows', CapacityUnits: 4, Table: { CapacityUnits: 3 }, LocalSecondaryIndexes: { byL: { CapacityUnits: 1 } } });
    assert.equal(charged(cairn, 'read', 'rows') - before, 4);
  });

  test('GSI Query: the index\'s units on the index, none on the table', async () => {
    await client.send(new PutItemCommand({ TableName: 'indexed', Item: sized('q1', 5000, { g: { S: 'gq' } }) }));
    const tableBefore = charged(cairn, 'read', 'indexed');
    let reported: unknown;
    const booked = await chargedBy('read', 'indexed', async () => {
      reported = (
        await client.send(
          new QueryCommand({
            TableName: 'indexed',
            IndexName: 'byG',
            KeyConditionExpression: 'g = :g',
            ExpressionAttributeValues: { ':g': { S: 'gq' } },
            ReturnConsumedCapacity: 'INDEXES',
          }),
        )
      ).ConsumedCapacity;
    }, 'byG');
    assert.deepEqual(reported, { TableName: 'indexed', CapacityUnits: 1, Table: { CapacityUnits: 0 }, GlobalSecondaryIndexes: { byG: { CapacityUnits: 1 } } });
    assert.equal(booked, 1);
    assert.equal(charged(cairn, 'read', 'indexed') - tableBefore, 0);
  });

  test('Scan: every item evaluated, rounded once per page, spread over the partitions read', async () => {
    await client.send(new CreateTableCommand(hashKeyTable('scanned')));
    // 40 items of 1,000 bytes: 40,000 bytes, 10 units strongly consistent, over the table's four partitions.
    for (let i = 0; i < 40; i++) await client.send(new PutItemCommand({ TableName: 'scanned', Item: sized(`s${i}`, 1000) }));
    const before = chargedByPartition(cairn, 'read', 'scanned');
    const answer = await client.send(
      new ScanCommand({
        TableName: 'scanned',
        FilterExpression: 'd = :none',
        ExpressionAttributeValues: { ':none': { S: '' } },
        ConsistentRead: true,
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    assert.deepEqual([answer.Count, answer.ScannedCount, answer.ConsumedCapacity?.CapacityUnits], [0, 40, 10]);
    const delta = chargedByPartition(cairn, 'read', 'scanned').map((after, at) => after - (before[at] ?? 0));
    assert.equal(delta.length, 4);
    // Each partition pays for the bytes read in it: 1,000 bytes an item, a quarter of a unit.
    const partitions = resourceOf(cairn, 'scanned').partitions.partitions;
    const itemsIn = partitions.map((partition) =>
      Array.from({ length: 40 }, (_, i) => hashOf(cairn, 'scanned', { id: { S: `s${i}` } })).filter((hash) => partition.contains(hash)).length,
    );
    delta.forEach((units, at) => assert.ok(Math.abs(units - ((itemsIn[at] ?? 0) * 10) / 40) < 1e-9, `partition ${at}: ${units}`));
    assert.ok(Math.abs(delta.reduce((sum, units) => sum + units, 0) - 10) < 1e-9);
    assert.ok(delta.filter((units) => units > 0).length > 1);
    // Select COUNT costs the same; an eventually consistent Scan half.
    const counted = await client.send(new ScanCommand({ TableName: 'scanned', Select: 'COUNT', ReturnConsumedCapacity: 'TOTAL' }));
    assert.deepEqual([counted.Count, counted.ConsumedCapacity?.CapacityUnits], [40, 5]);
  });
});
