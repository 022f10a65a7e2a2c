import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AUTHORIZATION,
  awsHeaders,
  buildItem,
  createRandom,
  getItemBody,
  ITEM_JSON_BYTES,
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
