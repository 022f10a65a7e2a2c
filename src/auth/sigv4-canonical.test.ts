import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalHeaderValue, canonicalQuery, canonicalRequest, canonicalUri, headerValues, normalizePath, sha256Hex, stringToSign } from './sigv4-canonical.js';
import { deriveSigningKey, sign, signingKey, SigningKey } from './signing-key.js';

test('AWS’s worked example (IAM ListUsers): canonical request, string to sign, signing key and signature', () => {
  const canonical = canonicalRequest({
    method: 'GET',
    path: '/',
    query: 'Action=ListUsers&Version=2010-05-08',
    headers: headerValues([
      'Host',
      'iam.amazonaws.com',
      'Content-Type',
      'application/x-www-form-urlencoded; charset=utf-8',
      'X-Amz-Date',
      '20150830T123600Z',
    ]),
    signedHeaders: ['content-type', 'host', 'x-amz-date'],
    payloadHash: sha256Hex(''),
  });
  assert.equal(
    canonical,
    'GET\n/\nAction=ListUsers&Version=2010-05-08\ncontent-type:application/x-www-form-urlencoded; charset=utf-8\nhost:iam.amazonaws.com\nx-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  );
  assert.equal(sha256Hex(canonical), 'f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59');
  const toSign = stringToSign('20150830T123600Z', '20150830/us-east-1/iam/aws4_request', canonical);
  const key = deriveSigningKey('wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', '20150830', 'us-east-1', 'iam');
  assert.equal(key.toString('hex'), 'c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9');
  assert.equal(sign(new SigningKey(key), toSign), '5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7');
});

test('signing keys are cached per secret, date and region', () => {
  const first = signingKey('secret', '20260101', 'us-east-1');
  assert.equal(signingKey('secret', '20260101', 'us-east-1'), first);
  assert.deepEqual(first.key, deriveSigningKey('secret', '20260101', 'us-east-1', 'dynamodb'));
  assert.notDeepEqual(signingKey('secret', '20260102', 'us-east-1'), first);
  assert.notDeepEqual(signingKey('secret', '20260101', 'us-west-2'), first);
  assert.notDeepEqual(signingKey('secret2', '20260101', 'us-east-1'), first);
});

test('the URI path: dot segments and empty segments removed, then encoded a second time', () => {
  const cases: ReadonlyArray<readonly [string, string]> = [
    ['/', '/'],
    ['', '/'],
    ['/example1/example2/../..', '/'],
    ['/example/..', '/'],
    ['/./', '/'],
    ['//example//', '/example/'],
    ['/example/./path/', '/example/path/'],
    ['/a/b/../c', '/a/c'],
    // The path arrives encoded once; the canonical URI encodes it again (every service but S3).
    ['/example%20space/', '/example%2520space/'],
    ['/%E1%88%B4', '/%25E1%2588%25B4'],
    ['/-._~0-9A-Za-z', '/-._~0-9A-Za-z'],
    ['/a+b=c', '/a%2Bb%3Dc'],
  ];
  for (const [path, canonical] of cases) assert.equal(canonicalUri(path), canonical, path);
  assert.equal(normalizePath('/a/'), '/a/');
});

test('the query string: decoded, re-encoded with upper-case hex, sorted by name then value', () => {
  const cases: ReadonlyArray<readonly [string, string]> = [
    ['', ''],
    ['Param2=value2&Param1=value1', 'Param1=value1&Param2=value2'],
    ['Param1=value2&Param1=Value1', 'Param1=Value1&Param1=value2'],
    ['-._~0-9A-Za-z=-._~0-9A-Za-z', '-._~0-9A-Za-z=-._~0-9A-Za-z'],
    ['%E1%88%B4=bar', '%E1%88%B4=bar'],
    ['\u1234=bar', '%E1%88%B4=bar'],
    ['a=%2f%2F', 'a=%2F%2F'],
    ['a=b+c', 'a=b%2Bc'],
    ['a=b%20c', 'a=b%20c'],
    ['flag&a=1', 'a=1&flag='],
    ['x=%zz&x=%', 'x=%25&x=%25zz'],
    ['&&a=1&', 'a=1'],
    ['X-Amz-Signature=abc&X-Amz-Date=d', 'X-Amz-Date=d&X-Amz-Signature=abc'],
  ];
  for (const [query, canonical] of cases) assert.equal(canonicalQuery(query), canonical, query);
  assert.equal(canonicalQuery('X-Amz-Signature=abc&X-Amz-Date=d', 'X-Amz-Signature'), 'X-Amz-Date=d');
});

test('header values: trimmed, white space runs collapsed; repeated headers joined with commas in order', () => {
  assert.equal(canonicalHeaderValue('  value1  '), 'value1');
  assert.equal(canonicalHeaderValue('"a   b   c"'), '"a b c"');
  assert.equal(canonicalHeaderValue('a\tb'), 'a b');
  const canonical = canonicalRequest({
    method: 'GET',
    path: '/',
    query: '',
    headers: headerValues(['Host', 'example.amazonaws.com', 'My-Header1', 'value2', 'my-header1', ' value2 ', 'MY-HEADER1', 'value1']),
    signedHeaders: ['host', 'my-header1', 'absent'],
    payloadHash: 'h',
  });
  assert.equal(canonical, 'GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value2,value2,value1\n\nhost;my-header1;absent\nh');
});

test('a signing key signs as an Hmac object does, for texts of every length around the block size', async () => {
  const { createHmac } = await import('node:crypto');
  const key = signingKey('secret', '20260101', 'us-east-1');
  for (const length of [0, 1, 55, 56, 63, 64, 65, 200, 5000]) {
    const text = 'é'.repeat(length);
    assert.equal(key.sign(text), createHmac('sha256', key.key).update(text, 'utf8').digest('hex'), `length ${length}`);
  }
});
