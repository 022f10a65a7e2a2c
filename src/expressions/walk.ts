/**
 * Every node of an expression tree, visited with an explicit stack (a deeply nested expression must not exhaust
 * the call stack). The passes that only look at nodes one by one (operator counts, the attributes paths reach)
 * share this walk instead of each spelling out the tree's shape.
 */
import type { ConditionNode, OperandNode, UpdateExpressionNode } from './ast.js';

export type ExpressionNode = ConditionNode | OperandNode | UpdateExpressionNode;

/** Calls `visit` on `roots` and every node below them (parents before children; sibling order is not kept). */
export function forEachNode(roots: ExpressionNode | readonly ExpressionNode[], visit: (node: ExpressionNode) => void): void {
  const pending: ExpressionNode[] = Array.isArray(roots) ? [...(roots as readonly ExpressionNode[])] : [roots as ExpressionNode];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    visit(node);
    switch (node.kind) {
      case 'UpdateExpression':
        for (const action of node.actions) {
          pending.push(action.path);
          if (action.kind !== 'RemoveAction') pending.push(action.value);
        }
        break;
      case 'And':
      case 'Or':
      case 'Comparison':
      case 'Arithmetic':
        pending.push(node.left, node.right);
        break;
      case 'Not':
        pending.push(node.operand);
        break;
      case 'Parentheses':
        pending.push(node.inner);
        break;
      case 'Between':
        pending.push(node.operand, node.low, node.high);
        break;
      case 'In':
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
}
