import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DynamoDbError } from '../errors.js';
import { authorize, headerParameters } from './authorization.js';

const header = (credential: string): string => `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=host, Signature=ab`;

test('the region is the credential scope’s third element, else the default', () => {
  const cases: ReadonlyArray<readonly [string, string]> = [
    ['AKID/20260101/us-west-2/dynamodb/aws4_request', 'us-west-2'],
    ['AKID/20260101/eu-central-1/dynamodb/aws4_request', 'eu-central-1'],
    ['AKID/20260101//dynamodb/aws4_request', 'us-east-1'],
    ['AKID/20260101', 'us-east-1'],
  ];
  for (const [credential, region] of cases) assert.equal(authorize(header(credential), true, undefined, 'us-east-1'), region, credential);
  assert.equal(
    authorize(undefined, false, 'X-Amz-Algorithm=A&X-Amz-Credential=K%2F2026%2Fap-south-1%2Fdynamodb%2Faws4_request&X-Amz-Signature=s&X-Amz-SignedHeaders=host&X-Amz-Date=d', 'us-east-1'),
    'ap-south-1',
  );
});

test('header parameters split on commas and spaces; a value stops at a second =', () => {
  assert.deepEqual(
    [...headerParameters('AWS4-X Credential=a/b,SignedHeaders=host;x  Signature=c=d, Lone')],
    [
      ['Credential', 'a/b'],
      ['SignedHeaders', 'host;x'],
      ['Signature', 'c'],
      ['Lone', ''],
    ],
  );
});

test('a missing date header is reported with the other missing parts', () => {
  assert.throws(
    () => authorize('AWS4-HMAC-SHA256 Credential=a, SignedHeaders=host, Signature=', false, undefined, 'us-east-1'),
    (error: unknown) =>
      error instanceof DynamoDbError &&
      error.wireType === 'com.amazon.coral.service#IncompleteSignatureException' &&
      error.message ===
        "Authorization header requires 'Signature' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256 Credential=a, SignedHeaders=host, Signature=",
  );
});
