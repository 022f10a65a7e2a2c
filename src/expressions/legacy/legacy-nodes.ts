/**
 * Small builders for the resolved AST nodes the legacy parameters are converted to. Legacy parameters name
 * top-level attributes literally (a name containing `.` is just a name), and their values come straight from the
 * request, so there are no placeholders: literals carry an empty placeholder and every position is 0.
 */
import type { AttributeValue } from '../../model/attribute-value.js';
import type {
  ComparisonOperator,
  ConditionNode,
  LiteralNode,
  OperandNode,
  PathNode,
} from '../ast.js';

export function attributePath(name: string): PathNode {
  return { kind: 'Path', pos: 0, elements: [{ kind: 'AttributeName', name }] };
}

export function literal(value: AttributeValue): LiteralNode {
  return { kind: 'Literal', value, placeholder: '', pos: 0 };
}

export function comparison(operator: ComparisonOperator, left: OperandNode, right: OperandNode): ConditionNode {
  return { kind: 'Comparison', operator, left, right, pos: 0 };
}

export function functionCondition(name: string, ...args: OperandNode[]): ConditionNode {
  return { kind: 'ConditionFunction', pos: 0, call: { kind: 'FunctionCall', name, args, pos: 0 } };
}

export function and(left: ConditionNode, right: ConditionNode): ConditionNode {
  return { kind: 'And', left, right, pos: 0 };
}

export function or(left: ConditionNode, right: ConditionNode): ConditionNode {
  return { kind: 'Or', left, right, pos: 0 };
}

export function not(operand: ConditionNode): ConditionNode {
  return { kind: 'Not', operand, pos: 0 };
}
