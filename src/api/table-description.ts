/**
 * DynamoDB's TableDescription, built from the catalog's metadata plus live statistics. Members appear in the
 * order DynamoDB sends them, and optional ones only when DynamoDB would send them (e.g. BillingModeSummary is
 * absent for a table that was always provisioned; on-demand tables report 0 capacity units).
 */
import { createHash } from 'node:crypto';
import type { Engine } from '../engine/engine.js';
import { streamArnOf } from '../engine/streams/table-streams.js';
import type { IndexMetadata, ProvisionedThroughputSettings, TableMetadata } from '../engine/table-metadata.js';
import { readTableStats, type TableStats } from '../engine/table-stats.js';
import { describeReplicas } from './replica-description.js';
import type { JsonObject } from './operation.js';
import { describedWarm, onDemandDescription } from './table-throughput.js';
import { decreasesToday } from '../capacity/decrease-limit.js';

/** Epoch milliseconds -> DynamoDB's epoch seconds with a fraction. */
function seconds(ms: number): number {
  return ms / 1000;
}

export function streamArn(table: TableMetadata): string | undefined {
  return table.latestStreamLabel === undefined ? undefined : streamArnOf(table, table.latestStreamLabel);
}

/**
 * What the capacity model adds to a description: the capacity time (NumberOfDecreasesToday counts the current
 * UTC day of it) and the warm throughput the table and its GSIs have reached (an on-demand table that served a
 * higher peak can serve it again at once, and DynamoDB raises WarmThroughput to show it).
 */
export interface LiveCapacity {
  readonly now: number;
  readonly tableWarm?: WarmUnits;
  /** By indexId. */
  readonly indexWarm?: ReadonlyMap<string, WarmUnits>;
}

export interface WarmUnits {
  readonly readUnits: number;
  readonly writeUnits: number;
}

function throughputDescription(throughput: ProvisionedThroughputSettings, live: LiveCapacity | undefined): JsonObject {
  const provisioned: JsonObject = {};
  if (throughput.LastIncreaseDateTime !== undefined) provisioned.LastIncreaseDateTime = seconds(throughput.LastIncreaseDateTime);
  if (throughput.LastDecreaseDateTime !== undefined) provisioned.LastDecreaseDateTime = seconds(throughput.LastDecreaseDateTime);
  provisioned.NumberOfDecreasesToday = live === undefined ? throughput.NumberOfDecreasesToday : decreasesToday(throughput, live.now);
  provisioned.ReadCapacityUnits = throughput.ReadCapacityUnits;
  provisioned.WriteCapacityUnits = throughput.WriteCapacityUnits;
  return provisioned;
}


/** `encryptedAtRest`: whether the store encrypts what it writes (see sseDescriptionOf). */
export function tableDescription(table: TableMetadata, stats: TableStats, encryptedAtRest: boolean, live?: LiveCapacity): JsonObject {
  const provisioned = throughputDescription(table.provisionedThroughput, live);

  const description: JsonObject = {
    AttributeDefinitions: table.attributeDefinitions,
    TableName: table.tableName,
    KeySchema: table.keySchema,
    // A table reports UPDATING while one of its indexes is being built or dropped.
    TableStatus:
      table.status === 'ACTIVE' && table.globalSecondaryIndexes?.some((index) => index.status !== 'ACTIVE') ? 'UPDATING' : table.status,
    CreationDateTime: seconds(table.creationDateTime),
    ProvisionedThroughput: provisioned,
    TableSizeBytes: stats.sizeBytes,
    ItemCount: stats.itemCount,
    TableArn: table.tableArn,
    TableId: table.tableId,
  };
  // A table that has only ever been provisioned has no BillingModeSummary; one that is or was on-demand has it.
  if (table.billingMode === 'PAY_PER_REQUEST' || table.billingModeUpdatedAt !== undefined) {
    const summary: JsonObject = { BillingMode: table.billingMode };
    if (table.billingModeUpdatedAt !== undefined) summary.LastUpdateToPayPerRequestDateTime = seconds(table.billingModeUpdatedAt);
    description.BillingModeSummary = summary;
  }
  if (table.localSecondaryIndexes !== undefined) {
    description.LocalSecondaryIndexes = table.localSecondaryIndexes.map((index) => indexDescription(table, index, stats, live));
  }
  if (table.globalSecondaryIndexes !== undefined && table.globalSecondaryIndexes.length > 0) {
    description.GlobalSecondaryIndexes = table.globalSecondaryIndexes.map((index) => indexDescription(table, index, stats, live));
  }
  const stream = table.streamSpecification;
  if (stream !== undefined && stream.StreamEnabled) description.StreamSpecification = stream;
  // The latest stream stays described after it is disabled (it is readable for 24 hours more).
  if (table.latestStreamLabel !== undefined) {
    description.LatestStreamLabel = table.latestStreamLabel;
    description.LatestStreamArn = streamArn(table);
  }
  const sseDescription = sseDescriptionOf(table, encryptedAtRest);
  if (sseDescription !== undefined) description.SSEDescription = sseDescription;
  if (table.tableClass !== undefined) description.TableClassSummary = { TableClass: table.tableClass };
  description.DeletionProtectionEnabled = table.deletionProtectionEnabled;
  const onDemand = onDemandDescription(table.onDemandThroughput);
  if (onDemand !== undefined) description.OnDemandThroughput = onDemand;
  description.WarmThroughput = { ...describedWarm(table.warmThroughput, table.billingMode, table.provisionedThroughput, live?.tableWarm), Status: 'ACTIVE' };
  return description;
}

/**
 * SSEDescription. With encryption at rest (`--encryption-key-file`), as DynamoDB gives it: none for a table
 * encrypted with the AWS-owned key (no SSESpecification, or Enabled false; Cairn's key plays that key's part), and
 * for KMS (Enabled true, or SSEType KMS) the status, the type and the key's ARN: the account's AWS-managed
 * `aws/dynamodb` key unless a key was named. Cairn records the KMS key and describes it, but encrypts with its own
 * key (README: Encryption at rest); it cannot resolve a key alias to its key's ARN, so an alias is reported as the
 * alias's ARN.
 *
 * Without encryption at rest, DynamoDB's answers would claim what is not true (DynamoDB always encrypts, and no
 * SSEDescription means the AWS-owned key), so every table says Status DISABLED: a value of DynamoDB's SSEStatus
 * enum (in its service model, and described as "Server-side encryption is disabled" by earlier API references;
 * today's reference lists only ENABLED and UPDATING as in use, so no live DynamoDB answer confirms this one). The
 * KMS type and key the table asked for, if any, are kept beside it so that the setting is still visible.
 */
function sseDescriptionOf(table: TableMetadata, encryptedAtRest: boolean): JsonObject | undefined {
  const sse = table.sseSpecification;
  const kmsRequested = sse !== undefined && sse.Enabled !== false && (sse.Enabled === true || sse.SSEType === 'KMS');
  if (!encryptedAtRest) return kmsRequested ? { Status: 'DISABLED', SSEType: 'KMS', KMSMasterKeyArn: kmsKeyArn(table) } : { Status: 'DISABLED' };
  if (!kmsRequested) return undefined;
  return { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: kmsKeyArn(table) };
}

/** The ARN of the KMS key a table asked for: the account's AWS-managed key unless one was named. */
function kmsKeyArn(table: TableMetadata): string {
  const sse = table.sseSpecification;
  const kms = `arn:aws:kms:${table.region}:${table.accountId}`;
  const keyId = sse?.KMSMasterKeyId;
  if (keyId === undefined) return `${kms}:key/${awsManagedKeyId(table.region, table.accountId)}`;
  if (keyId.startsWith('arn:')) return keyId;
  if (keyId.startsWith('alias/')) return `${kms}:${keyId}`;
  return `${kms}:key/${keyId}`;
}

/** A stable key id for the account's `aws/dynamodb` key in a region (one key for all its tables, as in AWS). */
function awsManagedKeyId(region: string, accountId: string): string {
  const hex = createHash('sha256').update(`aws/dynamodb/${region}/${accountId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** One member of GlobalSecondaryIndexes / LocalSecondaryIndexes, in DynamoDB's member order. */
function indexDescription(table: TableMetadata, index: IndexMetadata, stats: TableStats, live: LiveCapacity | undefined): JsonObject {
  const counts = stats.indexes?.[index.indexId] ?? { itemCount: 0, sizeBytes: 0 };
  const description: JsonObject = {
    IndexName: index.indexName,
    KeySchema: index.keySchema,
    Projection: index.projection,
  };
  if (index.kind === 'GLOBAL') {
    description.IndexStatus = index.status;
    if (index.status === 'CREATING') description.Backfilling = index.backfilling === true;
    const throughput = index.provisionedThroughput ?? { ReadCapacityUnits: 0, WriteCapacityUnits: 0, NumberOfDecreasesToday: 0 };
    description.ProvisionedThroughput = throughputDescription(throughput, live);
  }
  description.IndexSizeBytes = counts.sizeBytes;
  description.ItemCount = counts.itemCount;
  description.IndexArn = `${table.tableArn}/index/${index.indexName}`;
  if (index.kind === 'GLOBAL') {
    const onDemand = onDemandDescription(index.onDemandThroughput);
    if (onDemand !== undefined) description.OnDemandThroughput = onDemand;
    const reached = live?.indexWarm?.get(index.indexId);
    description.WarmThroughput = { ...describedWarm(index.warmThroughput, table.billingMode, index.provisionedThroughput, reached), Status: 'ACTIVE' };
  }
  return description;
}

export async function describeTableWithStats(engine: Engine, table: TableMetadata): Promise<JsonObject> {
  const stats = await readTableStats(engine.storage, table.tableId);
  const description = tableDescription(table, stats, engine.encryptedAtRest, liveCapacity(engine, table));
  describeReplicas(description, table, engine.replicaCopyProgress, stats.itemCount);
  return description;
}

/** The capacity model's view of a table for its description (none when capacity is off). */
export function liveCapacity(engine: Engine, table: TableMetadata): LiveCapacity {
  const capacity = engine.capacity;
  const now = capacity.clock.now();
  if (!capacity.counting) return { now };
  const resources = capacity.of(table);
  const indexWarm = new Map<string, WarmUnits>();
  for (const [indexId, resource] of resources.indexes) indexWarm.set(indexId, resource.warmThroughput(now));
  return { now, tableWarm: resources.table.warmThroughput(now), indexWarm };
}
