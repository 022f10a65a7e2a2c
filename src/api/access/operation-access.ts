/**
 * What each operation asks IAM for: one entry per action x resource it needs, with the condition keys only that
 * request knows. Everything is read from the validated request and the catalog before the operation runs, so
 * that a denied request touches nothing. The actions are DynamoDB's:
 * - item operations need their own action on the table (Query and Scan on an index: on the index's ARN);
 * - a batch needs its action on every table it names, with the leading keys of that table's keys and items;
 * - a transaction needs, per item, the action of that item's kind (TransactGetItems: dynamodb:GetItem;
 *   TransactWriteItems: PutItem, UpdateItem, DeleteItem, ConditionCheckItem), as DynamoDB's transaction IAM
 *   documentation says;
 * - PartiQL needs dynamodb:PartiQLSelect / PartiQLInsert / PartiQLUpdate / PartiQLDelete per statement (an
 *   EXISTS of ExecuteTransaction reads: PartiQLSelect), a SELECT with `dynamodb:FullTableScan`;
 * - Streams' reads need theirs on the stream ARN (GetRecords: the stream its iterator names);
 * - the legacy global tables' actions need theirs on `arn:aws:dynamodb::<account>:global-table/<name>`
 *   (ListGlobalTables: on `*`);
 * - account-level actions (ListTables, DescribeLimits, DescribeEndpoints, ListStreams) have no table: ListTables
 *   names `arn:aws:dynamodb:<region>:<account>:table/*`, the others `*` (unconfirmed against the service: these
 *   are the resources their AccessDeniedException then names).
 */
import type { AttributeValue } from '../../model/attribute-value.js';
import type { TableMetadata } from '../../engine/table-metadata.js';
import type { Namespace } from '../../engine/catalog.js';
import { findIndex } from '../../engine/secondary-index.js';
import { parseStreamArn } from '../../engine/streams/stream-reader.js';
import { statementKind, statementTableName } from '../../partiql/statement-kind.js';
import { parseCached, planStatement } from '../../partiql/plan.js';
import { compileReadExpressions } from '../read-expressions.js';
import { keyTerms } from '../query-key.js';
import { parseTableArn } from '../table-name.js';
import type { JsonObject } from '../operation.js';
import { itemAttributes, leadingKeyOf, projectedAttributes, updatedAttributes } from './request-attributes.js';

/** One action on one resource, and the condition keys of this request that concern it. */
export interface ResourceAccess {
  /** Without the `dynamodb:` prefix. */
  readonly action: string;
  readonly resource: string;
  readonly resourceAccount: string;
  /** The table whose resource policy governs the resource (its indexes' too), and the stream's label if a stream. */
  readonly policyTable?: TableMetadata;
  readonly streamLabel?: string;
  readonly keys: readonly (readonly [string, readonly string[]])[];
  /** BatchExecuteStatement: the position of the statement this is for (denied statements fail alone). */
  readonly statement?: number;
}

/** Where the request is made: the caller's account and the request's region (its namespace), and the tables. */
export interface AccessScope extends Namespace {
  readonly catalog: { getTable(namespace: Namespace, tableName: string): TableMetadata | undefined };
}

interface TableTarget {
  readonly arn: string;
  readonly account: string;
  readonly region: string;
  readonly name: string;
  readonly table?: TableMetadata;
}

export function operationAccess(operation: string, request: JsonObject, scope: AccessScope): ResourceAccess[] {
  switch (operation) {
    case 'GetItem':
      return [item(scope, request, 'GetItem', request.Key, projectedAttributes(request), true)];
    case 'PutItem':
      return [item(scope, request, 'PutItem', request.Item, itemAttributes(request.Item))];
    case 'UpdateItem':
      return [item(scope, request, 'UpdateItem', request.Key, updatedAttributes(request))];
    case 'DeleteItem':
      return [item(scope, request, 'DeleteItem', request.Key, undefined)];
    case 'Query':
    case 'Scan':
      return [read(scope, operation, request)];
    case 'BatchGetItem':
      return batchGet(scope, request);
    case 'BatchWriteItem':
      return batchWrite(scope, request);
    case 'TransactGetItems':
      return transactGet(scope, request);
    case 'TransactWriteItems':
      return transactWrite(scope, request);
    case 'ExecuteStatement': {
      const found = statement(scope, request.Statement, request.Parameters, request);
      return found === undefined ? [] : [found];
    }
    case 'BatchExecuteStatement':
    case 'ExecuteTransaction':
      return statements(scope, operation === 'ExecuteTransaction' ? request.TransactStatements : request.Statements, request);
    case 'CreateTable': {
      const target = tableTarget(scope, request.TableName);
      const create = access('CreateTable', target, []);
      // Creating a table with a policy needs both (the CreateTable API reference says so).
      return request.ResourcePolicy === undefined ? [create] : [create, access('PutResourcePolicy', target, [])];
    }
    case 'DeleteTable':
    case 'DescribeTable':
    case 'UpdateTable':
    case 'DescribeTimeToLive':
    case 'UpdateTimeToLive':
    case 'DescribeContinuousBackups':
      return [access(operation, tableTarget(scope, request.TableName), [])];
    case 'TagResource':
    case 'UntagResource':
    case 'ListTagsOfResource':
    case 'PutResourcePolicy':
    case 'GetResourcePolicy':
    case 'DeleteResourcePolicy':
      return [arnAccess(scope, operation, request.ResourceArn)];
    case 'DescribeTableReplicaAutoScaling':
    case 'UpdateTableReplicaAutoScaling':
      return [access(operation, tableTarget(scope, request.TableName), [])];
    // Global tables version 2017.11.29: the global table's own ARN, which names no region (DynamoDB's IAM
    // reference lists the global-table resource type for these actions).
    case 'CreateGlobalTable':
    case 'DescribeGlobalTable':
    case 'UpdateGlobalTable':
    case 'DescribeGlobalTableSettings':
    case 'UpdateGlobalTableSettings': {
      const name = typeof request.GlobalTableName === 'string' ? request.GlobalTableName : '';
      return [{ action: operation, resource: `arn:aws:dynamodb::${scope.accountId}:global-table/${name}`, resourceAccount: scope.accountId, keys: [] }];
    }
    case 'ListTables':
      return [{ action: 'ListTables', resource: `arn:aws:dynamodb:${scope.region}:${scope.accountId}:table/*`, resourceAccount: scope.accountId, keys: [] }];
    case 'DynamoDBStreams.DescribeStream':
    case 'DynamoDBStreams.GetShardIterator':
      return [arnAccess(scope, operation.slice('DynamoDBStreams.'.length), request.StreamArn)];
    case 'DynamoDBStreams.GetRecords': {
      const iterator = typeof request.ShardIterator === 'string' ? request.ShardIterator : '';
      const separator = iterator.lastIndexOf('|1|');
      return [arnAccess(scope, 'GetRecords', separator < 0 ? iterator : iterator.slice(0, separator))];
    }
    case 'DynamoDBStreams.ListStreams':
      return [{ action: 'ListStreams', resource: '*', resourceAccount: scope.accountId, keys: [] }];
    default:
      // DescribeLimits, DescribeEndpoints: account-level.
      return [{ action: operation, resource: '*', resourceAccount: scope.accountId, keys: [] }];
  }
}

/**
 * The table a TableName (name or ARN) names, and its ARN in the account that owns it: the caller's for a bare
 * name, the ARN's otherwise (cross-account access names the table by ARN). The catalog says which table that is.
 */
function tableTarget(scope: AccessScope, nameOrArn: unknown): TableTarget {
  const text = typeof nameOrArn === 'string' ? nameOrArn : '';
  const ref = text.startsWith('arn:') ? parseTableArn(text) : undefined;
  const account = ref === undefined ? scope.accountId : (text.split(':')[4] ?? scope.accountId);
  const region = ref?.region ?? scope.region;
  const name = ref?.tableName ?? text;
  const table = scope.catalog.getTable({ accountId: account, region }, name);
  return {
    arn: `arn:aws:dynamodb:${region}:${account}:table/${name}`,
    account,
    region,
    name,
    ...(table !== undefined ? { table } : {}),
  };
}

function access(action: string, target: TableTarget, keys: ResourceAccess['keys'], resource = target.arn): ResourceAccess {
  return {
    action,
    resource,
    resourceAccount: target.account,
    ...(target.table !== undefined ? { policyTable: target.table } : {}),
    keys,
  };
}

/**
 * Keys every item request may carry. A read (`read` says of a table or an index) always has `dynamodb:Select`:
 * the one asked for, else what DynamoDB then returns (SPECIFIC_ATTRIBUTES with a projection, else ALL_ATTRIBUTES
 * from a table, ALL_PROJECTED_ATTRIBUTES from an index). So a read of whole items is seen as such, and the
 * documented attribute-restricting policy (`dynamodb:Attributes` with `dynamodb:Select` SPECIFIC_ATTRIBUTES)
 * refuses a GetItem that names no attributes. (That DynamoDB fills the key this way for requests without Select
 * is Cairn's reading of the Developer Guide, unconfirmed.)
 */
function commonKeys(request: JsonObject, attributes: readonly string[] | undefined, read?: 'table' | 'index'): [string, readonly string[]][] {
  const keys: [string, readonly string[]][] = [];
  if (attributes !== undefined) keys.push(['dynamodb:Attributes', attributes]);
  if (typeof request.ReturnValues === 'string') keys.push(['dynamodb:ReturnValues', [request.ReturnValues]]);
  if (typeof request.ReturnConsumedCapacity === 'string') keys.push(['dynamodb:ReturnConsumedCapacity', [request.ReturnConsumedCapacity]]);
  const select =
    typeof request.Select === 'string'
      ? request.Select
      : read === undefined
        ? undefined
        : attributes !== undefined
          ? 'SPECIFIC_ATTRIBUTES'
          : read === 'index'
            ? 'ALL_PROJECTED_ATTRIBUTES'
            : 'ALL_ATTRIBUTES';
  if (select !== undefined) keys.push(['dynamodb:Select', [select]]);
  return keys;
}

function leadingKeys(target: TableTarget, items: readonly unknown[]): [string, readonly string[]][] {
  const hash = target.table?.key.hash.name;
  return hash === undefined ? [] : leadingKeysOf(hash, items);
}

function leadingKeysOf(hash: string, items: readonly unknown[]): [string, readonly string[]][] {
  const values = new Set<string>();
  for (const entry of items) {
    const value = leadingKeyOf(entry, hash);
    if (value !== undefined) values.add(value);
  }
  return [['dynamodb:LeadingKeys', [...values]]];
}

function item(
  scope: AccessScope,
  request: JsonObject,
  action: string,
  key: unknown,
  attributes: readonly string[] | undefined,
  read = false,
): ResourceAccess {
  const target = tableTarget(scope, request.TableName);
  return access(action, target, [...leadingKeys(target, [key]), ...commonKeys(request, attributes, read ? 'table' : undefined)]);
}

function read(scope: AccessScope, operation: 'Query' | 'Scan', request: JsonObject): ResourceAccess {
  const target = tableTarget(scope, request.TableName);
  const indexName = typeof request.IndexName === 'string' ? request.IndexName : undefined;
  const resource = indexName === undefined ? target.arn : `${target.arn}/index/${indexName}`;
  const keys = commonKeys(request, projectedAttributes(request), indexName === undefined ? 'table' : 'index');
  if (operation === 'Query' && target.table !== undefined) {
    const index = indexName === undefined ? undefined : findIndex(target.table, indexName);
    const hash = indexName === undefined ? target.table.key.hash.name : index?.key.hash.name;
    const value = hash === undefined ? undefined : queryHashValue(request, hash);
    if (value !== undefined) keys.push(['dynamodb:LeadingKeys', [value]]);
  }
  return access(operation, target, keys, resource);
}

/** The partition-key value a Query's key condition fixes, if it parses. */
function queryHashValue(request: JsonObject, hash: string): string | undefined {
  try {
    const term = keyTerms(compileReadExpressions('Query', request).keyCondition, request.KeyConditions).get(hash);
    if (term === undefined || term.operator !== 'EQ') return undefined;
    return leadingKeyOf({ [hash]: term.values[0] }, hash);
  } catch {
    return undefined;
  }
}

function entriesOf(value: unknown): [string, unknown][] {
  return typeof value === 'object' && value !== null ? Object.entries(value) : [];
}

function batchGet(scope: AccessScope, request: JsonObject): ResourceAccess[] {
  return entriesOf(request.RequestItems).map(([tableName, raw]) => {
    const target = tableTarget(scope, tableName);
    const entry = (raw ?? {}) as JsonObject;
    const keys = Array.isArray(entry.Keys) ? (entry.Keys as unknown[]) : [];
    return access('BatchGetItem', target, [
      ...leadingKeys(target, keys),
      ...commonKeys(request, projectedAttributes({ ...entry }), 'table'),
    ]);
  });
}

function batchWrite(scope: AccessScope, request: JsonObject): ResourceAccess[] {
  return entriesOf(request.RequestItems).map(([tableName, raw]) => {
    const target = tableTarget(scope, tableName);
    const writes = Array.isArray(raw) ? (raw as (JsonObject | null)[]) : [];
    const touched: unknown[] = [];
    const written = new Set<string>();
    for (const write of writes) {
      const put = write?.PutRequest as JsonObject | undefined;
      const del = write?.DeleteRequest as JsonObject | undefined;
      if (put?.Item !== undefined) {
        touched.push(put.Item);
        for (const name of itemAttributes(put.Item) ?? []) written.add(name);
      }
      if (del?.Key !== undefined) touched.push(del.Key);
    }
    const keys = [...leadingKeys(target, touched), ...commonKeys(request, written.size === 0 ? undefined : [...written])];
    return access('BatchWriteItem', target, keys);
  });
}

function transactGet(scope: AccessScope, request: JsonObject): ResourceAccess[] {
  const items = Array.isArray(request.TransactItems) ? (request.TransactItems as (JsonObject | null)[]) : [];
  return items.flatMap((entry) => {
    const get = entry?.Get as JsonObject | undefined;
    if (get === undefined) return [];
    return [item(scope, { ...get, ReturnConsumedCapacity: request.ReturnConsumedCapacity }, 'GetItem', get.Key, projectedAttributes(get), true)];
  });
}

const TRANSACT_WRITE_ACTIONS: readonly [string, string][] = [
  ['Put', 'PutItem'],
  ['Update', 'UpdateItem'],
  ['Delete', 'DeleteItem'],
  ['ConditionCheck', 'ConditionCheckItem'],
];

function transactWrite(scope: AccessScope, request: JsonObject): ResourceAccess[] {
  const items = Array.isArray(request.TransactItems) ? (request.TransactItems as (JsonObject | null)[]) : [];
  const found: ResourceAccess[] = [];
  for (const entry of items) {
    for (const [member, action] of TRANSACT_WRITE_ACTIONS) {
      const part = entry?.[member] as JsonObject | undefined;
      if (part === undefined || part === null) continue;
      const withCapacity = { ...part, ReturnConsumedCapacity: request.ReturnConsumedCapacity };
      const attributes = member === 'Put' ? itemAttributes(part.Item) : member === 'Update' ? updatedAttributes(part) : undefined;
      found.push(item(scope, withCapacity, action, member === 'Put' ? part.Item : part.Key, attributes));
    }
  }
  return found;
}

const PARTIQL_ACTIONS: Readonly<Record<string, string>> = {
  Select: 'PartiQLSelect',
  Exists: 'PartiQLSelect',
  Insert: 'PartiQLInsert',
  Update: 'PartiQLUpdate',
  Delete: 'PartiQLDelete',
};

function statements(scope: AccessScope, list: unknown, request: JsonObject): ResourceAccess[] {
  if (!Array.isArray(list)) return [];
  return (list as (JsonObject | null)[]).flatMap((entry, position) => {
    const found = statement(scope, entry?.Statement, entry?.Parameters, request);
    return found === undefined ? [] : [{ ...found, statement: position }];
  });
}

/**
 * A PartiQL statement's action on its table (or the index it SELECTs from), with the leading keys its plan
 * fixes: a point read's or a write's key, a Query's partitions; none for a scan. A statement that does not plan
 * (unknown table, bad key) is checked on what its text names, without keys; the operation then refuses it. A
 * statement that does not parse, or is no statement at all (`SELECT` of an expression), names no table and asks
 * for nothing: the operation answers its syntax error, having touched nothing.
 */
function statement(scope: AccessScope, text: unknown, parameters: unknown, request: JsonObject): ResourceAccess | undefined {
  const source = typeof text === 'string' ? text : '';
  let parsed;
  try {
    parsed = parseCached(source).statement;
  } catch {
    return undefined;
  }
  const action = PARTIQL_ACTIONS[parsed.kind];
  const tableName = statementTableName(parsed);
  if (action === undefined || tableName === undefined || statementKind(parsed) === 'other') return undefined;
  const target = tableTarget(scope, tableName);
  const keys = commonKeys({ ReturnConsumedCapacity: request.ReturnConsumedCapacity }, undefined);
  try {
    const plan = planStatement(scope, source, parameters as readonly AttributeValue[] | undefined, true);
    const index = plan.kind === 'read' ? plan.index : undefined;
    const hash = (index ?? plan.table).key.hash.name;
    const fixed =
      plan.kind !== 'read' ? [plan.key] : plan.access === 'scan' ? [] : plan.partitions.map((partition) => ({ [hash]: partition.hash }));
    keys.push(...leadingKeysOf(hash, fixed));
    // PartiQL's own key: whether a SELECT reads the whole table (or index), so that policies can refuse it.
    if (plan.kind === 'read') keys.push(['dynamodb:FullTableScan', [plan.access === 'scan' ? 'true' : 'false']]);
    return access(action, target, keys, index === undefined ? target.arn : `${target.arn}/index/${index.indexName}`);
  } catch {
    return access(action, target, keys);
  }
}

/** An operation addressed by ARN: a table, one of its indexes, or one of its streams. */
function arnAccess(scope: AccessScope, action: string, arn: unknown): ResourceAccess {
  const text = typeof arn === 'string' ? arn : '';
  const parts = text.split(':');
  const account = parts.length >= 6 && parts[4] !== '' ? (parts[4] as string) : scope.accountId;
  const stream = parseStreamArn(text);
  if (stream !== undefined) {
    const table = scope.catalog.getTable({ accountId: account, region: stream.region }, stream.tableName);
    return {
      action,
      resource: text,
      resourceAccount: account,
      ...(table !== undefined ? { policyTable: table, streamLabel: stream.label } : {}),
      keys: [],
    };
  }
  const ref = parseTableArn(text.replace(/\/index\/[^/]*$/, ''));
  const table = ref === undefined ? undefined : scope.catalog.getTable(ref, ref.tableName);
  return {
    action,
    resource: text,
    resourceAccount: account,
    ...(table !== undefined ? { policyTable: table } : {}),
    keys: [],
  };
}
