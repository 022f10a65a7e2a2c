/**
 * The record sent to a trigger's on-failure destination when a batch is given up (retries exhausted, or records
 * older than MaximumRecordAgeInSeconds): Lambda's invocation record for stream sources. Like Lambda's, it says
 * where the records are in the stream (DDBStreamBatchInfo) rather than carrying them; `payload` adds the event
 * the handler was given, as Lambda's S3 destinations do, so that nothing is lost once the stream is trimmed.
 */
import type { StreamRecord } from '../engine/streams/stream-record.js';

export type FailureCondition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded';

export interface InvocationRecord {
  readonly requestContext: {
    readonly requestId: string;
    readonly functionArn: string;
    readonly condition: FailureCondition;
    readonly approximateInvokeCount: number;
  };
  readonly responseContext: {
    readonly statusCode: number;
    readonly executedVersion: string;
    readonly functionError?: 'Unhandled';
  };
  readonly version: '1.0';
  readonly timestamp: string;
  readonly DDBStreamBatchInfo: {
    readonly shardId: string;
    readonly startSequenceNumber: string;
    readonly endSequenceNumber: string;
    readonly approximateArrivalOfFirstRecord: string;
    readonly approximateArrivalOfLastRecord: string;
    readonly batchSize: number;
    readonly streamArn: string;
  };
  /** The event of the last invocation (JSON text); absent when the records were never delivered. */
  readonly payload?: string;
}

/** ISO-8601 to the second, as Lambda writes approximateArrival times (`2025-06-05T18:21:49Z`). */
function arrival(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function invocationRecord(options: {
  readonly records: readonly StreamRecord[];
  readonly shardId: string;
  readonly streamArn: string;
  readonly functionArn: string;
  readonly requestId: string;
  readonly condition: FailureCondition;
  readonly invokeCount: number;
  /** Whether the last invocation failed with an error (rather than a partial batch response). */
  readonly functionError: boolean;
  readonly payload?: string;
  readonly now: number;
}): InvocationRecord {
  const first = options.records[0];
  const last = options.records[options.records.length - 1];
  if (first === undefined || last === undefined) throw new Error('an invocation record describes at least one record');
  return {
    requestContext: {
      requestId: options.requestId,
      functionArn: options.functionArn,
      condition: options.condition,
      approximateInvokeCount: options.invokeCount,
    },
    responseContext: {
      statusCode: 200,
      executedVersion: '$LATEST',
      ...(options.functionError ? { functionError: 'Unhandled' as const } : {}),
    },
    version: '1.0',
    timestamp: new Date(options.now).toISOString(),
    DDBStreamBatchInfo: {
      shardId: options.shardId,
      startSequenceNumber: first.dynamodb.SequenceNumber,
      endSequenceNumber: last.dynamodb.SequenceNumber,
      approximateArrivalOfFirstRecord: arrival(first.dynamodb.ApproximateCreationDateTime),
      approximateArrivalOfLastRecord: arrival(last.dynamodb.ApproximateCreationDateTime),
      batchSize: options.records.length,
      streamArn: options.streamArn,
    },
    ...(options.payload !== undefined ? { payload: options.payload } : {}),
  };
}

/** The ARN a trigger stands in for, in requestContext.functionArn. */
export function functionArnOf(region: string, accountId: string, triggerId: string): string {
  return `arn:aws:lambda:${region}:${accountId}:function:${triggerId}`;
}
