/**
 * PutItem: replace (or create) a whole item, optionally under a condition.
 */
import type { Item } from '../model/attribute-value.js';
import { extractKey } from '../model/key-validation.js';
import { encodeItemKey } from '../model/key-encoding.js';
import { assertItemSizeWithinLimit } from '../model/item-size.js';
import { writeItem } from '../engine/write-path.js';
import { checkIndexKeys } from '../engine/index-key-validation.js';
import {
  checkCondition,
  consumedCapacity,
  itemCollectionMetrics,
  requireTable,
  response,
} from './item-common.js';
import { compileItemExpressions } from './item-expressions.js';
import { checkScalarKeyPaths } from './scalar-key-paths.js';
import type { OperationHandler } from './operation.js';
import { noteWrite } from '../observe/request-notes.js';

export const putItem: OperationHandler = async (context, request) => {
  // Request validation has checked and normalised the item's values; DynamoDB checks its size next, before the
  // expressions.
  const item = request.Item as Item;
  assertItemSizeWithinLimit(item);
  const { condition, nestedPathHeads } = compileItemExpressions('PutItem', request);
  const table = requireTable(context, request.TableName as string);
  const key = extractKey(table.key, item, 'item');
  checkIndexKeys(table, item, 'item');
  checkScalarKeyPaths(nestedPathHeads, table);

  const outcome = await writeItem(context.engine, {
    table,
    storageKey: encodeItemKey(table.key, item),
    decide: (current: Item | undefined, latest) => {
      // The table may have gained an index since the request began (UpdateTable): its keys are checked too.
      if (latest !== table) checkIndexKeys(latest, item, 'item');
      checkCondition(condition, current, request.ReturnValuesOnConditionCheckFailure);
      return item;
    },
    // Without a condition or ALL_OLD, the item it replaces need not be decoded.
    blind: condition === undefined && request.ReturnValues !== 'ALL_OLD',
  });

  noteWrite(context.notes, outcome, key);
  return response({
    Attributes: request.ReturnValues === 'ALL_OLD' ? outcome.oldItem : undefined,
    ConsumedCapacity: consumedCapacity(request.ReturnConsumedCapacity, table, () =>
      outcome.capacity,
    ),
    ItemCollectionMetrics: itemCollectionMetrics(request.ReturnItemCollectionMetrics, outcome, key),
  });
};
