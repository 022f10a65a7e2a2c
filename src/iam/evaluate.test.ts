import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate, conditionKeys, type Caller, type Decision } from './evaluate.js';
import { parsePolicyDocument, type PolicyDocument } from './policy-document.js';
import type { AuthorizationRequest } from './request-context.js';

const TABLE = 'arn:aws:dynamodb:us-east-1:111122223333:table/T';
const app: Caller = { accountId: '111122223333', arn: 'arn:aws:iam::111122223333:user/app' };
const other: Caller = { accountId: '444455556666', arn: 'arn:aws:iam::444455556666:user/partner' };

function identity(...statements: object[]): PolicyDocument {
  return parsePolicyDocument({ Version: '2012-10-17', Statement: statements }, 'identity');
}
function resourcePolicy(...statements: object[]): PolicyDocument {
  return parsePolicyDocument(JSON.stringify({ Version: '2012-10-17', Statement: statements }), 'resource');
}
function request(action: string, resource = TABLE, keys: Record<string, string[]> = {}): AuthorizationRequest {
  return {
    action,
    resource,
    resourceAccount: resource.split(':')[4] || '111122223333',
    keys: conditionKeys([['aws:username', ['app']], ['aws:userid', ['AIDAAPP']], ...Object.entries(keys)]),
  };
}
const allowed: Decision = { allowed: true };
const denied = (denial: string): Decision => ({ allowed: false, denial } as Decision);

test('identity policies: default deny, Allow, explicit Deny wins, wildcards and case-insensitive actions', () => {
  const cases: [PolicyDocument[], AuthorizationRequest, Decision][] = [
    [[], request('dynamodb:GetItem'), denied('no-identity-allow')],
    [[identity({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE })], request('dynamodb:GetItem'), allowed],
    [[identity({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE })], request('dynamodb:PutItem'), denied('no-identity-allow')],
    [[identity({ Effect: 'Allow', Action: 'DynamoDB:getitem', Resource: TABLE })], request('dynamodb:GetItem'), allowed],
    [[identity({ Effect: 'Allow', Action: 'dynamodb:Get*', Resource: '*' })], request('dynamodb:GetItem'), allowed],
    [[identity({ Effect: 'Allow', Action: 'dynamodb:Get*', Resource: '*' })], request('dynamodb:GetRecords'), allowed],
    [[identity({ Effect: 'Allow', Action: 'dynamodb:Get*', Resource: '*' })], request('dynamodb:BatchGetItem'), denied('no-identity-allow')],
    [[identity({ Effect: 'Allow', Action: '*', Resource: '*' })], request('dynamodb:DeleteTable'), allowed],
    [[identity({ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }, { Effect: 'Deny', Action: 'dynamodb:DeleteTable', Resource: '*' })], request('dynamodb:DeleteTable'), denied('explicit-identity-deny')],
    [[identity({ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }), identity({ Effect: 'Deny', Action: 'dynamodb:Delete*', Resource: TABLE })], request('dynamodb:DeleteItem'), denied('explicit-identity-deny')],
    // Resource: a table's ARN is not its index's; wildcards reach them.
    [[identity({ Effect: 'Allow', Action: 'dynamodb:Query', Resource: TABLE })], request('dynamodb:Query', `${TABLE}/index/I`), denied('no-identity-allow')],
    [[identity({ Effect: 'Allow', Action: 'dynamodb:Query', Resource: `${TABLE}/index/*` })], request('dynamodb:Query', `${TABLE}/index/I`), allowed],
    [[identity({ Effect: 'Allow', Action: 'dynamodb:Query', Resource: 'arn:aws:dynamodb:*:*:table/T?' })], request('dynamodb:Query', `${TABLE}2`), allowed],
    [[identity({ Effect: 'Allow', Action: 'dynamodb:GetRecords', Resource: `${TABLE}/stream/*` })], request('dynamodb:GetRecords', `${TABLE}/stream/2026-01-01T00:00:00.000`), allowed],
    // NotAction / NotResource.
    [[identity({ Effect: 'Allow', NotAction: 'dynamodb:DeleteTable', Resource: '*' })], request('dynamodb:PutItem'), allowed],
    [[identity({ Effect: 'Allow', NotAction: ['dynamodb:DeleteTable'], Resource: '*' })], request('dynamodb:DeleteTable'), denied('no-identity-allow')],
    [[identity({ Effect: 'Allow', Action: '*', NotResource: TABLE })], request('dynamodb:GetItem'), denied('no-identity-allow')],
    [[identity({ Effect: 'Allow', Action: '*', NotResource: TABLE })], request('dynamodb:GetItem', `${TABLE}X`), allowed],
    [[identity({ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', NotAction: 'dynamodb:Get*', Resource: '*' })], request('dynamodb:PutItem'), denied('explicit-identity-deny')],
    // Policy variables in resources.
    [[identity({ Effect: 'Allow', Action: '*', Resource: 'arn:aws:dynamodb:*:*:table/${aws:username}-*' })], request('dynamodb:GetItem', 'arn:aws:dynamodb:us-east-1:111122223333:table/app-orders'), allowed],
    [[identity({ Effect: 'Allow', Action: '*', Resource: 'arn:aws:dynamodb:*:*:table/${aws:username}-*' })], request('dynamodb:GetItem', 'arn:aws:dynamodb:us-east-1:111122223333:table/ops-orders'), denied('no-identity-allow')],
    // A variable the request lacks matches nothing; its default applies when given.
    [[identity({ Effect: 'Allow', Action: '*', Resource: 'arn:aws:dynamodb:*:*:table/${aws:nope}' })], request('dynamodb:GetItem'), denied('no-identity-allow')],
    [[identity({ Effect: 'Allow', Action: '*', Resource: "arn:aws:dynamodb:*:*:table/${aws:nope, 'T'}" })], request('dynamodb:GetItem'), allowed],
  ];
  for (const [policies, req, expected] of cases) {
    assert.deepEqual(evaluate(policies, undefined, app, req), expected, JSON.stringify({ policies, action: req.action, resource: req.resource }));
  }
});

test('Version 2008-10-17 does not substitute policy variables', () => {
  const policy = parsePolicyDocument({ Version: '2008-10-17', Statement: { Effect: 'Allow', Action: '*', Resource: 'arn:aws:dynamodb:*:*:table/${aws:username}' } }, 'identity');
  assert.deepEqual(evaluate([policy], undefined, app, request('dynamodb:GetItem', 'arn:aws:dynamodb:us-east-1:111122223333:table/app')), denied('no-identity-allow'));
  assert.deepEqual(evaluate([policy], undefined, app, request('dynamodb:GetItem', 'arn:aws:dynamodb:us-east-1:111122223333:table/${aws:username}')), allowed);
});

test('resource policies: either allows within an account, both must across accounts, a Deny in either wins', () => {
  const allowApp = resourcePolicy({ Effect: 'Allow', Principal: { AWS: app.arn }, Action: 'dynamodb:GetItem', Resource: TABLE });
  const allowPartner = resourcePolicy({ Effect: 'Allow', Principal: { AWS: '444455556666' }, Action: 'dynamodb:*', Resource: [TABLE, `${TABLE}/index/*`] });
  const denyApp = resourcePolicy({ Effect: 'Deny', Principal: { AWS: `arn:aws:iam::111122223333:root` }, Action: 'dynamodb:GetItem', Resource: '*' });
  const identityAll = identity({ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' });
  assert.deepEqual(evaluate([], allowApp, app, request('dynamodb:GetItem')), allowed);
  assert.deepEqual(evaluate([], allowApp, app, request('dynamodb:PutItem')), denied('no-identity-allow'));
  assert.deepEqual(evaluate([identityAll], denyApp, app, request('dynamodb:GetItem')), denied('explicit-resource-deny'));
  // A principal the statement does not name is not concerned by it.
  assert.deepEqual(evaluate([], allowPartner, app, request('dynamodb:GetItem')), denied('no-identity-allow'));
  // Across accounts.
  const partnerAll = identity({ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' });
  assert.deepEqual(evaluate([partnerAll], allowPartner, other, request('dynamodb:GetItem')), allowed);
  assert.deepEqual(evaluate([partnerAll], allowPartner, other, request('dynamodb:Query', `${TABLE}/index/I`)), allowed);
  assert.deepEqual(evaluate([partnerAll], undefined, other, request('dynamodb:GetItem')), denied('no-resource-allow'));
  assert.deepEqual(evaluate([partnerAll], allowApp, other, request('dynamodb:GetItem')), denied('no-resource-allow'));
  assert.deepEqual(evaluate([], allowPartner, other, request('dynamodb:GetItem')), denied('no-identity-allow'));
  // NotPrincipal, Principal "*", and a role naming its sessions.
  const notApp = resourcePolicy({ Effect: 'Deny', NotPrincipal: { AWS: app.arn }, Action: '*', Resource: '*' });
  assert.deepEqual(evaluate([identityAll], notApp, app, request('dynamodb:GetItem')), allowed);
  assert.deepEqual(evaluate([partnerAll], notApp, other, request('dynamodb:GetItem')), denied('explicit-resource-deny'));
  const anyone = resourcePolicy({ Effect: 'Allow', Principal: '*', Action: 'dynamodb:GetItem' });
  assert.deepEqual(evaluate([partnerAll], anyone, other, request('dynamodb:GetItem')), allowed);
  const role = resourcePolicy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:role/reader' }, Action: '*' });
  const session: Caller = { accountId: '444455556666', arn: 'arn:aws:sts::444455556666:assumed-role/reader/s1' };
  assert.deepEqual(evaluate([partnerAll], role, session, request('dynamodb:GetItem')), allowed);
});
