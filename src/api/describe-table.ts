/** DescribeTable: the full TableDescription, with live ItemCount / TableSizeBytes. */
import { tableNotFound } from '../engine/catalog.js';
import type { OperationHandler } from './operation.js';
import { stringMember } from './request-members.js';
import { describeTableWithStats } from './table-description.js';
import { resolveTableName } from './table-name.js';

export const describeTable: OperationHandler = async (context, request) => {
  const ref = resolveTableName(context, stringMember(request, 'TableName') ?? '');
  const table = context.engine.catalog.getTable(ref, ref.tableName);
  if (table === undefined) throw tableNotFound(ref.tableName);
  return { Table: await describeTableWithStats(context.engine, table) };
};
