/**
 * ConsumedCapacity of the transaction operations: one entry per table, in the order the tables first appear.
 * Unlike the single-item operations, DynamoDB reports the read/write split on transactions: WriteCapacityUnits for
 * TransactWriteItems, ReadCapacityUnits for TransactGetItems (and for a replayed TransactWriteItems, which reads).
 * INDEXES adds the table and each index apart, with the same split.
 */
import type { IndexMetadata, TableMetadata } from '../engine/table-metadata.js';
import type { JsonObject } from './operation.js';

export interface TableUnits {
  readonly table: TableMetadata;
  units: number;
  readonly indexes: Map<string, { readonly index: IndexMetadata; readonly units: number }>;
}

export function transactionCapacity(mode: unknown, tables: readonly TableUnits[], kind: 'Read' | 'Write'): JsonObject[] | undefined {
  if (mode !== 'TOTAL' && mode !== 'INDEXES') return undefined;
  const split = `${kind}CapacityUnits`;
  return tables.map(({ table, units, indexes }) => {
    let total = units;
    for (const { units: indexUnits } of indexes.values()) total += indexUnits;
    const entry: JsonObject = { TableName: table.tableName, CapacityUnits: total, [split]: total };
    if (mode === 'INDEXES') {
      entry.Table = { CapacityUnits: units, [split]: units };
      for (const { index, units: indexUnits } of indexes.values()) {
        const member = index.kind === 'LOCAL' ? 'LocalSecondaryIndexes' : 'GlobalSecondaryIndexes';
        const byName = (entry[member] ??= {}) as JsonObject;
        byName[index.indexName] = { CapacityUnits: indexUnits, [split]: indexUnits };
      }
    }
    return entry;
  });
}
