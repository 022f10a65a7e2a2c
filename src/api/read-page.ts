/**
 * One page of a Query or Scan: reads a storage-key range lazily, in either direction, and stops where DynamoDB
 * stops a page:
 * - after `Limit` items *read* (evaluated), whether or not the filter keeps them;
 * - once the items read reach 1 MB, counted as DynamoDB counts item size (the item that crosses the mark is
 *   still part of the page).
 * The filter runs on the items read, so Count (items kept) can be lower than ScannedCount (items read), and a
 * page can be empty while LastEvaluatedKey says there is more. LastEvaluatedKey is the key of the last item read,
 * given whenever the page stopped at one of the two limits, even when nothing follows it (DynamoDB does not look
 * ahead). Read capacity is charged on the summed size of the items read, rounded up to 4 KB once per page (not
 * per item), at least one unit, halved for an eventually consistent read.
 */
import { readItem } from '../engine/write-path.js';
import type { ConditionNode } from '../expressions/ast.js';
import { evaluateCondition } from '../expressions/evaluate-condition.js';
import type { Projection } from '../expressions/project.js';
import type { Item } from '../model/attribute-value.js';
import { itemSize, readUnits } from '../model/item-size.js';
import type { Storage } from '../storage/storage.js';
import { encodeItemKey } from '../model/key-encoding.js';
import type { CapacityParts } from '../engine/consumed-capacity.js';
import { consumedCapacity, response } from './item-common.js';
import type { JsonObject, RequestContext } from './operation.js';
import type { ReadExpressions } from './read-expressions.js';
import type { ReadTarget } from './read-target.js';

/** DynamoDB's page size limit: 1 MB of item data read. */
export const MAX_PAGE_BYTES = 1024 * 1024;

export interface PageRequest {
  readonly storage: Storage;
  readonly space: string;
  /** Inclusive. */
  readonly start?: Uint8Array;
  /** Exclusive. */
  readonly end?: Uint8Array;
  readonly reverse: boolean;
  /** The request's Limit: at most this many items are read. */
  readonly limit?: number;
  readonly filter?: ConditionNode;
  readonly projection?: Projection;
  /** Select COUNT: count the matching items, return none. */
  readonly countOnly: boolean;
  /** The attributes that make up LastEvaluatedKey (on an index: the index key and the table key). */
  readonly keyNames: readonly string[];
  /**
   * A Query on a local secondary index that needs attributes the index does not hold: the item each entry
   * stands for, read from the table (filter and projection then apply to it).
   */
  readonly fetch?: (entry: Item) => Promise<Item | undefined>;
}

export interface Page {
  /** Undefined for Select COUNT. */
  readonly items: Item[] | undefined;
  readonly count: number;
  readonly scannedCount: number;
  readonly lastEvaluatedKey: Item | undefined;
  /** The summed size of the items (or index entries) read. */
  readonly bytesRead: number;
  /** The sizes of the items fetched from the table (see PageRequest.fetch); each costs its own read. */
  readonly fetchedSizes: readonly number[];
}

export async function readPage(request: PageRequest): Promise<Page> {
  const { filter, projection, limit } = request;
  const items: Item[] | undefined = request.countOnly ? undefined : [];
  let count = 0;
  let scannedCount = 0;
  let bytesRead = 0;
  let last: Item | undefined;
  let stoppedEarly = false;
  const fetchedSizes: number[] = [];
  const entries = request.storage.range(request.space, {
    ...(request.start !== undefined ? { start: request.start } : {}),
    ...(request.end !== undefined ? { end: request.end } : {}),
    reverse: request.reverse,
    ...(limit !== undefined ? { limit } : {}),
  });
  for await (const entry of entries) {
    const read = entry.value as Item;
    scannedCount++;
    bytesRead += itemSize(read);
    last = read;
    let item = read;
    if (request.fetch !== undefined) {
      const fetched = await request.fetch(read);
      // An entry is committed with its item, so the item is there unless a write removed both since.
      if (fetched !== undefined) {
        fetchedSizes.push(itemSize(fetched));
        item = fetched;
      }
    }
    if (filter === undefined || evaluateCondition(filter, item)) {
      count++;
      items?.push(projection === undefined ? item : projection(item));
    }
    if (scannedCount === limit || bytesRead >= MAX_PAGE_BYTES) {
      // Leaving the loop ends the iteration: nothing past the page is read.
      stoppedEarly = true;
      break;
    }
  }
  return {
    items,
    count,
    scannedCount,
    lastEvaluatedKey: stoppedEarly && last !== undefined ? pick(request.keyNames, last) : undefined,
    bytesRead,
    fetchedSizes,
  };
}

/** The named attributes of an item. */
function pick(names: readonly string[], item: Item): Item {
  const out: Record<string, Item[string]> = {};
  for (const name of names) {
    const value = item[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/**
 * Read units of a page: its bytes rounded up to 4 KB once, as DynamoDB charges a Query or Scan; on an index they
 * are the index's. Items fetched from the table for a local secondary index cost the table one read each.
 */
export function pageCapacity(page: Page, target: ReadTarget, consistentRead: boolean): CapacityParts {
  const units = readUnits(page.bytesRead, consistentRead);
  if (target.index === undefined) return { table: units };
  let tableUnits = 0;
  for (const size of page.fetchedSizes) tableUnits += readUnits(size, consistentRead);
  return { table: tableUnits, indexes: [{ index: target.index, units }] };
}

/** The members of a Query or Scan response common to both. */
export function pageResponse(page: Page): Record<string, unknown> {
  return {
    Count: page.count,
    Items: page.items,
    LastEvaluatedKey: page.lastEvaluatedKey,
    ScannedCount: page.scannedCount,
  };
}

/** Where a Query or Scan page reads: storage-key bounds (start inclusive, end exclusive) and direction. */
export interface PageBounds {
  readonly start?: Uint8Array;
  readonly end?: Uint8Array;
  readonly reverse: boolean;
}

/** Reads one page of a Query or Scan within `bounds` and answers with the response members both share. */
export async function answerPage(
  context: RequestContext,
  target: ReadTarget,
  request: JsonObject,
  expressions: ReadExpressions,
  countOnly: boolean,
  bounds: PageBounds,
): Promise<JsonObject> {
  const { table } = target;
  const storage = context.engine.storage;
  const page = await readPage({
    storage,
    space: target.space,
    ...(bounds.start !== undefined ? { start: bounds.start } : {}),
    ...(bounds.end !== undefined ? { end: bounds.end } : {}),
    reverse: bounds.reverse,
    ...(typeof request.Limit === 'number' ? { limit: request.Limit } : {}),
    ...(expressions.filter !== undefined ? { filter: expressions.filter } : {}),
    ...(expressions.projection !== undefined ? { projection: expressions.projection } : {}),
    countOnly,
    keyNames: target.keyNames,
    ...(target.fetchFromTable
      ? { fetch: (entry: Item) => readItem(storage, table, encodeItemKey(table.key, entry)) }
      : {}),
  });
  return response({
    ...pageResponse(page),
    ConsumedCapacity: consumedCapacity(request.ReturnConsumedCapacity, table, () =>
      pageCapacity(page, target, request.ConsistentRead === true),
    ),
  });
}
