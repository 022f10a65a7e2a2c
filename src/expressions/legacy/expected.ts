/**
 * The legacy `Expected` parameter (PutItem, UpdateItem, DeleteItem) and the legacy `QueryFilter` / `ScanFilter`
 * conditions, converted to the resolved condition AST so the one evaluator serves old and new requests.
 *
 * An Expected entry takes one of two forms:
 * - `Value` / `Exists`: `{Value: v}` (or `{Exists: true, Value: v}`) means the attribute equals v;
 *   `{Exists: false}` means the attribute does not exist. `{Exists: true}` alone is invalid: "exists with any
 *   value" is spelled NOT_NULL.
 * - `ComparisonOperator` with `AttributeValueList` (or, oddly, with `Value` as its single value).
 * Entries are combined with AND, or with OR when ConditionalOperator is OR (the ConditionalOperator rules
 * themselves are checked by checkExpressionParameterMix). Validation runs entry by entry, in request order, with
 * DynamoDB's messages.
 */
import type { AttributeValue } from '../../model/attribute-value.js';
import { validationError } from '../../errors.js';
import type { ConditionNode } from '../ast.js';
import {
  checkOperatorValues,
  invalidOperatorMessage,
  isLegacyComparisonOperator,
  operatorCondition,
} from './comparison-operators.js';
import { and, attributePath, comparison, functionCondition, literal, or } from './legacy-nodes.js';

export interface ExpectedAttributeValue {
  readonly Value?: AttributeValue;
  readonly Exists?: boolean;
  readonly ComparisonOperator?: string;
  readonly AttributeValueList?: readonly AttributeValue[];
}

export interface LegacyCondition {
  readonly ComparisonOperator?: string;
  readonly AttributeValueList?: readonly AttributeValue[];
}

const INVALID = 'One or more parameter values were invalid: ';

/**
 * The condition an Expected map stands for, or undefined when it is absent or empty (an empty Expected imposes
 * nothing). Throws ValidationException for malformed entries.
 */
export function expectedToCondition(
  expected: Readonly<Record<string, ExpectedAttributeValue>> | undefined,
  conditionalOperator?: unknown,
): ConditionNode | undefined {
  if (expected === undefined || expected === null) return undefined;
  const conditions: ConditionNode[] = [];
  for (const name of Object.keys(expected)) {
    conditions.push(expectedEntry(name, expected[name] as ExpectedAttributeValue));
  }
  return combine(conditions, conditionalOperator);
}

function expectedEntry(name: string, entry: ExpectedAttributeValue): ConditionNode {
  const hasValue = entry.Value !== undefined && entry.Value !== null;
  const hasList = entry.AttributeValueList !== undefined && entry.AttributeValueList !== null;
  const hasExists = entry.Exists !== undefined && entry.Exists !== null;
  if (hasValue && hasList) {
    throw validationError(`${INVALID}Value and AttributeValueList cannot be used together for Attribute: ${name}`);
  }
  const operator = entry.ComparisonOperator;
  if (operator !== undefined && operator !== null) {
    if (hasExists) {
      throw validationError(`${INVALID}Exists and ComparisonOperator cannot be used together for Attribute: ${name}`);
    }
    if (!isLegacyComparisonOperator(operator)) {
      throw validationError(invalidOperatorMessage(operator, `expected.${name}.member`));
    }
    if (operator !== 'NULL' && operator !== 'NOT_NULL' && !hasValue && !hasList) {
      throw validationError(
        `${INVALID}Value or AttributeValueList must be used with ComparisonOperator: ${operator} for Attribute: ${name}`,
      );
    }
    const values = hasList ? (entry.AttributeValueList as readonly AttributeValue[]) : hasValue ? [entry.Value as AttributeValue] : [];
    checkOperatorValues(operator, values);
    return operatorCondition(name, operator, values);
  }
  if (hasList) {
    throw validationError(
      `${INVALID}AttributeValueList can only be used with a ComparisonOperator for Attribute: ${name}`,
    );
  }
  const exists = entry.Exists ?? true;
  if (exists && !hasValue) {
    // DynamoDB prints the Exists it was given: "null" when absent.
    throw validationError(
      `${INVALID}Value must be provided when Exists is ${hasExists ? String(entry.Exists) : 'null'} for Attribute: ${name}`,
    );
  }
  if (!exists) {
    if (hasValue) throw validationError(`${INVALID}Value cannot be used when Exists is false for Attribute: ${name}`);
    return functionCondition('attribute_not_exists', attributePath(name));
  }
  return comparison('=', attributePath(name), literal(entry.Value as AttributeValue));
}

/**
 * The condition a QueryFilter or ScanFilter map stands for (undefined when absent or empty). Each entry needs a
 * ComparisonOperator; the values are checked as for Expected. `parameter` is the request member name in camel
 * case for the shape-validation message (`queryFilter` / `scanFilter`).
 */
export function filterToCondition(
  filter: Readonly<Record<string, LegacyCondition>> | undefined,
  conditionalOperator: unknown,
  parameter: 'queryFilter' | 'scanFilter',
): ConditionNode | undefined {
  if (filter === undefined || filter === null) return undefined;
  const conditions: ConditionNode[] = [];
  for (const name of Object.keys(filter)) {
    const entry = filter[name] as LegacyCondition;
    const operator = entry.ComparisonOperator;
    if (!isLegacyComparisonOperator(operator)) {
      if (operator === undefined || operator === null) {
        throw validationError(
          `1 validation error detected: Value null at '${parameter}.${name}.member.comparisonOperator' failed to satisfy constraint: Member must not be null`,
        );
      }
      throw validationError(invalidOperatorMessage(operator, `${parameter}.${name}.member`));
    }
    const values = entry.AttributeValueList ?? [];
    checkOperatorValues(operator, values);
    conditions.push(operatorCondition(name, operator, values));
  }
  return combine(conditions, conditionalOperator);
}

function combine(conditions: readonly ConditionNode[], conditionalOperator: unknown): ConditionNode | undefined {
  const join = conditionalOperator === 'OR' ? or : and;
  let result: ConditionNode | undefined;
  for (const condition of conditions) result = result === undefined ? condition : join(result, condition);
  return result;
}
