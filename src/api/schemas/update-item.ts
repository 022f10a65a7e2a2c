/**
 * UpdateItem. After the constraints: expression against legacy parameters, the Key's values, the legacy
 * AttributeUpdates, then the legacy Expected map. AttributeUpdates' Action is not checked against its enum by
 * DynamoDB's constraints (an unknown action is the operation's business).
 */
import { attributeMap, attributeValue, map, required, string, structure, type OperationSchema } from '../../validation/schema.js';
import {
  attributeUpdatesProblem,
  expectedProblem,
  expressionParameterProblem,
  ruleCheck,
  validateAttributeMapMember,
} from '../../validation/request-rules.js';
import {
  MODEL,
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

export const updateItemSchema: OperationSchema = {
  operation: 'UpdateItem',
  members: {
    ReturnConsumedCapacity: returnConsumedCapacity,
    TableName: dataTableName,
    ReturnItemCollectionMetrics: returnItemCollectionMetrics,
    ReturnValues: returnValues,
    Key: required(attributeMap),
    ConditionalOperator: conditionalOperator,
    Expected: expected,
    AttributeUpdates: map(
      structure('AttributeValueUpdate', { Action: string(), Value: attributeValue }),
      `${MODEL}AttributeValueUpdate`,
    ),
    ConditionExpression: string(),
    UpdateExpression: string(),
    ExpressionAttributeValues: expressionAttributeValues,
    ExpressionAttributeNames: expressionAttributeNames,
    ReturnValuesOnConditionCheckFailure: returnValuesOnConditionCheckFailure,
  },
  custom(body) {
    ruleCheck(
      () =>
        expressionParameterProblem(body, 'UpdateItem'),
      () => validateAttributeMapMember(body, 'Key', 'current', true),
      () => attributeUpdatesProblem(body),
      () => expectedProblem(body),
    );
  },
};
