/** UntagResource: removes tag keys from a table, by ARN. Removing a key that is not there is not an error. */
import { resourceNotFound, validationError } from '../errors.js';
import type { OperationHandler } from './operation.js';
import { listMember, stringMember } from './request-members.js';
import { checkResourceArn, tableByArn } from './tag-arn.js';

export const untagResource: OperationHandler = async (context, request) => {
  const ref = checkResourceArn(context, stringMember(request, 'ResourceArn'), 'UntagResource');
  const keys = listMember(request, 'TagKeys') ?? [];
  if (keys.length === 0) throw validationError('Atleast one Tag Key needs to be provided as Input.');
  const table = tableByArn(context, ref);
  // Unlike TagResource, DynamoDB answers UntagResource's not-found with the bare text.
  if (table === undefined) throw resourceNotFound('Requested resource not found');
  await context.engine.catalog.updateTable(table, table.tableName, (current) => {
    const remaining: Record<string, string> = { ...current.tags };
    let changed = false;
    for (const key of keys) {
      if (typeof key === 'string' && key in remaining) {
        delete remaining[key];
        changed = true;
      }
    }
    return changed ? { ...current, tags: remaining } : current;
  });
  return {};
};
