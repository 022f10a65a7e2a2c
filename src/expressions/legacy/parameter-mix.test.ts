import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DynamoDbError } from '../../errors.js';
import { attributesToGetToPaths } from './attributes-to-get.js';
import { checkExpressionParameterMix, type ExpressionOperation } from './parameter-mix.js';

function assertValidation(fn: () => unknown, message: string): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof DynamoDbError);
    assert.equal(error.type, 'ValidationException');
    assert.equal(error.message, message);
    return true;
  });
}

const mixing = (nonExpression: string, expression: string): string =>
  'Can not use both expression and non-expression parameters in the same request: ' +
  `Non-expression parameters: {${nonExpression}} Expression parameters: {${expression}}`;
const cond = { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'x' }] };
const WITHOUT = 'ConditionalOperator cannot be used without Filter or Expected';
const TWO = 'ConditionalOperator can only be used when Filter or Expected has two or more elements';

test('checkExpressionParameterMix reports DynamoDB\'s messages per operation', () => {
  const cases: [ExpressionOperation, Record<string, unknown>, string][] = [
    ['PutItem', { Expected: { a: cond }, ConditionExpression: 'x' }, mixing('Expected', 'ConditionExpression')],
    ['PutItem', { ConditionalOperator: 'AND', ConditionExpression: 'x' }, mixing('ConditionalOperator', 'ConditionExpression')],
    ['PutItem', { Expected: { a: cond }, ConditionalOperator: 'AND', ConditionExpression: 'x' }, mixing('Expected, ConditionalOperator', 'ConditionExpression')],
    ['DeleteItem', { ConditionalOperator: 'AND', ConditionExpression: 'x' }, mixing('ConditionalOperator', 'ConditionExpression')],
    ['UpdateItem', { AttributeUpdates: {}, Expected: { a: cond }, ConditionalOperator: 'AND', UpdateExpression: 'SET a = :v', ConditionExpression: 'x', ExpressionAttributeValues: {} }, mixing('AttributeUpdates, Expected, ConditionalOperator', 'UpdateExpression, ConditionExpression')],
    ['UpdateItem', { AttributeUpdates: {}, ConditionExpression: 'x' }, mixing('AttributeUpdates', 'ConditionExpression')],
    ['UpdateItem', { Expected: { a: cond, b: cond }, UpdateExpression: 'x' }, mixing('Expected', 'UpdateExpression')],
    ['GetItem', { AttributesToGet: ['a'], ProjectionExpression: 'a' }, mixing('AttributesToGet', 'ProjectionExpression')],
    ['Scan', { AttributesToGet: ['a'], ScanFilter: { a: cond }, ConditionalOperator: 'AND', FilterExpression: 'a = :v', ProjectionExpression: 'b' }, mixing('AttributesToGet, ScanFilter, ConditionalOperator', 'ProjectionExpression, FilterExpression')],
    ['Scan', { ScanFilter: { a: cond }, ProjectionExpression: 'b' }, mixing('ScanFilter', 'ProjectionExpression')],
    ['Query', { KeyConditions: {}, QueryFilter: { a: cond }, ConditionalOperator: 'AND', KeyConditionExpression: 'x', FilterExpression: 'y', ProjectionExpression: 'z' }, mixing('QueryFilter, ConditionalOperator, KeyConditions', 'ProjectionExpression, FilterExpression, KeyConditionExpression')],
    ['Query', { AttributesToGet: ['a'], KeyConditionExpression: 'x' }, mixing('AttributesToGet', 'KeyConditionExpression')],
    ['GetItem', { ExpressionAttributeNames: { '#a': 'a' } }, 'ExpressionAttributeNames can only be specified when using expressions'],
    ['PutItem', { ExpressionAttributeValues: { ':v': { S: 'x' } } }, 'ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null'],
    ['UpdateItem', { ExpressionAttributeValues: { ':v': { S: 'x' } } }, 'ExpressionAttributeValues can only be specified when using expressions: UpdateExpression and ConditionExpression are null'],
    ['Scan', { ProjectionExpression: 'a', ExpressionAttributeValues: { ':v': { S: 'x' } } }, 'ExpressionAttributeValues can only be specified when using expressions: FilterExpression is null'],
    ['PutItem', { ConditionalOperator: 'AND' }, WITHOUT],
    ['PutItem', { ConditionalOperator: 'OR', Expected: {} }, WITHOUT],
    ['PutItem', { ConditionalOperator: 'AND', Expected: { a: cond } }, TWO],
    ['UpdateItem', { ConditionalOperator: 'AND', AttributeUpdates: { a: { Value: { S: 'v' } } } }, WITHOUT],
    ['Scan', { ConditionalOperator: 'AND', AttributesToGet: ['a', 'b'] }, WITHOUT],
    ['Scan', { ConditionalOperator: 'AND', ScanFilter: { a: cond } }, TWO],
    ['Query', { ConditionalOperator: 'AND', KeyConditions: { pk: cond } }, WITHOUT],
    ['Query', { ConditionalOperator: 'AND', KeyConditions: { pk: cond }, QueryFilter: { a: cond } }, TWO],
  ];
  for (const [operation, request, message] of cases) {
    assertValidation(() => checkExpressionParameterMix(request, operation), message);
  }
});

test('accepted combinations', () => {
  const cases: [ExpressionOperation, Record<string, unknown>][] = [
    ['Query', { KeyConditions: { pk: cond }, FilterExpression: 'a = :v', ExpressionAttributeValues: { ':v': { S: 'x' } } }],
    ['Query', { KeyConditions: { pk: cond }, ProjectionExpression: 'a' }],
    ['Scan', { ConditionalOperator: 'AND', ScanFilter: { a: cond, b: cond } }],
    ['PutItem', { ConditionalOperator: 'OR', Expected: { a: cond, b: cond } }],
    ['UpdateItem', { UpdateExpression: 'SET a = :v', ExpressionAttributeValues: {}, ExpressionAttributeNames: {} }],
    ['GetItem', { ProjectionExpression: '#a', ExpressionAttributeNames: { '#a': 'a' } }],
    ['PutItem', { Expected: {} }],
    ['UpdateItem', {}],
  ];
  for (const [operation, request] of cases) {
    assert.doesNotThrow(() => checkExpressionParameterMix(request, operation), JSON.stringify(request));
  }
});

test('the operation is inferred when not given', () => {
  assertValidation(
    () => checkExpressionParameterMix({ AttributeUpdates: {}, Expected: {}, UpdateExpression: 'x' }),
    mixing('AttributeUpdates, Expected', 'UpdateExpression'),
  );
  assertValidation(
    () => checkExpressionParameterMix({ Item: {}, ExpressionAttributeValues: {} }),
    'ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null',
  );
  assertValidation(
    () => checkExpressionParameterMix({ KeyConditionExpression: 'x', QueryFilter: {} }),
    mixing('QueryFilter', 'KeyConditionExpression'),
  );
});

test('AttributesToGet becomes literal top-level paths; duplicates are rejected', () => {
  assert.deepEqual(
    attributesToGetToPaths(['a', 'b.c']).map((path) => path.elements),
    [[{ kind: 'AttributeName', name: 'a' }], [{ kind: 'AttributeName', name: 'b.c' }]],
  );
  assertValidation(
    () => attributesToGetToPaths(['a', 'b', 'a']),
    'One or more parameter values were invalid: Duplicate value in attribute name: a',
  );
});
