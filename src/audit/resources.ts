/**
 * An event's `resources`: the tables and streams a request named, each `{accountId, type, ARN}` as CloudTrail
 * lists them (`AWS::DynamoDB::Table` / `AWS::DynamoDB::Stream`). A batch or a transaction names each table once;
 * a PartiQL request names the tables of its statements; GetRecords names the stream its iterator reads.
 */
import type { JsonObject } from '../api/operation.js';
import { tableArn } from '../engine/catalog.js';
import { parseStatement } from '../partiql/parser.js';
import { statementTableName } from '../partiql/statement-kind.js';

export interface EventResource {
  readonly accountId: string;
  readonly type: 'AWS::DynamoDB::Table' | 'AWS::DynamoDB::Stream';
  readonly ARN: string;
}

/** The separator of a shard iterator (src/api/streams/shard-iterator.ts): the stream's ARN comes before it. */
const ITERATOR_SEPARATOR = '|1|';
const TRANSACT_ACTIONS = ['Get', 'Put', 'Update', 'Delete', 'ConditionCheck'] as const;

export function eventResources(request: JsonObject | undefined, region: string, accountId: string): EventResource[] {
  if (request === undefined) return [];
  const tables = new Set<string>();
  const streams = new Set<string>();
  const addTable = (name: unknown): void => {
    if (typeof name === 'string' && name !== '') tables.add(name);
  };
  addTable(request.TableName);
  if (isObject(request.RequestItems)) for (const name of Object.keys(request.RequestItems)) addTable(name);
  if (Array.isArray(request.TransactItems)) {
    for (const entry of request.TransactItems) {
      if (!isObject(entry)) continue;
      for (const action of TRANSACT_ACTIONS) {
        const body = entry[action];
        if (isObject(body)) addTable(body.TableName);
      }
    }
  }
  addTable(statementTable(request.Statement));
  for (const list of [request.Statements, request.TransactStatements]) {
    if (!Array.isArray(list)) continue;
    for (const entry of list) if (isObject(entry)) addTable(statementTable(entry.Statement));
  }
  const resourceArn = request.ResourceArn;
  if (typeof resourceArn === 'string' && resourceArn !== '') {
    if (resourceArn.includes('/stream/')) streams.add(resourceArn);
    else tables.add(resourceArn);
  }
  if (typeof request.StreamArn === 'string' && request.StreamArn !== '') streams.add(request.StreamArn);
  if (typeof request.ShardIterator === 'string') {
    const at = request.ShardIterator.lastIndexOf(ITERATOR_SEPARATOR);
    if (at > 0) streams.add(request.ShardIterator.slice(0, at));
  }
  const resources: EventResource[] = [];
  // A TableName may be the table's ARN, as DynamoDB accepts it.
  for (const table of tables) {
    resources.push({ accountId, type: 'AWS::DynamoDB::Table', ARN: table.startsWith('arn:') ? table : tableArn(region, accountId, table) });
  }
  for (const stream of streams) resources.push({ accountId, type: 'AWS::DynamoDB::Stream', ARN: stream });
  return resources;
}

function statementTable(statement: unknown): string | undefined {
  if (typeof statement !== 'string') return undefined;
  try {
    return statementTableName(parseStatement(statement).statement);
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
