/**
 * ListStreams: the streams of the caller's region (of one table with TableName), current and disabled ones still
 * readable, newest first (as DynamoDB lists them), paged by Limit (default 100) and ExclusiveStartStreamArn. A
 * table that does not exist simply has no streams.
 */
import { validationError } from '../../errors.js';
import { parseStreamArn, streamsOf } from '../../engine/streams/stream-reader.js';
import type { OperationHandler } from '../operation.js';

export const listStreams: OperationHandler = async (context, request) => {
  const catalog = context.engine.catalog;
  const tableName = typeof request.TableName === 'string' ? request.TableName : undefined;
  const tables =
    tableName === undefined
      ? catalog.listTableNames(context).map((name) => catalog.getTable(context, name))
      : [catalog.getTable(context, tableName)];
  const streams = streamsOf(tables.filter((table) => table !== undefined)).sort(
    (a, b) => b.stream.enabledAt - a.stream.enabledAt || (a.arn < b.arn ? -1 : 1),
  );
  const after = typeof request.ExclusiveStartStreamArn === 'string' ? request.ExclusiveStartStreamArn : undefined;
  if (after !== undefined && parseStreamArn(after) === undefined) throw validationError('Invalid ExclusiveStartStreamArn');
  const from = after === undefined ? 0 : streams.findIndex((found) => found.arn === after) + 1;
  const limit = typeof request.Limit === 'number' ? request.Limit : 100;
  const page = streams.slice(from, from + limit);
  const more = from + limit < streams.length;
  return {
    Streams: page.map((found) => ({ StreamArn: found.arn, TableName: found.table.tableName, StreamLabel: found.stream.label })),
    ...(more ? { LastEvaluatedStreamArn: page[page.length - 1]?.arn } : {}),
  };
};
