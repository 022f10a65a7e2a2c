/**
 * Preparing a server for the scenarios: the table, the preloaded items, and a probe that checks a scenario's
 * request really succeeds before it is measured (a server answering errors fast must not look fast).
 */
import { describeAnswer, postOperation } from './http-call.js';
import type { AttributeMap, Item } from '../src/model/attribute-value.js';
import { itemSize } from '../src/model/item-size.js';
import {
  BATCH_GET_SIZE,
  BATCH_WRITE_SIZE,
  batchWriteBody,
  createTableBody,
  keyOf,
  PARTITION_ITEMS,
  PRELOADED_ITEMS,
  putItemBody,
  QUERY_LIMIT,
  SCAN_PAGE_BYTES,
  scenarioOperation,
  TABLE_NAME,
  type ScenarioName,
} from './wire.js';

/** CreateTable, then wait for ACTIVE (dynalite and DynamoDB Local pass through CREATING). */
export async function createBenchTable(url: string, timeoutMs = 30_000): Promise<void> {
  await createTable(url, TABLE_NAME, createTableBody(), timeoutMs);
}

/** CreateTable of `body` (naming `tableName`), then wait for ACTIVE. */
export async function createTable(url: string, tableName: string, body: string, timeoutMs = 30_000): Promise<void> {
  const created = await postOperation(url, 'CreateTable', body);
  if (created.status !== 200) throw new Error(`CreateTable ${tableName} failed: ${describeAnswer(created)}`);
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const described = await postOperation(url, 'DescribeTable', JSON.stringify({ TableName: tableName }));
    if (described.status !== 200) throw new Error(`DescribeTable failed: ${describeAnswer(described)}`);
    if (tableStatusOf(described.json) === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`table ${tableName} did not become ACTIVE within ${timeoutMs} ms`);
}

/** Item index ranges [start, end) of `size` items covering 0..count-1, in order. */
export function batchRanges(count: number, size: number): { start: number; end: number }[] {
  if (!(size > 0)) throw new Error('batch size must be positive');
  const ranges: { start: number; end: number }[] = [];
  for (let start = 0; start < count; start += size) ranges.push({ start, end: Math.min(count, start + size) });
  return ranges;
}

/**
 * The items of a BatchWriteItem answer's UnprocessedItems for `tableName` (empty when all were written), or why
 * the answer is not one.
 */
export function unprocessedItems(json: unknown, tableName: string): AttributeMap[] | string {
  if (typeof json !== 'object' || json === null) return 'the answer is not a JSON object';
  const unprocessed = (json as Record<string, unknown>)['UnprocessedItems'];
  if (typeof unprocessed !== 'object' || unprocessed === null) return 'the answer has no UnprocessedItems';
  const requests = (unprocessed as Record<string, unknown>)[tableName];
  if (requests === undefined) return [];
  if (!Array.isArray(requests)) return `UnprocessedItems.${tableName} is not a list`;
  const items: AttributeMap[] = [];
  for (const request of requests as unknown[]) {
    const put = typeof request === 'object' && request !== null ? (request as Record<string, unknown>)['PutRequest'] : undefined;
    const item = typeof put === 'object' && put !== null ? (put as Record<string, unknown>)['Item'] : undefined;
    if (typeof item !== 'object' || item === null) return 'UnprocessedItems holds a request that is not a put';
    items.push(item as AttributeMap);
  }
  return items;
}

export interface BulkLoadOptions {
  readonly url: string;
  readonly tableName: string;
  readonly count: number;
  /** Item `index` of the load (called once per item, so it must be cheap). */
  readonly itemAt: (index: number) => AttributeMap;
  readonly concurrency?: number;
  readonly timeoutMs?: number;
  /** Called now and then with the items written so far. */
  readonly progress?: (written: number) => void;
}

/**
 * BatchWriteItem of items 0..count-1, BATCH_WRITE_SIZE per request with `concurrency` requests in flight.
 * UnprocessedItems are sent again (at most 10 times per batch, with a short pause); any error answer fails the
 * load. Resolves with the elapsed milliseconds.
 */
export async function bulkLoad(options: BulkLoadOptions): Promise<number> {
  const { url, tableName, count, itemAt } = options;
  const concurrency = options.concurrency ?? 16;
  const timeoutMs = options.timeoutMs ?? 600_000;
  const ranges = batchRanges(count, BATCH_WRITE_SIZE);
  const began = performance.now();
  const deadline = began + timeoutMs;
  let next = 0;
  let written = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    try {
      while (next < ranges.length && !failed) {
        if (performance.now() > deadline) throw new Error(`loading ${count} items took over ${timeoutMs} ms`);
        const taken = next++;
        const range = ranges[taken] as { start: number; end: number };
        let items: AttributeMap[] = [];
        for (let index = range.start; index < range.end; index++) items.push(itemAt(index));
        for (let attempt = 0; items.length > 0; attempt++) {
          if (attempt > 10) throw new Error(`batch at item ${range.start} still unprocessed after 10 retries`);
          if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 10 * attempt));
          const answer = await postOperation(url, 'BatchWriteItem', batchWriteBody(tableName, items));
          if (answer.status !== 200) throw new Error(`BatchWriteItem at item ${range.start} failed: ${describeAnswer(answer)}`);
          const left = unprocessedItems(answer.json, tableName);
          if (typeof left === 'string') throw new Error(`BatchWriteItem at item ${range.start}: ${left}`);
          written += items.length - left.length;
          items = left;
        }
        if (options.progress !== undefined && (taken + 1) % 4000 === 0) options.progress(written);
      }
    } catch (error) {
      failed = true;
      throw error;
    }
  };
  const workers: Promise<void>[] = [];
  for (let i = 0; i < concurrency; i++) workers.push(worker());
  await Promise.all(workers);
  return performance.now() - began;
}

/**
 * Why a Query answer is not the page the benchmark asked for (QUERY_LIMIT items of `partitionKey`, sort keys in
 * the requested order, more to come), or undefined when it is.
 */
export function checkQueryAnswer(json: unknown, partitionKey: string, forward: boolean): string | undefined {
  if (typeof json !== 'object' || json === null) return 'the answer is not a JSON object';
  const record = json as Record<string, unknown>;
  const items = record['Items'];
  if (!Array.isArray(items)) return 'the answer has no Items';
  if (items.length !== QUERY_LIMIT) return `expected ${QUERY_LIMIT} items, got ${items.length}`;
  const sorts: number[] = [];
  for (const item of items as unknown[]) {
    const attributes = typeof item === 'object' && item !== null ? (item as Record<string, { S?: unknown; N?: unknown }>) : {};
    if (attributes['pk']?.S !== partitionKey) return `an item is not in partition ${partitionKey}`;
    sorts.push(Number(attributes['sk']?.N));
  }
  const expected = sorts.map((_, i) => (forward ? i : PARTITION_ITEMS - 1 - i));
  if (sorts.some((sort, i) => sort !== expected[i])) return `sort keys ${sorts.join(',')} are not the ${forward ? 'first' : 'last'} ${QUERY_LIMIT}`;
  if (record['Count'] !== QUERY_LIMIT) return `Count is ${String(record['Count'])}`;
  if (typeof record['LastEvaluatedKey'] !== 'object' || record['LastEvaluatedKey'] === null) return 'no LastEvaluatedKey';
  return undefined;
}

function tableStatusOf(json: unknown): unknown {
  if (typeof json !== 'object' || json === null) return undefined;
  const table = (json as Record<string, unknown>)['Table'];
  if (typeof table !== 'object' || table === null) return undefined;
  return (table as Record<string, unknown>)['TableStatus'];
}

/**
 * PutItem of items 0..count-1 with `concurrency` requests in flight (PutItem rather than BatchWriteItem: it is the
 * one write every peer is sure to have). Fails on the first error answer, bounded by `timeoutMs` overall.
 */
export async function preloadItems(
  url: string,
  count = PRELOADED_ITEMS,
  concurrency = 32,
  timeoutMs = 180_000,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let next = 0;
  // Set by the first failing worker so the others stop instead of sending the rest of the items.
  let failed = false;
  const worker = async (): Promise<void> => {
    try {
      while (next < count && !failed) {
        if (performance.now() > deadline) throw new Error(`preloading ${count} items took over ${timeoutMs} ms`);
        const index = next++;
        const answer = await postOperation(url, 'PutItem', putItemBody(index));
        if (answer.status !== 200) throw new Error(`preload PutItem #${index} failed: ${describeAnswer(answer)}`);
      }
    } catch (error) {
      failed = true;
      throw error;
    }
  };
  const workers: Promise<void>[] = [];
  for (let i = 0; i < concurrency; i++) workers.push(worker());
  await Promise.all(workers);
  // Read one back: a server that accepts writes but loses them would otherwise make GetItem look cheap.
  const check = await postOperation(url, 'GetItem', JSON.stringify({ TableName: TABLE_NAME, Key: { pk: { S: keyOf(count - 1) } } }));
  if (check.status !== 200 || !hasItemWithKey(check.json, keyOf(count - 1))) {
    throw new Error(`item ${keyOf(count - 1)} is missing after the preload: ${describeAnswer(check)}`);
  }
}

function hasItemWithKey(json: unknown, key: string): boolean {
  if (typeof json !== 'object' || json === null) return false;
  const item = (json as Record<string, unknown>)['Item'];
  if (typeof item !== 'object' || item === null) return false;
  const pk = (item as Record<string, unknown>)['pk'];
  return typeof pk === 'object' && pk !== null && (pk as Record<string, unknown>)['S'] === key;
}

/**
 * Sends one request of the scenario and returns why it failed, or undefined when the server did the work
 * (for GetItem: answered the item, not an empty `{}`; for Query: the right page; for BatchWriteItem: nothing left
 * unprocessed; for DeleteItem: its item was there to delete).
 */
export async function probeScenario(url: string, scenario: ScenarioName, body: string): Promise<string | undefined> {
  let answer;
  try {
    if (scenario === 'DeleteItem') {
      // A delete that finds no item is answered as well, and costs less: the item must be there first.
      const key = (JSON.parse(body) as { Key: { pk: { S: string } } }).Key.pk.S;
      const found = await postOperation(url, 'GetItem', JSON.stringify({ TableName: TABLE_NAME, Key: { pk: { S: key } } }));
      if (!hasItemWithKey(found.json, key)) return `the item DeleteItem deletes first (${key}) is not there: ${describeAnswer(found)}`;
    }
    answer = await postOperation(url, scenarioOperation(scenario), body);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  if (answer.status !== 200) return describeAnswer(answer);
  if (scenario === 'GetItem') {
    const key = (JSON.parse(body) as { Key: { pk: { S: string } } }).Key.pk.S;
    if (!hasItemWithKey(answer.json, key)) return `GetItem answered without the item: ${answer.text.slice(0, 200)}`;
  }
  if (scenario === 'Query' || scenario === 'QueryReverse') {
    const request = JSON.parse(body) as { ExpressionAttributeValues: { ':pk': { S: string } } };
    const problem = checkQueryAnswer(answer.json, request.ExpressionAttributeValues[':pk'].S, scenario === 'Query');
    if (problem !== undefined) return `Query answered the wrong page: ${problem}`;
  }
  if (scenario === 'BatchWriteItem') {
    const left = unprocessedItems(answer.json, TABLE_NAME);
    if (typeof left === 'string' || left.length > 0) {
      return `BatchWriteItem left writes unprocessed: ${typeof left === 'string' ? left : `${left.length} items`}`;
    }
  }
  if (scenario === 'BatchGetItem') {
    const items = (answer.json as { Responses?: Record<string, unknown[]> } | undefined)?.Responses?.[TABLE_NAME];
    if (!Array.isArray(items) || items.length !== BATCH_GET_SIZE) {
      return `BatchGetItem answered ${Array.isArray(items) ? items.length : 'no'} items of ${BATCH_GET_SIZE}: ${answer.text.slice(0, 200)}`;
    }
  }
  if (scenario === 'Scan') {
    const page = answer.json as { Items?: Item[]; LastEvaluatedKey?: unknown } | undefined;
    const bytes = (page?.Items ?? []).reduce((sum, item) => sum + itemSize(item), 0);
    if (page?.LastEvaluatedKey === undefined || bytes < SCAN_PAGE_BYTES) {
      return `Scan answered a page of ${bytes} bytes of items${page?.LastEvaluatedKey === undefined ? ', the last' : ''}, not a full 1 MB page`;
    }
  }
  return undefined;
}
