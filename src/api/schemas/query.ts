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
  /**
   * A Limit below 1 on its own: Query names the member `Limit` without its value, unlike Scan (`Value '0' at
   * 'limit'`), in live captures of DynamoDB kept by public conformance suites and emulators (2026). Among other
   * violations DynamoDB was seen listing it in the usual form (the ten-violation order above), so only the lone
   * violation is reworded.
   */
  rewordConstraints(message) {
    return /^1 validation error detected: Value '-?\d+' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1$/.test(message)
      ? "1 validation error detected: Value at 'Limit' failed to satisfy constraint: Member must have value greater than or equal to 1"
      : message;
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
