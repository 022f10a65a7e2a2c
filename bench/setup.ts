/**
 * Preparing a server for the scenarios: the table, the preloaded items, and a probe that checks a scenario's
 * request really succeeds before it is measured (a server answering errors fast must not look fast).
 */
import { describeAnswer, postOperation } from './http-call.js';
import { createTableBody, keyOf, PRELOADED_ITEMS, putItemBody, TABLE_NAME, type ScenarioName } from './wire.js';

/** CreateTable, then wait for ACTIVE (dynalite and DynamoDB Local pass through CREATING). */
export async function createBenchTable(url: string, timeoutMs = 30_000): Promise<void> {
  const created = await postOperation(url, 'CreateTable', createTableBody());
  if (created.status !== 200) throw new Error(`CreateTable failed: ${describeAnswer(created)}`);
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const described = await postOperation(url, 'DescribeTable', JSON.stringify({ TableName: TABLE_NAME }));
    if (described.status !== 200) throw new Error(`DescribeTable failed: ${describeAnswer(described)}`);
    if (tableStatusOf(described.json) === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`table ${TABLE_NAME} did not become ACTIVE within ${timeoutMs} ms`);
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
 * (for GetItem: answered the item, not an empty `{}`).
 */
export async function probeScenario(url: string, scenario: ScenarioName, body: string): Promise<string | undefined> {
  let answer;
  try {
    answer = await postOperation(url, scenario, body);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  if (answer.status !== 200) return describeAnswer(answer);
  if (scenario === 'GetItem') {
    const key = (JSON.parse(body) as { Key: { pk: { S: string } } }).Key.pk.S;
    if (!hasItemWithKey(answer.json, key)) return `GetItem answered without the item: ${answer.text.slice(0, 200)}`;
  }
  return undefined;
}
