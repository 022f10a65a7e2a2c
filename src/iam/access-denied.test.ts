import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accessDenied } from './access-denied.js';

test('AccessDeniedException: com.amazon.coral.service, HTTP 400, and the four reasons', () => {
  const user = 'arn:aws:iam::111122223333:user/app';
  const table = 'arn:aws:dynamodb:us-east-1:111122223333:table/T';
  const error = accessDenied(user, 'dynamodb:GetItem', table, 'no-identity-allow');
  assert.equal(error.wireType, 'com.amazon.coral.service#AccessDeniedException');
  assert.equal(error.status, 400);
  const prefix = `User: ${user} is not authorized to perform: dynamodb:GetItem on resource: ${table} `;
  assert.equal(error.message, `${prefix}because no identity-based policy allows the dynamodb:GetItem action`);
  assert.equal(accessDenied(user, 'dynamodb:GetItem', table, 'no-resource-allow').message, `${prefix}because no resource-based policy allows the dynamodb:GetItem action`);
  assert.equal(accessDenied(user, 'dynamodb:GetItem', table, 'explicit-identity-deny').message, `${prefix}with an explicit deny in an identity-based policy`);
  assert.equal(accessDenied(user, 'dynamodb:GetItem', table, 'explicit-resource-deny').message, `${prefix}with an explicit deny in a resource-based policy`);
});
