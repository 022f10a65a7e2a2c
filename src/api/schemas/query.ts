/**
 * Query. Member order follows the order DynamoDB reported a request with ten violations in (Limit,
 * ReturnConsumedCapacity, AttributesToGet, QueryFilter, Select, KeyConditions, TableName, IndexName), then the
 * rest. The checks on the key condition against the table's key belong to the Query operation (src/api/query.ts).
 */
import { attributeMap, boolean, integer, minValue, string, type OperationSchema } from '../../validation/schema.js';
import { attributesToGetProblem, expressionParameterProblem, ruleCheck } from '../../validation/request-rules.js';
import {
  conditionMapProblem,
  exclusiveStartKeyProblem,
  keyConditionRequiredProblem,
} from '../../validation/read-request-rules.js';
import {
  attributesToGet,
  conditionMap,
  conditionalOperator,
  dataTableName,
  expressionAttributeNames,
  expressionAttributeValues,
  indexName,
  returnConsumedCapacity,
  select,
} from './common.js';

export const querySchema: OperationSchema = {
  operation: 'Query',
  members: {
    Limit: integer(minValue(1)),
    ReturnConsumedCapacity: returnConsumedCapacity,
    AttributesToGet: attributesToGet,
    QueryFilter: conditionMap(false),
    Select: select,
    KeyConditions: conditionMap(true),
    TableName: dataTableName,
    IndexName: indexName,
    ConditionalOperator: conditionalOperator,
    ExclusiveStartKey: attributeMap,
    ConsistentRead: boolean,
    ScanIndexForward: boolean,
    KeyConditionExpression: string(),
    FilterExpression: string(),
    ProjectionExpression: string(),
    ExpressionAttributeValues: expressionAttributeValues,
    ExpressionAttributeNames: expressionAttributeNames,
  },
  custom(body) {
    ruleCheck(
      () => expressionParameterProblem(body, 'Query'),
      () => conditionMapProblem(body, 'QueryFilter'),
      () => attributesToGetProblem(body),
      () => exclusiveStartKeyProblem(body),
      () => keyConditionRequiredProblem(body),
      () => conditionMapProblem(body, 'KeyConditions'),
    );
  },
};
