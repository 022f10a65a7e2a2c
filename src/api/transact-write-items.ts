/**
 * TransactWriteItems: up to 100 Put, Update, Delete and ConditionCheck actions across tables, all applied or none,
 * in one atomic storage commit (write-path.ts writeItems), index entries and statistics included.
 *
 * Isolation. Every commit of the storage engines is serializable: a transaction's reads, decisions and writes
 * happen with no other commit in between, so transactions are serializable with each other and with single-item
 * writes, and a TransactGetItems never sees half of one. A single-item write therefore never collides with an
 * in-flight transaction, and Cairn never answers TransactionConflictException (DynamoDB returns it only when two
 * requests race for an item; never returning it is one of the outcomes DynamoDB allows).
 *
 * Errors come in DynamoDB's two channels:
 * - top-level errors, before anything runs: the shape of each action, its item or key values (checked and
 *   normalised as PutItem's are) and its expressions, action by action; then the tables, empty key values,
 *   items over 400 KB, two actions on one item, the 4 MB total;
 * - cancellation reasons, one per action, for what needs the table or the stored item: conditions, key and index
 *   key types, update evaluation errors, an update's result over 400 KB. Every action is evaluated, so each
 *   reason is reported, and nothing is applied.
 */
import { isStrong, strongTransactionRefused } from '../engine/replication/strong-consistency.js';
import { DynamoDbError, validationError } from '../errors.js';
import { checkIndexKeys } from '../engine/index-key-validation.js';
import type { TableMetadata } from '../engine/table-metadata.js';
import type { ItemDecision } from '../engine/write-path.js';
import type { Item } from '../model/attribute-value.js';
import { encodeItemKey } from '../model/key-encoding.js';
import { extractKey } from '../model/key-validation.js';
import { assertUpdateNesting } from '../model/validate-attribute-value.js';
import { assertItemSizeWithinLimit, itemSize, MAX_ITEM_SIZE } from '../model/item-size.js';
import { checkCondition, requireTable } from './item-common.js';
import { compileItemExpressions, type ItemExpressions } from './item-expressions.js';
import { checkScalarKeyPaths } from './scalar-key-paths.js';
import type { JsonObject, OperationHandler } from './operation.js';
import { checkDistinctItems, checkTransactionSize, commitTransaction, type TransactionWrite } from './transaction-commit.js';
import { validateAttributeMapMember } from '../validation/request-rules.js';

type ActionKind = 'ConditionCheck' | 'Put' | 'Delete' | 'Update';
const ACTION_KINDS: readonly ActionKind[] = ['ConditionCheck', 'Put', 'Delete', 'Update'];

interface Action {
  readonly kind: ActionKind;
  readonly member: JsonObject;
  readonly expressions: ItemExpressions;
  readonly table: TableMetadata;
  /** Undefined when the key cannot be used (its reason is in `failure`). */
  readonly storageKey?: Uint8Array;
  readonly key?: Item;
  /** A reason known before running (a key or index key of the wrong type). */
  readonly failure?: DynamoDbError;
}

const EMPTY_KEY = /^One or more parameter values (?:are not valid\. |were invalid: )(The AttributeValue for a key attribute cannot contain an empty .*)$/;

export const transactWriteItems: OperationHandler = async (context, request) => {
  const members = request.TransactItems as readonly JsonObject[];
  // Action by action, in request order, before any table is looked at: its shape, its item or key values, then
  // its expressions. The first problem met is the one reported, however much later actions hold.
  const compiled = members.map((item) => {
    const kinds = ACTION_KINDS.filter((kind) => item[kind] != null);
    if (kinds.length === 0) throw validationError('Invalid Request: TransactWriteRequest should contain Delete or Put or Update request');
    if (kinds.length > 1) throw validationError('TransactItems can only contain one of Check, Put, Update or Delete');
    const kind = kinds[0] as ActionKind;
    const member = item[kind] as JsonObject;
    // The values as PutItem's are checked and normalised, in DynamoDB's older layer (the wording of
    // BatchWriteItem, which transactions share), bare: a bad value is a top-level error, never a cancellation.
    validateAttributeMapMember(member, kind === 'Put' ? 'Item' : 'Key', 'legacy', false);
    const operation = kind === 'Put' ? 'PutItem' : kind === 'Update' ? 'UpdateItem' : 'DeleteItem';
    return { kind, member, expressions: compileItemExpressions(operation, member, 'legacy') };
  });
  const actions = compiled.map(({ kind, member, expressions }) => {
    const table = requireTable(context, member.TableName as string);
    if (isStrong(table)) throw strongTransactionRefused(table);
    return { kind, member, expressions, table };
  });
  const planned: Action[] = actions.map((action) => planAction(action));
  checkDistinctItems(planned);
  checkTransactionSize(planned.map((action) => (action.kind === 'Put' ? itemSize(action.member.Item as Item) : 0)));

  const token = typeof request.ClientRequestToken === 'string' ? request.ClientRequestToken : undefined;
  const writes: TransactionWrite[] = planned.map((action) => ({
    table: action.table,
    ...(action.storageKey !== undefined ? { storageKey: action.storageKey } : {}),
    ...(action.key !== undefined ? { key: action.key } : {}),
    ...(action.failure !== undefined ? { failure: action.failure } : {}),
    decide: decisionOf(action),
    changesItem: action.kind !== 'ConditionCheck',
  }));
  return commitTransaction(context, writes, { request, ...(token !== undefined ? { token } : {}) });
};

/**
 * The key of an action and the checks that need its table: an empty key value or index key value, and a Put over
 * 400 KB, are top-level errors; a key or index key of the wrong type is the action's cancellation reason.
 */
function planAction(action: Omit<Action, 'storageKey' | 'key' | 'failure'>): Action {
  const { kind, member, table } = action;
  if (kind === 'Put') assertItemSizeWithinLimit(member.Item as Item);
  let key: Item;
  try {
    key = kind === 'Put' ? extractKey(table.key, member.Item as Item, 'item') : extractKey(table.key, member.Key as Item, 'key');
  } catch (error) {
    if (!(error instanceof DynamoDbError)) throw error;
    const empty = EMPTY_KEY.exec(error.message);
    // Inside a transaction an empty key value is worded as in an item, whatever the action.
    if (empty !== null) throw validationError(`One or more parameter values are not valid. ${empty[1] as string}`);
    if (/Size of hashkey|size of all range keys/.test(error.message)) throw error;
    return { ...action, failure: error };
  }
  if (kind === 'Update') action.expressions.update?.checkKeyUntouched(table.key);
  checkScalarKeyPaths(action.expressions.nestedPathHeads, table);
  if (kind === 'Put') {
    try {
      checkIndexKeys(table, member.Item as Item, 'item');
    } catch (error) {
      if (!(error instanceof DynamoDbError) || error.message.startsWith('One or more parameter values are not valid.')) throw error;
      return { ...action, key, storageKey: encodeItemKey(table.key, key), failure: error };
    }
  }
  return { ...action, key, storageKey: encodeItemKey(table.key, key) };
}

/** What an action does to its item, as the single-item operations do it; throws its cancellation reason. */
function decisionOf(action: Action): ItemDecision {
  const { kind, member, expressions } = action;
  const returnOnFailure = member.ReturnValuesOnConditionCheckFailure;
  switch (kind) {
    case 'ConditionCheck':
      return (current) => {
        checkCondition(expressions.condition, current, returnOnFailure);
        return current;
      };
    case 'Delete':
      return (current) => {
        checkCondition(expressions.condition, current, returnOnFailure);
        return undefined;
      };
    case 'Put':
      return (current, latest) => {
        if (latest !== action.table) checkIndexKeys(latest, member.Item as Item, 'item');
        checkCondition(expressions.condition, current, returnOnFailure);
        return member.Item as Item;
      };
    case 'Update':
      return (current, latest) => {
        checkCondition(expressions.condition, current, returnOnFailure);
        const base = current ?? (action.key as Item);
        if (expressions.update === undefined) return base;
        // As in UpdateItem: only removals on an absent item write nothing.
        if (current === undefined && !expressions.update.createsItem) return undefined;
        const result = expressions.update.apply(base, current !== undefined);
        if (result.item !== current) assertUpdateNesting(result.item, current);
        if (result.item !== current) checkIndexKeys(latest, result.item, 'update');
        if (result.item !== current && itemSize(result.item) > MAX_ITEM_SIZE) {
          throw validationError('Item size to update has exceeded the maximum allowed size');
        }
        return result.item;
      };
  }
}
