/**
 * DynamoDB's TableDescription, built from the catalog's metadata plus live statistics. Members appear in the
 * order DynamoDB sends them, and optional ones only when DynamoDB would send them (e.g. BillingModeSummary is
 * absent for a table that was always provisioned; on-demand tables report 0 capacity units).
 */
import type { Engine } from '../engine/engine.js';
import { streamArnOf } from '../engine/streams/table-streams.js';
import type { IndexMetadata, ProvisionedThroughputSettings, TableMetadata } from '../engine/table-metadata.js';
import { readTableStats, type TableStats } from '../engine/table-stats.js';
import type { JsonObject } from './operation.js';

/** Epoch milliseconds -> DynamoDB's epoch seconds with a fraction. */
function seconds(ms: number): number {
  return ms / 1000;
}

export function streamArn(table: TableMetadata): string | undefined {
  return table.latestStreamLabel === undefined ? undefined : streamArnOf(table, table.latestStreamLabel);
}

function throughputDescription(throughput: ProvisionedThroughputSettings): JsonObject {
  const provisioned: JsonObject = {};
  if (throughput.LastIncreaseDateTime !== undefined) provisioned.LastIncreaseDateTime = seconds(throughput.LastIncreaseDateTime);
  if (throughput.LastDecreaseDateTime !== undefined) provisioned.LastDecreaseDateTime = seconds(throughput.LastDecreaseDateTime);
  provisioned.NumberOfDecreasesToday = throughput.NumberOfDecreasesToday;
  provisioned.ReadCapacityUnits = throughput.ReadCapacityUnits;
  provisioned.WriteCapacityUnits = throughput.WriteCapacityUnits;
  return provisioned;
}

export function tableDescription(table: TableMetadata, stats: TableStats): JsonObject {
  const provisioned = throughputDescription(table.provisionedThroughput);

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
    description.LocalSecondaryIndexes = table.localSecondaryIndexes.map((index) => indexDescription(table, index, stats));
  }
  if (table.globalSecondaryIndexes !== undefined && table.globalSecondaryIndexes.length > 0) {
    description.GlobalSecondaryIndexes = table.globalSecondaryIndexes.map((index) => indexDescription(table, index, stats));
  }
  const stream = table.streamSpecification;
  if (stream !== undefined && stream.StreamEnabled) description.StreamSpecification = stream;
  // The latest stream stays described after it is disabled (it is readable for 24 hours more).
  if (table.latestStreamLabel !== undefined) {
    description.LatestStreamLabel = table.latestStreamLabel;
    description.LatestStreamArn = streamArn(table);
  }
  const sse = table.sseSpecification;
  if (sse !== undefined && sse.Enabled === true) {
    // Encryption at rest with an AWS-managed (or given) KMS key; Cairn records the request and reports it.
    description.SSEDescription = {
      Status: 'ENABLED',
      SSEType: 'KMS',
      KMSMasterKeyArn: sse.KMSMasterKeyId?.startsWith('arn:')
        ? sse.KMSMasterKeyId
        : `arn:aws:kms:${table.region}:${table.accountId}:key/${sse.KMSMasterKeyId ?? table.tableId}`,
    };
  }
  if (table.tableClass !== undefined) description.TableClassSummary = { TableClass: table.tableClass };
  description.DeletionProtectionEnabled = table.deletionProtectionEnabled;
  return description;
}

/** One member of GlobalSecondaryIndexes / LocalSecondaryIndexes, in DynamoDB's member order. */
function indexDescription(table: TableMetadata, index: IndexMetadata, stats: TableStats): JsonObject {
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
    description.ProvisionedThroughput = throughputDescription(throughput);
  }
  description.IndexSizeBytes = counts.sizeBytes;
  description.ItemCount = counts.itemCount;
  description.IndexArn = `${table.tableArn}/index/${index.indexName}`;
  return description;
}

export async function describeTableWithStats(engine: Engine, table: TableMetadata): Promise<JsonObject> {
  return tableDescription(table, await readTableStats(engine.storage, table.tableId));
}
