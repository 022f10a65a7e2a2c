/**
 * TableName members accept a table name or, in current DynamoDB, the table's ARN. Resolves either to the
 * namespace (account and region) and name the catalog is keyed by: a name is in the caller's account and region,
 * an ARN names its own (whether the caller may use another account's table is for authorization to decide).
 */
import type { RequestContext } from './operation.js';

export interface TableRef {
  readonly accountId: string;
  readonly region: string;
  readonly tableName: string;
}

const ARN_PREFIX = 'arn:';

/** `arn:<partition>:dynamodb:<region>:<account>:table/<name>` -> its namespace and name; undefined if not that shape. */
export function parseTableArn(arn: string): TableRef | undefined {
  const parts = arn.split(':');
  if (parts.length !== 6 || parts[0] !== 'arn' || parts[2] !== 'dynamodb') return undefined;
  const region = parts[3] ?? '';
  const accountId = parts[4] ?? '';
  const resource = parts[5] ?? '';
  if (region === '' || !resource.startsWith('table/')) return undefined;
  const tableName = resource.slice('table/'.length);
  if (tableName === '' || tableName.includes('/')) return undefined;
  return { accountId, region, tableName };
}

export function resolveTableName(context: RequestContext, nameOrArn: string): TableRef {
  if (nameOrArn.startsWith(ARN_PREFIX)) {
    const ref = parseTableArn(nameOrArn);
    if (ref !== undefined) return ref;
  }
  return { accountId: context.accountId, region: context.region, tableName: nameOrArn };
}
