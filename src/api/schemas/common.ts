/**
 * Member schemas several operations share, written from the DynamoDB service model and DynamoDB's observed
 * answers. Enum values are listed in the order DynamoDB prints them in `Member must satisfy enum value set`,
 * which is its server-side order, not the public model's.
 */
import {
  attributeMap,
  attributeValue,
  boolean,
  list,
  long,
  map,
  maxLength,
  minLength,
  minValue,
  oneOf,
  pattern,
  required,
  string,
  structure,
  type Constraint,
  type MemberSchema,
  type StringSchema,
} from '../../validation/schema.js';

export const MODEL = 'com.amazonaws.dynamodb.v20120810.';

/** A TableName of an item operation: name or ARN; an empty one fails the model's minimum of 1. */
export const dataTableName: StringSchema = required({
  type: 'string',
  constraints: [{ kind: 'tableNameOrArn', emptyMinimumOne: true }],
});

/** A TableName of a table operation other than CreateTable: name or ARN; empty fails the name rules. */
export const controlTableName: StringSchema = required({
  type: 'string',
  constraints: [{ kind: 'tableNameOrArn', emptyMinimumOne: false }],
});

/** CreateTable names a new table, so only a name will do: 3..255 characters of [a-zA-Z0-9_.-]. */
export const newTableName: StringSchema = required(string(minLength(3), pattern('[a-zA-Z0-9_.-]+'), maxLength(255)));

/** Index names report the length before the pattern (as DynamoDB answered for CreateTable in 2026). */
export const indexNameConstraints: readonly Constraint[] = [minLength(3), pattern('[a-zA-Z0-9_.-]+'), maxLength(255)];
export const indexName: StringSchema = string(...indexNameConstraints);

export const returnConsumedCapacity = string(oneOf('INDEXES', 'TOTAL', 'NONE'));
export const returnItemCollectionMetrics = string(oneOf('SIZE', 'NONE'));
export const returnValues = string(oneOf('ALL_NEW', 'UPDATED_OLD', 'ALL_OLD', 'NONE', 'UPDATED_NEW'));
export const returnValuesOnConditionCheckFailure = string(oneOf('ALL_OLD', 'NONE'));
export const conditionalOperator = string(oneOf('OR', 'AND'));
export const select = string(oneOf('SPECIFIC_ATTRIBUTES', 'COUNT', 'ALL_ATTRIBUTES', 'ALL_PROJECTED_ATTRIBUTES'));
export const billingMode = string(oneOf('PROVISIONED', 'PAY_PER_REQUEST'));
export const tableClass = string(oneOf('STANDARD', 'STANDARD_INFREQUENT_ACCESS'));
export const expressionAttributeNames = map(string(), 'java.lang.String');
export const expressionAttributeValues = attributeMap;
export const attributesToGet = list(string(), minLength(1), maxLength(255));

const COMPARISON_OPERATORS = [
  'IN', 'NULL', 'BETWEEN', 'LT', 'NOT_CONTAINS', 'EQ', 'GT', 'NOT_NULL', 'NE', 'LE', 'BEGINS_WITH', 'GE', 'CONTAINS',
];

/** The legacy Expected map (PutItem, UpdateItem, DeleteItem). */
export const expected = map(
  structure('ExpectedAttributeValue', {
    AttributeValueList: list(attributeValue),
    ComparisonOperator: string(oneOf(...COMPARISON_OPERATORS)),
    Exists: boolean,
    Value: attributeValue,
  }),
  `${MODEL}ExpectedAttributeValue`,
);

/** The legacy condition maps of Query and Scan (KeyConditions, QueryFilter, ScanFilter). */
export function conditionMap(operatorFirst: boolean): MemberSchema {
  const operator = required(string(oneOf(...COMPARISON_OPERATORS)));
  const values = list(attributeValue);
  return map(
    structure(
      'Condition',
      operatorFirst
        ? { ComparisonOperator: operator, AttributeValueList: values }
        : { AttributeValueList: values, ComparisonOperator: operator },
    ),
    `${MODEL}Condition`,
  );
}

export const provisionedThroughput = structure('ProvisionedThroughput', {
  // DynamoDB reports the write units first.
  WriteCapacityUnits: required(long(minValue(1))),
  ReadCapacityUnits: required(long(minValue(1))),
});

export const onDemandThroughput = structure('OnDemandThroughput', {
  MaxReadRequestUnits: long(),
  MaxWriteRequestUnits: long(),
});

export const warmThroughput = structure('WarmThroughput', {
  ReadUnitsPerSecond: long(),
  WriteUnitsPerSecond: long(),
});

/** AttributeDefinitions: DynamoDB reports a definition's type before its name. */
export const attributeDefinitions = list(
  structure('AttributeDefinition', {
    AttributeType: required(string(oneOf('B', 'N', 'S'))),
    AttributeName: required(string(minLength(1), maxLength(255))),
  }),
);

/** The table's KeySchema; the element's KeyType is checked against its enum. */
export const tableKeySchema = list(
  structure('KeySchemaElement', {
    AttributeName: required(string(minLength(1), maxLength(255))),
    KeyType: required(string(oneOf('HASH', 'RANGE'))),
  }),
  minLength(1),
  maxLength(2),
);

/**
 * An index's KeySchema. DynamoDB does not check an index key element's KeyType against the enum here (a wrong
 * one gets the `Invalid KeySchema` wording of the operation instead).
 */
export const indexKeySchema = list(
  structure('KeySchemaElement', {
    AttributeName: required(string(minLength(1), maxLength(255))),
    KeyType: required(string()),
  }),
  minLength(1),
  maxLength(2),
);

/**
 * A global secondary index's KeySchema: up to four HASH and four RANGE elements since multi-attribute keys
 * (November 2025), whose service model dropped the list's maximum length; the limits are checked with the
 * operation (api/global-index-key-schema.ts).
 */
export const globalIndexKeySchema = list(
  structure('KeySchemaElement', {
    AttributeName: required(string(minLength(1), maxLength(255))),
    KeyType: required(string()),
  }),
  minLength(1),
);

export const projection = structure('Projection', {
  ProjectionType: string(oneOf('ALL', 'INCLUDE', 'KEYS_ONLY')),
  NonKeyAttributes: list(string(minLength(1), maxLength(255)), minLength(1), maxLength(20)),
});

export const streamSpecification = structure('StreamSpecification', {
  StreamEnabled: required(boolean),
  StreamViewType: string(oneOf('OLD_IMAGE', 'KEYS_ONLY', 'NEW_AND_OLD_IMAGES', 'NEW_IMAGE')),
});

export const sseSpecification = structure('SSESpecification', {
  Enabled: boolean,
  SSEType: string(oneOf('AES256', 'KMS')),
  KMSMasterKeyId: string(minLength(1)),
});

export const tags = list(
  // DynamoDB answers missing or empty tag keys and values with its own wording (`The Tag Key provided is
  // invalid, Key: null`), so Tag carries no constraints here; see tag-resource.ts.
  structure('Tag', { Key: string(), Value: string() }),
);
