/**
 * The replica set of a global table (version 2019.11.21): every replica table of the group keeps the whole set in
 * its metadata, its own region included, so that any of them can describe the group and know whose streams to
 * follow. On one server the replicas are tables of the same account and name in other regions; the set names
 * regions only, so that a replica served by another server can join it later without changing its shape.
 */
export type ReplicaStatus = 'CREATING' | 'CREATION_FAILED' | 'ACTIVE' | 'DELETING';

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
  /**
   * The region whose table the items were copied from: it resumes the copy after a restart while CREATING, and
   * may not be deleted for 24 hours after (see actedAsSourceRecently).
   */
  readonly copiedFrom?: string;
  /** Why the replica is CREATION_FAILED (DescribeTable's ReplicaStatusDescription). */
  readonly statusDescription?: string;
  /**
   * A witness of a STRONG global table (GlobalTableWitnessUpdates): a region that takes part in the majority of
   * every write and keeps the items and their stream, but serves no client: its table is in a namespace no request
   * can name (strong-consistency.ts witnessNamespace), and DescribeTable lists it as GlobalTableWitnesses.
   */
  readonly witness?: true;
}

/** How long after a replica is added its source table may not be deleted (DynamoDB's 24 hours). */
export const SOURCE_DELETION_DELAY_MS = 24 * 60 * 60 * 1000;

/**
 * Whether the table in `region` was used to create a replica in the last 24 hours: DynamoDB refuses to delete it
 * until then ("You won't be able to delete a source table until at least 24 hours after it's used to initiate a
 * new Region", developer guide, global tables: how it works).
 */
export function actedAsSourceRecently(replicas: readonly ReplicaMetadata[] | undefined, region: string, now: number): boolean {
  return (replicas ?? []).some((replica) => replica.copiedFrom === region && now - replica.createdAt < SOURCE_DELETION_DELAY_MS);
}

/**
 * The refusal of that deletion. The text is the one DynamoDB is reported to answer; no public capture confirms
 * it word for word.
 */
export const SOURCE_DELETION_REFUSED =
  'Replica cannot be deleted because it has acted as a source region for new replica(s) being added to the table in the last 24 hours.';

/** What DescribeTable reports as GlobalTableVersion for a table that has replicas. */
export const GLOBAL_TABLE_VERSION = '2019.11.21';

/** The version of a global table made by CreateGlobalTable (the legacy API), as DescribeTable reports it. */
export const LEGACY_GLOBAL_TABLE_VERSION = '2017.11.29';

/** The regions of the set other than `region`. */
export function otherReplicas(replicas: readonly ReplicaMetadata[] | undefined, region: string): readonly ReplicaMetadata[] {
  return (replicas ?? []).filter((replica) => replica.regionName !== region);
}

/**
 * The other replicas a table exchanges writes with: those of the set that are neither being deleted nor failed to
 * be created (a failed replica stays in the set, CREATION_FAILED, until it is deleted or created again).
 */
export function followedReplicas(replicas: readonly ReplicaMetadata[] | undefined, region: string): readonly ReplicaMetadata[] {
  return otherReplicas(replicas, region).filter((replica) => replica.status !== 'DELETING' && replica.status !== 'CREATION_FAILED');
}

/** Whether a table takes part in replication: it has a replica set with another region in it. */
export function isReplicated(table: { readonly replicas?: readonly ReplicaMetadata[]; readonly region: string }): boolean {
  return otherReplicas(table.replicas, table.region).length > 0;
}
