/**
 * Delivering one batch the way Lambda's stream event source mapping does, until every record of it is either
 * handled or given up:
 *
 * - Records older than MaximumRecordAgeInSeconds (when set) are given up before any call (RecordAgeExceeded).
 * - The handler succeeds: done. With ReportBatchItemFailures, an answer naming failed records (by sequence
 *   number) means the batch succeeded before the lowest of them; the rest is retried.
 * - The handler fails (throws, times out, crashes) and BisectBatchOnFunctionError is on: the batch is split in
 *   two halves, delivered one after the other, each with its own retries; splitting uses no retry.
 * - Otherwise the batch (or the part left after a partial answer) is retried, MaximumRetryAttempts times
 *   (-1: without limit), after a growing pause; then it is given up (RetryAttemptsExhausted).
 * Given-up records go to the on-failure destination with Lambda's invocation record, and delivery moves past them.
 * Records are delivered in order: nothing after a batch is delivered before the batch is settled.
 *
 * Everything outside (calling the handler, the checkpoint, the destination, waiting) comes through DeliveryPort,
 * so the policy is tested on its own.
 */
import type { StreamRecord } from '../engine/streams/stream-record.js';
import { judgeBatchResponse } from './batch-response.js';
import type { FailureCondition } from './invocation-record.js';
import type { InvokeOutcome } from './invoker.js';

export interface DeliveryPolicy {
  readonly maximumRetryAttempts: number;
  readonly maximumRecordAgeSeconds: number;
  readonly bisectOnError: boolean;
  readonly reportBatchItemFailures: boolean;
  /** The pause before retry number `retry` (1, 2, ...). */
  readonly retryDelayMs: (retry: number) => number;
}

export interface InvokeResult {
  readonly outcome: InvokeOutcome;
  readonly requestId: string;
  /** The event the handler was given (a failure record carries it as its payload). */
  readonly event: unknown;
}

export interface GiveUp {
  readonly records: readonly StreamRecord[];
  readonly condition: FailureCondition;
  readonly invokeCount: number;
  /** The last invocation, if the records were ever delivered. */
  readonly last?: InvokeResult;
  /** Whether that invocation failed with an error rather than a partial batch response. */
  readonly functionError: boolean;
}

export interface DeliveryPort {
  invoke(records: readonly StreamRecord[]): Promise<InvokeResult>;
  /** Records up to and including `record` are settled (delivered or given up). */
  settled(record: StreamRecord): Promise<void>;
  giveUp(failure: GiveUp): Promise<void>;
  wait(ms: number): Promise<void>;
  now(): number;
}

export function sequenceOf(record: StreamRecord): number {
  return Number(record.dynamodb.SequenceNumber);
}

export function lastOf(records: readonly StreamRecord[]): StreamRecord {
  const last = records[records.length - 1];
  if (last === undefined) throw new Error('empty batch');
  return last;
}

/** Exponential pauses between retries: 100 ms, 200 ms, ... up to 5 s (Lambda backs off similarly). */
export function defaultRetryDelay(baseMs = 100, maxMs = 5000): (retry: number) => number {
  return (retry) => Math.min(maxMs, baseMs * 2 ** Math.min(retry - 1, 20));
}

export async function deliverBatch(records: readonly StreamRecord[], policy: DeliveryPolicy, port: DeliveryPort): Promise<void> {
  let batch = records;
  let invokeCount = 0;
  let retries = 0;
  while (batch.length > 0) {
    if (policy.maximumRecordAgeSeconds >= 0) {
      const oldest = Math.floor(port.now() / 1000) - policy.maximumRecordAgeSeconds;
      let expired = 0;
      while (expired < batch.length && (batch[expired] as StreamRecord).dynamodb.ApproximateCreationDateTime < oldest) expired++;
      if (expired > 0) {
        const given = batch.slice(0, expired);
        await port.giveUp({ records: given, condition: 'RecordAgeExceeded', invokeCount, functionError: false });
        await port.settled(lastOf(given));
        batch = batch.slice(expired);
        continue;
      }
    }

    const result = await port.invoke(batch);
    invokeCount++;
    let functionError = false;
    if (result.outcome.kind === 'ok') {
      const verdict = policy.reportBatchItemFailures ? judgeBatchResponse(result.outcome.response, batch) : { kind: 'success' as const };
      if (verdict.kind === 'success') {
        await port.settled(lastOf(batch));
        return;
      }
      if (verdict.kind === 'partial' && verdict.from > 0) {
        await port.settled(batch[verdict.from - 1] as StreamRecord);
        batch = batch.slice(verdict.from);
      }
    } else {
      functionError = true;
      if (policy.bisectOnError && batch.length > 1) {
        const middle = Math.ceil(batch.length / 2);
        await deliverBatch(batch.slice(0, middle), policy, port);
        await deliverBatch(batch.slice(middle), policy, port);
        return;
      }
    }

    if (policy.maximumRetryAttempts >= 0 && retries >= policy.maximumRetryAttempts) {
      await port.giveUp({ records: batch, condition: 'RetryAttemptsExhausted', invokeCount, last: result, functionError });
      await port.settled(lastOf(batch));
      return;
    }
    retries++;
    await port.wait(policy.retryDelayMs(retries));
  }
}
