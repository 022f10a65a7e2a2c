/**
 * The legacy global tables operations (version 2017.11.29): GlobalTableName is a TableName (3-255 characters of
 * `[a-zA-Z0-9_.-]`), as in DynamoDB's model; a ReplicationGroup names regions.
 */
import { integer, list, maxLength, minLength, minValue, pattern, required, string, structure, type OperationSchema } from '../../validation/schema.js';
import { newTableName } from './common.js';

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
