/**
 * Scan. Member order follows the order DynamoDB reported a request with nine violations in (Limit,
 * TotalSegments, ReturnConsumedCapacity, AttributesToGet, Select, TableName, Segment, ScanFilter), then the rest.
 */
import { attributeMap, boolean, integer, maxValue, minValue, string, type OperationSchema } from '../../validation/schema.js';
import { attributesToGetProblem, expressionParameterProblem, ruleCheck } from '../../validation/request-rules.js';
import { conditionMapProblem, exclusiveStartKeyProblem } from '../../validation/read-request-rules.js';
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

export const scanSchema: OperationSchema = {
  operation: 'Scan',
  members: {
    Limit: integer(minValue(1)),
    TotalSegments: integer(minValue(1), maxValue(1000000)),
    ReturnConsumedCapacity: returnConsumedCapacity,
    AttributesToGet: attributesToGet,
    Select: select,
    TableName: dataTableName,
    Segment: integer(minValue(0), maxValue(999999)),
    ScanFilter: conditionMap(false),
    IndexName: indexName,
    ConditionalOperator: conditionalOperator,
    ExclusiveStartKey: attributeMap,
    FilterExpression: string(),
    ProjectionExpression: string(),
    ExpressionAttributeValues: expressionAttributeValues,
    ExpressionAttributeNames: expressionAttributeNames,
    ConsistentRead: boolean,
  },
  custom(body) {
    ruleCheck(
      () => expressionParameterProblem(body, 'Scan'),
      () => attributesToGetProblem(body),
      // Scan checks values in DynamoDB's older layer (Query in the current one).
      () => conditionMapProblem(body, 'ScanFilter', 'legacy'),
      () => exclusiveStartKeyProblem(body, 'legacy'),
      () => segmentProblem(body),
    );
  },
};

/** Segment and TotalSegments go together, and the segment is zero-based. */
function segmentProblem(body: Readonly<Record<string, unknown>>): string | undefined {
  const segment = body.Segment;
  const total = body.TotalSegments;
  const hasSegment = typeof segment === 'number';
  const hasTotal = typeof total === 'number';
  // Any Segment, 0 included, needs TotalSegments: DynamoDB tests the member's presence (a Segment of 0 alone would
  // otherwise read as a whole-table scan that the caller meant as one segment of a parallel scan).
  if (hasSegment && !hasTotal) {
    return 'The TotalSegments parameter is required but was not present in the request when Segment parameter is present';
  }
  if (hasTotal) {
    if (!hasSegment) {
      return 'The Segment parameter is required but was not present in the request when parameter TotalSegments is present';
    }
    if (segment >= total) {
      return (
        'The Segment parameter is zero-based and must be less than parameter TotalSegments: ' +
        `Segment: ${segment} is not less than TotalSegments: ${total}`
      );
    }
  }
  return undefined;
}
