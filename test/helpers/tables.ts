/**
 * CreateTable inputs the wire tests use again and again: a table keyed by one string attribute (on demand), and
 * one keyed by a string partition key and a sort key (provisioned, so both billing modes are exercised).
 */
import type { CreateTableCommandInput, ScalarAttributeType } from '@aws-sdk/client-dynamodb';

export function hashKeyTable(TableName: string, attribute = 'id'): CreateTableCommandInput {
  return {
    TableName,
    KeySchema: [{ AttributeName: attribute, KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: attribute, AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
  };
}

export function compositeKeyTable(TableName: string, sortType: ScalarAttributeType = 'N'): CreateTableCommandInput {
  return {
    TableName,
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: sortType },
    ],
    ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
  };
}
