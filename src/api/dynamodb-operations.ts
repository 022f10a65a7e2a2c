/**
 * Every operation of DynamoDB's 2012-08-10 API (from its service model), implemented by Cairn or not. A target
 * naming one Cairn does not implement is told so by name, so that a gap can be told apart from a typo.
 */
export const DYNAMODB_OPERATIONS: ReadonlySet<string> = new Set([
  'BatchExecuteStatement', 'BatchGetItem', 'BatchWriteItem', 'CreateBackup', 'CreateGlobalTable', 'CreateTable',
  'DeleteBackup', 'DeleteItem', 'DeleteResourcePolicy', 'DeleteTable', 'DescribeBackup', 'DescribeContinuousBackups',
  'DescribeContributorInsights', 'DescribeEndpoints', 'DescribeExport', 'DescribeGlobalTable',
  'DescribeGlobalTableSettings', 'DescribeImport', 'DescribeKinesisStreamingDestination', 'DescribeLimits',
  'DescribeTable', 'DescribeTableReplicaAutoScaling', 'DescribeTimeToLive', 'DisableKinesisStreamingDestination',
  'EnableKinesisStreamingDestination', 'ExecuteStatement', 'ExecuteTransaction', 'ExportTableToPointInTime',
  'GetItem', 'GetResourcePolicy', 'ImportTable', 'ListBackups', 'ListContributorInsights', 'ListExports',
  'ListGlobalTables', 'ListImports', 'ListTables', 'ListTagsOfResource', 'PutItem', 'PutResourcePolicy', 'Query',
  'RestoreTableFromBackup', 'RestoreTableToPointInTime', 'Scan', 'TagResource', 'TransactGetItems',
  'TransactWriteItems', 'UntagResource', 'UpdateContinuousBackups', 'UpdateContributorInsights', 'UpdateGlobalTable',
  'UpdateGlobalTableSettings', 'UpdateItem', 'UpdateKinesisStreamingDestination', 'UpdateTable',
  'UpdateTableReplicaAutoScaling', 'UpdateTimeToLive',
]);
