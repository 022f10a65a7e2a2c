/** DescribeContinuousBackups: the table's name or ARN. */
import type { OperationSchema } from '../../validation/schema.js';
import { controlTableName } from './common.js';

export const describeContinuousBackupsSchema: OperationSchema = {
  operation: 'DescribeContinuousBackups',
  members: { TableName: controlTableName },
};
