/**
 * Running a PartiQL SELECT (a ReadPlan) one page at a time, on the code GetItem, Query and Scan run on: a point
 * read is GetItem's read (readItem, its capacity), each partition of a Query plan is a Query's key range
 * (queryRange) read by readPage, and a Scan plan is a Scan's read of the whole table or index. The plan's WHERE is
 * the filter of every item read.
 *
 * A page stops as a Query or Scan page does, after `Limit` items read or once the items read reach 1 MB, counted
 * over all the partitions the page reads (a SELECT with IN over several keys runs one Query per key, in order, into
 * one page). The resume point records the partition it is in, so a page boundary inside the third key resumes in
 * the third key.
 */
import { validationError } from '../errors.js';
import type { Item } from '../model/attribute-value.js';
import { encodeItemKey, keyAfter } from '../model/key-encoding.js';
import { readItem } from '../engine/write-path.js';
import { chargedEncodedRead, chargedRead } from './point-read.js';
import { evaluateCondition } from '../expressions/evaluate-condition.js';
import { keyHash } from '../engine/secondary-index.js';
import type { CapacityParts } from '../engine/consumed-capacity.js';
import type { ReadPlan } from '../partiql/plan.js';
import type { ResumePoint } from '../partiql/next-token.js';
import type { RequestContext } from './operation.js';
import { spliceJson } from './json-splice.js';
import { MAX_PAGE_BYTES, pageCapacity, pageCharges, pageStartHash, readPage, type Page } from './read-page.js';
import { queryRange, startStorageKey, type KeyTerm } from './query-key.js';
import { checkIndexProjection, resolveReadTarget, type ReadTarget } from './read-target.js';
import type { ReadExpressions } from './read-expressions.js';

export interface SelectOptions {
  readonly limit?: number;
  readonly consistent: boolean;
  readonly resume?: ResumePoint;
}

export interface SelectPage {
  readonly items: Item[];
  /** Where the next page starts; undefined when the read is complete. */
  readonly next?: ResumePoint;
  readonly capacity: CapacityParts;
}

/**
 * DynamoDB's PartiQL wording for ConsistentRead on a GSI, from DynamoDB Local's PartiQL message table
 * (unconfirmed against the service, whose PartiQL front end may answer with Query's wording instead).
 */
const CONSISTENT_GSI = 'Strongly consistent read is not supported on Global Secondary Indexes';

/** The table or index the plan reads, checked as a Query or Scan checks it (status, what the index holds). */
export function selectTarget(plan: ReadPlan, consistent: boolean): ReadTarget {
  if (plan.index?.kind === 'GLOBAL' && consistent) throw validationError(CONSISTENT_GSI);
  const target = resolveReadTarget(plan.table, plan.index === undefined ? {} : { IndexName: plan.index.indexName });
  const expressions: ReadExpressions = {
    projectionNestedHeads: new Set(),
    filterNestedHeads: new Set(),
    ...(plan.projectionPaths !== undefined ? { projectionPaths: plan.projectionPaths } : {}),
    filterHeads: { parameter: 'Filter Expression', names: plan.filterNames },
  };
  // `SELECT *` on an index returns what the index holds, as DynamoDB does.
  return checkIndexProjection(target, plan.projectionPaths === undefined ? 'ALL_PROJECTED_ATTRIBUTES' : 'SPECIFIC_ATTRIBUTES', expressions);
}

export async function selectPage(context: RequestContext, plan: ReadPlan, options: SelectOptions): Promise<SelectPage> {
  const target = selectTarget(plan, options.consistent);
  if (plan.access === 'point' && plan.key !== undefined) return pointRead(context, plan, plan.key, options.consistent);

  const items: Item[] = [];
  let scanned = 0;
  const parts: { table: number; index: number } = { table: 0, index: 0 };
  let remainingItems = options.limit;
  let remainingBytes = MAX_PAGE_BYTES;
  const storage = context.engine.storage;
  const capacity = context.engine.capacity;
  const count = plan.access === 'scan' ? 1 : plan.partitions.length;
  const first = options.resume?.partition ?? 0;
  if (first < 0 || first >= count) throw validationError('Invalid NextToken');

  for (let partition = first; partition < count; partition++) {
    const after = partition === first ? options.resume?.after : undefined;
    let bounds: { start?: Uint8Array; end?: Uint8Array; reverse: boolean };
    if (plan.access === 'scan') {
      bounds = { reverse: false, ...(after !== undefined ? { start: keyAfter(startKey(target, after)) } : {}) };
    } else {
      const read = plan.partitions[partition];
      const terms = new Map<string, KeyTerm>([[target.key.hash.name, { operator: 'EQ', values: [read?.hash as NonNullable<typeof read>['hash']] }]]);
      if (read?.range !== undefined && target.key.range !== undefined) terms.set(target.key.range.name, read.range);
      const { range, startAfter } = resumeRange(target, terms, after);
      const reverse = plan.reverse;
      bounds = {
        start: startAfter !== undefined && !reverse ? keyAfter(startAfter) : range.start,
        end: startAfter !== undefined && reverse ? startAfter : range.end,
        reverse,
      };
    }
    const startHash = pageStartHash(bounds);
    capacity.admitRead(plan.table, startHash, target.index?.indexId);
    const page: Page = await readPage({
      storage,
      space: target.space,
      ...(bounds.start !== undefined ? { start: bounds.start } : {}),
      ...(bounds.end !== undefined ? { end: bounds.end } : {}),
      reverse: bounds.reverse,
      ...(remainingItems !== undefined ? { limit: remainingItems } : {}),
      maxBytes: remainingBytes,
      ...(plan.filter !== undefined ? { filter: plan.filter } : {}),
      ...(plan.projection !== undefined ? { projection: plan.projection } : {}),
      countOnly: false,
      keyNames: target.keyNames,
      ...(target.fetchFromTable ? { fetch: (entry: Item) => readItem(storage, plan.table, encodeItemKey(plan.table.key, entry)) } : {}),
    });
    if (capacity.counting) capacity.charge(pageCharges(context, page, target, options.consistent, startHash));
    const consumed = pageCapacity(page, target, options.consistent);
    parts.table += consumed.table;
    for (const { units } of consumed.indexes ?? []) parts.index += units;
    items.push(...(page.items ?? []));
    scanned += page.scannedCount;
    // For the access-pattern report's hot keys: the partition-key value each Query reads.
    if (plan.access === 'query') context.notes?.keyValue(plan.table.tableName, target.index?.indexName, plan.partitions[partition]?.hash);
    if (page.lastEvaluatedKey !== undefined) {
      return noted(context, plan, { items, next: { partition, after: page.lastEvaluatedKey }, capacity: capacityOf(parts, target) }, scanned);
    }
    if (remainingItems !== undefined) remainingItems -= page.scannedCount;
    remainingBytes -= page.bytesRead;
    // The page is full exactly at a partition's end: the next page starts with the next partition.
    if ((remainingItems !== undefined && remainingItems <= 0) || remainingBytes <= 0) {
      if (partition + 1 < count) {
        return noted(context, plan, { items, next: { partition: partition + 1, after: {} }, capacity: capacityOf(parts, target) }, scanned);
      }
      break;
    }
  }
  return noted(context, plan, { items, capacity: capacityOf(parts, target) }, scanned);
}

/** For metrics and the access-pattern report (src/observe/): what the page read, returned and cost. */
function noted(context: RequestContext, plan: ReadPlan, page: SelectPage, scanned: number): SelectPage {
  const notes = context.notes;
  if (notes !== undefined) {
    notes.scannedCount = scanned;
    notes.count = page.items.length;
    notes.consumeParts(plan.table, page.capacity, 'read');
  }
  return page;
}

function capacityOf(parts: { table: number; index: number }, target: ReadTarget): CapacityParts {
  if (target.index === undefined) return { table: parts.table };
  return { table: parts.table, indexes: [{ index: target.index, units: parts.index }] };
}

/** The key range of one partition's Query, resuming past `after` (an empty `after` starts the partition). */
function resumeRange(target: ReadTarget, terms: ReadonlyMap<string, KeyTerm>, after: Item | undefined) {
  const start = after !== undefined && Object.keys(after).length > 0 ? after : undefined;
  try {
    return queryRange(target, terms, start);
  } catch {
    // Only a token this process signed gets here, so its key fits; anything else is not one of its tokens.
    throw validationError('Invalid NextToken');
  }
}

function startKey(target: ReadTarget, after: Item): Uint8Array {
  try {
    return startStorageKey(target, after);
  } catch {
    throw validationError('Invalid NextToken');
  }
}

const NO_ITEMS = Buffer.from('{"Items":[]}');

/**
 * GetItem's fast path for the most common SELECT: a whole item by its whole key, no filter, no projection, no
 * capacity report, from an engine that stores JSON. The stored bytes are the item exactly as DynamoDB JSON, so
 * the answer is built around them without parsing. Undefined when the plan or the engine does not allow it.
 */
export async function encodedPointRead(context: RequestContext, plan: ReadPlan, consistent: boolean): Promise<Buffer | undefined> {
  const storage = context.engine.storage;
  if (plan.access !== 'point' || plan.key === undefined || plan.filter !== undefined || plan.projection !== undefined) return undefined;
  if (storage.getEncoded === undefined) return undefined;
  const storageKey = encodeItemKey(plan.table.key, plan.key);
  const hash = keyHash(storageKey);
  context.engine.capacity.admitItemRead(plan.table, hash, consistent);
  const stored = await chargedEncodedRead(context, plan.table, storageKey, hash, consistent);
  return stored === undefined ? NO_ITEMS : spliceJson(['{"Items":[', [stored], ']}']);
}

/** A SELECT that fixes the whole key of the table: GetItem's read and capacity. */
async function pointRead(context: RequestContext, plan: ReadPlan, key: Item, consistent: boolean): Promise<SelectPage> {
  const storageKey = encodeItemKey(plan.table.key, key);
  const hash = keyHash(storageKey);
  context.engine.capacity.admitItemRead(plan.table, hash, consistent);
  const { item, units } = await chargedRead(context, plan.table, storageKey, hash, consistent);
  const items: Item[] = [];
  if (item !== undefined && (plan.filter === undefined || evaluateCondition(plan.filter, item))) {
    items.push(plan.projection === undefined ? item : plan.projection(item));
  }
  return { items, capacity: { table: units } };
}
