/**
 * ListTables. DynamoDB reports Limit before ExclusiveStartTableName, and for the start name the pattern before
 * the lengths (unlike TableName members).
 */
import { integer, maxLength, maxValue, minLength, minValue, pattern, string, type OperationSchema } from '../../validation/schema.js';

export const listTablesSchema: OperationSchema = {
  operation: 'ListTables',
  members: {
    Limit: integer(minValue(1), maxValue(100)),
    ExclusiveStartTableName: string(pattern('[a-zA-Z0-9_.-]+'), minLength(3), maxLength(255)),
  },
};
