/** TagResource: adds or replaces tags of a table, by ARN. A table holds at most 50 tags. */
import { validationError } from '../errors.js';
import { tagRecord } from './create-table.js';
import { MAX_TAGS, TAG_LIMIT_MESSAGE } from './tag-rules.js';
import type { OperationHandler } from './operation.js';
import { listMember, objectList, stringMember } from './request-members.js';
import { arnNotFound, checkResourceArn, tableByArn } from './tag-arn.js';

export const tagResource: OperationHandler = async (context, request) => {
  const arn = stringMember(request, 'ResourceArn');
  const ref = checkResourceArn(context, arn, 'TagResource');
  const tags = objectList(request, 'Tags');
  if ((listMember(request, 'Tags')?.length ?? 0) === 0) throw validationError('Atleast one Tag needs to be provided as Input.');
  const table = tableByArn(context, ref);
  if (table === undefined) throw arnNotFound(arn ?? '');
  await context.engine.catalog.updateTable(table, table.tableName, (current) => {
    const merged = tagRecord(tags, current.tags);
    if (Object.keys(merged).length > MAX_TAGS) throw validationError(TAG_LIMIT_MESSAGE);
    return { ...current, tags: merged };
  });
  return {};
};
