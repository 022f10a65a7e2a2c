/**
 * The legacy global tables operations (version 2017.11.29): GlobalTableName is a TableName (3-255 characters of
 * `[a-zA-Z0-9_.-]`), as in DynamoDB's model; a ReplicationGroup names regions.
 */
import { boolean, integer, list, long, maxLength, minLength, minValue, pattern, required, string, structure, type OperationSchema } from '../../validation/schema.js';
import { billingMode, controlTableName, indexName, newTableName, tableClass } from './common.js';

const optionalTableName = string(minLength(3), pattern('[a-zA-Z0-9_.-]+'), maxLength(255));
const replica = structure('Replica', { RegionName: string() });
const regionOnly = (name: string) => structure(name, { RegionName: required(string()) });

export const createGlobalTableSchema: OperationSchema = {
  operation: 'CreateGlobalTable',
  members: { GlobalTableName: newTableName, ReplicationGroup: required(list(replica)) },
};

export const describeGlobalTableSchema: OperationSchema = {
  operation: 'DescribeGlobalTable',
  members: { GlobalTableName: newTableName },
};

export const listGlobalTablesSchema: OperationSchema = {
  operation: 'ListGlobalTables',
  members: { ExclusiveStartGlobalTableName: optionalTableName, Limit: integer(minValue(1)), RegionName: string() },
};

export const updateGlobalTableSchema: OperationSchema = {
  operation: 'UpdateGlobalTable',
  members: {
    GlobalTableName: newTableName,
    ReplicaUpdates: required(list(structure('ReplicaUpdate', { Create: regionOnly('CreateReplicaAction'), Delete: regionOnly('DeleteReplicaAction') }))),
  },
};

export const describeGlobalTableSettingsSchema: OperationSchema = {
  operation: 'DescribeGlobalTableSettings',
  members: { GlobalTableName: newTableName },
};

/** AutoScalingSettingsUpdate (its policy's TargetValue, a double, is left to the operation). */
export const autoScalingSettingsUpdate = structure('AutoScalingSettingsUpdate', {
  MinimumUnits: long(minValue(1)),
  MaximumUnits: long(minValue(1)),
  AutoScalingDisabled: boolean,
  AutoScalingRoleArn: string(minLength(1), maxLength(1600)),
  ScalingPolicyUpdate: structure('AutoScalingPolicyUpdate', {
    PolicyName: string(minLength(1), maxLength(256)),
    TargetTrackingScalingPolicyConfiguration: required(
      structure('AutoScalingTargetTrackingScalingPolicyConfigurationUpdate', { DisableScaleIn: boolean, ScaleInCooldown: integer(), ScaleOutCooldown: integer() }),
    ),
  }),
});

const positive = long(minValue(1));

export const updateGlobalTableSettingsSchema: OperationSchema = {
  operation: 'UpdateGlobalTableSettings',
  members: {
    GlobalTableName: newTableName,
    GlobalTableBillingMode: billingMode,
    GlobalTableProvisionedWriteCapacityUnits: positive,
    GlobalTableProvisionedWriteCapacityAutoScalingSettingsUpdate: autoScalingSettingsUpdate,
    GlobalTableGlobalSecondaryIndexSettingsUpdate: list(
      structure('GlobalTableGlobalSecondaryIndexSettingsUpdate', {
        IndexName: required(indexName),
        ProvisionedWriteCapacityUnits: positive,
        ProvisionedWriteCapacityAutoScalingSettingsUpdate: autoScalingSettingsUpdate,
      }),
      minLength(1),
      maxLength(20),
    ),
    ReplicaSettingsUpdate: list(
      structure('ReplicaSettingsUpdate', {
        RegionName: required(string()),
        ReplicaProvisionedReadCapacityUnits: positive,
        ReplicaProvisionedReadCapacityAutoScalingSettingsUpdate: autoScalingSettingsUpdate,
        ReplicaGlobalSecondaryIndexSettingsUpdate: list(
          structure('ReplicaGlobalSecondaryIndexSettingsUpdate', {
            IndexName: required(indexName),
            ProvisionedReadCapacityUnits: positive,
            ProvisionedReadCapacityAutoScalingSettingsUpdate: autoScalingSettingsUpdate,
          }),
          minLength(1),
          maxLength(20),
        ),
        ReplicaTableClass: tableClass,
      }),
      minLength(1),
      maxLength(50),
    ),
  },
};

export const describeTableReplicaAutoScalingSchema: OperationSchema = {
  operation: 'DescribeTableReplicaAutoScaling',
  requiredParameters: ['TableName'],
  members: { TableName: controlTableName },
};

export const updateTableReplicaAutoScalingSchema: OperationSchema = {
  operation: 'UpdateTableReplicaAutoScaling',
  requiredParameters: ['TableName'],
  members: {
    GlobalSecondaryIndexUpdates: list(
      structure('GlobalSecondaryIndexAutoScalingUpdate', { IndexName: indexName, ProvisionedWriteCapacityAutoScalingUpdate: autoScalingSettingsUpdate }),
      minLength(1),
    ),
    TableName: controlTableName,
    ProvisionedWriteCapacityAutoScalingUpdate: autoScalingSettingsUpdate,
    ReplicaUpdates: list(
      structure('ReplicaAutoScalingUpdate', {
        RegionName: required(string()),
        ReplicaGlobalSecondaryIndexUpdates: list(
          structure('ReplicaGlobalSecondaryIndexAutoScalingUpdate', { IndexName: indexName, ProvisionedReadCapacityAutoScalingUpdate: autoScalingSettingsUpdate }),
        ),
        ReplicaProvisionedReadCapacityAutoScalingUpdate: autoScalingSettingsUpdate,
      }),
      minLength(1),
    ),
  },
};
