/**
 * Pieces every item operation shares: finding the table, ConsumedCapacity and ReturnValues shapes.
 */
import { conditionalCheckFailed, resourceNotFound } from '../errors.js';
import type { Item } from '../model/attribute-value.js';
import type { CapacityParts } from '../engine/consumed-capacity.js';
import type { TableMetadata } from '../engine/table-metadata.js';
import type { WriteOutcome } from '../engine/write-path.js';
import type { JsonObject, RequestContext } from './operation.js';
import { resolveTableName } from './table-name.js';

/** The table named by a request, or DynamoDB's ResourceNotFoundException for item operations. */
export function requireTable(context: RequestContext, nameOrArn: string): TableMetadata {
  // A TableName may be the table's ARN (how another account's table is named, under a resource policy).
  const ref = resolveTableName(context, nameOrArn);
  const table = context.engine.catalog.getTable(ref, ref.tableName);
  // Item operations on a missing (or not yet ACTIVE-able) table answer with the generic text, unlike the table
  // operations, which name the table.
  if (table === undefined) throw resourceNotFound('Requested resource not found');
  return table;
}

export type ReturnConsumedCapacity = 'INDEXES' | 'TOTAL' | 'NONE' | undefined;

/**
 * The ConsumedCapacity member of a response, or undefined when the request did not ask for it (`units` is only
 * computed when asked: sizing an item is not free). TOTAL sums the table and its indexes; INDEXES adds the
 * breakdown: `Table`, then `LocalSecondaryIndexes` and `GlobalSecondaryIndexes` by index name.
 */
export function consumedCapacity(
  mode: unknown,
  table: TableMetadata,
  units: () => number | CapacityParts,
): JsonObject | undefined {
  if (mode !== 'TOTAL' && mode !== 'INDEXES') return undefined;
  const computed = units();
  const parts: CapacityParts = typeof computed === 'number' ? { table: computed } : computed;
  let total = parts.table;
  for (const { units: indexUnits } of parts.indexes ?? []) total += indexUnits;
  if (mode === 'TOTAL') return { TableName: table.tableName, CapacityUnits: total };
  const out: JsonObject = { TableName: table.tableName, CapacityUnits: total, Table: { CapacityUnits: parts.table } };
  for (const { index, units: indexUnits } of parts.indexes ?? []) {
    const member = index.kind === 'LOCAL' ? 'LocalSecondaryIndexes' : 'GlobalSecondaryIndexes';
    const byName = (out[member] ??= {}) as Record<string, { CapacityUnits: number }>;
    const entry = (byName[index.indexName] ??= { CapacityUnits: 0 });
    entry.CapacityUnits += indexUnits;
  }
  return out;
}

/** Adds the optional members to a response, leaving out those that are undefined (DynamoDB omits them). */
export function response(members: Record<string, unknown>): JsonObject {
  const out: JsonObject = {};
  for (const name in members) if (members[name] !== undefined) out[name] = members[name];
  return out;
}

/**
 * Inside a write's decision: throws ConditionalCheckFailedException when the condition rejects the current item,
 * carrying that item when the request asked for it with ReturnValuesOnConditionCheckFailure ALL_OLD.
 */
export function checkCondition(
  condition: ((item: Item | undefined) => boolean) | undefined,
  current: Item | undefined,
  returnValuesOnFailure: unknown,
): void {
  if (condition !== undefined && !condition(current)) {
    throw conditionalCheckFailed(returnValuesOnFailure === 'ALL_OLD' ? current : undefined);
  }
}

const GIGABYTE = 1024 * 1024 * 1024;

/**
 * ItemCollectionMetrics of a write to a table with local secondary indexes, when asked for (SIZE): the item's
 * partition key and its collection's size as DynamoDB estimates it, a range of whole gigabytes ([0, 1] for
 * anything under 1 GB). Tables without LSIs have no item collections and get no member.
 */
export function itemCollectionMetrics(mode: unknown, outcome: WriteOutcome, key: Item): JsonObject | undefined {
  if (mode !== 'SIZE' || outcome.collectionSize === undefined) return undefined;
  const hashName = outcome.table.key.hash.name;
  const lower = Math.floor(outcome.collectionSize / GIGABYTE);
  return { ItemCollectionKey: { [hashName]: key[hashName] }, SizeEstimateRangeGB: [lower, lower + 1] };
}
