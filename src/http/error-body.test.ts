import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DynamoDbError, conditionalCheckFailed, serializationError, validationError } from '../errors.js';
import { errorBody } from './error-body.js';

test('error bodies: namespace, message spelling, omitted empty messages, extra members last', () => {
  const cases: ReadonlyArray<readonly [DynamoDbError, string]> = [
    [serializationError(''), '{"__type":"com.amazon.coral.service#SerializationException"}'],
    [
      serializationError('NUMBER_VALUE cannot be converted to String'),
      '{"__type":"com.amazon.coral.service#SerializationException","Message":"NUMBER_VALUE cannot be converted to String"}',
    ],
    [
      new DynamoDbError('AccessDeniedException', 'denied', 400, 'com.amazon.coral.service'),
      '{"__type":"com.amazon.coral.service#AccessDeniedException","Message":"denied"}',
    ],
    [validationError('bad'), '{"__type":"com.amazon.coral.validate#ValidationException","message":"bad"}'],
    [
      conditionalCheckFailed({ id: { S: 'a' } }),
      '{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed","Item":{"id":{"S":"a"}}}',
    ],
  ];
  for (const [error, body] of cases) assert.equal(errorBody(error), body);
});
