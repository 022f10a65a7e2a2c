/** TransactGetItems: 1..100 Get actions, each naming its table (name or ARN). Members in model order. */
import {
  attributeMap,
  list,
  maxLength,
  minLength,
  required,
  string,
  structure,
  type OperationSchema,
} from '../../validation/schema.js';
import { dataTableName, expressionAttributeNames, returnConsumedCapacity } from './common.js';

export const transactGetItemsSchema: OperationSchema = {
  operation: 'TransactGetItems',
  members: {
    TransactItems: required(
      list(
        structure('TransactGetItem', {
          Get: required(
            structure('Get', {
              Key: required(attributeMap),
              TableName: dataTableName,
              ProjectionExpression: string(),
              ExpressionAttributeNames: expressionAttributeNames,
            }),
          ),
        }),
        minLength(1),
        maxLength(100),
      ),
    ),
    ReturnConsumedCapacity: returnConsumedCapacity,
  },
};
