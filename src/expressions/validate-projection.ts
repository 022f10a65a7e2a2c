/**
 * Static validation of a parsed ProjectionExpression. DynamoDB's order of precedence among errors: a reserved
 * word; a path nested deeper than 32 levels; an undefined `#name`; two paths that overlap (`a, a.b`); two paths
 * that conflict (`a[0], a.b`).
 */
import type { ProjectionExpressionNode } from './ast.js';
import {
  checkPath,
  comparePaths,
  ErrorSlots,
  resolvedSteps,
  type ResolvedStep,
  type Substitutions,
} from './validate-common.js';

type Category = 'reserved' | 'nesting' | 'name' | 'overlap' | 'conflict';
const ORDER: readonly Category[] = ['reserved', 'nesting', 'name', 'overlap', 'conflict'];

/** Validates a parsed ProjectionExpression, marking the names it uses; throws DynamoDB's ValidationException. */
export function validateProjection(node: ProjectionExpressionNode, subs: Substitutions): void {
  const slots = new ErrorSlots<Category>();
  const seen: ResolvedStep[][] = [];
  for (const path of node.paths) {
    checkPath(path, subs, (problem, message) =>
      slots.set(problem === 'undefinedName' ? 'name' : problem, message),
    );
    const steps = resolvedSteps(path, subs);
    const { overlap, conflict } = comparePaths(seen, steps);
    if (overlap !== undefined) slots.set('overlap', overlap);
    if (conflict !== undefined) slots.set('conflict', conflict);
    seen.push(steps);
  }
  slots.throwFirst('ProjectionExpression', ORDER);
}
