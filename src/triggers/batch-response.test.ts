import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StreamRecord } from '../engine/streams/stream-record.js';
import { judgeBatchResponse } from './batch-response.js';

const records = [1, 2, 3].map(
  (sequence) => ({ dynamodb: { SequenceNumber: String(sequence).padStart(21, '0') } }) as unknown as StreamRecord,
);
const seq = (sequence: number) => String(sequence).padStart(21, '0');

describe('ReportBatchItemFailures answers', () => {
  const cases: [string, unknown, ReturnType<typeof judgeBatchResponse>['kind'], number?][] = [
    ['no answer', undefined, 'success'],
    ['null', null, 'success'],
    ['an empty object', {}, 'success'],
    ['a string', 'OK', 'success'],
    ['a null list', { batchItemFailures: null }, 'success'],
    ['an empty list', { batchItemFailures: [] }, 'success'],
    ['one failure', { batchItemFailures: [{ itemIdentifier: seq(2) }] }, 'partial', 1],
    ['the lowest of several', { batchItemFailures: [{ itemIdentifier: seq(3) }, { itemIdentifier: seq(2) }] }, 'partial', 1],
    ['the first record', { batchItemFailures: [{ itemIdentifier: seq(1) }] }, 'partial', 0],
    ['an empty identifier', { batchItemFailures: [{ itemIdentifier: '' }] }, 'failure'],
    ['a null identifier', { batchItemFailures: [{ itemIdentifier: null }] }, 'failure'],
    ['a wrong key name', { batchItemFailures: [{ itemId: seq(2) }] }, 'failure'],
    ['an identifier not in the batch', { batchItemFailures: [{ itemIdentifier: seq(9) }] }, 'failure'],
    ['not a list', { batchItemFailures: 'x' }, 'failure'],
  ];
  for (const [name, response, kind, from] of cases) {
    it(name, () => {
      const verdict = judgeBatchResponse(response, records);
      assert.equal(verdict.kind, kind);
      if (verdict.kind === 'partial') assert.equal(verdict.from, from);
    });
  }
});
