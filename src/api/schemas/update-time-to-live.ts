/** UpdateTimeToLive. DynamoDB reports the specification's attributeName before enabled. */
import { boolean, maxLength, minLength, required, string, structure, type OperationSchema } from '../../validation/schema.js';
import { controlTableName } from './common.js';

export const updateTimeToLiveSchema: OperationSchema = {
  operation: 'UpdateTimeToLive',
  members: {
    TableName: controlTableName,
    TimeToLiveSpecification: required(
      structure('TimeToLiveSpecification', {
        AttributeName: required(string(minLength(1), maxLength(255))),
        Enabled: required(boolean),
      }),
    ),
  },
};
