/**
 * Query: the items of one partition whose sort key satisfies the key condition, in sort-key order (or reversed),
 * one page at a time. A Query reads exactly the storage-key range of its key condition (src/model/key-encoding.ts),
 * so it costs O(log n + items read) in either direction, with begins_with as well; a page never materialises more
 * than itself. Reads are always strongly consistent in Cairn; ConsistentRead only changes what the page costs.
 */
import type { Item } from '../model/attribute-value.js';
import { keyAfter } from '../model/key-encoding.js';
import { requireTable } from './item-common.js';
import type { OperationHandler } from './operation.js';
import { queryRange, keyTerms } from './query-key.js';
import { checkFilterAvoidsKey, compileReadExpressions } from './read-expressions.js';
import { checkIndexProjection, resolveReadTarget } from './read-target.js';
import { checkScalarKeyPaths } from './scalar-key-paths.js';
import { answerPage } from './read-page.js';
import { checkSelect } from './select.js';

export const query: OperationHandler = async (context, request) => {
  const expressions = compileReadExpressions('Query', request);
  const terms = keyTerms(expressions.keyCondition, request.KeyConditions);
  const table = requireTable(context, request.TableName as string);
  let target = resolveReadTarget(table, request);
  const select = checkSelect(request, target.index !== undefined);
  const { range, startAfter } = queryRange(target, terms, request.ExclusiveStartKey as Item | undefined);
  // DynamoDB's order: the projection's paths into keys, the filter's key attributes, what the index holds, then
  // the filter's paths into keys.
  checkScalarKeyPaths(expressions.projectionNestedHeads, table);
  checkFilterAvoidsKey(expressions, target.key);
  target = checkIndexProjection(target, select, expressions);
  checkScalarKeyPaths(expressions.filterNestedHeads, table);

  // For the access-pattern report's hot keys: the partition-key value the Query reads.
  context.notes?.keyValue(table.tableName, target.index?.indexName, terms.get(target.key.hash.name)?.values[0]);

  const reverse = request.ScanIndexForward === false;
  // Resume past ExclusiveStartKey in the direction of reading (queryRange checked that it lies in the range).
  const start = startAfter !== undefined && !reverse ? keyAfter(startAfter) : range.start;
  const end = startAfter !== undefined && reverse ? startAfter : range.end;
  return answerPage(context, target, request, expressions, select === 'COUNT', { start, end, reverse });
};
