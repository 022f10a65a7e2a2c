/**
 * DescribeTable's Replicas (ReplicaDescription in DynamoDB's model) and GlobalTableVersion for a table with
 * replicas: every other region of its replica set, as each replica's own description reports them too.
 */
import { GLOBAL_TABLE_VERSION, LEGACY_GLOBAL_TABLE_VERSION, otherReplicas, type ReplicaMetadata } from '../engine/replication/replica-set.js';
import type { TableMetadata } from '../engine/table-metadata.js';
import type { JsonObject } from './operation.js';

export function replicaDescription(replica: ReplicaMetadata, progress: ReadonlyMap<string, number>, table: TableMetadata, itemCount = 0): JsonObject {
  const description: JsonObject = { RegionName: replica.regionName, ReplicaStatus: replica.status };
  if (replica.status === 'CREATING') {
    // The share of the source's items copied so far (the source's count is approximate, as DynamoDB's ItemCount).
    const copied = replica.copiedFrom === table.region ? (progress.get(`${table.tableId}/${replica.regionName}`) ?? 0) : 0;
    const percent = itemCount === 0 ? 0 : Math.min(99, Math.floor((copied * 100) / itemCount));
    description.ReplicaStatusPercentProgress = String(percent);
  }
  if (replica.statusDescription !== undefined) description.ReplicaStatusDescription = replica.statusDescription;
  if (replica.kmsMasterKeyId !== undefined) description.KMSMasterKeyId = replica.kmsMasterKeyId;
  if (replica.provisionedThroughputOverride !== undefined) description.ProvisionedThroughputOverride = replica.provisionedThroughputOverride;
  if (replica.globalSecondaryIndexes !== undefined) description.GlobalSecondaryIndexes = replica.globalSecondaryIndexes;
  if (replica.tableClassOverride !== undefined) description.ReplicaTableClassSummary = { TableClass: replica.tableClassOverride };
  return description;
}

/** Adds Replicas and GlobalTableVersion to a table's description when it has replicas (or is a legacy global table's). */
export function describeReplicas(description: JsonObject, table: TableMetadata, progress: ReadonlyMap<string, number>, itemCount: number): void {
  // A legacy global table (CreateGlobalTable) is described by DescribeGlobalTable; its tables only say the version.
  if (table.legacyGlobalTable !== undefined) {
    description.GlobalTableVersion = LEGACY_GLOBAL_TABLE_VERSION;
    return;
  }
  const others = otherReplicas(table.replicas, table.region);
  if (others.length === 0) return;
  // A witness is no replica: it is described apart (STRONG global tables).
  description.Replicas = others.filter((replica) => replica.witness !== true).map((replica) => replicaDescription(replica, progress, table, itemCount));
  const witnesses = others.filter((replica) => replica.witness === true);
  if (witnesses.length > 0) description.GlobalTableWitnesses = witnesses.map((witness) => ({ RegionName: witness.regionName, WitnessStatus: witness.status }));
  description.GlobalTableVersion = GLOBAL_TABLE_VERSION;
  // The consistency mode of a 2019.11.21 global table (EVENTUAL unless it was created STRONG).
  description.MultiRegionConsistency = table.multiRegionConsistency ?? 'EVENTUAL';
}
