/**
 * DescribeTableReplicaAutoScaling and UpdateTableReplicaAutoScaling: the auto scaling settings of every replica of
 * a table (global tables version 2019.11.21 or 2017.11.29; a table without replicas is a group of one). Write
 * capacity settings are the group's (every replica gets them), read capacity settings each replica's own.
 * Recorded and described; Cairn does not scale (auto-scaling.ts).
 */
import { validationError } from '../../errors.js';
import { tableNotFound } from '../../engine/catalog.js';
import type { Engine } from '../../engine/engine.js';
import { replicaSetOf } from '../../engine/replication/replica-admin.js';
import type { TableMetadata } from '../../engine/table-metadata.js';
import { resourceNotFound } from '../../errors.js';
import type { JsonObject, OperationHandler, RequestContext } from '../operation.js';
import { objectList, objectMember, stringMember } from '../request-members.js';
import { resolveTableName } from '../table-name.js';
import { defaultPolicyName, describeAutoScaling, mergeAutoScaling, withAutoScaling } from './auto-scaling.js';

const INVALID = 'One or more parameter values were invalid: ';

/** The table the request names and every replica's table with its replica status. */
function group(context: RequestContext, request: JsonObject): { table: TableMetadata; replicas: { table: TableMetadata; status: string }[] } {
  const ref = resolveTableName(context, stringMember(request, 'TableName') ?? '');
  const table = context.engine.catalog.getTable(ref, ref.tableName);
  if (table === undefined) throw tableNotFound(ref.tableName);
  const replicas = replicaSetOf(table).flatMap((replica) => {
    const member = context.engine.catalog.getTable({ accountId: table.accountId, region: replica.regionName }, table.tableName);
    return member === undefined ? [] : [{ table: member, status: replica.status }];
  });
  return { table, replicas };
}

function describe(engine: Engine, table: TableMetadata): JsonObject {
  const replicas = replicaSetOf(table).flatMap((replica) => {
    const member = engine.catalog.getTable({ accountId: table.accountId, region: replica.regionName }, table.tableName);
    if (member === undefined) return [];
    const description: JsonObject = { RegionName: replica.regionName };
    description.GlobalSecondaryIndexes = (member.globalSecondaryIndexes ?? [])
      .filter((index) => index.status !== 'DELETING')
      .map((index) => {
        const entry: JsonObject = { IndexName: index.indexName, IndexStatus: index.status };
        const settings = member.autoScaling?.indexes?.[index.indexName];
        describeAutoScaling(entry, 'ProvisionedReadCapacityAutoScalingSettings', settings?.read);
        describeAutoScaling(entry, 'ProvisionedWriteCapacityAutoScalingSettings', settings?.write);
        return entry;
      });
    describeAutoScaling(description, 'ReplicaProvisionedReadCapacityAutoScalingSettings', member.autoScaling?.read);
    describeAutoScaling(description, 'ReplicaProvisionedWriteCapacityAutoScalingSettings', member.autoScaling?.write);
    description.ReplicaStatus = replica.status;
    return [description];
  });
  return { TableAutoScalingDescription: { TableName: table.tableName, TableStatus: table.status, Replicas: replicas } };
}

export const describeTableReplicaAutoScaling: OperationHandler = async (context, request) => {
  return describe(context.engine, group(context, request).table);
};

function checkIndex(table: TableMetadata, indexName: string): void {
  if (!(table.globalSecondaryIndexes ?? []).some((index) => index.indexName === indexName && index.status !== 'DELETING')) {
    throw resourceNotFound(`Requested resource not found: Index ${indexName} for table ${table.tableName}`);
  }
}

export const updateTableReplicaAutoScaling: OperationHandler = async (context, request) => {
  const { table, replicas } = group(context, request);
  const write = objectMember(request, 'ProvisionedWriteCapacityAutoScalingUpdate');
  const indexUpdates = objectList(request, 'GlobalSecondaryIndexUpdates');
  const replicaUpdates = objectList(request, 'ReplicaUpdates');
  // Cairn's words (unconfirmed), in UpdateTable's `At least one of ...` form.
  if (write === undefined && indexUpdates.length === 0 && replicaUpdates.length === 0) {
    throw validationError('At least one of ProvisionedWriteCapacityAutoScalingUpdate, GlobalSecondaryIndexUpdates or ReplicaUpdates is required');
  }
  for (const update of replicaUpdates) {
    const region = stringMember(update, 'RegionName') ?? '';
    if (!replicas.some((replica) => replica.table.region === region)) {
      throw validationError(`${INVALID}Table ${table.tableName} has no replica in region ${region}`);
    }
  }

  const apply = (current: TableMetadata): TableMetadata => {
    let next = current;
    if (write !== undefined) {
      next = withAutoScaling(next, 'write', mergeAutoScaling(next, next.autoScaling?.write, write, 'the table\'s write capacity', defaultPolicyName('write', next)));
    }
    for (const update of indexUpdates) {
      const indexName = stringMember(update, 'IndexName') ?? '';
      checkIndex(next, indexName);
      const settings = objectMember(update, 'ProvisionedWriteCapacityAutoScalingUpdate');
      if (settings === undefined) continue;
      const merged = mergeAutoScaling(next, next.autoScaling?.indexes?.[indexName]?.write, settings, `the write capacity of index ${indexName}`, defaultPolicyName('write', next, indexName));
      next = withAutoScaling(next, 'write', merged, indexName);
    }
    const own = replicaUpdates.find((update) => stringMember(update, 'RegionName') === current.region);
    if (own !== undefined) {
      const read = objectMember(own, 'ReplicaProvisionedReadCapacityAutoScalingUpdate');
      if (read !== undefined) {
        next = withAutoScaling(next, 'read', mergeAutoScaling(next, next.autoScaling?.read, read, 'the table\'s read capacity', defaultPolicyName('read', next)));
      }
      for (const update of objectList(own, 'ReplicaGlobalSecondaryIndexUpdates')) {
        const indexName = stringMember(update, 'IndexName') ?? '';
        checkIndex(next, indexName);
        const settings = objectMember(update, 'ProvisionedReadCapacityAutoScalingUpdate');
        if (settings === undefined) continue;
        const merged = mergeAutoScaling(next, next.autoScaling?.indexes?.[indexName]?.read, settings, `the read capacity of index ${indexName}`, defaultPolicyName('read', next, indexName));
        next = withAutoScaling(next, 'read', merged, indexName);
      }
    }
    return next;
  };
  // Every replica's change is tried before any is made.
  for (const replica of replicas) apply(replica.table);
  for (const replica of replicas) await context.engine.catalog.updateTable(replica.table, table.tableName, apply);
  const updated = context.engine.catalog.getTable(table, table.tableName) ?? table;
  return describe(context.engine, updated);
};
