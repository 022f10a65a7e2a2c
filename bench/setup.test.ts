import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { closeIdleConnections } from './http-call.js';
import { batchRanges, bulkLoad, checkQueryAnswer, probeScenario, unprocessedItems } from './setup.js';
import { buildSortedItem, partitionKeyOf, queryBody, sortedItemAt, TABLE_NAME } from './wire.js';

describe('batchRanges', () => {
  it('covers every index once, in batches of at most the size', () => {
    assert.deepEqual(batchRanges(60, 25), [
      { start: 0, end: 25 },
      { start: 25, end: 50 },
      { start: 50, end: 60 },
    ]);
    assert.deepEqual(batchRanges(0, 25), []);
    assert.throws(() => batchRanges(10, 0), /positive/);
  });
});

describe('unprocessedItems', () => {
  it('reads the puts left for the table, and nothing when all were written', () => {
    assert.deepEqual(unprocessedItems({ UnprocessedItems: {} }, 't'), []);
    assert.deepEqual(unprocessedItems({ UnprocessedItems: { t: [{ PutRequest: { Item: { pk: { S: 'a' } } } }] } }, 't'), [
      { pk: { S: 'a' } },
    ]);
  });
  it('says why an answer is not a BatchWriteItem answer', () => {
    assert.equal(unprocessedItems(undefined, 't'), 'the answer is not a JSON object');
    assert.equal(unprocessedItems({}, 't'), 'the answer has no UnprocessedItems');
    assert.equal(unprocessedItems({ UnprocessedItems: { t: 1 } }, 't'), 'UnprocessedItems.t is not a list');
    assert.equal(
      unprocessedItems({ UnprocessedItems: { t: [{ DeleteRequest: {} }] } }, 't'),
      'UnprocessedItems holds a request that is not a put',
    );
  });
});

function page(partition: number, sorts: number[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Items: sorts.map((sort) => buildSortedItem(partition, sort)),
    Count: sorts.length,
    ScannedCount: sorts.length,
    LastEvaluatedKey: { pk: { S: partitionKeyOf(partition) }, sk: { N: String(sorts[sorts.length - 1]) } },
    ...extra,
  };
}
const range = (from: number, step: number): number[] => Array.from({ length: 20 }, (_, i) => from + step * i);

describe('checkQueryAnswer', () => {
  it('accepts the first 20 items ascending, or the last 20 descending', () => {
    assert.equal(checkQueryAnswer(page(3, range(0, 1)), partitionKeyOf(3), true), undefined);
    assert.equal(checkQueryAnswer(page(3, range(49, -1)), partitionKeyOf(3), false), undefined);
  });
  it('rejects a short page, the wrong order or partition, and a missing LastEvaluatedKey', () => {
    assert.equal(checkQueryAnswer(page(3, [0, 1]), partitionKeyOf(3), true), 'expected 20 items, got 2');
    assert.match(checkQueryAnswer(page(3, range(0, 1)), partitionKeyOf(3), false) ?? '', /are not the last 20/);
    assert.equal(checkQueryAnswer(page(4, range(0, 1)), partitionKeyOf(3), true), 'an item is not in partition part#0000003');
    assert.equal(checkQueryAnswer(page(3, range(0, 1), { LastEvaluatedKey: undefined }), partitionKeyOf(3), true), 'no LastEvaluatedKey');
    assert.equal(checkQueryAnswer({}, partitionKeyOf(3), true), 'the answer has no Items');
  });
});

// A stand-in server: stores BatchWriteItem puts, leaves the first request's last item unprocessed once, and
// answers Query from what it stored.
const stored = new Map<string, unknown>();
let leftOnce = false;
let batchRequests = 0;
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    let answer: unknown = {};
    if (req.headers['x-amz-target'] === 'DynamoDB_20120810.BatchWriteItem') {
      batchRequests++;
      const [table, requests] = Object.entries(body['RequestItems'] as Record<string, { PutRequest: { Item: { pk: { S: string }; sk: { N: string } } } }[]>)[0] ?? ['', []];
      const left: unknown[] = [];
      requests.forEach((request, index) => {
        if (!leftOnce && index === requests.length - 1) {
          leftOnce = true;
          left.push(request);
          return;
        }
        const item = request.PutRequest.Item;
        stored.set(`${item.pk.S}/${item.sk.N}`, item);
      });
      answer = { UnprocessedItems: left.length > 0 ? { [table]: left } : {} };
    }
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
    res.end(JSON.stringify(answer));
  });
});
let url = '';
before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  closeIdleConnections();
  server.close();
});

describe('bulkLoad', () => {
  it('writes every item in batches of 25, sending unprocessed items again', async () => {
    const progress: number[] = [];
    const elapsed = await bulkLoad({ url, tableName: 't', count: 110, itemAt: sortedItemAt, concurrency: 3, progress: (n) => progress.push(n) });
    assert.ok(elapsed >= 0);
    assert.equal(stored.size, 110);
    assert.equal(batchRequests, 6, '5 batches and one retry');
    assert.deepEqual(stored.get('part#0000002/9'), sortedItemAt(109));
    assert.deepEqual(progress, [], 'progress comes every 4,000 batches');
  });

  it('probes a BatchWriteItem and a Query scenario by their answers', async () => {
    assert.equal(await probeScenario(url, 'BatchWriteItem', JSON.stringify({ RequestItems: { [TABLE_NAME]: [] } })), undefined);
    // The stand-in answers `{}` to a Query: not the page asked for.
    assert.equal(await probeScenario(url, 'Query', queryBody(1, true)), 'Query answered the wrong page: the answer has no Items');
  });
});
