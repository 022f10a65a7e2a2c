/**
 * Scan: every item of the table, one page at a time, in storage-key order, which is hash order (as DynamoDB
 * returns a Scan), not key order. A parallel Scan's segment reads its share of the 16-bit hash space
 * (scanSegmentRange), so segments are disjoint and together complete. A page resumes just past ExclusiveStartKey
 * and never re-reads earlier pages.
 */
import { DynamoDbError, validationError } from '../errors.js';
import type { Item } from '../model/attribute-value.js';
import { keyAfter, scanSegmentRange } from '../model/key-encoding.js';
import { allKeyParts } from '../model/key-parts.js';
import { requireTable } from './item-common.js';
import type { JsonObject, OperationHandler } from './operation.js';
import { compileReadExpressions } from './read-expressions.js';
import { startStorageKey } from './query-key.js';
import { checkIndexProjection, resolveReadTarget, type ReadTarget } from './read-target.js';
import { answerPage } from './read-page.js';
import { checkScalarKeyPaths } from './scalar-key-paths.js';
import { checkSelect } from './select.js';

const START_KEY_INVALID = 'The provided starting key is invalid: ';

export const scan: OperationHandler = async (context, request) => {
  const expressions = compileReadExpressions('Scan', request);
  const table = requireTable(context, request.TableName as string);
  let target = resolveReadTarget(table, request);
  const select = checkSelect(request, target.index !== undefined);

  const totalSegments = typeof request.TotalSegments === 'number' ? request.TotalSegments : 1;
  const segment = typeof request.Segment === 'number' ? request.Segment : 0;
  const bounds = totalSegments > 1 ? scanSegmentRange(segment, totalSegments) : undefined;
  let start = bounds?.start;
  const startKey = startKeyOf(target, request);
  if (startKey !== undefined) {
    const outside =
      bounds !== undefined &&
      (Buffer.compare(startKey, bounds.start) < 0 || (bounds.end !== undefined && Buffer.compare(startKey, bounds.end) >= 0));
    if (outside) {
      throw validationError(
        `${START_KEY_INVALID}Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. ` +
          `TotalSegments: ${totalSegments} Segment: ${segment}`,
      );
    }
    start = keyAfter(startKey);
  }
  // DynamoDB's order: the filter's paths into keys, then the projection's.
  checkScalarKeyPaths(expressions.filterNestedHeads, table);
  checkScalarKeyPaths(expressions.projectionNestedHeads, table);
  target = checkIndexProjection(target, select, expressions);

  return answerPage(context, target, request, expressions, select === 'COUNT', {
    ...(start !== undefined ? { start } : {}),
    ...(bounds?.end !== undefined ? { end: bounds.end } : {}),
    reverse: false,
  });
};

/**
 * The storage key of ExclusiveStartKey. On the table it is validated as a Key, with DynamoDB's Scan prefix on
 * every message; on an index, exactly as a Query on that index validates it (whose messages carry their own
 * prefix where DynamoDB puts one).
 */
function startKeyOf(target: ReadTarget, request: JsonObject): Uint8Array | undefined {
  const startKey = request.ExclusiveStartKey as Item | undefined | null;
  if (startKey === undefined || startKey === null) return undefined;
  if (target.tableKey !== undefined) return indexStartKey(target, startKey);
  try {
    return startStorageKey(target, startKey);
  } catch (error) {
    if (error instanceof DynamoDbError && error.type === 'ValidationException') {
      throw validationError(`${START_KEY_INVALID}${error.message}`);
    }
    throw error;
  }
}

/**
 * Query's checks of a starting key on an index (query-key.ts, without the key condition): the number of
 * attributes, then each index key attribute present and of its type, then the key values themselves.
 */
function indexStartKey(target: ReadTarget, startKey: Item): Uint8Array {
  if (Object.keys(startKey).length !== target.keyNames.length) throw validationError('The provided starting key is invalid');
  for (const part of allKeyParts(target.key)) {
    const value = startKey[part.name];
    if (value === undefined) throw validationError('The provided starting key is invalid');
    if (!(part.type in value)) throw validationError('The provided key element does not match the schema');
  }
  return startStorageKey(target, startKey);
}
