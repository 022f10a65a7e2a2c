/**
 * Capacity per table and per global secondary index, kept in step with the catalog's metadata: the resources
 * are created when a table is first used, follow its billing mode and throughput as UpdateTable changes them,
 * and are dropped with the table. Local secondary indexes have no capacity of their own: DynamoDB charges their
 * reads and writes to the table.
 *
 * Modes (`--capacity`): `off` counts nothing; `account` (the default) counts everything (consumed units,
 * partitions, heat, throttles that *would* have happened) but never refuses a request, so nothing changes for
 * users who do not ask for it; `enforce` refuses requests exactly as DynamoDB would.
 *
 * The state is this process's: with several front ends over one store, each holds its own buckets (a shared
 * ledger is a later step, behind the same calls).
 */
import type { IndexMetadata, TableMetadata } from '../engine/table-metadata.js';
import type { CapacityClock } from './capacity-clock.js';
import { DEFAULT_CAPACITY_POLICY, NEW_ON_DEMAND_WARM, ResourceCapacity, type CapacityPolicy, type ThroughputSettings } from './resource-capacity.js';

export type CapacityMode = 'off' | 'account' | 'enforce';

export const CAPACITY_MODES: readonly CapacityMode[] = ['off', 'account', 'enforce'];

/** The throughput settings of a table or GSI as its metadata states them (GSIs inherit the table's mode). */
export function throughputSettings(table: TableMetadata, index?: IndexMetadata): ThroughputSettings {
  if (table.billingMode === 'PROVISIONED') {
    const provisioned = index === undefined ? table.provisionedThroughput : index.provisionedThroughput ?? table.provisionedThroughput;
    return { mode: 'PROVISIONED', readUnits: provisioned.ReadCapacityUnits, writeUnits: provisioned.WriteCapacityUnits };
  }
  const onDemand = index === undefined ? table.onDemandThroughput : index.onDemandThroughput;
  const warm = index === undefined ? table.warmThroughput : index.warmThroughput;
  return {
    mode: 'PAY_PER_REQUEST',
    ...(onDemand?.MaxReadRequestUnits !== undefined ? { maxReadUnits: onDemand.MaxReadRequestUnits } : {}),
    ...(onDemand?.MaxWriteRequestUnits !== undefined ? { maxWriteUnits: onDemand.MaxWriteRequestUnits } : {}),
    warmReadUnits: Math.max(NEW_ON_DEMAND_WARM.readUnits, warm?.ReadUnitsPerSecond ?? 0),
    warmWriteUnits: Math.max(NEW_ON_DEMAND_WARM.writeUnits, warm?.WriteUnitsPerSecond ?? 0),
  };
}

function sameSettings(a: ThroughputSettings, b: ThroughputSettings): boolean {
  if (a.mode === 'PROVISIONED' || b.mode === 'PROVISIONED') {
    return a.mode === 'PROVISIONED' && b.mode === 'PROVISIONED' && a.readUnits === b.readUnits && a.writeUnits === b.writeUnits;
  }
  return (
    a.maxReadUnits === b.maxReadUnits &&
    a.maxWriteUnits === b.maxWriteUnits &&
    a.warmReadUnits === b.warmReadUnits &&
    a.warmWriteUnits === b.warmWriteUnits
  );
}

export interface TableCapacity {
  readonly table: ResourceCapacity;
  /** By indexId, GSIs only. */
  readonly indexes: ReadonlyMap<string, ResourceCapacity>;
}

export class CapacityTracker {
  /** By tableId. */
  private readonly tables = new Map<string, { table: ResourceCapacity; indexes: Map<string, ResourceCapacity> }>();
  /** The metadata object each entry was last synced with: the catalog replaces it on every change. */
  private readonly syncedWith = new WeakMap<TableMetadata, TableCapacity>();

  constructor(
    readonly mode: CapacityMode,
    readonly clock: CapacityClock,
    readonly policy: CapacityPolicy = DEFAULT_CAPACITY_POLICY,
    /** The table's size when its capacity is first built (partitions by size); 0 if unknown. */
    private readonly sizeOf: (table: TableMetadata, index?: IndexMetadata) => number = () => 0,
  ) {}

  get counting(): boolean {
    return this.mode !== 'off';
  }

  get enforcing(): boolean {
    return this.mode === 'enforce';
  }

  /** The capacity of a table and its GSIs, in step with this metadata. */
  of(table: TableMetadata): TableCapacity {
    const synced = this.syncedWith.get(table);
    if (synced !== undefined) return synced;
    const now = this.clock.now();
    let entry = this.tables.get(table.tableId);
    if (entry === undefined) {
      entry = { table: this.build('Table', table.tableArn, table, undefined, now), indexes: new Map() };
      this.tables.set(table.tableId, entry);
    } else {
      this.follow(entry.table, throughputSettings(table), now);
    }
    const live = new Set<string>();
    for (const index of table.globalSecondaryIndexes ?? []) {
      live.add(index.indexId);
      const existing = entry.indexes.get(index.indexId);
      if (existing === undefined) {
        entry.indexes.set(index.indexId, this.build('Index', `${table.tableArn}/index/${index.indexName}`, table, index, now));
      } else {
        this.follow(existing, throughputSettings(table, index), now);
      }
    }
    for (const indexId of entry.indexes.keys()) if (!live.has(indexId)) entry.indexes.delete(indexId);
    this.syncedWith.set(table, entry);
    return entry;
  }

  /** Forgets a deleted table. */
  forget(tableId: string): void {
    this.tables.delete(tableId);
  }

  private build(kind: 'Table' | 'Index', arn: string, table: TableMetadata, index: IndexMetadata | undefined, now: number): ResourceCapacity {
    return new ResourceCapacity(kind, arn, throughputSettings(table, index), this.sizeOf(table, index), now, this.policy);
  }

  private follow(resource: ResourceCapacity, settings: ThroughputSettings, now: number): void {
    if (!sameSettings(resource.throughput, settings)) resource.update(settings, now);
  }
}
