/**
 * What a handler's answer means when ReportBatchItemFailures is on (Lambda's partial batch response):
 * `{"batchItemFailures": [{"itemIdentifier": "<SequenceNumber>"}, ...]}`.
 *
 * - Complete success: no answer (undefined / null), an answer without batchItemFailures, or a null or empty list.
 * - Complete failure: an item with a missing, null or empty itemIdentifier, one that is not the sequence number of
 *   a record of the batch, or a batchItemFailures that is not a list.
 * - Otherwise the batch succeeded up to the record with the lowest reported sequence number: delivery resumes
 *   from that record (the ones after it are delivered again, even if they had succeeded).
 */
import type { StreamRecord } from '../engine/streams/stream-record.js';

export type BatchVerdict =
  | { readonly kind: 'success' }
  | { readonly kind: 'partial'; /** Index of the first record to deliver again. */ readonly from: number }
  | { readonly kind: 'failure'; readonly reason: string };

export function judgeBatchResponse(response: unknown, records: readonly StreamRecord[]): BatchVerdict {
  if (response === undefined || response === null || typeof response !== 'object' || Array.isArray(response)) return { kind: 'success' };
  const failures = (response as Record<string, unknown>).batchItemFailures;
  if (failures === undefined || failures === null) return { kind: 'success' };
  if (!Array.isArray(failures)) return { kind: 'failure', reason: 'batchItemFailures is not a list' };
  if (failures.length === 0) return { kind: 'success' };
  let from = records.length;
  for (const failure of failures as unknown[]) {
    const identifier = typeof failure === 'object' && failure !== null ? (failure as Record<string, unknown>).itemIdentifier : undefined;
    if (typeof identifier !== 'string' || identifier === '') {
      return { kind: 'failure', reason: 'a batchItemFailures entry has no itemIdentifier' };
    }
    const index = records.findIndex((record) => record.dynamodb.SequenceNumber === identifier);
    if (index === -1) return { kind: 'failure', reason: `itemIdentifier ${identifier} is not a sequence number of the batch` };
    if (index < from) from = index;
  }
  return { kind: 'partial', from };
}
