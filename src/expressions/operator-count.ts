/**
 * DynamoDB's limit of 300 operators in one expression: `Invalid ConditionExpression: The expression contains too
 * many operators; operator count: 301`.
 *
 * What counts, as DynamoDB behaves (its documentation states the limit for UpdateExpression only, but condition,
 * filter and key condition expressions are refused alike): the comparison operators, BETWEEN, IN, AND, OR and
 * NOT, and the `+` / `-` of SET values. Parentheses do not count, and neither do function calls: a comparison with
 * more than 300 nested calls is refused for its function names, not for its operator count. DynamoDB stops
 * counting at the first operator past the limit, so the count it reports is always 301. Projection expressions
 * have no operators.
 *
 * The check runs right after parsing, before the validation passes: the limit is the parser's.
 */
import type { ConditionNode, OperandNode, UpdateExpressionNode } from './ast.js';
import { expressionError, type ExpressionKind } from './expression-kind.js';

export const MAX_OPERATORS = 300;

/** Throws DynamoDB's ValidationException when `node` has more than MAX_OPERATORS operators. */
export function checkOperatorCount(node: ConditionNode | UpdateExpressionNode, kind: ExpressionKind): void {
  if (countOperators(node) > MAX_OPERATORS) {
    throw expressionError(kind, `The expression contains too many operators; operator count: ${MAX_OPERATORS + 1}`);
  }
}

/** The operators of `root`, counted with an explicit stack (a deep tree must not exhaust the call stack). */
export function countOperators(root: ConditionNode | UpdateExpressionNode): number {
  let count = 0;
  const pending: (ConditionNode | OperandNode | UpdateExpressionNode)[] = [root];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    switch (node.kind) {
      case 'UpdateExpression':
        for (const action of node.actions) if (action.kind !== 'RemoveAction') pending.push(action.value);
        break;
      case 'And':
      case 'Or':
        count++;
        pending.push(node.left, node.right);
        break;
      case 'Not':
        count++;
        pending.push(node.operand);
        break;
      case 'Parentheses':
        pending.push(node.inner);
        break;
      case 'Comparison':
      case 'Arithmetic':
        count++;
        pending.push(node.left, node.right);
        break;
      case 'Between':
        count++;
        pending.push(node.operand, node.low, node.high);
        break;
      case 'In':
        count++;
        pending.push(node.operand, ...node.list);
        break;
      case 'ConditionFunction':
        pending.push(...node.call.args);
        break;
      case 'FunctionCall':
        pending.push(...node.args);
        break;
      case 'Path':
      case 'ValuePlaceholder':
      case 'Literal':
        break;
    }
  }
  return count;
}
