import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Catalog } from '../engine/catalog.js';
import { throttle } from '../capacity/throttle.js';
import { AccessRecorder } from './access-recorder.js';
import { publishedSlice, sliceFrom } from './fleet-slices.js';
import { RequestNotes } from './request-notes.js';

/** Scans and Queries need no table metadata for their shapes. */
const NO_CATALOG = { getTable: () => undefined } as unknown as Catalog;

function scan(latencyMs: number, key: string): RequestNotes {
  const notes = new RequestNotes();
  notes.operation = 'Scan';
  notes.table = 'orders';
  notes.region = 'us-east-1';
  notes.accountId = '000000000000';
  notes.request = { TableName: 'orders', FilterExpression: 'price > :p' };
  notes.scannedCount = 10;
  notes.count = 4;
  notes.consume('orders', undefined, 2.5, 0);
  notes.consume('orders', 'byCustomer', 0, 1);
  notes.keyValue('orders', undefined, { S: key });
  notes.latencyMs = latencyMs;
  return notes;
}

test('a slice published by one process is, for the report of another, the slice its recorder kept', () => {
  const recorder = new AccessRecorder(NO_CATALOG, () => 120_000);
  for (const [latency, key] of [[1, 'a'], [2, 'a'], [30, 'b']] as const) recorder.record(scan(latency, key), 120_500);
  recorder.throttled(throttle('PROVISIONED', 'Table', 'read', 'ProvisionedThroughputExceeded', 'arn:aws:dynamodb:us-east-1:000000000000:table/orders'), 'read', true);
  const [original] = recorder.slicesSince(undefined);
  assert.ok(original !== undefined);
  // Through the storage: JSON and back.
  const restored = sliceFrom(JSON.parse(JSON.stringify(publishedSlice(original))) as ReturnType<typeof publishedSlice>);

  assert.equal(restored.startedAt, 120_000);
  // Patterns keep the recorder's identities, so that the report merges them with its own.
  assert.deepEqual([...restored.patterns.keys()], [...original.patterns.keys()]);
  const [pattern] = restored.patterns.values();
  const [kept] = original.patterns.values();
  assert.ok(pattern !== undefined && kept !== undefined);
  assert.deepEqual(
    { ...pattern, latency: [pattern.latency.count, pattern.latency.quantile(0.5), pattern.latency.quantile(0.99)] },
    { ...kept, latency: [3, kept.latency.quantile(0.5), kept.latency.quantile(0.99)] },
  );
  const table = restored.tables.get('us-east-1')?.get('orders');
  const source = original.tables.get('us-east-1')?.get('orders');
  assert.ok(table !== undefined && source !== undefined);
  assert.deepEqual(
    [...table.usage].map(([index, usage]) => [index, usage.readUnits, usage.writeUnits, usage.peakReadPerSecond]),
    [...source.usage].map(([index, usage]) => [index, usage.readUnits, usage.writeUnits, usage.peakReadPerSecond]),
  );
  assert.deepEqual(table.hotKeys.get('')?.top(10), [
    { value: 'a', count: 2 },
    { value: 'b', count: 1 },
  ]);
  assert.equal(table.hotKeys.get('')?.total, 3);
  assert.deepEqual([...table.throttles.values()], [...source.throttles.values()]);
});
