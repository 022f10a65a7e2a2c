import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DynamoDbError } from '../errors.js';
import { validateRequest } from './validate-request.js';

type Body = Record<string, unknown>;
interface Case {
  readonly name: string;
  readonly operation: string;
  readonly body: Body;
  /** Undefined: the request passes. */
  readonly error?: { readonly type: 'ValidationException' | 'SerializationException'; readonly message: string };
}

const v = (message: string) => ({ type: 'ValidationException', message }) as const;
const s = (message: string) => ({ type: 'SerializationException', message }) as const;
const constraint = (value: string, path: string, message: string) =>
  `Value ${value} at '${path}' failed to satisfy constraint: ${message}`;
const errors = (...items: string[]) =>
  v(`${items.length} validation error${items.length === 1 ? '' : 's'} detected: ${items.join('; ')}`);

const PATTERN = 'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+';
const item = { a: { S: 'x' } };
const createTable = {
  TableName: 'abc',
  AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }],
  BillingMode: 'PAY_PER_REQUEST',
};

function run(c: Case): void {
  const body = structuredClone(c.body);
  if (c.error === undefined) {
    validateRequest(c.operation, body);
    return;
  }
  assert.throws(
    () => validateRequest(c.operation, body),
    (error: unknown) => {
      assert.ok(error instanceof DynamoDbError);
      assert.equal(error.type, c.error?.type);
      assert.equal(error.message, c.error?.message);
      assert.equal(error.status, 400);
      assert.equal(
        error.namespace,
        c.error?.type === 'ValidationException' ? 'com.amazon.coral.validate' : 'com.amazon.coral.service',
      );
      return true;
    },
  );
}

function table(title: string, cases: readonly Case[]): void {
  describe(title, () => {
    for (const c of cases) it(c.name, () => run(c));
  });
}

table('deserialization (SerializationException)', [
  { name: 'number for a string', operation: 'GetItem', body: { TableName: 5 }, error: s('NUMBER_VALUE cannot be converted to String') },
  { name: 'decimal for a string', operation: 'GetItem', body: { TableName: 5.5 }, error: s('DECIMAL_VALUE cannot be converted to String') },
  { name: 'true for a string', operation: 'GetItem', body: { TableName: true }, error: s('TRUE_VALUE cannot be converted to String') },
  { name: 'false for a string', operation: 'GetItem', body: { TableName: false }, error: s('FALSE_VALUE cannot be converted to String') },
  { name: 'list for a string', operation: 'GetItem', body: { TableName: [] }, error: s('Unrecognized collection type class java.lang.String') },
  { name: 'object for a string', operation: 'GetItem', body: { TableName: {} }, error: s('Start of structure or map found where not expected') },
  { name: 'string for an integer', operation: 'ListTables', body: { Limit: '5' }, error: s('STRING_VALUE cannot be converted to Integer') },
  { name: 'boolean for an integer', operation: 'ListTables', body: { Limit: true }, error: s('TRUE_VALUE cannot be converted to Integer') },
  { name: 'list for an integer', operation: 'ListTables', body: { Limit: [] }, error: s('Unrecognized collection type class java.lang.Integer') },
  {
    name: 'string for a long',
    operation: 'CreateTable',
    body: { ProvisionedThroughput: { ReadCapacityUnits: '1' } },
    error: s('STRING_VALUE cannot be converted to Long'),
  },
  { name: 'number for a boolean', operation: 'GetItem', body: { ConsistentRead: 1 }, error: s('NUMBER_VALUE cannot be converted to Boolean') },
  { name: 'unknown string for a boolean', operation: 'GetItem', body: { ConsistentRead: 'maybe' }, error: s('Unexpected token received from parser') },
  { name: 'list for a boolean', operation: 'GetItem', body: { ConsistentRead: [] }, error: s('Unrecognized collection type class java.lang.Boolean') },
  { name: 'string for a list', operation: 'GetItem', body: { AttributesToGet: 'a' }, error: s('Unexpected field type') },
  { name: 'object for a list', operation: 'GetItem', body: { AttributesToGet: {} }, error: s('Start of structure or map found where not expected') },
  { name: 'string for a structure', operation: 'CreateTable', body: { ProvisionedThroughput: 'a' }, error: s('Unexpected field type') },
  {
    name: 'list for a structure',
    operation: 'CreateTable',
    body: { ProvisionedThroughput: [] },
    error: s('Unrecognized collection type class com.amazonaws.dynamodb.v20120810.ProvisionedThroughput'),
  },
  { name: 'string for a list element structure', operation: 'CreateTable', body: { KeySchema: ['a'] }, error: s('Unexpected value type in payload') },
  {
    name: 'list for an attribute map',
    operation: 'PutItem',
    body: { Item: [] },
    error: s('Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>'),
  },
  {
    name: 'list for a string map',
    operation: 'GetItem',
    body: { ExpressionAttributeNames: [] },
    error: s('Unrecognized collection type java.util.Map<java.lang.String, java.lang.String>'),
  },
  { name: 'string for an item attribute', operation: 'PutItem', body: { Item: { a: 'x' } }, error: s('Unexpected value type in payload') },
  {
    name: 'scalar for a key map inside a list',
    operation: 'BatchGetItem',
    body: { RequestItems: { abc: { Keys: ['a'] } } },
    error: s(
      'class sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl cannot be cast to class java.lang.Class ' +
        '(sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl and java.lang.Class are in module java.base of ' +
        "loader 'bootstrap')",
    ),
  },
  { name: 'the first bad member in document order wins', operation: 'GetItem', body: { ConsistentRead: 1, TableName: 5 }, error: s('NUMBER_VALUE cannot be converted to Boolean') },
  { name: 'unknown members are ignored', operation: 'GetItem', body: { TableName: 'abc', Key: item, Whatever: 5 } },
  { name: 'null members count as absent', operation: 'GetItem', body: { TableName: 'abc', Key: item, ConsistentRead: null } },
  { name: 'unknown operations are not validated', operation: 'NoSuchOperation', body: { TableName: 5 } },
]);

table('table names', [
  { name: 'missing', operation: 'PutItem', body: { Item: item }, error: errors(constraint('null', 'tableName', 'Member must not be null')) },
  {
    name: 'empty on an item operation: only the minimum of 1',
    operation: 'UpdateItem',
    body: { TableName: '', Key: item },
    error: errors(constraint("''", 'tableName', 'Member must have length greater than or equal to 1')),
  },
  {
    name: 'empty on a table operation: the name rules',
    operation: 'DescribeTable',
    body: { TableName: '' },
    error: errors(
      constraint("''", 'tableName', 'Member must have length greater than or equal to 3'),
      constraint("''", 'tableName', PATTERN),
    ),
  },
  {
    name: 'short with a bad character: length, then pattern',
    operation: 'UpdateItem',
    body: { TableName: 'x!', Key: item },
    error: errors(constraint("'x!'", 'tableName', 'Member must have length greater than or equal to 3'), constraint("'x!'", 'tableName', PATTERN)),
  },
  {
    name: 'too long',
    operation: 'PutItem',
    body: { TableName: 'a'.repeat(256), Item: item },
    error: errors(constraint(`'${'a'.repeat(256)}'`, 'tableName', 'Member must have length less than or equal to 255')),
  },
  { name: 'bad characters', operation: 'PutItem', body: { TableName: 'bad table!@#', Item: item }, error: errors(constraint("'bad table!@#'", 'tableName', PATTERN)) },
  { name: 'a table ARN is accepted', operation: 'GetItem', body: { TableName: 'arn:aws:dynamodb:us-east-1:123456789012:table/abc', Key: item } },
  {
    name: 'an ARN longer than 1024',
    operation: 'DescribeTable',
    body: { TableName: `arn:${'a'.repeat(1021)}` },
    error: errors(constraint(`'arn:${'a'.repeat(1021)}'`, 'tableName', 'Member must have length less than or equal to 1024')),
  },
  {
    name: 'CreateTable takes no ARN',
    operation: 'CreateTable',
    body: { ...createTable, TableName: 'arn:aws:dynamodb:us-east-1:1:table/abc' },
    error: errors(constraint("'arn:aws:dynamodb:us-east-1:1:table/abc'", 'tableName', PATTERN)),
  },
  { name: 'CreateTable short name', operation: 'CreateTable', body: { ...createTable, TableName: 'ab' }, error: errors(constraint("'ab'", 'tableName', 'Member must have length greater than or equal to 3')) },
]);

table('CreateTable constraints', [
  { name: 'a valid table', operation: 'CreateTable', body: createTable },
  {
    name: 'nothing but a bad name: members in DynamoDB order',
    operation: 'CreateTable',
    body: { TableName: 'abc;' },
    error: errors(
      constraint('null', 'attributeDefinitions', 'Member must not be null'),
      constraint("'abc;'", 'tableName', PATTERN),
      constraint('null', 'keySchema', 'Member must not be null'),
    ),
  },
  {
    name: 'empty ProvisionedThroughput: write units first',
    operation: 'CreateTable',
    body: { ...createTable, BillingMode: undefined, ProvisionedThroughput: {} },
    error: errors(
      constraint('null', 'provisionedThroughput.writeCapacityUnits', 'Member must not be null'),
      constraint('null', 'provisionedThroughput.readCapacityUnits', 'Member must not be null'),
    ),
  },
  {
    name: 'negative capacity and an empty key schema',
    operation: 'CreateTable',
    body: { ...createTable, KeySchema: [], ProvisionedThroughput: { ReadCapacityUnits: -1, WriteCapacityUnits: -1 } },
    error: errors(
      constraint("'-1'", 'provisionedThroughput.writeCapacityUnits', 'Member must have value greater than or equal to 1'),
      constraint("'-1'", 'provisionedThroughput.readCapacityUnits', 'Member must have value greater than or equal to 1'),
      constraint("'[]'", 'keySchema', 'Member must have length greater than or equal to 1'),
    ),
  },
  {
    name: 'an empty attribute definition: type before name',
    operation: 'CreateTable',
    body: { ...createTable, AttributeDefinitions: [{}] },
    error: errors(
      constraint('null', 'attributeDefinitions.1.member.attributeType', 'Member must not be null'),
      constraint('null', 'attributeDefinitions.1.member.attributeName', 'Member must not be null'),
    ),
  },
  {
    name: 'attribute type enum',
    operation: 'CreateTable',
    body: { ...createTable, AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'SS' }] },
    error: errors(constraint("'SS'", 'attributeDefinitions.1.member.attributeType', 'Member must satisfy enum value set: [B, N, S]')),
  },
  {
    name: 'three key elements, echoed as DynamoDB renders them',
    operation: 'CreateTable',
    body: {
      ...createTable,
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
        { AttributeName: 'x', KeyType: 'RANGE' },
      ],
    },
    error: errors(
      constraint(
        "'[KeySchemaElement(attributeName=pk, keyType=HASH), KeySchemaElement(attributeName=sk, keyType=RANGE), KeySchemaElement(attributeName=x, keyType=RANGE)]'",
        'keySchema',
        'Member must have length less than or equal to 2',
      ),
    ),
  },
  {
    name: 'billing mode enum',
    operation: 'CreateTable',
    body: { ...createTable, BillingMode: '' },
    error: errors(constraint("''", 'billingMode', 'Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]')),
  },
  {
    name: 'stream view type enum order',
    operation: 'CreateTable',
    body: { ...createTable, StreamSpecification: { StreamEnabled: true, StreamViewType: '' } },
    error: errors(
      constraint("''", 'streamSpecification.streamViewType', 'Member must satisfy enum value set: [OLD_IMAGE, KEYS_ONLY, NEW_AND_OLD_IMAGES, NEW_IMAGE]'),
    ),
  },
  {
    name: 'SSE key id path keeps DynamoDB casing',
    operation: 'CreateTable',
    body: { ...createTable, SSESpecification: { KMSMasterKeyId: '' } },
    error: errors(constraint("''", 'sSESpecification.kMSMasterKeyId', 'Member must have length greater than or equal to 1')),
  },
  {
    name: 'empty index name: length, then pattern',
    operation: 'CreateTable',
    body: { ...createTable, GlobalSecondaryIndexes: [{ IndexName: '', KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }], Projection: {} }] },
    error: errors(
      constraint("''", 'globalSecondaryIndexes.1.member.indexName', 'Member must have length greater than or equal to 3'),
      constraint("''", 'globalSecondaryIndexes.1.member.indexName', PATTERN),
    ),
  },
  {
    name: 'the count and list stop at ten',
    operation: 'CreateTable',
    body: { ...createTable, AttributeDefinitions: [{}, {}, {}, {}, {}, {}] },
    error: errors(
      ...Array.from({ length: 5 }, (_, i) => [
        constraint('null', `attributeDefinitions.${i + 1}.member.attributeType`, 'Member must not be null'),
        constraint('null', `attributeDefinitions.${i + 1}.member.attributeName`, 'Member must not be null'),
      ]).flat(),
    ),
  },
]);

table('other table operations', [
  { name: 'ListTables empty body', operation: 'ListTables', body: {} },
  { name: 'ListTables limit 0', operation: 'ListTables', body: { Limit: 0 }, error: errors(constraint("'0'", 'limit', 'Member must have value greater than or equal to 1')) },
  {
    name: 'ListTables: limit, then the start name (pattern before lengths)',
    operation: 'ListTables',
    body: { Limit: 2147483647, ExclusiveStartTableName: '89hls;;f;d' },
    error: errors(
      constraint("'2147483647'", 'limit', 'Member must have value less than or equal to 100'),
      constraint("'89hls;;f;d'", 'exclusiveStartTableName', PATTERN),
    ),
  },
  {
    name: 'ListTables empty start name',
    operation: 'ListTables',
    body: { ExclusiveStartTableName: '' },
    error: errors(
      constraint("''", 'exclusiveStartTableName', PATTERN),
      constraint("''", 'exclusiveStartTableName', 'Member must have length greater than or equal to 3'),
    ),
  },
  {
    name: 'UpdateTimeToLive empty specification: attributeName before enabled',
    operation: 'UpdateTimeToLive',
    body: { TableName: 'abc', TimeToLiveSpecification: {} },
    error: errors(
      constraint('null', 'timeToLiveSpecification.attributeName', 'Member must not be null'),
      constraint('null', 'timeToLiveSpecification.enabled', 'Member must not be null'),
    ),
  },
  { name: 'UpdateTimeToLive valid', operation: 'UpdateTimeToLive', body: { TableName: 'abc', TimeToLiveSpecification: { AttributeName: 't', Enabled: true } } },
  {
    name: 'UpdateTable GSI update without action',
    operation: 'UpdateTable',
    body: { TableName: 'abc', GlobalSecondaryIndexUpdates: [{}] },
    error: v(
      'One or more parameter values were invalid: One of GlobalSecondaryIndexUpdate.Update, ' +
        'GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null',
    ),
  },
  { name: 'DescribeEndpoints', operation: 'DescribeEndpoints', body: {} },
  { name: 'DescribeLimits', operation: 'DescribeLimits', body: {} },
  { name: 'TagResource without ARN', operation: 'TagResource', body: { Tags: [] }, error: v('Invalid TableArn') },
  {
    name: 'TagResource without tags',
    operation: 'TagResource',
    body: { ResourceArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/abc' },
    error: v("1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null"),
  },
  {
    name: 'TagResource with a non-table ARN',
    operation: 'TagResource',
    body: { ResourceArn: 'arn:aws:dynamodb:us-east-1:123456789012:thing/abc', Tags: [] },
    error: v('Invalid TableArn: Invalid ResourceArn provided as input arn:aws:dynamodb:us-east-1:123456789012:thing/abc'),
  },
  {
    name: 'TagResource with no tags',
    operation: 'TagResource',
    body: { ResourceArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/abc', Tags: [] },
    error: v('Atleast one Tag needs to be provided as Input.'),
  },
  {
    name: 'TagResource with an empty tag',
    operation: 'TagResource',
    body: { ResourceArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/abc', Tags: [{}] },
    error: v('The Tag Key provided is invalid, Key: null'),
  },
  { name: 'TagResource with a garbled ARN is left to the access check', operation: 'TagResource', body: { ResourceArn: 'garbage' } },
  {
    name: 'UntagResource with an empty key',
    operation: 'UntagResource',
    body: { ResourceArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/abc', TagKeys: [''] },
    error: v('The Tag Key provided is invalid, Key: '),
  },
  { name: 'ListTagsOfResource valid', operation: 'ListTagsOfResource', body: { ResourceArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/abc' } },
]);

table('item operations', [
  { name: 'PutItem valid', operation: 'PutItem', body: { TableName: 'abc', Item: item, ReturnValues: 'ALL_OLD' } },
  {
    name: 'PutItem missing item',
    operation: 'PutItem',
    body: { TableName: 'abc' },
    error: errors(constraint('null', 'item', 'Member must not be null')),
  },
  {
    name: 'enum messages in DynamoDB order',
    operation: 'PutItem',
    body: { TableName: 'abc', Item: item, ReturnConsumedCapacity: 'x', ReturnValues: 'x', ReturnItemCollectionMetrics: 'x', ConditionalOperator: 'x' },
    error: errors(
      constraint("'x'", 'returnConsumedCapacity', 'Member must satisfy enum value set: [INDEXES, TOTAL, NONE]'),
      constraint("'x'", 'conditionalOperator', 'Member must satisfy enum value set: [OR, AND]'),
      constraint("'x'", 'returnValues', 'Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]'),
      constraint("'x'", 'returnItemCollectionMetrics', 'Member must satisfy enum value set: [SIZE, NONE]'),
    ),
  },
  { name: 'PutItem ReturnValues ALL_NEW', operation: 'PutItem', body: { TableName: 'abc', Item: item, ReturnValues: 'ALL_NEW' }, error: v('ReturnValues can only be ALL_OLD or NONE') },
  { name: 'DeleteItem ReturnValues UPDATED_NEW', operation: 'DeleteItem', body: { TableName: 'abc', Key: item, ReturnValues: 'UPDATED_NEW' }, error: v('ReturnValues can only be ALL_OLD or NONE') },
  { name: 'UpdateItem ReturnValues UPDATED_NEW', operation: 'UpdateItem', body: { TableName: 'abc', Key: item, ReturnValues: 'UPDATED_NEW' } },
  {
    name: 'the item is checked before ReturnValues',
    operation: 'PutItem',
    body: { TableName: 'abc', Item: { a: { SS: [] } }, ReturnValues: 'ALL_NEW' },
    error: v('One or more parameter values were invalid: An string set  may not be empty'),
  },
  {
    name: 'mixing expression and legacy parameters',
    operation: 'PutItem',
    body: { TableName: 'abc', Item: item, Expected: { a: { Exists: false } }, ConditionExpression: 'attribute_not_exists(a)' },
    error: v(
      'Can not use both expression and non-expression parameters in the same request: ' +
        'Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}',
    ),
  },
  {
    name: 'values without an expression',
    operation: 'PutItem',
    body: { TableName: 'abc', Item: item, ExpressionAttributeValues: { ':v': { S: 'x' } } },
    error: v('ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null'),
  },
  {
    name: 'UpdateItem values without expressions',
    operation: 'UpdateItem',
    body: { TableName: 'abc', Key: item, ExpressionAttributeValues: { ':v': { S: 'x' } } },
    error: v('ExpressionAttributeValues can only be specified when using expressions: UpdateExpression and ConditionExpression are null'),
  },
  {
    name: 'names without an expression',
    operation: 'GetItem',
    body: { TableName: 'abc', Key: item, ExpressionAttributeNames: { '#a': 'a' } },
    error: v('ExpressionAttributeNames can only be specified when using expressions'),
  },
  {
    name: 'Expected without a value',
    operation: 'DeleteItem',
    body: { TableName: 'abc', Key: item, Expected: { a: {} } },
    error: v('One or more parameter values were invalid: Value must be provided when Exists is null for Attribute: a'),
  },
  {
    name: 'Expected with a wrong argument count',
    operation: 'PutItem',
    body: { TableName: 'abc', Item: item, Expected: { a: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ S: 'a' }] } } },
    error: v('One or more parameter values were invalid: Invalid number of argument(s) for the BETWEEN ComparisonOperator'),
  },
  {
    name: 'AttributeUpdates PUT without a value',
    operation: 'UpdateItem',
    body: { TableName: 'abc', Key: item, AttributeUpdates: { b: { Action: 'PUT' } } },
    error: v('One or more parameter values were invalid: Only DELETE action is allowed when no attribute value is specified'),
  },
  {
    name: 'duplicate AttributesToGet',
    operation: 'GetItem',
    body: { TableName: 'abc', Key: item, AttributesToGet: ['a', 'a'] },
    error: v('One or more parameter values were invalid: Duplicate value in attribute name: a'),
  },
  {
    name: 'empty AttributesToGet',
    operation: 'GetItem',
    body: { TableName: 'abc', Key: item, AttributesToGet: [] },
    error: errors(constraint("'[]'", 'attributesToGet', 'Member must have length greater than or equal to 1')),
  },
]);

table('Query, Scan and batches', [
  {
    name: 'Query with ten violations, in the order DynamoDB listed them',
    operation: 'Query',
    body: {
      TableName: 'abc;',
      ReturnConsumedCapacity: 'hi',
      AttributesToGet: [],
      IndexName: 'abc;',
      Select: 'hi',
      Limit: -1,
      KeyConditions: { a: {}, b: { ComparisonOperator: '' } },
      QueryFilter: { a: {}, b: { ComparisonOperator: '' } },
    },
    error: errors(
      constraint("'-1'", 'limit', 'Member must have value greater than or equal to 1'),
      constraint("'hi'", 'returnConsumedCapacity', 'Member must satisfy enum value set: [INDEXES, TOTAL, NONE]'),
      constraint("'[]'", 'attributesToGet', 'Member must have length greater than or equal to 1'),
      constraint('null', 'queryFilter.a.member.comparisonOperator', 'Member must not be null'),
      constraint(
        "''",
        'queryFilter.b.member.comparisonOperator',
        'Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]',
      ),
      constraint("'hi'", 'select', 'Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]'),
      constraint('null', 'keyConditions.a.member.comparisonOperator', 'Member must not be null'),
      constraint(
        "''",
        'keyConditions.b.member.comparisonOperator',
        'Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]',
      ),
      constraint("'abc;'", 'tableName', PATTERN),
      constraint("'abc;'", 'indexName', PATTERN),
    ),
  },
  {
    name: 'Scan segment without total',
    operation: 'Scan',
    body: { TableName: 'abc', Segment: 1 },
    error: v('The TotalSegments parameter is required but was not present in the request when Segment parameter is present'),
  },
  {
    name: 'Scan segment past total',
    operation: 'Scan',
    body: { TableName: 'abc', Segment: 2, TotalSegments: 2 },
    error: v('The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 2 is not less than TotalSegments: 2'),
  },
  {
    name: 'BatchGetItem empty request items',
    operation: 'BatchGetItem',
    body: { RequestItems: {} },
    error: errors(constraint("'{}'", 'requestItems', 'Member must have length greater than or equal to 1')),
  },
  {
    name: 'BatchGetItem bad table name key',
    operation: 'BatchGetItem',
    body: { RequestItems: { 'a;': { Keys: [item] } } },
    error: errors(
      constraint(
        "'{a;=KeysAndAttributes(keys=[{a=com.amazonaws.dynamodb.v20120810.AttributeValue@6cb5d535}], attributesToGet=null, consistentRead=null, projectionExpression=null, expressionAttributeNames=null)}'",
        'requestItems',
        `Map keys must satisfy constraint: [Member must have length less than or equal to 255, Member must have length greater than or equal to 3, ${PATTERN}]`,
      ),
    ),
  },
  {
    name: 'BatchGetItem duplicate keys',
    operation: 'BatchGetItem',
    body: { RequestItems: { abc: { Keys: [item, { a: { S: 'x' } }] } } },
    error: v('Provided list of item keys contains duplicates'),
  },
  { name: 'BatchWriteItem empty request items', operation: 'BatchWriteItem', body: { RequestItems: {} }, error: v('The requestItems parameter is required for BatchWriteItem') },
  {
    name: 'BatchWriteItem with 26 requests for one table',
    operation: 'BatchWriteItem',
    body: { RequestItems: { abc: Array.from({ length: 26 }, () => ({ DeleteRequest: { Key: item } })) } },
    error: errors(
      constraint(
        `'{abc=[${Array.from({ length: 26 }, () => 'WriteRequest(putRequest=null, deleteRequest=DeleteRequest(key={a=com.amazonaws.dynamodb.v20120810.AttributeValue@6cb5d535}))').join(', ')}]}'`,
        'requestItems',
        'Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]',
      ),
    ),
  },
  {
    name: 'BatchWriteItem empty write request',
    operation: 'BatchWriteItem',
    body: { RequestItems: { abc: [{}] } },
    error: v('Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes'),
  },
  { name: 'BatchWriteItem valid', operation: 'BatchWriteItem', body: { RequestItems: { abc: [{ PutRequest: { Item: item } }] } } },
  {
    name: 'TransactWriteItems empty',
    operation: 'TransactWriteItems',
    body: { TransactItems: [] },
    error: errors(constraint("'[]'", 'transactItems', 'Member must have length greater than or equal to 1')),
  },
  {
    name: 'TransactGetItems nested table name',
    operation: 'TransactGetItems',
    body: { TransactItems: [{ Get: { Key: item, TableName: '' } }] },
    error: errors(constraint("''", 'transactItems.1.member.get.tableName', 'Member must have length greater than or equal to 1')),
  },
]);

describe('lenient conversions are applied in place', () => {
  it('converts boolean strings and truncates fractional integers', () => {
    const body: Body = { TableName: 'abc', Key: item, ConsistentRead: 'yes' };
    validateRequest('GetItem', body);
    assert.equal(body.ConsistentRead, true);
    const list: Body = { Limit: 5.9 };
    validateRequest('ListTables', list);
    assert.equal(list.Limit, 5);
  });

  it('normalizes the numbers of an Item', () => {
    const body: Body = { TableName: 'abc', Item: { n: { N: '0042.10' } } };
    validateRequest('PutItem', body);
    assert.deepEqual(body.Item, { n: { N: '42.1' } });
  });
});
