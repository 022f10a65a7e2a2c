/**
 * The legacy `AttributesToGet` parameter (GetItem, BatchGetItem, Query, Scan): a list of top-level attribute
 * names, converted to projection paths so projectItem serves it like a ProjectionExpression. Names are literal
 * (`a.b` is the attribute named "a.b", not a nested path). A repeated name is rejected.
 */
import { validationError } from '../../errors.js';
import type { PathNode } from '../ast.js';
import { attributePath } from './legacy-nodes.js';

export function attributesToGetToPaths(names: readonly string[]): PathNode[] {
  const seen = new Set<string>();
  const paths: PathNode[] = [];
  for (const name of names) {
    if (seen.has(name)) {
      throw validationError(`One or more parameter values were invalid: Duplicate value in attribute name: ${name}`);
    }
    seen.add(name);
    paths.push(attributePath(name));
  }
  return paths;
}
