/**
 * TransactionCanceledException as DynamoDB shapes it: one cancellation reason per action, in request order —
 * `{"Code":"None"}` for an action that would have succeeded, `{"Code":"ConditionalCheckFailed","Item":...,
 * "Message":"The conditional request failed"}` (Item only when the action asked for ALL_OLD and the item exists),
 * `{"Code":"ValidationError","Message":...}` for an action that cannot run against the table or item,
 * `{"Code":"ProvisionedThroughputExceeded"|"ThrottlingError","Message":...}` for an action whose partition (or
 * GSI) had no capacity left, with the text of the throttle — and the
 * message listing the codes: `Transaction cancelled, please refer cancellation reasons for specific reasons
 * [None, ConditionalCheckFailed]` ("cancelled" in the message, "Canceled" in the type, as DynamoDB spells them).
 */
import { DynamoDbError } from '../errors.js';

export interface CancellationReason {
  readonly Code: string;
  readonly Item?: Readonly<Record<string, unknown>>;
  readonly Message?: string;
}

export const NO_REASON: CancellationReason = { Code: 'None' };

/** The cancellation reason for what an action's decision threw (a DynamoDbError of the item operations). */
export function reasonFor(error: unknown): CancellationReason {
  if (!(error instanceof DynamoDbError)) throw error;
  switch (error.type) {
    case 'ConditionalCheckFailedException': {
      const item = error.extra?.Item as Readonly<Record<string, unknown>> | undefined;
      return item !== undefined
        ? { Code: 'ConditionalCheckFailed', Item: item, Message: error.message }
        : { Code: 'ConditionalCheckFailed', Message: error.message };
    }
    case 'ValidationException':
      return { Code: 'ValidationError', Message: error.message };
    case 'ItemCollectionSizeLimitExceededException':
      return { Code: 'ItemCollectionSizeLimitExceeded', Message: 'Collection size exceeded' };
    // A transaction throttles as a whole. The service model declares both ways for TransactWriteItems and
    // TransactGetItems (ProvisionedThroughputExceededException / ThrottlingException, and these two cancellation
    // codes "received when provisioned throughput is exceeded" and "when writes get throttled on an On-Demand
    // table"); the cancellation is the one chosen, since it tells which actions were throttled (clients that
    // retry transactions look for these codes). Which one DynamoDB sends is not documented.
    case 'ProvisionedThroughputExceededException':
      return { Code: 'ProvisionedThroughputExceeded', Message: error.message };
    case 'ThrottlingException':
      return { Code: 'ThrottlingError', Message: error.message };
    // An ExecuteTransaction INSERT of an existing key. The code is an assumption: DynamoDB's cancellation codes
    // are not enumerated, DuplicateItem is BatchExecuteStatement's code for the same failure, and DynamoDB Local
    // reports a ValidationError instead. Unconfirmed.
    case 'DuplicateItemException':
      return { Code: 'DuplicateItem', Message: error.message };
    case 'TransactionConflictException':
      return { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' };
    default:
      throw error;
  }
}

export function transactionCanceled(reasons: readonly CancellationReason[]): DynamoDbError {
  return new DynamoDbError(
    'TransactionCanceledException',
    `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((reason) => reason.Code).join(', ')}]`,
    400,
    'com.amazonaws.dynamodb.v20120810',
    { CancellationReasons: reasons },
  );
}

/** The reasons of a cancelled transaction: the failures by position, None elsewhere. */
export function cancellation(failures: readonly unknown[]): DynamoDbError {
  return transactionCanceled(failures.map((failure) => (failure === undefined ? NO_REASON : reasonFor(failure))));
}
