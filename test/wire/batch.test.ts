/**
 * BatchGetItem and BatchWriteItem through the AWS SDK (and raw requests where the exact body matters): results
 * across tables, projections, ConsistentRead, consumed capacity per table, the 16 MB response limit with
 * UnprocessedKeys, the 400 KB item limit in a full batch, and DynamoDB's exact errors. Every invalid batch is
 * checked to have written nothing.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  CreateTableCommand,
  DescribeTableCommand,
  GetItemCommand,
  type AttributeValue,
  type BatchGetItemCommandInput,
  type DynamoDBClient,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { hashKeyTable, compositeKeyTable } from '../helpers/tables.js';
import { startCairn, type Cairn } from '../helpers/cairn.js';
import { INVALID, rejectsWith } from '../helpers/assertions.js';

type Item = Record<string, AttributeValue>;

let cairn: Cairn;
let client: DynamoDBClient;
const HASH = 'batch_hash';
const COMPOSITE = 'batch_composite';
const BIG = 'batch_big';
const MISSING = 'batch_missing';
const MAX_ITEM_SIZE = 409600;
const SCHEMA_MISMATCH = 'The provided key element does not match the schema';
const DUPLICATES = 'Provided list of item keys contains duplicates';

const hashKey = (id: string): Item => ({ id: { S: id } });
const compositeKey = (pk: string, sk: string): Item => ({ pk: { S: pk }, sk: { N: sk } });
const put = (Item: Item): WriteRequest => ({ PutRequest: { Item } });
const del = (Key: Item): WriteRequest => ({ DeleteRequest: { Key } });
const write = (RequestItems: Record<string, WriteRequest[]>, extra: object = {}) =>
  client.send(new BatchWriteItemCommand({ RequestItems, ...extra }));
const batchGet = (RequestItems: BatchGetItemCommandInput['RequestItems'], extra: object = {}) =>
  client.send(new BatchGetItemCommand({ RequestItems, ...extra }));
const getItem = async (TableName: string, Key: Item) =>
  (await client.send(new GetItemCommand({ TableName, Key, ConsistentRead: true }))).Item;
const stats = async (TableName: string) => {
  const { Table } = await client.send(new DescribeTableCommand({ TableName }));
  return { ItemCount: Table?.ItemCount, TableSizeBytes: Table?.TableSizeBytes };
};
/** The SDK output without its metadata. */
const body = <T extends { $metadata: unknown }>(output: T): Omit<T, '$metadata'> => {
  const { $metadata: _, ...rest } = output;
  return rest;
};
/** An item of exactly `size` bytes (DynamoDB's count): `id` + its value + `data` + the padding. */
const sizedItem = (id: string, size: number): Item => ({
  id: { S: id },
  data: { S: 'x'.repeat(size - 'id'.length - id.length - 'data'.length) },
});
const byId = (a: Item, b: Item) => String(a.id?.S).localeCompare(String(b.id?.S));

// The same behaviour on both storage engines.
for (const inMemory of [false, true]) {
  describe(inMemory ? 'in memory' : 'on LMDB', () => {
    before(async () => {
      cairn = await startCairn({ inMemory });
      client = cairn.client;
      for (const TableName of [HASH, BIG]) {
        await client.send(
          new CreateTableCommand(hashKeyTable(TableName)),
        );
      }
      await client.send(
        new CreateTableCommand(compositeKeyTable(COMPOSITE)),
      );
    });
    after(async () => {
      await cairn.close();
    });

    describe('BatchWriteItem', () => {
      test('puts and deletes across tables; UnprocessedItems is {} and nothing else is returned', async () => {
        const a = { ...hashKey('w-a'), v: { N: '1.50' } };
        const b = { ...hashKey('w-b'), l: { L: [{ S: 'x' }] } };
        const c = { ...compositeKey('w', '1'), v: { S: 'c' } };
        const d = { ...compositeKey('w', '2'), v: { S: 'd' } };
        assert.deepEqual(body(await write({ [HASH]: [put(a), put(b)], [COMPOSITE]: [put(c), put(d)] })), {
          UnprocessedItems: {},
        });
        assert.deepEqual(await getItem(HASH, hashKey('w-a')), { ...hashKey('w-a'), v: { N: '1.5' } });
        assert.deepEqual(await getItem(HASH, hashKey('w-b')), b);
        assert.deepEqual(await getItem(COMPOSITE, compositeKey('w', '2')), d);

        // A put replaces the whole item; a delete of an absent item is fine; puts and deletes mix.
        const a2 = { ...hashKey('w-a'), other: { BOOL: true } };
        assert.deepEqual(
          body(
            await write({
              [HASH]: [put(a2), del(hashKey('w-b')), del(hashKey('w-never'))],
              [COMPOSITE]: [del(compositeKey('w', '1.0'))],
            }),
          ),
          { UnprocessedItems: {} },
        );
        assert.deepEqual(await getItem(HASH, hashKey('w-a')), a2);
        assert.equal(await getItem(HASH, hashKey('w-b')), undefined);
        assert.equal(await getItem(COMPOSITE, compositeKey('w', '1')), undefined);
        assert.deepEqual(await getItem(COMPOSITE, compositeKey('w', '2')), d);
      });

      test('the same key in two tables, or the same partition with two sort keys, is not a duplicate', async () => {
        const output = await write({
          [HASH]: [put(hashKey('same')), put(hashKey('same-2'))],
          [BIG]: [put(hashKey('same'))],
          [COMPOSITE]: [put(compositeKey('same', '1')), del(compositeKey('same', '2')), put(compositeKey('other', '1'))],
        });
        assert.deepEqual(body(output), { UnprocessedItems: {} });
        assert.deepEqual(await getItem(BIG, hashKey('same')), hashKey('same'));
      });

      test('ReturnConsumedCapacity: one entry per table, write units summed per item as PutItem/DeleteItem count them', async () => {
        // 1,500 bytes: 2 write units; a key-only item: 1.
        const large = sizedItem('cap-large', 1500);
        const requests = () => ({ [HASH]: [put(large), put(hashKey('cap-small'))], [COMPOSITE]: [put(compositeKey('cap', '1'))] });
        const total = await write(requests(), { ReturnConsumedCapacity: 'TOTAL' });
        assert.deepEqual(body(total), {
          ConsumedCapacity: [
            { TableName: HASH, CapacityUnits: 3 },
            { TableName: COMPOSITE, CapacityUnits: 1 },
          ],
          UnprocessedItems: {},
        });
        // Overwriting the 1,500-byte item with a small one costs the larger of the two (2), as in PutItem.
        const indexes = await write(
          { [HASH]: [put(sizedItem('cap-large', 100)), put(hashKey('cap-small'))], [COMPOSITE]: [put(compositeKey('cap', '1'))] },
          { ReturnConsumedCapacity: 'INDEXES' },
        );
        assert.deepEqual(indexes.ConsumedCapacity, [
          { TableName: HASH, CapacityUnits: 3, Table: { CapacityUnits: 3 } },
          { TableName: COMPOSITE, CapacityUnits: 1, Table: { CapacityUnits: 1 } },
        ]);
        // Deletes cost the deleted item's size, at least 1 (also for an absent item).
        await write({ [HASH]: [put(large)] });
        const deletes = await write(
          { [HASH]: [del(hashKey('cap-large')), del(hashKey('cap-absent'))] },
          { ReturnConsumedCapacity: 'TOTAL' },
        );
        assert.deepEqual(deletes.ConsumedCapacity, [{ TableName: HASH, CapacityUnits: 3 }]);
        const none = await write({ [HASH]: [put(hashKey('cap-none'))] }, { ReturnConsumedCapacity: 'NONE' });
        assert.deepEqual(body(none), { UnprocessedItems: {} });
      });

      test('ReturnItemCollectionMetrics SIZE on tables without local secondary indexes returns no metrics', async () => {
        const answer = await cairn.raw('DynamoDB_20120810.BatchWriteItem', {
          RequestItems: { [HASH]: [{ PutRequest: { Item: { id: { S: 'icm' } } } }] },
          ReturnItemCollectionMetrics: 'SIZE',
        });
        assert.equal(answer.status, 200);
        assert.deepEqual(answer.body, { UnprocessedItems: {} });
      });

      test('ItemCount and TableSizeBytes follow batch writes exactly', async () => {
        const name = `${HASH}_stats`;
        await client.send(
          new CreateTableCommand(hashKeyTable(name)),
        );
        const items = Array.from({ length: 25 }, (_, i) => sizedItem(`s-${String(i).padStart(2, '0')}`, 100 + i));
        await write({ [name]: items.map(put) });
        // 25 items of 100..124 bytes.
        assert.deepEqual(await stats(name), { ItemCount: 25, TableSizeBytes: 2800 });
        // Replace one (100 -> 1000 bytes), delete two (101 and 102 bytes), delete one that does not exist.
        await write({
          [name]: [put(sizedItem('s-00', 1000)), del(hashKey('s-01')), del(hashKey('s-02')), del(hashKey('s-99'))],
        });
        assert.deepEqual(await stats(name), { ItemCount: 23, TableSizeBytes: 2800 + 900 - 101 - 102 });
      });

      test('25 items of exactly 400 KB are written; one byte more in any of them and nothing is', async () => {
        const items = Array.from({ length: 25 }, (_, i) => sizedItem(`big-${String(i).padStart(2, '0')}`, MAX_ITEM_SIZE));
        const tooBig = items.map((item, i) => (i === 17 ? sizedItem('big-17', MAX_ITEM_SIZE + 1) : item));
        await rejectsWith(write({ [BIG]: tooBig.map(put) }), 'ValidationException', 'Item size has exceeded the maximum allowed size');
        assert.equal(await getItem(BIG, hashKey('big-00')), undefined);
        assert.deepEqual(await stats(BIG), { ItemCount: 1, TableSizeBytes: 'id'.length + 'same'.length });

        const output = await write({ [BIG]: items.map(put) }, { ReturnConsumedCapacity: 'TOTAL' });
        assert.deepEqual(body(output), { ConsumedCapacity: [{ TableName: BIG, CapacityUnits: 25 * 400 }], UnprocessedItems: {} });
        assert.deepEqual(await stats(BIG), { ItemCount: 26, TableSizeBytes: 25 * MAX_ITEM_SIZE + 6 });
        assert.deepEqual(await getItem(BIG, hashKey('big-24')), items[24]);
      });

      test('a write the storage fails is returned in UnprocessedItems; when all fail, the error is the answer', async () => {
        const storage = cairn.server.engine.storage;
        const atomic = storage.atomic.bind(storage);
        const failing = Buffer.from('fail-me');
        // Fails the commit of any item whose key contains `fail-me`.
        storage.atomic = (reads, decide) =>
          reads.some((read) => Buffer.from(read.key).includes(failing)) ? Promise.reject(new Error('disk full')) : atomic(reads, decide);
        try {
          const failed = put({ ...hashKey('fail-me-1'), v: { S: 'x' } });
          const output = await write(
            { [HASH]: [put(hashKey('unfailed-1')), failed], [COMPOSITE]: [put(compositeKey('unfailed', '1'))] },
            { ReturnConsumedCapacity: 'TOTAL' },
          );
          assert.deepEqual(body(output), {
            ConsumedCapacity: [
              { TableName: HASH, CapacityUnits: 1 },
              { TableName: COMPOSITE, CapacityUnits: 1 },
            ],
            UnprocessedItems: { [HASH]: [failed] },
          });
          assert.deepEqual(await getItem(HASH, hashKey('unfailed-1')), hashKey('unfailed-1'));
          await rejectsWith(
            write({ [HASH]: [put(hashKey('fail-me-2')), del(hashKey('fail-me-3'))] }),
            'InternalServerError',
            'Internal server error',
            500,
          );
        } finally {
          storage.atomic = atomic;
        }
      });

      describe('requests DynamoDB refuses, with nothing written', () => {
        const valid = () => [put(hashKey('never-1')), put({ ...hashKey('never-2'), v: { S: 'v' } })];
        const cases: ReadonlyArray<readonly [string, Record<string, WriteRequest[]>, string, string]> = [
          ['two puts of one key', { [HASH]: [...valid(), put(hashKey('dup')), put(hashKey('dup'))] }, 'ValidationException', DUPLICATES],
          ['a put and a delete of one key', { [HASH]: [put(hashKey('dup')), del(hashKey('dup')), ...valid()] }, 'ValidationException', DUPLICATES],
          ['a delete and a put of one key', { [HASH]: [...valid(), del(hashKey('dup')), put(hashKey('dup'))] }, 'ValidationException', DUPLICATES],
          ['two deletes of one key, numbers written differently', { [HASH]: valid(), [COMPOSITE]: [del(compositeKey('d', '1')), del(compositeKey('d', '1.00'))] },
            'ValidationException', DUPLICATES],
          ['a put without the hash key', { [HASH]: [...valid(), put({ other: { S: 'x' } })] }, 'ValidationException', SCHEMA_MISMATCH],
          ['a put with a key of the wrong type', { [HASH]: [...valid(), put({ id: { N: '1' } })] }, 'ValidationException', SCHEMA_MISMATCH],
          ['a put without the range key', { [HASH]: valid(), [COMPOSITE]: [put({ pk: { S: 'a' } })] }, 'ValidationException', SCHEMA_MISMATCH],
          ['a delete with an extra attribute', { [HASH]: [...valid(), del({ id: { S: 'a' }, v: { S: 'x' } })] }, 'ValidationException', SCHEMA_MISMATCH],
          ['a delete with a key of the wrong type', { [HASH]: [...valid(), del({ id: { B: Uint8Array.of(1) } })] }, 'ValidationException', SCHEMA_MISMATCH],
          ['a put with an empty string key', { [HASH]: [...valid(), put({ id: { S: '' } })] }, 'ValidationException',
            'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: id'],
          ['a delete with an empty string key', { [HASH]: [...valid(), del({ id: { S: '' } })] }, 'ValidationException',
            `${INVALID}The AttributeValue for a key attribute cannot contain an empty string value. Key: id`],
          ['a hash key over 2048 bytes', { [HASH]: [...valid(), put({ id: { S: 'k'.repeat(2049) } })] }, 'ValidationException',
            `${INVALID}Size of hashkey has exceeded the maximum size limit of2048 bytes`],
          ['a range key of the wrong type after valid requests', { [HASH]: valid(), [COMPOSITE]: [del({ pk: { S: 'a' }, sk: { N: '1' } }), put({ pk: { S: 'a' }, sk: { N: '2' }, x: { S: 'x' } }), put({ pk: { S: 'b' }, sk: { S: 'y'.repeat(1025) } })] },
            'ValidationException', SCHEMA_MISMATCH],
          ['a number that is not one', { [HASH]: [...valid(), put({ id: { S: 'n' }, n: { N: 'abc' } })] }, 'ValidationException',
            'The parameter cannot be converted to a numeric value: abc'],
          ['a duplicate set member', { [HASH]: [...valid(), put({ id: { S: 'n' }, s: { SS: ['a', 'a'] } })] }, 'ValidationException',
            `${INVALID}Input collection [a, a] contains duplicates.`],
          ['a missing table after a valid one', { [HASH]: valid(), [MISSING]: [put(hashKey('x'))] }, 'ResourceNotFoundException',
            'Requested resource not found'],
          ['a missing table is reported before duplicates', { [MISSING]: [put(hashKey('x')), del(hashKey('x'))] }, 'ResourceNotFoundException',
            'Requested resource not found'],
          ['26 requests across two tables', { [HASH]: [...valid(), ...Array.from({ length: 11 }, (_, i) => put(hashKey(`many-${i}`)))], [COMPOSITE]: Array.from({ length: 13 }, (_, i) => put(compositeKey('many', String(i)))) },
            'ValidationException', 'Too many items requested for the BatchWriteItem call'],
        ];
        for (const [name, requestItems, type, message] of cases) {
          test(name, async () => {
            const before = await stats(HASH);
            await rejectsWith(write(requestItems), type, message);
            assert.equal(await getItem(HASH, hashKey('never-1')), undefined);
            assert.equal(await getItem(HASH, hashKey('never-2')), undefined);
            assert.deepEqual(await stats(HASH), before);
          });
        }

        test('26 requests for one table fail the map constraint', async () => {
          const requests = Array.from({ length: 26 }, (_, i) =>
            i % 2 === 0 ? { PutRequest: { Item: { id: { S: `many-${i}` } } } } : { DeleteRequest: { Key: { id: { S: `many-${i}` } } } },
          );
          const answer = await cairn.raw('DynamoDB_20120810.BatchWriteItem', { RequestItems: { [HASH]: requests } });
          assert.equal(answer.status, 400);
          const { __type, message } = answer.body as { __type: string; message: string };
          assert.equal(__type, 'com.amazon.coral.validate#ValidationException');
          // The message holds DynamoDB's rendering of the whole map; its frame is exact.
          assert.match(
            message,
            /^1 validation error detected: Value '\{batch_hash=\[.+\]\}' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: \[Member must have length less than or equal to 25, Member must have length greater than or equal to 1\]$/,
          );
          assert.equal(await getItem(HASH, hashKey('many-0')), undefined);
        });
      });
    });

    describe('BatchGetItem', () => {
      const people: Item[] = [
        { ...hashKey('p-1'), name: { S: 'Ada' }, tags: { L: [{ S: 't0' }, { S: 't1' }] }, age: { N: '36' } },
        { ...hashKey('p-2'), name: { S: 'Grace' }, tags: { L: [{ S: 'u0' }] } },
        { ...hashKey('p-3'), name: { S: 'Edsger' } },
      ];
      const readings: Item[] = [
        { ...compositeKey('r', '1'), v: { N: '10' }, unit: { S: 'C' } },
        { ...compositeKey('r', '2'), v: { N: '20' }, unit: { S: 'C' } },
      ];
      before(async () => {
        await write({ [HASH]: people.map(put), [COMPOSITE]: readings.map(put) });
      });

      test('reads across two tables with projections and ConsistentRead; missing items are simply absent', async () => {
        const output = await batchGet({
          [HASH]: {
            Keys: [hashKey('p-1'), hashKey('p-absent'), hashKey('p-2'), hashKey('p-3')],
            ProjectionExpression: '#n, tags[1]',
            ExpressionAttributeNames: { '#n': 'name' },
            ConsistentRead: true,
          },
          [COMPOSITE]: { Keys: [compositeKey('r', '2'), compositeKey('r', '3'), { sk: { N: '1.0' }, pk: { S: 'r' } }], AttributesToGet: ['v', 'pk'] },
        });
        assert.deepEqual(Object.keys(output.Responses ?? {}).sort(), [COMPOSITE, HASH]);
        assert.deepEqual(output.Responses?.[HASH]?.sort((a, b) => String(a.name?.S).localeCompare(String(b.name?.S))), [
          { name: { S: 'Ada' }, tags: { L: [{ S: 't1' }] } },
          { name: { S: 'Edsger' } },
          { name: { S: 'Grace' } },
        ]);
        assert.deepEqual(output.Responses?.[COMPOSITE]?.sort((a, b) => Number(a.v?.N) - Number(b.v?.N)), [
          { pk: { S: 'r' }, v: { N: '10' } },
          { pk: { S: 'r' }, v: { N: '20' } },
        ]);
        assert.deepEqual(output.UnprocessedKeys, {});
        assert.equal(output.ConsumedCapacity, undefined);
      });

      test('a table whose keys are all missing has an empty list', async () => {
        const answer = await cairn.raw('DynamoDB_20120810.BatchGetItem', {
          RequestItems: { [HASH]: { Keys: [{ id: { S: 'nobody' } }] }, [COMPOSITE]: { Keys: [{ pk: { S: 'r' }, sk: { N: '1' } }] } },
        });
        assert.equal(answer.status, 200);
        assert.deepEqual(answer.body, { Responses: { [HASH]: [], [COMPOSITE]: [readings[0]] }, UnprocessedKeys: {} });
      });

      test('ReturnConsumedCapacity: one entry per table, read units per item, halved without ConsistentRead', async () => {
        // 5,000 bytes: 2 read units consistent, 1 eventually consistent; small and missing items: 1 / 0.5.
        await write({ [HASH]: [put(sizedItem('rc-large', 5000)), put(hashKey('rc-small'))] });
        const keys = [hashKey('rc-large'), hashKey('rc-small'), hashKey('rc-absent')];
        const eventual = await batchGet(
          { [HASH]: { Keys: keys }, [COMPOSITE]: { Keys: [compositeKey('r', '1')] } },
          { ReturnConsumedCapacity: 'TOTAL' },
        );
        assert.deepEqual(eventual.ConsumedCapacity, [
          { TableName: HASH, CapacityUnits: 2 },
          { TableName: COMPOSITE, CapacityUnits: 0.5 },
        ]);
        const consistent = await batchGet(
          // A projection does not lower the charge: capacity counts the whole item read.
          { [HASH]: { Keys: keys, ConsistentRead: true, ProjectionExpression: 'id' }, [COMPOSITE]: { Keys: [compositeKey('r', '1')], ConsistentRead: true } },
          { ReturnConsumedCapacity: 'INDEXES' },
        );
        assert.deepEqual(consistent.ConsumedCapacity, [
          { TableName: HASH, CapacityUnits: 4, Table: { CapacityUnits: 4 } },
          { TableName: COMPOSITE, CapacityUnits: 1, Table: { CapacityUnits: 1 } },
        ]);
        const none = await batchGet({ [HASH]: { Keys: keys } }, { ReturnConsumedCapacity: 'NONE' });
        assert.equal(none.ConsumedCapacity, undefined);
      });

      test('past 16 MB the remaining keys are unprocessed, with the table parameters kept', async () => {
        const name = `${BIG}_get`;
        await client.send(
          new CreateTableCommand(hashKeyTable(name)),
        );
        // 45 items of 400 KB: 40 of them (16,384,000 bytes) fit in 16 MiB, a 41st would not.
        const items = Array.from({ length: 45 }, (_, i) => sizedItem(`g-${String(i).padStart(2, '0')}`, MAX_ITEM_SIZE));
        await write({ [name]: items.slice(0, 25).map(put) });
        await write({ [name]: items.slice(25).map(put) });
        const parameters = { ProjectionExpression: '#i, #d', ExpressionAttributeNames: { '#i': 'id', '#d': 'data' }, ConsistentRead: true };
        const first = await batchGet(
          { [name]: { Keys: items.map((item) => ({ id: item.id as AttributeValue })), ...parameters }, [HASH]: { Keys: [hashKey('p-3')] } },
          { ReturnConsumedCapacity: 'TOTAL' },
        );
        assert.equal(first.Responses?.[name]?.length, 40);
        assert.deepEqual(first.Responses?.[name]?.sort(byId), items.slice(0, 40));
        // Every key after the limit is unprocessed, in this table and in the next one; each costs the smallest
        // read (observed in DynamoDB), the 40 items read 100 units each.
        assert.deepEqual(first.Responses?.[HASH], []);
        assert.deepEqual(first.UnprocessedKeys, {
          [name]: { Keys: items.slice(40).map((item) => ({ id: item.id })), ...parameters },
          [HASH]: { Keys: [hashKey('p-3')] },
        });
        assert.deepEqual(first.ConsumedCapacity, [
          { TableName: name, CapacityUnits: 40 * 100 + 5 },
          { TableName: HASH, CapacityUnits: 0.5 },
        ]);
        // UnprocessedKeys can be sent back as they are.
        const second = await batchGet(first.UnprocessedKeys);
        assert.deepEqual(second.Responses?.[name]?.sort(byId), items.slice(40));
        assert.deepEqual(second.Responses?.[HASH], [people[2]]);
        assert.deepEqual(second.UnprocessedKeys, {});
      });

      test('exactly 100 keys across tables are read', async () => {
        const output = await batchGet({
          [HASH]: { Keys: Array.from({ length: 60 }, (_, i) => hashKey(i === 0 ? 'p-1' : `h-${i}`)) },
          [COMPOSITE]: { Keys: Array.from({ length: 40 }, (_, i) => compositeKey('r', String(i + 1))) },
        });
        assert.deepEqual(output.Responses?.[HASH], [people[0]]);
        assert.equal(output.Responses?.[COMPOSITE]?.length, 2);
      });

      describe('requests DynamoDB refuses', () => {
        const cases: ReadonlyArray<readonly [string, BatchGetItemCommandInput['RequestItems'], string, string]> = [
          ['duplicate keys', { [HASH]: { Keys: [hashKey('p-1'), hashKey('p-2'), hashKey('p-1')] } }, 'ValidationException', DUPLICATES],
          ['duplicate keys with attributes in another order', { [COMPOSITE]: { Keys: [compositeKey('r', '1'), { sk: { N: '1' }, pk: { S: 'r' } }] } },
            'ValidationException', DUPLICATES],
          ['101 keys across two tables', {
            [HASH]: { Keys: Array.from({ length: 100 }, (_, i) => hashKey(`h-${i}`)) },
            [COMPOSITE]: { Keys: [compositeKey('r', '1')] },
          }, 'ValidationException', 'Too many items requested for the BatchGetItem call'],
          ['a missing table', { [HASH]: { Keys: [hashKey('p-1')] }, [MISSING]: { Keys: [hashKey('p-1')] } }, 'ResourceNotFoundException',
            'Requested resource not found'],
          ['a missing table with 100 keys', { [MISSING]: { Keys: Array.from({ length: 100 }, (_, i) => hashKey(`h-${i}`)) } },
            'ResourceNotFoundException', 'Requested resource not found'],
          ['an empty ProjectionExpression is refused before the missing table', { [HASH]: { Keys: [hashKey('p-1')] }, [MISSING]: { Keys: [hashKey('p-1')], ProjectionExpression: '' } },
            'ValidationException', 'Invalid ProjectionExpression: The expression can not be empty;'],
          ['a projection error is refused before duplicate keys', { [HASH]: { Keys: [hashKey('p-1'), hashKey('p-1')], ProjectionExpression: 'a', ExpressionAttributeNames: { '#x': 'x' } } },
            'ValidationException', 'Value provided in ExpressionAttributeNames unused in expressions: keys: {#x}'],
          ['ProjectionExpression with AttributesToGet', { [HASH]: { Keys: [hashKey('p-1')], ProjectionExpression: 'a', AttributesToGet: ['a'] } },
            'ValidationException',
            'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}'],
          ['duplicate AttributesToGet', { [HASH]: { Keys: [hashKey('p-1')], AttributesToGet: ['a', 'a'] } }, 'ValidationException',
            `${INVALID}Duplicate value in attribute name: a`],
          ['a key without the hash key', { [HASH]: { Keys: [hashKey('p-1'), { other: { S: 'p-1' } }] } }, 'ValidationException', SCHEMA_MISMATCH],
          ['a key with an extra attribute', { [HASH]: { Keys: [{ id: { S: 'p-1' }, name: { S: 'Ada' } }] } }, 'ValidationException', SCHEMA_MISMATCH],
          ['a key of the wrong type', { [HASH]: { Keys: [{ id: { N: '1' } }] } }, 'ValidationException', SCHEMA_MISMATCH],
          ['a key without the range key', { [COMPOSITE]: { Keys: [{ pk: { S: 'r' } }] } }, 'ValidationException', SCHEMA_MISMATCH],
          ['a range key of the wrong type', { [COMPOSITE]: { Keys: [{ pk: { S: 'r' }, sk: { S: '1' } }] } }, 'ValidationException', SCHEMA_MISMATCH],
          ['a hash key over 2048 bytes', { [HASH]: { Keys: [hashKey('k'.repeat(2049))] } }, 'ValidationException',
            `${INVALID}Size of hashkey has exceeded the maximum size limit of2048 bytes`],
          ['an empty string key', { [HASH]: { Keys: [hashKey('')] } }, 'ValidationException',
            `${INVALID}The AttributeValue for a key attribute cannot contain an empty string value. Key: id`],
          ['a projection into a key attribute', { [HASH]: { Keys: [hashKey('p-1')], ProjectionExpression: 'id.x' } }, 'ValidationException',
            "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: id"],
        ];
        for (const [name, requestItems, type, message] of cases) {
          test(name, async () => {
            await rejectsWith(batchGet(requestItems), type, message);
          });
        }

        test('101 keys for one table fail the list constraint', async () => {
          const answer = await cairn.raw('DynamoDB_20120810.BatchGetItem', {
            RequestItems: { [HASH]: { Keys: Array.from({ length: 101 }, (_, i) => ({ id: { S: `h-${i}` } })) } },
          });
          assert.equal(answer.status, 400);
          const { __type, message } = answer.body as { __type: string; message: string };
          assert.equal(__type, 'com.amazon.coral.validate#ValidationException');
          // The message holds DynamoDB's rendering of the list; its frame is exact.
          assert.match(
            message,
            /^1 validation error detected: Value '\[.+\]' at 'requestItems\.batch_hash\.member\.keys' failed to satisfy constraint: Member must have length less than or equal to 100$/,
          );
        });
      });
    });
  });
}
