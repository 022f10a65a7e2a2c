/**
 * The top-level attributes that an expression reaches *into* (`d.x`, `d[0]`): DynamoDB refuses such paths when the
 * attribute is a key of the table or of one of its indexes, since key attributes are scalars (see
 * src/api/scalar-key-paths.ts). Collected once per request from the resolved trees.
 */
import type { ConditionNode, OperandNode, PathNode, UpdateExpressionNode } from './ast.js';
import { elementName } from './document-path.js';

/** Adds to `into` the head of every path of `node` that has more than one element. */
export function collectNestedPathHeads(
  node: ConditionNode | UpdateExpressionNode | readonly PathNode[] | undefined,
  into: Set<string>,
): Set<string> {
  if (node === undefined) return into;
  const pending: (ConditionNode | OperandNode | UpdateExpressionNode)[] = Array.isArray(node)
    ? [...(node as readonly PathNode[])]
    : [node as ConditionNode | UpdateExpressionNode];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    switch (next.kind) {
      case 'Path': {
        const first = next.elements[0];
        if (next.elements.length > 1 && first !== undefined && first.kind !== 'ListIndex') into.add(elementName(first));
        break;
      }
      case 'UpdateExpression':
        for (const action of next.actions) {
          pending.push(action.path);
          if (action.kind !== 'RemoveAction') pending.push(action.value);
        }
        break;
      case 'And':
      case 'Or':
      case 'Comparison':
      case 'Arithmetic':
        pending.push(next.left, next.right);
        break;
      case 'Not':
        pending.push(next.operand);
        break;
      case 'Parentheses':
        pending.push(next.inner);
        break;
      case 'Between':
        pending.push(next.operand, next.low, next.high);
        break;
      case 'In':
        pending.push(next.operand, ...next.list);
        break;
      case 'ConditionFunction':
        pending.push(...next.call.args);
        break;
      case 'FunctionCall':
        pending.push(...next.args);
        break;
      case 'ValuePlaceholder':
      case 'Literal':
        break;
    }
  }
  return into;
}
