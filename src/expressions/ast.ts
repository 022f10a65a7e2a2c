/**
 * The expression AST: a discriminated union on `kind`, shared by every expression type DynamoDB has
 * (ConditionExpression, FilterExpression, KeyConditionExpression, UpdateExpression, ProjectionExpression).
 *
 * The parser produces a *raw* tree in which `#name` and `:value` placeholders are still unresolved
 * (`NamePlaceholder` path elements and `ValuePlaceholder` operands). The resolve pass replaces them with
 * `AttributeName` elements and `Literal` operands, so the evaluator only ever sees a resolved tree. Keeping the
 * two stages apart lets the validation passes report errors in the order DynamoDB does (syntax first, then
 * names/values, then semantics), whatever order they appear in within the expression.
 *
 * `pos` fields are character offsets into the original expression string, for error messages.
 */
import type { AttributeValue } from '../model/attribute-value.js';

// ---- document paths --------------------------------------------------------------------------------------------

/** `a` or `#a`: one name step of a document path. */
export interface AttributeNameElement {
  readonly kind: 'AttributeName';
  readonly name: string;
}
/** `#a` before resolution. */
export interface NamePlaceholderElement {
  readonly kind: 'NamePlaceholder';
  /** Including the `#`. */
  readonly placeholder: string;
}
/** `[3]`: a list index step. */
export interface ListIndexElement {
  readonly kind: 'ListIndex';
  readonly index: number;
}
export type PathElement = AttributeNameElement | NamePlaceholderElement | ListIndexElement;

/** A document path such as `a.b[2].#c`. The first element is always a name (or name placeholder). */
export interface PathNode {
  readonly kind: 'Path';
  readonly elements: readonly PathElement[];
  readonly pos: number;
}

// ---- operands ------------------------------------------------------------------------------------------------

/** `:v` before resolution. */
export interface ValuePlaceholderNode {
  readonly kind: 'ValuePlaceholder';
  /** Including the `:`. */
  readonly placeholder: string;
  readonly pos: number;
}
/** A resolved `:v`. */
export interface LiteralNode {
  readonly kind: 'Literal';
  readonly value: AttributeValue;
  /** The placeholder it came from, for error messages. */
  readonly placeholder: string;
  readonly pos: number;
}
/**
 * A function call in operand position: `size(a)` in conditions, `if_not_exists(a, :v)` and
 * `list_append(a, :v)` in SET actions. Also used for the boolean functions in condition position
 * (see ConditionFunctionNode). The name is checked by a validation pass, not by the parser, because DynamoDB
 * reports `Invalid function name; function: foo` only after the whole expression parsed.
 */
export interface FunctionCallNode {
  readonly kind: 'FunctionCall';
  readonly name: string;
  readonly args: readonly OperandNode[];
  readonly pos: number;
}
/** `a + b`, `a - b`: only allowed as the value of a SET action. */
export interface ArithmeticNode {
  readonly kind: 'Arithmetic';
  readonly operator: '+' | '-';
  readonly left: OperandNode;
  readonly right: OperandNode;
  readonly pos: number;
}
export type OperandNode = PathNode | ValuePlaceholderNode | LiteralNode | FunctionCallNode | ArithmeticNode;

// ---- conditions ----------------------------------------------------------------------------------------------

export type ComparisonOperator = '=' | '<>' | '<' | '<=' | '>' | '>=';

export interface ComparisonNode {
  readonly kind: 'Comparison';
  readonly operator: ComparisonOperator;
  readonly left: OperandNode;
  readonly right: OperandNode;
  readonly pos: number;
}
export interface BetweenNode {
  readonly kind: 'Between';
  readonly operand: OperandNode;
  readonly low: OperandNode;
  readonly high: OperandNode;
  readonly pos: number;
}
export interface InNode {
  readonly kind: 'In';
  readonly operand: OperandNode;
  readonly list: readonly OperandNode[];
  readonly pos: number;
}
export interface AndNode {
  readonly kind: 'And';
  readonly left: ConditionNode;
  readonly right: ConditionNode;
  readonly pos: number;
}
export interface OrNode {
  readonly kind: 'Or';
  readonly left: ConditionNode;
  readonly right: ConditionNode;
  readonly pos: number;
}
export interface NotNode {
  readonly kind: 'Not';
  readonly operand: ConditionNode;
  readonly pos: number;
}
/** `( condition )`: kept so that validation can tell redundant parentheses apart where DynamoDB does. */
export interface ParenthesesNode {
  readonly kind: 'Parentheses';
  readonly inner: ConditionNode;
  readonly pos: number;
}
/** A function call in condition position: attribute_exists, attribute_not_exists, attribute_type, begins_with, contains. */
export interface ConditionFunctionNode {
  readonly kind: 'ConditionFunction';
  readonly call: FunctionCallNode;
  readonly pos: number;
}
export type ConditionNode =
  | ComparisonNode
  | BetweenNode
  | InNode
  | AndNode
  | OrNode
  | NotNode
  | ParenthesesNode
  | ConditionFunctionNode;

// ---- update expressions --------------------------------------------------------------------------------------

export interface SetActionNode {
  readonly kind: 'SetAction';
  readonly path: PathNode;
  readonly value: OperandNode;
  readonly pos: number;
}
export interface RemoveActionNode {
  readonly kind: 'RemoveAction';
  readonly path: PathNode;
  readonly pos: number;
}
export interface AddActionNode {
  readonly kind: 'AddAction';
  readonly path: PathNode;
  readonly value: OperandNode;
  readonly pos: number;
}
export interface DeleteActionNode {
  readonly kind: 'DeleteAction';
  readonly path: PathNode;
  readonly value: OperandNode;
  readonly pos: number;
}
export type UpdateActionNode = SetActionNode | RemoveActionNode | AddActionNode | DeleteActionNode;

/** A whole UpdateExpression: its actions in the order written (clauses may each appear once, in any order). */
export interface UpdateExpressionNode {
  readonly kind: 'UpdateExpression';
  readonly actions: readonly UpdateActionNode[];
}

/** A whole ProjectionExpression: a comma-separated list of paths. */
export interface ProjectionExpressionNode {
  readonly kind: 'ProjectionExpression';
  readonly paths: readonly PathNode[];
}

export type AnyNode =
  | PathNode
  | OperandNode
  | ConditionNode
  | UpdateActionNode
  | UpdateExpressionNode
  | ProjectionExpressionNode;

export type NodeKind = AnyNode['kind'];
