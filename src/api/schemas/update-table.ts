/**
 * UpdateTable. The `At least one of ... is required` check is left to the operation: DynamoDB's current list of
 * members in that message is longer than the documented one.
 */
import {
  boolean,
  list,
  long,
  minLength,
  minValue,
  maxLength,
  oneOf,
  required,
  string,
  structure,
  type OperationSchema,
  type StructureSchema,
} from '../../validation/schema.js';
import {
  attributeDefinitions,
  billingMode,
  controlTableName,
  globalIndexKeySchema,
  indexName,
  onDemandThroughput,
  projection,
  provisionedThroughput,
  sseSpecification,
  streamSpecification,
  tableClass,
  warmThroughput,
} from './common.js';
import { validationError } from '../../errors.js';

const provisionedThroughputOverride = structure('ProvisionedThroughputOverride', {
  ReadCapacityUnits: long(minValue(1)),
});
const onDemandThroughputOverride = structure('OnDemandThroughputOverride', { MaxReadRequestUnits: long() });

const replicaIndexes = list(
  structure('ReplicaGlobalSecondaryIndex', {
    IndexName: required(indexName),
    ProvisionedThroughputOverride: provisionedThroughputOverride,
    OnDemandThroughputOverride: onDemandThroughputOverride,
  }),
  minLength(1),
);

/** A replica or witness action: the region, and for Create/Update of replicas their overrides. */
function replicaAction(name: string, full: boolean): StructureSchema {
  return structure(
    name,
    full
      ? {
          RegionName: required(string()),
          KMSMasterKeyId: string(),
          ProvisionedThroughputOverride: provisionedThroughputOverride,
          OnDemandThroughputOverride: onDemandThroughputOverride,
          GlobalSecondaryIndexes: replicaIndexes,
          TableClassOverride: tableClass,
        }
      : { RegionName: required(string()) },
  );
}

export const updateTableSchema: OperationSchema = {
  operation: 'UpdateTable',
  requiredParameters: ['TableName'],
  members: {
    AttributeDefinitions: attributeDefinitions,
    TableName: controlTableName,
    ProvisionedThroughput: provisionedThroughput,
    BillingMode: billingMode,
    GlobalSecondaryIndexUpdates: list(
      structure('GlobalSecondaryIndexUpdate', {
        Update: structure('UpdateGlobalSecondaryIndexAction', {
          IndexName: required(indexName),
          ProvisionedThroughput: provisionedThroughput,
          OnDemandThroughput: onDemandThroughput,
          WarmThroughput: warmThroughput,
        }),
        Create: structure('CreateGlobalSecondaryIndexAction', {
          Projection: required(projection),
          IndexName: required(indexName),
          ProvisionedThroughput: provisionedThroughput,
          KeySchema: required(globalIndexKeySchema),
          OnDemandThroughput: onDemandThroughput,
          WarmThroughput: warmThroughput,
        }),
        Delete: structure('DeleteGlobalSecondaryIndexAction', { IndexName: required(indexName) }),
      }),
    ),
    StreamSpecification: streamSpecification,
    SSESpecification: sseSpecification,
    ReplicaUpdates: list(
      structure('ReplicationGroupUpdate', {
        Create: replicaAction('CreateReplicationGroupMemberAction', true),
        Update: replicaAction('UpdateReplicationGroupMemberAction', true),
        Delete: replicaAction('DeleteReplicationGroupMemberAction', false),
      }),
      minLength(1),
    ),
    TableClass: tableClass,
    DeletionProtectionEnabled: boolean,
    MultiRegionConsistency: string(oneOf('EVENTUAL', 'STRONG')),
    GlobalTableWitnessUpdates: list(
      structure('GlobalTableWitnessGroupUpdate', {
        Create: replicaAction('CreateGlobalTableWitnessGroupMemberAction', false),
        Delete: replicaAction('DeleteGlobalTableWitnessGroupMemberAction', false),
      }),
      minLength(1),
      maxLength(1),
    ),
    OnDemandThroughput: onDemandThroughput,
    WarmThroughput: warmThroughput,
    GlobalTableSettingsReplicationMode: string(oneOf('ENABLED', 'DISABLED', 'ENABLED_WITH_OVERRIDES')),
  },
  custom(body) {
    const updates = body.GlobalSecondaryIndexUpdates;
    if (!Array.isArray(updates)) return;
    const invalid = 'One or more parameter values were invalid: ';
    const seen = new Set<unknown>();
    for (const update of updates as readonly (Readonly<Record<string, Readonly<Record<string, unknown>> | null | undefined>> | null)[]) {
      if (update === null) continue;
      const action = update.Update ?? update.Create ?? update.Delete;
      if (action === undefined || action === null) {
        throw validationError(
          `${invalid}One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, ` +
            'GlobalSecondaryIndexUpdate.Delete must not be null',
        );
      }
      const name = action.IndexName;
      if (seen.has(name)) {
        throw validationError(
          `${invalid}Only one global secondary index update per index is allowed simultaneously. Index: ${String(name)}`,
        );
      }
      seen.add(name);
    }
  },
};
