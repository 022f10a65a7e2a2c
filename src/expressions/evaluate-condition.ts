/**
 * Evaluating a resolved condition (ConditionExpression, FilterExpression, and the legacy Expected / QueryFilter /
 * ScanFilter converted to the same AST) against an item.
 *
 * DynamoDB's semantics, which differ from SQL's three-valued logic:
 * - A comparison with a missing operand is false, except `<>`, which is true: a missing value differs from every
 *   value (`a <> :v` holds when `a` is absent, and `a <> b` holds when both are absent; `a = b` does not).
 * - Comparing different types is false (`<>` true); `<`, `<=`, `>`, `>=` and BETWEEN only order S, N and B.
 * - Nothing in here throws for a validated tree: the operand-type errors DynamoDB reports concern literals and
 *   are raised by static validation before any item is read; bad types found in the item just make the
 *   condition false.
 */
import type { AttributeValue, AttributeType, Item } from '../model/attribute-value.js';
import { typeOf } from '../model/attribute-value.js';
import type { ComparisonOperator, ConditionNode, FunctionCallNode } from './ast.js';
import { compareOrdered, numberSetHas, stringSetHas, valuesEqual } from './compare-values.js';
import { evaluateOperand } from './evaluate-operand.js';

/** The attribute type names attribute_type() accepts. */
const ATTRIBUTE_TYPE_NAMES: ReadonlySet<string> = new Set<AttributeType>([
  'S', 'SS', 'N', 'NS', 'B', 'BS', 'BOOL', 'NULL', 'L', 'M',
]);

/** Whether `item` (undefined when the item does not exist) satisfies `node`. */
export function evaluateCondition(node: ConditionNode, item: Item | undefined): boolean {
  switch (node.kind) {
    case 'And':
      return evaluateCondition(node.left, item) && evaluateCondition(node.right, item);
    case 'Or':
      return evaluateCondition(node.left, item) || evaluateCondition(node.right, item);
    case 'Not':
      return !evaluateCondition(node.operand, item);
    case 'Parentheses':
      return evaluateCondition(node.inner, item);
    case 'Comparison':
      return compare(node.operator, evaluateOperand(node.left, item), evaluateOperand(node.right, item));
    case 'Between': {
      const value = evaluateOperand(node.operand, item);
      if (value === undefined) return false;
      const low = evaluateOperand(node.low, item);
      const high = evaluateOperand(node.high, item);
      if (low === undefined || high === undefined) return false;
      const aboveLow = compareOrdered(value, low);
      const belowHigh = compareOrdered(value, high);
      // compareOrdered is undefined across types, so this also requires all three to share one orderable type.
      return aboveLow !== undefined && aboveLow >= 0 && belowHigh !== undefined && belowHigh <= 0;
    }
    case 'In': {
      const value = evaluateOperand(node.operand, item);
      if (value === undefined) return false;
      for (const candidate of node.list) {
        const other = evaluateOperand(candidate, item);
        if (other !== undefined && valuesEqual(value, other)) return true;
      }
      return false;
    }
    case 'ConditionFunction':
      return evaluateFunction(node.call, item);
  }
}

/** One comparison operator applied to two (possibly missing) values. */
export function compare(
  operator: ComparisonOperator,
  left: AttributeValue | undefined,
  right: AttributeValue | undefined,
): boolean {
  switch (operator) {
    case '=':
      return left !== undefined && right !== undefined && valuesEqual(left, right);
    case '<>':
      return left === undefined || right === undefined || !valuesEqual(left, right);
    case '<':
      return ordered(left, right) < 0;
    case '<=':
      return ordered(left, right) <= 0;
    case '>':
      return ordered(left, right) > 0;
    case '>=':
      return ordered(left, right) >= 0;
  }
}

/** The order of two values, or NaN when either is missing or they cannot be ordered (every test is then false). */
function ordered(left: AttributeValue | undefined, right: AttributeValue | undefined): number {
  if (left === undefined || right === undefined) return NaN;
  return compareOrdered(left, right) ?? NaN;
}

function evaluateFunction(call: FunctionCallNode, item: Item | undefined): boolean {
  const [first, second] = call.args;
  if (first === undefined) throw new Error(`function ${call.name} without arguments reached the evaluator`);
  switch (call.name) {
    case 'attribute_exists':
      return evaluateOperand(first, item) !== undefined;
    case 'attribute_not_exists':
      return evaluateOperand(first, item) === undefined;
    case 'attribute_type': {
      const value = evaluateOperand(first, item);
      const type = second === undefined ? undefined : evaluateOperand(second, item);
      // Validation guarantees `type` is an S literal naming one of the ten types; anything else cannot match.
      if (value === undefined || type === undefined || !('S' in type) || !ATTRIBUTE_TYPE_NAMES.has(type.S)) {
        return false;
      }
      return typeOf(value) === type.S;
    }
    case 'begins_with': {
      const value = evaluateOperand(first, item);
      const prefix = second === undefined ? undefined : evaluateOperand(second, item);
      return value !== undefined && prefix !== undefined && beginsWith(value, prefix);
    }
    case 'contains': {
      const value = evaluateOperand(first, item);
      const operand = second === undefined ? undefined : evaluateOperand(second, item);
      return value !== undefined && operand !== undefined && contains(value, operand);
    }
    default:
      throw new Error(`function ${call.name} cannot be used as a condition (validation should have rejected it)`);
  }
}

/** begins_with: a string prefix of a string, or a byte prefix of a binary; any other pairing is false. */
export function beginsWith(value: AttributeValue, prefix: AttributeValue): boolean {
  if ('S' in value) return 'S' in prefix && value.S.startsWith(prefix.S);
  if ('B' in value) {
    if (!('B' in prefix)) return false;
    const bytes = Buffer.from(value.B, 'base64');
    const start = Buffer.from(prefix.B, 'base64');
    return start.length <= bytes.length && bytes.subarray(0, start.length).equals(start);
  }
  return false;
}

/**
 * contains: a substring of a string (S in S), a byte substring of a binary (B in B), a member of a set of the
 * operand's type (S in SS, N in NS, B in BS), or an element of a list equal to the operand.
 */
export function contains(value: AttributeValue, operand: AttributeValue): boolean {
  if ('S' in value) return 'S' in operand && value.S.includes(operand.S);
  if ('B' in value) {
    return 'B' in operand && Buffer.from(value.B, 'base64').includes(Buffer.from(operand.B, 'base64'));
  }
  if ('SS' in value) return 'S' in operand && stringSetHas(value.SS, operand.S);
  if ('NS' in value) return 'N' in operand && numberSetHas(value.NS, operand.N);
  if ('BS' in value) return 'B' in operand && stringSetHas(value.BS, operand.B);
  if ('L' in value) {
    for (const element of value.L) if (valuesEqual(element, operand)) return true;
    return false;
  }
  return false;
}
