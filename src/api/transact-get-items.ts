/**
 * TransactGetItems: up to 100 Gets across tables, read from one consistent snapshot (one atomic read of the
 * storage, so no write, transactional or not, is seen in part). Responses come in request order; an absent item,
 * or one the projection leaves empty, is `{}`.
 *
 * Errors: the keys' values, the projections and the tables are checked first (top-level errors); a Key that does not fit its table
 * cancels the transaction with a ValidationError reason in its position (DynamoDB reports even an empty key value
 * there for reads); two Gets of one item are refused.
 * Capacity: every Get is a strongly consistent transactional read, two units per 4 KB of the whole item, also for
 * an absent one, charged in its item's partition. Each Get is admitted in its partition before anything is read;
 * a transaction with a throttled Get is cancelled as a whole (the throttled Gets' reasons in their positions, see
 * transaction-errors.ts), reads nothing and costs nothing.
 */
import { DynamoDbError, validationError } from '../errors.js';
import { itemSpace } from '../engine/write-path.js';
import type { TableMetadata } from '../engine/table-metadata.js';
import type { Item } from '../model/attribute-value.js';
import { encodeItemKey } from '../model/key-encoding.js';
import { extractKey } from '../model/key-validation.js';
import { itemSize, readUnits } from '../model/item-size.js';
import { requireTable, response } from './item-common.js';
import { compileItemExpressions } from './item-expressions.js';
import { checkScalarKeyPaths } from './scalar-key-paths.js';
import type { JsonObject, OperationHandler } from './operation.js';
import { NO_REASON, reasonFor, transactionCanceled } from './transaction-errors.js';
import { keyHash } from '../engine/secondary-index.js';
import { throttlingError } from '../capacity/throttle.js';
import { transactionCapacity, type TableUnits } from './transaction-capacity.js';
import { validateAttributeMapMember } from '../validation/request-rules.js';

export const transactGetItems: OperationHandler = async (context, request) => {
  const gets = (request.TransactItems as readonly JsonObject[]).map((item) => item.Get as JsonObject);
  // Get by Get, in request order: the key's values (checked and normalised as GetItem's are, in DynamoDB's older
  // layer, bare), then the expressions.
  const compiled = gets.map((get) => {
    validateAttributeMapMember(get, 'Key', 'legacy', false);
    return { get, expressions: compileItemExpressions('GetItem', get, 'legacy') };
  });
  const resolved = compiled.map(({ get, expressions }) => {
    const table = requireTable(context, get.TableName as string);
    checkScalarKeyPaths(expressions.nestedPathHeads, table);
    return { get, expressions, table };
  });

  const failures: (DynamoDbError | undefined)[] = [];
  const keys = resolved.map(({ get, table }) => {
    try {
      failures.push(undefined);
      return encodeItemKey(table.key, extractKey(table.key, get.Key as Item, 'key'));
    } catch (error) {
      if (!(error instanceof DynamoDbError)) throw error;
      failures[failures.length - 1] = error;
      return undefined;
    }
  });
  if (failures.some((failure) => failure !== undefined)) {
    throw transactionCanceled(failures.map((failure) => (failure === undefined ? NO_REASON : reasonFor(failure))));
  }
  const seen = new Set<string>();
  resolved.forEach(({ table }, position) => {
    const id = `${table.tableId}/${Buffer.from(keys[position] as Uint8Array).toString('base64')}`;
    if (seen.has(id)) throw validationError('Transaction request cannot include multiple operations on one item');
    seen.add(id);
  });

  const capacity = context.engine.capacity;
  if (capacity.counting) {
    const throttles = resolved.map(({ table }, position) =>
      capacity.admit([{ resource: capacity.resource(table), access: 'read', hash: keyHash(keys[position] as Uint8Array) }]),
    );
    if (throttles.some((throttle) => throttle !== undefined)) {
      throw transactionCanceled(throttles.map((throttle) => (throttle === undefined ? NO_REASON : reasonFor(throttlingError(throttle)))));
    }
  }

  const reads = resolved.map(({ table }, position) => ({ space: itemSpace(table), key: keys[position] as Uint8Array }));
  const items = await context.engine.storage.atomic(reads, (values) => ({ writes: [], result: values as (Item | undefined)[] }));

  const units = new Map<string, TableUnits>();
  const responses = resolved.map(({ expressions, table }, position) => {
    const item = items[position];
    const itemUnits = 2 * readUnits(item === undefined ? 0 : itemSize(item), true);
    addUnits(units, table, itemUnits);
    capacity.chargeRead(table, keyHash(keys[position] as Uint8Array), itemUnits);
    context.notes?.consume(table.tableName, undefined, itemUnits, 0);
    if (item === undefined) return {};
    const projected = expressions.projection === undefined ? item : expressions.projection(item);
    for (const _ in projected) return { Item: projected };
    return {};
  });
  return response({
    ConsumedCapacity: transactionCapacity(request.ReturnConsumedCapacity, [...units.values()], 'Read'),
    Responses: responses,
  });
};

function addUnits(units: Map<string, TableUnits>, table: TableMetadata, add: number): void {
  let entry = units.get(table.tableName);
  if (entry === undefined) units.set(table.tableName, (entry = { table, units: 0, indexes: new Map() }));
  entry.units += add;
}
