import { test } from 'node:test';
import assert from 'node:assert/strict';
import { throttle, throttleOf, throttlingError, wholeBatchThrottle } from './throttle.js';

const TABLE = 'arn:aws:dynamodb:us-east-1:000000000000:table/a';
const OTHER = 'arn:aws:dynamodb:us-east-1:000000000000:table/b';

test('a batch refused by provisioned throughput alone: ProvisionedThroughputExceededException, each reason once', () => {
  const refused = wholeBatchThrottle([
    throttle('PROVISIONED', 'Table', 'write', 'ProvisionedThroughputExceeded', TABLE),
    throttle('PROVISIONED', 'Table', 'write', 'ProvisionedThroughputExceeded', TABLE),
    throttle('PROVISIONED', 'Table', 'write', 'ProvisionedThroughputExceeded', OTHER),
  ]);
  assert.equal(refused.exception, 'ProvisionedThroughputExceededException');
  assert.deepEqual(refused.reasons, [
    { reason: 'TableWriteProvisionedThroughputExceeded', resource: TABLE },
    { reason: 'TableWriteProvisionedThroughputExceeded', resource: OTHER },
  ]);
});

test('a batch refused by partition limits or on-demand capacity: ThrottlingException', () => {
  const onDemand = throttle('PAY_PER_REQUEST', 'Table', 'read', 'KeyRangeThroughputExceeded', OTHER);
  const mixed = wholeBatchThrottle([throttle('PROVISIONED', 'Table', 'read', 'ProvisionedThroughputExceeded', TABLE), onDemand]);
  assert.equal(mixed.exception, 'ThrottlingException');
  assert.equal(mixed.message, onDemand.message);
  assert.equal(mixed.reasons.length, 2);
  const partition = wholeBatchThrottle([throttle('PROVISIONED', 'Table', 'write', 'KeyRangeThroughputExceeded', TABLE)]);
  assert.equal(partition.exception, 'ThrottlingException');
  assert.equal(partition.message, onDemand.message);
  assert.deepEqual(partition.reasons, [{ reason: 'TableWriteKeyRangeThroughputExceeded', resource: TABLE }]);
});

test('the error of a throttle carries it; other errors carry none', () => {
  const refused = throttle('PAY_PER_REQUEST', 'Index', 'write', 'MaxOnDemandThroughputExceeded', `${TABLE}/index/g`);
  const error = throttlingError(refused);
  assert.equal(throttleOf(error), refused);
  assert.deepEqual(error.extra, { throttlingReasons: [{ reason: 'IndexWriteMaxOnDemandThroughputExceeded', resource: `${TABLE}/index/g` }] });
  assert.equal(throttleOf(new Error('x')), undefined);
});
