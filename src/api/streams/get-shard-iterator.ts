/**
 * GetShardIterator: where to start reading a shard — its oldest untrimmed record (TRIM_HORIZON), just after its
 * newest record (LATEST), at or after a given sequence number.
 */
import { validationError } from '../../errors.js';
import { findStream, parseStreamArn, readShardState } from '../../engine/streams/stream-reader.js';
import { isLiveShard, parseSequence } from '../../engine/streams/shard-state.js';
import type { OperationHandler } from '../operation.js';
import { encodeIterator } from './shard-iterator.js';
import { invalidStreamArn, shardNotFound, streamNotFound, trimmedDataAccess } from './stream-errors.js';

export const getShardIterator: OperationHandler = async (context, request) => {
  const arn = request.StreamArn as string;
  const shardId = request.ShardId as string;
  const type = request.ShardIteratorType as string;
  const sequenceText = typeof request.SequenceNumber === 'string' ? request.SequenceNumber : undefined;
  const atOrAfter = type === 'AT_SEQUENCE_NUMBER' || type === 'AFTER_SEQUENCE_NUMBER';
  // DynamoDB's texts for these two rules are not documented (tests run against DynamoDB by other implementations
  // only record that both are ValidationException); these say what is wrong. Unconfirmed.
  if (atOrAfter && sequenceText === undefined) {
    throw validationError('SequenceNumber must be provided when ShardIteratorType is AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER');
  }
  if (!atOrAfter && sequenceText !== undefined) {
    throw validationError('SequenceNumber must not be provided when ShardIteratorType is TRIM_HORIZON or LATEST');
  }
  if (parseStreamArn(arn) === undefined) throw invalidStreamArn();
  const found = findStream(context.engine.catalog, arn);
  if (found === undefined) throw streamNotFound(arn);
  const state = await readShardState(context.engine.storage, found);
  const shard = state.shards.find((candidate) => candidate.shardId === shardId);
  if (shard === undefined || !isLiveShard(shard, state)) throw shardNotFound(shardId);
  const last = shard.end ?? state.next - 1;
  let next: number;
  switch (type) {
    case 'TRIM_HORIZON':
      next = Math.max(shard.start, state.trimmedBefore);
      break;
    case 'LATEST':
      next = last + 1;
      break;
    default: {
      const sequence = parseSequence(sequenceText as string);
      // A shard's StartingSequenceNumber is always a valid position, even while the shard has no record yet.
      if (sequence === undefined || sequence < shard.start || (sequence > last && sequence !== shard.start)) {
        throw validationError(`Invalid SequenceNumber for ShardIteratorType ${type}: ${sequenceText as string}`);
      }
      if (sequence < state.trimmedBefore) throw trimmedDataAccess();
      next = type === 'AT_SEQUENCE_NUMBER' ? sequence : sequence + 1;
    }
  }
  return { ShardIterator: encodeIterator({ streamArn: found.arn, shardId, next, issuedAt: Date.now() }) };
};
