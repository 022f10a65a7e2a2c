/** DeleteTable: the table's name or ARN. */
import type { OperationSchema } from '../../validation/schema.js';
import { controlTableName } from './common.js';

export const deleteTableSchema: OperationSchema = {
  operation: 'DeleteTable',
  requiredParameters: ['TableName'],
  members: { TableName: controlTableName },
};
