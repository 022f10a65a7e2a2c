/** TransactWriteItems: 1..100 actions, each naming its table (name or ARN). Members in model order. */
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
import {
  dataTableName,
  expressionAttributeNames,
  expressionAttributeValues,
  returnConsumedCapacity,
  returnItemCollectionMetrics,
  returnValuesOnConditionCheckFailure,
} from './common.js';

const conditionParts = {
  ExpressionAttributeNames: expressionAttributeNames,
  ExpressionAttributeValues: expressionAttributeValues,
  ReturnValuesOnConditionCheckFailure: returnValuesOnConditionCheckFailure,
};

export const transactWriteItemsSchema: OperationSchema = {
  operation: 'TransactWriteItems',
  members: {
    TransactItems: required(
      list(
        structure('TransactWriteItem', {
          ConditionCheck: structure('ConditionCheck', {
            Key: required(attributeMap),
            TableName: dataTableName,
            ConditionExpression: required(string()),
            ...conditionParts,
          }),
          Put: structure('Put', {
            Item: required(attributeMap),
            TableName: dataTableName,
            ConditionExpression: string(),
            ...conditionParts,
          }),
          Delete: structure('Delete', {
            Key: required(attributeMap),
            TableName: dataTableName,
            ConditionExpression: string(),
            ...conditionParts,
          }),
          Update: structure('Update', {
            Key: required(attributeMap),
            UpdateExpression: required(string()),
            TableName: dataTableName,
            ConditionExpression: string(),
            ...conditionParts,
          }),
        }),
        minLength(1),
        maxLength(100),
      ),
    ),
    ReturnConsumedCapacity: returnConsumedCapacity,
    ReturnItemCollectionMetrics: returnItemCollectionMetrics,
    ClientRequestToken: string(minLength(1), maxLength(36)),
  },
};
