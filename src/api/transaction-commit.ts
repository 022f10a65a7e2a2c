/**
 * The commit shared by the write transactions (TransactWriteItems, and ExecuteTransaction's PartiQL writes): the
 * planned writes applied in one atomic storage commit with transactional capacity, the ClientRequestToken record
 * written in the same commit (and a replay answered from it), the cancellation of a transaction whose writes
 * cannot all run, and the response's ConsumedCapacity and ItemCollectionMetrics.
 *
 * What is shared is everything after each operation has turned its actions into writes: how an action becomes a
 * decision (an expression-API action, a PartiQL statement) is the operation's own business.
 */
import { validationError, type DynamoDbError } from '../errors.js';
import {
  TOKEN_SPACE,
  idempotentParameterMismatch,
  isLiveRecord,
  requestDigest,
  tokenKey,
  tokenScope,
  tokenWrites,
  type TokenRecord,
} from '../engine/idempotency-tokens.js';
import { keyHash } from '../engine/secondary-index.js';
import type { TableMetadata } from '../engine/table-metadata.js';
import { commitWithPlan, itemSpace, type ItemDecision, type ItemWrite, type WriteOutcome } from '../engine/write-path.js';
import type { Item } from '../model/attribute-value.js';
import { readUnits } from '../model/item-size.js';
import { noteWrite } from '../observe/request-notes.js';
import { itemCollectionMetrics, response } from './item-common.js';
import type { JsonObject, RequestContext } from './operation.js';
import { cancellation, NO_REASON, reasonFor, transactionCanceled, type CancellationReason } from './transaction-errors.js';
import { transactionCapacity, type TableUnits } from './transaction-capacity.js';

/** One planned write of a transaction, in request order. */
export interface TransactionWrite {
  readonly table: TableMetadata;
  /** Undefined when the key cannot be used (its reason is in `failure`). */
  readonly storageKey?: Uint8Array;
  readonly key?: Item;
  /** A reason known before running (a key or index key of the wrong type): the transaction is cancelled. */
  readonly failure?: DynamoDbError;
  /** What the write does to its item; throws its cancellation reason. Unused when `failure` is set. */
  readonly decide: ItemDecision;
  /** False for a condition check, which writes nothing and so has no item collection to report. */
  readonly changesItem: boolean;
}

export interface TransactionCommitOptions {
  /** The request, for the token's digest and its Return* members. */
  readonly request: JsonObject;
  readonly token?: string;
}

/**
 * Two actions on one item (same table, same key) are refused, whatever they are, with `message` (a transaction's
 * by default; BatchExecuteStatement words it its own way).
 */
export function checkDistinctItems(
  writes: readonly { readonly table: TableMetadata; readonly storageKey?: Uint8Array }[],
  message = 'Transaction request cannot include multiple operations on one item',
): void {
  const seen = new Set<string>();
  for (const write of writes) {
    if (write.storageKey === undefined) continue;
    const id = `${write.table.tableId}/${Buffer.from(write.storageKey).toString('base64')}`;
    if (seen.has(id)) throw validationError(message);
    seen.add(id);
  }
}

/**
 * Applies the writes as one transaction, or throws TransactionCanceledException with one reason per write. With a
 * token, a live record of the same request answers without writing; of another request, the mismatch error.
 */
export async function commitTransaction(
  context: RequestContext,
  writes: readonly TransactionWrite[],
  { request, token }: TransactionCommitOptions,
): Promise<JsonObject> {
  if (writes.some((write) => write.failure !== undefined)) throw await cancellationOf(context, writes);

  const items: ItemWrite[] = writes.map((write) => ({
    table: write.table,
    storageKey: write.storageKey as Uint8Array,
    decide: write.decide,
  }));
  const digest = token === undefined ? undefined : requestDigest(request);
  const now = Date.now();
  const result = await commitWithPlan(context.engine, items, {
    failures: (errors) => cancellation(errors),
    transactional: true,
    ...(token !== undefined
      ? {
          extra: {
            reads: [{ space: TOKEN_SPACE, key: tokenKey(tokenScope(context), token) }],
            before: ([record]) => {
              if (!isLiveRecord(record, now)) return undefined;
              if (record.digest !== digest) throw idempotentParameterMismatch();
              return { answer: record };
            },
            after: (_values, outcomes) =>
              tokenWrites(tokenScope(context), token, tokenRecord(digest as string, now, writes, outcomes, request)),
          },
        }
      : {}),
  });

  if (result.answer !== undefined) {
    const record = result.answer as TokenRecord;
    const replayed = replayUnits(writes, record);
    // A replay reads instead of writing, and is charged the reads it reports, each table's in the partition of
    // its first action (the record keeps the units by table only).
    for (const { table, units } of replayed) {
      const first = writes.find((write) => write.table.tableId === table.tableId) as TransactionWrite;
      context.engine.capacity.chargeRead(table, keyHash(first.storageKey as Uint8Array), units);
    }
    return response({
      ConsumedCapacity: transactionCapacity(request.ReturnConsumedCapacity, replayed, 'Read'),
      ...record.answer,
    });
  }
  if (context.notes !== undefined) {
    result.outcomes.forEach((outcome, position) => noteWrite(context.notes, outcome, (writes[position] as TransactionWrite).key as Item));
  }
  return response({
    ConsumedCapacity: transactionCapacity(request.ReturnConsumedCapacity, writeUnitsByTable(writes, result.outcomes), 'Write'),
    ItemCollectionMetrics: collectionMetrics(request.ReturnItemCollectionMetrics, writes, result.outcomes),
  });
}

/**
 * The cancellation of a transaction with writes that cannot run (their keys): the other writes are still
 * evaluated against the stored items, in one consistent read, so that every reason is reported.
 */
async function cancellationOf(context: RequestContext, writes: readonly TransactionWrite[]): Promise<DynamoDbError> {
  const runnable = writes.filter((write) => write.failure === undefined);
  const reads = runnable.map((write) => ({ space: itemSpace(write.table), key: write.storageKey as Uint8Array }));
  const reasons = await context.engine.storage.atomic(reads, (values) => {
    const byWrite = new Map<TransactionWrite, CancellationReason>();
    runnable.forEach((write, position) => {
      try {
        write.decide(values[position] as Item | undefined, write.table);
        byWrite.set(write, NO_REASON);
      } catch (error) {
        byWrite.set(write, reasonFor(error));
      }
    });
    return {
      writes: [],
      result: writes.map((write) => (write.failure !== undefined ? reasonFor(write.failure) : (byWrite.get(write) ?? NO_REASON))),
    };
  });
  return transactionCanceled(reasons);
}

/**
 * Write units per table: each action costs twice what the single-item operation costs (a ConditionCheck as a
 * write of the checked item); index writes are not doubled.
 */
function writeUnitsByTable(writes: readonly TransactionWrite[], outcomes: readonly WriteOutcome[]): TableUnits[] {
  const byTable = new Map<string, TableUnits>();
  writes.forEach((write, position) => {
    const outcome = outcomes[position] as WriteOutcome;
    // The write path doubled the table's units (a ConditionCheck counts as a write of the checked item).
    const parts = outcome.capacity;
    let units = byTable.get(write.table.tableName);
    if (units === undefined) byTable.set(write.table.tableName, (units = { table: write.table, units: 0, indexes: new Map() }));
    units.units += parts.table;
    for (const { index, units: indexUnits } of parts.indexes ?? []) {
      const known = units.indexes.get(index.indexName);
      units.indexes.set(index.indexName, { index, units: (known?.units ?? 0) + indexUnits });
    }
  });
  return [...byTable.values()];
}

/** A replay reads instead of writing: 2 read units per 4 KB of each action's item, per table. */
function replayUnits(writes: readonly TransactionWrite[], record: TokenRecord): TableUnits[] {
  const byTable = new Map<string, TableUnits>();
  for (const write of writes) {
    if (byTable.has(write.table.tableName)) continue;
    byTable.set(write.table.tableName, {
      table: write.table,
      units: record.replayReadUnits[write.table.tableName] ?? 0,
      indexes: new Map(),
    });
  }
  return [...byTable.values()];
}

function tokenRecord(
  digest: string,
  now: number,
  writes: readonly TransactionWrite[],
  outcomes: readonly WriteOutcome[],
  request: JsonObject,
): TokenRecord {
  const replayReadUnits: Record<string, number> = {};
  writes.forEach((write, position) => {
    const outcome = outcomes[position] as WriteOutcome;
    const name = write.table.tableName;
    replayReadUnits[name] = (replayReadUnits[name] ?? 0) + 2 * readUnits(Math.max(outcome.oldSize, outcome.newSize), true);
  });
  const metrics = collectionMetrics(request.ReturnItemCollectionMetrics, writes, outcomes);
  return { digest, committedAt: now, answer: metrics === undefined ? {} : { ItemCollectionMetrics: metrics }, replayReadUnits };
}

/** ItemCollectionMetrics by table, for the actions on tables with local secondary indexes (SIZE only). */
function collectionMetrics(
  mode: unknown,
  writes: readonly TransactionWrite[],
  outcomes: readonly WriteOutcome[],
): Record<string, JsonObject[]> | undefined {
  const metrics: Record<string, JsonObject[]> = {};
  writes.forEach((write, position) => {
    if (!write.changesItem) return;
    const entry = itemCollectionMetrics(mode, outcomes[position] as WriteOutcome, write.key as Item);
    if (entry !== undefined) (metrics[write.table.tableName] ??= []).push(entry);
  });
  return Object.keys(metrics).length > 0 ? metrics : undefined;
}

/** DynamoDB's limit on the items a transaction writes: 4 MB in all. */
const MAX_TRANSACTION_BYTES = 4 * 1024 * 1024;

/** Refuses a transaction whose written items (the sizes of its puts and inserts) exceed 4 MB together. */
export function checkTransactionSize(itemSizes: readonly number[]): void {
  let total = 0;
  for (const size of itemSizes) total += size;
  if (total > MAX_TRANSACTION_BYTES) {
    // DynamoDB's text for this limit is not documented (the API reference and the knowledge-center article on failing
    // TransactWriteItems only state the 4 MB limit, and no public conformance suite records the text); this one
    // names the limit. Unconfirmed.
    throw validationError('Transaction request size exceeds the maximum allowed size of 4 MB');
  }
}
