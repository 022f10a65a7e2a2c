/**
 * The replica set of a global table (version 2019.11.21): every replica table of the group keeps the whole set in
 * its metadata, its own region included, so that any of them can describe the group and know whose streams to
 * follow. On one server the replicas are tables of the same account and name in other regions; the set names
 * regions only, so that a replica served by another server can join it later without changing its shape.
 */
export type ReplicaStatus = 'CREATING' | 'ACTIVE' | 'DELETING';

export interface ReplicaIndexOverride {
  readonly IndexName: string;
  readonly ProvisionedThroughputOverride?: { readonly ReadCapacityUnits?: number };
}

export interface ReplicaMetadata {
  readonly regionName: string;
  readonly status: ReplicaStatus;
  /** Epoch ms the replica was asked for. */
  readonly createdAt: number;
  readonly kmsMasterKeyId?: string;
  readonly provisionedThroughputOverride?: { readonly ReadCapacityUnits?: number };
  readonly globalSecondaryIndexes?: readonly ReplicaIndexOverride[];
  readonly tableClassOverride?: 'STANDARD' | 'STANDARD_INFREQUENT_ACCESS';
  /** While CREATING: the region whose table the items are copied from (it resumes the copy after a restart). */
  readonly copiedFrom?: string;
}

/** What DescribeTable reports as GlobalTableVersion for a table that has replicas. */
export const GLOBAL_TABLE_VERSION = '2019.11.21';

/** The regions of the set other than `region`. */
export function otherReplicas(replicas: readonly ReplicaMetadata[] | undefined, region: string): readonly ReplicaMetadata[] {
  return (replicas ?? []).filter((replica) => replica.regionName !== region);
}

/** Whether a table takes part in replication: it has a replica set with another region in it. */
export function isReplicated(table: { readonly replicas?: readonly ReplicaMetadata[]; readonly region: string }): boolean {
  return otherReplicas(table.replicas, table.region).length > 0;
}
