/**
 * DeleteItem. After the constraints: expression against legacy parameters, the Key's values, ReturnValues (a
 * delete has no new image), then the legacy Expected map.
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

export const deleteItemSchema: OperationSchema = {
  operation: 'DeleteItem',
  members: {
    ReturnConsumedCapacity: returnConsumedCapacity,
    TableName: dataTableName,
    ReturnValues: returnValues,
    ReturnItemCollectionMetrics: returnItemCollectionMetrics,
    Key: required(attributeMap),
    ConditionalOperator: conditionalOperator,
    Expected: expected,
    ConditionExpression: string(),
    ExpressionAttributeValues: expressionAttributeValues,
    ExpressionAttributeNames: expressionAttributeNames,
    ReturnValuesOnConditionCheckFailure: returnValuesOnConditionCheckFailure,
  },
  custom(body) {
    ruleCheck(
      () => expressionParameterProblem(body, 'DeleteItem'),
      () => validateAttributeMapMember(body, 'Key', 'current', true),
      () => returnValuesAllOldOrNoneProblem(body),
      () => expectedProblem(body),
    );
  },
};
