/**
 * The ResourceArn checks the tagging operations share. DynamoDB answers them with its own wording rather than
 * constraint messages, and interleaves an authorization check: an ARN that is not even ARN-shaped is refused
 * with AccessDeniedException naming the caller, which only the operation can word, so these checks stop there
 * and leave it to the operation.
 */
import { validationError } from '../../errors.js';

/** Loosely ARN-shaped: six colon-separated parts and a resource path. */
const ARN_SHAPE = /^.+:.+:.+:.+:.+:.+\/.+$/;
/** A DynamoDB table ARN. */
const TABLE_ARN = /^arn:aws[a-z-]*:dynamodb:.+:\d+:table\/[^/]{2}[^/]+$/;

/**
 * Returns true when the operation must answer AccessDeniedException itself (the ARN is not ARN-shaped); throws
 * `Invalid TableArn` when the ARN is missing.
 */
export function resourceArnNeedsAccessCheck(body: Readonly<Record<string, unknown>>): boolean {
  const arn = body.ResourceArn;
  if (typeof arn !== 'string') throw validationError('Invalid TableArn');
  return !ARN_SHAPE.test(arn);
}

/** After the access check: the ARN must name a table. */
export function checkTableArn(arn: string): void {
  if (!TABLE_ARN.test(arn)) throw validationError(`Invalid TableArn: Invalid ResourceArn provided as input ${arn}`);
}

/** A required member that DynamoDB checks only after the ARN's shape, in the constraint wording. */
export function requireAfterArn(body: Readonly<Record<string, unknown>>, member: string, path: string): void {
  if (body[member] === undefined || body[member] === null) {
    throw validationError(`1 validation error detected: Value null at '${path}' failed to satisfy constraint: Member must not be null`);
  }
}
