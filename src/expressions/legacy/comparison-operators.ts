/**
 * The legacy ComparisonOperator values (Expected, QueryFilter, ScanFilter): how many values each takes, which
 * value types it accepts, and the condition each one becomes.
 *
 * The legacy operators mostly coincide with the expression operators, with one quirk worth noting:
 * NOT_CONTAINS is false when the attribute does not exist (so CONTAINS and NOT_CONTAINS are then both false),
 * while NE is true for a missing attribute, like `<>`.
 */
import type { AttributeType, AttributeValue } from '../../model/attribute-value.js';
import { typeOf } from '../../model/attribute-value.js';
import { validationError } from '../../errors.js';
import type { ConditionNode } from '../ast.js';
import { compareOrdered } from '../compare-values.js';
import { and, attributePath, comparison, functionCondition, literal, not } from './legacy-nodes.js';

export type LegacyComparisonOperator =
  | 'EQ' | 'NE' | 'LE' | 'LT' | 'GE' | 'GT' | 'NOT_NULL' | 'NULL' | 'CONTAINS' | 'NOT_CONTAINS' | 'BEGINS_WITH'
  | 'IN' | 'BETWEEN';

/** In the order DynamoDB lists them in its enum constraint message. */
export const LEGACY_COMPARISON_OPERATORS: readonly LegacyComparisonOperator[] = [
  'IN', 'NULL', 'BETWEEN', 'LT', 'NOT_CONTAINS', 'EQ', 'GT', 'NOT_NULL', 'NE', 'LE', 'BEGINS_WITH', 'GE', 'CONTAINS',
];

const SCALARS: readonly AttributeType[] = ['S', 'N', 'B'];
/** EQ and NE take any type, documents included ("EQ is supported for all data types, including lists and maps"). */
const ALL_TYPES: readonly AttributeType[] = ['S', 'N', 'B', 'SS', 'NS', 'BS', 'BOOL', 'NULL', 'L', 'M'];

interface OperatorRule {
  /** Exact number of values, or `'one or more'` (IN). */
  readonly arity: number | 'one or more';
  /** The value types accepted in AttributeValueList. */
  readonly types: readonly AttributeType[];
}

const RULES: Readonly<Record<LegacyComparisonOperator, OperatorRule>> = {
  EQ: { arity: 1, types: ALL_TYPES },
  NE: { arity: 1, types: ALL_TYPES },
  LE: { arity: 1, types: SCALARS },
  LT: { arity: 1, types: SCALARS },
  GE: { arity: 1, types: SCALARS },
  GT: { arity: 1, types: SCALARS },
  NOT_NULL: { arity: 0, types: [] },
  NULL: { arity: 0, types: [] },
  CONTAINS: { arity: 1, types: SCALARS },
  NOT_CONTAINS: { arity: 1, types: SCALARS },
  BEGINS_WITH: { arity: 1, types: ['S', 'B'] },
  IN: { arity: 'one or more', types: SCALARS },
  BETWEEN: { arity: 2, types: SCALARS },
};

export function isLegacyComparisonOperator(value: unknown): value is LegacyComparisonOperator {
  return typeof value === 'string' && Object.hasOwn(RULES, value);
}

/**
 * Checks the values given to an operator, in DynamoDB's order: their number ("Invalid number of argument(s) for
 * the EQ ComparisonOperator"), that they share one type, that the operator accepts that type, and that a
 * BETWEEN range is not reversed.
 */
export function checkOperatorValues(operator: LegacyComparisonOperator, values: readonly AttributeValue[]): void {
  const rule = RULES[operator];
  const arityOk = rule.arity === 'one or more' ? values.length > 0 : values.length === rule.arity;
  if (!arityOk) {
    throw validationError(
      `One or more parameter values were invalid: Invalid number of argument(s) for the ${operator} ComparisonOperator`,
    );
  }
  const first = values[0];
  if (first === undefined) return;
  const type = typeOf(first);
  for (const value of values) {
    if (typeOf(value) !== type) {
      throw validationError(
        'One or more parameter values were invalid: AttributeValues inside AttributeValueList must be of same type',
      );
    }
  }
  if (!rule.types.includes(type)) {
    throw validationError(
      `One or more parameter values were invalid: ComparisonOperator ${operator} is not valid for ${type} AttributeValue type`,
    );
  }
  if (operator === 'BETWEEN') {
    const order = compareOrdered(first, values[1] as AttributeValue);
    if (order !== undefined && order > 0) {
      throw validationError(
        'The BETWEEN condition was provided a range where the lower bound is greater than the upper bound',
      );
    }
  }
}

/** The condition `attribute <operator> values` (values already checked). */
export function operatorCondition(
  attribute: string,
  operator: LegacyComparisonOperator,
  values: readonly AttributeValue[],
): ConditionNode {
  const path = attributePath(attribute);
  const value = values[0] as AttributeValue;
  switch (operator) {
    case 'EQ':
      return comparison('=', path, literal(value));
    case 'NE':
      return comparison('<>', path, literal(value));
    case 'LE':
      return comparison('<=', path, literal(value));
    case 'LT':
      return comparison('<', path, literal(value));
    case 'GE':
      return comparison('>=', path, literal(value));
    case 'GT':
      return comparison('>', path, literal(value));
    case 'NOT_NULL':
      return functionCondition('attribute_exists', path);
    case 'NULL':
      return functionCondition('attribute_not_exists', path);
    case 'CONTAINS':
      return functionCondition('contains', path, literal(value));
    case 'NOT_CONTAINS':
      // False for a missing attribute, unlike NOT contains(...).
      return and(functionCondition('attribute_exists', path), not(functionCondition('contains', path, literal(value))));
    case 'BEGINS_WITH':
      return functionCondition('begins_with', path, literal(value));
    case 'IN':
      return { kind: 'In', operand: path, list: values.map(literal), pos: 0 };
    case 'BETWEEN':
      return { kind: 'Between', operand: path, low: literal(value), high: literal(values[1] as AttributeValue), pos: 0 };
  }
}

/** The shape-validation message for an unknown ComparisonOperator at `location` (e.g. `expected.a.member`). */
export function invalidOperatorMessage(value: unknown, location: string): string {
  return (
    `1 validation error detected: Value '${String(value)}' at '${location}.comparisonOperator' failed to satisfy ` +
    `constraint: Member must satisfy enum value set: [${LEGACY_COMPARISON_OPERATORS.join(', ')}]`
  );
}
