/**
 * Global tables version 2017.11.29 (the legacy API: CreateGlobalTable, UpdateGlobalTable, ...), built on the same
 * replica sets as version 2019.11.21 (src/engine/replication/): a legacy global table is the tables of one name in
 * the regions of its replication group, each carrying the whole set and the `legacyGlobalTable` mark. Unlike a
 * 2019.11.21 replica, a legacy member is a table the user created beforehand; leaving the group leaves it a plain
 * table.
 *
 * Messages: TableNotFoundException's text is the one DynamoDB answers in public reports
 * (`Table not found: Table: 'T' not found in region: 'R'.`); the texts of GlobalTableNotFoundException,
 * GlobalTableAlreadyExistsException, ReplicaAlreadyExistsException, ReplicaNotFoundException and of the
 * requirement refusals (streams, emptiness, same schema) are Cairn's own, unconfirmed against DynamoDB.
 */
import { DynamoDbError, validationError } from '../../errors.js';
import type { Catalog, Namespace } from '../../engine/catalog.js';
import type { Engine } from '../../engine/engine.js';
import { activeStream } from '../../engine/streams/table-streams.js';
import { readTableStats } from '../../engine/table-stats.js';
import type { IndexMetadata, TableMetadata } from '../../engine/table-metadata.js';
import type { ReplicaMetadata } from '../../engine/replication/replica-set.js';
import type { JsonObject } from '../operation.js';

const INVALID = 'One or more parameter values were invalid: ';

export function globalTableNotFound(name: string): DynamoDbError {
  return new DynamoDbError('GlobalTableNotFoundException', `Global table not found: Global table with name: '${name}' does not exist.`);
}

export function globalTableAlreadyExists(name: string): DynamoDbError {
  return new DynamoDbError('GlobalTableAlreadyExistsException', `Global table already exists: Global table with name: '${name}' already exists.`);
}

export function tableNotFoundInRegion(name: string, region: string): DynamoDbError {
  return new DynamoDbError('TableNotFoundException', `Table not found: Table: '${name}' not found in region: '${region}'.`);
}

export function replicaAlreadyExists(name: string, region: string): DynamoDbError {
  return new DynamoDbError('ReplicaAlreadyExistsException', `Replica already exists: Replica for table: '${name}' already exists in region: '${region}'.`);
}

export function replicaNotFound(name: string, region: string): DynamoDbError {
  return new DynamoDbError('ReplicaNotFoundException', `Replica not found: Replica for table: '${name}' does not exist in region: '${region}'.`);
}

/** The regions (of the caller's account on this server) that hold a table of this name, in order. */
function regionsWithTable(catalog: Catalog, accountId: string, name: string): TableMetadata[] {
  return catalog
    .allTables()
    .filter((table) => table.accountId === accountId && table.tableName === name && table.status !== 'DELETING')
    .sort((a, b) => (a.region < b.region ? -1 : a.region > b.region ? 1 : 0));
}

/** A member of the legacy global table `name` of the account, if there is one (any member knows the whole set). */
export function legacyMember(catalog: Catalog, accountId: string, name: string): TableMetadata | undefined {
  return regionsWithTable(catalog, accountId, name).find((table) => table.legacyGlobalTable !== undefined);
}

/** Every legacy global table of the account: one member of each, by name. */
export function legacyGlobalTables(catalog: Catalog, accountId: string): TableMetadata[] {
  const byName = new Map<string, TableMetadata>();
  for (const table of catalog.allTables()) {
    if (table.accountId === accountId && table.legacyGlobalTable !== undefined && table.status !== 'DELETING' && !byName.has(table.tableName)) {
      byName.set(table.tableName, table);
    }
  }
  return [...byName.values()].sort((a, b) => (a.tableName < b.tableName ? -1 : a.tableName > b.tableName ? 1 : 0));
}

/** DynamoDB's GlobalTableDescription (ReplicationGroup names the regions only, as DynamoDB's answers do). */
export function globalTableDescription(member: TableMetadata, status?: string, group?: readonly ReplicaMetadata[]): JsonObject {
  // A member left alone (the others' tables deleted) keeps no replica set: the group is its own region.
  const replicas = group ?? member.replicas ?? [{ regionName: member.region, status: 'ACTIVE', createdAt: member.creationDateTime }];
  const creating = replicas.some((replica) => replica.status === 'CREATING');
  return {
    ReplicationGroup: replicas.map((replica) => ({ RegionName: replica.regionName })),
    GlobalTableArn: `arn:aws:dynamodb::${member.accountId}:global-table/${member.tableName}`,
    CreationDateTime: (member.legacyGlobalTable?.createdAt ?? member.creationDateTime) / 1000,
    GlobalTableStatus: status ?? (creating ? 'UPDATING' : 'ACTIVE'),
    GlobalTableName: member.tableName,
  };
}

/**
 * The table that is to join a legacy global table in `region`, checked against DynamoDB's requirements
 * (developer guide, global tables version 2017.11.29: requirements): it exists, is not already in a global table,
 * has a stream with new and old images, is empty, and has the key schema and secondary indexes of `like`.
 */
export async function joiningTable(engine: Engine, namespace: Namespace, name: string, like?: TableMetadata): Promise<TableMetadata> {
  const table = engine.catalog.getTable(namespace, name);
  if (table === undefined || table.status === 'DELETING') throw tableNotFoundInRegion(name, namespace.region);
  const where = `Table: ${name} in region: ${namespace.region}`;
  if (table.legacyGlobalTable !== undefined || (table.replicas ?? []).length > 1) {
    throw validationError(`${INVALID}${where} is already part of a global table`);
  }
  if (activeStream(table)?.viewType !== 'NEW_AND_OLD_IMAGES') {
    throw validationError(`${INVALID}${where} must have DynamoDB Streams enabled with StreamViewType NEW_AND_OLD_IMAGES`);
  }
  if ((await readTableStats(engine.storage, table.tableId)).itemCount > 0) {
    throw validationError(`${INVALID}${where} must be empty`);
  }
  if (like !== undefined && schemaOf(table) !== schemaOf(like)) {
    throw validationError(`${INVALID}${where} must have the same key schema and secondary indexes as the other replicas`);
  }
  return table;
}

/** The table's key schema, its key attributes' types and its secondary indexes' keys and projections, as one string. */
function schemaOf(table: TableMetadata): string {
  const types = (names: readonly string[]) =>
    names.map((name) => table.attributeDefinitions.find((definition) => definition.AttributeName === name)?.AttributeType ?? '');
  const keyNames = (schema: readonly { AttributeName: string }[]) => schema.map((element) => element.AttributeName);
  const index = (entry: IndexMetadata) => [entry.indexName, entry.keySchema, types(keyNames(entry.keySchema)), entry.projection];
  const byName = (a: IndexMetadata, b: IndexMetadata) => (a.indexName < b.indexName ? -1 : 1);
  return JSON.stringify([
    table.keySchema,
    types(keyNames(table.keySchema)),
    [...(table.globalSecondaryIndexes ?? [])].filter((entry) => entry.status !== 'DELETING').sort(byName).map(index),
    [...(table.localSecondaryIndexes ?? [])].sort(byName).map(index),
  ]);
}

/**
 * Writes the group's replica set and the legacy mark into every table of `regions` (with `set` undefined: takes
 * both away, the table leaving the group).
 */
export async function writeLegacySet(
  catalog: Catalog,
  accountId: string,
  name: string,
  regions: readonly string[],
  set: readonly ReplicaMetadata[] | undefined,
  createdAt: number,
): Promise<void> {
  for (const region of regions) {
    const namespace = { accountId, region };
    if (catalog.getTable(namespace, name) === undefined) continue;
    await catalog.updateTable(namespace, name, (current) => {
      const { replicas: _replicas, legacyGlobalTable: _legacy, ...rest } = current;
      return set === undefined ? rest : { ...rest, replicas: set, legacyGlobalTable: { createdAt } };
    });
  }
}

/** The change running (or last run) for each legacy global table, by `<account>/<name>`. */
const changes = new Map<string, Promise<unknown>>();

/**
 * Runs `change` after any other change of the same global table: a change checks every member's table and then
 * writes each in turn, across several awaits, so two at once (two CreateGlobalTable of one name) would both
 * pass their checks. One server holds the whole group, so one queue per name is enough.
 */
export async function serialized<T>(accountId: string, name: string, change: () => Promise<T>): Promise<T> {
  const key = `${accountId}/${name}`;
  const previous = changes.get(key) ?? Promise.resolve();
  const run = previous.then(change, change);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  changes.set(key, settled);
  try {
    return await run;
  } finally {
    if (changes.get(key) === settled) changes.delete(key);
  }
}
