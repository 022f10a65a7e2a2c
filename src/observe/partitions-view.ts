/**
 * `GET /cairn/tables/<name>/partitions`: the capacity model's view of a table and its GSIs, which DescribeTable
 * (DynamoDB's) does not show: each partition's key-hash range, approximate size, the units consumed and the
 * requests throttled in its current and last window of capacity time, the splits so far, and the throughput
 * mode and settings behind the limits.
 */
import type { CapacityTracker } from '../capacity/capacity-tracker.js';
import type { PartitionWindow } from '../capacity/partition.js';
import type { ResourceCapacity } from '../capacity/resource-capacity.js';
import type { TableMetadata } from '../engine/table-metadata.js';

export interface PartitionsView {
  readonly TableName: string;
  readonly CapacityMode: string;
  /** Capacity time of the view (ms), the clock the windows and splits are stamped with. */
  readonly Now: number;
  readonly WindowMs: number;
  readonly Table: ResourceView;
  readonly GlobalSecondaryIndexes: readonly (ResourceView & { readonly IndexName: string })[];
}

interface ResourceView {
  readonly Arn: string;
  readonly BillingMode: string;
  readonly Throughput: Readonly<Record<string, number>>;
  readonly PartitionCount: number;
  readonly Partitions: readonly PartitionView[];
  readonly Splits: readonly { readonly Cause: string; readonly At: number; readonly Range: readonly [string, string]; readonly SplitAt: string }[];
}

interface PartitionView {
  /** The key-hash range [low, high) of the 16-bit hash space, as hex `0x0000`. */
  readonly KeyHashRange: readonly [string, string];
  readonly SizeBytes: number;
  readonly Current: WindowView;
  readonly Previous: WindowView | null;
}

interface WindowView {
  readonly StartedAt: number;
  readonly ReadUnits: number;
  readonly WriteUnits: number;
  readonly ReadThrottles: number;
  readonly WriteThrottles: number;
}

export function partitionsView(tracker: CapacityTracker, table: TableMetadata): PartitionsView {
  const now = tracker.clock.now();
  const capacity = tracker.of(table);
  const indexes: (ResourceView & { IndexName: string })[] = [];
  for (const index of table.globalSecondaryIndexes ?? []) {
    const resource = capacity.indexes.get(index.indexId);
    if (resource !== undefined) indexes.push({ IndexName: index.indexName, ...resourceView(tracker, resource, now) });
  }
  return {
    TableName: table.tableName,
    CapacityMode: tracker.mode,
    Now: now,
    WindowMs: tracker.policy.split.windowMs,
    Table: resourceView(tracker, capacity.table, now),
    GlobalSecondaryIndexes: indexes,
  };
}

function resourceView(tracker: CapacityTracker, resource: ResourceCapacity, now: number): ResourceView {
  const partitions = resource.partitions;
  const windowMs = partitions.policy.windowMs;
  return {
    Arn: resource.arn,
    BillingMode: resource.mode,
    Throughput: throughputOf(resource),
    PartitionCount: partitions.count,
    Partitions: partitions.partitions.map((partition) => {
      // A window that ended before now without traffic since is shown as closed: the model closes windows lazily,
      // on the next request to the partition.
      const elapsed = Math.floor((now - partition.current.startedAt) / windowMs);
      const current = elapsed === 0 ? partition.current : undefined;
      const previous = elapsed === 0 ? partition.previous : elapsed === 1 ? partition.current : undefined;
      return {
        KeyHashRange: [hex(partition.low), hex(partition.high)] as const,
        SizeBytes: Math.round(partition.sizeBytes),
        Current: current === undefined ? emptyWindowView(partition.current.startedAt + elapsed * windowMs) : windowView(current),
        Previous: previous === undefined ? (elapsed > 1 ? emptyWindowView(partition.current.startedAt + (elapsed - 1) * windowMs) : null) : windowView(previous),
      };
    }),
    Splits: tracker.splitsOf(resource).map((split) => ({
      Cause: split.cause,
      At: split.at,
      Range: [hex(split.low), hex(split.high)] as const,
      SplitAt: hex(split.splitAt),
    })),
  };
}

function throughputOf(resource: ResourceCapacity): Record<string, number> {
  const settings = resource.throughput;
  if (settings.mode === 'PROVISIONED') return { ReadCapacityUnits: settings.readUnits, WriteCapacityUnits: settings.writeUnits };
  return {
    ...(settings.maxReadUnits !== undefined && settings.maxReadUnits > 0 ? { MaxReadRequestUnits: settings.maxReadUnits } : {}),
    ...(settings.maxWriteUnits !== undefined && settings.maxWriteUnits > 0 ? { MaxWriteRequestUnits: settings.maxWriteUnits } : {}),
    WarmReadUnitsPerSecond: settings.warmReadUnits,
    WarmWriteUnitsPerSecond: settings.warmWriteUnits,
  };
}

function windowView(window: PartitionWindow): WindowView {
  return {
    StartedAt: window.startedAt,
    ReadUnits: window.readUnits,
    WriteUnits: window.writeUnits,
    ReadThrottles: window.readThrottles,
    WriteThrottles: window.writeThrottles,
  };
}

function emptyWindowView(startedAt: number): WindowView {
  return { StartedAt: startedAt, ReadUnits: 0, WriteUnits: 0, ReadThrottles: 0, WriteThrottles: 0 };
}

function hex(hash: number): string {
  return `0x${hash.toString(16).padStart(4, '0')}`;
}
