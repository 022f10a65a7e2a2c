/**
 * Evaluating operands (paths, literals, function calls, arithmetic) against an item.
 *
 * Conditions and updates treat a value that cannot be produced very differently:
 * - In a condition, a missing attribute, or `size()` of a type that has no size (N, BOOL, NULL), simply yields
 *   "no value" and the enclosing comparison is false (`<>` true). DynamoDB raises nothing at run time there; the
 *   operand types it rejects are all literals, which static validation reports before any item is read.
 * - In an update, the same situations are errors with DynamoDB's exact texts (see evaluateUpdateOperand).
 */
import type { AttributeValue, Item } from '../model/attribute-value.js';
import { validationError } from '../errors.js';
import { base64DecodedLength } from '../model/base64.js';
import { addNumbers, subtractNumbers } from '../model/decimal.js';
import type { FunctionCallNode, OperandNode } from './ast.js';
import { resolvePath } from './document-path.js';

/** "The provided expression refers to an attribute that does not exist in the item". */
export const MISSING_ATTRIBUTE_MESSAGE = 'The provided expression refers to an attribute that does not exist in the item';
/** Arithmetic on a non-number, list_append on a non-list, ADD/DELETE on a mismatched attribute. */
export const INCORRECT_DATA_TYPE_MESSAGE = 'An operand in the update expression has an incorrect data type';

/** The value of a condition operand, or undefined when it has none (missing attribute, size() of a number...). */
export function evaluateOperand(node: OperandNode, item: Item | undefined): AttributeValue | undefined {
  switch (node.kind) {
    case 'Path':
      return resolvePath(node, item);
    case 'Literal':
      return node.value;
    case 'FunctionCall':
      return evaluateConditionFunctionValue(node, item);
    case 'Arithmetic': {
      // Not allowed in conditions (a syntax error there); evaluated leniently for completeness.
      const left = evaluateOperand(node.left, item);
      const right = evaluateOperand(node.right, item);
      if (left === undefined || right === undefined || !('N' in left) || !('N' in right)) return undefined;
      return { N: node.operator === '+' ? addNumbers(left.N, right.N) : subtractNumbers(left.N, right.N) };
    }
    case 'ValuePlaceholder':
      throw new Error(`unresolved placeholder ${node.placeholder} reached the evaluator`);
  }
}

/**
 * `size(x)` as DynamoDB defines it: a string's length in UTF-16 code units (what DynamoDB counts; "é𝄞" has size
 * 3), a binary's length in bytes, the member count of a set or list, the key count of a map. Numbers, booleans
 * and NULL have no size.
 */
export function sizeOf(value: AttributeValue): number | undefined {
  if ('S' in value) return value.S.length;
  if ('B' in value) return base64DecodedLength(value.B);
  if ('SS' in value) return value.SS.length;
  if ('NS' in value) return value.NS.length;
  if ('BS' in value) return value.BS.length;
  if ('L' in value) return value.L.length;
  if ('M' in value) {
    let count = 0;
    for (const key in value.M) if (Object.hasOwn(value.M, key)) count++;
    return count;
  }
  return undefined;
}

function evaluateConditionFunctionValue(node: FunctionCallNode, item: Item | undefined): AttributeValue | undefined {
  if (node.name === 'size') {
    const argument = node.args[0];
    const value = argument === undefined ? undefined : evaluateOperand(argument, item);
    if (value === undefined) return undefined;
    const size = sizeOf(value);
    return size === undefined ? undefined : { N: String(size) };
  }
  if (node.name === 'if_not_exists' || node.name === 'list_append') {
    // Update functions never reach a condition after validation; evaluate them without the update errors.
    try {
      return evaluateUpdateOperand(node, item);
    } catch {
      return undefined;
    }
  }
  throw new Error(`function ${node.name} cannot be used as an operand`);
}

/**
 * The value of the right-hand side of a SET action (or the operand of ADD/DELETE), read from the item *before*
 * the update: DynamoDB evaluates every operand against the old item, so `SET a = :v, b = a` copies the old `a`.
 * Throws DynamoDB's errors: a missing attribute, arithmetic on non-numbers, list_append on non-lists, number
 * overflow (from the decimal arithmetic).
 */
export function evaluateUpdateOperand(node: OperandNode, item: Item | undefined): AttributeValue {
  switch (node.kind) {
    case 'Path': {
      const value = resolvePath(node, item);
      if (value === undefined) throw validationError(MISSING_ATTRIBUTE_MESSAGE);
      return value;
    }
    case 'Literal':
      return node.value;
    case 'Arithmetic': {
      const left = evaluateUpdateOperand(node.left, item);
      if (!('N' in left)) throw validationError(INCORRECT_DATA_TYPE_MESSAGE);
      const right = evaluateUpdateOperand(node.right, item);
      if (!('N' in right)) throw validationError(INCORRECT_DATA_TYPE_MESSAGE);
      return { N: node.operator === '+' ? addNumbers(left.N, right.N) : subtractNumbers(left.N, right.N) };
    }
    case 'FunctionCall':
      return evaluateUpdateFunction(node, item);
    case 'ValuePlaceholder':
      throw new Error(`unresolved placeholder ${node.placeholder} reached the evaluator`);
  }
}

function evaluateUpdateFunction(node: FunctionCallNode, item: Item | undefined): AttributeValue {
  const [first, second] = node.args;
  if (first === undefined || second === undefined) {
    throw new Error(`function ${node.name} needs two arguments (validation should have rejected it)`);
  }
  switch (node.name) {
    case 'if_not_exists': {
      // The first argument is a path (validated); its value wins when present.
      const existing = first.kind === 'Path' ? resolvePath(first, item) : evaluateUpdateOperand(first, item);
      return existing ?? evaluateUpdateOperand(second, item);
    }
    case 'list_append': {
      const left = evaluateUpdateOperand(first, item);
      if (!('L' in left)) throw validationError(INCORRECT_DATA_TYPE_MESSAGE);
      const right = evaluateUpdateOperand(second, item);
      if (!('L' in right)) throw validationError(INCORRECT_DATA_TYPE_MESSAGE);
      return { L: left.L.length === 0 ? right.L : right.L.length === 0 ? left.L : [...left.L, ...right.L] };
    }
    default:
      throw new Error(`function ${node.name} cannot be used in an update (validation should have rejected it)`);
  }
}
