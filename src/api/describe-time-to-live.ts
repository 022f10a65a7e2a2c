/**
 * DescribeTimeToLive: the TTL status and, unless TTL is (or was never anything but) disabled, its attribute.
 */
import { tableNotFound } from '../engine/catalog.js';
import { validationError } from '../errors.js';
import type { OperationHandler } from './operation.js';
import { stringMember } from './request-members.js';
import { resolveTableName } from './table-name.js';

export const describeTimeToLive: OperationHandler = async (context, request) => {
  const ref = resolveTableName(context, stringMember(request, 'TableName') ?? '');
  const table = context.engine.catalog.getTable(ref, ref.tableName);
  if (table === undefined) throw tableNotFound(ref.tableName);
  if (table.status === 'CREATING' || table.status === 'DELETING') {
    throw validationError(
      `Cannot describe time to live while table is in ${table.status} state: Current table state is ${table.status}`,
    );
  }
  const ttl = table.timeToLive;
  if (ttl === undefined || ttl.status === 'DISABLED') return { TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED' } };
  return { TimeToLiveDescription: { TimeToLiveStatus: ttl.status, AttributeName: ttl.attributeName } };
};
