/**
 * Requests whose members hold nulls or empty values where DynamoDB expects structures: each gets a DynamoDB error
 * (or is served), never a 500. These were found by the wire fuzz test and are kept as exact regressions.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCairn, type Cairn } from '../helpers/cairn.js';

let cairn: Cairn;
before(async () => {
  cairn = await startCairn({ inMemory: true });
  const created = await cairn.raw('DynamoDB_20120810.CreateTable', {
    TableName: 'malformed',
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
  });
  assert.equal(created.status, 200);
});
after(async () => {
  await cairn.close();
});

const EMPTY_VALUE = 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes';
const cases: ReadonlyArray<readonly [string, string, object, number, object]> = [
  [
    'an empty value in an Expected AttributeValueList',
    'PutItem',
    { TableName: 'malformed', Item: { id: { S: 'a' } }, Expected: { c: { ComparisonOperator: 'GE', AttributeValueList: [{}] } } },
    400,
    { __type: 'com.amazon.coral.validate#ValidationException', message: EMPTY_VALUE },
  ],
  [
    'a null in an Expected AttributeValueList (dropped, so the count is wrong)',
    'PutItem',
    { TableName: 'malformed', Item: { id: { S: 'a' } }, Expected: { c: { ComparisonOperator: 'GE', AttributeValueList: [null] } } },
    400,
    {
      __type: 'com.amazon.coral.validate#ValidationException',
      message: 'One or more parameter values were invalid: Invalid number of argument(s) for the GE ComparisonOperator',
    },
  ],
  ['a null AttributeUpdates entry (dropped)', 'UpdateItem', { TableName: 'malformed', Key: { id: { S: 'b' } }, AttributeUpdates: { c: null } }, 200, {}],
  [
    'a null attribute value in an Item',
    'PutItem',
    { TableName: 'malformed', Item: { id: { S: 'a' }, x: null } },
    400,
    { __type: 'com.amazon.coral.validate#ValidationException', message: EMPTY_VALUE },
  ],
];

for (const [name, operation, body, status, answer] of cases) {
  test(name, async () => {
    const response = await cairn.raw(`DynamoDB_20120810.${operation}`, body);
    assert.equal(response.status, status);
    assert.deepEqual(response.body, answer);
  });
}
