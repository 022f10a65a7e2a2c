/**
 * PutItem. After the constraints DynamoDB checks, in this order: expression against legacy parameters, the
 * Item's values, ReturnValues (only ALL_OLD or NONE make sense for a put), then the legacy Expected map. The item
 * size limit and the expressions themselves come next, in the operation.
 */
import { attributeMap, required, string, type OperationSchema } from '../../validation/schema.js';
import {
  expectedProblem,
  expressionParameterProblem,
  returnValuesAllOldOrNoneProblem,
  ruleCheck,
  validateAttributeMapMember,
} from '../../validation/request-rules.js';
import {
  conditionalOperator,
  dataTableName,
  expected,
  expressionAttributeNames,
  expressionAttributeValues,
  returnConsumedCapacity,
  returnItemCollectionMetrics,
  returnValues,
  returnValuesOnConditionCheckFailure,
} from './common.js';

export const putItemSchema: OperationSchema = {
  operation: 'PutItem',
  members: {
    ReturnConsumedCapacity: returnConsumedCapacity,
    TableName: dataTableName,
    Item: required(attributeMap),
    ConditionalOperator: conditionalOperator,
    Expected: expected,
    ReturnValues: returnValues,
    ReturnItemCollectionMetrics: returnItemCollectionMetrics,
    ConditionExpression: string(),
    ExpressionAttributeValues: expressionAttributeValues,
    ExpressionAttributeNames: expressionAttributeNames,
    ReturnValuesOnConditionCheckFailure: returnValuesOnConditionCheckFailure,
  },
  custom(body) {
    ruleCheck(
      () => expressionParameterProblem(body, 'PutItem'),
      () => validateAttributeMapMember(body, 'Item', 'current', true),
      () => returnValuesAllOldOrNoneProblem(body),
      () => expectedProblem(body),
    );
  },
};
