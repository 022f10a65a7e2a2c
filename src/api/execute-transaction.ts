/**
 * ExecuteTransaction: up to 100 PartiQL statements as one transaction, through the machinery of the expression
 * API's transactions: writes (INSERT, UPDATE, DELETE, and EXISTS as a condition check) in one atomic commit as
 * TransactWriteItems makes it (transaction-commit.ts: ClientRequestToken, cancellation reasons, transactional
 * capacity), reads (SELECT) from one snapshot as TransactGetItems reads (transaction-read.ts).
 *
 * Checks, in DynamoDB Local's order (its front end is the source of these messages; unconfirmed against the
 * service where noted):
 * - statement by statement, the parse (a syntax error is the request's error) and the kind: the first statement
 *   decides between reads and writes, and the first that differs is refused (EXISTS goes with writes);
 * - statement by statement, the plan: an unknown table is ResourceNotFoundException, other refusals are the
 *   request's ValidationException, and what only a transaction refuses is wrapped as
 *   `Validation failed in TransactStatements[<i>]: <reason>` (0-based);
 * - a key that does not fit its table (a missing key attribute, a key of the wrong type) cancels the transaction
 *   with a ValidationError reason in its position, as DynamoDB Local does;
 * - two statements on one item are refused (TransactWriteItems' text; unconfirmed for PartiQL).
 *
 * A write transaction answers without `Responses` (the developer guide: "This statement doesn't return any values
 * for Write operations"; whether the member is absent or empty is unconfirmed). A read transaction answers one
 * `{Item}` per statement, `{}` for an absent item or one the WHERE's other predicates reject.
 */
import { isStrong, strongTransactionRefused } from '../engine/replication/strong-consistency.js';
import { conditionalCheckFailed, DynamoDbError, validationError } from '../errors.js';
import type { TableMetadata } from '../engine/table-metadata.js';
import { evaluateCondition } from '../expressions/evaluate-condition.js';
import type { AttributeValue, Item } from '../model/attribute-value.js';
import type { Statement } from '../partiql/ast.js';
import { parseCached, planStatement, type ExistsPlan, type ReadPlan, type StatementPlan, type WritePlan } from '../partiql/plan.js';
import { statementKind, statementTableName } from '../partiql/statement-kind.js';
import { encodeItemKey } from '../model/key-encoding.js';
import type { JsonObject, OperationHandler, RequestContext } from './operation.js';
import { checkDistinctItems, checkTransactionSize, commitTransaction, type TransactionWrite } from './transaction-commit.js';
import { readTransaction, type TransactionRead } from './transaction-read.js';

/** DynamoDB Local's text, also recorded from it for a transaction that mixes the two. */
export const MIXED_TRANSACTION = 'ExecuteTransaction API does not support both read and write operations in the same request.';
export const TRANSACTION_SELECT_KEY = 'Select statements within ExecuteTransaction must specify the primary key in the where clause.';
export const TRANSACTION_INDEX_READ = 'Reads on indices are not supported within transactions.';
export const TRANSACTION_RETURNING = 'RETURNING clause is not supported in ExecuteTransaction.';

/** Planning's refusals that only a transaction makes: wrapped with the statement's position like the others here. */
const TRANSACTION_REFUSALS: ReadonlySet<string> = new Set([
  'EXISTS() must contain a single item read with additional condition',
  'Operations on indices are not supported in transactions',
]);

/** The key errors of planning that cancel the transaction rather than refuse the request. */
const KEY_MISFIT = /^Key attribute(?: should be present in the item|'s data type should match its data type in table's schema): Key /;

type Planned = { readonly plan: StatementPlan; readonly member: JsonObject } | { readonly table: TableMetadata; readonly failure: DynamoDbError };

export const executeTransaction: OperationHandler = async (context, request) => {
  const members = request.TransactStatements as readonly JsonObject[];
  let writes: boolean | undefined;
  const statements = members.map((member) => {
    const { statement } = parseCached(member.Statement as string);
    const kind = statementKind(statement);
    if (kind === 'read' || kind === 'write' || kind === 'exists') {
      const isWrite = kind !== 'read';
      writes ??= isWrite;
      if (writes !== isWrite) throw validationError(MIXED_TRANSACTION);
    }
    return statement;
  });

  const planned = members.map((member, position) => planMember(context, member, statements[position] as Statement, position));
  for (const entry of planned) {
    const table = 'plan' in entry ? entry.plan.table : entry.table;
    if (isStrong(table)) throw strongTransactionRefused(table);
  }
  if (writes === false) return readStatements(context, request, planned);

  const transactionWrites = planned.map((entry): TransactionWrite => {
    if ('failure' in entry) return { table: entry.table, failure: entry.failure, decide: (current) => current, changesItem: true };
    return entry.plan.kind === 'exists' ? existsWrite(entry.plan, entry.member) : planWrite(entry.plan as WritePlan, entry.member);
  });
  checkDistinctItems(transactionWrites);
  checkTransactionSize(planned.map((entry) => ('plan' in entry && entry.plan.kind === 'write' ? (entry.plan.itemSize ?? 0) : 0)));
  const token = typeof request.ClientRequestToken === 'string' ? request.ClientRequestToken : undefined;
  return commitTransaction(context, transactionWrites, { request, ...(token !== undefined ? { token } : {}) });
};

function planMember(context: RequestContext, member: JsonObject, statement: Statement, position: number): Planned {
  const refuse = (reason: string): DynamoDbError => validationError(`Validation failed in TransactStatements[${position}]: ${reason}`);
  let plan: StatementPlan;
  try {
    plan = planStatement(
      { accountId: context.accountId, region: context.region, catalog: context.engine.catalog },
      member.Statement as string,
      member.Parameters as readonly AttributeValue[] | undefined,
      true,
    );
  } catch (error) {
    if (error instanceof DynamoDbError && KEY_MISFIT.test(error.message)) {
      const table = tableOf(context, statement);
      if (table !== undefined) return { table, failure: error };
    }
    if (error instanceof DynamoDbError && TRANSACTION_REFUSALS.has(error.message)) throw refuse(error.message);
    throw error;
  }
  if (plan.kind === 'read') {
    if (plan.index !== undefined) throw refuse(TRANSACTION_INDEX_READ);
    if (plan.access !== 'point') throw refuse(TRANSACTION_SELECT_KEY);
  }
  if (plan.kind === 'write' && plan.returning !== undefined) throw refuse(TRANSACTION_RETURNING);
  return { plan, member };
}

/** The table a statement writes (for a key error found while planning it). */
function tableOf(context: RequestContext, statement: Statement): TableMetadata | undefined {
  const name = statementTableName(statement);
  return name === undefined ? undefined : context.engine.catalog.getTable(context, name);
}

function planWrite(plan: WritePlan, member: JsonObject): TransactionWrite {
  const { write } = plan.itemWrite(member.ReturnValuesOnConditionCheckFailure as string | undefined);
  return { table: plan.table, storageKey: plan.storageKey, key: plan.key, decide: write.decide, changesItem: true };
}

/** EXISTS is TransactWriteItems' ConditionCheck: the item must exist and satisfy the WHERE. */
function existsWrite(plan: ExistsPlan, member: JsonObject): TransactionWrite {
  const returnOnFailure = member.ReturnValuesOnConditionCheckFailure;
  return {
    table: plan.table,
    storageKey: plan.storageKey,
    key: plan.key,
    decide: (current) => {
      if (!plan.holds(current)) throw conditionalCheckFailed(returnOnFailure === 'ALL_OLD' ? current : undefined);
      return current;
    },
    changesItem: false,
  };
}

function readStatements(context: RequestContext, request: JsonObject, planned: readonly Planned[]): Promise<JsonObject> {
  const reads = planned.map((entry): TransactionRead => {
    if ('failure' in entry) return { table: entry.table, failure: entry.failure };
    const plan = entry.plan as ReadPlan;
    const { filter, projection } = plan;
    return {
      table: plan.table,
      storageKey: encodeItemKey(plan.table.key, plan.key as Item),
      // The WHERE may hold more than the key: an item it rejects is answered `{}`, as an absent one.
      project: (item) => {
        if (filter !== undefined && !evaluateCondition(filter, item)) return {};
        return projection === undefined ? item : projection(item);
      },
    };
  });
  return readTransaction(context, reads, request.ReturnConsumedCapacity);
}
