/**
 * The expressions of a Query or Scan (and their legacy counterparts), compiled once per request: the key
 * condition (Query), the filter applied to each item read, and the projection applied to each item returned.
 * Request validation has already checked that expression and legacy parameters are not mixed.
 */
import { validationError } from '../errors.js';
import type { TableKey } from '../engine/table-metadata.js';
import { allKeyParts } from '../model/key-parts.js';
import type { ConditionNode, PathNode } from '../expressions/ast.js';
import { compileExpressions, type ExpressionRequest } from '../expressions/compile.js';
import { attributesToGetToPaths } from '../expressions/legacy/attributes-to-get.js';
import { filterToCondition, type LegacyCondition } from '../expressions/legacy/expected.js';
import { compileProjection, type Projection } from '../expressions/project.js';
import { elementName } from '../expressions/document-path.js';
import { addNestedHead, collectNestedPathHeads } from '../expressions/nested-path-heads.js';
import { forEachNode } from '../expressions/walk.js';
import type { JsonObject } from './operation.js';

export interface ReadExpressions {
  readonly keyCondition?: ConditionNode;
  readonly filter?: ConditionNode;
  /** The top-level attributes the filter names, in the wording of the parameter it came from. */
  readonly filterHeads?: { readonly parameter: 'QueryFilter' | 'Filter Expression'; readonly names: ReadonlySet<string> };
  readonly projection?: Projection;
  readonly projectionPaths?: readonly PathNode[];
  /** The attributes the projection and the filter reach into (`d.x`), for checkScalarKeyPaths. */
  readonly projectionNestedHeads: ReadonlySet<string>;
  readonly filterNestedHeads: ReadonlySet<string>;
}

export function compileReadExpressions(operation: 'Query' | 'Scan', request: JsonObject): ReadExpressions {
  const compiled = compileExpressions(request as ExpressionRequest, {
    valueExpressions: operation === 'Query' ? ['FilterExpression', 'KeyConditionExpression'] : ['FilterExpression'],
    // Scan checks values in DynamoDB's older layer, Query in the current one.
    valueLayer: operation === 'Query' ? 'current' : 'legacy',
  });
  const legacyFilter = (operation === 'Query' ? request.QueryFilter : request.ScanFilter) as
    | Readonly<Record<string, LegacyCondition>>
    | undefined;
  let filter = compiled.filter;
  let filterHeads: ReadExpressions['filterHeads'];
  // Legacy filters name top-level attributes only: only an expression reaches into attributes.
  const filterNestedHeads = new Set<string>();
  if (filter !== undefined) {
    // One walk gives both: the attributes the filter names, and those it reaches into.
    const names = new Set<string>();
    forEachNode(filter, (node) => {
      if (node.kind !== 'Path') return;
      const first = node.elements[0];
      if (first !== undefined && first.kind !== 'ListIndex') names.add(elementName(first));
      addNestedHead(node, filterNestedHeads);
    });
    filterHeads = { parameter: 'Filter Expression', names };
  } else if (legacyFilter !== undefined && legacyFilter !== null) {
    filter = filterToCondition(legacyFilter, request.ConditionalOperator, operation === 'Query' ? 'queryFilter' : 'scanFilter');
    filterHeads = { parameter: 'QueryFilter', names: new Set(Object.keys(legacyFilter)) };
  }
  const projectionPaths =
    compiled.projection?.paths ??
    (Array.isArray(request.AttributesToGet) ? attributesToGetToPaths(request.AttributesToGet as string[]) : undefined);
  return {
    projectionNestedHeads: collectNestedPathHeads(projectionPaths, new Set()),
    filterNestedHeads,
    ...(compiled.keyCondition !== undefined ? { keyCondition: compiled.keyCondition } : {}),
    ...(filter !== undefined ? { filter } : {}),
    ...(filterHeads !== undefined ? { filterHeads } : {}),
    ...(projectionPaths !== undefined ? { projectionPaths, projection: compileProjection(projectionPaths) } : {}),
  };
}

/**
 * A Query filter runs on items already selected by their key, so DynamoDB refuses one that names a key
 * attribute (the HASH attributes first, then the RANGE ones, in KeySchema order: every attribute of a
 * multi-attribute GSI key counts). Scan has no such rule.
 */
export function checkFilterAvoidsKey(expressions: ReadExpressions, key: TableKey): void {
  const heads = expressions.filterHeads;
  if (heads === undefined) return;
  for (const { name } of allKeyParts(key)) {
    if (heads.names.has(name)) {
      throw validationError(`${heads.parameter} can only contain non-primary key attributes: Primary key attribute: ${name}`);
    }
  }
}
