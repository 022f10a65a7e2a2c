/** The errors of the Streams operations, worded as DynamoDB Streams words them. */
import { DynamoDbError, resourceNotFound, validationError } from '../../errors.js';

export function streamNotFound(arn: string): DynamoDbError {
  return resourceNotFound(`Requested resource not found: Stream: ${arn} not found`);
}

export function shardNotFound(shardId: string): DynamoDbError {
  // No DynamoDB text is documented for this case; this follows the stream's.
  return resourceNotFound(`Requested resource not found: Shard: ${shardId} not found`);
}

export function trimmedDataAccess(): DynamoDbError {
  return new DynamoDbError(
    'TrimmedDataAccessException',
    'The data you are trying to access has been trimmed',
  );
}

/** A StreamArn that is not a stream ARN at all (DynamoDB checks this before the model's length). */
export function invalidStreamArn(): DynamoDbError {
  return validationError('Invalid StreamArn');
}
