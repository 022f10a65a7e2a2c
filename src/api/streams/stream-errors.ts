/** The errors of the Streams operations, worded as DynamoDB Streams words them. */
import { DynamoDbError, resourceNotFound } from '../../errors.js';

export function streamNotFound(arn: string): DynamoDbError {
  return resourceNotFound(`Requested resource not found: Stream: ${arn} not found`);
}

export function shardNotFound(shardId: string, arn: string): DynamoDbError {
  return resourceNotFound(`Requested resource not found: Shard: ${shardId} in Stream: ${arn} not found`);
}

export function trimmedDataAccess(): DynamoDbError {
  return new DynamoDbError(
    'TrimmedDataAccessException',
    'The operation attempted to read past the oldest stream record in a shard.',
  );
}
