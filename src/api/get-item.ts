/**
 * GetItem: read one item by key. Reads are always strongly consistent in Cairn (a single commit order), so
 * ConsistentRead only changes what the read costs, as DynamoDB bills it.
 */
import { isStrong } from '../engine/replication/strong-consistency.js';
import type { Item } from '../model/attribute-value.js';
import { extractKey } from '../model/key-validation.js';
import { encodeItemKey } from '../model/key-encoding.js';
import { keyHash } from '../engine/secondary-index.js';
import { consumedCapacity, requireTable, response } from './item-common.js';
import { compileItemExpressions } from './item-expressions.js';
import { checkScalarKeyPaths } from './scalar-key-paths.js';
import { chargedEncodedRead, chargedRead } from './point-read.js';
import { spliceJson } from './json-splice.js';
import { JsonText, type OperationHandler } from './operation.js';

const EMPTY_OBJECT = Buffer.from('{}');

export const getItem: OperationHandler = async (context, request) => {
  const keyAttributes = request.Key as Item;
  const { projection, nestedPathHeads } = compileItemExpressions('GetItem', request);
  const table = requireTable(context, request.TableName as string);
  const key = extractKey(table.key, keyAttributes, 'key');
  checkScalarKeyPaths(nestedPathHeads, table);
  const storage = context.engine.storage;
  const storageKey = encodeItemKey(table.key, key);
  const consistent = request.ConsistentRead === true;
  // A global table with multi-Region strong consistency: the read sees every write a majority of its regions has.
  if (consistent && isStrong(table)) await context.engine.strongWrites.catchUpForRead(table);
  const hash = keyHash(storageKey);
  context.engine.capacity.admitItemRead(table, hash, consistent);

  // Fast path, the most common read: the whole item, no capacity report, from an engine that stores JSON. The
  // stored bytes are the item exactly as DynamoDB JSON, so they go out as they are, without parse or stringify.
  if (projection === undefined && storage.getEncoded !== undefined && !capacityRequested(request.ReturnConsumedCapacity)) {
    const stored = await chargedEncodedRead(context, table, storageKey, hash, consistent, key);
    return new JsonText(stored === undefined ? EMPTY_OBJECT : spliceJson(['{"Item":', [stored], '}']));
  }

  // Capacity is charged on the whole item read, whatever the projection returns.
  const { item, units } = await chargedRead(context, table, storageKey, hash, consistent, key);
  return response({
    Item: item === undefined ? undefined : projection === undefined ? item : projection(item),
    ConsumedCapacity: consumedCapacity(request.ReturnConsumedCapacity, table, () => units),
  });
};

function capacityRequested(mode: unknown): boolean {
  return mode === 'TOTAL' || mode === 'INDEXES';
}
