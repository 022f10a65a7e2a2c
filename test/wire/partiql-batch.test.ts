/**
 * BatchExecuteStatement through the AWS SDK and raw HTTP: per-statement responses in request order (TableName,
 * Item, Error {Code, Message, Item}) with HTTP 200, the top-level refusals (reads mixed with writes, two statements
 * on one item, the model's limits), single-item reads only, and ConsumedCapacity per table.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BatchExecuteStatementCommand,
  CreateTableCommand,
  GetItemCommand,
  PutItemCommand,
  type AttributeValue,
  type BatchStatementRequest,
} from '@aws-sdk/client-dynamodb';
import { ManualClock } from '../../src/capacity/capacity-clock.js';
import { startCairn, type Cairn } from '../helpers/cairn.js';
import { rejectsWith } from '../helpers/assertions.js';
import { compositeKeyTable, hashKeyTable } from '../helpers/tables.js';

type Item = Record<string, AttributeValue>;

let cairn: Cairn;
const s = (value: string): AttributeValue => ({ S: value });
const n = (value: string): AttributeValue => ({ N: value });

const batch = (Statements: BatchStatementRequest[], extra: Record<string, unknown> = {}) =>
  cairn.client.send(new BatchExecuteStatementCommand({ Statements, ...extra }));
const get = async (table: string, key: Item) => (await cairn.client.send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item;
const put = (table: string, item: Item) => cairn.client.send(new PutItemCommand({ TableName: table, Item: item }));

const VALIDATION = 'com.amazon.coral.validate#ValidationException';

describe('BatchExecuteStatement', () => {
  before(async () => {
    cairn = await startCairn({ inMemory: true });
    await cairn.client.send(new CreateTableCommand(hashKeyTable('users')));
    await cairn.client.send(new CreateTableCommand(compositeKeyTable('events', 'N')));
  });
  after(() => cairn.close());

  test('writes: INSERT, UPDATE and DELETE each run, Responses in order with TableName, capacity per table', async () => {
    await put('users', { id: s('u3'), name: s('gone') });
    await put('events', { pk: s('e'), sk: n('1'), count: n('1') });
    const result = await batch(
      [
        { Statement: `INSERT INTO "users" VALUE {'id': 'u1', 'name': 'Ada'}` },
        { Statement: `INSERT INTO users VALUE {'id': ?, 'name': ?}`, Parameters: [s('u2'), s('Grace')] },
        { Statement: `UPDATE "events" SET "count" = "count" + 1 WHERE pk = 'e' AND sk = 1` },
        { Statement: `DELETE FROM "users" WHERE id = 'u3'` },
      ],
      { ReturnConsumedCapacity: 'TOTAL' },
    );
    assert.deepEqual(result.Responses, [{ TableName: 'users' }, { TableName: 'users' }, { TableName: 'events' }, { TableName: 'users' }]);
    assert.deepEqual(result.ConsumedCapacity, [
      { TableName: 'users', CapacityUnits: 3 },
      { TableName: 'events', CapacityUnits: 1 },
    ]);
    assert.deepEqual(await get('users', { id: s('u1') }), { id: s('u1'), name: s('Ada') });
    assert.deepEqual(await get('users', { id: s('u2') }), { id: s('u2'), name: s('Grace') });
    assert.deepEqual(await get('events', { pk: s('e'), sk: n('1') }), { pk: s('e'), sk: n('1'), count: n('2') });
    assert.equal(await get('users', { id: s('u3') }), undefined);
  });

  test('per-statement errors: HTTP 200, each failure in its position, the others applied', async () => {
    await put('users', { id: s('dup'), name: s('first') });
    await put('users', { id: s('cond'), name: s('old') });
    const response = await cairn.raw('DynamoDB_20120810.BatchExecuteStatement', {
      Statements: [
        { Statement: `INSERT INTO "users" VALUE {'id': 'dup', 'name': 'second'}` },
        { Statement: `UPDATE "users" SET name = 'x' WHERE id = 'missing'` },
        { Statement: `UPDATE "users" SET name = 'new' WHERE id = 'cond' AND name = 'other'`, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' },
        { Statement: `INSERT INTO "nowhere" VALUE {'id': 'a'}` },
        { Statement: `INSERT INTO "users" VALUE {'id': ?}` },
        { Statement: `DELETE FROM "users" WHERE name = 'x'` },
        { Statement: `INSERT INTO "users" VALUE {'id': 'ok'}` },
        { Statement: `EXISTS(SELECT * FROM "users" WHERE id = 'a' AND name = 'b')` },
      ],
    });
    assert.equal(response.status, 200);
    assert.deepEqual(response.body, {
      Responses: [
        { TableName: 'users', Error: { Code: 'DuplicateItem', Message: 'Duplicate primary key exists in table' } },
        { TableName: 'users', Error: { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' } },
        {
          TableName: 'users',
          Error: { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { id: s('cond'), name: s('old') } },
        },
        { Error: { Code: 'ResourceNotFound', Message: 'Requested resource not found' } },
        { Error: { Code: 'ValidationError', Message: "Number of parameters in request and statement don't match." } },
        { TableName: 'users', Error: { Code: 'ValidationError', Message: 'Where clause does not contain a mandatory equality on all key attributes' } },
        { TableName: 'users' },
        { Error: { Code: 'ValidationError', Message: 'EXISTS can only be used in ExecuteTransaction write requests.' } },
      ],
    });
    assert.deepEqual(await get('users', { id: s('dup') }), { id: s('dup'), name: s('first') });
    assert.deepEqual(await get('users', { id: s('cond') }), { id: s('cond'), name: s('old') });
    assert.deepEqual(await get('users', { id: s('ok') }), { id: s('ok') });
  });

  test('a write its condition refused is charged, as a single-item write is; a duplicate INSERT is not', async () => {
    await put('users', { id: s('charged'), name: s('x'.repeat(1500)) });
    await put('users', { id: s('taken') });
    const result = await batch(
      [
        { Statement: `UPDATE "users" SET name = 'y' WHERE id = 'charged' AND name = 'z'` },
        { Statement: `UPDATE "users" SET name = 'y' WHERE id = 'absent-item'` },
        { Statement: `INSERT INTO "users" VALUE {'id': 'taken'}` },
      ],
      { ReturnConsumedCapacity: 'TOTAL' },
    );
    assert.deepEqual(
      result.Responses?.map((entry) => entry.Error?.Code),
      ['ConditionalCheckFailed', 'ConditionalCheckFailed', 'DuplicateItem'],
    );
    // 2 units for the 1.5 KB item, 1 for the absent one.
    assert.deepEqual(result.ConsumedCapacity, [{ TableName: 'users', CapacityUnits: 3 }]);
  });

  test('a statement that does not parse fails alone, without TableName', async () => {
    const result = await batch([{ Statement: `INSERT INTO "users" VALUE {'id': 'p1'} junk` }, { Statement: `INSERT INTO "users" VALUE {'id': 'p2'}` }]);
    assert.deepEqual(result.Responses, [
      { Error: { Code: 'ValidationError', Message: "Statement wasn't well formed, can't be processed: Unexpected token after expression" } },
      { TableName: 'users' },
    ]);
  });

  test('reads: one item per statement by its whole key, projection, WHERE beyond the key, consistency in the capacity', async () => {
    await put('users', { id: s('r1'), name: s('Ada'), age: n('36') });
    await put('users', { id: s('r2'), name: s('Grace'), age: n('45') });
    await put('events', { pk: s('r'), sk: n('7'), kind: s('click') });
    await put('events', { pk: s('r'), sk: n('8'), kind: s('click') });
    const result = await batch(
      [
        { Statement: `SELECT * FROM "users" WHERE id = 'r1'`, ConsistentRead: true },
        { Statement: `SELECT name FROM "users" WHERE id = ?`, Parameters: [s('r2')] },
        { Statement: `SELECT * FROM "users" WHERE id = 'absent'` },
        { Statement: `SELECT * FROM "events" WHERE pk = 'r' AND sk = 7 AND kind = 'view'` },
        { Statement: `SELECT kind FROM "events" WHERE sk = 8 AND pk = 'r'` },
      ],
      { ReturnConsumedCapacity: 'TOTAL' },
    );
    assert.deepEqual(result.Responses, [
      { TableName: 'users', Item: { id: s('r1'), name: s('Ada'), age: n('36') } },
      { TableName: 'users', Item: { name: s('Grace') } },
      { TableName: 'users' },
      { TableName: 'events' },
      { TableName: 'events', Item: { kind: s('click') } },
    ]);
    // users: 1 (consistent) + 0.5 + 0.5; events: 0.5 + 0.5.
    assert.deepEqual(result.ConsumedCapacity, [
      { TableName: 'users', CapacityUnits: 2 },
      { TableName: 'events', CapacityUnits: 1 },
    ]);
  });

  test('a SELECT that is not a single-item read of the table fails on its own', async () => {
    const result = await batch([
      { Statement: `SELECT * FROM "events" WHERE pk = 'r'` },
      { Statement: `SELECT * FROM "users"` },
      { Statement: `SELECT * FROM "users" WHERE id = 'r1'` },
    ]);
    const error = { Code: 'ValidationError', Message: 'Select statements within BatchExecuteStatement must specify the primary key in the where clause.' };
    assert.deepEqual(result.Responses, [{ TableName: 'events', Error: error }, { TableName: 'users', Error: error }, { TableName: 'users', Item: { id: s('r1'), name: s('Ada'), age: n('36') } }]);
  });

  test('reads mixed with writes: the whole request is refused and nothing runs', async () => {
    const response = await cairn.raw('DynamoDB_20120810.BatchExecuteStatement', {
      Statements: [{ Statement: `SELECT * FROM "users" WHERE id = 'r1'` }, { Statement: `INSERT INTO "users" VALUE {'id': 'mixed'}` }],
    });
    assert.equal(response.status, 400);
    assert.deepEqual(response.body, { __type: VALIDATION, message: 'Read and write requests together in the same batch is not supported.' });
    assert.equal(await get('users', { id: s('mixed') }), undefined);
  });

  test('two statements on one item: the whole request is refused and nothing runs', async () => {
    await rejectsWith(
      batch([
        { Statement: `INSERT INTO "users" VALUE {'id': 'twice'}` },
        { Statement: `UPDATE "users" SET a = 1 WHERE id = ?`, Parameters: [s('twice')] },
      ]),
      'ValidationException',
      'Provided list of item keys contains duplicates',
    );
    assert.equal(await get('users', { id: s('twice') }), undefined);
    await rejectsWith(
      batch([{ Statement: `SELECT * FROM "users" WHERE id = 'r1'` }, { Statement: `SELECT name FROM users WHERE id = 'r1'` }]),
      'ValidationException',
      'Provided list of item keys contains duplicates',
    );
  });

  test('parameters are checked and normalised as any AttributeValue of a request', async () => {
    await batch([{ Statement: `INSERT INTO "users" VALUE {'id': 'norm', 'n': ?}`, Parameters: [n('1.50')] }]);
    assert.deepEqual(await get('users', { id: s('norm') }), { id: s('norm'), n: n('1.5') });
    const response = await cairn.raw('DynamoDB_20120810.BatchExecuteStatement', {
      Statements: [
        { Statement: `INSERT INTO "users" VALUE {'id': 'ok2'}` },
        { Statement: `INSERT INTO "users" VALUE {'id': 'bad', 's': ?}`, Parameters: [{ SS: [] }] },
      ],
    });
    assert.deepEqual(response.body, { __type: VALIDATION, message: 'One or more parameter values were invalid: An string set  may not be empty' });
    assert.equal(await get('users', { id: s('ok2') }), undefined);
  });

  test('the model limits: 1 to 25 statements, statements of 1 to 8192 characters', async () => {
    const many = Array.from({ length: 26 }, (_, i) => ({ Statement: `SELECT * FROM "users" WHERE id = '${i}'` }));
    const tooMany = await cairn.raw('DynamoDB_20120810.BatchExecuteStatement', { Statements: many });
    assert.equal(tooMany.status, 400);
    assert.equal((tooMany.body as { __type: string }).__type, VALIDATION);
    assert.match(
      (tooMany.body as { message: string }).message,
      /^1 validation error detected: Value '.*' at 'statements' failed to satisfy constraint: Member must have length less than or equal to 25$/,
    );
    const none = await cairn.raw('DynamoDB_20120810.BatchExecuteStatement', { Statements: [] });
    assert.deepEqual(none.body, {
      __type: VALIDATION,
      message: "1 validation error detected: Value '[]' at 'statements' failed to satisfy constraint: Member must have length greater than or equal to 1",
    });
    const long = `SELECT * FROM "users" WHERE id = '${'x'.repeat(8192)}'`;
    const tooLong = await cairn.raw('DynamoDB_20120810.BatchExecuteStatement', { Statements: [{ Statement: long }] });
    assert.deepEqual(tooLong.body, {
      __type: VALIDATION,
      message: `1 validation error detected: Value '${long}' at 'statements.1.member.statement' failed to satisfy constraint: Member must have length less than or equal to 8192`,
    });
  });
});

describe('BatchExecuteStatement under the capacity model', () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const PROVISIONED_TABLE =
    'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.';
  before(async () => {
    cairn = await startCairn({ inMemory: true, capacity: { mode: 'enforce', clock } });
    // 1 WCU (300 units of burst credit).
    await cairn.client.send(new CreateTableCommand(compositeKeyTable('small', 'S')));
    await cairn.client.send(
      new CreateTableCommand({ ...compositeKeyTable('small', 'S'), TableName: 'tiny', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }),
    );
  });
  after(() => cairn.close());

  test('a throttled statement fails alone with the throttle, writes nothing and costs nothing', async () => {
    // 350 KB: 350 write units, past the 300 of burst credit: the table is in debt.
    await batch([{ Statement: `INSERT INTO "tiny" VALUE {'pk': 'big', 'sk': 's', 'd': ?}`, Parameters: [s('x'.repeat(350 * 1024))] }]);
    const result = await batch(
      [{ Statement: `INSERT INTO "tiny" VALUE {'pk': 'a', 'sk': 's'}` }, { Statement: `INSERT INTO "small" VALUE {'pk': 'a', 'sk': 's'}` }],
      { ReturnConsumedCapacity: 'TOTAL' },
    );
    assert.deepEqual(result.Responses, [
      { TableName: 'tiny', Error: { Code: 'ProvisionedThroughputExceeded', Message: PROVISIONED_TABLE } },
      { TableName: 'small' },
    ]);
    assert.deepEqual(result.ConsumedCapacity, [
      { TableName: 'tiny', CapacityUnits: 0 },
      { TableName: 'small', CapacityUnits: 1 },
    ]);
    assert.equal(await get('tiny', { pk: s('a'), sk: s('s') }), undefined);
  });

  test('reads are admitted one by one: a read past the credit fails alone, unread and uncharged', async () => {
    await cairn.client.send(
      new CreateTableCommand({ ...compositeKeyTable('reads', 'S'), ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1000 } }),
    );
    const ids = ['k1', 'k2', 'k3', 'k4', 'k5'];
    for (const id of ids) {
      // 350 KB: 88 units of consistent read each.
      await put('reads', { pk: s(id), sk: s('s'), d: s('x'.repeat(350 * 1024 - 10)) });
      clock.advance(1000);
    }
    const result = await batch(
      ids.map((id) => ({ Statement: `SELECT pk FROM "reads" WHERE pk = '${id}' AND sk = 's'`, ConsistentRead: true })),
      { ReturnConsumedCapacity: 'TOTAL' },
    );
    // 300 units of credit: k1, k2, k3 leave 36; k4 is admitted on them (a debt); k5 is not read.
    assert.deepEqual(result.Responses, [
      ...ids.slice(0, 4).map((id) => ({ TableName: 'reads', Item: { pk: s(id) } })),
      {
        TableName: 'reads',
        Error: {
          Code: 'ProvisionedThroughputExceeded',
          Message:
            'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
        },
      },
    ]);
    assert.deepEqual(result.ConsumedCapacity, [{ TableName: 'reads', CapacityUnits: 352 }]);
  });
});
