/** DescribeGlobalTable (global tables version 2017.11.29): the group of a global table made by CreateGlobalTable. */
import type { OperationHandler } from '../operation.js';
import { stringMember } from '../request-members.js';
import { globalTableDescription, globalTableNotFound } from './legacy-global-table.js';
import { findLegacyMember } from './legacy-regions.js';

export const describeGlobalTable: OperationHandler = async (context, request) => {
  const name = stringMember(request, 'GlobalTableName') ?? '';
  const member = await findLegacyMember(context.engine, context.accountId, name);
  if (member === undefined) throw globalTableNotFound(name);
  return { GlobalTableDescription: globalTableDescription(member) };
};
