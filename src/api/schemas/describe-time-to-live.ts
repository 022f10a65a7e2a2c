/** DescribeTimeToLive: the table's name or ARN. */
import type { OperationSchema } from '../../validation/schema.js';
import { controlTableName } from './common.js';

export const describeTimeToLiveSchema: OperationSchema = {
  operation: 'DescribeTimeToLive',
  requiredParameters: ['TableName'],
  members: { TableName: controlTableName },
};
