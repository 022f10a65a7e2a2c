/**
 * Multi-Region strong consistency (MRSC), DynamoDB's 2025 mode of global tables: what it is made of and the
 * errors it answers. A STRONG global table has exactly three regions, all in one of DynamoDB's region sets; a write
 * is acknowledged once two of the three have it durably, and a strongly consistent read in any region sees every
 * acknowledged write (strong-writes.ts builds both). Limits, from the developer guide (global tables: how they
 * work, and the consistency modes): the mode is chosen when the global table is created, from an empty table, and
 * never changes; no replica can be added later; no TTL, no local secondary indexes, no transactions.
 */
import { DynamoDbError, validationError } from '../../errors.js';
import type { Namespace } from '../catalog.js';
import type { TableMetadata } from '../table-metadata.js';

/** The regions of a STRONG global table. */
export const STRONG_REGION_COUNT = 3;

/** How many regions must have a write before it is acknowledged, and answer a strongly consistent read. */
export const STRONG_MAJORITY = 2;

/**
 * The region sets MRSC is offered in (developer guide and API reference, CreateGlobalTableWitnessGroupMemberAction):
 * the three regions of a STRONG global table are all in one of them.
 */
export const STRONG_REGION_SETS: Readonly<Record<string, readonly string[]>> = {
  US: ['us-east-1', 'us-east-2', 'us-west-2'],
  EU: ['eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1'],
  AP: ['ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3'],
};

export function isStrong(table: Pick<TableMetadata, 'multiRegionConsistency'>): boolean {
  return table.multiRegionConsistency === 'STRONG';
}

/** The region set all of `regions` belong to, or undefined when they span sets (or one is in none). */
export function regionSetOf(regions: readonly string[]): string | undefined {
  return Object.keys(STRONG_REGION_SETS).find((name) => regions.every((region) => STRONG_REGION_SETS[name]?.includes(region) === true));
}

const WITNESS_MARK = '/witness';

/**
 * Where a witness keeps its table: the account's namespace in the witness region, marked so that no request can
 * name it (an account id is 12 digits), and ListTables of the account does not list it.
 */
export function witnessNamespace(accountId: string, region: string): Namespace {
  return { accountId: `${accountId}${WITNESS_MARK}`, region };
}

export function isWitnessTable(table: Pick<TableMetadata, 'accountId'>): boolean {
  return table.accountId.endsWith(WITNESS_MARK);
}

/** The table of `tableName` of a member of a global table in `region`: a replica's, or else a witness's. */
export function memberTable(
  catalog: { getTable(namespace: Namespace, tableName: string): TableMetadata | undefined },
  accountId: string,
  region: string,
  tableName: string,
): TableMetadata | undefined {
  return catalog.getTable({ accountId, region }, tableName) ?? catalog.getTable(witnessNamespace(accountId, region), tableName);
}

const INVALID = 'One or more parameter values were invalid: ';

/**
 * A write to an item another region is writing at the same time: DynamoDB's ReplicatedWriteConflictException
 * (400, retryable). The text is the one DynamoDB is reported to answer; no public capture confirms it word for word.
 */
export function replicatedWriteConflict(): DynamoDbError {
  return new DynamoDbError('ReplicatedWriteConflictException', 'One or more items in this request are being modified by a request in another Region.');
}

/**
 * A write (or a strongly consistent read) that cannot reach a majority of the table's regions. DynamoDB documents
 * no dedicated error for it: it is answered as the request DynamoDB could not complete, InternalServerError (500),
 * which SDKs retry. The words are Cairn's own.
 */
export function majorityUnavailable(table: Pick<TableMetadata, 'tableName'>): DynamoDbError {
  return new DynamoDbError(
    'InternalServerError',
    `Internal server error: a majority of the Regions of global table ${table.tableName} (multi-Region strong consistency) cannot be reached`,
    500,
  );
}

/** Transactions on a STRONG table (developer guide: "will return an error"); the words are Cairn's own. */
export function strongTransactionRefused(table: Pick<TableMetadata, 'tableName'>): DynamoDbError {
  return validationError(`${INVALID}Transactions are not supported on table ${table.tableName}: it is a global table with multi-Region strong consistency`);
}

/** UpdateTimeToLive enabling TTL on a STRONG table; the words are Cairn's own. */
export function strongTtlRefused(table: Pick<TableMetadata, 'tableName'>): DynamoDbError {
  return validationError(`${INVALID}Time to Live is not supported on table ${table.tableName}: it is a global table with multi-Region strong consistency`);
}
