/**
 * The baseline: the least work any DynamoDB server on Node.js must do per request. It reads the whole body,
 * JSON.parses it and answers a same-size item as JSON (serialized per request, as a real server must), whatever
 * the operation: that is the baseline the performance targets are defined against. No validation, no storage:
 * Cairn's figures are printed as a ratio of this floor.
 *
 * Four operations answer what DynamoDB would instead: a Query answers a page of QUERY_LIMIT same-size items with
 * Count, ScannedCount and LastEvaluatedKey (in the order the request asks for), a BatchWriteItem answers
 * `{"UnprocessedItems":{}}`, as DynamoDB does when every write was done, a BatchGetItem its 100 same-size items, and
 * a Scan a full page: same-size items up to 1 MB of item sizes.
 *
 * Run as a child process: `node baseline-server.js <port>`; prints `listening <port>` once bound (loopback only).
 */
import { createServer, type ServerResponse } from 'node:http';
import { BATCH_GET_SIZE, buildItem, buildSortedItem, CONTENT_TYPE, PARTITION_ITEMS, QUERY_LIMIT, SCAN_PAGE_BYTES, TABLE_NAME } from './wire.js';
import type { AttributeMap } from '../src/model/attribute-value.js';

const ITEM = buildItem(0);

/** The first page of partition 0, ascending and descending: the same size as any partition's page. */
function queryPage(forward: boolean): { Items: AttributeMap[]; Count: number; ScannedCount: number; LastEvaluatedKey: AttributeMap } {
  const items: AttributeMap[] = [];
  for (let i = 0; i < QUERY_LIMIT; i++) items.push(buildSortedItem(0, forward ? i : PARTITION_ITEMS - 1 - i));
  const last = items[items.length - 1] ?? {};
  const lastKey: AttributeMap = { ...(last['pk'] && { pk: last['pk'] }), ...(last['sk'] && { sk: last['sk'] }) };
  return { Items: items, Count: items.length, ScannedCount: items.length, LastEvaluatedKey: lastKey };
}
const QUERY_FORWARD = queryPage(true);
const QUERY_REVERSE = queryPage(false);

/**
 * BatchGetItem's answer (as many same-size items as keys asked for, nothing unprocessed) and Scan's page are built
 * at their first request, not at start: this server's start-up and idle memory are measured too, and a 1 MB page
 * of items built at start cost it some 70 ms and 15 MiB.
 */
let batchGetItems: AttributeMap[] | undefined;

type Page = { Items: AttributeMap[]; Count: number; ScannedCount: number; LastEvaluatedKey: AttributeMap };
let scanPage: Promise<Page> | undefined;

/**
 * A Scan page as DynamoDB fills one: items until their sizes pass 1 MB (the item that passes it included), with
 * Count, ScannedCount and LastEvaluatedKey. Items are sized as DynamoDB sizes them, by Cairn's own function.
 */
async function buildScanPage(): Promise<Page> {
  const { itemSize } = await import('../src/model/item-size.js');
  const items: AttributeMap[] = [];
  let bytes = 0;
  while (bytes < SCAN_PAGE_BYTES) {
    const item = buildItem(items.length);
    items.push(item);
    bytes += itemSize(item);
  }
  const last = items[items.length - 1] ?? {};
  return { Items: items, Count: items.length, ScannedCount: items.length, LastEvaluatedKey: { ...(last['pk'] && { pk: last['pk'] }) } };
}

function answerFor(target: string | undefined, request: unknown): string {
  switch (target) {
    // ListTables answers too, so the startup probe works unchanged against the baseline.
    case 'DynamoDB_20120810.ListTables':
      return '{"TableNames":[]}';
    case 'DynamoDB_20120810.Query': {
      const reverse =
        typeof request === 'object' && request !== null && (request as Record<string, unknown>)['ScanIndexForward'] === false;
      return JSON.stringify(reverse ? QUERY_REVERSE : QUERY_FORWARD);
    }
    case 'DynamoDB_20120810.BatchWriteItem':
      return JSON.stringify({ UnprocessedItems: {} });
    case 'DynamoDB_20120810.BatchGetItem':
      batchGetItems ??= Array.from({ length: BATCH_GET_SIZE }, (_, index) => buildItem(index));
      return JSON.stringify({ Responses: { [TABLE_NAME]: batchGetItems }, UnprocessedKeys: {} });
    default:
      return JSON.stringify({ Item: ITEM });
  }
}
let requestCounter = 0;

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    let answer: string;
    let status = 200;
    try {
      const request: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const target = req.headers['x-amz-target'];
      if (target === 'DynamoDB_20120810.Scan') {
        // Serialized per request, as every other answer.
        (scanPage ??= buildScanPage()).then((page) => reply(res, 200, JSON.stringify(page)), () => res.destroy());
        return;
      }
      answer = answerFor(typeof target === 'string' ? target : undefined, request);
    } catch {
      status = 400;
      answer = '{"__type":"com.amazon.coral.service#SerializationException"}';
    }
    reply(res, status, answer);
  });
});

function reply(res: ServerResponse, status: number, answer: string): void {
  res.writeHead(status, {
    'content-type': CONTENT_TYPE,
    'content-length': Buffer.byteLength(answer),
    // A request id is the one header every DynamoDB answer carries, so the floor pays for one too.
    'x-amzn-requestid': String(++requestCounter),
  });
  res.end(answer);
}

const port = Number(process.argv[2] ?? '0');
server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  const bound = typeof address === 'object' && address !== null ? address.port : port;
  process.stdout.write(`listening ${bound}\n`);
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.close();
    server.closeAllConnections();
    process.exit(0);
  });
}
