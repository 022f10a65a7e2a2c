/**
 * Pieces every item operation shares: finding the table, ConsumedCapacity and ReturnValues shapes.
 */
import { conditionalCheckFailed, resourceNotFound } from '../errors.js';
import type { Item } from '../model/attribute-value.js';
import type { TableMetadata } from '../engine/table-metadata.js';
import type { JsonObject, RequestContext } from './operation.js';

/** The table named by a request, or DynamoDB's ResourceNotFoundException for item operations. */
export function requireTable(context: RequestContext, tableName: string): TableMetadata {
  const table = context.engine.catalog.getTable(context.region, tableName);
  // Item operations on a missing (or not yet ACTIVE-able) table answer with the generic text, unlike the table
  // operations, which name the table.
  if (table === undefined) throw resourceNotFound('Requested resource not found');
  return table;
}

export type ReturnConsumedCapacity = 'INDEXES' | 'TOTAL' | 'NONE' | undefined;

/**
 * The ConsumedCapacity member of a response, or undefined when the request did not ask for it (`units` is only
 * computed when asked: sizing an item is not free). With INDEXES
 * DynamoDB adds the per-table (and, later, per-index) breakdown.
 */
export function consumedCapacity(mode: unknown, table: TableMetadata, units: () => number): JsonObject | undefined {
  if (mode === 'TOTAL') return { TableName: table.tableName, CapacityUnits: units() };
  if (mode === 'INDEXES') {
    const total = units();
    return { TableName: table.tableName, CapacityUnits: total, Table: { CapacityUnits: total } };
  }
  return undefined;
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
