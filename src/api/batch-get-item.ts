/**
 * BatchGetItem: up to 100 keys across tables, read as GetItem reads them, each table with its own projection and
 * ConsistentRead. Request validation has already checked everything that needs no table (expressions, key values,
 * duplicates, the 100-key limit). Here, table by table in request order: the table exists, each key matches its
 * schema, and the projection does not reach into a key attribute; only then is anything read.
 *
 * DynamoDB returns at most 16 MB of items. Keys past that limit come back in UnprocessedKeys, with the table's
 * request parameters (projection, names, ConsistentRead) so that the client can send UnprocessedKeys as is.
 * Missing items are simply absent from Responses; a table whose items are all missing has an empty list. Without
 * projections the answer carries the items' stored JSON as it is (readAll), as GetItem's does.
 *
 * Capacity: each key is admitted on its own, in its table's partition, and charged its read at once, so that the
 * next key sees what it consumed: a batch larger than what is left is processed in part. A throttled key is not
 * read, costs nothing and comes back in UnprocessedKeys ("BatchGetItem returns a partial result if ... the
 * table's provisioned throughput is exceeded"); when every key was throttled, the whole request fails with the
 * throttle (ProvisionedThroughputExceededException or ThrottlingException, see wholeBatchThrottle).
 */
import { isStrong } from '../engine/replication/strong-consistency.js';
import type { Item } from '../model/attribute-value.js';
import { extractKey } from '../model/key-validation.js';
import { encodeItemKey } from '../model/key-encoding.js';
import { itemSize, readUnits } from '../model/item-size.js';
import type { Projection } from '../expressions/project.js';
import { itemSpace, readItem } from '../engine/write-path.js';
import type { Storage } from '../storage/storage.js';
import { decodeEncodedItem, encodedItemSize } from './point-read.js';
import { keyHash } from '../engine/secondary-index.js';
import { throttlingError, wholeBatchThrottle, type Throttle } from '../capacity/throttle.js';
import type { TableMetadata } from '../engine/table-metadata.js';
import { consumedCapacity, requireTable, response } from './item-common.js';
import { compileItemExpressions } from './item-expressions.js';
import { checkScalarKeyPaths } from './scalar-key-paths.js';
import { spliceJson, type JsonPiece } from './json-splice.js';
import { JsonText, type JsonObject, type OperationHandler } from './operation.js';
import { keysAndAttributesExpressions } from './schemas/batch-get-item.js';

/** DynamoDB's response limit for one BatchGetItem, counted in item bytes as DynamoDB sizes items. */
export const BATCH_GET_RESPONSE_LIMIT = 16 * 1024 * 1024;

/** The request members that UnprocessedKeys repeats for each table, besides its Keys. */
const CARRIED_PARAMETERS = ['ProjectionExpression', 'ExpressionAttributeNames', 'AttributesToGet', 'ConsistentRead'];

interface TableRead {
  /** The RequestItems key: Responses and UnprocessedKeys are keyed by what the client sent. */
  readonly requestName: string;
  readonly request: JsonObject;
  readonly table: TableMetadata;
  readonly keys: readonly Item[];
  readonly storageKeys: readonly Uint8Array[];
  readonly projection: Projection | undefined;
  readonly consistent: boolean;
}

export const batchGetItem: OperationHandler = async (context, request) => {
  const requestItems = request.RequestItems as Readonly<Record<string, JsonObject>>;
  const reads: TableRead[] = [];
  for (const requestName in requestItems) {
    const tableRequest = requestItems[requestName] as JsonObject;
    const { projection, nestedPathHeads } = compileItemExpressions('GetItem', keysAndAttributesExpressions(tableRequest));
    const table = requireTable(context, requestName);
    const keys = tableRequest.Keys as Item[];
    const storageKeys = keys.map((key) => encodeItemKey(table.key, extractKey(table.key, key, 'key')));
    checkScalarKeyPaths(nestedPathHeads, table);
    reads.push({
      requestName,
      request: tableRequest,
      table,
      keys,
      storageKeys,
      projection,
      consistent: tableRequest.ConsistentRead === true,
    });
  }

  const storage = context.engine.storage;
  // A global table with multi-Region strong consistency: the read sees every write a majority of its regions has.
  for (const read of reads) {
    if (read.consistent && isStrong(read.table)) await context.engine.strongWrites.catchUpForRead(read.table);
  }
  const found = await readAll(storage, reads);

  const capacityTracker = context.engine.capacity;
  const throttles: Throttle[] = [];
  let keyCount = 0;
  const responses: Record<string, (Item | Uint8Array)[]> = {};
  const unprocessedKeys: Record<string, JsonObject> = {};
  const capacity: JsonObject[] = [];
  let responseBytes = 0;
  let limitReached = false;
  reads.forEach((read, tableIndex) => {
    const items = found.items[tableIndex] as readonly (Item | Uint8Array | undefined)[];
    const returned: (Item | Uint8Array)[] = [];
    const unprocessed: Item[] = [];
    let units = 0;
    read.keys.forEach((key, keyIndex) => {
      keyCount++;
      const hash = keyHash(read.storageKeys[keyIndex] as Uint8Array);
      if (!limitReached) {
        const throttle = capacityTracker.readThrottle(read.table, hash);
        if (throttle !== undefined) {
          throttles.push(throttle);
          unprocessed.push(key);
          return;
        }
      }
      const item = limitReached ? undefined : items[keyIndex];
      const out = item === undefined || item instanceof Uint8Array || read.projection === undefined ? item : read.projection(item);
      // Stored JSON counts its length here: never less than the item's size, and all of it fits (readAll).
      const outSize = out === undefined ? 0 : out instanceof Uint8Array ? out.length : itemSize(out);
      if (!limitReached && out !== undefined && responseBytes + outSize > BATCH_GET_RESPONSE_LIMIT) {
        limitReached = true;
      }
      if (limitReached) {
        // Once the response is full, every later key is unprocessed, found or not. DynamoDB still charges each
        // unprocessed key the smallest read (observed: 3 items of 100 units returned and one key left over cost
        // 301 units).
        unprocessed.push(key);
        units += readUnits(0, read.consistent);
        capacityTracker.chargeRead(read.table, hash, readUnits(0, read.consistent));
        return;
      }
      // Capacity is charged on the whole item read, whatever the projection returns; a missing item costs the
      // smallest read, as in GetItem.
      const size = item === undefined ? 0 : item instanceof Uint8Array ? encodedItemSize(item) : itemSize(item);
      const keyUnits = readUnits(size, read.consistent);
      units += keyUnits;
      capacityTracker.chargeRead(read.table, hash, keyUnits);
      if (out !== undefined) {
        responseBytes += outSize;
        returned.push(out);
      }
    });
    responses[read.requestName] = returned;
    if (unprocessed.length > 0) unprocessedKeys[read.requestName] = carriedRequest(read.request, unprocessed);
    if (context.notes !== undefined) {
      context.notes.consume(read.table.tableName, undefined, units, 0);
      for (const key of read.keys) context.notes.itemKey(read.table.tableName, undefined, key, read.table.key);
    }
    const consumed = consumedCapacity(request.ReturnConsumedCapacity, read.table, () => units);
    if (consumed !== undefined) capacity.push(consumed);
  });

  if (throttles.length > 0 && throttles.length === keyCount) throw throttlingError(wholeBatchThrottle(throttles));

  // One entry per table, in request order.
  const consumedCapacityList = capacity.length > 0 ? capacity : undefined;
  if (found.encoded) return encodedResponse(responses as Record<string, Uint8Array[]>, unprocessedKeys, consumedCapacityList);
  return response({ Responses: responses, UnprocessedKeys: unprocessedKeys, ConsumedCapacity: consumedCapacityList });
};

/**
 * Every key's item. As stored JSON when the storage keeps it, no table asks for a projection and all of it fits in
 * the response's limit by its length (an item's size is never more than its JSON text's): the answer then splices
 * the stored bytes as GetItem does, without parsing and re-serialising 100 items. Otherwise decoded items: the
 * JSON already read past the limit is decoded (to be sized exactly), not read again.
 */
async function readAll(
  storage: Storage,
  reads: readonly TableRead[],
): Promise<{ readonly encoded: boolean; readonly items: readonly (readonly (Item | Uint8Array | undefined)[])[] }> {
  const getEncoded = storage.getEncoded?.bind(storage);
  if (getEncoded !== undefined && reads.every((read) => read.projection === undefined)) {
    const stored = await Promise.all(reads.map((read) => Promise.all(read.storageKeys.map((storageKey) => getEncoded(itemSpace(read.table), storageKey)))));
    let length = 0;
    for (const items of stored) for (const item of items) length += item?.length ?? 0;
    if (length <= BATCH_GET_RESPONSE_LIMIT) return { encoded: true, items: stored };
    return { encoded: false, items: stored.map((items) => items.map((json) => (json === undefined ? undefined : decodeEncodedItem(json)))) };
  }
  const items = await Promise.all(reads.map((read) => Promise.all(read.storageKeys.map((storageKey) => readItem(storage, read.table, storageKey)))));
  return { encoded: false, items };
}

/** The answer with the items' stored JSON spliced in: the same members, in the same order, as `response` writes. */
function encodedResponse(responses: Record<string, Uint8Array[]>, unprocessedKeys: JsonObject, consumed: JsonObject[] | undefined): JsonText {
  const pieces: JsonPiece[] = ['{"Responses":{'];
  let first = true;
  for (const name in responses) {
    pieces.push(`${first ? '' : ','}${JSON.stringify(name)}:[`, responses[name] as Uint8Array[], ']');
    first = false;
  }
  pieces.push(`},"UnprocessedKeys":${JSON.stringify(unprocessedKeys)}${consumed === undefined ? '' : `,"ConsumedCapacity":${JSON.stringify(consumed)}`}}`);
  return new JsonText(spliceJson(pieces));
}

/** A table's entry of UnprocessedKeys: the keys left over and the parameters they were requested with. */
function carriedRequest(request: JsonObject, keys: readonly Item[]): JsonObject {
  const carried: JsonObject = { Keys: keys };
  for (const member of CARRIED_PARAMETERS) {
    if (request[member] !== undefined && request[member] !== null) carried[member] = request[member];
  }
  return carried;
}
