import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TableMetadata } from '../../engine/table-metadata.js';
import { operationAccess, type AccessScope, type ResourceAccess } from './operation-access.js';

const ARN = 'arn:aws:dynamodb:us-east-1:111122223333:table/T';
const table = {
  region: 'us-east-1',
  accountId: '111122223333',
  tableName: 'T',
  tableArn: ARN,
  key: { hash: { name: 'pk', type: 'S' }, range: { name: 'sk', type: 'N' } },
  globalSecondaryIndexes: [{ indexName: 'byOwner', key: { hash: { name: 'owner', type: 'S' } } }],
} as unknown as TableMetadata;
const scope: AccessScope = {
  region: 'us-east-1',
  accountId: '111122223333',
  catalog: { getTable: (namespace, name) => (namespace.region === 'us-east-1' && namespace.accountId === '111122223333' && name === 'T' ? table : undefined) },
};

/** The accesses without the table object, keys as a record, for comparison. */
function facts(operation: string, request: Record<string, unknown>): object[] {
  return operationAccess(operation, request, scope).map((access: ResourceAccess) => ({
    action: access.action,
    resource: access.resource,
    keys: Object.fromEntries(access.keys),
    ...(access.statement !== undefined ? { statement: access.statement } : {}),
  }));
}

const key = (pk: string, sk = '1') => ({ pk: { S: pk }, sk: { N: sk } });

test('item operations: leading key, attributes, ReturnValues and ReturnConsumedCapacity', () => {
  assert.deepEqual(facts('GetItem', { TableName: 'T', Key: key('a'), ProjectionExpression: '#n, b.c, d[1]', ExpressionAttributeNames: { '#n': 'name' }, ReturnConsumedCapacity: 'TOTAL' }), [
    { action: 'GetItem', resource: ARN, keys: { 'dynamodb:LeadingKeys': ['a'], 'dynamodb:Attributes': ['name', 'b', 'd'], 'dynamodb:ReturnConsumedCapacity': ['TOTAL'], 'dynamodb:Select': ['SPECIFIC_ATTRIBUTES'] } },
  ]);
  assert.deepEqual(facts('GetItem', { TableName: 'T', Key: key('a'), AttributesToGet: ['x', 'x', 'y'] })[0], {
    action: 'GetItem', resource: ARN, keys: { 'dynamodb:LeadingKeys': ['a'], 'dynamodb:Attributes': ['x', 'y'], 'dynamodb:Select': ['SPECIFIC_ATTRIBUTES'] },
  });
  assert.deepEqual(facts('PutItem', { TableName: ARN, Item: { ...key('n'), pk: { N: '12.5' }, v: { S: 'x' } }, ReturnValues: 'ALL_OLD' })[0], {
    action: 'PutItem', resource: ARN, keys: { 'dynamodb:LeadingKeys': ['12.5'], 'dynamodb:Attributes': ['pk', 'sk', 'v'], 'dynamodb:ReturnValues': ['ALL_OLD'] },
  });
  assert.deepEqual(facts('UpdateItem', { TableName: 'T', Key: key('a'), UpdateExpression: 'SET #a = :v, b.c = :v REMOVE d ADD e :n', ExpressionAttributeNames: { '#a': 'x' } })[0], {
    action: 'UpdateItem', resource: ARN, keys: { 'dynamodb:LeadingKeys': ['a'], 'dynamodb:Attributes': ['pk', 'sk', 'x', 'b', 'd', 'e'] },
  });
  assert.deepEqual(facts('UpdateItem', { TableName: 'T', Key: key('a'), AttributeUpdates: { z: { Action: 'DELETE' } } })[0], {
    action: 'UpdateItem', resource: ARN, keys: { 'dynamodb:LeadingKeys': ['a'], 'dynamodb:Attributes': ['pk', 'sk', 'z'] },
  });
  // An expression that does not parse names no attributes (the operation refuses it afterwards).
  assert.deepEqual(facts('DeleteItem', { TableName: 'T', Key: { pk: { B: 'AAE=' }, sk: { N: '1' } } })[0], {
    action: 'DeleteItem', resource: ARN, keys: { 'dynamodb:LeadingKeys': ['AAE='] },
  });
  // A table Cairn does not have: no key schema, so no leading keys.
  assert.deepEqual(facts('GetItem', { TableName: 'missing', Key: key('a') })[0], {
    action: 'GetItem', resource: 'arn:aws:dynamodb:us-east-1:111122223333:table/missing', keys: { 'dynamodb:Select': ['ALL_ATTRIBUTES'] },
  });
});

test('Query and Scan: the index ARN, the hash-key equality of the table or index, Select', () => {
  assert.deepEqual(facts('Query', { TableName: 'T', KeyConditionExpression: 'pk = :p AND sk > :s', ExpressionAttributeValues: { ':p': { S: 'a' }, ':s': { N: '1' } }, Select: 'COUNT' })[0], {
    action: 'Query', resource: ARN, keys: { 'dynamodb:Select': ['COUNT'], 'dynamodb:LeadingKeys': ['a'] },
  });
  assert.deepEqual(facts('Query', { TableName: 'T', IndexName: 'byOwner', KeyConditions: { owner: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'o' }] } } })[0], {
    action: 'Query', resource: `${ARN}/index/byOwner`, keys: { 'dynamodb:Select': ['ALL_PROJECTED_ATTRIBUTES'], 'dynamodb:LeadingKeys': ['o'] },
  });
  assert.deepEqual(facts('Scan', { TableName: 'T', IndexName: 'byOwner', Segment: 0, TotalSegments: 2 })[0], {
    action: 'Scan', resource: `${ARN}/index/byOwner`, keys: { 'dynamodb:Select': ['ALL_PROJECTED_ATTRIBUTES'] },
  });
});

test('batches: one access per table with every key; transactions: one per item with its own action', () => {
  assert.deepEqual(facts('BatchGetItem', { RequestItems: { T: { Keys: [key('a'), key('b'), key('a', '2')] }, U: { Keys: [{ id: { S: 'x' } }] } } }), [
    { action: 'BatchGetItem', resource: ARN, keys: { 'dynamodb:LeadingKeys': ['a', 'b'], 'dynamodb:Select': ['ALL_ATTRIBUTES'] } },
    { action: 'BatchGetItem', resource: 'arn:aws:dynamodb:us-east-1:111122223333:table/U', keys: { 'dynamodb:Select': ['ALL_ATTRIBUTES'] } },
  ]);
  assert.deepEqual(facts('BatchWriteItem', { RequestItems: { T: [{ PutRequest: { Item: { ...key('a'), v: { S: '1' } } } }, { DeleteRequest: { Key: key('c') } }] } }), [
    { action: 'BatchWriteItem', resource: ARN, keys: { 'dynamodb:LeadingKeys': ['a', 'c'], 'dynamodb:Attributes': ['pk', 'sk', 'v'] } },
  ]);
  assert.deepEqual(
    facts('TransactWriteItems', {
      TransactItems: [
        { Put: { TableName: 'T', Item: key('a') } },
        { ConditionCheck: { TableName: 'T', Key: key('b'), ConditionExpression: 'attribute_exists(pk)' } },
        { Delete: { TableName: 'T', Key: key('c') } },
      ],
    }),
    [
      { action: 'PutItem', resource: ARN, keys: { 'dynamodb:LeadingKeys': ['a'], 'dynamodb:Attributes': ['pk', 'sk'] } },
      { action: 'ConditionCheckItem', resource: ARN, keys: { 'dynamodb:LeadingKeys': ['b'] } },
      { action: 'DeleteItem', resource: ARN, keys: { 'dynamodb:LeadingKeys': ['c'] } },
    ],
  );
  assert.deepEqual(facts('TransactGetItems', { TransactItems: [{ Get: { TableName: 'T', Key: key('d') } }], ReturnConsumedCapacity: 'TOTAL' }), [
    { action: 'GetItem', resource: ARN, keys: { 'dynamodb:LeadingKeys': ['d'], 'dynamodb:ReturnConsumedCapacity': ['TOTAL'], 'dynamodb:Select': ['ALL_ATTRIBUTES'] } },
  ]);
});

test('PartiQL: the action of each statement, its leading keys, FullTableScan, and the statement position in batches', () => {
  assert.deepEqual(facts('ExecuteStatement', { Statement: `SELECT * FROM "T" WHERE pk = ? AND sk = 1`, Parameters: [{ S: 'a' }] }), [
    { action: 'PartiQLSelect', resource: ARN, keys: { 'dynamodb:LeadingKeys': ['a'], 'dynamodb:FullTableScan': ['false'] } },
  ]);
  assert.deepEqual(facts('ExecuteStatement', { Statement: `SELECT * FROM "T"."byOwner" WHERE owner IN ['x', 'y']` }), [
    { action: 'PartiQLSelect', resource: `${ARN}/index/byOwner`, keys: { 'dynamodb:LeadingKeys': ['x', 'y'], 'dynamodb:FullTableScan': ['false'] } },
  ]);
  assert.deepEqual(facts('ExecuteStatement', { Statement: `SELECT * FROM "T" WHERE v = 1` }), [
    { action: 'PartiQLSelect', resource: ARN, keys: { 'dynamodb:LeadingKeys': [], 'dynamodb:FullTableScan': ['true'] } },
  ]);
  // A statement that does not parse asks for nothing: its syntax error is the operation's answer.
  assert.deepEqual(facts('ExecuteStatement', { Statement: 'SELEC * FROM "T"' }), []);
  assert.deepEqual(
    facts('BatchExecuteStatement', {
      Statements: [
        { Statement: `INSERT INTO "T" VALUE {'pk': 'a', 'sk': 1}` },
        { Statement: `UPDATE "T" SET v = 1 WHERE pk = 'b' AND sk = 1` },
        { Statement: `DELETE FROM "T" WHERE pk = 'c' AND sk = 1` },
        { Statement: `DELETE FROM "missing" WHERE pk = 'c'` },
      ],
    }),
    [
      { action: 'PartiQLInsert', resource: ARN, keys: { 'dynamodb:LeadingKeys': ['a'] }, statement: 0 },
      { action: 'PartiQLUpdate', resource: ARN, keys: { 'dynamodb:LeadingKeys': ['b'] }, statement: 1 },
      { action: 'PartiQLDelete', resource: ARN, keys: { 'dynamodb:LeadingKeys': ['c'] }, statement: 2 },
      { action: 'PartiQLDelete', resource: 'arn:aws:dynamodb:us-east-1:111122223333:table/missing', keys: {}, statement: 3 },
    ],
  );
});

test('control plane, streams and account-level actions', () => {
  assert.deepEqual(facts('CreateTable', { TableName: 'N', ResourcePolicy: '{}' }).map((entry) => (entry as { action: string }).action), ['CreateTable', 'PutResourcePolicy']);
  assert.deepEqual(facts('ListTables', {}), [{ action: 'ListTables', resource: 'arn:aws:dynamodb:us-east-1:111122223333:table/*', keys: {} }]);
  assert.deepEqual(facts('DescribeLimits', {}), [{ action: 'DescribeLimits', resource: '*', keys: {} }]);
  assert.deepEqual(facts('UpdateGlobalTable', { GlobalTableName: 'G' }), [
    { action: 'UpdateGlobalTable', resource: 'arn:aws:dynamodb::111122223333:global-table/G', keys: {} },
  ]);
  assert.deepEqual(facts('ListGlobalTables', {}), [{ action: 'ListGlobalTables', resource: '*', keys: {} }]);
  assert.deepEqual(facts('TagResource', { ResourceArn: ARN }), [{ action: 'TagResource', resource: ARN, keys: {} }]);
  const stream = `${ARN}/stream/2026-01-01T00:00:00.000`;
  assert.deepEqual(facts('DynamoDBStreams.DescribeStream', { StreamArn: stream }), [{ action: 'DescribeStream', resource: stream, keys: {} }]);
  assert.deepEqual(facts('DynamoDBStreams.GetRecords', { ShardIterator: `${stream}|1|abc` }), [{ action: 'GetRecords', resource: stream, keys: {} }]);
  assert.deepEqual(facts('DynamoDBStreams.ListStreams', {}), [{ action: 'ListStreams', resource: '*', keys: {} }]);
});
