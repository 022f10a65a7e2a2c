/**
 * PutItem, GetItem, UpdateItem and DeleteItem through the AWS SDK: results, return values, consumed capacity,
 * conditions, and errors with DynamoDB's exact type, message and status.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { hashKeyTable, compositeKeyTable } from '../helpers/tables.js';
import { startCairn, type Cairn } from '../helpers/cairn.js';
import { INVALID, rejectsWith } from '../helpers/assertions.js';

let cairn: Cairn;
let client: DynamoDBClient;
const HASH = 'items_hash';
const COMPOSITE = 'items_composite';

const put = (item: Record<string, AttributeValue>, extra: object = {}) =>
  client.send(new PutItemCommand({ TableName: HASH, Item: item, ...extra }));
const get = async (id: string, extra: object = {}) =>
  (await client.send(new GetItemCommand({ TableName: HASH, Key: { id: { S: id } }, ConsistentRead: true, ...extra }))).Item;
const update = (id: string, expression: string, extra: object = {}) =>
  client.send(new UpdateItemCommand({ TableName: HASH, Key: { id: { S: id } }, UpdateExpression: expression, ...extra }));

// The same behaviour on both storage engines.
for (const inMemory of [false, true]) {
  describe(inMemory ? 'in memory' : 'on LMDB', () => {
    before(async () => {
      cairn = await startCairn({ inMemory });
      client = cairn.client;
      await client.send(
        new CreateTableCommand(hashKeyTable(HASH)),
      );
      await client.send(
        new CreateTableCommand(compositeKeyTable(COMPOSITE)),
      );
    });
    after(async () => {
      await cairn.close();
    });

    describe('PutItem and GetItem', () => {
      test('every attribute type round-trips, numbers normalised as DynamoDB returns them', async () => {
        await put({
          id: { S: 'all-types' },
          s: { S: 'text' },
          empty: { S: '' },
          n: { N: '1.500' },
          lead: { N: '007' },
          exp: { N: '1e3' },
          negzero: { N: '-0' },
          big: { N: '99999999999999999999999999999999999999' },
          tiny: { N: '1E-130' },
          b: { B: Uint8Array.of(0, 1, 255) },
          t: { BOOL: true },
          nul: { NULL: true },
          m: { M: { inner: { L: [{ S: 'x' }, { N: '2.0' }] } } },
          ss: { SS: ['b', 'a'] },
          ns: { NS: ['3', '1.0'] },
          bs: { BS: [Uint8Array.of(1), Uint8Array.of(2)] },
        });
        const item = await get('all-types');
        assert.deepEqual(item, {
          id: { S: 'all-types' },
          s: { S: 'text' },
          empty: { S: '' },
          n: { N: '1.5' },
          lead: { N: '7' },
          exp: { N: '1000' },
          negzero: { N: '0' },
          big: { N: '99999999999999999999999999999999999999' },
          tiny: { N: `0.${'0'.repeat(129)}1` },
          b: { B: Uint8Array.of(0, 1, 255) },
          t: { BOOL: true },
          nul: { NULL: true },
          m: { M: { inner: { L: [{ S: 'x' }, { N: '2' }] } } },
          ss: { SS: ['b', 'a'] },
          ns: { NS: ['3', '1'] },
          bs: { BS: [Uint8Array.of(1), Uint8Array.of(2)] },
        });
      });

      test('a missing item answers without an Item member', async () => {
        const response = await client.send(new GetItemCommand({ TableName: HASH, Key: { id: { S: 'nobody' } } }));
        assert.equal('Item' in response, false);
      });

      test('ReturnValues ALL_OLD returns the replaced item, and nothing for a new one', async () => {
        const first = await put({ id: { S: 'rv' }, v: { N: '1' } }, { ReturnValues: 'ALL_OLD' });
        assert.equal(first.Attributes, undefined);
        const second = await put({ id: { S: 'rv' }, v: { N: '2' } }, { ReturnValues: 'ALL_OLD' });
        assert.deepEqual(second.Attributes, { id: { S: 'rv' }, v: { N: '1' } });
      });

      test('ConsumedCapacity follows DynamoDB: 1 KB write units, 4 KB read units, eventual reads at half', async () => {
        const big = 'x'.repeat(5000);
        const written = await put({ id: { S: 'cap' }, big: { S: big } }, { ReturnConsumedCapacity: 'TOTAL' });
        // 3 (id) + 2 + 1 (cap... name bytes) + 3 (big) + 5000: 5 KB rounds up to 5 units.
        assert.deepEqual(written.ConsumedCapacity, { TableName: HASH, CapacityUnits: 5 });
        const strong = await client.send(
          new GetItemCommand({ TableName: HASH, Key: { id: { S: 'cap' } }, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' }),
        );
        assert.deepEqual(strong.ConsumedCapacity, { TableName: HASH, CapacityUnits: 2 });
        const eventual = await client.send(
          new GetItemCommand({ TableName: HASH, Key: { id: { S: 'cap' } }, ReturnConsumedCapacity: 'INDEXES' }),
        );
        assert.deepEqual(eventual.ConsumedCapacity, { TableName: HASH, CapacityUnits: 1, Table: { CapacityUnits: 1 } });
        const missing = await client.send(
          new GetItemCommand({ TableName: HASH, Key: { id: { S: 'none' } }, ReturnConsumedCapacity: 'TOTAL' }),
        );
        assert.deepEqual(missing.ConsumedCapacity, { TableName: HASH, CapacityUnits: 0.5 });
        const none = await put({ id: { S: 'cap2' } }, { ReturnConsumedCapacity: 'NONE' });
        assert.equal(none.ConsumedCapacity, undefined);
      });

      test('ProjectionExpression and AttributesToGet select (nested) attributes', async () => {
        await put({
          id: { S: 'proj' },
          a: { M: { b: { S: 'keep' }, c: { S: 'drop' } } },
          l: { L: [{ S: 'zero' }, { S: 'one' }, { S: 'two' }] },
          other: { S: 'x' },
        });
        assert.deepEqual(await get('proj', { ProjectionExpression: 'a.b, l[2], l[0], #n', ExpressionAttributeNames: { '#n': 'missing' } }), {
          a: { M: { b: { S: 'keep' } } },
          l: { L: [{ S: 'zero' }, { S: 'two' }] },
        });
        assert.deepEqual(await get('proj', { AttributesToGet: ['other', 'id'] }), { id: { S: 'proj' }, other: { S: 'x' } });
      });

      test('the composite key table stores items per sort key', async () => {
        await client.send(new PutItemCommand({ TableName: COMPOSITE, Item: { pk: { S: 'p' }, sk: { N: '1' }, v: { S: 'one' } } }));
        await client.send(new PutItemCommand({ TableName: COMPOSITE, Item: { pk: { S: 'p' }, sk: { N: '1.0' }, v: { S: 'same' } } }));
        await client.send(new PutItemCommand({ TableName: COMPOSITE, Item: { pk: { S: 'p' }, sk: { N: '2' }, v: { S: 'two' } } }));
        const one = await client.send(new GetItemCommand({ TableName: COMPOSITE, Key: { pk: { S: 'p' }, sk: { N: '1.00' } } }));
        assert.deepEqual(one.Item, { pk: { S: 'p' }, sk: { N: '1' }, v: { S: 'same' } });
      });

      test('errors: missing table, key problems, sizes, ReturnValues', async () => {
        await rejectsWith(
          client.send(new PutItemCommand({ TableName: 'no_such_table', Item: { id: { S: 'x' } } })),
          'ResourceNotFoundException',
          'Requested resource not found',
        );
        await rejectsWith(
          client.send(new GetItemCommand({ TableName: 'no_such_table', Key: { id: { S: 'x' } } })),
          'ResourceNotFoundException',
          'Requested resource not found',
        );
        await rejectsWith(put({ other: { S: 'x' } }), 'ValidationException', `${INVALID}Missing the key id in the item`);
        await rejectsWith(
          put({ id: { N: '1' } }),
          'ValidationException',
          `${INVALID}Type mismatch for key id expected: S actual: N`,
        );
        await rejectsWith(
          client.send(new GetItemCommand({ TableName: HASH, Key: { id: { S: 'x' }, extra: { S: 'y' } } })),
          'ValidationException',
          'The provided key element does not match the schema',
        );
        await rejectsWith(
          client.send(new GetItemCommand({ TableName: HASH, Key: { nope: { S: 'x' } } })),
          'ValidationException',
          'The provided key element does not match the schema',
        );
        await rejectsWith(
          put({ id: { S: 'big' }, data: { S: 'x'.repeat(400 * 1024) } }),
          'ValidationException',
          'Item size has exceeded the maximum allowed size',
        );
        await rejectsWith(
          put({ id: { S: 'x'.repeat(2049) } }),
          'ValidationException',
          `${INVALID}Size of hashkey has exceeded the maximum size limit of2048 bytes`,
        );
        await rejectsWith(
          put({ id: { S: 'rv' } }, { ReturnValues: 'ALL_NEW' }),
          'ValidationException',
          'ReturnValues can only be ALL_OLD or NONE',
        );
        await rejectsWith(
          put({ id: { S: 'x' }, s: { SS: [] } }),
          'ValidationException',
          `${INVALID}An string set  may not be empty`,
        );
        await rejectsWith(
          get('proj', { ProjectionExpression: 'id.x' }),
          'ValidationException',
          "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: id",
        );
      });

      test('an item just under 400 KB is accepted and read back whole', async () => {
        // 2 (id) + 3 (v-- name "id" is 2 bytes, "ok" 2 bytes) ... exact: id(2)+"maxsize"(7) + data(4) + payload.
        const payload = 'y'.repeat(400 * 1024 - 2 - 7 - 4);
        await put({ id: { S: 'maxsize' }, data: { S: payload } });
        const item = await get('maxsize');
        assert.equal((item?.data as { S: string }).S.length, payload.length);
      });
    });

    describe('conditions', () => {
      test('ConditionExpression guards a put; failures carry the old item when asked', async () => {
        await put({ id: { S: 'cond' }, v: { N: '1' } }, { ConditionExpression: 'attribute_not_exists(id)' });
        await rejectsWith(
          put({ id: { S: 'cond' }, v: { N: '2' } }, { ConditionExpression: 'attribute_not_exists(id)' }),
          'ConditionalCheckFailedException',
          'The conditional request failed',
        );
        const error = await rejectsWith(
          put(
            { id: { S: 'cond' }, v: { N: '3' } },
            {
              ConditionExpression: 'v > :min',
              ExpressionAttributeValues: { ':min': { N: '5' } },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          ),
          'ConditionalCheckFailedException',
          'The conditional request failed',
        );
        assert.deepEqual(error.Item, { id: { S: 'cond' }, v: { N: '1' } });
        assert.deepEqual(await get('cond'), { id: { S: 'cond' }, v: { N: '1' } });
        await put(
          { id: { S: 'cond' }, v: { N: '4' } },
          { ConditionExpression: 'v BETWEEN :lo AND :hi AND NOT contains(#v, :x)', ExpressionAttributeNames: { '#v': 'v' }, ExpressionAttributeValues: { ':lo': { N: '0' }, ':hi': { N: '1.0' }, ':x': { S: 'q' } } },
        );
        assert.deepEqual(await get('cond'), { id: { S: 'cond' }, v: { N: '4' } });
      });

      test('legacy Expected works and cannot be mixed with ConditionExpression', async () => {
        await put({ id: { S: 'legacy' }, v: { S: 'a' } });
        await put({ id: { S: 'legacy' }, v: { S: 'b' } }, { Expected: { v: { Value: { S: 'a' } } } });
        await rejectsWith(
          put({ id: { S: 'legacy' }, v: { S: 'c' } }, { Expected: { v: { Exists: false } } }),
          'ConditionalCheckFailedException',
          'The conditional request failed',
        );
        await rejectsWith(
          put(
            { id: { S: 'legacy' } },
            { Expected: { v: { Exists: false } }, ConditionExpression: 'attribute_exists(v)' },
          ),
          'ValidationException',
          'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}',
        );
      });

      test('expression errors are DynamoDB’s, first error first', async () => {
        await rejectsWith(
          put({ id: { S: 'e' } }, { ConditionExpression: 'a = :v', ExpressionAttributeValues: { ':v': { S: 'x' }, ':x': { S: 'y' } } }),
          'ValidationException',
          'Value provided in ExpressionAttributeValues unused in expressions: keys: {:x}',
        );
        await rejectsWith(
          put({ id: { S: 'e' } }, { ConditionExpression: 'a = :v' }),
          'ValidationException',
          'Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :v',
        );
        await rejectsWith(
          put({ id: { S: 'e' } }, { ConditionExpression: '#a = :v', ExpressionAttributeValues: { ':v': { S: 'x' } } }),
          'ValidationException',
          'Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #a',
        );
        await rejectsWith(
          put({ id: { S: 'e' } }, { ConditionExpression: 'name = :v', ExpressionAttributeValues: { ':v': { S: 'x' } } }),
          'ValidationException',
          'Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: name',
        );
        await rejectsWith(
          put({ id: { S: 'e' } }, { ConditionExpression: 'foo(a)' }),
          'ValidationException',
          'Invalid ConditionExpression: Invalid function name; function: foo',
        );
      });
    });

    describe('UpdateItem', () => {
      test('SET, REMOVE, ADD and DELETE with every operand form', async () => {
        await put({
          id: { S: 'upd' },
          count: { N: '10' },
          list: { L: [{ S: 'a' }, { S: 'b' }, { S: 'c' }] },
          seq: { L: [{ S: 'a' }, { S: 'b' }, { S: 'c' }] },
          map: { M: { nested: { M: { deep: { S: 'old' } } } } },
          tags: { SS: ['x', 'y'] },
          colors: { SS: ['x', 'y'] },
          gone: { S: 'bye' },
        });
        await update('upd', 'SET #c = #c + :two, newer = if_not_exists(newer, :zero) - :one, #l = list_append(#l, :more), #m.nested.deep = :new, seq[0] = :first, seq[5] = :more REMOVE gone, seq[1] ADD tags :z, tally :one DELETE colors :x', {
          ExpressionAttributeNames: { '#c': 'count', '#l': 'list', '#m': 'map' },
          ExpressionAttributeValues: {
            ':two': { N: '2' },
            ':zero': { N: '0' },
            ':one': { N: '1' },
            ':more': { L: [{ S: 'd' }] },
            ':new': { S: 'new' },
            ':first': { S: 'A' },
            ':z': { SS: ['z'] },
            ':x': { SS: ['x'] },
          },
        });
        assert.deepEqual(await get('upd'), {
          id: { S: 'upd' },
          count: { N: '12' },
          newer: { N: '-1' },
          list: { L: [{ S: 'a' }, { S: 'b' }, { S: 'c' }, { S: 'd' }] },
          // Indexes name the original positions; setting past the end appends.
          seq: { L: [{ S: 'A' }, { S: 'c' }, { L: [{ S: 'd' }] }] },
          map: { M: { nested: { M: { deep: { S: 'new' } } } } },
          tags: { SS: ['x', 'y', 'z'] },
          colors: { SS: ['y'] },
          tally: { N: '1' },
        });
      });

      test('ReturnValues: NONE, ALL_OLD, UPDATED_OLD, ALL_NEW, UPDATED_NEW', async () => {
        await put({ id: { S: 'ret' }, a: { N: '1' }, b: { M: { c: { S: 'x' }, d: { S: 'y' } } } });
        const values = { ':v': { N: '2' }, ':w': { S: 'z' } };
        const none = await update('ret', 'SET a = :v', { ExpressionAttributeValues: { ':v': { N: '2' } }, ReturnValues: 'NONE' });
        assert.equal(none.Attributes, undefined);
        const allOld = await update('ret', 'SET a = :v, b.c = :w', { ExpressionAttributeValues: values, ReturnValues: 'ALL_OLD' });
        assert.deepEqual(allOld.Attributes, { id: { S: 'ret' }, a: { N: '2' }, b: { M: { c: { S: 'x' }, d: { S: 'y' } } } });
        const updatedOld = await update('ret', 'SET a = a + :v, b.c = :w', { ExpressionAttributeValues: values, ReturnValues: 'UPDATED_OLD' });
        assert.deepEqual(updatedOld.Attributes, { a: { N: '2' }, b: { M: { c: { S: 'z' } } } });
        const allNew = await update('ret', 'REMOVE b.d', { ReturnValues: 'ALL_NEW' });
        assert.deepEqual(allNew.Attributes, { id: { S: 'ret' }, a: { N: '4' }, b: { M: { c: { S: 'z' } } } });
        const updatedNew = await update('ret', 'SET a = a + :v, fresh = :w', { ExpressionAttributeValues: values, ReturnValues: 'UPDATED_NEW' });
        assert.deepEqual(updatedNew.Attributes, { a: { N: '6' }, fresh: { S: 'z' } });
      });

      test('an update of an absent item creates it from the key', async () => {
        const created = await update('upsert', 'SET v = :v', { ExpressionAttributeValues: { ':v': { S: 'new' } }, ReturnValues: 'ALL_NEW' });
        assert.deepEqual(created.Attributes, { id: { S: 'upsert' }, v: { S: 'new' } });
        await client.send(new UpdateItemCommand({ TableName: HASH, Key: { id: { S: 'bare' } } }));
        assert.deepEqual(await get('bare'), { id: { S: 'bare' } });
      });

      test('update errors: key attributes, syntax, overlaps, operand types, conditions', async () => {
        await put({ id: { S: 'bad' }, s: { S: 'text' }, n: { N: '1' } });
        await rejectsWith(
          update('bad', 'SET id = :v', { ExpressionAttributeValues: { ':v': { S: 'x' } } }),
          'ValidationException',
          `${INVALID}Cannot update attribute id. This attribute is part of the key`,
        );
        await rejectsWith(
          update('bad', 'SET a = = b'),
          'ValidationException',
          'Invalid UpdateExpression: Syntax error; token: "=", near: "= = b"',
        );
        await rejectsWith(
          update('bad', 'SET a = :v, a.b = :v', { ExpressionAttributeValues: { ':v': { S: 'x' } } }),
          'ValidationException',
          'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]',
        );
        await rejectsWith(
          update('bad', 'SET s = s + :one', { ExpressionAttributeValues: { ':one': { N: '1' } } }),
          'ValidationException',
          'An operand in the update expression has an incorrect data type',
        );
        await rejectsWith(
          update('bad', 'SET n = :v', { ExpressionAttributeValues: { ':v': { N: '2' } }, ConditionExpression: 'n > :v' }),
          'ConditionalCheckFailedException',
          'The conditional request failed',
        );
        await rejectsWith(
          update('bad', 'SET n = :v', {
            ExpressionAttributeValues: { ':v': { N: '2' } },
            AttributeUpdates: { n: { Action: 'PUT', Value: { N: '3' } } },
          }),
          'ValidationException',
          'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributeUpdates} Expression parameters: {UpdateExpression}',
        );
        await rejectsWith(
          update('bad', 'SET big = :v', { ExpressionAttributeValues: { ':v': { S: 'x'.repeat(400 * 1024) } } }),
          'ValidationException',
          'Item size to update has exceeded the maximum allowed size',
        );
        assert.deepEqual(await get('bad'), { id: { S: 'bad' }, s: { S: 'text' }, n: { N: '1' } });
      });

      test('legacy AttributeUpdates: PUT, ADD (numbers, sets, lists) and DELETE', async () => {
        await put({ id: { S: 'au' }, n: { N: '1' }, s: { SS: ['a', 'b'] }, l: { L: [{ S: 'x' }] }, gone: { S: 'g' } });
        const result = await client.send(
          new UpdateItemCommand({
            TableName: HASH,
            Key: { id: { S: 'au' } },
            AttributeUpdates: {
              n: { Action: 'ADD', Value: { N: '2.5' } },
              s: { Action: 'DELETE', Value: { SS: ['a'] } },
              l: { Action: 'ADD', Value: { L: [{ S: 'y' }] } },
              gone: { Action: 'DELETE' },
              p: { Action: 'PUT', Value: { BOOL: false } },
            },
            ReturnValues: 'UPDATED_NEW',
          }),
        );
        assert.deepEqual(result.Attributes, {
          n: { N: '3.5' },
          s: { SS: ['b'] },
          l: { L: [{ S: 'x' }, { S: 'y' }] },
          p: { BOOL: false },
        });
      });

      test('64 concurrent ADD increments of one item give exactly 64', async () => {
        await Promise.all(
          Array.from({ length: 64 }, () => update('counter', 'ADD hits :one', { ExpressionAttributeValues: { ':one': { N: '1' } } })),
        );
        assert.deepEqual(await get('counter'), { id: { S: 'counter' }, hits: { N: '64' } });
      });
    });

    describe('DeleteItem', () => {
      test('deletes, returns ALL_OLD, and succeeds on an absent item', async () => {
        await put({ id: { S: 'del' }, v: { S: 'x' } });
        const deleted = await client.send(new DeleteItemCommand({ TableName: HASH, Key: { id: { S: 'del' } }, ReturnValues: 'ALL_OLD' }));
        assert.deepEqual(deleted.Attributes, { id: { S: 'del' }, v: { S: 'x' } });
        assert.equal(await get('del'), undefined);
        const again = await client.send(
          new DeleteItemCommand({ TableName: HASH, Key: { id: { S: 'del' } }, ReturnValues: 'ALL_OLD', ReturnConsumedCapacity: 'TOTAL' }),
        );
        assert.equal(again.Attributes, undefined);
        assert.deepEqual(again.ConsumedCapacity, { TableName: HASH, CapacityUnits: 1 });
      });

      test('a failed condition deletes nothing', async () => {
        await put({ id: { S: 'keep' }, v: { N: '1' } });
        await rejectsWith(
          client.send(
            new DeleteItemCommand({
              TableName: HASH,
              Key: { id: { S: 'keep' } },
              ConditionExpression: 'v = :two',
              ExpressionAttributeValues: { ':two': { N: '2' } },
            }),
          ),
          'ConditionalCheckFailedException',
          'The conditional request failed',
        );
        assert.deepEqual(await get('keep'), { id: { S: 'keep' }, v: { N: '1' } });
      });
    });

    describe('table statistics', () => {
      test('ItemCount and TableSizeBytes follow writes exactly', async () => {
        const name = 'items_stats';
        await client.send(
          new CreateTableCommand(hashKeyTable(name)),
        );
        for (const id of ['a', 'b', 'c']) await client.send(new PutItemCommand({ TableName: name, Item: { id: { S: id }, v: { S: 'xyz' } } }));
        await client.send(new DeleteItemCommand({ TableName: name, Key: { id: { S: 'b' } } }));
        const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
        assert.equal(Table?.ItemCount, 2);
        // Each item: "id" (2) + 1 + "v" (1) + 3 = 7 bytes.
        assert.equal(Table?.TableSizeBytes, 14);
      });

      test('overwrites and deletes count the size of the item they replace, with or without a condition', async () => {
        const name = 'items_stats_overwrites';
        await client.send(new CreateTableCommand(hashKeyTable(name)));
        const stats = async (): Promise<[number | undefined, number | undefined]> => {
          const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
          return [Table?.ItemCount, Table?.TableSizeBytes];
        };
        const put = (id: string, v: string, extra: object = {}): Promise<unknown> =>
          client.send(new PutItemCommand({ TableName: name, Item: { id: { S: id }, v: { S: v } }, ...extra }));
        await put('a', 'xyz');
        await put('b', 'xyz');
        // "id" (2) + 1 + "v" (1) + 10 = 14 bytes replaces 7.
        await put('a', '0123456789');
        assert.deepEqual(await stats(), [2, 21]);
        await put('a', 'x', { ConditionExpression: 'attribute_exists(id)' });
        assert.deepEqual(await stats(), [2, 12]);
        const { Attributes } = (await put('b', 'xy', { ReturnValues: 'ALL_OLD' })) as { Attributes?: unknown };
        assert.deepEqual(Attributes, { id: { S: 'b' }, v: { S: 'xyz' } });
        assert.deepEqual(await stats(), [2, 11]);
        await client.send(new DeleteItemCommand({ TableName: name, Key: { id: { S: 'absent' } } }));
        await client.send(new DeleteItemCommand({ TableName: name, Key: { id: { S: 'a' } } }));
        assert.deepEqual(await stats(), [1, 6]);
        await client.send(new UpdateItemCommand({ TableName: name, Key: { id: { S: 'b' } }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { S: 'abcd' } } }));
        assert.deepEqual(await stats(), [1, 8]);
      });
    });
  });
}
