/**
 * The top-level attributes that an expression reaches *into* (`d.x`, `d[0]`): DynamoDB refuses such paths when the
 * attribute is a key of the table or of one of its indexes, since key attributes are scalars (see
 * src/api/scalar-key-paths.ts). Collected once per request from the resolved trees.
 */
import type { ConditionNode, PathNode, UpdateExpressionNode } from './ast.js';
import { elementName } from './document-path.js';
import { forEachNode, type ExpressionNode } from './walk.js';

/** Adds to `into` the head of every path of `node` that has more than one element. */
export function collectNestedPathHeads(
  node: ConditionNode | UpdateExpressionNode | readonly PathNode[] | undefined,
  into: Set<string>,
): Set<string> {
  if (node !== undefined) forEachNode(node, (next) => addNestedHead(next, into));
  return into;
}

/** Adds the head of `node` to `into` when it is a path with more than one element (`d.x`, `d[0]`). */
export function addNestedHead(node: ExpressionNode, into: Set<string>): void {
  if (node.kind !== 'Path') return;
  const { elements } = node;
  const first = elements[0];
  if (elements.length > 1 && first !== undefined && first.kind !== 'ListIndex') into.add(elementName(first));
}
