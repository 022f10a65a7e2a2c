/**
 * ListTables: the region's table names in order, at most Limit (default and maximum 100) after
 * ExclusiveStartTableName; LastEvaluatedTableName is set only when more names follow the page.
 */
import type { JsonObject, OperationHandler } from './operation.js';
import { numberMember, stringMember } from './request-members.js';

const DEFAULT_LIMIT = 100;

export const listTables: OperationHandler = async (context, request) => {
  const names = context.engine.catalog.listTableNames(context);
  const limit = numberMember(request, 'Limit') ?? DEFAULT_LIMIT;
  const exclusiveStart = stringMember(request, 'ExclusiveStartTableName');
  let start = 0;
  if (exclusiveStart !== undefined) {
    // Binary search for the first name after the exclusive start (which need not exist).
    let high = names.length;
    while (start < high) {
      const middle = (start + high) >>> 1;
      if ((names[middle] as string) <= exclusiveStart) start = middle + 1;
      else high = middle;
    }
  }
  const page = names.slice(start, start + limit);
  const response: JsonObject = { TableNames: page };
  if (start + limit < names.length) response.LastEvaluatedTableName = page[page.length - 1];
  return response;
};
