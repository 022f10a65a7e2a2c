/**
 * Valid requests, one or more per operation, that the wire fuzz mutates. Starting from valid requests (rather
 * than from random JSON alone) gets the mutations past the wire checks and deep into validation, expression
 * parsing and the operations themselves, where the interesting failures hide.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** The table every item template targets (created before fuzzing). */
export const FUZZ_TABLE = 'fuzz_items';

export const FUZZ_TABLE_DEFINITION: JsonValue = {
  TableName: FUZZ_TABLE,
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'N' },
  ],
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  BillingMode: 'PAY_PER_REQUEST',
};

/** Every operation of DynamoDB's 2012-08-10 API, implemented by Cairn or not (the latter must be refused cleanly). */
export const DYNAMODB_OPERATIONS: readonly string[] = [
  'BatchExecuteStatement', 'BatchGetItem', 'BatchWriteItem', 'CreateBackup', 'CreateGlobalTable', 'CreateTable',
  'DeleteBackup', 'DeleteItem', 'DeleteResourcePolicy', 'DeleteTable', 'DescribeBackup', 'DescribeContinuousBackups',
  'DescribeContributorInsights', 'DescribeEndpoints', 'DescribeExport', 'DescribeGlobalTable',
  'DescribeGlobalTableSettings', 'DescribeImport', 'DescribeKinesisStreamingDestination', 'DescribeLimits',
  'DescribeTable', 'DescribeTableReplicaAutoScaling', 'DescribeTimeToLive', 'DisableKinesisStreamingDestination',
  'EnableKinesisStreamingDestination', 'ExecuteStatement', 'ExecuteTransaction', 'ExportTableToPointInTime', 'GetItem',
  'GetResourcePolicy', 'ImportTable', 'ListBackups', 'ListContributorInsights', 'ListExports', 'ListGlobalTables',
  'ListImports', 'ListTables', 'ListTagsOfResource', 'PutItem', 'PutResourcePolicy', 'Query', 'RestoreTableFromBackup',
  'RestoreTableToPointInTime', 'Scan', 'TagResource', 'TransactGetItems', 'TransactWriteItems', 'UntagResource',
  'UpdateContinuousBackups', 'UpdateContributorInsights', 'UpdateGlobalTable', 'UpdateGlobalTableSettings',
  'UpdateItem', 'UpdateKinesisStreamingDestination', 'UpdateTable', 'UpdateTableReplicaAutoScaling', 'UpdateTimeToLive',
];

const KEY: JsonValue = { pk: { S: 'alpha' }, sk: { N: '1' } };

/** An item with every attribute type, nested, so mutations can reach each kind of attribute value. */
const ITEM: JsonValue = {
  pk: { S: 'alpha' },
  sk: { N: '1' },
  count: { N: '42' },
  price: { N: '-1.5E+3' },
  name: { S: 'fuzz' },
  blob: { B: 'AAEC' },
  flag: { BOOL: true },
  nothing: { NULL: true },
  tags: { SS: ['a', 'b'] },
  scores: { NS: ['1', '2.5'] },
  blobs: { BS: ['AQ==', 'Ag=='] },
  list: { L: [{ S: 'x' }, { N: '0' }, { M: { deep: { L: [] } } }] },
  map: { M: { inner: { S: 'y' }, list: { L: [{ BOOL: false }] } } },
};

const ARN = `arn:aws:dynamodb:us-east-1:000000000000:table/${FUZZ_TABLE}`;

/** [operation, valid body] pairs. */
export const REQUEST_TEMPLATES: readonly (readonly [string, JsonValue])[] = [
  ['ListTables', {}],
  ['ListTables', { Limit: 2, ExclusiveStartTableName: 'a' }],
  ['DescribeTable', { TableName: FUZZ_TABLE }],
  [
    'CreateTable',
    {
      TableName: 'fuzz_scratch',
      AttributeDefinitions: [
        { AttributeName: 'id', AttributeType: 'B' },
        { AttributeName: 'g', AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'by_g',
          KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['x'] },
          ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
        },
      ],
      ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
      Tags: [{ Key: 'k', Value: 'v' }],
    },
  ],
  ['UpdateTable', { TableName: FUZZ_TABLE, BillingMode: 'PAY_PER_REQUEST' }],
  ['DeleteTable', { TableName: 'fuzz_scratch' }],
  ['PutItem', { TableName: FUZZ_TABLE, Item: ITEM }],
  [
    'PutItem',
    {
      TableName: FUZZ_TABLE,
      Item: ITEM,
      ConditionExpression: 'attribute_not_exists(#p) OR (#c < :max AND size(#n) BETWEEN :lo AND :hi)',
      ExpressionAttributeNames: { '#p': 'pk', '#c': 'count', '#n': 'name' },
      ExpressionAttributeValues: { ':max': { N: '100' }, ':lo': { N: '1' }, ':hi': { N: '10' } },
      ReturnValues: 'ALL_OLD',
      ReturnConsumedCapacity: 'TOTAL',
      ReturnItemCollectionMetrics: 'SIZE',
    },
  ],
  ['PutItem', { TableName: FUZZ_TABLE, Item: ITEM, Expected: { count: { ComparisonOperator: 'GE', AttributeValueList: [{ N: '1' }] } } }],
  ['GetItem', { TableName: FUZZ_TABLE, Key: KEY }],
  [
    'GetItem',
    {
      TableName: FUZZ_TABLE,
      Key: KEY,
      ProjectionExpression: '#m.inner, list[2].M, tags, #c',
      ExpressionAttributeNames: { '#m': 'map', '#c': 'count' },
      ConsistentRead: true,
    },
  ],
  ['GetItem', { TableName: FUZZ_TABLE, Key: KEY, AttributesToGet: ['name', 'count'] }],
  [
    'UpdateItem',
    {
      TableName: FUZZ_TABLE,
      Key: KEY,
      UpdateExpression:
        'SET #c = #c + :one, #l = list_append(if_not_exists(#l, :empty), :more), #m.inner = :s REMOVE price ADD scores :ns DELETE tags :ss',
      ConditionExpression: 'attribute_exists(pk) AND begins_with(#n, :prefix) AND NOT contains(tags, :t)',
      ExpressionAttributeNames: { '#c': 'count', '#l': 'list', '#m': 'map', '#n': 'name' },
      ExpressionAttributeValues: {
        ':one': { N: '1' },
        ':empty': { L: [] },
        ':more': { L: [{ S: 'z' }] },
        ':s': { S: 'changed' },
        ':ns': { NS: ['7'] },
        ':ss': { SS: ['a'] },
        ':prefix': { S: 'fu' },
        ':t': { S: 'zzz' },
      },
      ReturnValues: 'UPDATED_NEW',
    },
  ],
  ['UpdateItem', { TableName: FUZZ_TABLE, Key: KEY, AttributeUpdates: { count: { Action: 'ADD', Value: { N: '1' } } } }],
  [
    'DeleteItem',
    {
      TableName: FUZZ_TABLE,
      Key: KEY,
      ConditionExpression: '#c IN (:a, :b) OR attribute_type(#c, :type)',
      ExpressionAttributeNames: { '#c': 'count' },
      ExpressionAttributeValues: { ':a': { N: '1' }, ':b': { N: '42' }, ':type': { S: 'N' } },
      ReturnValues: 'ALL_OLD',
    },
  ],
  [
    'Query',
    {
      TableName: FUZZ_TABLE,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lo AND :hi',
      FilterExpression: '#c > :zero',
      ProjectionExpression: 'pk, sk, #c',
      ExpressionAttributeNames: { '#c': 'count' },
      ExpressionAttributeValues: { ':pk': { S: 'alpha' }, ':lo': { N: '0' }, ':hi': { N: '10' }, ':zero': { N: '0' } },
      ScanIndexForward: false,
      Limit: 5,
      ExclusiveStartKey: KEY,
      Select: 'SPECIFIC_ATTRIBUTES',
    },
  ],
  ['Query', { TableName: FUZZ_TABLE, KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'alpha' }] } } }],
  [
    'Scan',
    {
      TableName: FUZZ_TABLE,
      FilterExpression: 'size(tags) >= :two AND map.inner <> :s',
      ExpressionAttributeValues: { ':two': { N: '2' }, ':s': { S: 'q' } },
      Segment: 0,
      TotalSegments: 2,
      Limit: 10,
      Select: 'COUNT',
    },
  ],
  [
    'BatchGetItem',
    { RequestItems: { [FUZZ_TABLE]: { Keys: [KEY, { pk: { S: 'beta' }, sk: { N: '2' } }], ProjectionExpression: 'pk, sk' } } },
  ],
  [
    'BatchWriteItem',
    { RequestItems: { [FUZZ_TABLE]: [{ PutRequest: { Item: ITEM } }, { DeleteRequest: { Key: { pk: { S: 'beta' }, sk: { N: '2' } } } }] } },
  ],
  [
    'TransactWriteItems',
    {
      TransactItems: [
        { Put: { TableName: FUZZ_TABLE, Item: ITEM } },
        {
          Update: {
            TableName: FUZZ_TABLE,
            Key: { pk: { S: 'gamma' }, sk: { N: '3' } },
            UpdateExpression: 'SET v = :v',
            ExpressionAttributeValues: { ':v': { N: '1' } },
          },
        },
        { ConditionCheck: { TableName: FUZZ_TABLE, Key: KEY, ConditionExpression: 'attribute_exists(pk)' } },
      ],
      ClientRequestToken: 'token-1',
    },
  ],
  ['TransactGetItems', { TransactItems: [{ Get: { TableName: FUZZ_TABLE, Key: KEY } }] }],
  ['TagResource', { ResourceArn: ARN, Tags: [{ Key: 'team', Value: 'db' }] }],
  ['UntagResource', { ResourceArn: ARN, TagKeys: ['team'] }],
  ['ListTagsOfResource', { ResourceArn: ARN }],
  ['DescribeTimeToLive', { TableName: FUZZ_TABLE }],
  ['DescribeContinuousBackups', { TableName: FUZZ_TABLE }],
  ['UpdateTimeToLive', { TableName: FUZZ_TABLE, TimeToLiveSpecification: { Enabled: true, AttributeName: 'ttl' } }],
  [
    'Query',
    {
      TableName: FUZZ_TABLE,
      IndexName: 'by_g',
      KeyConditionExpression: 'g = :g',
      ExpressionAttributeValues: { ':g': { S: 'x' } },
      Select: 'ALL_PROJECTED_ATTRIBUTES',
    },
  ],
  ['Scan', { TableName: FUZZ_TABLE, IndexName: 'by_g', ExclusiveStartKey: KEY }],
  [
    'UpdateTable',
    {
      TableName: FUZZ_TABLE,
      AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'S' }],
      GlobalSecondaryIndexUpdates: [
        { Create: { IndexName: 'by_g', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } } },
      ],
    },
  ],
  ['UpdateTable', { TableName: FUZZ_TABLE, StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } }],
  ['DynamoDBStreams_20120810.ListStreams', { TableName: FUZZ_TABLE, Limit: 5 }],
  ['DynamoDBStreams_20120810.DescribeStream', { StreamArn: `${ARN}/stream/2026-01-01T00:00:00.000`, Limit: 10 }],
  [
    'DynamoDBStreams_20120810.GetShardIterator',
    {
      StreamArn: `${ARN}/stream/2026-01-01T00:00:00.000`,
      ShardId: 'shardId-00000001767225600000-0a1b2c3d',
      ShardIteratorType: 'AT_SEQUENCE_NUMBER',
      SequenceNumber: '000000000000000000001',
    },
  ],
  ['DynamoDBStreams_20120810.GetRecords', { ShardIterator: `${ARN}/stream/2026-01-01T00:00:00.000|1|WyJzaGFyZElkIiwxLDBd`, Limit: 100 }],
  ['DescribeLimits', {}],
  ['DescribeEndpoints', {}],
  ['ExecuteStatement', { Statement: `SELECT * FROM "${FUZZ_TABLE}" WHERE pk = ?`, Parameters: [{ S: 'alpha' }] }],
  [
    'BatchExecuteStatement',
    {
      Statements: [
        { Statement: `INSERT INTO "${FUZZ_TABLE}" VALUE {'pk': ?, 'sk': 1, 'a': <<'x', 'y'>>}`, Parameters: [{ S: 'beta' }] },
        { Statement: `UPDATE "${FUZZ_TABLE}" SET n = n + 1 WHERE pk = 'alpha' AND sk = 1`, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' },
      ],
      ReturnConsumedCapacity: 'TOTAL',
    },
  ],
  ['BatchExecuteStatement', { Statements: [{ Statement: `SELECT a, m.b FROM "${FUZZ_TABLE}" WHERE pk = 'alpha' AND sk = 1`, ConsistentRead: true }] }],
  [
    'ExecuteTransaction',
    {
      TransactStatements: [
        { Statement: `EXISTS(SELECT * FROM "${FUZZ_TABLE}" WHERE pk = 'alpha' AND sk = 1 AND attribute_type(a, 'SS'))` },
        { Statement: `DELETE FROM "${FUZZ_TABLE}" WHERE pk = ? AND sk = ?`, Parameters: [{ S: 'beta' }, { N: '1' }] },
      ],
      ClientRequestToken: 'token-2',
      ReturnConsumedCapacity: 'INDEXES',
    },
  ],
  ['ExecuteTransaction', { TransactStatements: [{ Statement: `SELECT * FROM "${FUZZ_TABLE}" WHERE pk = 'alpha' AND sk = 1` }] }],
];
