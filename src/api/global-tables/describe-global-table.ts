/** DescribeGlobalTable (global tables version 2017.11.29): the group of a global table made by CreateGlobalTable. */
import type { OperationHandler } from '../operation.js';
import { stringMember } from '../request-members.js';
import { globalTableDescription, globalTableNotFound, legacyMember } from './legacy-global-table.js';

export const describeGlobalTable: OperationHandler = async (context, request) => {
  const name = stringMember(request, 'GlobalTableName') ?? '';
  const member = legacyMember(context.engine.catalog, context.accountId, name);
  if (member === undefined) throw globalTableNotFound(name);
  return { GlobalTableDescription: globalTableDescription(member) };
};
