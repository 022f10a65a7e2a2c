/** Every operation's request schema, by wire operation name. */
import type { OperationSchema } from '../../validation/schema.js';
import { batchExecuteStatementSchema } from './batch-execute-statement.js';
import { batchGetItemSchema } from './batch-get-item.js';
import { batchWriteItemSchema } from './batch-write-item.js';
import { createTableSchema } from './create-table.js';
import { deleteItemSchema } from './delete-item.js';
import { deleteTableSchema } from './delete-table.js';
import { describeContinuousBackupsSchema } from './describe-continuous-backups.js';
import { describeEndpointsSchema } from './describe-endpoints.js';
import { describeLimitsSchema } from './describe-limits.js';
import { describeTableSchema } from './describe-table.js';
import { describeTimeToLiveSchema } from './describe-time-to-live.js';
import { executeTransactionSchema } from './execute-transaction.js';
import { executeStatementSchema } from './execute-statement.js';
import { getItemSchema } from './get-item.js';
import { createGlobalTableSchema, describeGlobalTableSchema, listGlobalTablesSchema, updateGlobalTableSchema, describeGlobalTableSettingsSchema, updateGlobalTableSettingsSchema, describeTableReplicaAutoScalingSchema, updateTableReplicaAutoScalingSchema } from './global-tables.js';
import { listTablesSchema } from './list-tables.js';
import { listTagsOfResourceSchema } from './list-tags-of-resource.js';
import { putItemSchema } from './put-item.js';
import { querySchema } from './query.js';
import { scanSchema } from './scan.js';
import { deleteResourcePolicySchema, getResourcePolicySchema, putResourcePolicySchema } from './resource-policies.js';
import { describeStreamSchema, getRecordsSchema, getShardIteratorSchema, listStreamsSchema } from './streams.js';
import { tagResourceSchema } from './tag-resource.js';
import { transactGetItemsSchema } from './transact-get-items.js';
import { transactWriteItemsSchema } from './transact-write-items.js';
import { untagResourceSchema } from './untag-resource.js';
import { updateItemSchema } from './update-item.js';
import { updateTableSchema } from './update-table.js';
import { updateTimeToLiveSchema } from './update-time-to-live.js';

export const OPERATION_SCHEMAS: ReadonlyMap<string, OperationSchema> = new Map(
  [
    batchExecuteStatementSchema,
    batchGetItemSchema,
    batchWriteItemSchema,
    createTableSchema,
    deleteItemSchema,
    deleteTableSchema,
    describeContinuousBackupsSchema,
    describeEndpointsSchema,
    describeLimitsSchema,
    describeTableSchema,
    describeTimeToLiveSchema,
    executeTransactionSchema,
    executeStatementSchema,
    getItemSchema,
    listTablesSchema,
    listTagsOfResourceSchema,
    putItemSchema,
    querySchema,
    scanSchema,
    tagResourceSchema,
    transactGetItemsSchema,
    transactWriteItemsSchema,
    untagResourceSchema,
    updateItemSchema,
    updateTableSchema,
    updateTimeToLiveSchema,
    listStreamsSchema,
    describeStreamSchema,
    getShardIteratorSchema,
    getRecordsSchema,
    putResourcePolicySchema,
    getResourcePolicySchema,
    deleteResourcePolicySchema,
    createGlobalTableSchema,
    describeGlobalTableSchema,
    listGlobalTablesSchema,
    updateGlobalTableSchema,
    describeGlobalTableSettingsSchema,
    updateGlobalTableSettingsSchema,
    describeTableReplicaAutoScalingSchema,
    updateTableReplicaAutoScalingSchema,
  ].map((schema) => [schema.operation, schema]),
);
