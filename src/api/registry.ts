/**
 * Operation name (the part of X-Amz-Target after `DynamoDB_20120810.`) -> handler. A target naming an operation
 * absent here is answered with UnknownOperationException, as DynamoDB does for names it does not know (with a
 * message naming it when it is one of DynamoDB's operations: see dynamodb-operations.ts).
 */
import { batchExecuteStatement } from './batch-execute-statement.js';
import { batchGetItem } from './batch-get-item.js';
import { batchWriteItem } from './batch-write-item.js';
import { createTable } from './create-table.js';
import { deleteItem } from './delete-item.js';
import { executeStatement } from './execute-statement.js';
import { getItem } from './get-item.js';
import { putItem } from './put-item.js';
import { query } from './query.js';
import { scan } from './scan.js';
import { updateItem } from './update-item.js';
import { deleteTable } from './delete-table.js';
import { describeContinuousBackups } from './describe-continuous-backups.js';
import { describeEndpoints } from './describe-endpoints.js';
import { describeLimits } from './describe-limits.js';
import { describeTable } from './describe-table.js';
import { listTables } from './list-tables.js';
import { listTagsOfResource } from './list-tags-of-resource.js';
import type { OperationHandler } from './operation.js';
import { describeStream } from './streams/describe-stream.js';
import { getRecords } from './streams/get-records.js';
import { getShardIterator } from './streams/get-shard-iterator.js';
import { listStreams } from './streams/list-streams.js';
import { tagResource } from './tag-resource.js';
import { transactGetItems } from './transact-get-items.js';
import { transactWriteItems } from './transact-write-items.js';
import { untagResource } from './untag-resource.js';
import { updateTable } from './update-table.js';
import { deleteResourcePolicy, getResourcePolicy, putResourcePolicy } from './resource-policies.js';
import { describeTimeToLive } from './describe-time-to-live.js';
import { executeTransaction } from './execute-transaction.js';
import { updateTimeToLive } from './update-time-to-live.js';
import { createGlobalTable } from './global-tables/create-global-table.js';
import { describeGlobalTable } from './global-tables/describe-global-table.js';
import { listGlobalTables } from './global-tables/list-global-tables.js';
import { updateGlobalTable } from './global-tables/update-global-table.js';
import { describeGlobalTableSettings, updateGlobalTableSettings } from './global-tables/global-table-settings.js';
import { describeTableReplicaAutoScaling, updateTableReplicaAutoScaling } from './global-tables/table-replica-auto-scaling.js';

export const operations: Readonly<Record<string, OperationHandler>> = {
  BatchExecuteStatement: batchExecuteStatement,
  BatchGetItem: batchGetItem,
  BatchWriteItem: batchWriteItem,
  CreateTable: createTable,
  DeleteItem: deleteItem,
  ExecuteStatement: executeStatement,
  GetItem: getItem,
  PutItem: putItem,
  Query: query,
  Scan: scan,
  UpdateItem: updateItem,
  DeleteTable: deleteTable,
  DescribeContinuousBackups: describeContinuousBackups,
  DescribeEndpoints: describeEndpoints,
  DescribeLimits: describeLimits,
  DescribeTable: describeTable,
  ListTables: listTables,
  ListTagsOfResource: listTagsOfResource,
  TagResource: tagResource,
  TransactGetItems: transactGetItems,
  TransactWriteItems: transactWriteItems,
  UntagResource: untagResource,
  UpdateTable: updateTable,
  UpdateTimeToLive: updateTimeToLive,
  DescribeTimeToLive: describeTimeToLive,
  ExecuteTransaction: executeTransaction,
  PutResourcePolicy: putResourcePolicy,
  GetResourcePolicy: getResourcePolicy,
  DeleteResourcePolicy: deleteResourcePolicy,
  // Global tables version 2017.11.29 (the legacy API).
  CreateGlobalTable: createGlobalTable,
  DescribeGlobalTable: describeGlobalTable,
  ListGlobalTables: listGlobalTables,
  UpdateGlobalTable: updateGlobalTable,
  DescribeGlobalTableSettings: describeGlobalTableSettings,
  UpdateGlobalTableSettings: updateGlobalTableSettings,
  DescribeTableReplicaAutoScaling: describeTableReplicaAutoScaling,
  UpdateTableReplicaAutoScaling: updateTableReplicaAutoScaling,
  // DynamoDB Streams (target prefix DynamoDBStreams_20120810).
  'DynamoDBStreams.ListStreams': listStreams,
  'DynamoDBStreams.DescribeStream': describeStream,
  'DynamoDBStreams.GetShardIterator': getShardIterator,
  'DynamoDBStreams.GetRecords': getRecords,
};
