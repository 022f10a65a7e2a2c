/**
 * Query and Scan pages without a filter or projection are answered with the items' stored JSON spliced into the
 * response (src/api/read-page.ts). These tests pin the bytes of such answers: the members and their order are
 * those of a page built and serialized as an object (Count, Items, LastEvaluatedKey, ScannedCount,
 * ConsumedCapacity), over items in LMDB and items only in the write-ahead log (replaced and deleted since), on a
 * plain and on an encrypted store, and on a global secondary index, whose entries are sized by decoding them.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateTableCommand, DeleteItemCommand, PutItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { startCairn, type Cairn } from '../helpers/cairn.js';
import { compositeKeyTable } from '../helpers/tables.js';

const ITEMS: Record<string, AttributeValue>[] = [
  { pk: { S: 'p' }, sk: { N: '1' }, text: { S: 'one' } },
  { pk: { S: 'p' }, sk: { N: '2' }, text: { S: 'deux "2" \u00e9\u{1F600}' }, g: { S: 'x' } },
  { pk: { S: 'p' }, sk: { N: '3' }, text: { S: 'three' }, g: { S: 'x' } },
  { pk: { S: 'p' }, sk: { N: '4' }, text: { S: 'four' } },
  { pk: { S: 'q' }, sk: { N: '1' }, list: { L: [{ N: '1.5' }, { BOOL: true }, { NULL: true }] } },
];

for (const encrypted of [false, true]) {
  describe(`Query and Scan pages spliced from stored items${encrypted ? ' (encrypted at rest)' : ''}`, () => {
    let cairn: Cairn;

    before(async () => {
      cairn = await startCairn(encrypted ? { encryption: { key: Buffer.alloc(32, 7) } } : {});
      await cairn.client.send(
        new CreateTableCommand({
          ...compositeKeyTable('pages'),
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'sk', AttributeType: 'N' },
            { AttributeName: 'g', AttributeType: 'S' },
          ],
          GlobalSecondaryIndexes: [
            {
              IndexName: 'byG',
              KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
              Projection: { ProjectionType: 'KEYS_ONLY' },
              ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
            },
          ],
        }),
      );
      for (const item of ITEMS) await cairn.client.send(new PutItemCommand({ TableName: 'pages', Item: item }));
      // A replaced item and a deleted one, most likely still only in the log when the pages are read.
      await cairn.client.send(new PutItemCommand({ TableName: 'pages', Item: { pk: { S: 'p' }, sk: { N: '1' }, text: { S: 'one, again' } } }));
      await cairn.client.send(new DeleteItemCommand({ TableName: 'pages', Key: { pk: { S: 'p' }, sk: { N: '4' } } }));
    });

    after(() => cairn.close());

    const query = async (body: object): Promise<string> => {
      const response = await cairn.raw('DynamoDB_20120810.Query', { TableName: 'pages', ...body });
      assert.equal(response.status, 200, response.bytes.toString());
      return response.bytes.toString('utf8');
    };

    test('a page cut by Limit: items as stored, LastEvaluatedKey, ScannedCount, ConsumedCapacity', async () => {
      const text = await query({
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': { S: 'p' } },
        Limit: 2,
        ReturnConsumedCapacity: 'TOTAL',
      });
      assert.equal(
        text,
        '{"Count":2,"Items":[{"pk":{"S":"p"},"sk":{"N":"1"},"text":{"S":"one, again"}},' +
          '{"pk":{"S":"p"},"sk":{"N":"2"},"text":{"S":"deux \\"2\\" \u00e9\u{1F600}"},"g":{"S":"x"}}],' +
          '"LastEvaluatedKey":{"pk":{"S":"p"},"sk":{"N":"2"}},"ScannedCount":2,' +
          '"ConsumedCapacity":{"TableName":"pages","CapacityUnits":0.5}}',
      );
    });

    test('a whole partition in reverse: no LastEvaluatedKey, the deleted item gone', async () => {
      const text = await query({ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } }, ScanIndexForward: false });
      assert.equal(
        text,
        '{"Count":3,"Items":[{"pk":{"S":"p"},"sk":{"N":"3"},"text":{"S":"three"},"g":{"S":"x"}},' +
          '{"pk":{"S":"p"},"sk":{"N":"2"},"text":{"S":"deux \\"2\\" \u00e9\u{1F600}"},"g":{"S":"x"}},' +
          '{"pk":{"S":"p"},"sk":{"N":"1"},"text":{"S":"one, again"}}],"ScannedCount":3}',
      );
    });

    test('an empty partition', async () => {
      assert.equal(await query({ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'none' } } }), '{"Count":0,"Items":[],"ScannedCount":0}');
    });

    test('a global secondary index (entries without a size tag), with ConsumedCapacity INDEXES', async () => {
      const text = await query({
        IndexName: 'byG',
        KeyConditionExpression: 'g = :g',
        ExpressionAttributeValues: { ':g': { S: 'x' } },
        Limit: 1,
        ReturnConsumedCapacity: 'INDEXES',
      });
      assert.equal(
        text,
        '{"Count":1,"Items":[{"pk":{"S":"p"},"sk":{"N":"2"},"g":{"S":"x"}}],' +
          '"LastEvaluatedKey":{"pk":{"S":"p"},"sk":{"N":"2"},"g":{"S":"x"}},"ScannedCount":1,' +
          '"ConsumedCapacity":{"TableName":"pages","CapacityUnits":0.5,"Table":{"CapacityUnits":0},' +
          '"GlobalSecondaryIndexes":{"byG":{"CapacityUnits":0.5}}}}',
      );
    });

    test('a Scan answers the same items as a Scan whose filter keeps them all (the decoded path)', async () => {
      const spliced = await cairn.raw('DynamoDB_20120810.Scan', { TableName: 'pages' });
      const decoded = await cairn.raw('DynamoDB_20120810.Scan', { TableName: 'pages', FilterExpression: 'attribute_exists(pk)' });
      assert.equal(spliced.status, 200);
      assert.equal(spliced.bytes.toString('utf8'), decoded.bytes.toString('utf8'));
      assert.equal((spliced.body as { Count: number }).Count, 4);
    });

    // Last: it adds a partition the Scan above would count. The members after the items are written as UTF-8 into
    // the answer the items were copied into; a LastEvaluatedKey outside ASCII must come out whole.
    test('a LastEvaluatedKey outside ASCII, after the items', async () => {
      const pk = 'cl\u00e9 \u{1F511}';
      for (const sk of ['1', '2']) await cairn.client.send(new PutItemCommand({ TableName: 'pages', Item: { pk: { S: pk }, sk: { N: sk } } }));
      const text = await query({ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: pk } }, Limit: 1 });
      assert.equal(
        text,
        `{"Count":1,"Items":[{"pk":{"S":"${pk}"},"sk":{"N":"1"}}],"LastEvaluatedKey":{"pk":{"S":"${pk}"},"sk":{"N":"1"}},"ScannedCount":1}`,
      );
    });
  });
}
