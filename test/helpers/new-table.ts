/**
 * The catalog's description of a new on-demand table keyed by a string `id`, for unit tests that create tables
 * through the Catalog directly (wire tests create them with CreateTable).
 */
import type { NewTable } from '../../src/engine/catalog.js';

export function onDemandTable(tableName: string, region = 'us-east-1', accountId = '000000000000'): NewTable {
  return {
    accountId,
    region,
    tableName,
    key: { hash: { name: 'id', type: 'S' } },
    keySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    attributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    billingMode: 'PAY_PER_REQUEST',
    provisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 0, NumberOfDecreasesToday: 0 },
    deletionProtectionEnabled: false,
    tags: {},
  };
}
