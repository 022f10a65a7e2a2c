/**
 * Static validation of a parsed condition (ConditionExpression, FilterExpression, KeyConditionExpression).
 *
 * DynamoDB's order of precedence among errors (whatever their position in the text):
 *   1. an unknown function name (`Invalid function name; function: foo`), or an update-only function
 *      (`The function is not allowed in a condition expression; function: if_not_exists`);
 *   2. a function used where its result cannot go (`The function is not allowed to be used this way in an
 *      expression; function: ...`): a boolean function as an operand, or `size` standing as a condition;
 *   3. a reserved word written as an attribute name;
 *   4. a path nested deeper than 32 levels;
 *   5. the first comparison / BETWEEN / IN / function condition (in text order) with any of, in this order:
 *      an undefined `#name` or `:value`; a wrong number of function operands; identical first and second
 *      operands; an operand type (a `:value` that `<`, `<=`, `>`, `>=` or BETWEEN cannot order, a function
 *      argument of the wrong type) or BETWEEN-bounds problem.
 */
import type { ConditionNode, FunctionCallNode, OperandNode, PathNode } from './ast.js';
import { compareOrdered } from './compare-values.js';
import type { ExpressionKind } from './expression-kind.js';
import {
  checkPath,
  checkValuePlaceholder,
  ErrorSlots,
  formatSteps,
  resolvedSteps,
  sameSteps,
  staticType,
  staticValue,
  type Substitutions,
} from './validate-common.js';
import type { AttributeValue } from '../model/attribute-value.js';

type Category = 'unknownFunction' | 'misusedFunction' | 'reserved' | 'nesting' | 'condition';
const ORDER: readonly Category[] = ['unknownFunction', 'misusedFunction', 'reserved', 'nesting', 'condition'];

/** Within one leaf condition. */
type LeafCategory = 'placeholder' | 'operandCount' | 'distinct' | 'function';
const LEAF_ORDER: readonly LeafCategory[] = ['placeholder', 'operandCount', 'distinct', 'function'];

/** Condition functions and their operand counts. */
const CONDITION_FUNCTIONS: ReadonlyMap<string, number> = new Map([
  ['attribute_exists', 1],
  ['attribute_not_exists', 1],
  ['attribute_type', 2],
  ['begins_with', 2],
  ['contains', 2],
  ['size', 1],
]);
const UPDATE_FUNCTIONS: ReadonlySet<string> = new Set(['if_not_exists', 'list_append']);

const ATTRIBUTE_TYPE_NAMES: ReadonlySet<string> = new Set(['S', 'N', 'B', 'NULL', 'SS', 'BOOL', 'L', 'BS', 'NS', 'M']);

class ConditionValidator {
  readonly slots = new ErrorSlots<Category>();
  private leafMessages = new Map<LeafCategory, string>();

  constructor(private readonly subs: Substitutions) {}

  condition(node: ConditionNode): void {
    switch (node.kind) {
      case 'And':
      case 'Or':
        this.condition(node.left);
        this.condition(node.right);
        return;
      case 'Not':
        this.condition(node.operand);
        return;
      case 'Parentheses':
        this.condition(node.inner);
        return;
      case 'Comparison':
        this.startLeaf();
        this.operand(node.left);
        this.operand(node.right);
        this.checkMisused(node.left);
        this.checkMisused(node.right);
        this.checkDistinct(node.operator, node.left, node.right);
        if (node.operator !== '=' && node.operator !== '<>') this.checkOrderable(node.operator, [node.left, node.right]);
        this.endLeaf();
        return;
      case 'Between':
        this.startLeaf();
        this.operand(node.operand);
        this.operand(node.low);
        this.operand(node.high);
        this.checkMisused(node.operand);
        this.checkMisused(node.low);
        this.checkMisused(node.high);
        this.checkOrderable('BETWEEN', [node.operand, node.low, node.high]);
        this.checkBetweenBounds(node.low, node.high);
        this.endLeaf();
        return;
      case 'In':
        this.startLeaf();
        this.operand(node.operand);
        for (const item of node.list) this.operand(item);
        this.checkMisused(node.operand);
        for (const item of node.list) this.checkMisused(item);
        this.endLeaf();
        return;
      case 'ConditionFunction':
        this.startLeaf();
        this.functionCall(node.call);
        // `size(a)` yields a number, not a truth value.
        if (node.call.name === 'size') {
          this.slots.set('misusedFunction', misusedMessage('size'));
        }
        this.endLeaf();
        return;
    }
  }

  private startLeaf(): void {
    this.leafMessages = new Map();
  }

  private setLeaf(category: LeafCategory, message: string): void {
    if (!this.leafMessages.has(category)) this.leafMessages.set(category, message);
  }

  private endLeaf(): void {
    if (this.leafMessages.size === 0 || this.slots.has('condition')) return;
    for (const category of LEAF_ORDER) {
      const message = this.leafMessages.get(category);
      if (message !== undefined) {
        this.slots.set('condition', message);
        return;
      }
    }
  }

  private operand(node: OperandNode): void {
    switch (node.kind) {
      case 'Path':
        this.path(node);
        return;
      case 'ValuePlaceholder':
        checkValuePlaceholder(node.placeholder, this.subs, (message) => this.setLeaf('placeholder', message));
        return;
      case 'Literal':
        return;
      case 'FunctionCall':
        this.functionCall(node);
        return;
      case 'Arithmetic':
        // The condition grammar has no arithmetic; a hand-built tree may, and it is walked for completeness.
        this.operand(node.left);
        this.operand(node.right);
        return;
    }
  }

  private path(node: PathNode): void {
    checkPath(node, this.subs, (problem, message) => {
      if (problem === 'undefinedName') this.setLeaf('placeholder', message);
      else this.slots.set(problem, message);
    });
  }

  private functionCall(call: FunctionCallNode): void {
    for (const arg of call.args) this.operand(arg);
    for (const arg of call.args) this.checkMisused(arg);
    const expected = CONDITION_FUNCTIONS.get(call.name);
    if (expected === undefined) {
      this.slots.set(
        'unknownFunction',
        UPDATE_FUNCTIONS.has(call.name)
          ? `The function is not allowed in a condition expression; function: ${call.name}`
          : `Invalid function name; function: ${call.name}`,
      );
      return;
    }
    if (call.args.length !== expected) {
      this.setLeaf(
        'operandCount',
        `Incorrect number of operands for operator or function; operator or function: ${call.name}, number of operands: ${call.args.length}`,
      );
      return;
    }
    if (expected === 2) this.checkDistinct(call.name, call.args[0] as OperandNode, call.args[1] as OperandNode);
    this.checkFunctionOperands(call);
  }

  private checkFunctionOperands(call: FunctionCallNode): void {
    const first = call.args[0] as OperandNode;
    switch (call.name) {
      case 'attribute_exists':
      case 'attribute_not_exists':
        if (first.kind !== 'Path') {
          this.setLeaf('function', `Operator or function requires a document path; operator or function: ${call.name}`);
        }
        return;
      case 'begins_with':
        for (const arg of call.args) {
          const type = staticType(arg, this.subs, true);
          if (type !== undefined && type !== 'S' && type !== 'B') {
            this.setLeaf('function', operandTypeMessage(call.name, type));
            return;
          }
        }
        return;
      case 'attribute_type': {
        const second = call.args[1] as OperandNode;
        const type = staticType(second, this.subs, true);
        if (type !== 'S') {
          // A path as the type name: DynamoDB lists every type it would have accepted the value to be.
          this.setLeaf('function', operandTypeMessage(call.name, type ?? '{NS,SS,L,BS,N,M,B,BOOL,NULL,S}'));
          return;
        }
        const value = staticValue(second, this.subs);
        const name = value !== undefined && 'S' in value ? value.S : '';
        if (!ATTRIBUTE_TYPE_NAMES.has(name)) {
          this.setLeaf(
            'function',
            `Invalid attribute type name found; type: ${name}, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}`,
          );
        }
        return;
      }
      case 'size': {
        const type = staticType(first, this.subs, true);
        if (type === 'N' || type === 'BOOL' || type === 'NULL') {
          this.setLeaf('function', operandTypeMessage(call.name, type));
        }
        return;
      }
      default:
        return;
    }
  }

  /** Only `size` may stand as an operand; the boolean functions may not. */
  private checkMisused(operand: OperandNode): void {
    if (operand.kind === 'FunctionCall' && operand.name !== 'size') {
      this.slots.set('misusedFunction', misusedMessage(operand.name));
    }
  }

  /** `a = a`, `begins_with(a, a)`: DynamoDB rejects comparing a path with itself. */
  private checkDistinct(operator: string, left: OperandNode, right: OperandNode): void {
    if (left.kind !== 'Path' || right.kind !== 'Path') return;
    const a = resolvedSteps(left, this.subs);
    if (!sameSteps(a, resolvedSteps(right, this.subs))) return;
    this.setLeaf(
      'distinct',
      'The first operand must be distinct from the remaining operands for this operator or function; ' +
        `operator: ${operator}, first operand: ${formatSteps(a)}`,
    );
  }

  /**
   * `<`, `<=`, `>`, `>=` and BETWEEN order only strings, numbers and binaries. An operand whose type is known
   * before any item is read (a `:value`, or `size(...)`) and is anything else is a ValidationException; a path
   * whose stored value turns out to be, say, a list only makes the condition false (its type is known only when
   * the item is read).
   */
  private checkOrderable(operator: string, operands: readonly OperandNode[]): void {
    for (const operand of operands) {
      const type = staticType(operand, this.subs, true);
      if (type !== undefined && type !== 'S' && type !== 'N' && type !== 'B') {
        this.setLeaf('function', operandTypeMessage(operator, type));
        return;
      }
    }
  }

  /** With two literal bounds, DynamoDB checks their types and order before reading anything. */
  private checkBetweenBounds(lowNode: OperandNode, highNode: OperandNode): void {
    const low = staticValue(lowNode, this.subs);
    const high = staticValue(highNode, this.subs);
    if (low === undefined || high === undefined) return;
    const lowType = staticType(lowNode, this.subs, false);
    const highType = staticType(highNode, this.subs, false);
    const bounds = `lower bound operand: AttributeValue: ${formatLiteral(low)}, upper bound operand: AttributeValue: ${formatLiteral(high)}`;
    if (lowType !== highType) {
      this.setLeaf('function', `The BETWEEN operator requires same data type for lower and upper bounds; ${bounds}`);
    } else if (compareOrdered(low, high) === 1) {
      this.setLeaf(
        'function',
        `The BETWEEN operator requires upper bound to be greater than or equal to lower bound; ${bounds}`,
      );
    }
  }
}

function misusedMessage(name: string): string {
  return `The function is not allowed to be used this way in an expression; function: ${name}`;
}

function operandTypeMessage(name: string, type: string): string {
  return `Incorrect operand type for operator or function; operator or function: ${name}, operand type: ${type}`;
}

/** `{N:5}`, `{S:abc}`: how DynamoDB prints a literal in BETWEEN messages. */
export function formatLiteral(value: AttributeValue): string {
  for (const key in value) {
    const inner: unknown = (value as Record<string, unknown>)[key];
    if (typeof inner === 'string' || typeof inner === 'boolean') return `{${key}:${String(inner)}}`;
    if (Array.isArray(inner)) return `{${key}:[${inner.map((x) => (typeof x === 'string' ? x : '...')).join(', ')}]}`;
    return `{${key}:...}`;
  }
  return '{}';
}

/**
 * Validates a parsed condition against the request's placeholders, marking the ones it uses. Throws the
 * ValidationException DynamoDB would answer, prefixed for `kind`.
 */
export function validateCondition(node: ConditionNode, kind: ExpressionKind, subs: Substitutions): void {
  const validator = new ConditionValidator(subs);
  validator.condition(node);
  validator.slots.throwFirst(kind, ORDER);
}
