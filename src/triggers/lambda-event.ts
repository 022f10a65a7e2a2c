/**
 * The event a handler receives: exactly what Lambda passes a function attached to a DynamoDB stream,
 * `{"Records": [...]}`, each record as DynamoDB Streams returns it plus `eventSourceARN` (the stream's ARN), and
 * with Lambda's spelling of a TTL deletion's identity (`{"type": "Service", "principalId": ...}`, where the
 * Streams API says `Type` / `PrincipalId`).
 * Lambda caps a synchronous invocation's payload at 6 MB; a batch stops growing before it would cross that.
 */
import type { StreamRecord } from '../engine/streams/stream-record.js';

export const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

export interface LambdaStreamRecord extends Omit<StreamRecord, 'userIdentity'> {
  readonly userIdentity?: { readonly type: string; readonly principalId: string };
  readonly eventSourceARN: string;
}

export interface LambdaStreamEvent {
  readonly Records: readonly LambdaStreamRecord[];
}

export function lambdaRecord(record: StreamRecord, streamArn: string): LambdaStreamRecord {
  const { userIdentity, ...rest } = record;
  return {
    ...rest,
    ...(userIdentity !== undefined ? { userIdentity: { type: userIdentity.Type, principalId: userIdentity.PrincipalId } } : {}),
    eventSourceARN: streamArn,
  };
}

export function lambdaEvent(records: readonly StreamRecord[], streamArn: string): LambdaStreamEvent {
  return { Records: records.map((record) => lambdaRecord(record, streamArn)) };
}

/**
 * How many of `records` (in order) fit one invocation: at least one, and no more than keeps the event's JSON
 * within MAX_PAYLOAD_BYTES.
 */
export function recordsWithinPayload(records: readonly StreamRecord[], streamArn: string): number {
  // `{"Records":[` + `]}`, and per record its JSON, `,"eventSourceARN":"<arn>"` and a separating comma.
  let bytes = 14;
  const perRecord = streamArn.length + 21;
  for (let i = 0; i < records.length; i++) {
    bytes += Buffer.byteLength(JSON.stringify(records[i])) + perRecord;
    if (bytes > MAX_PAYLOAD_BYTES && i > 0) return i;
  }
  return records.length;
}
