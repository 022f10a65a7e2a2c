import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StreamRecord } from '../engine/streams/stream-record.js';
import { deliverBatch, sequenceOf, type DeliveryPolicy, type GiveUp } from './delivery.js';
import type { InvokeOutcome } from './invoker.js';

const NOW = 1_800_000_000_000;

function records(count: number, createdAt = NOW / 1000): StreamRecord[] {
  return Array.from(
    { length: count },
    (_, i) => ({ dynamodb: { SequenceNumber: String(i + 1).padStart(21, '0'), ApproximateCreationDateTime: createdAt } }) as unknown as StreamRecord,
  );
}

const policy = (overrides: Partial<DeliveryPolicy> = {}): DeliveryPolicy => ({
  maximumRetryAttempts: 2,
  maximumRecordAgeSeconds: -1,
  bisectOnError: false,
  reportBatchItemFailures: false,
  retryDelayMs: () => 0,
  ...overrides,
});

/** Runs a delivery against a handler given as a function of the batch's sequence numbers. */
async function run(batch: StreamRecord[], settings: DeliveryPolicy, handler: (sequences: number[]) => InvokeOutcome) {
  const calls: number[][] = [];
  const settled: number[] = [];
  const givenUp: (Omit<GiveUp, 'records' | 'last'> & { sequences: number[] })[] = [];
  await deliverBatch(batch, settings, {
    invoke: async (sent) => {
      const sequences = sent.map(sequenceOf);
      calls.push(sequences);
      return { outcome: handler(sequences), requestId: `r${calls.length}`, event: {} };
    },
    settled: async (record) => {
      settled.push(sequenceOf(record));
    },
    giveUp: async ({ records: given, condition, invokeCount, functionError }) => {
      givenUp.push({ sequences: given.map(sequenceOf), condition, invokeCount, functionError });
    },
    wait: async () => undefined,
    now: () => NOW,
  });
  return { calls, settled, givenUp };
}

const ok = (response: unknown = null): InvokeOutcome => ({ kind: 'ok', response });
const error: InvokeOutcome = { kind: 'error', errorType: 'Error', errorMessage: 'boom', timedOut: false };
const poison = (bad: number) => (sequences: number[]) => (sequences.includes(bad) ? error : ok());

describe('delivering a batch', () => {
  it('delivers once when the handler succeeds', async () => {
    const result = await run(records(3), policy(), () => ok());
    assert.deepEqual(result.calls, [[1, 2, 3]]);
    assert.deepEqual(result.settled, [3]);
    assert.deepEqual(result.givenUp, []);
  });

  it('retries MaximumRetryAttempts times, then gives the batch up', async () => {
    const result = await run(records(3), policy(), () => error);
    assert.deepEqual(result.calls, [[1, 2, 3], [1, 2, 3], [1, 2, 3]]);
    assert.deepEqual(result.givenUp, [{ sequences: [1, 2, 3], condition: 'RetryAttemptsExhausted', invokeCount: 3, functionError: true }]);
    assert.deepEqual(result.settled, [3]);
  });

  it('gives up at once with MaximumRetryAttempts 0', async () => {
    const result = await run(records(2), policy({ maximumRetryAttempts: 0 }), () => error);
    assert.equal(result.calls.length, 1);
    assert.equal(result.givenUp.length, 1);
  });

  it('bisects on errors until the failing record is alone, in order', async () => {
    const result = await run(records(4), policy({ bisectOnError: true, maximumRetryAttempts: 1 }), poison(3));
    assert.deepEqual(result.calls, [[1, 2, 3, 4], [1, 2], [3, 4], [3], [3], [4]]);
    assert.deepEqual(result.givenUp, [{ sequences: [3], condition: 'RetryAttemptsExhausted', invokeCount: 2, functionError: true }]);
    assert.deepEqual(result.settled, [2, 3, 4]);
  });

  it('retries from the lowest reported failure (ReportBatchItemFailures)', async () => {
    let first = true;
    const result = await run(records(4), policy({ reportBatchItemFailures: true }), () => {
      if (first) {
        first = false;
        return ok({ batchItemFailures: [{ itemIdentifier: String(4).padStart(21, '0') }, { itemIdentifier: String(2).padStart(21, '0') }] });
      }
      return ok({ batchItemFailures: [] });
    });
    assert.deepEqual(result.calls, [[1, 2, 3, 4], [2, 3, 4]]);
    assert.deepEqual(result.settled, [1, 4]);
  });

  it('gives up only the failing suffix of a partial batch', async () => {
    const result = await run(records(3), policy({ reportBatchItemFailures: true }), (sequences) =>
      ok({ batchItemFailures: [{ itemIdentifier: String(sequences.includes(2) ? 2 : sequences[0]).padStart(21, '0') }] }),
    );
    assert.deepEqual(result.calls, [[1, 2, 3], [2, 3], [2, 3]]);
    assert.deepEqual(result.givenUp, [{ sequences: [2, 3], condition: 'RetryAttemptsExhausted', invokeCount: 3, functionError: false }]);
  });

  it('ignores batch item failures unless ReportBatchItemFailures is on', async () => {
    const result = await run(records(2), policy(), () => ok({ batchItemFailures: [{ itemIdentifier: '1' }] }));
    assert.deepEqual(result.calls, [[1, 2]]);
  });

  it('treats a malformed partial answer as a failure of the whole batch', async () => {
    const result = await run(records(2), policy({ reportBatchItemFailures: true, maximumRetryAttempts: 1 }), () =>
      ok({ batchItemFailures: [{ itemIdentifier: '' }] }),
    );
    assert.deepEqual(result.calls, [[1, 2], [1, 2]]);
    assert.deepEqual(result.givenUp[0]?.sequences, [1, 2]);
  });

  it('gives up records older than MaximumRecordAgeInSeconds without calling the handler', async () => {
    const old = records(2, NOW / 1000 - 120);
    const fresh = records(3).slice(2);
    const result = await run([...old, ...fresh], policy({ maximumRecordAgeSeconds: 60 }), () => ok());
    assert.deepEqual(result.givenUp, [{ sequences: [1, 2], condition: 'RecordAgeExceeded', invokeCount: 0, functionError: false }]);
    assert.deepEqual(result.calls, [[3]]);
    assert.deepEqual(result.settled, [2, 3]);
  });

  it('retries without limit with MaximumRetryAttempts -1', async () => {
    let calls = 0;
    const result = await run(records(1), policy({ maximumRetryAttempts: -1 }), () => (++calls < 20 ? error : ok()));
    assert.equal(result.calls.length, 20);
    assert.deepEqual(result.givenUp, []);
  });
});
