/**
 * Query through the AWS SDK on both storage engines: sort-key order for every key type, every key condition
 * operator, pagination in both directions, the 1 MB page, filters (Count vs ScannedCount), Select, projection,
 * consumed capacity, the legacy parameters, and the validation errors with DynamoDB's exact messages.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTableCommand,
  PutItemCommand,
  QueryCommand,
  type AttributeValue,
  type DynamoDBClient,
  type QueryCommandInput,
} from '@aws-sdk/client-dynamodb';
import { startCairn, type Cairn } from '../helpers/cairn.js';
import { INVALID } from '../helpers/assertions.js';

type Key = Record<string, AttributeValue>;

let cairn: Cairn;
let client: DynamoDBClient;

const VALIDATION = 'com.amazon.coral.validate#ValidationException';

async function createTable(name: string, sortType?: 'S' | 'N' | 'B'): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: name,
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, ...(sortType ? [{ AttributeName: 'sk', KeyType: 'RANGE' as const }] : [])],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        ...(sortType ? [{ AttributeName: 'sk', AttributeType: sortType }] : []),
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
}

const put = (table: string, item: Key) => client.send(new PutItemCommand({ TableName: table, Item: item }));
const q = (input: Omit<QueryCommandInput, 'TableName'> & { TableName?: string }) =>
  client.send(new QueryCommand({ TableName: 'q_num', ...input } as QueryCommandInput));

/** Every page of a query, following LastEvaluatedKey; returns the items and the number of pages. */
async function allPages(input: Omit<QueryCommandInput, 'TableName'> & { TableName?: string }): Promise<{ items: Key[]; pages: number }> {
  const items: Key[] = [];
  let pages = 0;
  let start: Key | undefined;
  do {
    const page = await q({ ...input, ...(start ? { ExclusiveStartKey: start } : {}) });
    pages++;
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
    assert.ok(pages < 100, 'pagination does not terminate');
  } while (start !== undefined);
  return { items, pages };
}

const sortKeys = (items: readonly Key[]) => items.map((item) => item.sk?.N ?? item.sk?.S ?? Buffer.from(item.sk?.B ?? []).toString('hex'));
const pk = (value: string) => ({ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: value } } });

// Numbers in numeric order: negative, fractional, huge and tiny, as DynamoDB returns them (normalised).
const NUMBERS = [
  '-9.9999999999999999999999999999999999999E+125', '-1000', '-99.5', '-1.55', '-1.5', '-1', '-0.001', '-1E-130', '0',
  '1E-130', '0.001', '0.5', '1', '1.5', '1.55', '2', '10', '99.5', '1000', '123456789012345678901234567890',
  '9.9999999999999999999999999999999999999E+125',
];
const NORMALISED: Record<string, string> = {
  '-9.9999999999999999999999999999999999999E+125': '-999999999999999999999999999999999999990000000000000000000000000000000000000000000000000000000000000000000000000000000000000000',
  '9.9999999999999999999999999999999999999E+125': '999999999999999999999999999999999999990000000000000000000000000000000000000000000000000000000000000000000000000000000000000000',
  '-1E-130': '-0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001',
  '1E-130': '0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001',
};
const normalised = (n: string) => NORMALISED[n] ?? n;
// Binary sort keys in unsigned byte order.
const BINARIES = [[0], [0, 0], [0, 1], [1], [0x7f], [0x80], [0x80, 0], [0xfe, 0xff], [0xff], [0xff, 0xff]];
// Strings in UTF-8 byte order, which differs from UTF-16 order above U+D7FF: U+FF5A sorts before U+1F600 here.
const STRINGS = ['A', 'Z', 'a', 'ab', 'b', 'z', '~', '\u00e9', '\u20ac', '\uff5a', '\u{1f600}'];

function shuffled<T>(values: readonly T[]): T[] {
  // A fixed permutation: puts are not in order, results must be.
  return values.map((value, i) => ({ value, k: (i * 7919) % 101 })).sort((a, b) => a.k - b.k).map((e) => e.value);
}

for (const inMemory of [false, true]) {
  describe(inMemory ? 'Query in memory' : 'Query on LMDB', () => {
    before(async () => {
      cairn = await startCairn({ inMemory });
      client = cairn.client;
      await createTable('q_num', 'N');
      await createTable('q_bin', 'B');
      await createTable('q_str', 'S');
      await createTable('q_hash');
      for (const n of shuffled(NUMBERS)) await put('q_num', { pk: { S: 'order' }, sk: { N: n } });
      for (const b of shuffled(BINARIES)) await put('q_bin', { pk: { S: 'order' }, sk: { B: Uint8Array.from(b) } });
      for (const s of shuffled(STRINGS)) await put('q_str', { pk: { S: 'order' }, sk: { S: s } });
      // Neighbouring partitions must never leak into a Query.
      for (const other of ['orde', 'orderx', 'order\u0000', 'ordes']) {
        await put('q_num', { pk: { S: other }, sk: { N: '1' } });
        await put('q_str', { pk: { S: other }, sk: { S: 'a' } });
      }
      for (let i = 1; i <= 10; i++) {
        await put('q_num', { pk: { S: 'ten' }, sk: { N: String(i) }, even: { BOOL: i % 2 === 0 }, data: { S: `d${i}` }, n: { M: { x: { N: String(i) } } } });
      }
      for (const s of ['app', 'apple', 'apply', 'apt', 'b', 'ap']) await put('q_str', { pk: { S: 'prefix' }, sk: { S: s } });
      await put('q_hash', { pk: { S: 'one' }, v: { N: '1' } });
    });
    after(async () => {
      await cairn.close();
    });

    test('number sort keys come back in numeric order, and reversed', async () => {
      const forward = await q(pk('order'));
      assert.deepEqual(sortKeys(forward.Items ?? []), NUMBERS.map(normalised));
      assert.equal(forward.Count, NUMBERS.length);
      assert.equal(forward.ScannedCount, NUMBERS.length);
      assert.equal(forward.LastEvaluatedKey, undefined);
      const backward = await q({ ...pk('order'), ScanIndexForward: false });
      assert.deepEqual(sortKeys(backward.Items ?? []), NUMBERS.map(normalised).reverse());
    });

    test('binary sort keys come back in unsigned byte order, and reversed', async () => {
      const forward = await q({ TableName: 'q_bin', ...pk('order') });
      const hex = BINARIES.map((b) => Buffer.from(b).toString('hex'));
      assert.deepEqual(sortKeys(forward.Items ?? []), hex);
      const backward = await q({ TableName: 'q_bin', ...pk('order'), ScanIndexForward: false });
      assert.deepEqual(sortKeys(backward.Items ?? []), [...hex].reverse());
    });

    test('string sort keys come back in UTF-8 byte order, and reversed', async () => {
      const forward = await q({ TableName: 'q_str', ...pk('order') });
      assert.deepEqual(sortKeys(forward.Items ?? []), STRINGS);
      const backward = await q({ TableName: 'q_str', ...pk('order'), ScanIndexForward: false });
      assert.deepEqual(sortKeys(backward.Items ?? []), [...STRINGS].reverse());
    });

    const num = (n: number) => ({ N: String(n) });
    const operators: [string, string, Record<string, AttributeValue>, number[]][] = [
      ['=', 'sk = :a', { ':a': num(4) }, [4]],
      ['= (absent)', 'sk = :a', { ':a': num(4.5) }, []],
      ['<', 'sk < :a', { ':a': num(4) }, [1, 2, 3]],
      ['<=', 'sk <= :a', { ':a': num(4) }, [1, 2, 3, 4]],
      ['>', 'sk > :a', { ':a': num(8) }, [9, 10]],
      ['>=', 'sk >= :a', { ':a': num(8) }, [8, 9, 10]],
      ['> written value first', ':a < sk', { ':a': num(8) }, [9, 10]],
      ['BETWEEN', 'sk BETWEEN :a AND :b', { ':a': num(3), ':b': num(5) }, [3, 4, 5]],
      ['BETWEEN off the keys', 'sk BETWEEN :a AND :b', { ':a': num(2.5), ':b': num(5.5) }, [3, 4, 5]],
      ['BETWEEN one key', 'sk BETWEEN :a AND :b', { ':a': num(7), ':b': num(7) }, [7]],
      ['< below all', 'sk < :a', { ':a': num(-1) }, []],
    ];
    for (const [name, condition, values, expected] of operators) {
      for (const forward of [true, false]) {
        test(`key condition ${name} (${forward ? 'forward' : 'reverse'})`, async () => {
          const result = await q({
            KeyConditionExpression: `pk = :p AND ${condition}`,
            ExpressionAttributeValues: { ':p': { S: 'ten' }, ...values },
            ScanIndexForward: forward,
          });
          const want = expected.map(String);
          assert.deepEqual(sortKeys(result.Items ?? []), forward ? want : [...want].reverse());
        });
      }
    }

    const prefixes: [string, string[]][] = [
      ['ap', ['ap', 'app', 'apple', 'apply', 'apt']],
      ['app', ['app', 'apple', 'apply']],
      ['appl', ['apple', 'apply']],
      ['apz', []],
      ['b', ['b']],
    ];
    for (const [prefix, expected] of prefixes) {
      test(`begins_with ${prefix}, both directions`, async () => {
        const input = {
          TableName: 'q_str',
          KeyConditionExpression: 'pk = :p AND begins_with(sk, :x)',
          ExpressionAttributeValues: { ':p': { S: 'prefix' }, ':x': { S: prefix } },
        };
        assert.deepEqual(sortKeys((await q(input)).Items ?? []), expected);
        assert.deepEqual(sortKeys((await q({ ...input, ScanIndexForward: false })).Items ?? []), [...expected].reverse());
      });
    }

    test('pagination returns every item exactly once for every Limit from 1 to 10, both directions', async () => {
      const all = NUMBERS.map(normalised);
      for (let limit = 1; limit <= 10; limit++) {
        for (const forward of [true, false]) {
          const { items, pages } = await allPages({ ...pk('order'), Limit: limit, ScanIndexForward: forward });
          assert.deepEqual(sortKeys(items), forward ? all : [...all].reverse(), `Limit ${limit} ${forward ? 'forward' : 'reverse'}`);
          // DynamoDB does not look ahead: a page that fills its Limit has a LastEvaluatedKey, so an exact multiple
          // costs one more (empty) page.
          assert.equal(pages, Math.floor(all.length / limit) + 1);
        }
      }
    });

    test('pagination within a key condition range, with a filter and the legacy parameters', async () => {
      for (let limit = 1; limit <= 10; limit++) {
        const filtered = await allPages({
          KeyConditionExpression: 'pk = :p AND sk BETWEEN :a AND :b',
          FilterExpression: 'even = :t',
          ExpressionAttributeValues: { ':p': { S: 'ten' }, ':a': { N: '2' }, ':b': { N: '9' }, ':t': { BOOL: true } },
          Limit: limit,
          ScanIndexForward: false,
        });
        assert.deepEqual(sortKeys(filtered.items), ['8', '6', '4', '2']);
        const legacy = await allPages({
          KeyConditions: {
            pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'ten' }] },
            sk: { ComparisonOperator: 'GT', AttributeValueList: [{ N: '3' }] },
          },
          QueryFilter: { data: { ComparisonOperator: 'IN', AttributeValueList: [{ S: 'd2' }, { S: 'd5' }, { S: 'd7' }, { S: 'd9' }] } },
          Limit: limit,
        });
        assert.deepEqual(sortKeys(legacy.items), ['5', '7', '9']);
      }
    });

    test('LastEvaluatedKey is the key of the last item read, also when the filter dropped it', async () => {
      const result = await q({
        KeyConditionExpression: 'pk = :p',
        FilterExpression: 'even = :t',
        ExpressionAttributeValues: { ':p': { S: 'ten' }, ':t': { BOOL: true } },
        Limit: 3,
      });
      assert.deepEqual(result.Items?.map((item) => item.sk), [{ N: '2' }]);
      assert.equal(result.Count, 1);
      assert.equal(result.ScannedCount, 3);
      assert.deepEqual(result.LastEvaluatedKey, { pk: { S: 'ten' }, sk: { N: '3' } });
    });

    test('a page that reaches its Limit on the last item still has a LastEvaluatedKey', async () => {
      const result = await q({ ...pk('ten'), Limit: 10 });
      assert.equal(result.Count, 10);
      assert.deepEqual(result.LastEvaluatedKey, { pk: { S: 'ten' }, sk: { N: '10' } });
      const next = await q({ ...pk('ten'), Limit: 10, ExclusiveStartKey: result.LastEvaluatedKey });
      assert.deepEqual(next.Items, []);
      assert.equal(next.Count, 0);
      assert.equal(next.ScannedCount, 0);
      assert.equal(next.LastEvaluatedKey, undefined);
    });

    test('Select COUNT counts the filtered items and returns none', async () => {
      const result = await q({
        KeyConditionExpression: 'pk = :p',
        FilterExpression: 'even = :t',
        ExpressionAttributeValues: { ':p': { S: 'ten' }, ':t': { BOOL: true } },
        Select: 'COUNT',
      });
      assert.equal(result.Items, undefined);
      assert.equal(result.Count, 5);
      assert.equal(result.ScannedCount, 10);
    });

    test('ProjectionExpression and AttributesToGet', async () => {
      const projected = await q({
        KeyConditionExpression: 'pk = :p AND sk <= :two',
        ProjectionExpression: '#d, n.x',
        ExpressionAttributeNames: { '#d': 'data' },
        ExpressionAttributeValues: { ':p': { S: 'ten' }, ':two': { N: '2' } },
        Select: 'SPECIFIC_ATTRIBUTES',
      });
      assert.deepEqual(projected.Items, [
        { data: { S: 'd1' }, n: { M: { x: { N: '1' } } } },
        { data: { S: 'd2' }, n: { M: { x: { N: '2' } } } },
      ]);
      const legacy = await q({
        KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'ten' }] }, sk: { ComparisonOperator: 'EQ', AttributeValueList: [{ N: '3' }] } },
        AttributesToGet: ['sk', 'even', 'missing'],
      });
      assert.deepEqual(legacy.Items, [{ sk: { N: '3' }, even: { BOOL: false } }]);
    });

    test('a hash-only table: the one item of the partition', async () => {
      const result = await q({ TableName: 'q_hash', ...pk('one') });
      assert.deepEqual(result.Items, [{ pk: { S: 'one' }, v: { N: '1' } }]);
      const limited = await q({ TableName: 'q_hash', ...pk('one'), Limit: 1 });
      assert.deepEqual(limited.LastEvaluatedKey, { pk: { S: 'one' } });
      const none = await q({ TableName: 'q_hash', ...pk('two') });
      assert.deepEqual(none.Items, []);
      assert.equal(none.Count, 0);
    });

    test('ConsumedCapacity: the page\'s summed item sizes rounded up to 4 KB once, halved unless consistent', async () => {
      await createTable('q_cap', 'N');
      // Each item: pk (2 + 3) + sk (2 + 2) + v (1 + 1500) = 1510 bytes; three of them are 4530 bytes: 2 units for the
      // page, where rounding per item would give 3.
      for (let i = 1; i <= 3; i++) await put('q_cap', { pk: { S: 'cap' }, sk: { N: String(i) }, v: { S: 'x'.repeat(1500) } });
      const eventual = await q({ TableName: 'q_cap', ...pk('cap'), ReturnConsumedCapacity: 'TOTAL' });
      assert.deepEqual(eventual.ConsumedCapacity, { TableName: 'q_cap', CapacityUnits: 1 });
      const consistent = await q({ TableName: 'q_cap', ...pk('cap'), ConsistentRead: true, ReturnConsumedCapacity: 'INDEXES' });
      assert.deepEqual(consistent.ConsumedCapacity, { TableName: 'q_cap', CapacityUnits: 2, Table: { CapacityUnits: 2 } });
      // Filtered-out items and COUNT still cost what was read; an empty result costs the minimum.
      const counted = await q({ TableName: 'q_cap', ...pk('cap'), Select: 'COUNT', ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' });
      assert.equal(counted.ConsumedCapacity?.CapacityUnits, 2);
      const empty = await q({ TableName: 'q_cap', ...pk('none'), ReturnConsumedCapacity: 'TOTAL' });
      assert.equal(empty.ConsumedCapacity?.CapacityUnits, 0.5);
      const none = await q({ TableName: 'q_cap', ...pk('cap') });
      assert.equal(none.ConsumedCapacity, undefined);
    });

    test('a page stops once the items read reach 1 MB', async () => {
      await createTable('q_big', 'N');
      // 300 KB items: the page holds the four that reach 1 MB (the fourth crosses it), the next page the rest.
      for (let i = 1; i <= 5; i++) await put('q_big', { pk: { S: 'big' }, sk: { N: String(i) }, v: { S: 'x'.repeat(300 * 1024) } });
      const first = await q({ TableName: 'q_big', ...pk('big'), ProjectionExpression: 'sk' });
      assert.deepEqual(sortKeys(first.Items ?? []), ['1', '2', '3', '4']);
      assert.deepEqual(first.LastEvaluatedKey, { pk: { S: 'big' }, sk: { N: '4' } });
      const second = await q({ TableName: 'q_big', ...pk('big'), ProjectionExpression: 'sk', ExclusiveStartKey: first.LastEvaluatedKey });
      assert.deepEqual(sortKeys(second.Items ?? []), ['5']);
      assert.equal(second.LastEvaluatedKey, undefined);
      const reverse = await q({ TableName: 'q_big', ...pk('big'), ProjectionExpression: 'sk', ScanIndexForward: false });
      assert.deepEqual(sortKeys(reverse.Items ?? []), ['5', '4', '3', '2']);
    });

    const p = { ':p': { S: 'ten' } };
    const errors: [string, Record<string, unknown>, string][] = [
      ['no key condition', {}, 'Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.'],
      ['Limit 0', { ...pk('ten'), Limit: 0 },
        "1 validation error detected: Value at 'Limit' failed to satisfy constraint: Member must have value greater than or equal to 1"],
      ['a missing hash key condition', { KeyConditionExpression: 'sk = :a', ExpressionAttributeValues: { ':a': { N: '1' } } },
        'Query condition missed key schema element: pk'],
      ['a condition on a non-key attribute', { KeyConditionExpression: 'pk = :p AND oth = :a', ExpressionAttributeValues: { ...p, ':a': { N: '1' } } },
        'Query condition missed key schema element: sk'],
      ['three conditions', { KeyConditionExpression: 'pk = :p AND sk = :a AND oth = :a', ExpressionAttributeValues: { ...p, ':a': { N: '1' } } },
        'Conditions can be of length 1 or 2 only'],
      ['a range condition on the hash key', { KeyConditionExpression: 'pk > :p', ExpressionAttributeValues: p }, 'Query key condition not supported'],
      ['a hash key value of the wrong type', { KeyConditionExpression: 'pk = :a', ExpressionAttributeValues: { ':a': { N: '1' } } },
        `${INVALID}Condition parameter type does not match schema type`],
      ['a sort key value of the wrong type', { KeyConditionExpression: 'pk = :p AND sk < :a', ExpressionAttributeValues: { ...p, ':a': { S: '1' } } },
        `${INVALID}Condition parameter type does not match schema type`],
      ['begins_with on a number sort key', { KeyConditionExpression: 'pk = :p AND begins_with(sk, :a)', ExpressionAttributeValues: { ...p, ':a': { S: '1' } } },
        `${INVALID}Condition parameter type does not match schema type`],
      ['begins_with with a number', { KeyConditionExpression: 'pk = :p AND begins_with(sk, :a)', ExpressionAttributeValues: { ...p, ':a': { N: '1' } } },
        'Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N'],
      ['OR', { KeyConditionExpression: 'pk = :p OR sk = :p', ExpressionAttributeValues: p }, 'Invalid operator used in KeyConditionExpression: OR'],
      ['two conditions on one key', { KeyConditionExpression: 'pk = :p AND pk = :p', ExpressionAttributeValues: p },
        'KeyConditionExpressions must only contain one condition per key'],
      ['a legacy non-indexable operator', { KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'ten' }] }, sk: { ComparisonOperator: 'NOT_NULL' } } },
        'Attempted conditional constraint is not an indexable operation'],
      ['legacy KeyConditions with no entry', { KeyConditions: {} }, 'Conditions can be of length 1 or 2 only'],
      ['legacy BETWEEN reversed', { KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'ten' }] }, sk: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ N: '5' }, { N: '1' }] } } },
        'The BETWEEN condition was provided a range where the lower bound is greater than the upper bound'],
      ['an IndexName', { ...pk('ten'), IndexName: 'by_data' }, 'The table does not have the specified index: by_data'],
      ['Select SPECIFIC_ATTRIBUTES without a projection', { ...pk('ten'), Select: 'SPECIFIC_ATTRIBUTES' },
        'Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES'],
      ['Select ALL_PROJECTED_ATTRIBUTES on the table', { ...pk('ten'), Select: 'ALL_PROJECTED_ATTRIBUTES' },
        'ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName'],
      ['Select ALL_ATTRIBUTES with a projection', { ...pk('ten'), Select: 'ALL_ATTRIBUTES', ProjectionExpression: 'sk' },
        'Cannot specify the ProjectionExpression when choosing to get ALL_ATTRIBUTES'],
      ['Select COUNT with AttributesToGet', { KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'ten' }] } }, Select: 'COUNT', AttributesToGet: ['sk'] },
        'Cannot specify the AttributesToGet when choosing to get only the Count'],
      ['a filter on the sort key', { ...pk('ten'), FilterExpression: 'sk > :p', ExpressionAttributeValues: p },
        'Filter Expression can only contain non-primary key attributes: Primary key attribute: sk'],
      ['a legacy filter on the hash key', { KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'ten' }] } }, QueryFilter: { pk: { ComparisonOperator: 'NOT_NULL' } } },
        'QueryFilter can only contain non-primary key attributes: Primary key attribute: pk'],
      ['a projection into a key', { ...pk('ten'), ProjectionExpression: 'sk.x' },
        "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: sk"],
      ['a starting key with the hash key only', { ...pk('ten'), ExclusiveStartKey: { pk: { S: 'ten' } } }, 'The provided starting key is invalid'],
      ['a starting key with another attribute', { ...pk('ten'), ExclusiveStartKey: { pk: { S: 'ten' }, x: { N: '1' } } }, 'The provided starting key is invalid'],
      ['a starting key of the wrong type', { ...pk('ten'), ExclusiveStartKey: { pk: { S: 'ten' }, sk: { S: '1' } } }, 'The provided key element does not match the schema'],
      ['a starting key in another partition', { ...pk('ten'), ExclusiveStartKey: { pk: { S: 'nine' }, sk: { N: '1' } } },
        'The provided starting key is outside query boundaries based on provided conditions'],
      ['a starting key outside the range condition', { KeyConditionExpression: 'pk = :p AND sk > :a', ExpressionAttributeValues: { ...p, ':a': { N: '5' } }, ExclusiveStartKey: { pk: { S: 'ten' }, sk: { N: '5' } } },
        'The provided starting key does not match the range key predicate'],
      ['a starting key in another partition within the range condition', { KeyConditionExpression: 'pk = :p AND sk > :a', ExpressionAttributeValues: { ...p, ':a': { N: '5' } }, ExclusiveStartKey: { pk: { S: 'nine' }, sk: { N: '6' } } },
        'The query can return at most one row and cannot be restarted'],
      ['an empty starting key value', { ...pk('ten'), ExclusiveStartKey: { pk: {}, sk: { N: '1' } } },
        'The provided starting key is invalid: Supplied AttributeValue is empty, must contain exactly one of the supported datatypes'],
      ['an invalid number in the starting key', { ...pk('ten'), ExclusiveStartKey: { pk: { S: 'ten' }, sk: { N: 'x' } } },
        'The parameter cannot be converted to a numeric value: x'],
    ];
    for (const [name, body, message] of errors) {
      test(`refuses ${name}`, async () => {
        const response = await cairn.raw('DynamoDB_20120810.Query', { TableName: 'q_num', ...body });
        assert.equal(response.status, 400);
        assert.deepEqual(response.body, { __type: VALIDATION, message });
      });
    }

    test('a missing table', async () => {
      const response = await cairn.raw('DynamoDB_20120810.Query', { TableName: 'nope', ...pk('x') });
      assert.equal(response.status, 400);
      assert.deepEqual(response.body, {
        __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException',
        message: 'Requested resource not found',
      });
    });
  });
}
