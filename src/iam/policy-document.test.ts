import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePolicyDocument } from './policy-document.js';

test('policy documents: IAM grammar and the reasons a document is refused', () => {
  const refused: [unknown, 'identity' | 'resource', string][] = [
    ['{', 'identity', 'Syntax errors in policy.'],
    ['[]', 'identity', 'Syntax errors in policy.'],
    [{ Version: '2012-10-17' }, 'identity', 'Missing required field Statement.'],
    [{ Version: '2012-10-18', Statement: [] }, 'identity', 'The policy must contain a valid version string.'],
    [{ Version: '2012-10-17', Statement: [], Extra: 1 }, 'identity', 'Policy document contains an unknown element: Extra.'],
    [{ Version: '2012-10-17', Statement: [] }, 'identity', 'Missing required field Statement.'],
    [{ Version: '2012-10-17', Statement: { Action: '*', Resource: '*' } }, 'identity', 'Missing required field Effect.'],
    [{ Version: '2012-10-17', Statement: { Effect: 'allow', Action: '*', Resource: '*' } }, 'identity', 'Invalid effect: allow.'],
    [{ Version: '2012-10-17', Statement: { Effect: 'Allow', Resource: '*' } }, 'identity', 'Missing required field Action.'],
    [{ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: '*', NotAction: '*', Resource: '*' } }, 'identity', 'Statement cannot contain both Action and NotAction.'],
    [{ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'GetItem', Resource: '*' } }, 'identity', 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.'],
    [{ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: '*' } }, 'identity', 'Missing required field Resource.'],
    [{ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: '*', Resource: '*', Principal: '*' } }, 'identity', 'Policy document should not specify a principal.'],
    [{ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: '*', Resource: '*' } }, 'resource', 'Missing required field Principal.'],
    [{ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: '*', Resource: '*', Principal: { AWS: [] } } }, 'resource', 'Invalid principal in policy.'],
    [{ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEqual: { 'aws:username': 'a' } } } }, 'identity', 'Invalid Condition type : StringEqual.'],
    [{ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: '*', Resource: '*', Condition: { 'ForAllValues:NullIfExists': { 'aws:username': 'a' } } } }, 'identity', 'Invalid Condition type : ForAllValues:NullIfExists.'],
    [{ Version: '2012-10-17', Statement: [{ Sid: 'A', Effect: 'Allow', Action: '*', Resource: '*' }, { Sid: 'A', Effect: 'Deny', Action: '*', Resource: '*' }] }, 'identity', 'Statement IDs (SID) in a single policy must be unique: A.'],
    [{ Version: '2012-10-17', Statement: { Sid: 'a b', Effect: 'Allow', Action: '*', Resource: '*' } }, 'identity', 'Statement IDs (SID) must be alpha-numeric.'],
  ];
  for (const [doc, kind, message] of refused) {
    assert.throws(() => parsePolicyDocument(doc, kind), { message }, JSON.stringify(doc));
  }
  const parsed = parsePolicyDocument({ Version: '2012-10-17', Statement: { Sid: 'One', Effect: 'Deny', Action: ['dynamodb:A', 'dynamodb:B'], Resource: '*', Condition: { 'ForAllValues:StringLikeIfExists': { 'dynamodb:Attributes': ['a', 1, true] } } } }, 'identity');
  assert.equal(parsed.statements.length, 1);
  assert.deepEqual(parsed.statements[0]?.actions, ['dynamodb:A', 'dynamodb:B']);
  assert.deepEqual(parsed.statements[0]?.conditions[0]?.values, ['a', '1', 'true']);
  assert.equal(parsed.statements[0]?.conditions[0]?.operator.set, 'ForAllValues');
  assert.equal(parsed.statements[0]?.conditions[0]?.operator.ifExists, true);
  assert.equal(parsed.statements[0]?.conditions[0]?.operator.base, 'StringLike');
});
