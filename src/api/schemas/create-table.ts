/**
 * CreateTable. Members in DynamoDB's reporting order (AttributeDefinitions, TableName, BillingMode,
 * ProvisionedThroughput, KeySchema, indexes, then the members added since). ProvisionedThroughput is no longer
 * required by the constraints: its absence under PROVISIONED billing is the operation's own message.
 */
import {
  boolean,
  list,
  maxLength,
  minLength,
  oneOf,
  required,
  string,
  structure,
  type OperationSchema,
} from '../../validation/schema.js';
import {
  attributeDefinitions,
  billingMode,
  globalIndexKeySchema,
  indexKeySchema,
  indexName,
  newTableName,
  onDemandThroughput,
  projection,
  provisionedThroughput,
  sseSpecification,
  streamSpecification,
  tableClass,
  tableKeySchema,
  tags,
  warmThroughput,
} from './common.js';

export const createTableSchema: OperationSchema = {
  operation: 'CreateTable',
  requiredParameters: ['TableName'],
  members: {
    AttributeDefinitions: required(attributeDefinitions),
    TableName: newTableName,
    BillingMode: billingMode,
    ProvisionedThroughput: provisionedThroughput,
    KeySchema: required(tableKeySchema),
    LocalSecondaryIndexes: list(
      structure('LocalSecondaryIndex', {
        IndexName: required(indexName),
        KeySchema: required(indexKeySchema),
        Projection: required(projection),
      }),
    ),
    GlobalSecondaryIndexes: list(
      structure('GlobalSecondaryIndex', {
        IndexName: required(indexName),
        KeySchema: required(globalIndexKeySchema),
        Projection: required(projection),
        ProvisionedThroughput: provisionedThroughput,
        OnDemandThroughput: onDemandThroughput,
        WarmThroughput: warmThroughput,
      }),
    ),
    StreamSpecification: streamSpecification,
    SSESpecification: sseSpecification,
    Tags: tags,
    TableClass: tableClass,
    DeletionProtectionEnabled: boolean,
    WarmThroughput: warmThroughput,
    ResourcePolicy: string(),
    OnDemandThroughput: onDemandThroughput,
    GlobalTableSourceArn: string(minLength(1), maxLength(1024)),
    GlobalTableSettingsReplicationMode: string(oneOf('ENABLED', 'DISABLED', 'ENABLED_WITH_OVERRIDES')),
  },
};
