/**
 * DeleteItem: remove an item by key, optionally under a condition. Deleting an absent item succeeds (and still
 * costs a write unit, as in DynamoDB).
 */
import type { Item } from '../model/attribute-value.js';
import { extractKey } from '../model/key-validation.js';
import { encodeItemKey } from '../model/key-encoding.js';
import { writeItem } from '../engine/write-path.js';
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

export const deleteItem: OperationHandler = async (context, request) => {
  const keyAttributes = request.Key as Item;
  const { condition, nestedPathHeads } = compileItemExpressions('DeleteItem', request);
  const table = requireTable(context, request.TableName as string);
  const key = extractKey(table.key, keyAttributes, 'key');
  checkScalarKeyPaths(nestedPathHeads, table);

  const outcome = await writeItem(context.engine, {
    table,
    storageKey: encodeItemKey(table.key, key),
    decide: (current: Item | undefined) => {
      checkCondition(condition, current, request.ReturnValuesOnConditionCheckFailure);
      return undefined;
    },
    // Without a condition or ALL_OLD, the item it deletes need not be decoded.
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
