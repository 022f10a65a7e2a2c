/**
 * BatchExecuteStatement answers HTTP 200 with one response per statement; a statement that failed carries
 * `Error {Code, Message, Item}` in place of its result. The codes are the service model's BatchStatementErrorCodeEnum:
 * the exception's name without `Exception` (DuplicateItemException -> DuplicateItem), ValidationException ->
 * ValidationError and ThrottlingException -> ThrottlingError as in transaction cancellation reasons. `Item` is the
 * old item of a failed condition, present only when the statement asked for ALL_OLD and the item exists.
 */
import { DynamoDbError } from '../errors.js';

export interface BatchStatementError {
  readonly Code: string;
  readonly Message: string;
  readonly Item?: Readonly<Record<string, unknown>>;
}

const CODES: Readonly<Record<string, string>> = {
  ConditionalCheckFailedException: 'ConditionalCheckFailed',
  ItemCollectionSizeLimitExceededException: 'ItemCollectionSizeLimitExceeded',
  RequestLimitExceeded: 'RequestLimitExceeded',
  ValidationException: 'ValidationError',
  ProvisionedThroughputExceededException: 'ProvisionedThroughputExceeded',
  TransactionConflictException: 'TransactionConflict',
  ThrottlingException: 'ThrottlingError',
  InternalServerError: 'InternalServerError',
  ResourceNotFoundException: 'ResourceNotFound',
  AccessDeniedException: 'AccessDenied',
  DuplicateItemException: 'DuplicateItem',
};

/** The per-statement error for what running the statement threw; anything else is not a statement's failure. */
export function batchStatementError(error: unknown): BatchStatementError {
  if (!(error instanceof DynamoDbError)) throw error;
  const code = CODES[error.type];
  if (code === undefined) throw error;
  const item = error.type === 'ConditionalCheckFailedException' ? (error.extra?.Item as Readonly<Record<string, unknown>> | undefined) : undefined;
  return item !== undefined ? { Code: code, Message: error.message, Item: item } : { Code: code, Message: error.message };
}
