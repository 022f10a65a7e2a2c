/**
 * Expression checks DynamoDB makes before reading any item: operand types of the ordering operators (a `:value`
 * whose type cannot be ordered is a ValidationException, while a stored value of such a type only makes the
 * condition false), and the limit of 300 operators per expression.
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
import { rejectsWith } from '../helpers/assertions.js';
import { compositeKeyTable, hashKeyTable } from '../helpers/tables.js';

const HASH = 'limits_hash';
const COMPOSITE = 'limits_composite';
let cairn: Cairn;
let client: DynamoDBClient;

const operandType = (kind: string, operator: string, type: string) =>
  `Invalid ${kind}: Incorrect operand type for operator or function; operator or function: ${operator}, operand type: ${type}`;
const tooMany = (kind: string) => `Invalid ${kind}: The expression contains too many operators; operator count: 301`;

/** `a<b or (a<b or (...))`: 2 * depth + 1 operators. */
const nestedOr = (depth: number) => `a<b ${'or (a<b '.repeat(depth)}${')'.repeat(depth)}`;

describe('expression operand types and operator limits', () => {
  before(async () => {
    cairn = await startCairn({ inMemory: true });
    client = cairn.client;
    await client.send(new CreateTableCommand(hashKeyTable(HASH)));
    await client.send(new CreateTableCommand(compositeKeyTable(COMPOSITE)));
    await client.send(
      new PutItemCommand({ TableName: HASH, Item: { id: { S: 'x' }, a: { N: '1' }, b: { N: '2' }, l: { L: [{ N: '1' }] } } }),
    );
    await client.send(new PutItemCommand({ TableName: COMPOSITE, Item: { pk: { S: 'p' }, sk: { N: '1' }, l: { L: [] } } }));
  });
  after(async () => {
    await cairn.close();
  });

  const condition = (expression: string, values?: Record<string, AttributeValue>) =>
    client.send(
      new UpdateItemCommand({
        TableName: HASH,
        Key: { id: { S: 'x' } },
        UpdateExpression: 'SET z = :z',
        ConditionExpression: expression,
        ExpressionAttributeValues: { ':z': { N: '0' }, ...values },
      }),
    );

  test('an ordering comparison with a list, map, set, BOOL or NULL value is refused before anything is read', async () => {
    const cases: [string, AttributeValue, string, string][] = [
      ['a < :v', { L: [{ N: '1' }] }, '<', 'L'],
      [':v >= a', { M: {} }, '>=', 'M'],
      ['a <= :v', { SS: ['x'] }, '<=', 'SS'],
      ['a > :v', { BOOL: true }, '>', 'BOOL'],
      ['a BETWEEN :v AND :v', { NULL: true }, 'BETWEEN', 'NULL'],
      ['a BETWEEN :w AND :v', { NS: ['1'] }, 'BETWEEN', 'NS'],
    ];
    for (const [expression, value, operator, type] of cases) {
      await rejectsWith(
        condition(expression, { ':v': value, ...(expression.includes(':w') ? { ':w': { N: '0' } } : {}) }),
        'ValidationException',
        operandType('ConditionExpression', operator, type),
      );
    }
    // The same in a filter, on an item that does not even exist.
    await rejectsWith(
      client.send(new ScanCommand({ TableName: HASH, FilterExpression: 'b < :v', ExpressionAttributeValues: { ':v': { L: [] } } })),
      'ValidationException',
      operandType('FilterExpression', '<', 'L'),
    );
    await rejectsWith(
      client.send(
        new QueryCommand({
          TableName: COMPOSITE,
          KeyConditionExpression: 'pk = :p AND sk < :v',
          ExpressionAttributeValues: { ':p': { S: 'p' }, ':v': { M: {} } },
        }),
      ),
      'ValidationException',
      operandType('KeyConditionExpression', '<', 'M'),
    );
  });

  test('equality takes any type, and a stored value that cannot be ordered just fails the condition', async () => {
    await condition('l = :v', { ':v': { L: [{ N: '1' }] } });
    await rejectsWith(condition('l < :v', { ':v': { N: '5' } }), 'ConditionalCheckFailedException', 'The conditional request failed');
    await rejectsWith(condition('a < l'), 'ConditionalCheckFailedException', 'The conditional request failed');
    const scanned = await client.send(
      new ScanCommand({ TableName: HASH, FilterExpression: 'l > :v', ExpressionAttributeValues: { ':v': { N: '0' } } }),
    );
    assert.equal(scanned.Count, 0);
  });

  test('300 operators pass; the 301st is refused, counting comparisons, AND, OR, NOT, BETWEEN, IN and + / -', async () => {
    // 149 levels: 299 operators.
    await condition(nestedOr(149));
    await rejectsWith(condition(nestedOr(150)), 'ValidationException', tooMany('ConditionExpression'));
    // DynamoDB stops counting at the first operator past the limit: the message says 301 whatever the total.
    await rejectsWith(condition(nestedOr(454)), 'ValidationException', tooMany('ConditionExpression'));
    await rejectsWith(condition(`${'NOT '.repeat(300)}a<b`), 'ValidationException', tooMany('ConditionExpression'));
    await condition(`${'NOT '.repeat(298)}a<b`);
    // 100 BETWEENs and 100 INs joined by 99 + 100 ANDs: 399.
    const mixed = [
      ...Array.from({ length: 100 }, () => 'a BETWEEN a AND b'),
      ...Array.from({ length: 101 }, () => 'a IN (b)'),
    ].join(' AND ');
    await rejectsWith(
      client.send(new ScanCommand({ TableName: HASH, FilterExpression: mixed })),
      'ValidationException',
      tooMany('FilterExpression'),
    );
    // Function calls do not count: 301 size() calls in 151 comparisons and 150 ANDs is 301 operators, not 602.
    const sizes = Array.from({ length: 150 }, () => 'size(a) > size(b)').join(' AND ');
    await rejectsWith(condition(`${sizes} AND a > b`), 'ValidationException', tooMany('ConditionExpression'));
    const fine = await client.send(new ScanCommand({ TableName: HASH, FilterExpression: `${sizes}` }));
    assert.equal(fine.Count, 0);
    // Update expressions: each + and - counts.
    const values = { ':v': { N: '1' } };
    const sets = (count: number) => `SET ${Array.from({ length: count }, (_, i) => `x${i}=:v+:v`).join(',')}`;
    await client.send(new UpdateItemCommand({ TableName: HASH, Key: { id: { S: 'x' } }, UpdateExpression: sets(300), ExpressionAttributeValues: values }));
    await rejectsWith(
      client.send(new UpdateItemCommand({ TableName: HASH, Key: { id: { S: 'x' } }, UpdateExpression: sets(301), ExpressionAttributeValues: values })),
      'ValidationException',
      tooMany('UpdateExpression'),
    );
  });
  test('an IN comparator takes at most 100 operands, in conditions and filters alike', async () => {
    const values = (count: number) => {
      const out: Record<string, AttributeValue> = {};
      for (let i = 0; i < count; i++) out[`:v${i}`] = { N: String(i) };
      return out;
    };
    const list = (count: number) => Array.from({ length: count }, (_, i) => `:v${i}`).join(', ');
    // 100 operands are fine (a is 1: the condition holds and the update goes through).
    await condition(`a IN (${list(100)})`, values(100));
    await rejectsWith(
      condition(`a IN (${list(101)})`, values(101)),
      'ValidationException',
      'Invalid ConditionExpression: The IN operator is provided with too many operands; number of operands: 101',
    );
    await rejectsWith(
      client.send(new ScanCommand({ TableName: HASH, FilterExpression: `a IN (${list(163)})`, ExpressionAttributeValues: values(163) })),
      'ValidationException',
      'Invalid FilterExpression: The IN operator is provided with too many operands; number of operands: 163',
    );
  });
});
