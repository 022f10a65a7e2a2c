/**
 * The ResourceArn checks of TagResource / UntagResource / ListTagsOfResource, in DynamoDB's order: something
 * not even shaped like an ARN is an authorization failure (IAM cannot match it to a resource), an ARN that is not
 * a DynamoDB table ARN is a ValidationException, and a table ARN naming no table is ResourceNotFoundException.
 */
import { DynamoDbError, validationError } from '../errors.js';
import { accessDeniedException } from '../iam/access-denied.js';
import type { TableMetadata } from '../engine/table-metadata.js';
import type { RequestContext } from './operation.js';

const ARN_SHAPE = /^.+:.+:.+:.+:.+:.+\/.+$/;
const TABLE_ARN = /^arn:aws:dynamodb:(.+):(\d+):table\/([^/]{2}[^/]+)$/;

export interface TableArnRef {
  readonly region: string;
  readonly accountId: string;
  readonly tableName: string;
}

/** Checks a ResourceArn; `action` names the IAM action in the AccessDeniedException (e.g. `TagResource`). */
export function checkResourceArn(context: RequestContext, arn: string | undefined, action: string): TableArnRef {
  if (arn === undefined) throw validationError('Invalid TableArn');
  if (!ARN_SHAPE.test(arn)) {
    // IAM cannot match such a string to a resource, so no policy allows it. Without `--auth` the caller is the
    // account's root.
    const caller = context.principal?.arn ?? `arn:aws:iam::${context.accountId}:root`;
    throw accessDeniedException(`User: ${caller} is not authorized to perform: dynamodb:${action} on resource: ${arn}`);
  }
  return parseTaggableArn(arn);
}

export function parseTaggableArn(arn: string): TableArnRef {
  const match = TABLE_ARN.exec(arn);
  if (match === null) throw validationError(`Invalid TableArn: Invalid ResourceArn provided as input ${arn}`);
  return { region: match[1] ?? '', accountId: match[2] ?? '', tableName: match[3] ?? '' };
}

/** The table an ARN names, if it exists in this account. */
export function tableByArn(context: RequestContext, ref: TableArnRef): TableMetadata | undefined {
  if (ref.accountId !== context.accountId) return undefined;
  return context.engine.catalog.getTable(ref, ref.tableName);
}

/** ResourceNotFoundException as TagResource and ListTagsOfResource word it (DynamoDB's own spelling). */
export function arnNotFound(arn: string): DynamoDbError {
  return new DynamoDbError('ResourceNotFoundException', `Requested resource not found: ResourcArn: ${arn} not found`);
}
