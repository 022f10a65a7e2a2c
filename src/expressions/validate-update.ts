/**
 * Static validation of a parsed UpdateExpression. DynamoDB's order of precedence among errors:
 *   1. a reserved word written as an attribute name;
 *   2. a path nested deeper than 32 levels;
 *   3. an unknown function (`Invalid function name; function: foo`) or a condition-only one
 *      (`The function is not allowed in an update expression; function: size`);
 *   4. a clause used twice (`The "SET" section can only be used once in an update expression;`);
 *   5. an undefined `#name`; 6. an undefined `:value`;
 *   7. two paths that overlap; 8. two paths that conflict (all actions' target paths, in text order);
 *   9. an ADD / DELETE value of the wrong type;
 *  10. a function or `+`/`-` problem: operand count, if_not_exists without a path, literal operand types.
 */
import type { FunctionCallNode, OperandNode, PathNode, UpdateExpressionNode } from './ast.js';
import {
  checkPath,
  checkValuePlaceholder,
  comparePaths,
  ErrorSlots,
  resolvedSteps,
  staticType,
  type ResolvedStep,
  type Substitutions,
} from './validate-common.js';
import type { AttributeType } from '../model/attribute-value.js';

type Category =
  | 'reserved'
  | 'nesting'
  | 'unknownFunction'
  | 'section'
  | 'name'
  | 'value'
  | 'overlap'
  | 'conflict'
  | 'operand'
  | 'function';
const ORDER: readonly Category[] = [
  'reserved',
  'nesting',
  'unknownFunction',
  'section',
  'name',
  'value',
  'overlap',
  'conflict',
  'operand',
  'function',
];

const UPDATE_FUNCTIONS: ReadonlyMap<string, number> = new Map([
  ['if_not_exists', 2],
  ['list_append', 2],
]);
const CONDITION_FUNCTIONS: ReadonlySet<string> = new Set([
  'attribute_exists',
  'attribute_not_exists',
  'attribute_type',
  'begins_with',
  'contains',
  'size',
]);

/** The type names DynamoDB uses in ADD / DELETE operand messages. */
const LONG_TYPE_NAMES: Readonly<Record<AttributeType, string>> = {
  S: 'STRING',
  N: 'NUMBER',
  B: 'BINARY',
  BOOL: 'BOOLEAN',
  NULL: 'NULL',
  M: 'MAP',
  L: 'LIST',
  SS: 'STRING SET',
  NS: 'NUMBER SET',
  BS: 'BINARY SET',
};

class UpdateValidator {
  readonly slots = new ErrorSlots<Category>();
  private readonly paths: ResolvedStep[][] = [];

  constructor(private readonly subs: Substitutions) {}

  update(node: UpdateExpressionNode, duplicateClause: string | undefined): void {
    if (duplicateClause !== undefined) {
      this.slots.set('section', `The "${duplicateClause}" section can only be used once in an update expression;`);
    }
    for (const action of node.actions) {
      const clause = clauseOf(action.kind);
      this.path(action.path);
      switch (action.kind) {
        case 'SetAction':
          this.operand(action.value);
          break;
        case 'RemoveAction':
          break;
        case 'AddAction':
        case 'DeleteAction': {
          this.operand(action.value);
          const type = staticType(action.value, this.subs, false);
          const allowed = action.kind === 'AddAction' ? type === 'N' || isSet(type) : isSet(type);
          if (type !== undefined && !allowed) {
            this.slots.set(
              'operand',
              `Incorrect operand type for operator or function; operator: ${clause}, operand type: ${LONG_TYPE_NAMES[type]}, typeSet: ALLOWED_FOR_${clause}_OPERAND`,
            );
          }
          break;
        }
      }
      this.targetPath(action.path);
    }
  }

  private targetPath(path: PathNode): void {
    const steps = resolvedSteps(path, this.subs);
    const { overlap, conflict } = comparePaths(this.paths, steps);
    if (overlap !== undefined) this.slots.set('overlap', overlap);
    if (conflict !== undefined) this.slots.set('conflict', conflict);
    this.paths.push(steps);
  }

  private path(node: PathNode): void {
    checkPath(node, this.subs, (problem, message) =>
      this.slots.set(problem === 'undefinedName' ? 'name' : problem, message),
    );
  }

  private operand(node: OperandNode): void {
    switch (node.kind) {
      case 'Path':
        this.path(node);
        return;
      case 'ValuePlaceholder':
        checkValuePlaceholder(node.placeholder, this.subs, (message) => this.slots.set('value', message));
        return;
      case 'Literal':
        return;
      case 'FunctionCall':
        this.functionCall(node);
        return;
      case 'Arithmetic':
        this.operand(node.left);
        this.operand(node.right);
        this.requireLiteralType(node.operator, [node.left, node.right], 'N');
        return;
    }
  }

  private functionCall(call: FunctionCallNode): void {
    for (const arg of call.args) this.operand(arg);
    const expected = UPDATE_FUNCTIONS.get(call.name);
    if (expected === undefined) {
      this.slots.set(
        'unknownFunction',
        CONDITION_FUNCTIONS.has(call.name)
          ? `The function is not allowed in an update expression; function: ${call.name}`
          : `Invalid function name; function: ${call.name}`,
      );
      return;
    }
    if (call.args.length !== expected) {
      this.slots.set(
        'function',
        `Incorrect number of operands for operator or function; operator or function: ${call.name}, number of operands: ${call.args.length}`,
      );
      return;
    }
    if (call.name === 'if_not_exists') {
      if ((call.args[0] as OperandNode).kind !== 'Path') {
        this.slots.set(
          'function',
          `Operator or function requires a document path; operator or function: ${call.name}`,
        );
      }
    } else {
      this.requireLiteralType(call.name, call.args, 'L');
    }
  }

  /** `+`/`-` need numbers and list_append lists: a literal of another type is rejected up front. */
  private requireLiteralType(name: string, operands: readonly OperandNode[], wanted: AttributeType): void {
    for (const operand of operands) {
      const type = staticType(operand, this.subs, false);
      if (type !== undefined && type !== wanted) {
        this.slots.set(
          'function',
          `Incorrect operand type for operator or function; operator or function: ${name}, operand type: ${type}`,
        );
        return;
      }
    }
  }
}

function isSet(type: AttributeType | undefined): boolean {
  return type === 'SS' || type === 'NS' || type === 'BS';
}

function clauseOf(kind: 'SetAction' | 'RemoveAction' | 'AddAction' | 'DeleteAction'): 'SET' | 'REMOVE' | 'ADD' | 'DELETE' {
  switch (kind) {
    case 'SetAction':
      return 'SET';
    case 'RemoveAction':
      return 'REMOVE';
    case 'AddAction':
      return 'ADD';
    case 'DeleteAction':
      return 'DELETE';
  }
}

/**
 * Validates a parsed UpdateExpression, marking the placeholders it uses; throws DynamoDB's ValidationException.
 * `duplicateClause` is the first clause keyword the parser saw twice (see ParsedUpdate).
 */
export function validateUpdate(
  node: UpdateExpressionNode,
  subs: Substitutions,
  duplicateClause?: string,
): void {
  const validator = new UpdateValidator(subs);
  validator.update(node, duplicateClause);
  validator.slots.throwFirst('UpdateExpression', ORDER);
}
