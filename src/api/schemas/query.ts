/**
 * Query. Member order follows the order DynamoDB reported a request with ten violations in (Limit,
 * ReturnConsumedCapacity, AttributesToGet, QueryFilter, Select, KeyConditions, TableName, IndexName), then the
 * rest. The checks on the key condition against the table's key belong to the Query operation (src/api/query.ts).
 */
import { validationError } from '../../errors.js';
import { attributeMap, boolean, integer, string, type OperationSchema } from '../../validation/schema.js';
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
    // Limit's minimum is Query's own check (see custom): DynamoDB words it differently from the constraint form.
    Limit: integer(),
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
    // Query reports a Limit below 1 naming the member `Limit` without its value, unlike Scan (`Value '0' at
    // 'limit'`): live captures of DynamoDB kept by public conformance suites and emulators (2026).
    if (typeof body.Limit === 'number' && body.Limit < 1) {
      throw validationError(
        "1 validation error detected: Value at 'Limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
      );
    }
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
