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
import type { TableKey, TableMetadata } from '../engine/table-metadata.js';
import { itemSpace } from '../engine/write-path.js';
import type { ConditionNode } from '../expressions/ast.js';
import { evaluateCondition } from '../expressions/evaluate-condition.js';
import type { Projection } from '../expressions/project.js';
import type { Item } from '../model/attribute-value.js';
import { itemSize, readUnits } from '../model/item-size.js';
import type { Storage } from '../storage/storage.js';
import { consumedCapacity, response } from './item-common.js';
import type { JsonObject, RequestContext } from './operation.js';
import type { ReadExpressions } from './read-expressions.js';

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
  /** The key attributes that make up LastEvaluatedKey. */
  readonly key: TableKey;
}

export interface Page {
  /** Undefined for Select COUNT. */
  readonly items: Item[] | undefined;
  readonly count: number;
  readonly scannedCount: number;
  readonly lastEvaluatedKey: Item | undefined;
  /** The summed size of the items read. */
  readonly bytesRead: number;
}

export async function readPage(request: PageRequest): Promise<Page> {
  const { filter, projection, limit } = request;
  const items: Item[] | undefined = request.countOnly ? undefined : [];
  let count = 0;
  let scannedCount = 0;
  let bytesRead = 0;
  let last: Item | undefined;
  let stoppedEarly = false;
  const entries = request.storage.range(request.space, {
    ...(request.start !== undefined ? { start: request.start } : {}),
    ...(request.end !== undefined ? { end: request.end } : {}),
    reverse: request.reverse,
    ...(limit !== undefined ? { limit } : {}),
  });
  for await (const entry of entries) {
    const item = entry.value as Item;
    scannedCount++;
    bytesRead += itemSize(item);
    last = item;
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
    lastEvaluatedKey: stoppedEarly && last !== undefined ? keyOf(request.key, last) : undefined,
    bytesRead,
  };
}

/** The key attributes of an item. */
export function keyOf(key: TableKey, item: Item): Item {
  const out: Record<string, Item[string]> = {};
  const hash = item[key.hash.name];
  if (hash !== undefined) out[key.hash.name] = hash;
  if (key.range !== undefined) {
    const range = item[key.range.name];
    if (range !== undefined) out[key.range.name] = range;
  }
  return out;
}

/** Read units of a page: its bytes rounded up to 4 KB once, as DynamoDB charges a Query or Scan. */
export function pageReadUnits(page: Page, consistentRead: boolean): number {
  return readUnits(page.bytesRead, consistentRead);
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
  table: TableMetadata,
  request: JsonObject,
  expressions: ReadExpressions,
  countOnly: boolean,
  bounds: PageBounds,
): Promise<JsonObject> {
  const page = await readPage({
    storage: context.engine.storage,
    space: itemSpace(table),
    ...(bounds.start !== undefined ? { start: bounds.start } : {}),
    ...(bounds.end !== undefined ? { end: bounds.end } : {}),
    reverse: bounds.reverse,
    ...(typeof request.Limit === 'number' ? { limit: request.Limit } : {}),
    ...(expressions.filter !== undefined ? { filter: expressions.filter } : {}),
    ...(expressions.projection !== undefined ? { projection: expressions.projection } : {}),
    countOnly,
    key: table.key,
  });
  return response({
    ...pageResponse(page),
    ConsumedCapacity: consumedCapacity(request.ReturnConsumedCapacity, table, () =>
      pageReadUnits(page, request.ConsistentRead === true),
    ),
  });
}
