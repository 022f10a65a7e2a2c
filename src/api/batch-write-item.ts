/**
 * BatchWriteItem: up to 25 puts and deletes across tables. Request validation has checked each request's values
 * and each put's size. Here, table by table in request order: the table exists, then each request's key matches
 * the table's schema and names an item no other request of the batch names. Every request is checked before the
 * first write, so an invalid batch writes nothing.
 *
 * The writes are not a transaction, as in DynamoDB: each put or delete is atomic on its own and goes through the
 * write path (statistics included). They are committed together where they can be (writeBatch): a write refused
 * is set aside and the others committed without it, so no write's fate depends on another's. A write that was
 * throttled (the write path admits each item in its partition, and its GSIs' partitions) or failed in storage is
 * returned in UnprocessedItems, for the client to retry, as DynamoDB does with writes it could not process ("If
 * any requested operations fail because the table's provisioned throughput is exceeded or an internal processing
 * failure occurs, the failed operations are returned in the UnprocessedItems response parameter"); a throttled
 * write writes nothing and costs nothing, so ConsumedCapacity counts only what was written. When nothing at all
 * could be written, the error is the answer: for throttles, the one wholeBatchThrottle chooses. Any other error
 * (one a write's own checks raise against the table as the commit sees it) fails the request as it would fail a
 * PutItem.
 */
import { DynamoDbError, validationError } from '../errors.js';
import type { CapacityParts } from '../engine/consumed-capacity.js';
import { throttleOf, throttlingError, wholeBatchThrottle, type Throttle } from '../capacity/throttle.js';
import type { Item } from '../model/attribute-value.js';
import { extractKey, KEY_SCHEMA_MISMATCH_MESSAGE } from '../model/key-validation.js';
import { encodeItemKey } from '../model/key-encoding.js';
import { checkIndexKeys } from '../engine/index-key-validation.js';
import type { IndexMetadata, TableKey, TableMetadata } from '../engine/table-metadata.js';
import { isCoordinated, writeItem, writeItems, type ItemWrite, type WriteContext, type WriteOutcome } from '../engine/write-path.js';
import {
  consumedCapacity,
  itemCollectionMetrics,
  requireTable,
  response,
} from './item-common.js';
import type { JsonObject, OperationHandler } from './operation.js';
import { noteWrite } from '../observe/request-notes.js';

const DUPLICATE_KEYS_MESSAGE = 'Provided list of item keys contains duplicates';

interface PlannedWrite {
  /** The RequestItems key, for UnprocessedItems. */
  readonly requestName: string;
  /** The WriteRequest as sent, returned as is when it could not be processed. */
  readonly request: JsonObject;
  readonly table: TableMetadata;
  readonly storageKey: Uint8Array;
  /** The item to put, or undefined for a delete. */
  readonly item: Item | undefined;
  /** The item's key attributes. */
  readonly key: Item;
}

export const batchWriteItem: OperationHandler = async (context, request) => {
  const requestItems = request.RequestItems as Readonly<Record<string, readonly JsonObject[]>>;
  const planned: PlannedWrite[] = [];
  const tables: { readonly requestName: string; readonly table: TableMetadata }[] = [];
  for (const requestName in requestItems) {
    const table = requireTable(context, requestName);
    tables.push({ requestName, table });
    // Keys as storage bytes, one string per byte: numbers are normalised, so `1` and `1.0` are the same key.
    const seen = new Set<string>();
    for (const writeRequest of requestItems[requestName] as readonly JsonObject[]) {
      const put = writeRequest.PutRequest as { Item: Item } | undefined | null;
      const item = put?.Item;
      const key =
        item !== undefined
          ? putKey(table.key, item)
          : extractKey(table.key, (writeRequest.DeleteRequest as { Key: Item }).Key, 'key');
      if (item !== undefined) checkIndexKeys(table, item, 'item');
      const storageKey = encodeItemKey(table.key, key);
      const identity = Buffer.from(storageKey.buffer, storageKey.byteOffset, storageKey.byteLength).toString('latin1');
      if (seen.has(identity)) throw validationError(DUPLICATE_KEYS_MESSAGE);
      seen.add(identity);
      planned.push({ requestName, request: writeRequest, table, storageKey, item, key });
    }
  }

  const settled = await writeBatch(
    context.engine,
    planned.map((write) => ({
      table: write.table,
      storageKey: write.storageKey,
      decide: (_current, latest) => {
        // An index added since validation (UpdateTable) constrains the put as well.
        if (write.item !== undefined && latest !== write.table) checkIndexKeys(latest, write.item, 'item');
        return write.item;
      },
      // Each request replaces or deletes its item whatever it was: the old item need not be decoded.
      blind: true,
    })),
  );

  const unprocessed: Record<string, JsonObject[]> = {};
  const units = new Map<TableMetadata, CapacityParts[]>();
  const metrics: Record<string, JsonObject[]> = {};
  let firstFailure: unknown;
  const throttles: Throttle[] = [];
  let written = 0;
  settled.forEach((result, index) => {
    const write = planned[index] as PlannedWrite;
    if (result.status === 'rejected') {
      const throttle = throttleOf(result.reason);
      if (throttle !== undefined) throttles.push(throttle);
      else firstFailure ??= result.reason;
      (unprocessed[write.requestName] ??= []).push(write.request);
      return;
    }
    written++;
    let parts = units.get(write.table);
    if (parts === undefined) units.set(write.table, (parts = []));
    parts.push(result.value.capacity);
    noteWrite(context.notes, result.value, write.key);
    const collection = itemCollectionMetrics(request.ReturnItemCollectionMetrics, result.value, write.key);
    if (collection !== undefined) (metrics[write.requestName] ??= []).push(collection);
  });
  // An error of DynamoDB's own (not a throttle, not an internal failure) is the request's answer. A write of a STRONG
  // global table refused for another region's write of its item is not the request's fault: it is left unprocessed
  // for the client to send again, as a throttled one (BatchWriteItem has no ReplicatedWriteConflictException).
  if (firstFailure instanceof DynamoDbError && firstFailure.status < 500 && firstFailure.type !== 'ReplicatedWriteConflictException') {
    throw firstFailure;
  }
  if (written === 0 && planned.length > 0) throw firstFailure ?? throttlingError(wholeBatchThrottle(throttles));

  const capacity: JsonObject[] = [];
  for (const { table } of tables) {
    const consumed = consumedCapacity(request.ReturnConsumedCapacity, table, () => sumCapacity(units.get(table) ?? []));
    if (consumed !== undefined) capacity.push(consumed);
  }
  return response({
    // One entry per table, in request order.
    ConsumedCapacity: capacity.length > 0 ? capacity : undefined,
    // ItemCollectionMetrics exist only for tables with local secondary indexes; for others DynamoDB leaves the
    // member out, even with ReturnItemCollectionMetrics SIZE.
    ItemCollectionMetrics: Object.keys(metrics).length > 0 ? metrics : undefined,
    UnprocessedItems: unprocessed,
  });
};

/** The writes of a batch its commit refused, by position (undefined where a write would have been made). */
class RefusedWrites extends Error {
  constructor(readonly errors: readonly unknown[]) {
    super('some writes of the batch were refused');
  }
}

/**
 * The batch's writes in as few commits as possible, each write's outcome or error by position, as if each had been
 * committed on its own: one commit for all of them (one log record, the table's statistics read and written once,
 * where 25 commits of one item each did all of that 25 times); the writes it refuses (a throttle, an error of the
 * write's own checks) are set aside with their error and the others committed again, together. A commit that fails
 * as a whole (storage) is retried one write per commit, so that each write fails or succeeds on its own.
 */
async function writeBatch(engine: WriteContext, writes: readonly ItemWrite[]): Promise<PromiseSettledResult<WriteOutcome>[]> {
  const results = new Array<PromiseSettledResult<WriteOutcome>>(writes.length);
  const positioned = writes.map((write, position) => ({ write, position }));
  // A write of a STRONG global table is coordinated with its other regions one item at a time (writeItem).
  const coordinated = positioned.filter(({ write }) => isCoordinated(engine, write));
  let left = coordinated.length === 0 ? positioned : positioned.filter(({ write }) => !isCoordinated(engine, write));
  const coordinatedResults = Promise.allSettled(coordinated.map(({ write }) => writeItem(engine, write)));
  while (left.length > 0) {
    try {
      const outcomes = await writeItems(
        engine,
        left.map(({ write }) => write),
        { failures: (errors) => new RefusedWrites(errors) },
      );
      left.forEach(({ position }, index) => {
        results[position] = { status: 'fulfilled', value: outcomes[index] as WriteOutcome };
      });
      left = [];
      break;
    } catch (error) {
      if (!(error instanceof RefusedWrites)) break;
      const accepted = left.filter(({ position }, index) => {
        const refusal = error.errors[index];
        if (refusal !== undefined) results[position] = { status: 'rejected', reason: refusal };
        return refusal === undefined;
      });
      // Every write refused (or, should it happen, none): nothing is left to commit together.
      if (accepted.length === left.length) break;
      left = accepted;
    }
  }
  const alone = await Promise.allSettled(left.map(({ write }) => writeItem(engine, write)));
  left.forEach(({ position }, index) => {
    results[position] = alone[index] as PromiseSettledResult<WriteOutcome>;
  });
  const coordinatedOutcomes = await coordinatedResults;
  coordinated.forEach(({ position }, index) => {
    results[position] = coordinatedOutcomes[index] as PromiseSettledResult<WriteOutcome>;
  });
  return results;
}

/** The capacity of several writes to one table, added up per table and per index. */
export function sumCapacity(parts: readonly CapacityParts[]): CapacityParts {
  let table = 0;
  const byIndex = new Map<string, { index: IndexMetadata; units: number }>();
  for (const part of parts) {
    table += part.table;
    for (const { index, units } of part.indexes ?? []) {
      const sum = byIndex.get(index.indexName);
      if (sum === undefined) byIndex.set(index.indexName, { index, units });
      else sum.units += units;
    }
  }
  return { table, indexes: [...byIndex.values()] };
}

/**
 * The key of a put's item. Unlike PutItem, which names a missing key attribute or spells out a type mismatch,
 * BatchWriteItem answers both with the schema mismatch message; the other key errors (empty or oversized values)
 * keep their PutItem wording.
 */
function putKey(tableKey: TableKey, item: Item): Item {
  try {
    return extractKey(tableKey, item, 'item');
  } catch (error) {
    if (error instanceof DynamoDbError && PUT_KEY_SCHEMA_ERRORS.test(error.message)) {
      throw validationError(KEY_SCHEMA_MISMATCH_MESSAGE);
    }
    throw error;
  }
}

const PUT_KEY_SCHEMA_ERRORS = /^One or more parameter values were invalid: (Missing the key |Type mismatch for key )/;
