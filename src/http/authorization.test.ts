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

test('the SDK header shortcut finds the region the general checks find, and leaves every other header to them', async () => {
  const { authenticate } = await import('./authorization.js');
  const general = (authorization: string): string =>
    authenticate({ method: 'POST', url: '/', rawHeaders: [], authorization, hasDateHeader: true, body: Buffer.alloc(0) }, undefined, 'us-east-1', 0).region;
  const headers = [
    'AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-west-1/dynamodb/aws4_request, SignedHeaders=amz-sdk-invocation-id;host;x-amz-date, Signature=0123abcd',
    'AWS4-HMAC-SHA256 Credential=AKID/20260101/ap-south-1/dynamodb/aws4_request,SignedHeaders=host,Signature=ff',
    'AWS4-HMAC-SHA256 Credential=AKID/20260101//dynamodb/aws4_request, SignedHeaders=host, Signature=ab',
    'AWS4-HMAC-SHA256 Credential=AKID, SignedHeaders=host, Signature=ab',
    'AWS4-HMAC-SHA256  Credential=AKID/20260101/us-west-2/dynamodb/aws4_request, SignedHeaders=host, Signature=ab',
    'AWS4-HMAC-SHA256 SignedHeaders=host, Credential=AKID/20260101/us-west-1/dynamodb/aws4_request, Signature=ab',
  ];
  for (const authorization of headers) assert.equal(authorize(authorization, true, undefined, 'us-east-1'), general(authorization), authorization);
  // Not the shortcut's shape: the general checks answer, errors included.
  assert.throws(() => authorize('AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host', true, undefined, 'us-east-1'), {
    name: 'IncompleteSignatureException',
  });
  assert.throws(() => authorize('AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=ab', false, undefined, 'us-east-1'), {
    name: 'IncompleteSignatureException',
  });
});
