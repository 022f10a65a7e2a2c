/**
 * Item requests that DynamoDB refuses, through the wire: each case is a raw request and the exact answer
 * (status, __type, message). Table-driven so that a new DynamoDB rule is one line here.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCairn, type Cairn } from '../helpers/cairn.js';

let cairn: Cairn;
before(async () => {
  cairn = await startCairn({ inMemory: true });
  const create = (TableName: string, KeySchema: object[], AttributeDefinitions: object[]) =>
    cairn.raw('DynamoDB_20120810.CreateTable', { TableName, KeySchema, AttributeDefinitions, BillingMode: 'PAY_PER_REQUEST' });
  await create('errs', [{ AttributeName: 'id', KeyType: 'HASH' }], [{ AttributeName: 'id', AttributeType: 'S' }]);
  await create(
    'errs_binary',
    [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'B' },
    ],
  );
  const seeded = await cairn.raw('DynamoDB_20120810.PutItem', {
    TableName: 'errs',
    Item: { id: { S: 'x' }, s: { S: 'str' }, n: { N: '5' }, l: { L: [] } },
  });
  assert.equal(seeded.status, 200);
});
after(async () => {
  await cairn.close();
});

const VALIDATION = 'com.amazon.coral.validate#ValidationException';
const INVALID = 'One or more parameter values were invalid: ';
const nested = (depth: number): object => (depth === 0 ? { S: 'leaf' } : { M: { a: nested(depth - 1) } });
const one = { ':one': { N: '1' } };
const update = (UpdateExpression: string, extra: object = {}) => ({ TableName: 'errs', Key: { id: { S: 'x' } }, UpdateExpression, ...extra });
const put = (extra: object) => ({ TableName: 'errs', Item: { id: { S: 'a' } }, ...extra });

const cases: ReadonlyArray<readonly [string, string, object, string]> = [
  ['empty string hash key (item)', 'PutItem', { TableName: 'errs', Item: { id: { S: '' } } },
    'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: id'],
  ['empty binary range key', 'PutItem', { TableName: 'errs_binary', Item: { pk: { S: 'a' }, sk: { B: '' } } },
    'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty binary value. Key: sk'],
  ['range key over 1024 bytes', 'PutItem', { TableName: 'errs_binary', Item: { pk: { S: 'a' }, sk: { B: Buffer.alloc(1025).toString('base64') } } },
    `${INVALID}Aggregated size of all range keys has exceeded the size limit of 1024 bytes`],
  ['a number that is not one', 'PutItem', put({ Item: { id: { S: 'a' }, n: { N: 'abc' } } }),
    '1 validation error detected: The parameter cannot be converted to a numeric value: abc'],
  ['39 significant digits', 'PutItem', put({ Item: { id: { S: 'a' }, n: { N: `1${'0'.repeat(37)}1` } } }),
    '1 validation error detected: Attempting to store more than 38 significant digits in a Number'],
  ['number overflow', 'PutItem', put({ Item: { id: { S: 'a' }, n: { N: '1e126' } } }),
    '1 validation error detected: Number overflow. Attempting to store a number with magnitude larger than supported range'],
  ['number underflow', 'PutItem', put({ Item: { id: { S: 'a' }, n: { N: '1e-131' } } }),
    '1 validation error detected: Number underflow. Attempting to store a number with magnitude smaller than supported range'],
  ['duplicate string set members', 'PutItem', put({ Item: { id: { S: 'a' }, s: { SS: ['a', 'a'] } } }),
    `${INVALID}Input collection [a, a] contains duplicates.`],
  ['nesting deeper than 32 levels', 'PutItem', put({ Item: { id: { S: 'a' }, d: nested(32) } }),
    'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit'],
  ['two types in one value', 'PutItem', put({ Item: { id: { S: 'a' }, x: { S: 'a', N: '1' } } }),
    'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes'],
  ['NULL false', 'PutItem', put({ Item: { id: { S: 'a' }, x: { NULL: false } } }), `${INVALID}Null attribute value types must have the value of true`],
  ['ReturnValues ALL_NEW on a delete', 'DeleteItem', { TableName: 'errs', Key: { id: { S: 'a' } }, ReturnValues: 'ALL_NEW' },
    'ReturnValues can only be ALL_OLD or NONE'],
  ['an unknown ReturnValues', 'PutItem', put({ ReturnValues: 'BOGUS' }),
    "1 validation error detected: Value 'BOGUS' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]"],
  ['a missing TableName', 'PutItem', { Item: { id: { S: 'a' } } },
    "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null"],
  ['arithmetic on a missing attribute', 'UpdateItem', update('SET q = q + :one', { ExpressionAttributeValues: one }),
    'The provided expression refers to an attribute that does not exist in the item'],
  ['arithmetic past 38 digits', 'UpdateItem', update('SET n = n + :big', { ExpressionAttributeValues: { ':big': { N: '9'.repeat(38) } } }),
    'Attempting to store more than 38 significant digits in a Number'],
  ['a path through a missing map', 'UpdateItem', update('SET q.r = :one', { ExpressionAttributeValues: one }),
    'The document path provided in the update expression is invalid for update'],
  ['ADD to a string', 'UpdateItem', update('ADD s :one', { ExpressionAttributeValues: one }), 'An operand in the update expression has an incorrect data type'],
  ['ADD of a string literal', 'UpdateItem', update('ADD n :v', { ExpressionAttributeValues: { ':v': { S: 'a' } } }),
    'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING, typeSet: ALLOWED_FOR_ADD_OPERAND'],
  ['an unused name', 'UpdateItem', update('SET #a = :one', { ExpressionAttributeNames: { '#a': 'n', '#b': 'q' }, ExpressionAttributeValues: one }),
    'Value provided in ExpressionAttributeNames unused in expressions: keys: {#b}'],
  ['empty ExpressionAttributeNames', 'UpdateItem', update('SET a = :one', { ExpressionAttributeNames: {}, ExpressionAttributeValues: one }),
    'ExpressionAttributeNames must not be empty'],
  ['SET twice', 'UpdateItem', update('SET a = :one SET b = :one', { ExpressionAttributeValues: one }),
    'Invalid UpdateExpression: The "SET" section can only be used once in an update expression;'],
  ['an empty update expression', 'UpdateItem', update(''), 'Invalid UpdateExpression: The expression can not be empty;'],
  ['an expression over 4 KB', 'UpdateItem', update(`SET ${'a'.repeat(4100)} = :one`, { ExpressionAttributeValues: one }),
    'Invalid UpdateExpression: Expression size has exceeded the maximum allowed size; expression size: 4111'],
  ['BETWEEN with reversed bounds', 'PutItem', put({ ConditionExpression: 'a BETWEEN :hi AND :lo', ExpressionAttributeValues: { ':hi': { N: '5' }, ':lo': { N: '1' } } }),
    'Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {N:1}'],
  ['an unknown attribute type', 'PutItem', put({ ConditionExpression: 'attribute_type(a, :t)', ExpressionAttributeValues: { ':t': { S: 'X' } } }),
    'Invalid ConditionExpression: Invalid attribute type name found; type: X, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}'],
  ['a comparison of a path with itself', 'PutItem', put({ ConditionExpression: 'a = a' }),
    'Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a]'],
  ['values without a condition', 'PutItem', put({ ExpressionAttributeValues: { ':v': { S: 'x' } } }),
    'ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null'],
  ['ConditionalOperator without Expected', 'PutItem', put({ ConditionalOperator: 'AND' }), 'ConditionalOperator cannot be used without Filter or Expected'],
  ['overlapping projection paths', 'GetItem', { TableName: 'errs', Key: { id: { S: 'x' } }, ProjectionExpression: 'a, a.b' },
    'Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]'],
  ['duplicate AttributesToGet', 'GetItem', { TableName: 'errs', Key: { id: { S: 'x' } }, AttributesToGet: ['a', 'a'] },
    `${INVALID}Duplicate value in attribute name: a`],
];

for (const [name, operation, body, message] of cases) {
  test(`${operation}: ${name}`, async () => {
    const response = await cairn.raw(`DynamoDB_20120810.${operation}`, body);
    assert.equal(response.status, 400);
    assert.deepEqual(response.body, { __type: VALIDATION, message });
  });
}

test('none of the refused requests changed the seeded item', async () => {
  const response = await cairn.raw('DynamoDB_20120810.GetItem', { TableName: 'errs', Key: { id: { S: 'x' } } });
  assert.deepEqual(response.body, { Item: { id: { S: 'x' }, s: { S: 'str' }, n: { N: '5' }, l: { L: [] } } });
});
