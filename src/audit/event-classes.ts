/**
 * How CloudTrail classifies DynamoDB's operations, which the audit log follows:
 *  - data events (`eventCategory` Data, `managementEvent` false), logged only when asked for
 *    (`--audit-data-events`), as a trail logs them only when its event selectors name them: the item operations,
 *    batches, transactions and PartiQL on tables (resource type `AWS::DynamoDB::Table`), and reading a stream's
 *    records, GetShardIterator and GetRecords (`AWS::DynamoDB::Stream`);
 *  - management events (Management, true), always logged: everything else, the table, TTL, tag and backup
 *    operations, and the Streams API's ListStreams and DescribeStream.
 * `readOnly` is true for what changes nothing: the Get, Describe and List operations, Query, Scan, the batch and
 * transactional reads, and PartiQL requests whose statements are all SELECTs.
 */
import { parseStatement } from '../partiql/parser.js';
import type { JsonObject } from '../api/operation.js';

const DATA_EVENTS: ReadonlySet<string> = new Set([
  'GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan', 'BatchGetItem', 'BatchWriteItem',
  'TransactGetItems', 'TransactWriteItems', 'ExecuteStatement', 'BatchExecuteStatement', 'ExecuteTransaction',
  'DynamoDBStreams.GetShardIterator', 'DynamoDBStreams.GetRecords',
]);

const READ_ONLY_DATA_EVENTS: ReadonlySet<string> = new Set([
  'GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems', 'DynamoDBStreams.GetShardIterator', 'DynamoDBStreams.GetRecords',
]);

const STREAMS_PREFIX = 'DynamoDBStreams.';

export function isDataEvent(operation: string): boolean {
  return DATA_EVENTS.has(operation);
}

/** The event's name as CloudTrail writes it: the operation without the Streams API's prefix (`GetRecords`). */
export function eventName(operation: string): string {
  return operation.startsWith(STREAMS_PREFIX) ? operation.slice(STREAMS_PREFIX.length) : operation;
}

export function isReadOnly(operation: string, request: JsonObject | undefined): boolean {
  if (READ_ONLY_DATA_EVENTS.has(operation)) return true;
  switch (operation) {
    case 'ExecuteStatement':
      return isSelect(request?.Statement);
    case 'BatchExecuteStatement':
      return allSelects(request?.Statements);
    case 'ExecuteTransaction':
      return allSelects(request?.TransactStatements);
  }
  if (DATA_EVENTS.has(operation)) return false;
  const name = eventName(operation);
  return name.startsWith('Describe') || name.startsWith('List') || name.startsWith('Get');
}

function allSelects(statements: unknown): boolean {
  if (!Array.isArray(statements) || statements.length === 0) return false;
  return statements.every((entry: unknown) => typeof entry === 'object' && entry !== null && isSelect((entry as JsonObject).Statement));
}

/** A statement that does not parse changed nothing either, but is not called read-only: it was not a read. */
function isSelect(statement: unknown): boolean {
  if (typeof statement !== 'string') return false;
  try {
    return parseStatement(statement).statement.kind === 'Select';
  } catch {
    return false;
  }
}
