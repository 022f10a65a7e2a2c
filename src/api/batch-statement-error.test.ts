import assert from 'node:assert/strict';
import { test } from 'node:test';
import { conditionalCheckFailed, DynamoDbError, resourceNotFound, validationError } from '../errors.js';
import { batchStatementError } from './batch-statement-error.js';

test('batchStatementError: codes of the service model, Item only on a failed condition that returned one', () => {
  assert.deepEqual(batchStatementError(conditionalCheckFailed()), { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' });
  assert.deepEqual(batchStatementError(conditionalCheckFailed({ pk: { S: 'a' } })), {
    Code: 'ConditionalCheckFailed',
    Message: 'The conditional request failed',
    Item: { pk: { S: 'a' } },
  });
  assert.deepEqual(batchStatementError(validationError('bad')), { Code: 'ValidationError', Message: 'bad' });
  assert.deepEqual(batchStatementError(resourceNotFound()), { Code: 'ResourceNotFound', Message: 'Requested resource not found' });
  assert.deepEqual(batchStatementError(new DynamoDbError('DuplicateItemException', 'Duplicate primary key exists in table')), {
    Code: 'DuplicateItem',
    Message: 'Duplicate primary key exists in table',
  });
  assert.deepEqual(batchStatementError(new DynamoDbError('ThrottlingException', 'slow down', 400, 'com.amazon.coral.availability')), {
    Code: 'ThrottlingError',
    Message: 'slow down',
  });
  assert.deepEqual(batchStatementError(new DynamoDbError('ProvisionedThroughputExceededException', 'too much')), {
    Code: 'ProvisionedThroughputExceeded',
    Message: 'too much',
  });
});

test('batchStatementError: an error that is not a statement failure is rethrown', () => {
  const other = new Error('boom');
  assert.throws(() => batchStatementError(other), (error) => error === other);
  const unknown = new DynamoDbError('SerializationException', 'x');
  assert.throws(() => batchStatementError(unknown), (error) => error === unknown);
});
