/**
 * Secondary indexes through the AWS SDK, on both storage engines: GSIs and LSIs declared by CreateTable and
 * described by DescribeTable; index maintenance by every write (sparse entries, moved keys, deletes, projections);
 * Query and Scan on indexes with pagination, LastEvaluatedKey carrying the index and table keys, the LSI fetch
 * from the table, capacity per index; item collections; and the validation errors with DynamoDB's messages.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
  type AttributeValue,
  type CreateTableCommandInput,
  type DynamoDBClient,
  type QueryCommandInput,
  type ScanCommandInput,
} from '@aws-sdk/client-dynamodb';
import { startCairn, type Cairn } from '../helpers/cairn.js';
import { INVALID, rejectsWith } from '../helpers/assertions.js';
import { compositeKeyTable } from '../helpers/tables.js';

type Item = Record<string, AttributeValue>;

let cairn: Cairn;
let client: DynamoDBClient;

/**
 * `shop`: orders keyed by customer (pk) and order id (sk), with (attribute names avoid reserved words)
 * - byStatus: GSI on stage (S) + amt (N), KEYS_ONLY;
 * - byDay: GSI on weekday (S) only, INCLUDE [amt];
 * - all: GSI on area (S) + sk, ALL;
 * - byTotal: LSI on amt (N), KEYS_ONLY;
 * - byNote: LSI on memo (S), INCLUDE [stage].
 */
const SHOP: CreateTableCommandInput = {
  TableName: 'shop',
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'S' },
    { AttributeName: 'stage', AttributeType: 'S' },
    { AttributeName: 'amt', AttributeType: 'N' },
    { AttributeName: 'weekday', AttributeType: 'S' },
    { AttributeName: 'area', AttributeType: 'S' },
    { AttributeName: 'memo', AttributeType: 'S' },
  ],
  BillingMode: 'PAY_PER_REQUEST',
  GlobalSecondaryIndexes: [
    {
      IndexName: 'byStatus',
      KeySchema: [
        { AttributeName: 'stage', KeyType: 'HASH' },
        { AttributeName: 'amt', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'KEYS_ONLY' },
    },
    {
      IndexName: 'byDay',
      KeySchema: [{ AttributeName: 'weekday', KeyType: 'HASH' }],
      Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['amt'] },
    },
    {
      IndexName: 'all',
      KeySchema: [
        { AttributeName: 'area', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    },
  ],
  LocalSecondaryIndexes: [
    {
      IndexName: 'byTotal',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'amt', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'KEYS_ONLY' },
    },
    {
      IndexName: 'byNote',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'memo', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['stage'] },
    },
  ],
};

const s = (value: string): AttributeValue => ({ S: value });
const n = (value: string): AttributeValue => ({ N: value });

function order(customer: string, id: string, stage: string | undefined, amt: string | undefined, extra: Item = {}): Item {
  return {
    pk: s(customer),
    sk: s(id),
    ...(stage !== undefined ? { stage: s(stage) } : {}),
    ...(amt !== undefined ? { amt: n(amt) } : {}),
    ...extra,
  };
}

const put = (item: Item, table = 'shop') => client.send(new PutItemCommand({ TableName: table, Item: item }));
const query = (input: Omit<QueryCommandInput, 'TableName'>) => client.send(new QueryCommand({ TableName: 'shop', ...input }));
const scan = (input: Omit<ScanCommandInput, 'TableName'>) => client.send(new ScanCommand({ TableName: 'shop', ...input }));
const keys = (items: readonly Item[] | undefined) => (items ?? []).map((item) => `${item.pk?.S}/${item.sk?.S}`);

async function allPages<T extends QueryCommandInput | ScanCommandInput>(
  send: (input: T) => Promise<{ Items?: Item[]; LastEvaluatedKey?: Item }>,
  input: T,
): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  let pages = 0;
  do {
    const page = await send({ ...input, ...(start ? { ExclusiveStartKey: start } : {}) });
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
    assert.ok(++pages < 200, 'pagination does not terminate');
  } while (start !== undefined);
  return items;
}

for (const inMemory of [false, true]) {
  describe(inMemory ? 'Secondary indexes in memory' : 'Secondary indexes on LMDB', () => {
    before(async () => {
      cairn = await startCairn({ inMemory, itemCollectionLimitBytes: 2000 });
      client = cairn.client;
      await client.send(new CreateTableCommand(SHOP));
      await put(order('ann', 'o1', 'OPEN', '30', { weekday: s('mon'), area: s('eu'), memo: s('gift') }));
      await put(order('ann', 'o2', 'OPEN', '10', { weekday: s('mon'), area: s('eu') }));
      await put(order('ann', 'o3', 'SHIPPED', '20', { weekday: s('tue'), area: s('us'), memo: s('asap') }));
      await put(order('bob', 'o1', 'OPEN', '20', { weekday: s('mon'), area: s('eu') }));
      await put(order('bob', 'o2', 'OPEN', '20', { area: s('us') }));
      // Sparse: no stage, amt, weekday or area.
      await put(order('cat', 'o1', undefined, undefined));
      // Only half of byStatus's key: not in byStatus.
      await put(order('cat', 'o2', 'OPEN', undefined, { weekday: s('wed') }));
    });
    after(() => cairn.close());

    test('DescribeTable reports every index with its key, projection, status, size and ARN', async () => {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: 'shop' }));
      const arn = `arn:aws:dynamodb:us-east-1:000000000000:table/shop/index/`;
      assert.deepEqual(
        Table?.GlobalSecondaryIndexes?.map((index) => [index.IndexName, index.IndexStatus, index.ItemCount, index.IndexArn]),
        [
          ['byStatus', 'ACTIVE', 5, `${arn}byStatus`],
          ['byDay', 'ACTIVE', 5, `${arn}byDay`],
          ['all', 'ACTIVE', 5, `${arn}all`],
        ],
      );
      const byStatus = Table?.GlobalSecondaryIndexes?.[0];
      assert.deepEqual(byStatus?.Projection, { ProjectionType: 'KEYS_ONLY' });
      assert.deepEqual(byStatus?.ProvisionedThroughput, { NumberOfDecreasesToday: 0, ReadCapacityUnits: 0, WriteCapacityUnits: 0 });
      assert.equal(byStatus?.Backfilling, undefined);
      // KEYS_ONLY entries hold pk, sk, stage, amt: {pk: ann, sk: o1, stage: OPEN, amt: 30} is 2+3 + 2+2 + 5+4 + 3+2 = 23 bytes.
      assert.equal(byStatus?.IndexSizeBytes, 23 + 23 + 26 + 23 + 23);
      assert.deepEqual(
        Table?.LocalSecondaryIndexes?.map((index) => [index.IndexName, index.ItemCount, index.IndexArn, index.Projection?.ProjectionType]),
        [
          ['byTotal', 5, `${arn}byTotal`, 'KEYS_ONLY'],
          ['byNote', 2, `${arn}byNote`, 'INCLUDE'],
        ],
      );
      assert.deepEqual(Table?.LocalSecondaryIndexes?.[1]?.Projection?.NonKeyAttributes, ['stage']);
      assert.equal(Table?.TableStatus, 'ACTIVE');
    });

    test('Query on a GSI reads one index partition in index-key order, projected (KEYS_ONLY)', async () => {
      const result = await query({
        IndexName: 'byStatus',
        KeyConditionExpression: '#s = :s',
        ExpressionAttributeNames: { '#s': 'stage' },
        ExpressionAttributeValues: { ':s': s('OPEN') },
      });
      // amt 10, 20 (bob/o1 and bob/o2 tie on 20: table key order breaks the tie), 30; cat/o2 has no amt.
      assert.deepEqual(keys(result.Items), ['ann/o2', 'bob/o1', 'bob/o2', 'ann/o1']);
      assert.deepEqual(result.Items?.[0], { pk: s('ann'), sk: s('o2'), stage: s('OPEN'), amt: n('10') });
      assert.equal(result.Count, 4);
      assert.equal(result.LastEvaluatedKey, undefined);

      const reverse = await query({
        IndexName: 'byStatus',
        KeyConditionExpression: '#s = :s AND amt BETWEEN :a AND :b',
        ExpressionAttributeNames: { '#s': 'stage' },
        ExpressionAttributeValues: { ':s': s('OPEN'), ':a': n('15'), ':b': n('30') },
        ScanIndexForward: false,
      });
      assert.deepEqual(keys(reverse.Items), ['ann/o1', 'bob/o2', 'bob/o1']);

      // The legacy parameters work on an index too.
      const legacy = await query({
        IndexName: 'byStatus',
        KeyConditions: {
          stage: { ComparisonOperator: 'EQ', AttributeValueList: [s('OPEN')] },
          amt: { ComparisonOperator: 'GE', AttributeValueList: [n('20')] },
        },
        QueryFilter: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [s('bob')] } },
        AttributesToGet: ['sk', 'amt'],
      });
      assert.deepEqual(legacy.Items, [
        { sk: s('o1'), amt: n('20') },
        { sk: s('o2'), amt: n('20') },
      ]);
      assert.equal(legacy.ScannedCount, 3);
    });

    test('LastEvaluatedKey on an index carries the index key and the table key; every Limit pages exactly once', async () => {
      const first = await query({
        IndexName: 'byStatus',
        KeyConditionExpression: '#s = :s',
        ExpressionAttributeNames: { '#s': 'stage' },
        ExpressionAttributeValues: { ':s': s('OPEN') },
        Limit: 2,
      });
      assert.deepEqual(first.LastEvaluatedKey, { pk: s('bob'), sk: s('o1'), stage: s('OPEN'), amt: n('20') });
      for (let limit = 1; limit <= 5; limit++) {
        for (const forward of [true, false]) {
          const items = await allPages((input) => query(input), {
            TableName: 'shop',
            IndexName: 'byStatus',
            KeyConditionExpression: '#s = :s',
            ExpressionAttributeNames: { '#s': 'stage' },
            ExpressionAttributeValues: { ':s': s('OPEN') },
            Limit: limit,
            ScanIndexForward: forward,
          });
          const expected = ['ann/o2', 'bob/o1', 'bob/o2', 'ann/o1'];
          assert.deepEqual(keys(items), forward ? expected : [...expected].reverse(), `Limit ${limit}`);
        }
      }
    });

    test('a hash-only GSI with INCLUDE projection; Select and ProjectionExpression within the projection', async () => {
      const result = await query({ IndexName: 'byDay', KeyConditionExpression: 'weekday = :d', ExpressionAttributeValues: { ':d': s('mon') } });
      assert.deepEqual(new Set(keys(result.Items)), new Set(['ann/o1', 'ann/o2', 'bob/o1']));
      const annO1 = result.Items?.find((item) => item.pk?.S === 'ann' && item.sk?.S === 'o1');
      assert.deepEqual(annO1, { pk: s('ann'), sk: s('o1'), weekday: s('mon'), amt: n('30') });

      const projected = await query({
        IndexName: 'byDay',
        KeyConditionExpression: 'weekday = :d',
        ExpressionAttributeValues: { ':d': s('wed') },
        ProjectionExpression: 'sk, amt',
      });
      assert.deepEqual(projected.Items, [{ sk: s('o2') }]);
      const counted = await query({
        IndexName: 'byDay',
        KeyConditionExpression: 'weekday = :d',
        ExpressionAttributeValues: { ':d': s('mon') },
        Select: 'COUNT',
      });
      assert.deepEqual([counted.Count, counted.Items], [3, undefined]);
    });

    test('a GSI with ALL projection returns whole items; a filter runs on index entries', async () => {
      const result = await query({
        IndexName: 'all',
        KeyConditionExpression: '#r = :r AND begins_with(sk, :o)',
        FilterExpression: 'amt > :t',
        ExpressionAttributeNames: { '#r': 'area' },
        ExpressionAttributeValues: { ':r': s('eu'), ':o': s('o'), ':t': n('15') },
      });
      // Index order: sk o1 (ann and bob, in the order of their table keys), o2 (ann); the filter drops ann/o2 (amt 10).
      assert.deepEqual(new Set(keys(result.Items)), new Set(['ann/o1', 'bob/o1']));
      assert.deepEqual([result.Count, result.ScannedCount], [2, 3]);
      assert.deepEqual(
        result.Items?.find((item) => item.pk?.S === 'ann'),
        order('ann', 'o1', 'OPEN', '30', { weekday: s('mon'), area: s('eu'), memo: s('gift') }),
      );
    });

    test('Scan on an index returns only the items in it, paginated, and parallel segments split it', async () => {
      const items = await allPages((input) => scan(input), { TableName: 'shop', IndexName: 'byStatus', Limit: 1 });
      assert.deepEqual(new Set(keys(items)), new Set(['ann/o1', 'ann/o2', 'ann/o3', 'bob/o1', 'bob/o2']));
      assert.equal(items.length, 5);
      const segments: string[] = [];
      for (let segment = 0; segment < 3; segment++) {
        const part = await allPages((input) => scan(input), {
          TableName: 'shop',
          IndexName: 'byDay',
          Segment: segment,
          TotalSegments: 3,
          Limit: 2,
        });
        segments.push(...keys(part));
      }
      assert.deepEqual(segments.sort(), ['ann/o1', 'ann/o2', 'ann/o3', 'bob/o1', 'cat/o2']);
    });

    test('an LSI is read consistently and fetches what it does not project from the table', async () => {
      const keysOnly = await query({
        IndexName: 'byTotal',
        KeyConditionExpression: 'pk = :p AND amt >= :t',
        ExpressionAttributeValues: { ':p': s('ann'), ':t': n('20') },
        ConsistentRead: true,
        ReturnConsumedCapacity: 'INDEXES',
      });
      assert.deepEqual(keysOnly.Items, [
        { pk: s('ann'), sk: s('o3'), amt: n('20') },
        { pk: s('ann'), sk: s('o1'), amt: n('30') },
      ]);
      assert.deepEqual(keysOnly.ConsumedCapacity, {
        TableName: 'shop',
        CapacityUnits: 1,
        Table: { CapacityUnits: 0 },
        LocalSecondaryIndexes: { byTotal: { CapacityUnits: 1 } },
      });

      const whole = await query({
        IndexName: 'byTotal',
        KeyConditionExpression: 'pk = :p AND amt >= :t',
        ExpressionAttributeValues: { ':p': s('ann'), ':t': n('20') },
        Select: 'ALL_ATTRIBUTES',
        ReturnConsumedCapacity: 'INDEXES',
      });
      assert.deepEqual(whole.Items, [
        order('ann', 'o3', 'SHIPPED', '20', { weekday: s('tue'), area: s('us'), memo: s('asap') }),
        order('ann', 'o1', 'OPEN', '30', { weekday: s('mon'), area: s('eu'), memo: s('gift') }),
      ]);
      // One eventually consistent read of the index page, and one per item fetched from the table.
      assert.deepEqual(whole.ConsumedCapacity, {
        TableName: 'shop',
        CapacityUnits: 1.5,
        Table: { CapacityUnits: 1 },
        LocalSecondaryIndexes: { byTotal: { CapacityUnits: 0.5 } },
      });

      const named = await query({
        IndexName: 'byNote',
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': s('ann'), ':open': s('OPEN') },
        ProjectionExpression: 'sk, #d',
        FilterExpression: '#s = :open',
        ExpressionAttributeNames: { '#d': 'weekday', '#s': 'stage' },
      });
      // byNote holds ann/o3 (asap) and ann/o1 (gift); the filter on stage (projected) keeps o1; weekday is fetched.
      assert.deepEqual(named.Items, [{ sk: s('o1'), weekday: s('mon') }]);
      assert.deepEqual(named.Items?.length, 1);
    });

    test('writes maintain every index: a moved key, a removed key, a deleted item, a batch', async () => {
      await put(order('dan', 'o1', 'OPEN', '5', { weekday: s('thu') }));
      const openFirst = () =>
        query({
          IndexName: 'byStatus',
          KeyConditionExpression: '#s = :s',
          ExpressionAttributeNames: { '#s': 'stage' },
          ExpressionAttributeValues: { ':s': s('OPEN') },
          Limit: 1,
        });
      assert.deepEqual(keys((await openFirst()).Items), ['dan/o1']);

      const updated = await client.send(
        new UpdateItemCommand({
          TableName: 'shop',
          Key: { pk: s('dan'), sk: s('o1') },
          UpdateExpression: 'SET #s = :c REMOVE #d',
          ExpressionAttributeNames: { '#s': 'stage', '#d': 'weekday' },
          ExpressionAttributeValues: { ':c': s('CLOSED') },
          ReturnConsumedCapacity: 'INDEXES',
        }),
      );
      // byStatus: the entry moved (a delete and a put); byDay: removed; byTotal: entry unchanged (KEYS_ONLY).
      assert.deepEqual(updated.ConsumedCapacity, {
        TableName: 'shop',
        CapacityUnits: 4,
        Table: { CapacityUnits: 1 },
        GlobalSecondaryIndexes: { byStatus: { CapacityUnits: 2 }, byDay: { CapacityUnits: 1 } },
      });
      assert.deepEqual(keys((await openFirst()).Items), ['ann/o2']);
      const closed = await query({
        IndexName: 'byStatus',
        KeyConditionExpression: '#s = :s',
        ExpressionAttributeNames: { '#s': 'stage' },
        ExpressionAttributeValues: { ':s': s('CLOSED') },
      });
      assert.deepEqual(keys(closed.Items), ['dan/o1']);
      const thursday = await query({ IndexName: 'byDay', KeyConditionExpression: 'weekday = :d', ExpressionAttributeValues: { ':d': s('thu') } });
      assert.deepEqual(thursday.Items, []);

      await client.send(new DeleteItemCommand({ TableName: 'shop', Key: { pk: s('dan'), sk: s('o1') } }));
      const gone = await query({
        IndexName: 'byStatus',
        KeyConditionExpression: '#s = :s',
        ExpressionAttributeNames: { '#s': 'stage' },
        ExpressionAttributeValues: { ':s': s('CLOSED') },
      });
      assert.deepEqual(gone.Items, []);

      await client.send(
        new BatchWriteItemCommand({
          RequestItems: {
            shop: [
              { PutRequest: { Item: order('eve', 'o1', 'LOST', '1') } },
              { PutRequest: { Item: order('eve', 'o2', 'LOST', '2') } },
            ],
          },
        }),
      );
      const lost = await query({
        IndexName: 'byStatus',
        KeyConditionExpression: '#s = :s',
        ExpressionAttributeNames: { '#s': 'stage' },
        ExpressionAttributeValues: { ':s': s('LOST') },
      });
      assert.deepEqual(keys(lost.Items), ['eve/o1', 'eve/o2']);
      await client.send(
        new BatchWriteItemCommand({
          RequestItems: {
            shop: [{ DeleteRequest: { Key: { pk: s('eve'), sk: s('o1') } } }, { DeleteRequest: { Key: { pk: s('eve'), sk: s('o2') } } }],
          },
        }),
      );
      const { Table } = await client.send(new DescribeTableCommand({ TableName: 'shop' }));
      assert.deepEqual(
        Table?.GlobalSecondaryIndexes?.map((index) => index.ItemCount),
        [5, 5, 5],
      );
    });

    test('ReturnConsumedCapacity on a write counts each index written', async () => {
      const created = await client.send(
        new PutItemCommand({
          TableName: 'shop',
          Item: order('fay', 'o1', 'OPEN', '1', { weekday: s('fri'), memo: s('n') }),
          ReturnConsumedCapacity: 'INDEXES',
        }),
      );
      assert.deepEqual(created.ConsumedCapacity, {
        TableName: 'shop',
        CapacityUnits: 5,
        Table: { CapacityUnits: 1 },
        LocalSecondaryIndexes: { byTotal: { CapacityUnits: 1 }, byNote: { CapacityUnits: 1 } },
        GlobalSecondaryIndexes: { byStatus: { CapacityUnits: 1 }, byDay: { CapacityUnits: 1 } },
      });
      const total = await client.send(
        new PutItemCommand({
          TableName: 'shop',
          Item: order('fay', 'o1', 'OPEN', '1', { weekday: s('fri'), memo: s('n') }),
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      // Nothing an index holds changed: only the table write.
      assert.deepEqual(total.ConsumedCapacity, { TableName: 'shop', CapacityUnits: 1 });
      await client.send(new DeleteItemCommand({ TableName: 'shop', Key: { pk: s('fay'), sk: s('o1') } }));
    });

    test('ReturnItemCollectionMetrics on a table with LSIs, and the item collection limit', async () => {
      const result = await client.send(
        new PutItemCommand({
          TableName: 'shop',
          Item: order('gus', 'o1', 'OPEN', '1'),
          ReturnItemCollectionMetrics: 'SIZE',
        }),
      );
      assert.deepEqual(result.ItemCollectionMetrics, { ItemCollectionKey: { pk: s('gus') }, SizeEstimateRangeGB: [0, 1] });
      const batch = await client.send(
        new BatchWriteItemCommand({
          RequestItems: { shop: [{ PutRequest: { Item: order('gus', 'o2', 'OPEN', '2') } }] },
          ReturnItemCollectionMetrics: 'SIZE',
        }),
      );
      assert.deepEqual(batch.ItemCollectionMetrics, {
        shop: [{ ItemCollectionKey: { pk: s('gus') }, SizeEstimateRangeGB: [0, 1] }],
      });
      // The test server limits collections to 2,000 bytes: a partition's items plus their LSI entries.
      const big = order('gus', 'o3', 'OPEN', '3', { blob: s('x'.repeat(1900)) });
      await rejectsWith(put(big), 'ItemCollectionSizeLimitExceededException', 'Collection size exceeded.');
      // Other partitions are not affected, and a write that shrinks the collection is allowed.
      await put(order('hal', 'o1', 'OPEN', '1', { blob: s('x'.repeat(1500)) }));
      await client.send(new DeleteItemCommand({ TableName: 'shop', Key: { pk: s('hal'), sk: s('o1') } }));
      await put(order('hal', 'o1', 'OPEN', '1', { blob: s('x'.repeat(1500)) }));
    });

    test('index key values are checked on writes with DynamoDB messages, first index by name', async () => {
      await rejectsWith(
        put(order('ivy', 'o1', 'OPEN', undefined, { amt: s('x') })),
        'ValidationException',
        `${INVALID}Type mismatch for Index Key amt Expected: N Actual: S IndexName: byStatus`,
      );
      await rejectsWith(
        put(order('ivy', 'o1', undefined, undefined, { weekday: { L: [] } })),
        'ValidationException',
        `${INVALID}Type mismatch for Index Key weekday Expected: S Actual: L IndexName: byDay`,
      );
      await rejectsWith(
        put(order('ivy', 'o1', undefined, undefined, { memo: s('') })),
        'ValidationException',
        'One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: byNote, IndexKey: memo',
      );
      await rejectsWith(
        client.send(
          new UpdateItemCommand({
            TableName: 'shop',
            Key: { pk: s('ivy'), sk: s('o1') },
            UpdateExpression: 'SET #r = :e',
            ExpressionAttributeNames: { '#r': 'area' },
            ExpressionAttributeValues: { ':e': s('') },
          }),
        ),
        'ValidationException',
        'One or more parameter values are not valid. The update expression attempted to update a secondary index key to a value that is not supported. The AttributeValue for a key attribute cannot contain an empty string value.',
      );
      await rejectsWith(
        client.send(
          new UpdateItemCommand({
            TableName: 'shop',
            Key: { pk: s('ivy'), sk: s('o1') },
            UpdateExpression: 'ADD #s :one',
            ExpressionAttributeNames: { '#s': 'stage' },
            ExpressionAttributeValues: { ':one': n('1') },
          }),
        ),
        'ValidationException',
        `${INVALID}Type mismatch for Index Key stage Expected: S Actual: N IndexName: byStatus`,
      );
      await rejectsWith(
        client.send(
          new BatchWriteItemCommand({
            RequestItems: {
              shop: [
                { PutRequest: { Item: order('ivy', 'o2', 'OPEN', '1') } },
                { PutRequest: { Item: order('ivy', 'o3', 'OPEN', undefined, { amt: { BOOL: true } }) } },
              ],
            },
          }),
        ),
        'ValidationException',
        `${INVALID}Type mismatch for Index Key amt Expected: N Actual: BOOL IndexName: byStatus`,
      );
      // Nothing of the refused writes was stored.
      const ivy = await query({ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': s('ivy') } });
      assert.deepEqual(ivy.Items, []);
    });

    test('a page on an index is 1 MB of projected entries, not of the items they stand for', async () => {
      const composite = compositeKeyTable('big');
      await client.send(
        new CreateTableCommand({
          ...composite,
          ProvisionedThroughput: undefined,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [...(composite.AttributeDefinitions ?? []), { AttributeName: 'g', AttributeType: 'S' }],
          GlobalSecondaryIndexes: [
            { IndexName: 'thin', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
            { IndexName: 'fat', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } },
          ],
        }),
      );
      const blob = 'x'.repeat(200 * 1024);
      for (let i = 0; i < 12; i++) await put({ pk: s('p'), sk: n(String(i)), g: s('all'), blob: s(blob) }, 'big');
      const thin = await client.send(
        new QueryCommand({ TableName: 'big', IndexName: 'thin', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': s('all') } }),
      );
      assert.deepEqual([thin.Count, thin.LastEvaluatedKey], [12, undefined]);
      // The same items through an ALL projection: 200 KB each, so the page stops at the item that crosses 1 MB.
      const fat = await client.send(
        new QueryCommand({ TableName: 'big', IndexName: 'fat', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': s('all') } }),
      );
      assert.equal(fat.Count, 6);
      assert.deepEqual(fat.LastEvaluatedKey, { pk: s('p'), sk: n('5'), g: s('all') });
    });

    test('reads of an index are checked with DynamoDB messages', async () => {
      const cases: [Omit<QueryCommandInput, 'TableName'>, string][] = [
        [
          { IndexName: 'nope', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': s('a') } },
          'The table does not have the specified index: nope',
        ],
        [
          { IndexName: 'byDay', ConsistentRead: true, KeyConditionExpression: 'weekday = :d', ExpressionAttributeValues: { ':d': s('a') } },
          'Consistent reads are not supported on global secondary indexes',
        ],
        [
          { IndexName: 'byDay', Select: 'ALL_ATTRIBUTES', KeyConditionExpression: 'weekday = :d', ExpressionAttributeValues: { ':d': s('a') } },
          `${INVALID}Select type ALL_ATTRIBUTES is not supported for global secondary index byDay because its projection type is not ALL`,
        ],
        [
          {
            IndexName: 'byDay',
            ProjectionExpression: 'amt, memo, area',
            KeyConditionExpression: 'weekday = :d',
            ExpressionAttributeValues: { ':d': s('a') },
          },
          `${INVALID}Global secondary index byDay does not project [memo, area]`,
        ],
        [
          {
            IndexName: 'byDay',
            FilterExpression: 'memo = :n',
            KeyConditionExpression: 'weekday = :d',
            ExpressionAttributeValues: { ':d': s('a'), ':n': s('b') },
          },
          `${INVALID}Secondary index byDay does not project one or more filter attributes: [memo]`,
        ],
        [
          { IndexName: 'byDay', KeyConditionExpression: 'pk = :d', ExpressionAttributeValues: { ':d': s('a') } },
          'Query condition missed key schema element: weekday',
        ],
        [
          {
            IndexName: 'byStatus',
            KeyConditionExpression: '#s = :s AND amt > :t',
            FilterExpression: 'amt < :t',
            ExpressionAttributeNames: { '#s': 'stage' },
            ExpressionAttributeValues: { ':s': s('a'), ':t': n('1') },
          },
          'Filter Expression can only contain non-primary key attributes: Primary key attribute: amt',
        ],
        [
          {
            IndexName: 'byStatus',
            KeyConditionExpression: '#s = :s',
            ExpressionAttributeNames: { '#s': 'stage' },
            ExpressionAttributeValues: { ':s': s('a') },
            ExclusiveStartKey: { pk: s('a'), sk: s('b') },
          },
          'The provided starting key is invalid',
        ],
      ];
      for (const [input, message] of cases) {
        await rejectsWith(query(input), 'ValidationException', message);
      }
      await rejectsWith(
        scan({ IndexName: 'all', ConsistentRead: true }),
        'ValidationException',
        'Consistent reads are not supported on global secondary indexes',
      );
      await rejectsWith(
        scan({ IndexName: 'nope' }),
        'ValidationException',
        'The table does not have the specified index: nope',
      );
    });
  });
}

describe('CreateTable with indexes', () => {
  before(async () => {
    cairn = await startCairn({ inMemory: true });
    client = cairn.client;
  });
  after(() => cairn.close());

  test('refuses a provisioned GSI without throughput and unused attribute definitions', async () => {
    await rejectsWith(
      client.send(
        new CreateTableCommand({
          ...SHOP,
          TableName: 'prov1',
          BillingMode: 'PROVISIONED',
          ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
          LocalSecondaryIndexes: undefined,
        }),
      ),
      'ValidationException',
      `${INVALID}ProvisionedThroughput must be specified for index: byStatus`,
    );
    await rejectsWith(
      client.send(new CreateTableCommand({ ...SHOP, TableName: 'prov2', LocalSecondaryIndexes: undefined })),
      'ValidationException',
      `${INVALID}Some AttributeDefinitions are not used. AttributeDefinitions: [pk, sk, stage, amt, weekday, area, memo], keys used: [pk, sk, stage, amt, weekday, area]`,
    );
  });
});
