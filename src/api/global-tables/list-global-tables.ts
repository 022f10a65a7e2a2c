/**
 * ListGlobalTables (global tables version 2017.11.29): the account's legacy global tables in name order, those
 * with a replica in RegionName when it is given, at most Limit after ExclusiveStartGlobalTableName.
 * Global tables version 2019.11.21 are not listed, as DynamoDB's API reference says of this operation.
 */
import type { OperationHandler } from '../operation.js';
import { numberMember, stringMember } from '../request-members.js';
import { legacyGlobalTables } from './legacy-global-table.js';

/** DynamoDB's model bounds Limit below only; Cairn pages at most this many (unconfirmed: DynamoDB's is not documented). */
const MAX_LIMIT = 100;

export const listGlobalTables: OperationHandler = async (context, request) => {
  const region = stringMember(request, 'RegionName');
  const start = stringMember(request, 'ExclusiveStartGlobalTableName');
  const limit = Math.min(numberMember(request, 'Limit') ?? MAX_LIMIT, MAX_LIMIT);
  const tables = legacyGlobalTables(context.engine.catalog, context.accountId).filter(
    (table) =>
      (start === undefined || table.tableName > start) &&
      (region === undefined || (table.replicas ?? []).some((replica) => replica.regionName === region)),
  );
  const page = tables.slice(0, limit);
  const answer: Record<string, unknown> = {
    GlobalTables: page.map((table) => ({
      GlobalTableName: table.tableName,
      ReplicationGroup: (table.replicas ?? []).map((replica) => ({ RegionName: replica.regionName })),
    })),
  };
  const last = page[page.length - 1];
  if (tables.length > limit && last !== undefined) answer.LastEvaluatedGlobalTableName = last.tableName;
  return answer;
};
