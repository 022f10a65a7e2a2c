import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventName, isDataEvent, isReadOnly } from './event-classes.js';

/** operation, request -> data event?, read-only? (CloudTrail's classification of DynamoDB's events). */
const CASES: readonly [string, Record<string, unknown> | undefined, boolean, boolean][] = [
  ['CreateTable', undefined, false, false],
  ['UpdateTable', undefined, false, false],
  ['DeleteTable', undefined, false, false],
  ['DescribeTable', undefined, false, true],
  ['ListTables', undefined, false, true],
  ['ListTagsOfResource', undefined, false, true],
  ['TagResource', undefined, false, false],
  ['UpdateTimeToLive', undefined, false, false],
  ['DescribeTimeToLive', undefined, false, true],
  ['DescribeContinuousBackups', undefined, false, true],
  ['DynamoDBStreams.ListStreams', undefined, false, true],
  ['DynamoDBStreams.DescribeStream', undefined, false, true],
  ['DynamoDBStreams.GetShardIterator', undefined, true, true],
  ['DynamoDBStreams.GetRecords', undefined, true, true],
  ['GetItem', undefined, true, true],
  ['PutItem', undefined, true, false],
  ['UpdateItem', undefined, true, false],
  ['DeleteItem', undefined, true, false],
  ['Query', undefined, true, true],
  ['Scan', undefined, true, true],
  ['BatchGetItem', undefined, true, true],
  ['BatchWriteItem', undefined, true, false],
  ['TransactGetItems', undefined, true, true],
  ['TransactWriteItems', undefined, true, false],
  ['ExecuteStatement', { Statement: 'SELECT * FROM t' }, true, true],
  ['ExecuteStatement', { Statement: "DELETE FROM t WHERE k = 'a'" }, true, false],
  ['ExecuteStatement', { Statement: 'SELEC nonsense' }, true, false],
  ['BatchExecuteStatement', { Statements: [{ Statement: 'SELECT * FROM t' }, { Statement: 'SELECT * FROM u' }] }, true, true],
  ['BatchExecuteStatement', { Statements: [{ Statement: 'SELECT * FROM t' }, { Statement: "INSERT INTO t VALUE {'k': 1}" }] }, true, false],
  ['ExecuteTransaction', { TransactStatements: [{ Statement: 'SELECT * FROM t' }] }, true, true],
  ['ExecuteTransaction', { TransactStatements: [] }, true, false],
];

for (const [operation, request, data, readOnly] of CASES) {
  test(`${operation} ${request === undefined ? '' : JSON.stringify(request)}: ${data ? 'data' : 'management'}, ${readOnly ? 'read-only' : 'writes'}`, () => {
    assert.equal(isDataEvent(operation), data);
    assert.equal(isReadOnly(operation, request), readOnly);
  });
}

test('event names drop the Streams API prefix', () => {
  assert.equal(eventName('DynamoDBStreams.GetRecords'), 'GetRecords');
  assert.equal(eventName('GetItem'), 'GetItem');
});
