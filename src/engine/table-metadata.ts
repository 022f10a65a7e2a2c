/**
 * What Cairn stores about a table in the `catalog` space. DescribeTable's TableDescription is derived from it
 * (plus live ItemCount / TableSizeBytes).
 */
import type { KeyAttributeType } from '../model/attribute-value.js';
import type { ReplicaMetadata } from './replication/replica-set.js';

export interface KeySchemaElement {
  readonly AttributeName: string;
  readonly KeyType: 'HASH' | 'RANGE';
}

export interface AttributeDefinition {
  readonly AttributeName: string;
  readonly AttributeType: KeyAttributeType;
}

export type TableStatus = 'CREATING' | 'UPDATING' | 'DELETING' | 'ACTIVE' | 'ARCHIVING' | 'ARCHIVED';
export type BillingMode = 'PROVISIONED' | 'PAY_PER_REQUEST';

export interface ProvisionedThroughputSettings {
  readonly ReadCapacityUnits: number;
  readonly WriteCapacityUnits: number;
  /** Epoch seconds, as DynamoDB reports them. */
  readonly LastIncreaseDateTime?: number;
  readonly LastDecreaseDateTime?: number;
  readonly NumberOfDecreasesToday: number;
}

/** One attribute of a key: its name and its type from AttributeDefinitions. */
export interface KeyPart {
  readonly name: string;
  readonly type: KeyAttributeType;
}

/** The key of a table, resolved from KeySchema and AttributeDefinitions once, at creation. */
export interface TableKey {
  readonly hash: KeyPart;
  readonly range?: KeyPart;
  /**
   * Only on a GSI whose key has more than one HASH or more than one RANGE attribute (multi-attribute keys): every
   * attribute of each, in KeySchema order; `hash` and `range` are then the first of each. Absent on every other
   * key (and on indexes stored before multi-attribute keys existed), which is read as `[hash]` and `[range]`
   * (src/model/key-parts.ts).
   */
  readonly parts?: { readonly hash: readonly KeyPart[]; readonly range: readonly KeyPart[] };
}

export type StreamViewType = 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES' | 'KEYS_ONLY';

/**
 * A stream of the table, current or past: a stream disabled (or replaced by re-enabling) stays readable for 24 hours
 * under its own ARN (its label). Its records and shard state live in the spaces of src/engine/streams/.
 */
export interface TableStream {
  readonly label: string;
  readonly viewType: StreamViewType;
  /** Epoch ms. */
  readonly enabledAt: number;
  /** Epoch ms, once disabled. */
  readonly disabledAt?: number;
}

/** The table's Time to Live setting (UpdateTimeToLive). */
export interface TimeToLive {
  readonly attributeName: string;
  /** ENABLING while the expiry index of existing items is built; DISABLED keeps the name for DescribeTimeToLive. */
  readonly status: 'ENABLING' | 'ENABLED' | 'DISABLING' | 'DISABLED';
  /** Epoch ms of the last change (DynamoDB allows one change per hour). */
  readonly changedAt: number;
}

/**
 * An on-demand table's (or GSI's) maximum request units (OnDemandThroughput). A member absent here has no maximum;
 * capacity enforcement reads these.
 */
export interface OnDemandThroughputSettings {
  readonly MaxReadRequestUnits?: number;
  readonly MaxWriteRequestUnits?: number;
}

/**
 * The warm throughput a table (or GSI) was asked to keep ready (WarmThroughput), in units per second. DynamoDB
 * describes the larger of this and the throughput the table has anyway (see table-throughput.ts).
 */
export interface WarmThroughputSettings {
  readonly ReadUnitsPerSecond?: number;
  readonly WriteUnitsPerSecond?: number;
}

export interface StreamSpecification {
  readonly StreamEnabled: boolean;
  readonly StreamViewType?: StreamViewType;
}

export interface SseSpecification {
  readonly Enabled?: boolean;
  readonly SSEType?: 'AES256' | 'KMS';
  readonly KMSMasterKeyId?: string;
}

export type ProjectionType = 'ALL' | 'KEYS_ONLY' | 'INCLUDE';

export interface IndexProjection {
  readonly ProjectionType: ProjectionType;
  /** Only for INCLUDE: the non-key attributes copied into the index. */
  readonly NonKeyAttributes?: readonly string[];
}

/**
 * A secondary index. Its entries live in the storage space `i/<indexId>` (src/engine/secondary-index.ts), so an
 * index deleted and re-created under the same name starts empty.
 */
export interface IndexMetadata {
  readonly indexName: string;
  readonly indexId: string;
  readonly kind: 'GLOBAL' | 'LOCAL';
  readonly key: TableKey;
  readonly keySchema: readonly KeySchemaElement[];
  readonly projection: IndexProjection;
  /**
   * CREATING while a GSI added by UpdateTable is backfilled (the write path maintains it already), DELETING while
   * it is dropped; ACTIVE otherwise. Indexes defined by CreateTable are ACTIVE with the table.
   */
  readonly status: 'CREATING' | 'UPDATING' | 'DELETING' | 'ACTIVE';
  /** True while the backfill of a CREATING index runs. */
  readonly backfilling?: boolean;
  /** GSIs only (LSIs share the table's throughput). */
  readonly provisionedThroughput?: ProvisionedThroughputSettings;
  /** GSIs of an on-demand table only: the index's maximum request units, when set. */
  readonly onDemandThroughput?: OnDemandThroughputSettings;
  /** GSIs only: the warm throughput asked for, when set. */
  readonly warmThroughput?: WarmThroughputSettings;
}

/** A resource-based policy as put: the document's text exactly as given, and its revision. */
export interface StoredPolicy {
  readonly policy: string;
  /** Epoch milliseconds of the put, as text (DynamoDB's revision ids are such timestamps). */
  readonly revisionId: string;
}

export interface TableMetadata {
  readonly region: string;
  readonly accountId: string;
  readonly tableName: string;
  /** A UUID; the storage space of the items is `t/<tableId>`, so a re-created table never sees old items. */
  readonly tableId: string;
  readonly tableArn: string;
  readonly key: TableKey;
  readonly keySchema: readonly KeySchemaElement[];
  readonly attributeDefinitions: readonly AttributeDefinition[];
  readonly status: TableStatus;
  /** Epoch milliseconds. */
  readonly creationDateTime: number;
  readonly billingMode: BillingMode;
  /** Epoch milliseconds when billing mode was last set (BillingModeSummary.LastUpdateToPayPerRequestDateTime). */
  readonly billingModeUpdatedAt?: number;
  readonly provisionedThroughput: ProvisionedThroughputSettings;
  /** On-demand tables only: the maximum request units, when set (CreateTable / UpdateTable OnDemandThroughput). */
  readonly onDemandThroughput?: OnDemandThroughputSettings;
  /** The warm throughput asked for, when set (CreateTable / UpdateTable WarmThroughput). */
  readonly warmThroughput?: WarmThroughputSettings;
  readonly tableClass?: 'STANDARD' | 'STANDARD_INFREQUENT_ACCESS';
  readonly deletionProtectionEnabled: boolean;
  readonly tags: Readonly<Record<string, string>>;
  /** Global secondary indexes, in the order they were defined (absent when there are none). */
  readonly globalSecondaryIndexes?: readonly IndexMetadata[];
  /** Local secondary indexes, fixed at creation (absent when there are none). */
  readonly localSecondaryIndexes?: readonly IndexMetadata[];
  /** StreamSpecification as requested (Streams themselves come later; the settings are stored and echoed). */
  readonly streamSpecification?: StreamSpecification;
  /** Set whenever a stream is enabled: DescribeTable's LatestStreamLabel (and LatestStreamArn is derived from it). */
  readonly latestStreamLabel?: string;
  /** The table's streams, oldest first: the enabled one (if any) and those disabled less than 24 hours ago. */
  readonly streams?: readonly TableStream[];
  /** Time to Live; absent until UpdateTimeToLive is first called. */
  readonly timeToLive?: TimeToLive;
  /** SSESpecification as requested; DescribeTable derives SSEDescription from it. */
  readonly sseSpecification?: SseSpecification;
  /** The table's resource-based policy (PutResourcePolicy, CreateTable's ResourcePolicy); it governs its indexes too. */
  readonly resourcePolicy?: StoredPolicy;
  /** Each stream's own resource-based policy, by stream label (a stream's policy is apart from its table's). */
  readonly streamPolicies?: Readonly<Record<string, StoredPolicy>>;
  /**
   * Global tables (version 2019.11.21): the whole replica set, this table's own region included (see
   * replication/replica-set.ts). Absent for a table that was never replicated.
   */
  readonly replicas?: readonly ReplicaMetadata[];
  /**
   * `STRONG` for a global table made with multi-Region strong consistency (UpdateTable MultiRegionConsistency):
   * its writes are acknowledged once a majority of its three regions has them, and a strongly consistent read
   * sees every acknowledged write (replication/strong-writes.ts). Absent for every other table (EVENTUAL).
   */
  readonly multiRegionConsistency?: 'STRONG';
  /**
   * Global tables version 2017.11.29: set on every member of a global table made by CreateGlobalTable (its
   * replica set is then managed by UpdateGlobalTable); the time the global table was created, epoch ms.
   */
  readonly legacyGlobalTable?: { readonly createdAt: number };
  /**
   * Auto scaling settings (UpdateTableReplicaAutoScaling, UpdateGlobalTableSettings), recorded and described;
   * Cairn does not act on them (README, Global tables).
   */
  readonly autoScaling?: TableAutoScaling;
  // ItemCount and TableSizeBytes are not kept here but in table-stats.ts, updated by every write.
}

/** A target tracking policy of Application Auto Scaling, as DynamoDB describes it. */
export interface AutoScalingPolicy {
  readonly PolicyName: string;
  readonly TargetTrackingScalingPolicyConfiguration: {
    readonly DisableScaleIn?: boolean;
    readonly ScaleInCooldown?: number;
    readonly ScaleOutCooldown?: number;
    readonly TargetValue: number;
  };
}

/** The auto scaling of one capacity (a table's or an index's reads or writes). */
export interface AutoScalingSettings {
  readonly MinimumUnits: number;
  readonly MaximumUnits: number;
  readonly AutoScalingDisabled: boolean;
  readonly AutoScalingRoleArn: string;
  readonly ScalingPolicies: readonly AutoScalingPolicy[];
}

export interface CapacityAutoScaling {
  readonly read?: AutoScalingSettings;
  readonly write?: AutoScalingSettings;
}

export interface TableAutoScaling extends CapacityAutoScaling {
  /** By index name. */
  readonly indexes?: Readonly<Record<string, CapacityAutoScaling>>;
}
