/** ListTagsOfResource: a table's tags, by ARN, sorted by key. At most 50 exist, so there is never a NextToken. */
import type { OperationHandler } from './operation.js';
import { stringMember } from './request-members.js';
import { arnNotFound, checkResourceArn, tableByArn } from './tag-arn.js';

export const listTagsOfResource: OperationHandler = async (context, request) => {
  const arn = stringMember(request, 'ResourceArn');
  const ref = checkResourceArn(context, arn, 'ListTagsOfResource');
  const table = tableByArn(context, ref);
  if (table === undefined) throw arnNotFound(arn ?? '');
  const keys = Object.keys(table.tags).sort();
  return { Tags: keys.map((key) => ({ Key: key, Value: table.tags[key] })) };
};
