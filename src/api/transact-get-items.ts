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
import { isStrong, strongTransactionRefused } from '../engine/replication/strong-consistency.js';
import { DynamoDbError } from '../errors.js';
import type { Item } from '../model/attribute-value.js';
import { encodeItemKey } from '../model/key-encoding.js';
import { extractKey } from '../model/key-validation.js';
import { requireTable } from './item-common.js';
import { compileItemExpressions } from './item-expressions.js';
import { checkScalarKeyPaths } from './scalar-key-paths.js';
import type { JsonObject, OperationHandler } from './operation.js';
import { readTransaction, type TransactionRead } from './transaction-read.js';
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
    if (isStrong(table)) throw strongTransactionRefused(table);
    checkScalarKeyPaths(expressions.nestedPathHeads, table);
    return { get, expressions, table };
  });

  const reads: TransactionRead[] = resolved.map(({ get, expressions, table }) => {
    try {
      const storageKey = encodeItemKey(table.key, extractKey(table.key, get.Key as Item, 'key'));
      return { table, storageKey, ...(expressions.projection !== undefined ? { project: expressions.projection } : {}) };
    } catch (error) {
      if (!(error instanceof DynamoDbError)) throw error;
      return { table, failure: error };
    }
  });
  return readTransaction(context, reads, request.ReturnConsumedCapacity);
};
