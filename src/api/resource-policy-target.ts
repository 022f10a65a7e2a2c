/**
 * The ResourceArn of PutResourcePolicy / GetResourcePolicy / DeleteResourcePolicy: a table or one of its streams
 * (an index has no policy of its own: the table's governs it). DynamoDB's checks, in its order and words:
 * - not an ARN at all: `ARNs must start with 'arn:'`;
 * - another account's ARN: `This action is only supported by accounts that match the resource owner’s account.`;
 * - another partition or region than the request's: `Invalid resource Arn`;
 * - an index: `Invalid resource arn provided, only table or stream is accepted`;
 * - anything else below a table (a backup): `Provided Arn is not a DynamoDB resource arn`;
 * - no such table: ResourceNotFoundException naming the table; no such stream: naming the stream and table.
 */
import { resourceNotFound, validationError } from '../errors.js';
import type { TableMetadata } from '../engine/table-metadata.js';
import type { RequestContext } from './operation.js';

const INVALID = 'One or more parameter values were invalid: ';

export interface PolicyTarget {
  readonly table: TableMetadata;
  /** Set when the ARN names one of the table's streams. */
  readonly streamLabel?: string;
}

export function resolvePolicyTarget(context: RequestContext, arn: string): PolicyTarget {
  if (!arn.startsWith('arn:')) throw validationError(`${INVALID}ARNs must start with 'arn:': ${arn}`);
  const parts = arn.split(':');
  const resource = parts.slice(5).join(':');
  if (parts.length < 6 || parts[2] !== 'dynamodb' || !resource.startsWith('table/')) {
    throw validationError(`${INVALID}Provided Arn is not a DynamoDB resource arn: ${arn}`);
  }
  if (parts[4] !== context.accountId) {
    throw validationError('This action is only supported by accounts that match the resource owner’s account.');
  }
  if (parts[1] !== 'aws' || parts[3] !== context.region) throw validationError(`${INVALID}Invalid resource Arn: ${arn}`);
  const path = resource.slice('table/'.length).split('/');
  const tableName = path[0] ?? '';
  if (path.length === 3 && path[1] === 'index') {
    throw validationError(`${INVALID}Invalid resource arn provided, only table or stream is accepted. Provided resource arn: ${arn}`);
  }
  const isStream = path.length >= 3 && path[1] === 'stream';
  if (tableName === '' || (path.length > 1 && !isStream)) {
    throw validationError(`${INVALID}Provided Arn is not a DynamoDB resource arn: ${arn}`);
  }
  const table = context.engine.catalog.getTable(context, tableName);
  if (table === undefined) throw resourceNotFound(`Requested resource not found: Table: ${tableName} not found`);
  if (!isStream) return { table };
  const label = path.slice(2).join('/');
  if (!(table.streams ?? []).some((stream) => stream.label === label)) {
    throw resourceNotFound(`Requested resource not found: Stream: ${label} not found for Table: ${tableName}`);
  }
  return { table, streamLabel: label };
}
