/**
 * What a Query or Scan reads: the table itself, or one of its secondary indexes (IndexName). Resolving the target
 * checks what DynamoDB checks about the index, with its messages: that it exists, that it can be read (not
 * still backfilling), that a GSI is not read with ConsistentRead, and that what the request asks for (Select,
 * ProjectionExpression, filter attributes) is in the index. A local secondary index fetches what it does not
 * hold from the table, as DynamoDB does; a global one cannot.
 */
import { validationError } from '../errors.js';
import { findIndex, indexSpace, keyAttributeNames } from '../engine/secondary-index.js';
import type { IndexMetadata, TableMetadata } from '../engine/table-metadata.js';
import { itemSpace } from '../engine/write-path.js';
import { elementName } from '../expressions/document-path.js';
import type { PathNode } from '../expressions/ast.js';
import type { JsonObject } from './operation.js';
import type { QueryTarget } from './query-key.js';
import type { ReadExpressions } from './read-expressions.js';
import type { Select } from './select.js';

const INVALID = 'One or more parameter values were invalid: ';

export interface ReadTarget extends QueryTarget {
  readonly table: TableMetadata;
  /** Undefined when the table itself is read. */
  readonly index?: IndexMetadata;
  /** The storage space read. */
  readonly space: string;
  /** The attributes of LastEvaluatedKey: the key, plus on an index the table's key. */
  readonly keyNames: readonly string[];
  /** A local secondary index that must fetch each item from the table (attributes it does not project). */
  readonly fetchFromTable: boolean;
}

/** The table, or the index named by IndexName, checked for existence, status and consistency. */
export function resolveReadTarget(table: TableMetadata, request: JsonObject): ReadTarget {
  const indexName = request.IndexName;
  if (indexName === undefined || indexName === null) {
    return {
      table,
      key: table.key,
      space: itemSpace(table),
      keyNames: keyAttributeNames(table.key, table.key),
      fetchFromTable: false,
    };
  }
  const index = findIndex(table, String(indexName));
  if (index === undefined || index.status === 'DELETING') {
    throw validationError(`The table does not have the specified index: ${String(indexName)}`);
  }
  if (index.kind === 'GLOBAL' && request.ConsistentRead === true) {
    throw validationError('Consistent reads are not supported on global secondary indexes');
  }
  if (index.status === 'CREATING') {
    throw validationError(`Cannot read from backfilling global secondary index: ${index.indexName}`);
  }
  return {
    table,
    index,
    key: index.key,
    tableKey: table.key,
    space: indexSpace(index),
    keyNames: keyAttributeNames(table.key, index.key),
    fetchFromTable: false,
  };
}

/**
 * Checks what the request asks for against what the index projects, after the key checks (DynamoDB's order), and
 * decides whether a local index fetches items from the table: for ALL_ATTRIBUTES, or for projected or filtered
 * attributes it does not hold. A global index refuses all three.
 */
export function checkIndexProjection(target: ReadTarget, select: Select, expressions: ReadExpressions): ReadTarget {
  const { index } = target;
  if (index === undefined || index.projection.ProjectionType === 'ALL') return target;
  const projected = new Set([...keyAttributeNames(target.table.key, index.key), ...(index.projection.NonKeyAttributes ?? [])]);
  const missingProjected = missingHeads(expressions.projectionPaths, projected);
  const missingFiltered = [...(expressions.filterHeads?.names ?? [])].filter((name) => !projected.has(name));
  if (index.kind === 'GLOBAL') {
    if (select === 'ALL_ATTRIBUTES') {
      throw validationError(
        `${INVALID}Select type ALL_ATTRIBUTES is not supported for global secondary index ${index.indexName} because its projection type is not ALL`,
      );
    }
    if (missingProjected.length > 0) {
      throw validationError(`${INVALID}Global secondary index ${index.indexName} does not project [${missingProjected.join(', ')}]`);
    }
    if (missingFiltered.length > 0) {
      throw validationError(
        `${INVALID}Secondary index ${index.indexName} does not project one or more filter attributes: [${missingFiltered.join(', ')}]`,
      );
    }
    return target;
  }
  const fetch = select === 'ALL_ATTRIBUTES' || missingProjected.length > 0 || missingFiltered.length > 0;
  return fetch ? { ...target, fetchFromTable: true } : target;
}

/** The top-level attribute names of `paths` that are not in `projected`, in order, once each. */
function missingHeads(paths: readonly PathNode[] | undefined, projected: ReadonlySet<string>): string[] {
  const missing: string[] = [];
  for (const path of paths ?? []) {
    const head = path.elements[0];
    if (head === undefined || head.kind === 'ListIndex') continue;
    const name = elementName(head);
    if (!projected.has(name) && !missing.includes(name)) missing.push(name);
  }
  return missing;
}
