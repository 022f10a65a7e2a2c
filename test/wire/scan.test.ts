/**
 * Scan through the AWS SDK on both storage engines: every item exactly once across pages for every Limit,
 * parallel segments (disjoint, complete, each paginated), filters (Count vs ScannedCount), Select, projection,
 * consumed capacity, ScanFilter, and the validation errors with DynamoDB's exact messages.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTableCommand,
  PutItemCommand,
  ScanCommand,
  type AttributeValue,
  type DynamoDBClient,
  type ScanCommandInput,
} from '@aws-sdk/client-dynamodb';
import { startCairn, type Cairn } from '../helpers/cairn.js';

type Key = Record<string, AttributeValue>;

let cairn: Cairn;
let client: DynamoDBClient;

const VALIDATION = 'com.amazon.coral.validate#ValidationException';
const ITEMS = 40;

const scan = (input: Omit<ScanCommandInput, 'TableName'> & { TableName?: string }) =>
  client.send(new ScanCommand({ TableName: 's_items', ...input } as ScanCommandInput));

async function allPages(input: Omit<ScanCommandInput, 'TableName'> & { TableName?: string }): Promise<{ items: Key[]; pages: number }> {
  const items: Key[] = [];
  let pages = 0;
  let start: Key | undefined;
  do {
    const page = await scan({ ...input, ...(start ? { ExclusiveStartKey: start } : {}) });
    pages++;
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
    assert.ok(pages < 200, 'pagination does not terminate');
  } while (start !== undefined);
  return { items, pages };
}

const ids = (items: readonly Key[]) => items.map((item) => `${item.pk?.S}/${item.sk?.N}`);
const sorted = (values: readonly string[]) => [...values].sort();
const EXPECTED: string[] = [];
for (let i = 0; i < ITEMS; i++) EXPECTED.push(`p${i % 8}/${i}`);

for (const inMemory of [false, true]) {
  describe(inMemory ? 'Scan in memory' : 'Scan on LMDB', () => {
    before(async () => {
      cairn = await startCairn({ inMemory });
      client = cairn.client;
      await client.send(
        new CreateTableCommand({
          TableName: 's_items',
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      await client.send(
        new CreateTableCommand({
          TableName: 's_empty',
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      for (let i = 0; i < ITEMS; i++) {
        await client.send(
          new PutItemCommand({
            TableName: 's_items',
            Item: { pk: { S: `p${i % 8}` }, sk: { N: String(i) }, odd: { BOOL: i % 2 === 1 }, v: { S: 'x'.repeat(100) } },
          }),
        );
      }
    });
    after(async () => {
      await cairn.close();
    });

    test('one Scan returns every item, partitions together and in sort order within each', async () => {
      const result = await scan({});
      assert.equal(result.Count, ITEMS);
      assert.equal(result.ScannedCount, ITEMS);
      assert.equal(result.LastEvaluatedKey, undefined);
      const got = ids(result.Items ?? []);
      assert.deepEqual(sorted(got), sorted(EXPECTED));
      // Within a partition, sort-key order; each partition's items are contiguous.
      const seen: string[] = [];
      for (const id of got) {
        const partition = id.split('/')[0] as string;
        if (seen.at(-1) !== partition) {
          assert.ok(!seen.includes(partition), `partition ${partition} is not contiguous`);
          seen.push(partition);
        }
      }
    });

    test('pagination returns every item exactly once for every Limit from 1 to 10', async () => {
      const reference = ids((await scan({})).Items ?? []);
      for (let limit = 1; limit <= 10; limit++) {
        const { items, pages } = await allPages({ Limit: limit });
        assert.deepEqual(ids(items), reference, `Limit ${limit}`);
        assert.equal(pages, Math.floor(ITEMS / limit) + 1);
      }
    });

    test('parallel segments are disjoint and complete, each paginated', async () => {
      for (const total of [1, 2, 3, 4, 7, 16, 100]) {
        const all: string[] = [];
        for (let segment = 0; segment < total; segment++) {
          const { items } = await allPages({ Segment: segment, TotalSegments: total, Limit: 3 });
          all.push(...ids(items));
        }
        assert.deepEqual(sorted(all), sorted(EXPECTED), `TotalSegments ${total}`);
      }
    });

    test('a filter: Count counts the items kept, ScannedCount the items read', async () => {
      const result = await scan({ FilterExpression: 'odd = :t', ExpressionAttributeValues: { ':t': { BOOL: true } } });
      assert.equal(result.Count, ITEMS / 2);
      assert.equal(result.ScannedCount, ITEMS);
      const limited = await scan({ FilterExpression: 'sk < :zero', ExpressionAttributeValues: { ':zero': { N: '0' } }, Limit: 5 });
      assert.deepEqual(limited.Items, []);
      assert.equal(limited.Count, 0);
      assert.equal(limited.ScannedCount, 5);
      assert.ok(limited.LastEvaluatedKey !== undefined);
      // Scan filters may name key attributes.
      const byKey = await scan({ ScanFilter: { sk: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ N: '10' }, { N: '12' }] } } });
      assert.deepEqual(sorted(ids(byKey.Items ?? [])), ['p2/10', 'p3/11', 'p4/12']);
      const either = await scan({
        ScanFilter: {
          sk: { ComparisonOperator: 'LT', AttributeValueList: [{ N: '2' }] },
          pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'p7' }] },
        },
        ConditionalOperator: 'OR',
      });
      assert.deepEqual(sorted(ids(either.Items ?? [])), ['p0/0', 'p1/1', 'p7/15', 'p7/23', 'p7/31', 'p7/39', 'p7/7']);
    });

    test('Select COUNT, projection, AttributesToGet', async () => {
      const counted = await scan({ Select: 'COUNT', FilterExpression: 'odd = :f', ExpressionAttributeValues: { ':f': { BOOL: false } } });
      assert.equal(counted.Items, undefined);
      assert.equal(counted.Count, ITEMS / 2);
      const projected = await scan({ ProjectionExpression: 'sk', FilterExpression: 'sk = :n', ExpressionAttributeValues: { ':n': { N: '5' } } });
      assert.deepEqual(projected.Items, [{ sk: { N: '5' } }]);
      const legacy = await scan({ AttributesToGet: ['odd'], ScanFilter: { sk: { ComparisonOperator: 'EQ', AttributeValueList: [{ N: '5' }] } } });
      assert.deepEqual(legacy.Items, [{ odd: { BOOL: true } }]);
    });

    test('ConsumedCapacity per page, and an empty table', async () => {
      // 40 items of 2 + 2 + 2 + 2 + 3 + 1 + 1 + 100 = about 113 bytes: 4.5 KB in all, 2 units consistent.
      const result = await scan({ ReturnConsumedCapacity: 'TOTAL', ConsistentRead: true });
      assert.deepEqual(result.ConsumedCapacity, { TableName: 's_items', CapacityUnits: 2 });
      const empty = await scan({ TableName: 's_empty', ReturnConsumedCapacity: 'TOTAL' });
      assert.deepEqual(empty, { ...empty, Count: 0, ScannedCount: 0, Items: [], ConsumedCapacity: { TableName: 's_empty', CapacityUnits: 0.5 } });
    });

    const errors: [string, Record<string, unknown>, string][] = [
      ['Limit 0', { Limit: 0 }, "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"],
      ['Segment without TotalSegments', { Segment: 1 },
        'The TotalSegments parameter is required but was not present in the request when Segment parameter is present'],
      ['Segment not below TotalSegments', { Segment: 2, TotalSegments: 2 },
        'The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 2 is not less than TotalSegments: 2'],
      ['an IndexName', { IndexName: 'idx' }, 'The table does not have the specified index: idx'],
      ['Select SPECIFIC_ATTRIBUTES without a projection', { Select: 'SPECIFIC_ATTRIBUTES' },
        'Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES'],
      ['Select ALL_PROJECTED_ATTRIBUTES on the table', { Select: 'ALL_PROJECTED_ATTRIBUTES' },
        'ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName'],
      ['Select COUNT with a projection', { Select: 'COUNT', ProjectionExpression: 'sk' },
        'Cannot specify the ProjectionExpression when choosing to get only the Count'],
      ['a starting key missing the range key', { ExclusiveStartKey: { pk: { S: 'p1' } } },
        'The provided starting key is invalid: The provided key element does not match the schema'],
      ['a starting key of the wrong type', { ExclusiveStartKey: { pk: { S: 'p1' }, sk: { S: '1' } } },
        'The provided starting key is invalid: The provided key element does not match the schema'],
      ['a starting key with an empty string', { ExclusiveStartKey: { pk: { S: '' }, sk: { N: '1' } } },
        'The provided starting key is invalid: One or more parameter values were invalid: The AttributeValue for a key attribute cannot contain an empty string value. Key: pk'],
      ['an empty starting key value', { ExclusiveStartKey: { pk: {}, sk: { N: '1' } } },
        'The provided starting key is invalid: Supplied AttributeValue is empty, must contain exactly one of the supported datatypes'],
      ['a ScanFilter operator with the wrong arity', { ScanFilter: { a: { ComparisonOperator: 'EQ' } } },
        'One or more parameter values were invalid: Invalid number of argument(s) for the EQ ComparisonOperator'],
      ['a projection into a key', { ProjectionExpression: 'pk[0]' },
        "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: pk"],
    ];
    for (const [name, body, message] of errors) {
      test(`refuses ${name}`, async () => {
        const response = await cairn.raw('DynamoDB_20120810.Scan', { TableName: 's_items', ...body });
        assert.equal(response.status, 400);
        assert.deepEqual(response.body, { __type: VALIDATION, message });
      });
    }

    test('refuses a starting key from another segment', async () => {
      // The first key of some non-empty segment of 4, given to the next segment.
      let owner = -1;
      let key: Key | undefined;
      for (let segment = 0; segment < 4 && key === undefined; segment++) {
        key = (await scan({ Segment: segment, TotalSegments: 4, Limit: 1 })).LastEvaluatedKey;
        owner = segment;
      }
      assert.ok(key !== undefined);
      const other = (owner + 1) % 4;
      const response = await cairn.raw('DynamoDB_20120810.Scan', {
        TableName: 's_items',
        Segment: other,
        TotalSegments: 4,
        ExclusiveStartKey: key,
      });
      assert.deepEqual(response.body, {
        __type: VALIDATION,
        message:
          `The provided starting key is invalid: Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. TotalSegments: 4 Segment: ${other}`,
      });
    });
  });
}
