import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wildcardMatch } from './wildcard.js';

test('wildcards: * spans any characters (slashes and colons too), ? exactly one, the rest literally', () => {
  assert.equal(wildcardMatch('*', 'anything'), true);
  assert.equal(wildcardMatch('dynamodb:Get*', 'dynamodb:GetItem'), true);
  assert.equal(wildcardMatch('dynamodb:Get*', 'dynamodb:PutItem'), false);
  assert.equal(wildcardMatch('arn:aws:dynamodb:*:*:table/T*', 'arn:aws:dynamodb:us-east-1:1:table/T/index/I'), true);
  assert.equal(wildcardMatch('table/T?', 'table/T1'), true);
  assert.equal(wildcardMatch('table/T?', 'table/T12'), false);
  assert.equal(wildcardMatch('table/a.b', 'table/aXb'), false);
  assert.equal(wildcardMatch('table/(x)+', 'table/(x)+'), true);
  assert.equal(wildcardMatch('Table/T', 'table/T'), false);
  assert.equal(wildcardMatch('DYNAMODB:getitem', 'dynamodb:GetItem', true), true);
  assert.equal(wildcardMatch('dynamodb:get*', 'dynamodb:GetItem', true), true);
});
