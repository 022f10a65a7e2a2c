/**
 * GetRecords: the records of a shard from the iterator's position, at most Limit (default 1000) or 1 MB, and the
 * iterator to continue with. A closed shard read to its end has no NextShardIterator, which tells readers to move
 * on to its child shard. A record is readable as soon as the write that made it is acknowledged.
 */
import { findStream, readRecords, readShardState } from '../../engine/streams/stream-reader.js';
import type { OperationHandler } from '../operation.js';
import { decodeIterator, encodeIterator } from './shard-iterator.js';
import { shardNotFound, streamNotFound, trimmedDataAccess } from './stream-errors.js';

const MAX_RESPONSE_BYTES = 1024 * 1024;

export const getRecords: OperationHandler = async (context, request) => {
  const now = Date.now();
  const position = decodeIterator(request.ShardIterator as string, now);
  const found = findStream(context.engine.catalog, position.streamArn);
  if (found === undefined) throw streamNotFound(position.streamArn);
  const storage = context.engine.storage;
  const state = await readShardState(storage, found);
  const shard = state.shards.find((candidate) => candidate.shardId === position.shardId);
  if (shard === undefined) throw shardNotFound(position.shardId);
  if (position.next < state.trimmedBefore) throw trimmedDataAccess();
  const end = shard.end === undefined ? state.next : shard.end + 1;
  const limit = typeof request.Limit === 'number' ? request.Limit : 1000;
  const records = await readRecords(storage, found.id, position.next, end, limit, MAX_RESPONSE_BYTES);
  const lastRead = records[records.length - 1];
  const next = lastRead === undefined ? position.next : Number(lastRead.dynamodb.SequenceNumber) + 1;
  const exhausted = shard.end !== undefined && next > shard.end;
  return {
    Records: records,
    ...(exhausted ? {} : { NextShardIterator: encodeIterator({ ...position, next, issuedAt: now }) }),
  };
};
