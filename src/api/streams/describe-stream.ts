/**
 * DescribeStream: the stream's status, view type, table and key schema, and its shards (those not yet trimmed
 * away) with their sequence-number ranges and parents, paged by Limit (default 100) and ExclusiveStartShardId.
 * A ShardFilter of type CHILD_SHARDS lists only the children of the shard it names (none while it is open).
 */
import { findStream, liveShards, parseStreamArn, readShardState } from '../../engine/streams/stream-reader.js';
import { formatSequence } from '../../engine/streams/shard-state.js';
import type { JsonObject, OperationHandler } from '../operation.js';
import { invalidStreamArn, streamNotFound } from './stream-errors.js';

export const describeStream: OperationHandler = async (context, request) => {
  const arn = request.StreamArn as string;
  if (parseStreamArn(arn) === undefined) throw invalidStreamArn();
  const found = findStream(context.engine.catalog, arn);
  if (found === undefined) throw streamNotFound(arn);
  const state = await readShardState(context.engine.storage, found);
  const filter = request.ShardFilter as { ShardId?: unknown } | undefined;
  const parent = typeof filter?.ShardId === 'string' ? filter.ShardId : undefined;
  const shards = liveShards(state).filter((shard) => parent === undefined || shard.parentShardId === parent);
  const after = typeof request.ExclusiveStartShardId === 'string' ? request.ExclusiveStartShardId : undefined;
  // An ExclusiveStartShardId that names no shard is not an error: the page is empty, as in DynamoDB.
  const from = after === undefined ? 0 : shards.findIndex((shard) => shard.shardId === after) + 1 || shards.length;
  const limit = typeof request.Limit === 'number' ? request.Limit : 100;
  const page = shards.slice(from, from + limit);
  const description: JsonObject = {
    StreamArn: found.arn,
    StreamLabel: found.stream.label,
    StreamStatus: found.stream.disabledAt === undefined ? 'ENABLED' : 'DISABLED',
    StreamViewType: found.stream.viewType,
    CreationRequestDateTime: found.stream.enabledAt / 1000,
    TableName: found.table.tableName,
    KeySchema: found.table.keySchema,
    Shards: page.map((shard) => ({
      ShardId: shard.shardId,
      SequenceNumberRange: {
        StartingSequenceNumber: formatSequence(shard.start),
        ...(shard.end !== undefined ? { EndingSequenceNumber: formatSequence(shard.end) } : {}),
      },
      ...(shard.parentShardId !== undefined ? { ParentShardId: shard.parentShardId } : {}),
    })),
  };
  if (from + limit < shards.length) description.LastEvaluatedShardId = page[page.length - 1]?.shardId;
  return { StreamDescription: description };
};
