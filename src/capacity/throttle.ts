/**
 * A throttled request as DynamoDB answers it: which exception, with which message, and the ThrottlingReasons
 * list (`<Table|Index><Read|Write><LimitType>` and the ARN of the table or index that ran out).
 *
 * The exception follows the capacity mode: provisioned limits (the table's or an index's provisioned units, or a
 * partition's limit on a provisioned table) give ProvisionedThroughputExceededException; on-demand limits (a
 * partition, capacity that has not yet followed a new peak, OnDemandThroughput maximums, the per-table quota)
 * give ThrottlingException, as the Developer Guide's throttling pages and the service model's documentation of
 * each exception describe them. The message texts are the ones DynamoDB sends (service model documentation and
 * logged answers); ThrottlingException lives in the `com.amazon.coral.availability` namespace and names its list
 * `throttlingReasons`, lower-case, as the service model does.
 */
import { DynamoDbError } from '../errors.js';

export type ResourceKind = 'Table' | 'Index';
export type LimitType = 'ProvisionedThroughputExceeded' | 'KeyRangeThroughputExceeded' | 'AccountLimitExceeded' | 'MaxOnDemandThroughputExceeded';

export interface ThrottlingReason {
  /** e.g. `TableWriteKeyRangeThroughputExceeded`, `IndexReadProvisionedThroughputExceeded`. */
  readonly reason: string;
  /** The ARN of the table or index. */
  readonly resource: string;
}

export type ThrottleException = 'ProvisionedThroughputExceededException' | 'ThrottlingException';

export interface Throttle {
  readonly exception: ThrottleException;
  readonly message: string;
  readonly reasons: readonly ThrottlingReason[];
  /** The limit hit first (metrics count throttles by it). */
  readonly limit: LimitType;
  readonly resourceKind: ResourceKind;
}

export function throttlingReasonName(kind: ResourceKind, access: 'read' | 'write', limit: LimitType): string {
  return `${kind}${access === 'read' ? 'Read' : 'Write'}${limit}`;
}

const PROVISIONED_TABLE_MESSAGE =
  'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.';
const PROVISIONED_INDEX_MESSAGE =
  'The level of configured provisioned throughput for one or more global secondary indexes of the table was exceeded. ' +
  'Consider increasing your provisioning level for the under-provisioned global secondary indexes with the UpdateTable API.';
// The service model's text ends with a period after the address; the answers DynamoDB sends (as logged by SDK
// users) do not.
const ON_DEMAND_TABLE_MESSAGE =
  'Throughput exceeds the current capacity of your table or index. DynamoDB is automatically scaling your table or index so please try again shortly. ' +
  'If exceptions persist, check if you have a hot key: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html';
const ON_DEMAND_INDEX_MESSAGE =
  'Throughput exceeds the current capacity for one or more global secondary indexes. DynamoDB is automatically scaling your index so please try again shortly.';
const MAXIMUM_MESSAGE = 'Throughput exceeds the maximum OnDemandThroughput configured on table or index';

/** The answer to a request that hit `limit` on a table or index in the given capacity mode. */
export function throttle(
  mode: 'PROVISIONED' | 'PAY_PER_REQUEST',
  kind: ResourceKind,
  access: 'read' | 'write',
  limit: LimitType,
  resource: string,
): Throttle {
  const reasons = [{ reason: throttlingReasonName(kind, access, limit), resource }];
  if (mode === 'PROVISIONED') {
    const message = kind === 'Table' ? PROVISIONED_TABLE_MESSAGE : PROVISIONED_INDEX_MESSAGE;
    return { exception: 'ProvisionedThroughputExceededException', message, reasons, limit, resourceKind: kind };
  }
  const message = limit === 'MaxOnDemandThroughputExceeded' ? MAXIMUM_MESSAGE : kind === 'Table' ? ON_DEMAND_TABLE_MESSAGE : ON_DEMAND_INDEX_MESSAGE;
  return { exception: 'ThrottlingException', message, reasons, limit, resourceKind: kind };
}

/** The throttle behind each error throttlingError made, for the batches that gather them. */
const throttles = new WeakMap<DynamoDbError, Throttle>();

/** The error a throttled request is answered with (HTTP 400; the SDKs retry both with backoff). */
export function throttlingError(throttle: Throttle): DynamoDbError {
  const reasons = throttle.reasons.map(({ reason, resource }) => ({ reason, resource }));
  // The member names are the service model's, which the SDKs deserialize by: ThrottlingException's list is
  // `throttlingReasons` (the JS SDK reads exactly that member; `ThrottlingReasons` would be dropped), the other
  // exceptions' `ThrottlingReasons`.
  const error =
    throttle.exception === 'ThrottlingException'
      ? new DynamoDbError('ThrottlingException', throttle.message, 400, 'com.amazon.coral.availability', { throttlingReasons: reasons })
      : new DynamoDbError(throttle.exception, throttle.message, 400, 'com.amazonaws.dynamodb.v20120810', { ThrottlingReasons: reasons });
  throttles.set(error, throttle);
  return error;
}

/** The throttle an error answers, when it is a throttling error. */
export function throttleOf(error: unknown): Throttle | undefined {
  return error instanceof DynamoDbError ? throttles.get(error) : undefined;
}

/**
 * The answer to a batch (BatchGetItem, BatchWriteItem) none of whose requests could be processed, every one of
 * them throttled. The service model documents the choice: `if none of the items can be processed due to
 * insufficient provisioned throughput on all of the tables in the request, then BatchWriteItem returns a
 * ProvisionedThroughputExceededException. For all tables and indexes, if none of the items can be processed due
 * to other throttling scenarios (such as exceeding partition level limits), then BatchWriteItem returns a
 * ThrottlingException.` The reasons of every throttle are listed, each once.
 */
export function wholeBatchThrottle(all: readonly Throttle[]): Throttle {
  const first = all[0];
  if (first === undefined) throw new RangeError('a batch throttle needs at least one throttle');
  const reasons: ThrottlingReason[] = [];
  for (const { reasons: own } of all) {
    for (const reason of own) {
      if (!reasons.some((known) => known.reason === reason.reason && known.resource === reason.resource)) reasons.push(reason);
    }
  }
  if (all.every((one) => one.limit === 'ProvisionedThroughputExceeded')) return { ...first, reasons };
  const onDemand = all.find((one) => one.exception === 'ThrottlingException');
  if (onDemand !== undefined) return { ...onDemand, reasons };
  // Only provisioned tables, and a partition's limit among the throttles: a ThrottlingException, whose text for
  // this case DynamoDB does not document. The on-demand text is used, which points at hot keys (unconfirmed).
  const partition = all.find((one) => one.limit !== 'ProvisionedThroughputExceeded') as Throttle;
  return {
    exception: 'ThrottlingException',
    message: partition.resourceKind === 'Table' ? ON_DEMAND_TABLE_MESSAGE : ON_DEMAND_INDEX_MESSAGE,
    reasons,
    limit: partition.limit,
    resourceKind: partition.resourceKind,
  };
}
