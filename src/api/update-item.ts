/**
 * UpdateItem: edit an item's attributes in place (creating the item from its key when absent, unless the update
 * only removes), optionally under a condition, returning old or new attributes as asked.
 */
import type { Item } from '../model/attribute-value.js';
import { extractKey } from '../model/key-validation.js';
import { encodeItemKey } from '../model/key-encoding.js';
import { validationError } from '../errors.js';
import { itemSize, MAX_ITEM_SIZE } from '../model/item-size.js';
import { writeItem } from '../engine/write-path.js';
import { checkIndexKeys } from '../engine/index-key-validation.js';
import { assertUpdateNesting } from '../model/validate-attribute-value.js';
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

export const updateItem: OperationHandler = async (context, request) => {
  const keyAttributes = request.Key as Item;
  const { update, condition, nestedPathHeads } = compileItemExpressions('UpdateItem', request);
  const table = requireTable(context, request.TableName as string);
  const key = extractKey(table.key, keyAttributes, 'key');
  update?.checkKeyUntouched(table.key);
  checkScalarKeyPaths(nestedPathHeads, table);

  // The paths the update touched, for UPDATED_OLD / UPDATED_NEW; set by the (pure) decision on its last run.
  let project: ((item: Item) => Item) | undefined;
  const outcome = await writeItem(context.engine, {
    table,
    storageKey: encodeItemKey(table.key, key),
    decide: (current: Item | undefined, latest) => {
      checkCondition(condition, current, request.ReturnValuesOnConditionCheckFailure);
      // An update of an absent item starts from its key: UpdateItem is an upsert (also with no update at all).
      if (update === undefined) return current ?? key;
      // Only removals (REMOVE, DELETE) on an absent item: nothing is written, not even the key.
      if (current === undefined && !update.createsItem) return undefined;
      const result = update.apply(current ?? key, current !== undefined);
      project = result.projectChanged;
      if (result.item !== current) assertUpdateNesting(result.item, current);
      if (result.item !== current) checkIndexKeys(latest, result.item, 'update');
      // Unlike PutItem's, this limit can only be checked on the result, and DynamoDB words it differently.
      if (result.item !== current && itemSize(result.item) > MAX_ITEM_SIZE) {
        throw validationError('Item size to update has exceeded the maximum allowed size');
      }
      return result.item;
    },
  });

  noteWrite(context.notes, outcome, key);
  return response({
    Attributes: returnedAttributes(request.ReturnValues, outcome.oldItem, outcome.newItem, project),
    ConsumedCapacity: consumedCapacity(request.ReturnConsumedCapacity, table, () =>
      outcome.capacity,
    ),
    ItemCollectionMetrics: itemCollectionMetrics(request.ReturnItemCollectionMetrics, outcome, key),
  });
};

function returnedAttributes(
  mode: unknown,
  oldItem: Item | undefined,
  newItem: Item | undefined,
  projectChanged: ((item: Item) => Item) | undefined,
): Item | undefined {
  switch (mode) {
    case 'ALL_OLD':
      return oldItem;
    case 'ALL_NEW':
      return newItem;
    case 'UPDATED_OLD':
      return changedOrNothing(oldItem, projectChanged);
    case 'UPDATED_NEW':
      return changedOrNothing(newItem, projectChanged);
    default:
      return undefined;
  }
}

/** DynamoDB leaves `Attributes` out altogether when nothing of the touched paths exists in that image. */
function changedOrNothing(item: Item | undefined, projectChanged: ((item: Item) => Item) | undefined): Item | undefined {
  if (item === undefined || projectChanged === undefined) return undefined;
  const projected = projectChanged(item);
  for (const _ in projected) return projected;
  return undefined;
}
