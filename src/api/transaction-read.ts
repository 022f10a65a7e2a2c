/**
 * The snapshot read shared by the read transactions (TransactGetItems, and ExecuteTransaction's PartiQL SELECTs):
 * every item read in one atomic read of the storage, so that no write, transactional or not, is seen in part.
 *
 * Order of refusals: a key that does not fit its table cancels the transaction (a ValidationError reason in its
 * position), then two reads of one item are refused, then each read is admitted in its partition (a throttled
 * read cancels the whole transaction, reads nothing and costs nothing). Every read is a strongly consistent
 * transactional read, two units per 4 KB of the whole item, also for an absent one.
 */
import { throttlingError } from '../capacity/throttle.js';
import type { DynamoDbError } from '../errors.js';
import { keyHash } from '../engine/secondary-index.js';
import type { TableMetadata } from '../engine/table-metadata.js';
import { itemSpace } from '../engine/write-path.js';
import type { Item } from '../model/attribute-value.js';
import { itemSize, readUnits } from '../model/item-size.js';
import { response } from './item-common.js';
import type { JsonObject, RequestContext } from './operation.js';
import { checkDistinctItems } from './transaction-commit.js';
import { NO_REASON, reasonFor, transactionCanceled } from './transaction-errors.js';
import { transactionCapacity, type TableUnits } from './transaction-capacity.js';

/** One read of a transaction, in request order. */
export interface TransactionRead {
  readonly table: TableMetadata;
  /** Undefined when the key cannot be used (its reason is in `failure`). */
  readonly storageKey?: Uint8Array;
  readonly failure?: DynamoDbError;
  /** The attributes to return of a found item; the whole item when absent. */
  readonly project?: (item: Item) => Item;
}

/** `{Responses: [{Item} | {}], ConsumedCapacity}`: an absent item, or one the projection leaves empty, is `{}`. */
export async function readTransaction(context: RequestContext, reads: readonly TransactionRead[], mode: unknown): Promise<JsonObject> {
  if (reads.some((read) => read.failure !== undefined)) {
    throw transactionCanceled(reads.map((read) => (read.failure === undefined ? NO_REASON : reasonFor(read.failure))));
  }
  checkDistinctItems(reads);

  const capacity = context.engine.capacity;
  if (capacity.counting) {
    const throttles = reads.map(({ table, storageKey }) =>
      capacity.readThrottle(table, keyHash(storageKey as Uint8Array)),
    );
    if (throttles.some((throttle) => throttle !== undefined)) {
      throw transactionCanceled(throttles.map((throttle) => (throttle === undefined ? NO_REASON : reasonFor(throttlingError(throttle)))));
    }
  }

  const requests = reads.map(({ table, storageKey }) => ({ space: itemSpace(table), key: storageKey as Uint8Array }));
  const items = await context.engine.storage.atomic(requests, (values) => ({ writes: [], result: values as (Item | undefined)[] }));

  const units = new Map<string, TableUnits>();
  const responses = reads.map(({ table, storageKey, project }, position) => {
    const item = items[position];
    const itemUnits = 2 * readUnits(item === undefined ? 0 : itemSize(item), true);
    addUnits(units, table, itemUnits);
    capacity.chargeRead(table, keyHash(storageKey as Uint8Array), itemUnits);
    context.notes?.consume(table.tableName, undefined, itemUnits, 0);
    if (item === undefined) return {};
    const projected = project === undefined ? item : project(item);
    for (const _ in projected) return { Item: projected };
    return {};
  });
  return response({
    ConsumedCapacity: transactionCapacity(mode, [...units.values()], 'Read'),
    Responses: responses,
  });
}

function addUnits(units: Map<string, TableUnits>, table: TableMetadata, add: number): void {
  let entry = units.get(table.tableName);
  if (entry === undefined) units.set(table.tableName, (entry = { table, units: 0, indexes: new Map() }));
  entry.units += add;
}
