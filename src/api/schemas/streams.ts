/**
 * The DynamoDB Streams operations (target prefix `DynamoDBStreams_20120810`), keyed `DynamoDBStreams.<Op>` in the
 * operation and schema tables. Member constraints from the Streams service model.
 */
import { validationError } from '../../errors.js';
import {
  integer,
  maxLength,
  maxValue,
  minLength,
  minValue,
  oneOf,
  required,
  string,
  structure,
  type OperationSchema,
} from '../../validation/schema.js';

// StreamArn's model minimum (37) is not enforced: DynamoDB answers a short non-ARN with `Invalid StreamArn`.
const streamArn = string(maxLength(1024));
const shardId = string(minLength(28), maxLength(65));

export const listStreamsSchema: OperationSchema = {
  operation: 'DynamoDBStreams.ListStreams',
  members: {
    TableName: string(minLength(3), maxLength(255)),
    Limit: integer(minValue(1), maxValue(100)),
    ExclusiveStartStreamArn: streamArn,
  },
};

export const describeStreamSchema: OperationSchema = {
  operation: 'DynamoDBStreams.DescribeStream',
  members: {
    StreamArn: required(streamArn),
    Limit: integer(minValue(1), maxValue(100)),
    ExclusiveStartShardId: shardId,
    ShardFilter: structure('ShardFilter', {
      Type: string(oneOf('CHILD_SHARDS')),
      ShardId: shardId,
    }),
  },
  custom(body) {
    const filter = body.ShardFilter as Readonly<Record<string, unknown>> | null | undefined;
    if (filter === undefined || filter === null) return;
    // Both members are optional in the model, but a filter means nothing without either. DynamoDB's texts for these
    // two cases are not documented (nor recorded by any public test suite we know of); these name the member.
    if (filter.Type === undefined || filter.Type === null) {
      throw validationError('ShardFilter.Type is required when ShardFilter is specified');
    }
    if (filter.ShardId === undefined || filter.ShardId === null) {
      throw validationError('ShardFilter.ShardId is required when ShardFilter.Type is CHILD_SHARDS');
    }
  },
};

export const getShardIteratorSchema: OperationSchema = {
  operation: 'DynamoDBStreams.GetShardIterator',
  members: {
    StreamArn: required(streamArn),
    ShardId: required(shardId),
    ShardIteratorType: required(string(oneOf('TRIM_HORIZON', 'LATEST', 'AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER'))),
    SequenceNumber: string(minLength(21), maxLength(40)),
  },
};

export const getRecordsSchema: OperationSchema = {
  operation: 'DynamoDBStreams.GetRecords',
  members: {
    ShardIterator: required(string(minLength(1), maxLength(2048))),
    Limit: integer(minValue(1), maxValue(1000)),
  },
};
