/**
 * ExecuteTransaction through the AWS SDK and raw HTTP: PartiQL writes in one atomic commit (EXISTS as a condition
 * check), cancellation reasons per statement, reads from one snapshot, the request-level refusals, the
 * ClientRequestToken and transactional capacity.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTableCommand,
  ExecuteTransactionCommand,
  GetItemCommand,
  PutItemCommand,
  type AttributeValue,
  type ParameterizedStatement,
} from '@aws-sdk/client-dynamodb';
import { ManualClock } from '../../src/capacity/capacity-clock.js';
import { startCairn, type Cairn } from '../helpers/cairn.js';
import { rejectsWith } from '../helpers/assertions.js';
import { compositeKeyTable, hashKeyTable } from '../helpers/tables.js';

type Item = Record<string, AttributeValue>;

let cairn: Cairn;
const s = (value: string): AttributeValue => ({ S: value });
const n = (value: string): AttributeValue => ({ N: value });

const transact = (TransactStatements: ParameterizedStatement[], extra: Record<string, unknown> = {}) =>
  cairn.client.send(new ExecuteTransactionCommand({ TransactStatements, ...extra }));
const get = async (table: string, key: Item) => (await cairn.client.send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item;
const put = (table: string, item: Item) => cairn.client.send(new PutItemCommand({ TableName: table, Item: item }));

const VALIDATION = 'com.amazon.coral.validate#ValidationException';
const CANCELED = 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException';

describe('ExecuteTransaction', () => {
  before(async () => {
    cairn = await startCairn({ inMemory: true });
    await cairn.client.send(new CreateTableCommand(hashKeyTable('accounts')));
    await cairn.client.send(new CreateTableCommand(compositeKeyTable('ledger', 'N')));
  });
  after(() => cairn.close());

  test('writes: INSERT, UPDATE, DELETE and EXISTS commit together; no Responses; transactional capacity', async () => {
    await put('accounts', { id: s('a'), balance: n('100') });
    await put('accounts', { id: s('b'), balance: n('0') });
    await put('ledger', { pk: s('old'), sk: n('1') });
    const result = await transact(
      [
        { Statement: `UPDATE "accounts" SET balance = balance - 30 WHERE id = 'a' AND balance >= 30` },
        { Statement: `UPDATE accounts SET balance = balance + ? WHERE id = ?`, Parameters: [n('30'), s('b')] },
        { Statement: `INSERT INTO "ledger" VALUE {'pk': 'tx1', 'sk': 1, 'amount': 30}` },
        { Statement: `DELETE FROM "ledger" WHERE pk = 'old' AND sk = 1` },
      ],
      { ReturnConsumedCapacity: 'TOTAL' },
    );
    assert.equal(result.Responses, undefined);
    assert.deepEqual(result.ConsumedCapacity, [
      { TableName: 'accounts', CapacityUnits: 4, WriteCapacityUnits: 4 },
      { TableName: 'ledger', CapacityUnits: 4, WriteCapacityUnits: 4 },
    ]);
    assert.deepEqual(await get('accounts', { id: s('a') }), { id: s('a'), balance: n('70') });
    assert.deepEqual(await get('accounts', { id: s('b') }), { id: s('b'), balance: n('30') });
    assert.deepEqual(await get('ledger', { pk: s('tx1'), sk: n('1') }), { pk: s('tx1'), sk: n('1'), amount: n('30') });
    assert.equal(await get('ledger', { pk: s('old'), sk: n('1') }), undefined);

    await put('ledger', { pk: s('limits'), sk: n('0'), open: { BOOL: true } });
    await transact([
      { Statement: `EXISTS(SELECT * FROM "ledger" WHERE pk = 'limits' AND sk = 0 AND "open" = true)` },
      { Statement: `UPDATE "accounts" SET balance = 0 WHERE id = 'b'` },
    ]);
    assert.deepEqual(await get('accounts', { id: s('b') }), { id: s('b'), balance: n('0') });
  });

  test('a failing statement cancels all of them, with one reason per statement', async () => {
    await put('accounts', { id: s('c1'), balance: n('5') });
    await put('accounts', { id: s('c2'), balance: n('5') });
    const response = await cairn.raw('DynamoDB_20120810.ExecuteTransaction', {
      TransactStatements: [
        { Statement: `UPDATE "accounts" SET balance = 1 WHERE id = 'c1'` },
        { Statement: `UPDATE "accounts" SET balance = 1 WHERE id = 'c2' AND balance > 10`, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' },
        { Statement: `UPDATE "accounts" SET balance = 1 WHERE id = 'nobody'` },
        { Statement: `INSERT INTO "accounts" VALUE {'id': 'c1x'}` },
        { Statement: `INSERT INTO "ledger" VALUE {'pk': 'tx1', 'sk': 1}` },
        { Statement: `EXISTS(SELECT * FROM "ledger" WHERE pk = 'none' AND sk = 0 AND a = 1)` },
      ],
    });
    assert.equal(response.status, 400);
    assert.deepEqual(response.body, {
      __type: CANCELED,
      Message:
        'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed, ConditionalCheckFailed, None, DuplicateItem, ConditionalCheckFailed]',
      CancellationReasons: [
        { Code: 'None' },
        { Code: 'ConditionalCheckFailed', Item: { id: s('c2'), balance: n('5') }, Message: 'The conditional request failed' },
        { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
        { Code: 'None' },
        { Code: 'DuplicateItem', Message: 'Duplicate primary key exists in table' },
        { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
      ],
    });
    assert.deepEqual(await get('accounts', { id: s('c1') }), { id: s('c1'), balance: n('5') });
    assert.equal(await get('accounts', { id: s('c1x') }), undefined);
  });

  test('a key that does not fit its table cancels with a ValidationError in its position', async () => {
    const error = await rejectsWith(
      transact([
        { Statement: `INSERT INTO "accounts" VALUE {'id': 'k1'}` },
        { Statement: `INSERT INTO "ledger" VALUE {'pk': 'k', 'sk': 'not a number'}` },
        { Statement: `INSERT INTO "ledger" VALUE {'pk': 'k'}` },
      ]),
      'TransactionCanceledException',
      'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ValidationError, ValidationError]',
    );
    assert.deepEqual(error.CancellationReasons, [
      { Code: 'None' },
      { Code: 'ValidationError', Message: "Key attribute's data type should match its data type in table's schema: Key sk" },
      { Code: 'ValidationError', Message: 'Key attribute should be present in the item: Key sk' },
    ]);
    assert.equal(await get('accounts', { id: s('k1') }), undefined);
  });

  test('reads: one Item per statement from one snapshot, {} when absent or rejected by the WHERE, capacity as TransactGetItems', async () => {
    await put('accounts', { id: s('r1'), balance: n('7'), owner: s('Ada') });
    await put('ledger', { pk: s('r'), sk: n('2'), amount: n('3') });
    const result = await transact(
      [
        { Statement: `SELECT * FROM "accounts" WHERE id = 'r1'` },
        { Statement: `SELECT amount FROM "ledger" WHERE pk = ? AND sk = ?`, Parameters: [s('r'), n('2')] },
        { Statement: `SELECT * FROM "accounts" WHERE id = 'absent'` },
      ],
      { ReturnConsumedCapacity: 'TOTAL' },
    );
    assert.deepEqual(result.Responses, [{ Item: { id: s('r1'), balance: n('7'), owner: s('Ada') } }, { Item: { amount: n('3') } }, {}]);
    assert.deepEqual(result.ConsumedCapacity, [
      { TableName: 'accounts', CapacityUnits: 4, ReadCapacityUnits: 4 },
      { TableName: 'ledger', CapacityUnits: 2, ReadCapacityUnits: 2 },
    ]);
    const filtered = await transact([{ Statement: `SELECT * FROM "ledger" WHERE pk = 'r' AND sk = 2 AND amount > 100` }]);
    assert.deepEqual(filtered.Responses, [{}]);
  });

  test('reads mixed with writes: the first statement decides, the first that differs is refused', async () => {
    const response = await cairn.raw('DynamoDB_20120810.ExecuteTransaction', {
      TransactStatements: [{ Statement: `SELECT * FROM "accounts" WHERE id = 'r1'` }, { Statement: `DELETE FROM "accounts" WHERE id = 'r1'` }],
    });
    assert.equal(response.status, 400);
    assert.deepEqual(response.body, {
      __type: VALIDATION,
      message: 'ExecuteTransaction API does not support both read and write operations in the same request.',
    });
    await rejectsWith(
      transact([{ Statement: `EXISTS(SELECT * FROM "accounts" WHERE id = 'r1' AND owner = 'Ada')` }, { Statement: `SELECT * FROM "accounts" WHERE id = 'r1'` }]),
      'ValidationException',
      'ExecuteTransaction API does not support both read and write operations in the same request.',
    );
    assert.deepEqual(await get('accounts', { id: s('r1') }), { id: s('r1'), balance: n('7'), owner: s('Ada') });
  });

  test('what a transaction refuses in a statement: Validation failed in TransactStatements[i]', async () => {
    await rejectsWith(
      transact([{ Statement: `SELECT * FROM "accounts" WHERE id = 'r1'` }, { Statement: `SELECT * FROM "ledger" WHERE pk = 'r'` }]),
      'ValidationException',
      'Validation failed in TransactStatements[1]: Select statements within ExecuteTransaction must specify the primary key in the where clause.',
    );
    await rejectsWith(
      transact([{ Statement: `DELETE FROM "accounts" WHERE id = 'r1' RETURNING ALL OLD *` }]),
      'ValidationException',
      'Validation failed in TransactStatements[0]: RETURNING clause is not supported in ExecuteTransaction.',
    );
    await rejectsWith(
      transact([{ Statement: `INSERT INTO "accounts" VALUE {'id': 'e1'}` }, { Statement: `EXISTS(SELECT owner FROM "accounts" WHERE id = 'r1')` }]),
      'ValidationException',
      'Validation failed in TransactStatements[1]: EXISTS() must contain a single item read with additional condition',
    );
    await rejectsWith(
      transact([{ Statement: `SELECT * FROM "accounts" WHERE id = 'r1' junk` }]),
      'ValidationException',
      "Statement wasn't well formed, can't be processed: Unexpected token after expression",
    );
    await rejectsWith(
      transact([{ Statement: `DELETE FROM "accounts" WHERE owner = 'Ada'` }]),
      'ValidationException',
      'Where clause does not contain a mandatory equality on all key attributes',
    );
    await rejectsWith(transact([{ Statement: `DELETE FROM "nowhere" WHERE id = 'a'` }]), 'ResourceNotFoundException', 'Requested resource not found');
    assert.deepEqual(await get('accounts', { id: s('r1') }), { id: s('r1'), balance: n('7'), owner: s('Ada') });
  });

  test('two statements on one item are refused', async () => {
    await rejectsWith(
      transact([{ Statement: `INSERT INTO "accounts" VALUE {'id': 'twice'}` }, { Statement: `UPDATE "accounts" SET a = 1 WHERE id = 'twice'` }]),
      'ValidationException',
      'Transaction request cannot include multiple operations on one item',
    );
    assert.equal(await get('accounts', { id: s('twice') }), undefined);
  });

  test('the items a transaction inserts may not exceed 4 MB together; nothing is written', async () => {
    // Eleven items of about 390 KB: each within the 400 KB item limit, 4.2 MB together.
    const big = 'x'.repeat(390 * 1024);
    const statements = (count: number) =>
      Array.from({ length: count }, (_, i) => ({ Statement: `INSERT INTO "accounts" VALUE {'id': 'big${count}-${i}', 'pad': ?}`, Parameters: [s(big)] }));
    await rejectsWith(transact(statements(11)), 'ValidationException', 'Transaction request size exceeds the maximum allowed size of 4 MB');
    assert.equal(await get('accounts', { id: s('big11-0') }), undefined);
    await transact(statements(10));
    assert.equal((await get('accounts', { id: s('big10-9') }))?.pad?.S?.length, 390 * 1024);
  });

  test('ClientRequestToken: a retry is answered without applying again; other statements with it are refused', async () => {
    await put('accounts', { id: s('t'), balance: n('0') });
    const statements = [{ Statement: `UPDATE "accounts" SET balance = balance + 1 WHERE id = 't'` }];
    await transact(statements, { ClientRequestToken: 'token-1' });
    const replay = await transact(statements, { ClientRequestToken: 'token-1', ReturnConsumedCapacity: 'TOTAL' });
    assert.deepEqual(replay.ConsumedCapacity, [{ TableName: 'accounts', CapacityUnits: 2, ReadCapacityUnits: 2 }]);
    assert.deepEqual(await get('accounts', { id: s('t') }), { id: s('t'), balance: n('1') });
    await rejectsWith(
      transact([{ Statement: `UPDATE "accounts" SET balance = balance + 2 WHERE id = 't'` }], { ClientRequestToken: 'token-1' }),
      'IdempotentParameterMismatchException',
      'The request uses the same client token as a previous, but non-identical request.',
    );
    assert.deepEqual(await get('accounts', { id: s('t') }), { id: s('t'), balance: n('1') });
  });

  test('the model limits: 1 to 100 statements, a token of 1 to 36 characters', async () => {
    const many = Array.from({ length: 101 }, (_, i) => ({ Statement: `SELECT * FROM "accounts" WHERE id = '${i}'` }));
    const tooMany = await cairn.raw('DynamoDB_20120810.ExecuteTransaction', { TransactStatements: many });
    assert.equal(tooMany.status, 400);
    assert.match(
      (tooMany.body as { message: string }).message,
      /^1 validation error detected: Value '.*' at 'transactStatements' failed to satisfy constraint: Member must have length less than or equal to 100$/,
    );
    const token = 'x'.repeat(37);
    const longToken = await cairn.raw('DynamoDB_20120810.ExecuteTransaction', {
      TransactStatements: [{ Statement: `SELECT * FROM "accounts" WHERE id = 'a'` }],
      ClientRequestToken: token,
    });
    assert.deepEqual(longToken.body, {
      __type: VALIDATION,
      message: `1 validation error detected: Value '${token}' at 'clientRequestToken' failed to satisfy constraint: Member must have length less than or equal to 36`,
    });
  });
});

describe('ExecuteTransaction under the capacity model', () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  before(async () => {
    cairn = await startCairn({ inMemory: true, capacity: { mode: 'enforce', clock } });
    await cairn.client.send(
      new CreateTableCommand({ ...compositeKeyTable('tiny', 'S'), ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }),
    );
    await cairn.client.send(new CreateTableCommand(hashKeyTable('open')));
  });
  after(() => cairn.close());

  test('a throttled statement cancels the whole transaction, with the throttle in its position; nothing is written', async () => {
    // 350 KB: 350 write units, past the 300 of burst credit: the table is in debt.
    await put('tiny', { pk: s('big'), sk: s('s'), d: s('x'.repeat(350 * 1024)) });
    const error = await rejectsWith(
      transact([{ Statement: `INSERT INTO "open" VALUE {'id': 'o1'}` }, { Statement: `INSERT INTO "tiny" VALUE {'pk': 'a', 'sk': 's'}` }]),
      'TransactionCanceledException',
      'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ProvisionedThroughputExceeded]',
    );
    assert.deepEqual(error.CancellationReasons, [
      { Code: 'None' },
      {
        Code: 'ProvisionedThroughputExceeded',
        Message:
          'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
      },
    ]);
    assert.equal(await get('open', { id: s('o1') }), undefined);
  });
});
