import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AUTHORIZATION,
  awsHeaders,
  BATCH_KEY_SPACE,
  BATCH_WRITE_SIZE,
  batchWriteBody,
  bodyPoolShape,
  buildItem,
  buildSortedItem,
  distinctIndexes,
  PARTITION_ITEMS,
  partitionKeyOf,
  QUERY_LIMIT,
  QUERY_PARTITIONS,
  QUERY_TABLE_NAME,
  queryBody,
  scenarioOperation,
  sortedItemAt,
  createRandom,
  getItemBody,
  ITEM_JSON_BYTES,
  itemsWrittenPerRequest,
  scenarioUnsupportedBy,
  TRANSACTION_SIZES,
  transactPutBody,
  keyOf,
  PRELOADED_ITEMS,
  PUT_KEY_SPACE,
  putItemBody,
  scenarioBodies,
  TABLE_NAME,
  updateItemBody,
} from './wire.js';

describe('awsHeaders', () => {
  it('builds an AWS JSON 1.0 request with a credential scope', () => {
    assert.deepEqual(awsHeaders('GetItem'), {
      'x-amz-target': 'DynamoDB_20120810.GetItem',
      'content-type': 'application/x-amz-json-1.0',
      authorization: AUTHORIZATION,
      'x-amz-date': '20260101T000000Z',
    });
    assert.match(AUTHORIZATION, /^AWS4-HMAC-SHA256 Credential=AKID\/20260101\/us-east-1\/dynamodb\/aws4_request, /);
  });
});

describe('buildItem', () => {
  for (const index of [0, 1, 9_999, 99_999]) {
    it(`item ${index} is exactly ${ITEM_JSON_BYTES} bytes of JSON`, () => {
      assert.equal(Buffer.byteLength(JSON.stringify(buildItem(index))), ITEM_JSON_BYTES);
    });
  }
  it('carries its key and the counter UpdateItem increments', () => {
    const item = buildItem(42);
    assert.deepEqual(item['pk'], { S: 'user#0000042' });
    assert.deepEqual(item['c'], { N: '0' });
  });
  it('is deterministic per index and differs between indexes', () => {
    assert.deepEqual(buildItem(7), buildItem(7));
    assert.notDeepEqual(buildItem(7)['payload'], buildItem(8)['payload']);
  });
});

describe('request bodies', () => {
  it('GetItem asks for one key', () => {
    assert.deepEqual(JSON.parse(getItemBody(3)), { TableName: TABLE_NAME, Key: { pk: { S: keyOf(3) } } });
  });
  it('PutItem sends the whole item', () => {
    assert.deepEqual(JSON.parse(putItemBody(3)), { TableName: TABLE_NAME, Item: buildItem(3) });
  });
  it('UpdateItem increments the counter through a placeholder', () => {
    assert.deepEqual(JSON.parse(updateItemBody(3)), {
      TableName: TABLE_NAME,
      Key: { pk: { S: 'user#0000003' } },
      UpdateExpression: 'SET #c = #c + :one',
      ExpressionAttributeNames: { '#c': 'c' },
      ExpressionAttributeValues: { ':one': { N: '1' } },
    });
  });
});

describe('scenarioBodies', () => {
  const keyIndex = (body: string): number => {
    const parsed = JSON.parse(body) as { Key?: { pk: { S: string } }; Item?: { pk: { S: string } } };
    const key = parsed.Key?.pk.S ?? parsed.Item?.pk.S ?? '';
    return Number(key.slice('user#'.length));
  };
  it('GetItem and UpdateItem keys stay among the preloaded items; PutItem keys spread wider', () => {
    const gets = scenarioBodies('GetItem', 500, createRandom(1)).map(keyIndex);
    const updates = scenarioBodies('UpdateItem', 500, createRandom(2)).map(keyIndex);
    const puts = scenarioBodies('PutItem', 500, createRandom(3)).map(keyIndex);
    assert.ok(gets.every((index) => index >= 0 && index < PRELOADED_ITEMS));
    assert.ok(updates.every((index) => index >= 0 && index < PRELOADED_ITEMS));
    assert.ok(puts.every((index) => index >= 0 && index < PUT_KEY_SPACE));
    assert.ok(puts.some((index) => index >= PRELOADED_ITEMS), 'most put keys are new items');
    assert.ok(new Set(gets).size > 450, 'keys are random, not repeated');
  });
  it('is reproducible from the seed', () => {
    assert.deepEqual(scenarioBodies('GetItem', 20, createRandom(9)), scenarioBodies('GetItem', 20, createRandom(9)));
  });
});

describe('createRandom', () => {
  it('stays in [0, 1)', () => {
    const random = createRandom(123);
    for (let i = 0; i < 10_000; i++) {
      const value = random();
      assert.ok(value >= 0 && value < 1);
    }
  });
});

describe('composite-key items', () => {
  for (const [partition, sort] of [[0, 0], [0, 49], [199, 7], [19_999, 49]] as const) {
    it(`item ${sort} of partition ${partition} is exactly ${ITEM_JSON_BYTES} bytes of JSON`, () => {
      assert.equal(Buffer.byteLength(JSON.stringify(buildSortedItem(partition, sort))), ITEM_JSON_BYTES);
    });
  }
  it('carries its partition and sort keys, partition-major by index', () => {
    const item = sortedItemAt(2 * PARTITION_ITEMS + 3);
    assert.deepEqual(item['pk'], { S: partitionKeyOf(2) });
    assert.deepEqual(item['sk'], { N: '3' });
    assert.equal(partitionKeyOf(2), 'part#0000002');
    assert.deepEqual(sortedItemAt(2 * PARTITION_ITEMS + 3), buildSortedItem(2, 3));
    assert.notDeepEqual(buildSortedItem(2, 3)['payload'], buildSortedItem(2, 4)['payload']);
  });
});

describe('Query and BatchWriteItem bodies', () => {
  it('Query asks for one page of a partition; the reverse one says ScanIndexForward false', () => {
    assert.deepEqual(JSON.parse(queryBody(5, true)), {
      TableName: QUERY_TABLE_NAME,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: 'part#0000005' } },
      Limit: QUERY_LIMIT,
    });
    assert.equal((JSON.parse(queryBody(5, false, 'other')) as { ScanIndexForward: unknown }).ScanIndexForward, false);
    assert.equal((JSON.parse(queryBody(5, false, 'other')) as { TableName: unknown }).TableName, 'other');
  });
  it('BatchWriteItem wraps each item in a PutRequest', () => {
    assert.deepEqual(JSON.parse(batchWriteBody('t', [buildItem(1), buildItem(2)])), {
      RequestItems: { t: [{ PutRequest: { Item: buildItem(1) } }, { PutRequest: { Item: buildItem(2) } }] },
    });
  });
  it('the scenario pools: random partitions, reverse flag, 25 distinct keys past the preloaded items', () => {
    const queries = scenarioBodies('Query', 300, createRandom(4)).map(
      (body) => JSON.parse(body) as { ExpressionAttributeValues: { ':pk': { S: string } }; ScanIndexForward?: boolean },
    );
    const partitions = queries.map((query) => Number(query.ExpressionAttributeValues[':pk'].S.slice('part#'.length)));
    assert.ok(partitions.every((partition) => partition >= 0 && partition < QUERY_PARTITIONS));
    assert.ok(new Set(partitions).size > 100);
    assert.ok(queries.every((query) => query.ScanIndexForward === undefined));
    const reverse = scenarioBodies('QueryReverse', 10, createRandom(5)).map((body) => JSON.parse(body) as { ScanIndexForward?: boolean });
    assert.ok(reverse.every((query) => query.ScanIndexForward === false));
    for (const body of scenarioBodies('BatchWriteItem', 5, createRandom(6))) {
      const puts = (JSON.parse(body) as { RequestItems: Record<string, { PutRequest: { Item: { pk: { S: string } } } }[]> })
        .RequestItems[TABLE_NAME];
      assert.equal(puts?.length, BATCH_WRITE_SIZE);
      const keys = (puts ?? []).map((put) => Number(put.PutRequest.Item.pk.S.slice('user#'.length)));
      assert.equal(new Set(keys).size, BATCH_WRITE_SIZE, 'keys are distinct within a batch');
      assert.ok(keys.every((key) => key >= PRELOADED_ITEMS && key < PRELOADED_ITEMS + BATCH_KEY_SPACE));
    }
  });
  it('QueryReverse is sent as a Query; batches get a short window per connection', () => {
    assert.equal(scenarioOperation('QueryReverse'), 'Query');
    assert.equal(scenarioOperation('BatchWriteItem'), 'BatchWriteItem');
    assert.deepEqual(bodyPoolShape('BatchWriteItem'), { poolSize: 1024, sequenceLength: 16 });
    assert.deepEqual(bodyPoolShape('Query'), { poolSize: 4096, sequenceLength: 256 });
  });
});

describe('TransactWriteItems bodies', () => {
  it('wraps each item in a Put on the table, nothing else', () => {
    assert.deepEqual(JSON.parse(transactPutBody('t', [buildItem(1), buildItem(2)])), {
      TransactItems: [{ Put: { TableName: 't', Item: buildItem(1) } }, { Put: { TableName: 't', Item: buildItem(2) } }],
    });
  });
  for (const scenario of ['TransactWriteItems2', 'TransactWriteItems10'] as const) {
    it(`${scenario}: ${TRANSACTION_SIZES[scenario]} Puts of PutItem's items, distinct keys over PutItem's key space`, () => {
      const bodies = scenarioBodies(scenario, 200, createRandom(11));
      const everyKey: number[] = [];
      for (const body of bodies) {
        const actions = (JSON.parse(body) as { TransactItems: { Put: { TableName: string; Item: { pk: { S: string } } } }[] }).TransactItems;
        assert.equal(actions.length, TRANSACTION_SIZES[scenario]);
        const keys = actions.map((action) => Number(action.Put.Item.pk.S.slice('user#'.length)));
        assert.equal(new Set(keys).size, keys.length, 'two actions on one item would be refused');
        assert.ok(keys.every((key) => key >= 0 && key < PUT_KEY_SPACE));
        for (const action of actions) {
          assert.equal(action.Put.TableName, TABLE_NAME);
          const index = Number(action.Put.Item.pk.S.slice('user#'.length));
          assert.deepEqual(action.Put.Item, buildItem(index), 'the very item PutItem would send');
        }
        everyKey.push(...keys);
      }
      assert.ok(new Set(everyKey).size > everyKey.length * 0.8, 'keys are random');
    });
  }
  it('is sent as TransactWriteItems, with a window per connection that fits its size', () => {
    assert.equal(scenarioOperation('TransactWriteItems2'), 'TransactWriteItems');
    assert.equal(scenarioOperation('TransactWriteItems10'), 'TransactWriteItems');
    assert.equal(scenarioOperation('PutItem'), 'PutItem');
    assert.deepEqual(bodyPoolShape('TransactWriteItems10'), { poolSize: 1024, sequenceLength: 16 });
    assert.deepEqual(bodyPoolShape('TransactWriteItems2'), { poolSize: 2048, sequenceLength: 128 });
  });
  it('counts the items each scenario writes per request', () => {
    assert.equal(itemsWrittenPerRequest('PutItem'), 1);
    assert.equal(itemsWrittenPerRequest('BatchWriteItem'), BATCH_WRITE_SIZE);
    assert.equal(itemsWrittenPerRequest('TransactWriteItems2'), 2);
    assert.equal(itemsWrittenPerRequest('TransactWriteItems10'), 10);
    assert.equal(itemsWrittenPerRequest('GetItem'), 0);
  });
  it('dynalite lacks transactions; every other pairing is supported', () => {
    assert.equal(scenarioUnsupportedBy('TransactWriteItems2', 'dynalite'), 'dynalite has no transactions');
    assert.equal(scenarioUnsupportedBy('TransactWriteItems10', 'dynalite'), 'dynalite has no transactions');
    assert.equal(scenarioUnsupportedBy('TransactWriteItems2', 'cairn'), undefined);
    assert.equal(scenarioUnsupportedBy('TransactWriteItems2', 'dynamodb-local'), undefined);
    assert.equal(scenarioUnsupportedBy('PutItem', 'dynalite'), undefined);
  });
});

describe('distinctIndexes', () => {
  it('draws distinct values in range, even when the range is barely large enough', () => {
    const many = distinctIndexes(createRandom(7), 25, 1_000_000);
    assert.equal(new Set(many).size, 25);
    const all = distinctIndexes(createRandom(8), 5, 5);
    assert.deepEqual([...all].sort(), [0, 1, 2, 3, 4]);
    assert.throws(() => distinctIndexes(createRandom(9), 6, 5), /cannot draw 6 distinct values below 5/);
  });
});
