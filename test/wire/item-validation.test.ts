/**
 * Every item and key of every operation goes through the same validation and normalisation as PutItem's:
 * transactions refuse (and normalise) what PutItem refuses, values nested to any depth get DynamoDB's 400 (never a
 * stack overflow), attribute names are held to their limits, and index keys to theirs (on write and in a
 * backfill).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  UpdateTableCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { startCairn, type Cairn } from '../helpers/cairn.js';
import { INVALID, rejectsWith } from '../helpers/assertions.js';
import { hashKeyTable } from '../helpers/tables.js';

type Item = Record<string, AttributeValue>;

let cairn: Cairn;
let client: DynamoDBClient;

const s = (value: string): AttributeValue => ({ S: value });
const NESTING =
  'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit';
const EMPTY_VALUE = 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes';
const TWO_TYPES =
  'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes';
const NAME_TOO_LARGE = 'Attribute name is too large, must be less than 65536 bytes';

/** A raw request's error: the wire type and message, and the status. */
async function rawError(target: string, body: string): Promise<{ status: number; type: string; message: string }> {
  const response = await cairn.raw(`DynamoDB_20120810.${target}`, body);
  const parsed = response.body as { __type?: string; message?: string; Message?: string };
  return { status: response.status, type: String(parsed.__type), message: String(parsed.message ?? parsed.Message) };
}

const VALIDATION = 'com.amazon.coral.validate#ValidationException';

/** A value nested `depth` levels of M (or L) around a string, as JSON text (JSON.stringify cannot build it). */
function deepJson(depth: number, kind: 'M' | 'L'): string {
  return kind === 'M'
    ? '{"M":{"a":'.repeat(depth) + '{"S":"x"}' + '}}'.repeat(depth)
    : '{"L":['.repeat(depth) + '{"S":"x"}' + ']}'.repeat(depth);
}

const get = async (key: Item) => (await client.send(new GetItemCommand({ TableName: 'things', Key: key }))).Item;
const transact = (items: unknown[]) =>
  client.send(new TransactWriteItemsCommand({ TransactItems: items as never }));

describe('Item and key validation', () => {
  before(async () => {
    cairn = await startCairn();
    client = cairn.client;
    await client.send(new CreateTableCommand(hashKeyTable('things')));
  });
  after(() => cairn.close());

  describe('TransactWriteItems checks values as PutItem does', () => {
    // DynamoDB answers a bad value in a transaction up front (a top-level ValidationException, never a
    // cancellation), in its older value layer: bare, members of a duplicate set unquoted as sent.
    const cases: [string, unknown, string][] = [
      ['two types', { S: 'a', N: '1' }, TWO_TYPES],
      ['a bad number', { N: 'abc' }, 'The parameter cannot be converted to a numeric value: abc'],
      ['an overflowing number', { N: '1e999' }, 'Number overflow. Attempting to store a number with magnitude larger than supported range'],
      ['an empty set', { SS: [] }, `${INVALID}An string set  may not be empty`],
      ['a duplicate set member', { SS: ['b', 'a', 'b'] }, `${INVALID}Input collection [b, a, b] contains duplicates.`],
      ['a duplicate number', { NS: ['1', '1.0'] }, 'Input collection contains duplicates'],
      ['NULL false', { NULL: false }, `${INVALID}Null attribute value types must have the value of true`],
      ['no type', {}, EMPTY_VALUE],
      ['a null type', { S: null }, EMPTY_VALUE],
      ['33 levels', JSON.parse(deepJson(32, 'M')), NESTING],
    ];
    for (const [name, value, message] of cases) {
      test(`a Put item with ${name} is refused and nothing is written`, async () => {
        await rejectsWith(
          transact([
            { Put: { TableName: 'things', Item: { id: s('tx-ok') } } },
            { Put: { TableName: 'things', Item: { id: s('tx-bad'), v: value } } },
          ]),
          'ValidationException',
          message,
        );
        assert.equal(await get({ id: s('tx-ok') }), undefined);
        assert.equal(await get({ id: s('tx-bad') }), undefined);
      });
    }

    test('a bad key value of an Update, Delete or ConditionCheck is refused up front', async () => {
      for (const action of [
        { Update: { TableName: 'things', Key: { id: { N: 'abc' } }, UpdateExpression: 'SET a = :a', ExpressionAttributeValues: { ':a': s('x') } } },
        { Delete: { TableName: 'things', Key: { id: { N: 'abc' } } } },
        { ConditionCheck: { TableName: 'things', Key: { id: { N: 'abc' } }, ConditionExpression: 'attribute_exists(id)' } },
      ]) {
        await rejectsWith(transact([action]), 'ValidationException', 'The parameter cannot be converted to a numeric value: abc');
      }
    });

    test('an expression value is checked in the older layer, with its key named', async () => {
      await rejectsWith(
        transact([
          { Update: { TableName: 'things', Key: { id: s('a') }, UpdateExpression: 'SET v = :t', ExpressionAttributeValues: { ':t': { SS: ['b', 'a', 'b'] } } } },
        ]),
        'ValidationException',
        `ExpressionAttributeValues contains invalid value: ${INVALID}Input collection [b, a, b] contains duplicates. for key :t`,
      );
    });

    test('actions are checked one at a time: an earlier bad value wins over a later syntax error, and the reverse', async () => {
      await rejectsWith(
        transact([
          { Put: { TableName: 'things', Item: { id: s('a'), n: { N: 'x' } } } },
          { Put: { TableName: 'things', Item: { id: s('b') }, ConditionExpression: 'a = = b' } },
        ]),
        'ValidationException',
        'The parameter cannot be converted to a numeric value: x',
      );
      await rejectsWith(
        transact([
          { Put: { TableName: 'things', Item: { id: s('b') }, ConditionExpression: 'a = = b' } },
          { Put: { TableName: 'things', Item: { id: s('a'), n: { N: 'x' } } } },
        ]),
        'ValidationException',
        'Invalid ConditionExpression: Syntax error; token: "=", near: "= = b"',
      );
    });

    test('numbers are stored normalised, in items and keys alike', async () => {
      await client.send(new CreateTableCommand({ ...hashKeyTable('numbered', 'n'), AttributeDefinitions: [{ AttributeName: 'n', AttributeType: 'N' }] }));
      await transact([
        { Put: { TableName: 'things', Item: { id: s('norm'), v: { N: '007' }, set: { NS: ['1.50', '02'] }, m: { M: { x: { L: [{ N: '-0.0' }] } } } } } },
        { Put: { TableName: 'numbered', Item: { n: { N: '0042.0' } } } },
      ]);
      assert.deepEqual(await get({ id: s('norm') }), {
        id: s('norm'),
        v: { N: '7' },
        set: { NS: ['1.5', '2'] },
        m: { M: { x: { L: [{ N: '0' }] } } },
      });
      const stored = await client.send(new GetItemCommand({ TableName: 'numbered', Key: { n: { N: '42' } } }));
      assert.deepEqual(stored.Item, { n: { N: '42' } });
      // A key given as 42.00 names the same item.
      await transact([{ Delete: { TableName: 'numbered', Key: { n: { N: '42.00' } }, ConditionExpression: 'attribute_exists(n)' } }]);
      assert.equal((await client.send(new GetItemCommand({ TableName: 'numbered', Key: { n: { N: '42' } } }))).Item, undefined);
    });

    test('TransactGetItems checks its keys as GetItem does', async () => {
      await rejectsWith(
        client.send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: 'things', Key: { id: { SS: ['b', 'a', 'b'] } } } }] })),
        'ValidationException',
        `${INVALID}Input collection [b, a, b] contains duplicates.`,
      );
      const error = await rawError(
        'TransactGetItems',
        JSON.stringify({ TransactItems: [{ Get: { TableName: 'things', Key: { id: {} } } }] }),
      );
      assert.deepEqual(error, { status: 400, type: VALIDATION, message: EMPTY_VALUE });
    });
  });

  describe('the result of an update', () => {
    // Every value of the request is within 32 levels, but set at a nested path it ends up deeper.
    const deep = (wraps: number): AttributeValue => {
      let value: AttributeValue = s('leaf');
      for (let i = 0; i < wraps; i++) value = { M: { n: value } };
      return value;
    };

    test('is held to the 32-level limit by UpdateItem and TransactWriteItems', async () => {
      await client.send(new PutItemCommand({ TableName: 'things', Item: { id: s('nest'), a: { M: {} } } }));
      await rejectsWith(
        client.send(new UpdateItemCommand({ TableName: 'things', Key: { id: s('nest') }, UpdateExpression: 'SET a.b = :v', ExpressionAttributeValues: { ':v': deep(31) } })),
        'ValidationException',
        NESTING,
      );
      const error = await rejectsWith(
        transact([{ Update: { TableName: 'things', Key: { id: s('nest') }, UpdateExpression: 'SET a.b = :v', ExpressionAttributeValues: { ':v': deep(31) } } }]),
        'TransactionCanceledException',
        'Transaction cancelled, please refer cancellation reasons for specific reasons [ValidationError]',
      );
      assert.deepEqual(error.CancellationReasons, [{ Code: 'ValidationError', Message: NESTING }]);
      assert.deepEqual(await get({ id: s('nest') }), { id: s('nest'), a: { M: {} } });
      // A leaf at level 32 is fine.
      await client.send(new UpdateItemCommand({ TableName: 'things', Key: { id: s('nest') }, UpdateExpression: 'SET a.b = :v', ExpressionAttributeValues: { ':v': deep(30) } }));
      assert.deepEqual((await get({ id: s('nest') }))?.a, { M: { b: deep(30) } });
    });
  });

  describe('the value layer of each operation', () => {
    // DynamoDB checks values in one of two layers. The current one (PutItem, UpdateItem, DeleteItem in the
    // `1 validation error detected: ` envelope; GetItem, BatchGetItem, Query bare) reports a bad number as it is,
    // wherever the value sits; the older one (BatchWriteItem, transactions, Scan) keeps the
    // ExpressionAttributeValues wrapper and its own wording. A duplicate set member is answered bare everywhere,
    // members as sent (the form most regions give).
    const abc = 'The parameter cannot be converted to a numeric value: abc';
    const duplicates = `${INVALID}Input collection [b, a, b] contains duplicates.`;

    test('PutItem, UpdateItem and DeleteItem: in the envelope, in a condition value, Expected and AttributeUpdates', async () => {
      const one = (message: string) => `1 validation error detected: ${message}`;
      await rejectsWith(
        client.send(new PutItemCommand({ TableName: 'things', Item: { id: s('layer') }, ConditionExpression: 'attribute_not_exists(id) OR n = :v', ExpressionAttributeValues: { ':v': { N: 'abc' } } })),
        'ValidationException',
        one(abc),
      );
      await rejectsWith(client.send(new PutItemCommand({ TableName: 'things', Item: { id: s('layer') }, Expected: { n: { Value: { N: 'abc' } } } })), 'ValidationException', one(abc));
      await rejectsWith(
        client.send(new UpdateItemCommand({ TableName: 'things', Key: { id: s('layer') }, AttributeUpdates: { n: { Action: 'PUT', Value: { N: 'abc' } } } })),
        'ValidationException',
        one(abc),
      );
      await rejectsWith(
        client.send(new DeleteItemCommand({ TableName: 'things', Key: { id: s('layer') }, ConditionExpression: 'n = :v', ExpressionAttributeValues: { ':v': { N: 'abc' } } })),
        'ValidationException',
        one(abc),
      );
      await rejectsWith(
        client.send(new UpdateItemCommand({ TableName: 'things', Key: { id: s('layer') }, AttributeUpdates: { s: { Action: 'PUT', Value: { SS: ['b', 'a', 'b'] } } } })),
        'ValidationException',
        duplicates,
      );
      assert.equal(await get({ id: s('layer') }), undefined);
      // Other problems keep the wrapper, a duplicate included.
      await rejectsWith(
        client.send(new PutItemCommand({ TableName: 'things', Item: { id: s('layer') }, ConditionExpression: 'n = :v', ExpressionAttributeValues: { ':v': { NULL: false } } })),
        'ValidationException',
        `ExpressionAttributeValues contains invalid value: ${INVALID}Null attribute value types must have the value of true for key :v`,
      );
      await rejectsWith(
        client.send(new UpdateItemCommand({ TableName: 'things', Key: { id: s('layer') }, UpdateExpression: 'SET s = :t', ExpressionAttributeValues: { ':t': { SS: ['b', 'a', 'b'] } } })),
        'ValidationException',
        `ExpressionAttributeValues contains invalid value: ${duplicates} for key :t`,
      );
    });

    test('Query bare in the current wording, Scan in the older one', async () => {
      const query = (values: Item, extra: Record<string, unknown> = {}) =>
        cairn.raw('DynamoDB_20120810.Query', { TableName: 'things', KeyConditionExpression: 'id = :i', FilterExpression: 'n = :v', ExpressionAttributeValues: { ':i': s('a'), ...values }, ...extra });
      const scan = (body: Record<string, unknown>) => cairn.raw('DynamoDB_20120810.Scan', { TableName: 'things', ...body });
      assert.deepEqual((await query({ ':v': { N: 'abc' } })).body, { __type: VALIDATION, message: abc });
      assert.deepEqual((await query({ ':v': { N: '' } })).body, { __type: VALIDATION, message: 'The parameter cannot be converted to a numeric value: ' });
      assert.deepEqual((await scan({ FilterExpression: 'n = :v', ExpressionAttributeValues: { ':v': { N: '' } } })).body, {
        __type: VALIDATION,
        message: 'ExpressionAttributeValues contains invalid value: The parameter cannot be converted to a numeric value for key :v',
      });
      assert.deepEqual((await scan({ ExclusiveStartKey: { id: { SS: ['b', 'a', 'b'] } } })).body, {
        __type: VALIDATION,
        message: `${INVALID}Input collection [b, a, b] contains duplicates.`,
      });
      assert.deepEqual((await scan({ ScanFilter: { n: { ComparisonOperator: 'EQ', AttributeValueList: [{ NS: ['2', '1', '2'] }] } } })).body, {
        __type: VALIDATION,
        message: 'Input collection contains duplicates',
      });
    });
  });

  describe('cancellation reasons', () => {
    test('[ValidationError, None, None] when only the first action cannot run, and nothing is written', async () => {
      const error = await rejectsWith(
        transact([
          { Put: { TableName: 'things', Item: { id: { N: '1' } } } },
          { Put: { TableName: 'things', Item: { id: s('fine-1') } } },
          { Update: { TableName: 'things', Key: { id: s('fine-2') }, UpdateExpression: 'SET a = :a', ExpressionAttributeValues: { ':a': s('x') } } },
        ]),
        'TransactionCanceledException',
        'Transaction cancelled, please refer cancellation reasons for specific reasons [ValidationError, None, None]',
      );
      assert.deepEqual(error.CancellationReasons, [
        { Code: 'ValidationError', Message: `${INVALID}Type mismatch for key id expected: S actual: N` },
        { Code: 'None' },
        { Code: 'None' },
      ]);
      assert.equal(await get({ id: s('fine-1') }), undefined);
      assert.equal(await get({ id: s('fine-2') }), undefined);
    });

    test('the actions that are fine are None, whatever makes the first one fail, their conditions holding', async () => {
      await client.send(
        new CreateTableCommand({
          ...hashKeyTable('cancelled'),
          AttributeDefinitions: [
            { AttributeName: 'id', AttributeType: 'S' },
            { AttributeName: 'g', AttributeType: 'S' },
          ],
          GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
        }),
      );
      await client.send(new PutItemCommand({ TableName: 'cancelled', Item: { id: s('kept'), n: { N: '1' } } }));
      // A check that holds, and a delete (of another item) whose condition holds, with a value to normalise.
      const fine = [
        { ConditionCheck: { TableName: 'cancelled', Key: { id: s('kept') }, ConditionExpression: 'n = :one', ExpressionAttributeValues: { ':one': { N: '1.0' } } } },
        { Delete: { TableName: 'cancelled', Key: { id: s('gone') }, ConditionExpression: 'attribute_not_exists(id)' } },
      ];
      const update = (key: AttributeValue, expression: string) => ({
        Update: { TableName: 'cancelled', Key: { id: key }, UpdateExpression: expression, ExpressionAttributeValues: { ':v': { N: '1' } } },
      });
      const cases: [unknown, string][] = [
        [{ Put: { TableName: 'cancelled', Item: { id: s('a'), g: { N: '1' } } } }, `${INVALID}Type mismatch for Index Key g Expected: S Actual: N IndexName: byG`],
        [update(s('b'), 'SET g = :v'), `${INVALID}Type mismatch for Index Key g Expected: S Actual: N IndexName: byG`],
        [update(s('b'), 'SET n = n + :v'), 'The provided expression refers to an attribute that does not exist in the item'],
        [update({ N: '1' }, 'SET n = :v'), 'The provided key element does not match the schema'],
      ];
      for (const [bad, message] of cases) {
        const error = await rejectsWith(
          transact([bad, ...fine]),
          'TransactionCanceledException',
          'Transaction cancelled, please refer cancellation reasons for specific reasons [ValidationError, None, None]',
        );
        assert.deepEqual(error.CancellationReasons, [{ Code: 'ValidationError', Message: message }, { Code: 'None' }, { Code: 'None' }]);
      }
      const { Item } = await client.send(new GetItemCommand({ TableName: 'cancelled', Key: { id: s('kept') } }));
      assert.deepEqual(Item, { id: s('kept'), n: { N: '1' } });
    });
  });

  describe('values nested 10,000 and 100,000 levels', () => {
    // Each input place, with a value far past the 32-level limit: DynamoDB's 400, never a stack overflow.
    const places: [string, string, (deep: string) => string, string][] = [
      ['PutItem Item', 'PutItem', (d) => `{"TableName":"things","Item":{"id":{"S":"a"},"d":${d}}}`, NESTING],
      ['GetItem Key', 'GetItem', (d) => `{"TableName":"things","Key":{"id":${d}}}`, NESTING],
      ['DeleteItem Key', 'DeleteItem', (d) => `{"TableName":"things","Key":{"id":${d}}}`, NESTING],
      ['UpdateItem Key', 'UpdateItem', (d) => `{"TableName":"things","Key":{"id":${d}},"UpdateExpression":"SET a = :a","ExpressionAttributeValues":{":a":{"S":"x"}}}`, NESTING],
      ['Scan ExclusiveStartKey', 'Scan', (d) => `{"TableName":"things","ExclusiveStartKey":{"id":${d}}}`, `The provided starting key is invalid: ${NESTING}`],
      ['Query ExclusiveStartKey', 'Query', (d) => `{"TableName":"things","KeyConditionExpression":"id = :i","ExpressionAttributeValues":{":i":{"S":"a"}},"ExclusiveStartKey":{"id":${d}}}`, `The provided starting key is invalid: ${NESTING}`],
      ['ExpressionAttributeValues', 'PutItem', (d) => `{"TableName":"things","Item":{"id":{"S":"a"}},"ConditionExpression":"a = :v","ExpressionAttributeValues":{":v":${d}}}`, `ExpressionAttributeValues contains invalid value: ${NESTING} for key :v`],
      ['Expected', 'PutItem', (d) => `{"TableName":"things","Item":{"id":{"S":"a"}},"Expected":{"a":{"Value":${d}}}}`, NESTING],
      ['AttributeUpdates', 'UpdateItem', (d) => `{"TableName":"things","Key":{"id":{"S":"a"}},"AttributeUpdates":{"a":{"Value":${d}}}}`, NESTING],
      ['ScanFilter', 'Scan', (d) => `{"TableName":"things","ScanFilter":{"a":{"ComparisonOperator":"EQ","AttributeValueList":[${d}]}}}`, NESTING],
      ['BatchWriteItem Put', 'BatchWriteItem', (d) => `{"RequestItems":{"things":[{"PutRequest":{"Item":{"id":{"S":"a"},"d":${d}}}}]}}`, NESTING],
      ['BatchWriteItem Delete', 'BatchWriteItem', (d) => `{"RequestItems":{"things":[{"DeleteRequest":{"Key":{"id":${d}}}}]}}`, NESTING],
      ['BatchGetItem Keys', 'BatchGetItem', (d) => `{"RequestItems":{"things":{"Keys":[{"id":${d}}]}}}`, NESTING],
      ['TransactWriteItems Put', 'TransactWriteItems', (d) => `{"TransactItems":[{"Put":{"TableName":"things","Item":{"id":{"S":"a"},"d":${d}}}}]}`, NESTING],
      ['TransactWriteItems Update', 'TransactWriteItems', (d) => `{"TransactItems":[{"Update":{"TableName":"things","Key":{"id":${d}},"UpdateExpression":"SET a = :a","ExpressionAttributeValues":{":a":{"S":"x"}}}}]}`, NESTING],
      ['TransactWriteItems Delete', 'TransactWriteItems', (d) => `{"TransactItems":[{"Delete":{"TableName":"things","Key":{"id":${d}}}}]}`, NESTING],
      ['TransactWriteItems ConditionCheck', 'TransactWriteItems', (d) => `{"TransactItems":[{"ConditionCheck":{"TableName":"things","Key":{"id":{"S":"a"}},"ConditionExpression":"a = :v","ExpressionAttributeValues":{":v":${d}}}}]}`, `ExpressionAttributeValues contains invalid value: ${NESTING} for key :v`],
      ['TransactGetItems Key', 'TransactGetItems', (d) => `{"TransactItems":[{"Get":{"TableName":"things","Key":{"id":${d}}}}]}`, NESTING],
    ];
    for (const depth of [10_000, 100_000]) {
      for (const [place, target, body, message] of places) {
        test(`${place} at ${depth} levels`, async () => {
          for (const kind of ['M', 'L'] as const) {
            assert.deepEqual(await rawError(target, body(deepJson(depth, kind))), { status: 400, type: VALIDATION, message }, kind);
          }
        });
      }
    }

    test('a constraint message that echoes a deep value renders it', async () => {
      // 26 requests break the 25-request limit; DynamoDB echoes RequestItems, values as identities.
      const request = `{"PutRequest":{"Item":{"id":{"S":"a"},"d":${deepJson(10_000, 'M')}}}}`;
      const error = await rawError('BatchWriteItem', `{"RequestItems":{"things":[${Array(26).fill(request).join(',')}]}}`);
      assert.equal(error.status, 400);
      assert.equal(error.type, VALIDATION);
      assert.match(error.message, /^1 validation error detected: Value '\{things=\[WriteRequest\(putRequest=PutRequest\(item=\{id=com\.amazonaws\.dynamodb\.v20120810\.AttributeValue@[0-9a-f]+, d=com\.amazonaws\.dynamodb\.v20120810\.AttributeValue@[0-9a-f]+\}\)/);
      assert.ok(error.message.endsWith("' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]"));
    });
  });

  describe('attribute names', () => {
    const long = 'n'.repeat(65536);
    const longest = 'n'.repeat(65535);

    test('an empty name or one over 65,535 bytes is refused in an item, at any depth, and in a key', async () => {
      await rejectsWith(client.send(new PutItemCommand({ TableName: 'things', Item: { id: s('a'), '': s('x') } })), 'ValidationException', '1 validation error detected: Empty attribute name');
      await rejectsWith(client.send(new PutItemCommand({ TableName: 'things', Item: { id: s('a'), m: { M: { '': s('x') } } } })), 'ValidationException', '1 validation error detected: Empty attribute name');
      await rejectsWith(client.send(new PutItemCommand({ TableName: 'things', Item: { id: s('a'), [long]: s('x') } })), 'ValidationException', `1 validation error detected: ${NAME_TOO_LARGE}`);
      await rejectsWith(client.send(new PutItemCommand({ TableName: 'things', Item: { id: s('a'), m: { M: { [long]: s('x') } } } })), 'ValidationException', `1 validation error detected: ${NAME_TOO_LARGE}`);
      // Multi-byte characters count as their UTF-8 bytes: 21,846 three-byte characters are 65,538 bytes.
      await rejectsWith(client.send(new PutItemCommand({ TableName: 'things', Item: { id: s('a'), ['€'.repeat(21846)]: s('x') } })), 'ValidationException', `1 validation error detected: ${NAME_TOO_LARGE}`);
      await rejectsWith(client.send(new GetItemCommand({ TableName: 'things', Key: { '': s('x') } })), 'ValidationException', 'Empty attribute name');
      await rejectsWith(transact([{ Put: { TableName: 'things', Item: { id: s('a'), '': s('x') } } }]), 'ValidationException', 'Empty attribute name');
      await rejectsWith(
        client.send(new BatchWriteItemCommand({ RequestItems: { things: [{ PutRequest: { Item: { id: s('a'), [long]: s('x') } } }] } })),
        'ValidationException',
        NAME_TOO_LARGE,
      );
      assert.equal(await get({ id: s('a') }), undefined);
    });

    test('a name of 65,535 bytes is stored', async () => {
      await client.send(new PutItemCommand({ TableName: 'things', Item: { id: s('longest'), [longest]: s('x'), m: { M: { [longest]: s('y') } } } }));
      assert.deepEqual(await get({ id: s('longest') }), { id: s('longest'), [longest]: s('x'), m: { M: { [longest]: s('y') } } });
    });

    test('in ExpressionAttributeNames, AttributesToGet and AttributeUpdates', async () => {
      for (const name of ['', long]) {
        const message = `1 validation error detected: ${name === '' ? 'Empty attribute name' : NAME_TOO_LARGE}`;
        await rejectsWith(
          client.send(new GetItemCommand({ TableName: 'things', Key: { id: s('a') }, ProjectionExpression: '#n', ExpressionAttributeNames: { '#n': name } })),
          'ValidationException',
          message,
        );
        await rejectsWith(client.send(new GetItemCommand({ TableName: 'things', Key: { id: s('a') }, AttributesToGet: [name] })), 'ValidationException', message);
        await rejectsWith(
          client.send(new UpdateItemCommand({ TableName: 'things', Key: { id: s('a') }, AttributeUpdates: { [name]: { Action: 'PUT', Value: s('x') } } })),
          'ValidationException',
          message,
        );
        await rejectsWith(
          client.send(new UpdateItemCommand({ TableName: 'things', Key: { id: s('a') }, UpdateExpression: 'SET #n = :v', ExpressionAttributeNames: { '#n': name }, ExpressionAttributeValues: { ':v': s('x') } })),
          'ValidationException',
          message,
        );
      }
      assert.equal(await get({ id: s('a') }), undefined);
    });

    test('a list index past 4294967294 is refused', async () => {
      await rejectsWith(
        client.send(new GetItemCommand({ TableName: 'things', Key: { id: s('a') }, ProjectionExpression: 'l[99999999999999]' })),
        'ValidationException',
        'Invalid ProjectionExpression: List index is not within the allowable range; index: [99999999999999]',
      );
      await rejectsWith(
        client.send(new UpdateItemCommand({ TableName: 'things', Key: { id: s('a') }, UpdateExpression: 'SET l[4294967295] = :v', ExpressionAttributeValues: { ':v': s('x') } })),
        'ValidationException',
        'Invalid UpdateExpression: List index is not within the allowable range; index: [4294967295]',
      );
      // The largest index is an index past the end, as any other: it appends.
      await client.send(new PutItemCommand({ TableName: 'things', Item: { id: s('listed'), l: { L: [s('a')] } } }));
      await client.send(new UpdateItemCommand({ TableName: 'things', Key: { id: s('listed') }, UpdateExpression: 'SET l[4294967294] = :v', ExpressionAttributeValues: { ':v': s('b') } }));
      assert.deepEqual((await get({ id: s('listed') }))?.l, { L: [s('a'), s('b')] });
    });
  });

  describe('index key sizes', () => {
    const sizeMessage = (key: string, actual: number, max: number, index: string) =>
      `${INVALID}Size limit exceeded for Index Key ${key} Actual Size: ${actual} bytes Max Size: ${max} bytes IndexName: ${index}`;

    before(async () => {
      await client.send(
        new CreateTableCommand({
          TableName: 'indexed',
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'sk', AttributeType: 'S' },
            { AttributeName: 'g', AttributeType: 'S' },
            { AttributeName: 'r', AttributeType: 'B' },
            { AttributeName: 'l', AttributeType: 'S' },
          ],
          BillingMode: 'PAY_PER_REQUEST',
          GlobalSecondaryIndexes: [
            {
              IndexName: 'byG',
              KeySchema: [
                { AttributeName: 'g', KeyType: 'HASH' },
                { AttributeName: 'r', KeyType: 'RANGE' },
              ],
              Projection: { ProjectionType: 'ALL' },
            },
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
        }),
      );
    });

    const key = { pk: s('p'), sk: s('s') };

    test('PutItem, UpdateItem, BatchWriteItem and TransactWriteItems refuse an index key over the limits', async () => {
      const g = s('g'.repeat(2049));
      await rejectsWith(client.send(new PutItemCommand({ TableName: 'indexed', Item: { ...key, g } })), 'ValidationException', sizeMessage('g', 2049, 2048, 'byG'));
      // Over 4 KB: refused as well, not an error of the storage.
      await rejectsWith(client.send(new PutItemCommand({ TableName: 'indexed', Item: { ...key, g: s('g'.repeat(5000)) } })), 'ValidationException', sizeMessage('g', 5000, 2048, 'byG'));
      await rejectsWith(
        client.send(new PutItemCommand({ TableName: 'indexed', Item: { ...key, g: s('g'), r: { B: new Uint8Array(1025) } } })),
        'ValidationException',
        sizeMessage('r', 1025, 1024, 'byG'),
      );
      await rejectsWith(client.send(new PutItemCommand({ TableName: 'indexed', Item: { ...key, l: s('€'.repeat(342)) } })), 'ValidationException', sizeMessage('l', 1026, 1024, 'byL'));
      await rejectsWith(
        client.send(new UpdateItemCommand({ TableName: 'indexed', Key: key, UpdateExpression: 'SET g = :g', ExpressionAttributeValues: { ':g': g } })),
        'ValidationException',
        sizeMessage('g', 2049, 2048, 'byG'),
      );
      await rejectsWith(
        client.send(new BatchWriteItemCommand({ RequestItems: { indexed: [{ PutRequest: { Item: { ...key, g } } }] } })),
        'ValidationException',
        sizeMessage('g', 2049, 2048, 'byG'),
      );
      const error = await rejectsWith(
        transact([{ Put: { TableName: 'indexed', Item: { ...key, g } } }]),
        'TransactionCanceledException',
        'Transaction cancelled, please refer cancellation reasons for specific reasons [ValidationError]',
      );
      assert.deepEqual(error.CancellationReasons, [{ Code: 'ValidationError', Message: sizeMessage('g', 2049, 2048, 'byG') }]);
      assert.equal((await client.send(new GetItemCommand({ TableName: 'indexed', Key: key }))).Item, undefined);
      // At the limits, the item is written.
      await client.send(new PutItemCommand({ TableName: 'indexed', Item: { ...key, g: s('g'.repeat(2048)), r: { B: new Uint8Array(1024).fill(255) }, l: s('l'.repeat(1024)) } }));
      assert.equal((await client.send(new GetItemCommand({ TableName: 'indexed', Key: key }))).Item?.g?.S?.length, 2048);
    });

    test('a backfill leaves out items whose key is over the limits, and finishes', async () => {
      await client.send(new CreateTableCommand(hashKeyTable('legacy')));
      const items: Item[] = [
        { id: s('small'), big: s('ok') },
        { id: s('over'), big: s('b'.repeat(2049)) },
        { id: s('huge'), big: s('b'.repeat(6000)) },
        { id: s('limit'), big: s('b'.repeat(2048)) },
      ];
      for (const item of items) await client.send(new PutItemCommand({ TableName: 'legacy', Item: item }));
      await client.send(
        new UpdateTableCommand({
          TableName: 'legacy',
          AttributeDefinitions: [
            { AttributeName: 'id', AttributeType: 'S' },
            { AttributeName: 'big', AttributeType: 'S' },
          ],
          GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'byBig', KeySchema: [{ AttributeName: 'big', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } } }],
        }),
      );
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        cairn.server.engine.settleBackgroundWork(),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('the backfill did not finish')), 20_000))),
      ]);
      clearTimeout(timer);
      const { Table } = await client.send(new DescribeTableCommand({ TableName: 'legacy' }));
      assert.equal(Table?.GlobalSecondaryIndexes?.[0]?.IndexStatus, 'ACTIVE');
      assert.equal(Table?.GlobalSecondaryIndexes?.[0]?.ItemCount, 2);
      // Items over the limit stay in the table, and writes keeping them over it are refused.
      assert.deepEqual(
        (await client.send(new GetItemCommand({ TableName: 'legacy', Key: { id: s('over') }, ProjectionExpression: 'id' }))).Item,
        { id: s('over') },
      );
      await rejectsWith(
        client.send(new UpdateItemCommand({ TableName: 'legacy', Key: { id: s('huge') }, UpdateExpression: 'SET x = :x', ExpressionAttributeValues: { ':x': s('x') } })),
        'ValidationException',
        sizeMessage('big', 6000, 2048, 'byBig'),
      );
    });
  });
});
