/**
 * From the PartiQL tree to the expression AST (src/expressions/ast.ts): values, document paths, WHERE conditions
 * and SET / REMOVE actions. Translating, rather than evaluating PartiQL separately, gives a statement exactly the
 * semantics of the equivalent ConditionExpression / UpdateExpression (DynamoDB's own front end compiles PartiQL
 * to the same operations): a missing operand makes a comparison false except `<>`, comparisons across types are
 * false, `SET a = a + 1` on a missing `a` fails as UpdateItem does, and so on.
 *
 * Values are bound here: literals become AttributeValues (numbers exact, through the decimal model), and `?`
 * takes its Parameter. What DynamoDB's dialect refuses after parsing is refused here with its message.
 */
import { MAX_IN_OPERANDS, tooManyInOperands } from '../expressions/operator-count.js';
import { validationError, type DynamoDbError } from '../errors.js';
import type { AttributeValue } from '../model/attribute-value.js';
import { normalizeNumber } from '../model/decimal.js';
import { validateItem } from '../model/validate-attribute-value.js';
import type {
  ConditionNode,
  ComparisonOperator as ExpressionComparison,
  OperandNode,
  PathElement,
  PathNode,
  UpdateActionNode,
} from '../expressions/ast.js';
import type { Expr, Identifier, Path, UpdateAction } from './ast.js';
import { at } from './position.js';

/** What translation needs besides the tree: the statement text (for positions) and the bound parameters. */
export interface Binding {
  readonly text: string;
  readonly parameters: readonly AttributeValue[];
}

function refuse(binding: Binding, message: string, pos: number, length: number): DynamoDbError {
  return validationError(at(message, binding.text, pos, length));
}

// ------------------------------------------------------------------------------------------------- values

/**
 * The AttributeValue of a value expression: a literal, a `?`, a list, a tuple (map) or a bag (set). `under` names
 * the attribute the value sits under, for DynamoDB's `... under key %s` messages.
 */
export function toValue(expr: Expr, binding: Binding, under: string): AttributeValue {
  switch (expr.kind) {
    case 'String':
      return { S: expr.value };
    case 'Number':
      return { N: normalizeNumber(expr.text) };
    case 'Unary': {
      const operand = toValue(expr.operand, binding, under);
      if (!('N' in operand)) throw validationError(`Unsupported data type: ${expr.kind.toUpperCase()} under key ${under}`);
      if (expr.op === '+') return operand;
      return { N: operand.N.startsWith('-') ? operand.N.slice(1) : operand.N === '0' ? '0' : `-${operand.N}` };
    }
    case 'Boolean':
      return { BOOL: expr.value };
    case 'Null':
      return { NULL: true };
    case 'Parameter': {
      const value = binding.parameters[expr.index];
      // planStatement checks the count first; this is only reached with a bound parameter.
      if (value === undefined) throw validationError(PARAMETER_COUNT);
      return value;
    }
    case 'List':
      return { L: expr.items.map((item) => toValue(item, binding, under)) };
    case 'Tuple':
      return { M: toMap(expr, binding, under) };
    case 'Bag':
      return toSet(expr.items, binding, under);
    case 'Ion':
      throw validationError(`Ion Literals are not supported: ${expr.text} under key ${under}`);
    case 'Missing':
      throw validationError(`Unsupported data type: MISSING under key ${under}`);
    default:
      // DynamoDB Local's template for a value that is no literal, sequence, struct or parameter (e.g. a path); the
      // type named is this tree's node kind, which may differ from the name DynamoDB prints (unconfirmed).
      throw validationError(`Unsupported data type: ${expr.kind.toUpperCase()} under key ${under}`);
  }
}

/** A tuple's fields as a map; keys must be string literals, each once. */
export function toMap(expr: Extract<Expr, { kind: 'Tuple' }>, binding: Binding, under: string): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const field of expr.fields) {
    if (field.key.kind !== 'String') {
      throw validationError(`Tuple keys must be of type String. Actual type: ${field.key.kind.toUpperCase()} under ${under}`);
    }
    const name = field.key.value;
    if (Object.prototype.hasOwnProperty.call(out, name)) throw validationError(`Duplicate keys in tuple. Key: ${name} under ${under}`);
    out[name] = toValue(field.value, binding, name);
  }
  return out;
}

/** `<<...>>`: a string or number set (DynamoDB has no binary set literal); never empty, never repeating. */
function toSet(items: readonly Expr[], binding: Binding, under: string): AttributeValue {
  if (items.length === 0) throw validationError('Empty bags are not supported');
  const values = items.map((item) => {
    if (item.kind === 'Parameter') throw validationError(BAG_TYPES);
    return toValue(item, binding, under);
  });
  const first = values[0] as AttributeValue;
  if ('S' in first) {
    const members = values.map((value) => {
      if (!('S' in value)) throw validationError(`Unexpected data type ${typeName(value)} in String Set under key ${under}`);
      return value.S;
    });
    if (new Set(members).size !== members.length) throw validationError('Input collection contains duplicates');
    return { SS: members };
  }
  if ('N' in first) {
    const members = values.map((value) => {
      if (!('N' in value)) throw validationError(`Unexpected data type ${typeName(value)} in Number Set under key ${under}`);
      return value.N;
    });
    // Members are normalised, so numerically equal members are textually equal.
    if (new Set(members).size !== members.length) throw validationError('Input collection contains duplicates');
    return { NS: members };
  }
  throw validationError(BAG_TYPES);
}

const BAG_TYPES = 'Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags';
export const PARAMETER_COUNT = "Number of parameters in request and statement don't match.";

function typeName(value: AttributeValue): string {
  return Object.keys(value)[0] ?? '';
}

/** Validates a whole item (INSERT's VALUE) as PutItem validates its Item, returning it normalised. */
export function validatedItem(item: Record<string, AttributeValue>): Record<string, AttributeValue> {
  return validateItem(item) as Record<string, AttributeValue>;
}

// -------------------------------------------------------------------------------------------------- paths

/** The document path of a name or path expression; undefined when `expr` is neither. */
export function toPath(expr: Expr, binding: Binding): PathNode | undefined {
  if (expr.kind === 'Identifier') return { kind: 'Path', elements: [{ kind: 'AttributeName', name: expr.name }], pos: expr.pos };
  if (expr.kind !== 'Path') return undefined;
  return pathOf(expr, binding);
}

function pathOf(path: Path, binding: Binding): PathNode {
  const elements: PathElement[] = [{ kind: 'AttributeName', name: path.root.name }];
  for (const step of path.steps) {
    switch (step.kind) {
      case 'Field':
        if (step.name.name === '') throw refuse(binding, 'Path component cannot be an empty string', step.pos, step.end - step.pos);
        elements.push({ kind: 'AttributeName', name: step.name.name });
        break;
      case 'Index': {
        const index = step.index;
        if (index.kind === 'String') {
          elements.push({ kind: 'AttributeName', name: index.value });
        } else if (index.kind === 'Number' && /^\d+$/.test(index.text)) {
          const value = Number(index.text);
          if (!Number.isSafeInteger(value) || value > 2 ** 31 - 1) {
            throw validationError(`List index is not within the allowable range; index: [${index.text}]`);
          }
          elements.push({ kind: 'ListIndex', index: value });
        } else {
          // Cairn's own wording (unconfirmed): DynamoDB's answer to `a[?]` or `a[1.5]` was not found.
          throw refuse(binding, `Unsupported path component: ${index.kind.toUpperCase()}`, step.pos, step.end - step.pos);
        }
        break;
      }
      case 'Wildcard':
        throw refuse(binding, 'Wildcard path component like a[*].b are not supported', step.pos, step.end - step.pos);
      case 'Unpivot':
        throw refuse(binding, 'Unpivot path component like a.*.b are not supported', step.pos, step.end - step.pos);
    }
  }
  return { kind: 'Path', elements, pos: path.pos };
}

/** The attribute a key comparison names: a bare (or quoted) top-level name only. */
export function topLevelName(expr: Expr): string | undefined {
  if (expr.kind === 'Identifier') return expr.name;
  if (expr.kind === 'Path' && expr.steps.length === 0) return expr.root.name;
  return undefined;
}

/** The last component of a projected path, the name DynamoDB returns it under (`m.k[1]` comes back as `k[1]`). */
export function projectedName(path: PathNode): string {
  let name = '';
  for (const element of path.elements) {
    if (element.kind === 'ListIndex') name += `[${element.index}]`;
    else if (element.kind === 'AttributeName') name = element.name;
  }
  return name;
}

// -------------------------------------------------------------------------------------------------- conditions

const COMPARISONS: Readonly<Record<string, ExpressionComparison>> = {
  '=': '=',
  '<>': '<>',
  '!=': '<>',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
};

/** The condition functions of DynamoDB's dialect (expression-language names, which PartiQL shares). */
const CONDITION_FUNCTIONS: ReadonlySet<string> = new Set([
  'begins_with',
  'contains',
  'attribute_type',
  'attribute_exists',
  'attribute_not_exists',
]);

/** A WHERE clause (or part of one) as an expression-language condition. */
export function toCondition(expr: Expr, binding: Binding): ConditionNode {
  switch (expr.kind) {
    case 'And':
    case 'Or':
      return { kind: expr.kind, left: toCondition(expr.left, binding), right: toCondition(expr.right, binding), pos: expr.pos };
    case 'Not':
      return { kind: 'Not', operand: toCondition(expr.operand, binding), pos: expr.pos };
    case 'Comparison': {
      if (expr.left.kind === 'Missing' || expr.right.kind === 'Missing') {
        throw validationError('MISSING must be compared using IS operator');
      }
      const node: ConditionNode = {
        kind: 'Comparison',
        operator: COMPARISONS[expr.op] as ExpressionComparison,
        left: toOperand(expr.left, binding),
        right: toOperand(expr.right, binding),
        pos: expr.pos,
      };
      return node;
    }
    case 'Between': {
      const node: ConditionNode = {
        kind: 'Between',
        operand: toOperand(expr.value, binding),
        low: toOperand(expr.low, binding),
        high: toOperand(expr.high, binding),
        pos: expr.pos,
      };
      return expr.negated ? { kind: 'Not', operand: node, pos: expr.pos } : node;
    }
    case 'In': {
      const list = expr.list;
      if (toPath(expr.value, binding) === undefined || list.kind !== 'List' || list.items.length === 0) {
        throw validationError(
          'IN operator must have a left hand argument of type Variable Reference and right hand argument of type Seq with at least one member',
        );
      }
      // The expression language's limit on IN operands holds in PartiQL too ("at max 100 non-key attribute values",
      // the PartiQL operators page); the wording is the expression language's, without its prefix (unconfirmed).
      if (list.items.length > MAX_IN_OPERANDS) throw validationError(tooManyInOperands(list.items.length));
      const node: ConditionNode = {
        kind: 'In',
        operand: toOperand(expr.value, binding),
        list: list.items.map((item) => toOperand(item, binding)),
        pos: expr.pos,
      };
      return expr.negated ? { kind: 'Not', operand: node, pos: expr.pos } : node;
    }
    case 'Is':
      return isCondition(expr, binding);
    case 'Call': {
      if (expr.name === 'exists') {
        throw refuse(binding, 'EXISTS can only be used in ExecuteTransaction write requests.', expr.nameToken.pos, expr.nameToken.end - expr.nameToken.pos);
      }
      if (!CONDITION_FUNCTIONS.has(expr.name)) {
        throw refuse(binding, `Unrecognized function: ${expr.nameToken.name}`, expr.nameToken.pos, expr.nameToken.end - expr.nameToken.pos);
      }
      const call = { kind: 'FunctionCall' as const, name: expr.name, args: expr.args.map((arg) => toOperand(arg, binding)), pos: expr.pos };
      return { kind: 'ConditionFunction', call, pos: expr.pos };
    }
    case 'Like':
      throw validationError('Unsupported operator in Condition Expression. Operator: LIKE');
    default:
      throw validationError('WHERE clause must contain an expression that resolves to a boolean');
  }
}

/** `x IS [NOT] MISSING` is attribute_not_exists / attribute_exists; `IS [NOT] NULL` and the like, attribute_type. */
function isCondition(expr: Extract<Expr, { kind: 'Is' }>, binding: Binding): ConditionNode {
  const path = toPath(expr.value, binding);
  if (path === undefined) throw validationError('The left hand side argument to IS must be a Variable Reference, Literal, or Path');
  let node: ConditionNode;
  if (expr.type === 'missing') {
    node = { kind: 'ConditionFunction', call: { kind: 'FunctionCall', name: 'attribute_not_exists', args: [path], pos: expr.pos }, pos: expr.pos };
  } else {
    const types = IS_TYPES[expr.type];
    if (types === undefined) {
      throw validationError(
        `Unsupported data type for IS operator: ${expr.type.toUpperCase()}. Supported data types are [MISSING, NULL, BOOLEAN, BLOB, STRING, NUMERIC, STRUCT, TUPLE, LIST]`,
      );
    }
    node = types
      .map((type): ConditionNode => ({
        kind: 'ConditionFunction',
        call: { kind: 'FunctionCall', name: 'attribute_type', args: [path, literal({ S: type }, expr.pos)], pos: expr.pos },
        pos: expr.pos,
      }))
      .reduce((left, right) => ({ kind: 'Or', left, right, pos: expr.pos }));
  }
  return expr.negated ? { kind: 'Not', operand: node, pos: expr.pos } : node;
}

/** The DynamoDB types each PartiQL type name of IS stands for. */
const IS_TYPES: Readonly<Record<string, readonly string[]>> = {
  null: ['NULL'],
  boolean: ['BOOL'],
  blob: ['B'],
  string: ['S'],
  numeric: ['N'],
  struct: ['M'],
  tuple: ['M'],
  list: ['L'],
};

function literal(value: AttributeValue, pos: number): OperandNode {
  return { kind: 'Literal', value, placeholder: '?', pos };
}

/** An operand: a path, a value, `size(path)` or `a + b` (SET only). */
export function toOperand(expr: Expr, binding: Binding): OperandNode {
  const path = toPath(expr, binding);
  if (path !== undefined) return path;
  switch (expr.kind) {
    case 'Call': {
      if (expr.name !== 'size') {
        throw refuse(binding, `Unrecognized function: ${expr.nameToken.name}`, expr.nameToken.pos, expr.nameToken.end - expr.nameToken.pos);
      }
      return { kind: 'FunctionCall', name: 'size', args: expr.args.map((arg) => toOperand(arg, binding)), pos: expr.pos };
    }
    case 'Arithmetic':
    case 'Concat':
    case 'Comparison':
    case 'And':
    case 'Or':
    case 'Not':
    case 'Between':
    case 'In':
    case 'Like':
    case 'Is':
    case 'Subquery':
    case 'PathOver':
    case 'Star':
      throw validationError(`Unsupported token in expression: ${expr.kind.toUpperCase()}`);
    default:
      return literal(toValue(expr, binding, '?'), expr.pos);
  }
}

// ------------------------------------------------------------------------------------------------- updates

/**
 * SET and REMOVE actions as UpdateExpression actions: `SET a = v`, `SET a = a + 1`, `SET l = list_append(l, [..])`
 * (SET), `SET s = set_add(s, <<..>>)` (ADD) and `SET s = set_delete(s, <<..>>)` (DELETE), `REMOVE a.b[1]`.
 */
export function toUpdateActions(actions: readonly UpdateAction[], binding: Binding): UpdateActionNode[] {
  return actions.map((action): UpdateActionNode => {
    const path = toPath(action.target, binding) as PathNode;
    if (action.kind === 'Remove') return { kind: 'RemoveAction', path, pos: action.pos };
    const value = action.value;
    if (value.kind === 'Call' && (value.name === 'set_add' || value.name === 'set_delete')) {
      const op = value.name === 'set_add' ? 'ADD' : 'DELETE';
      if (value.args.length !== 2) {
        throw refuse(binding, `SET_${op} must have exactly two arguments`, value.nameToken.pos, value.nameToken.end - value.nameToken.pos);
      }
      const first = toPath(value.args[0] as Expr, binding);
      if (first === undefined || !samePath(first, path)) {
        throw refuse(binding, `The first argument to SET_${op} must equal the assignment value`, value.nameToken.pos, value.nameToken.end - value.nameToken.pos);
      }
      const operand = toValue(value.args[1] as Expr, binding, targetName(action.target));
      if (!('SS' in operand || 'NS' in operand || 'BS' in operand)) {
        throw refuse(binding, `The second argument to SET_${op} must be a value with type SET`, value.nameToken.pos, value.nameToken.end - value.nameToken.pos);
      }
      const literalValue = literal(operand, value.pos);
      return op === 'ADD'
        ? { kind: 'AddAction', path, value: literalValue, pos: action.pos }
        : { kind: 'DeleteAction', path, value: literalValue, pos: action.pos };
    }
    return { kind: 'SetAction', path, value: toSetValue(value, binding, targetName(action.target)), pos: action.pos };
  });
}

function toSetValue(expr: Expr, binding: Binding, under: string): OperandNode {
  if (expr.kind === 'Arithmetic') {
    if (expr.op !== '+' && expr.op !== '-') throw validationError(`Unsupported operator in Update Expression. Operator: ${expr.op}`);
    return { kind: 'Arithmetic', operator: expr.op, left: toSetValue(expr.left, binding, under), right: toSetValue(expr.right, binding, under), pos: expr.pos };
  }
  if (expr.kind === 'Call') {
    if (expr.name === 'list_append' || expr.name === 'if_not_exists') {
      return { kind: 'FunctionCall', name: expr.name, args: expr.args.map((arg) => toSetValue(arg, binding, under)), pos: expr.pos };
    }
    throw refuse(binding, `Unrecognized function: ${expr.nameToken.name}`, expr.nameToken.pos, expr.nameToken.end - expr.nameToken.pos);
  }
  if (expr.kind === 'Is') throw validationError('IS operator is not supported in update expressions');
  const path = toPath(expr, binding);
  if (path !== undefined) return path;
  return literal(toValue(expr, binding, under), expr.pos);
}

function targetName(target: Identifier | Path): string {
  return target.kind === 'Identifier' ? target.name : target.root.name;
}

function samePath(a: PathNode, b: PathNode): boolean {
  return (
    a.elements.length === b.elements.length &&
    a.elements.every((element, i) => {
      const other = b.elements[i] as PathElement;
      if (element.kind === 'ListIndex') return other.kind === 'ListIndex' && other.index === element.index;
      return element.kind === 'AttributeName' && other.kind === 'AttributeName' && other.name === element.name;
    })
  );
}
