/** DescribeTable: the table's name or ARN. */
import type { OperationSchema } from '../../validation/schema.js';
import { controlTableName } from './common.js';

export const describeTableSchema: OperationSchema = {
  operation: 'DescribeTable',
  requiredParameters: ['TableName'],
  members: { TableName: controlTableName },
};
