import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DynamoDbError } from '../../errors.js';
import { decodeIterator, encodeIterator, ITERATOR_LIFETIME_MS } from './shard-iterator.js';

const ARN = 'arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/2026-01-01T00:00:00.000';

test('an iterator carries its stream, shard, position and issue time, in DynamoDB\'s `<arn>|1|<opaque>` shape', () => {
  const position = { streamArn: ARN, shardId: 'shardId-00000001767225600000-0a1b2c3d', next: 42, issuedAt: 1_000 };
  const iterator = encodeIterator(position);
  assert.ok(iterator.startsWith(`${ARN}|1|`));
  assert.ok(iterator.length <= 2048);
  assert.deepEqual(decodeIterator(iterator, 1_000 + ITERATOR_LIFETIME_MS), position);
});

test('an iterator older than 15 minutes is ExpiredIteratorException; garbage is a ValidationException', () => {
  const iterator = encodeIterator({ streamArn: ARN, shardId: 's', next: 1, issuedAt: 0 });
  assert.throws(
    () => decodeIterator(iterator, ITERATOR_LIFETIME_MS + 1),
    (error: unknown) =>
      error instanceof DynamoDbError &&
      error.type === 'ExpiredIteratorException' &&
      error.message === 'The provided iterator exceeds the maximum age allowed.',
  );
  for (const garbage of ['garbage', `${ARN}|1|`, `${ARN}|1|bm90IGpzb24`, `${ARN}|1|${Buffer.from('[1,2]').toString('base64url')}`]) {
    assert.throws(
      () => decodeIterator(garbage, 0),
      (error: unknown) => error instanceof DynamoDbError && error.type === 'ValidationException' && error.message === 'Invalid ShardIterator',
      garbage,
    );
  }
});
