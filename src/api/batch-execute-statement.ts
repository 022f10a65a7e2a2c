/**
 * BatchExecuteStatement: up to 25 PartiQL statements, all reads or all writes, each planned and run on its own
 * (src/partiql/plan.ts). The batch is not atomic: a statement that fails does not stop the others, and the answer
 * is HTTP 200 with one response per statement in request order, `{TableName, Item}` or `{TableName, Error}`.
 *
 * Top-level errors (ValidationException, nothing runs): reads mixed with writes, then two statements on one item.
 * Per-statement errors (`Error {Code, Message, Item}`, see batch-statement-error.ts): syntax, parameters, unknown
 * tables, refused constructs, a SELECT that does not fix the whole primary key of the table (the API reference:
 * "Each read statement in a BatchExecuteStatement must specify an equality condition on all key attributes"),
 * failed conditions, duplicate inserts, throttles, and (with `--auth`) a statement IAM denies: `AccessDenied` with
 * the AccessDeniedException's message.
 *
 * TableName. The API reference describes it as the table of a failed statement; emulators that recorded DynamoDB
 * (and moto) send it on success too, and on a statement error once the table is known. It is left out when the
 * statement did not parse, when the parameter count is wrong (checked before the table) and for an unknown table.
 * On errors this is unconfirmed.
 *
 * Capacity: reads count as BatchGetItem counts them (each item's read units, halved unless ConsistentRead), writes
 * as BatchWriteItem counts them (each item's write units; a write its condition refused costs the write of the item
 * it found, at least one unit, as in the single-item operations; a throttled statement costs nothing). ConsumedCapacity has
 * one entry per table, in the order tables first appear (the shape of that list is not documented; unconfirmed).
 */
import { isStrong } from '../engine/replication/strong-consistency.js';
import { throttlingError } from '../capacity/throttle.js';
import { DynamoDbError, validationError } from '../errors.js';
import { keyHash } from '../engine/secondary-index.js';
import type { TableMetadata } from '../engine/table-metadata.js';
import { writeItem, type WriteOutcome } from '../engine/write-path.js';
import { evaluateCondition } from '../expressions/evaluate-condition.js';
import type { AttributeValue, Item } from '../model/attribute-value.js';
import { itemSize } from '../model/item-size.js';
import { encodeItemKey } from '../model/key-encoding.js';
import { noteWrite } from '../observe/request-notes.js';
import type { Statement } from '../partiql/ast.js';
import { parseCached, planStatement, type ReadPlan, type StatementPlan, type WritePlan } from '../partiql/plan.js';
import { statementKind, statementTableName, type StatementKind } from '../partiql/statement-kind.js';
import { PARAMETER_COUNT } from '../partiql/translate.js';
import { writeCapacity, type CapacityParts } from '../engine/consumed-capacity.js';
import { sumCapacity } from './batch-write-item.js';
import { batchStatementError, type BatchStatementError } from './batch-statement-error.js';
import { consumedCapacity, response } from './item-common.js';
import { checkDistinctItems } from './transaction-commit.js';
import { chargedRead } from './point-read.js';
import type { JsonObject, OperationHandler, RequestContext } from './operation.js';

/** DynamoDB's answer to a batch of reads and writes (recorded from DynamoDB by an emulator's conformance suite). */
export const MIXED_BATCH = 'Read and write requests together in the same batch is not supported.';
/**
 * Two statements on one item: BatchWriteItem's text, which an emulator records from DynamoDB for this operation;
 * unconfirmed.
 */
export const DUPLICATE_KEYS = 'Provided list of item keys contains duplicates';
/**
 * A SELECT that is not a single-item read of the table: the text moto and three emulators use (DynamoDB Local
 * says `Only single item select is supported`); unconfirmed.
 */
export const BATCH_SELECT_KEY = 'Select statements within BatchExecuteStatement must specify the primary key in the where clause.';

interface StatementResponse {
  readonly TableName?: string;
  readonly Item?: Item;
  readonly Error?: BatchStatementError;
}

/** A statement once planned: its plan, or the response its failure gives. */
type Planned<P> = { readonly plan: P; readonly member: JsonObject } | { readonly failed: StatementResponse };

export const batchExecuteStatement: OperationHandler = async (context, request) => {
  const members = request.Statements as readonly JsonObject[];
  const parsed = members.map((member) => parsedStatement(member.Statement as string));
  checkOneKind(parsed.map((statement) => (statement === undefined ? 'other' : statementKind(statement))));

  const planned = members.map((member, position) => planMember(context, member, parsed[position], position));
  checkDistinctStatements(planned);

  const reads = planned.every((entry) => 'failed' in entry || entry.plan.kind === 'read');
  return reads
    ? runReads(context, request, planned as Planned<ReadPlan>[])
    : runWrites(context, request, planned as Planned<WritePlan>[]);
};

function parsedStatement(text: string): Statement | undefined {
  try {
    return parseCached(text).statement;
  } catch (error) {
    if (error instanceof DynamoDbError) return undefined;
    throw error;
  }
}

/** All reads or all writes; a statement that is neither (it will fail on its own) does not count. */
function checkOneKind(kinds: readonly StatementKind[]): void {
  if (kinds.includes('read') && kinds.includes('write')) throw validationError(MIXED_BATCH);
}

function planMember(context: RequestContext, member: JsonObject, statement: Statement | undefined, position: number): Planned<StatementPlan> {
  const text = member.Statement as string;
  const denied = context.deniedStatements?.get(position);
  if (denied !== undefined) {
    const tableName = statement === undefined ? undefined : knownTable(context, statement, denied);
    return { failed: { ...(tableName !== undefined ? { TableName: tableName } : {}), Error: batchStatementError(denied) } };
  }
  try {
    const plan = planStatement(
      { accountId: context.accountId, region: context.region, catalog: context.engine.catalog },
      text,
      member.Parameters as readonly AttributeValue[] | undefined,
    );
    if (plan.kind === 'read' && (plan.access !== 'point' || plan.index !== undefined)) {
      return { failed: { TableName: plan.table.tableName, Error: { Code: 'ValidationError', Message: BATCH_SELECT_KEY } } };
    }
    return { plan, member };
  } catch (error) {
    const failure = batchStatementError(error);
    const tableName = statement === undefined ? undefined : knownTable(context, statement, error);
    return { failed: { ...(tableName !== undefined ? { TableName: tableName } : {}), Error: failure } };
  }
}

/** The table a failed statement names, when the failure came after the table was found. */
function knownTable(context: RequestContext, statement: Statement, error: unknown): string | undefined {
  if (error instanceof DynamoDbError && (error.type === 'ResourceNotFoundException' || error.message === PARAMETER_COUNT)) return undefined;
  // EXISTS is refused for what it is, before its table is looked at.
  if (statement.kind === 'Exists') return undefined;
  const name = statementTableName(statement);
  if (name === undefined) return undefined;
  return context.engine.catalog.getTable(context, name)?.tableName;
}

/** Two statements on one item: the whole batch is refused. */
function checkDistinctStatements(planned: readonly Planned<StatementPlan>[]): void {
  const items = planned.flatMap((entry) =>
    'failed' in entry ? [] : [{ table: entry.plan.table, storageKey: entry.plan.kind === 'read' ? pointKey(entry.plan) : entry.plan.storageKey }],
  );
  checkDistinctItems(items, DUPLICATE_KEYS);
}

/** Units by table, in the order tables first appear. */
class TableCapacity {
  private readonly byTable = new Map<string, { table: TableMetadata; parts: CapacityParts[] }>();

  see(table: TableMetadata): void {
    if (!this.byTable.has(table.tableName)) this.byTable.set(table.tableName, { table, parts: [] });
  }

  add(table: TableMetadata, parts: CapacityParts): void {
    this.see(table);
    this.byTable.get(table.tableName)?.parts.push(parts);
  }

  report(mode: unknown): JsonObject[] | undefined {
    const entries: JsonObject[] = [];
    for (const { table, parts } of this.byTable.values()) {
      const consumed = consumedCapacity(mode, table, () => sumCapacity(parts));
      if (consumed !== undefined) entries.push(consumed);
    }
    return entries.length > 0 ? entries : undefined;
  }
}

async function runReads(context: RequestContext, request: JsonObject, planned: readonly Planned<ReadPlan>[]): Promise<JsonObject> {
  const capacity = context.engine.capacity;
  const units = new TableCapacity();
  const responses: StatementResponse[] = [];
  for (const entry of planned) {
    if ('failed' in entry) {
      responses.push(entry.failed);
      continue;
    }
    const { plan, member } = entry;
    const { table } = plan;
    units.see(table);
    const storageKey = pointKey(plan);
    const hash = keyHash(storageKey);
    if (capacity.counting) {
      const throttle = capacity.itemReadThrottle(table, hash, member.ConsistentRead === true);
      if (throttle !== undefined) {
        // A throttled statement is not read and costs nothing.
        responses.push({ TableName: table.tableName, Error: batchStatementError(throttlingError(throttle)) });
        continue;
      }
    }
    // Charged on the whole item read, whatever the WHERE and the projection keep; a missing item costs the
    // smallest read, as in BatchGetItem.
    if (member.ConsistentRead === true && isStrong(table)) await context.engine.strongWrites.catchUpForRead(table);
    const { item, units: itemUnits } = await chargedRead(context, table, storageKey, hash, member.ConsistentRead === true, plan.key as Item);
    units.add(table, { table: itemUnits });
    // The WHERE holds more than the key when it names other attributes: an item it rejects is not returned.
    const kept = item !== undefined && (plan.filter === undefined || evaluateCondition(plan.filter, item)) ? item : undefined;
    const out = kept === undefined || plan.projection === undefined ? kept : plan.projection(kept);
    responses.push(out === undefined ? { TableName: table.tableName } : { TableName: table.tableName, Item: out });
  }
  return response({ Responses: responses, ConsumedCapacity: units.report(request.ReturnConsumedCapacity) });
}

/** The storage key of a point read's item. */
function pointKey(plan: ReadPlan): Uint8Array {
  return encodeItemKey(plan.table.key, plan.key as Item);
}

async function runWrites(context: RequestContext, request: JsonObject, planned: readonly Planned<WritePlan>[]): Promise<JsonObject> {
  // A write its condition refused is charged the size of the item it found, as the write path charges it; the
  // decision notes that size so that the batch reports what it consumed.
  const refusedSizes = new Map<Planned<WritePlan>, number>();
  // Statements touch distinct items, so they may run side by side; each is its own commit.
  const settled = await Promise.allSettled(
    planned.map(async (entry) => {
      if ('failed' in entry) return undefined;
      const write = entry.plan.itemWrite(entry.member.ReturnValuesOnConditionCheckFailure as string | undefined);
      const decide = write.write.decide;
      const outcome = await writeItem(context.engine, {
        ...write.write,
        decide: (current, latest) => {
          try {
            return decide(current, latest);
          } catch (error) {
            if (error instanceof DynamoDbError && error.type === 'ConditionalCheckFailedException') {
              refusedSizes.set(entry, current === undefined ? 0 : itemSize(current));
            }
            throw error;
          }
        },
      });
      return { outcome, returned: write.returned(outcome) };
    }),
  );
  const units = new TableCapacity();
  const responses: StatementResponse[] = settled.map((result, position) => {
    const entry = planned[position] as Planned<WritePlan>;
    if ('failed' in entry) return entry.failed;
    const { table, key } = entry.plan;
    units.see(table);
    if (result.status === 'rejected') {
      const refused = refusedSizes.get(entry);
      if (refused !== undefined) units.add(table, writeCapacity(refused, refused, [], false));
      return { TableName: table.tableName, Error: batchStatementError(result.reason) };
    }
    const { outcome, returned } = result.value as { outcome: WriteOutcome; returned: Item | undefined };
    units.add(table, outcome.capacity);
    noteWrite(context.notes, outcome, key);
    // RETURNING in a batch: DynamoDB Local's batch runs the same translators, so the returned item is given as
    // the statement's Item; unconfirmed against the service.
    return returned === undefined ? { TableName: table.tableName } : { TableName: table.tableName, Item: returned };
  });
  return response({ Responses: responses, ConsumedCapacity: units.report(request.ReturnConsumedCapacity) });
}
