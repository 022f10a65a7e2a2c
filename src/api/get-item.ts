/**
 * GetItem: read one item by key. Reads are always strongly consistent in Cairn (a single commit order), so
 * ConsistentRead only changes what the read costs, as DynamoDB bills it.
 */
import type { Item } from '../model/attribute-value.js';
import { extractKey } from '../model/key-validation.js';
import { encodeItemKey } from '../model/key-encoding.js';
import { itemSize, readUnits } from '../model/item-size.js';
import { readItem } from '../engine/write-path.js';
import { consumedCapacity, requireTable, response } from './item-common.js';
import { checkProjectionOfKey, compileItemExpressions } from './item-expressions.js';
import type { OperationHandler } from './operation.js';

export const getItem: OperationHandler = async (context, request) => {
  const keyAttributes = request.Key as Item;
  const { projection, projectionPaths } = compileItemExpressions('GetItem', request);
  const table = requireTable(context, request.TableName as string);
  const key = extractKey(table.key, keyAttributes, 'key');
  checkProjectionOfKey(projectionPaths, table.key);

  const item = await readItem(context.engine.storage, table, encodeItemKey(table.key, key));

  return response({
    Item: item === undefined ? undefined : projection === undefined ? item : projection(item),
    ConsumedCapacity: consumedCapacity(
      request.ReturnConsumedCapacity,
      table,
      // Capacity is charged on the whole item read, whatever the projection returns.
      readUnits(item === undefined ? 0 : itemSize(item), request.ConsistentRead === true),
    ),
  });
};
