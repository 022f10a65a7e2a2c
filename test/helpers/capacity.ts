/**
 * What the capacity model charged, read from a running Cairn: the units booked in the partitions of a table or
 * GSI over the current window of capacity time (tests keep their manual clock within one window, or take
 * differences), to compare with what ReturnConsumedCapacity reported.
 */
import assert from 'node:assert/strict';
import type { Access } from '../../src/capacity/partition.js';
import type { ResourceCapacity } from '../../src/capacity/resource-capacity.js';
import type { Item } from '../../src/model/attribute-value.js';
import { encodeIndexEntryKey, encodeItemKey } from '../../src/model/key-encoding.js';
import { keyHash } from '../../src/engine/secondary-index.js';
import type { Cairn } from './cairn.js';

/** The capacity of a table, or of one of its GSIs by name. */
export function resourceOf(cairn: Cairn, tableName: string, indexName?: string): ResourceCapacity {
  const engine = cairn.server.engine;
  const table = engine.catalog.getTable({ accountId: '000000000000', region: 'us-east-1' }, tableName);
  assert.ok(table !== undefined, `no table ${tableName}`);
  const capacity = engine.capacity.of(table);
  if (indexName === undefined) return capacity.table;
  const index = table.globalSecondaryIndexes?.find((gsi) => gsi.indexName === indexName);
  assert.ok(index !== undefined, `no GSI ${indexName}`);
  const resource = capacity.indexes.get(index.indexId);
  assert.ok(resource !== undefined);
  return resource;
}

/**
 * The units charged to each partition of a table or GSI in the current window, in hash order. Windows that ended
 * by the capacity clock's now are closed first, as the next charge would close them.
 */
export function chargedByPartition(cairn: Cairn, access: Access, tableName: string, indexName?: string): number[] {
  const map = resourceOf(cairn, tableName, indexName).partitions;
  const now = cairn.server.engine.capacity.clock.now();
  for (const low of map.partitions.map((partition) => partition.low)) map.find(low, now);
  return map.partitions.map((partition) =>
    access === 'read' ? partition.current.readUnits : partition.current.writeUnits,
  );
}

/** The units charged to a table or GSI in the current window. */
export function charged(cairn: Cairn, access: Access, tableName: string, indexName?: string): number {
  return chargedByPartition(cairn, access, tableName, indexName).reduce((sum, units) => sum + units, 0);
}

/** The key hash of an item (which partition it is in): of its table key, or of its entry in a GSI by name. */
export function hashOf(cairn: Cairn, tableName: string, sdkItem: Readonly<Record<string, object>>, indexName?: string): number {
  const table = cairn.server.engine.catalog.getTable({ accountId: '000000000000', region: 'us-east-1' }, tableName);
  assert.ok(table !== undefined);
  const item = sdkItem as Item;
  const storageKey = encodeItemKey(table.key, item);
  if (indexName === undefined) return keyHash(storageKey);
  const index = table.globalSecondaryIndexes?.find((gsi) => gsi.indexName === indexName);
  assert.ok(index !== undefined);
  return keyHash(encodeIndexEntryKey(index.key, item, storageKey));
}

/** A string of `length` characters, to size items exactly. */
export function filler(length: number): string {
  return 'x'.repeat(length);
}
