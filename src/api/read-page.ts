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
 *
 * Capacity: a page is admitted in the partition it starts in (a Query's partition key; where a Scan page
 * resumes) before anything is read, and then charged what it consumed, which may take a partition into debt (a
 * page's cost is known only once it is read, and DynamoDB never cuts a page short for capacity). The units are
 * the ones ReturnConsumedCapacity reports, spread over the partitions read by the key hashes of the entries read;
 * a global secondary index's units go to the index's capacity, a local one's (and the items it fetches) to the
 * table's.
 */
import { isStrong } from '../engine/replication/strong-consistency.js';
import { readItem } from '../engine/write-path.js';
import { keyHash } from '../engine/secondary-index.js';
import { readCharges, type Charge } from '../capacity/charges.js';
import type { ConditionNode } from '../expressions/ast.js';
import { evaluateCondition } from '../expressions/evaluate-condition.js';
import type { Projection } from '../expressions/project.js';
import type { Item } from '../model/attribute-value.js';
import { itemSize, readUnits } from '../model/item-size.js';
import type { Storage } from '../storage/storage.js';
import { encodeItemKey } from '../model/key-encoding.js';
import type { CapacityParts } from '../engine/consumed-capacity.js';
import { consumedCapacity, response } from './item-common.js';
import { spliceJson } from './json-splice.js';
import { decodeEncodedItem } from './point-read.js';
import { JsonText, type JsonObject, type RequestContext } from './operation.js';
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
  /**
   * The page's byte budget, MAX_PAGE_BYTES by default; less for a PartiQL SELECT that reads several partitions
   * into one 1 MB page.
   */
  readonly maxBytes?: number;
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
  /** The bytes read under each key hash (the partitions the page read). */
  readonly bytesByHash: ReadonlyMap<number, number>;
  /** The items fetched from the table (see PageRequest.fetch): each costs its own read, in its partition. */
  readonly fetched: readonly { readonly hash: number; readonly size: number }[];
}

export async function readPage(request: PageRequest): Promise<Page> {
  const { filter, projection, limit } = request;
  const maxBytes = request.maxBytes ?? MAX_PAGE_BYTES;
  const items: Item[] | undefined = request.countOnly ? undefined : [];
  let count = 0;
  let scannedCount = 0;
  let bytesRead = 0;
  let last: Item | undefined;
  let stoppedEarly = false;
  const bytesByHash = new Map<number, number>();
  const fetched: { hash: number; size: number }[] = [];
  const entries = request.storage.range(request.space, {
    ...(request.start !== undefined ? { start: request.start } : {}),
    ...(request.end !== undefined ? { end: request.end } : {}),
    reverse: request.reverse,
    ...(limit !== undefined ? { limit } : {}),
  });
  for await (const entry of entries) {
    const read = entry.value as Item;
    scannedCount++;
    const size = itemSize(read);
    const hash = keyHash(entry.key);
    bytesRead += size;
    bytesByHash.set(hash, (bytesByHash.get(hash) ?? 0) + size);
    last = read;
    let item = read;
    if (request.fetch !== undefined) {
      const found = await request.fetch(read);
      // An entry is committed with its item, so the item is there unless a write removed both since. A local
      // index's entry has its item's partition key, so the item is in the same partition.
      if (found !== undefined) {
        fetched.push({ hash, size: itemSize(found) });
        item = found;
      }
    }
    if (filter === undefined || evaluateCondition(filter, item)) {
      count++;
      items?.push(projection === undefined ? item : projection(item));
    }
    if (scannedCount === limit || bytesRead >= maxBytes) {
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
    bytesByHash,
    fetched,
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
export function pageCapacity(page: Omit<Page, 'items'>, target: ReadTarget, consistentRead: boolean): CapacityParts {
  const units = readUnits(page.bytesRead, consistentRead);
  if (target.index === undefined) return { table: units };
  let tableUnits = 0;
  for (const { size } of page.fetched) tableUnits += readUnits(size, consistentRead);
  return { table: tableUnits, indexes: [{ index: target.index, units }] };
}

/**
 * What a page is charged, as pageCapacity counts it: the page's units spread over the partitions it read, on the
 * index's capacity for a global secondary index, on the table's otherwise; each fetched item's read in its own
 * partition of the table.
 */
export function pageCharges(
  context: RequestContext,
  page: Omit<Page, 'items'>,
  target: ReadTarget,
  consistentRead: boolean,
  startHash: number,
): Charge[] {
  const capacity = context.engine.capacity;
  const units = readUnits(page.bytesRead, consistentRead);
  const charges = readCharges(capacity.resource(target.table, target.index?.indexId), units, page.bytesByHash, startHash);
  if (page.fetched.length === 0) return charges;
  const table = capacity.resource(target.table);
  for (const { hash, size } of page.fetched) charges.push({ resource: table, access: 'read', hash, units: readUnits(size, consistentRead) });
  return charges;
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

/**
 * The partition a page starts in: a Query's partition key (both ends of its range share its hash), or where a Scan
 * (segment) page resumes; the first partition for a Scan from the start.
 */
export function pageStartHash(bounds: PageBounds): number {
  if (bounds.start !== undefined) return keyHash(bounds.start);
  return bounds.end !== undefined && bounds.reverse ? keyHash(bounds.end) : 0;
}

/** Reads one page of a Query or Scan within `bounds` and answers with the response members both share. */
export async function answerPage(
  context: RequestContext,
  target: ReadTarget,
  request: JsonObject,
  expressions: ReadExpressions,
  countOnly: boolean,
  bounds: PageBounds,
): Promise<JsonObject | JsonText> {
  const { table } = target;
  const storage = context.engine.storage;
  const capacity = context.engine.capacity;
  const consistent = request.ConsistentRead === true;
  // A global table with multi-Region strong consistency: the read sees every write a majority of its regions has.
  if (consistent && isStrong(table)) await context.engine.strongWrites.catchUpForRead(table);
  const startHash = pageStartHash(bounds);
  capacity.admitRead(table, startHash, target.index?.indexId);
  // Fast path: when nothing in the page needs an item decoded (no filter, no projection, no item fetched from the
  // table), the answer is spliced from the items' stored JSON. Same members, same order as pageResponse.
  const rangeEncoded = storage.rangeEncoded?.bind(storage);
  if (rangeEncoded !== undefined && !countOnly && expressions.filter === undefined && expressions.projection === undefined && !target.fetchFromTable) {
    const page = await readEncodedPage(rangeEncoded, target.space, bounds, typeof request.Limit === 'number' ? request.Limit : undefined, target.keyNames);
    const tail = finishPage(context, page, target, consistent, startHash, request);
    return new JsonText(splicePage(page, tail));
  }
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
  return response({ ...pageResponse(page), ...finishPage(context, page, target, consistent, startHash, request) });
}

/**
 * What every page does once read: charges its capacity, notes it for metrics and the access-pattern report
 * (src/observe/), and gives the response members that follow the items: LastEvaluatedKey, ScannedCount and
 * ConsumedCapacity when asked for.
 */
function finishPage(
  context: RequestContext,
  page: Omit<Page, 'items'>,
  target: ReadTarget,
  consistent: boolean,
  startHash: number,
  request: JsonObject,
): JsonObject {
  const { table } = target;
  const capacity = context.engine.capacity;
  if (capacity.counting) capacity.charge(pageCharges(context, page, target, consistent, startHash));
  const notes = context.notes;
  let parts: CapacityParts | undefined;
  const units = (): CapacityParts => (parts ??= pageCapacity(page, target, consistent));
  if (notes !== undefined) {
    notes.scannedCount = page.scannedCount;
    notes.count = page.count;
    notes.consumeParts(table, units(), 'read');
  }
  return response({
    LastEvaluatedKey: page.lastEvaluatedKey,
    ScannedCount: page.scannedCount,
    ConsumedCapacity: consumedCapacity(request.ReturnConsumedCapacity, table, units),
  });
}

/** A page read as its items' stored JSON (readEncodedPage): every item read is returned, so Count = ScannedCount. */
interface EncodedPage extends Omit<Page, 'items'> {
  readonly encodedItems: readonly Uint8Array[];
}

/**
 * readPage without a filter, projection or fetch, reading the items' stored JSON instead of decoding them: an
 * item's size is its tag (the write path tags every item with its size; an index entry, untagged, is decoded to
 * be sized), and only the last item read is decoded, for LastEvaluatedKey.
 */
async function readEncodedPage(
  rangeEncoded: NonNullable<Storage['rangeEncoded']>,
  space: string,
  bounds: PageBounds,
  limit: number | undefined,
  keyNames: readonly string[],
): Promise<EncodedPage> {
  const encodedItems: Uint8Array[] = [];
  let bytesRead = 0;
  let last: Uint8Array | undefined;
  let stoppedEarly = false;
  const bytesByHash = new Map<number, number>();
  const entries = rangeEncoded(space, {
    ...(bounds.start !== undefined ? { start: bounds.start } : {}),
    ...(bounds.end !== undefined ? { end: bounds.end } : {}),
    reverse: bounds.reverse,
    ...(limit !== undefined ? { limit } : {}),
  });
  for await (const entry of entries) {
    const { json, tag } = entry.value;
    const size = tag ?? itemSize(decodeEncodedItem(json));
    const hash = keyHash(entry.key);
    bytesRead += size;
    bytesByHash.set(hash, (bytesByHash.get(hash) ?? 0) + size);
    encodedItems.push(json);
    last = json;
    if (encodedItems.length === limit || bytesRead >= MAX_PAGE_BYTES) {
      stoppedEarly = true;
      break;
    }
  }
  return {
    encodedItems,
    count: encodedItems.length,
    scannedCount: encodedItems.length,
    lastEvaluatedKey: stoppedEarly && last !== undefined ? pick(keyNames, decodeEncodedItem(last)) : undefined,
    bytesRead,
    bytesByHash,
    fetched: [],
  };
}

/** `{"Count":n,"Items":[...],` then the members after the items (`tail`, never empty: ScannedCount is always there). */
function splicePage(page: EncodedPage, tail: JsonObject): Buffer {
  return spliceJson([`{"Count":${page.count},"Items":[`, page.encodedItems, `],${JSON.stringify(tail).slice(1)}`]);
}
