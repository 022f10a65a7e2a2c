import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { redactStatement, requestParameters } from './request-parameters.js';

const CASES: readonly { name: string; request: Record<string, unknown>; expected: Record<string, unknown> }[] = [
  {
    name: 'member names lower-cased at their first letter, acronyms included',
    request: { TableName: 't', SSESpecification: { Enabled: true, SSEType: 'KMS' }, ReturnValues: 'ALL_OLD' },
    expected: { tableName: 't', sSESpecification: { enabled: true, sSEType: 'KMS' }, returnValues: 'ALL_OLD' },
  },
  {
    name: 'an Item becomes its attribute names; a Key its plain values (S, N, B)',
    request: { Item: { a: { S: 'x' }, b: { M: {} } }, Key: { s: { S: 'k' }, n: { N: '1.5' }, b: { B: 'AAE=' }, bad: { L: [] } } },
    expected: { item: ['a', 'b'], key: { s: 'k', n: '1.5', b: 'AAE=' } },
  },
  {
    name: 'expression values, legacy values and PartiQL parameters are left out; names stay as the user wrote them',
    request: {
      ExpressionAttributeNames: { '#Year': 'Year' },
      ExpressionAttributeValues: { ':v': { S: 'secret' } },
      Expected: { Year: { ComparisonOperator: 'EQ', AttributeValueList: [{ N: '1' }] }, Other: { Value: { S: 'secret' }, Exists: true } },
      AttributeUpdates: { Year: { Action: 'PUT', Value: { N: '2' } } },
      ScanFilter: { Year: { ComparisonOperator: 'GT', AttributeValueList: [{ N: '3' }] } },
      Parameters: [{ S: 'secret' }],
    },
    expected: {
      expressionAttributeNames: { '#Year': 'Year' },
      expected: { Year: { comparisonOperator: 'EQ' }, Other: { exists: true } },
      attributeUpdates: { Year: { action: 'PUT' } },
      scanFilter: { Year: { comparisonOperator: 'GT' } },
    },
  },
  {
    name: 'BatchGetItem: table names kept, each key plain',
    request: { RequestItems: { Music: { Keys: [{ id: { S: '1' } }, { id: { S: '2' } }], ProjectionExpression: 'a' } } },
    expected: { requestItems: { Music: { keys: [{ id: '1' }, { id: '2' }], projectionExpression: 'a' } } },
  },
  {
    name: 'tags are kept whole',
    request: { ResourceArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/t', Tags: [{ Key: 'env', Value: 'prod' }] },
    expected: { resourceArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/t', tags: [{ key: 'env', value: 'prod' }] },
  },
  {
    name: 'members of an invalid shape are not written out',
    request: { Item: 'not a map', Key: 7, Keys: 'x' },
    expected: {},
  },
];

for (const { name, request, expected } of CASES) {
  test(`requestParameters: ${name}`, () => {
    assert.deepEqual(requestParameters(request), expected);
  });
}

test('redactStatement: string, number and Ion literals become ***; identifiers, parameters and field names stay', () => {
  assert.equal(redactStatement(`SELECT a FROM "t" WHERE k = 'v''s' AND n > 1.5e3 AND x = ?`), 'SELECT a FROM "t" WHERE k = *** AND n > *** AND x = ?');
  assert.equal(redactStatement("INSERT INTO t VALUE {'k': 'v', 'n': `{a: 1}`}"), "INSERT INTO t VALUE {'k': ***, 'n': ***}");
  assert.equal(redactStatement("UPDATE t SET a = 'x' WHERE k = 'y'"), 'UPDATE t SET a = *** WHERE k = ***');
  // A statement that does not even lex could hold anything: nothing of it is written.
  assert.equal(redactStatement("SELECT * FROM t WHERE a = 'unterminated"), '***');
});

test('any JSON a client sends is turned into parameters without an exception, and item values never come through', () => {
  const marker = 'MARKER-VALUE';
  const itemValue = fc.constantFrom({ S: marker }, { SS: [marker] }, { M: { inner: { S: marker } } }, { L: [{ S: marker }] });
  fc.assert(
    fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.dictionary(fc.string(), itemValue), (members, item) => {
      const request = { ...members, Item: item, ExpressionAttributeValues: { ':v': { S: marker } }, Parameters: [{ S: marker }] };
      const text = JSON.stringify(requestParameters(request));
      assert.equal(text.includes(marker), false);
    }),
    { numRuns: 300 },
  );
  fc.assert(
    fc.property(fc.string(), (statement) => {
      assert.equal(typeof redactStatement(statement), 'string');
    }),
    { numRuns: 300 },
  );
});
