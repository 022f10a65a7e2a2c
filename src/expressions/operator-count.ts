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
 *
 * The IN comparator has a limit of its own: at most 100 operands in its list ("The maximum number of operands for
 * the IN comparator is 100", the Developer Guide's quotas page); past it DynamoDB answers, as recorded from real
 * requests: `Invalid FilterExpression: The IN operator is provided with too many operands; number of operands: 163`.
 */
import type { ConditionNode, UpdateExpressionNode } from './ast.js';
import { forEachNode } from './walk.js';
import { expressionError, type ExpressionKind } from './expression-kind.js';

export const MAX_OPERATORS = 300;
export const MAX_IN_OPERANDS = 100;

/** The message of an IN comparator given more than MAX_IN_OPERANDS operands (its list, without the left operand). */
export function tooManyInOperands(operands: number): string {
  return `The IN operator is provided with too many operands; number of operands: ${operands}`;
}

/**
 * Throws DynamoDB's ValidationException when `node` has more than MAX_OPERATORS operators, or an IN comparator
 * with more than MAX_IN_OPERANDS operands.
 */
export function checkOperatorCount(node: ConditionNode | UpdateExpressionNode, kind: ExpressionKind): void {
  const { operators, largestInList } = countOperatorsAndInOperands(node);
  if (operators > MAX_OPERATORS) {
    throw expressionError(kind, `The expression contains too many operators; operator count: ${MAX_OPERATORS + 1}`);
  }
  if (largestInList > MAX_IN_OPERANDS) throw expressionError(kind, tooManyInOperands(largestInList));
}

/** The operators of `root` (see the file comment). */
export function countOperators(root: ConditionNode | UpdateExpressionNode): number {
  return countOperatorsAndInOperands(root).operators;
}

/** The operators of `root` and the longest IN list. */
function countOperatorsAndInOperands(root: ConditionNode | UpdateExpressionNode): { operators: number; largestInList: number } {
  let operators = 0;
  let largestInList = 0;
  forEachNode(root, (node) => {
    switch (node.kind) {
      case 'And':
      case 'Or':
      case 'Not':
      case 'Comparison':
      case 'Arithmetic':
      case 'Between':
        operators++;
        break;
      case 'In':
        operators++;
        if (node.list.length > largestInList) largestInList = node.list.length;
        break;
      default:
        // Parentheses, function calls, paths, values and the update's own structure are no operators.
        break;
    }
  });
  return { operators, largestInList };
}
