/**
 * What Cairn stores about a table in the `catalog` space. DescribeTable's TableDescription is derived from it
 * (plus live ItemCount / TableSizeBytes).
 */
import type { KeyAttributeType } from '../model/attribute-value.js';

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

/** The key of a table, resolved from KeySchema and AttributeDefinitions once, at creation. */
export interface TableKey {
  readonly hash: { readonly name: string; readonly type: KeyAttributeType };
  readonly range?: { readonly name: string; readonly type: KeyAttributeType };
}

export type StreamViewType = 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES' | 'KEYS_ONLY';

export interface StreamSpecification {
  readonly StreamEnabled: boolean;
  readonly StreamViewType?: StreamViewType;
}

export interface SseSpecification {
  readonly Enabled?: boolean;
  readonly SSEType?: 'AES256' | 'KMS';
  readonly KMSMasterKeyId?: string;
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
  readonly tableClass?: 'STANDARD' | 'STANDARD_INFREQUENT_ACCESS';
  readonly deletionProtectionEnabled: boolean;
  readonly tags: Readonly<Record<string, string>>;
  /** StreamSpecification as requested (Streams themselves come later; the settings are stored and echoed). */
  readonly streamSpecification?: StreamSpecification;
  /** Set whenever a stream is enabled: DescribeTable's LatestStreamLabel (and LatestStreamArn is derived from it). */
  readonly latestStreamLabel?: string;
  /** SSESpecification as requested; DescribeTable derives SSEDescription from it. */
  readonly sseSpecification?: SseSpecification;
  // ItemCount and TableSizeBytes are not kept here but in table-stats.ts, updated by every write.
}
