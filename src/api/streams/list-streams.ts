/**
 * ListStreams: the streams of the caller's region (of one table with TableName), current and disabled ones still
 * readable, ordered by ARN, paged by Limit (default 100) and ExclusiveStartStreamArn.
 */
import { streamsOf } from '../../engine/streams/stream-reader.js';
import type { OperationHandler } from '../operation.js';
import { resourceNotFound } from '../../errors.js';

export const listStreams: OperationHandler = async (context, request) => {
  const catalog = context.engine.catalog;
  const tableName = typeof request.TableName === 'string' ? request.TableName : undefined;
  const tables =
    tableName === undefined
      ? catalog.listTableNames(context.region).map((name) => catalog.getTable(context.region, name))
      : [catalog.getTable(context.region, tableName)];
  if (tableName !== undefined && tables[0] === undefined) {
    throw resourceNotFound(`Requested resource not found: Table: ${tableName} not found`);
  }
  const streams = streamsOf(tables.filter((table) => table !== undefined)).sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
  const after = typeof request.ExclusiveStartStreamArn === 'string' ? request.ExclusiveStartStreamArn : undefined;
  const from = after === undefined ? 0 : streams.findIndex((found) => found.arn > after);
  const limit = typeof request.Limit === 'number' ? request.Limit : 100;
  const page = from < 0 ? [] : streams.slice(from, from + limit);
  const more = from >= 0 && from + limit < streams.length;
  return {
    Streams: page.map((found) => ({ StreamArn: found.arn, TableName: found.table.tableName, StreamLabel: found.stream.label })),
    ...(more ? { LastEvaluatedStreamArn: page[page.length - 1]?.arn } : {}),
  };
};
