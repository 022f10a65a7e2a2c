/**
 * Checks Query and Scan share in their `custom` hooks, made (like request-rules.ts) after the constraints and
 * before the table is looked up: the legacy condition maps (KeyConditions, QueryFilter, ScanFilter), the values
 * of ExclusiveStartKey, and Query's need for a key condition. Each returns DynamoDB's message, or undefined.
 */
import { DynamoDbError } from '../errors.js';
import {
  checkOperatorValues,
  invalidOperatorMessage,
  isLegacyComparisonOperator,
} from '../expressions/legacy/comparison-operators.js';
import type { AttributeValue } from '../model/attribute-value.js';
import { validateAttributeValue, type ValueLayer } from '../model/validate-attribute-value.js';

type Body = Record<string, unknown>;

function problemOf(check: () => void): string | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    if (error instanceof DynamoDbError) return error.message;
    throw error;
  }
}

/**
 * A legacy condition map (KeyConditions, QueryFilter, ScanFilter), entry by entry: every value valid (stored back
 * normalised, so that `1.0` and `1` compare and encode alike), then the operator's argument count, one type for
 * all values, a type the operator accepts, and a BETWEEN range in order.
 */
export function conditionMapProblem(
  body: Body,
  member: 'KeyConditions' | 'QueryFilter' | 'ScanFilter',
  layer: ValueLayer = 'current',
): string | undefined {
  const conditions = body[member];
  if (typeof conditions !== 'object' || conditions === null) return undefined;
  const entries = conditions as Record<string, Body | null>;
  for (const name in entries) {
    const entry = entries[name];
    if (entry === undefined || entry === null) continue;
    const list = Array.isArray(entry.AttributeValueList) ? (entry.AttributeValueList as AttributeValue[]) : [];
    for (let i = 0; i < list.length; i++) {
      let normalized: AttributeValue | undefined;
      const problem = problemOf(() => {
        normalized = validateAttributeValue(list[i] as AttributeValue, 1, layer);
      });
      if (problem !== undefined) return problem;
      if (normalized !== undefined && normalized !== list[i]) list[i] = normalized;
    }
    const operator = entry.ComparisonOperator;
    if (!isLegacyComparisonOperator(operator)) return invalidOperatorMessage(operator, `${member.charAt(0).toLowerCase()}${member.slice(1)}.${name}.member`);
    const problem = problemOf(() => checkOperatorValues(operator, list));
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/**
 * The values of ExclusiveStartKey. DynamoDB prefixes most of these messages with `The provided starting key is
 * invalid: `, but not those about numbers, number sets and duplicates, which it reports as they are.
 */
export function exclusiveStartKeyProblem(body: Body, layer: ValueLayer = 'current'): string | undefined {
  const key = body.ExclusiveStartKey;
  if (typeof key !== 'object' || key === null) return undefined;
  const values = key as Record<string, AttributeValue>;
  for (const name in values) {
    let normalized: AttributeValue | undefined;
    const problem = problemOf(() => {
      normalized = validateAttributeValue(values[name] as AttributeValue, 1, layer);
    });
    if (problem !== undefined) {
      return /contains duplicates|number set|numeric value|significant digits|number with magnitude/.test(problem)
        ? problem
        : `The provided starting key is invalid: ${problem}`;
    }
    if (normalized !== undefined && normalized !== values[name]) values[name] = normalized;
  }
  return undefined;
}

/** A Query needs its key condition in one of the two forms. */
export function keyConditionRequiredProblem(body: Body): string | undefined {
  const present = (member: string): boolean => body[member] !== undefined && body[member] !== null;
  if (!present('KeyConditions') && !present('KeyConditionExpression')) {
    return 'Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.';
  }
  return undefined;
}
