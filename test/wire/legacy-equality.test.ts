/**
 * The legacy EQ and NE operators accept every attribute type, documents included ("EQ is supported for all data
 * types, including lists and maps"), in QueryFilter, ScanFilter and Expected, with exact equality: lists element
 * by element in order, maps key by key in any key order, sets in any order.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTableCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { startCairn, type Cairn } from '../helpers/cairn.js';
import { INVALID, rejectsWith } from '../helpers/assertions.js';
import { compositeKeyTable } from '../helpers/tables.js';

const TABLE = 'legacy_equality';
let cairn: Cairn;
let client: DynamoDBClient;

const DOC: AttributeValue = { M: { b: { L: [{ N: '1' }, { S: 'x' }] }, a: { SS: ['p', 'q'] } } };
/** The same document, keys and set members in another order. */
const SAME_DOC: AttributeValue = { M: { a: { SS: ['q', 'p'] }, b: { L: [{ N: '1' }, { S: 'x' }] } } };

describe('legacy EQ / NE on every attribute type', () => {
  before(async () => {
    cairn = await startCairn({ inMemory: true });
    client = cairn.client;
    await client.send(new CreateTableCommand(compositeKeyTable(TABLE)));
    const items: Record<string, AttributeValue>[] = [
      { pk: { S: 'p' }, sk: { N: '1' }, d: DOC, l: { L: [{ N: '1' }, { N: '2' }] }, t: { BOOL: true }, z: { NULL: true } },
      { pk: { S: 'p' }, sk: { N: '2' }, d: { M: { b: { L: [{ N: '1' }] } } }, l: { L: [{ N: '2' }, { N: '1' }] }, t: { BOOL: false } },
      { pk: { S: 'p' }, sk: { N: '3' } },
    ];
    for (const item of items) await client.send(new PutItemCommand({ TableName: TABLE, Item: item }));
  });
  after(async () => {
    await cairn.close();
  });

  const sortKeys = (items: Record<string, AttributeValue>[] | undefined) => (items ?? []).map((item) => item.sk?.N);

  test('QueryFilter EQ / NE on M, L, BOOL and NULL', async () => {
    const query = async (filter: Record<string, { ComparisonOperator: 'EQ' | 'NE'; AttributeValueList: AttributeValue[] }>) =>
      sortKeys(
        (
          await client.send(
            new QueryCommand({
              TableName: TABLE,
              KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'p' }] } },
              QueryFilter: filter,
            }),
          )
        ).Items,
      );
    assert.deepEqual(await query({ d: { ComparisonOperator: 'EQ', AttributeValueList: [SAME_DOC] } }), ['1']);
    assert.deepEqual(await query({ d: { ComparisonOperator: 'NE', AttributeValueList: [SAME_DOC] } }), ['2', '3']);
    assert.deepEqual(await query({ l: { ComparisonOperator: 'EQ', AttributeValueList: [{ L: [{ N: '2' }, { N: '1' }] }] } }), ['2']);
    assert.deepEqual(await query({ t: { ComparisonOperator: 'EQ', AttributeValueList: [{ BOOL: true }] } }), ['1']);
    assert.deepEqual(await query({ t: { ComparisonOperator: 'NE', AttributeValueList: [{ BOOL: true }] } }), ['2', '3']);
    assert.deepEqual(await query({ z: { ComparisonOperator: 'EQ', AttributeValueList: [{ NULL: true }] } }), ['1']);
  });

  test('ScanFilter EQ / NE on M and L', async () => {
    const scan = async (filter: Record<string, { ComparisonOperator: 'EQ' | 'NE'; AttributeValueList: AttributeValue[] }>) =>
      sortKeys((await client.send(new ScanCommand({ TableName: TABLE, ScanFilter: filter }))).Items).sort();
    assert.deepEqual(await scan({ d: { ComparisonOperator: 'EQ', AttributeValueList: [SAME_DOC] } }), ['1']);
    assert.deepEqual(await scan({ l: { ComparisonOperator: 'NE', AttributeValueList: [{ L: [{ N: '1' }, { N: '2' }] }] } }), ['2', '3']);
    assert.deepEqual(await scan({ z: { ComparisonOperator: 'NE', AttributeValueList: [{ NULL: true }] } }), ['2', '3']);
  });

  test('Expected EQ / NE on documents guards a write', async () => {
    const guarded = (expected: Record<string, { ComparisonOperator: 'EQ' | 'NE'; AttributeValueList: AttributeValue[] }>) =>
      client.send(
        new UpdateItemCommand({
          TableName: TABLE,
          Key: { pk: { S: 'p' }, sk: { N: '1' } },
          AttributeUpdates: { seen: { Action: 'ADD', Value: { N: '1' } } },
          Expected: expected,
          ReturnValues: 'UPDATED_NEW',
        }),
      );
    assert.deepEqual((await guarded({ d: { ComparisonOperator: 'EQ', AttributeValueList: [SAME_DOC] } })).Attributes, { seen: { N: '1' } });
    assert.deepEqual((await guarded({ t: { ComparisonOperator: 'NE', AttributeValueList: [{ BOOL: false }] } })).Attributes, { seen: { N: '2' } });
    await rejectsWith(
      guarded({ l: { ComparisonOperator: 'EQ', AttributeValueList: [{ L: [{ N: '2' }, { N: '1' }] }] } }),
      'ConditionalCheckFailedException',
      'The conditional request failed',
    );
    // The other operators keep their type rules.
    await rejectsWith(
      guarded({ d: { ComparisonOperator: 'LT' as 'EQ', AttributeValueList: [DOC] } }),
      'ValidationException',
      `${INVALID}ComparisonOperator LT is not valid for M AttributeValue type`,
    );
  });
});
