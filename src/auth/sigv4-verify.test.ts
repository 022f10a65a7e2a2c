import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DynamoDbError } from '../errors.js';
import { parseAuthFile } from './auth-file.js';
import { canonicalRequest, headerValues, sha256Hex, stringToSign } from './sigv4-canonical.js';
import { signingKey, sign } from './signing-key.js';
import { isoBasic, verifySignature, type SignedRequest } from './sigv4-verify.js';

const KEY = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'secret';
const directory = parseAuthFile({
  accounts: [
    {
      id: '111122223333',
      users: [{ name: 'app', accessKeyId: KEY, secretAccessKey: SECRET }],
      sessions: [
        { roleName: 'r', sessionName: 'sn', accessKeyId: 'ASIAIOSFODNN7EXAMPLE', secretAccessKey: 's2', sessionToken: 'tok', expiration: '2026-01-01T01:00:00Z' },
      ],
    },
  ],
});
const NOW = Date.UTC(2026, 0, 1, 0, 0, 0);
const BODY = Buffer.from('{}');

/** A request signed in the header form at `stamp`, with `overrides` of the Authorization parameters. */
function signed(stamp: string, overrides: { credential?: string; signedHeaders?: string; algorithm?: string; secret?: string; extra?: string[] } = {}): SignedRequest {
  const raw = ['Host', 'localhost:8000', 'X-Amz-Date', stamp, 'X-Amz-Target', 'DynamoDB_20120810.ListTables', ...(overrides.extra ?? [])];
  const signedHeaders = overrides.signedHeaders ?? 'host;x-amz-date;x-amz-target';
  const credential = overrides.credential ?? `${KEY}/${stamp.slice(0, 8)}/us-east-1/dynamodb/aws4_request`;
  const canonical = canonicalRequest({
    method: 'POST',
    path: '/',
    query: '',
    headers: headerValues(raw),
    signedHeaders: signedHeaders.split(';'),
    payloadHash: sha256Hex(BODY),
  });
  const scope = credential.split('/').slice(1, 5).join('/');
  const signature = sign(signingKey(overrides.secret ?? SECRET, stamp.slice(0, 8), 'us-east-1'), stringToSign(stamp, scope, canonical));
  raw.push('Authorization', `${overrides.algorithm ?? 'AWS4-HMAC-SHA256'} Credential=${credential}, SignedHeaders=${signedHeaders}, Signature=${signature}`);
  return { method: 'POST', path: '/', query: '', headers: headerValues(raw), body: BODY };
}

function refusal(request: SignedRequest, now = NOW): [string, string] {
  try {
    verifySignature(request, directory, now);
  } catch (error) {
    if (error instanceof DynamoDbError) return [error.type, error.message];
    throw error;
  }
  return ['accepted', ''];
}

test('a good signature gives the region and the principal', () => {
  const verified = verifySignature(signed('20260101T000000Z'), directory, NOW);
  assert.equal(verified.region, 'us-east-1');
  assert.equal(verified.principal.arn, 'arn:aws:iam::111122223333:user/app');
});

test('15 minutes of skew either way are accepted; a second more is not', () => {
  assert.deepEqual(refusal(signed('20251231T234500Z')), ['accepted', '']);
  assert.deepEqual(refusal(signed('20260101T001500Z')), ['accepted', '']);
  assert.deepEqual(refusal(signed('20251231T234459Z')), [
    'InvalidSignatureException',
    'Signature expired: 20251231T234459Z is now earlier than 20251231T234500Z (20260101T000000Z - 15 min.)',
  ]);
  assert.deepEqual(refusal(signed('20260101T001501Z')), [
    'InvalidSignatureException',
    'Signature not yet current: 20260101T001501Z is still later than 20260101T001500Z (20260101T000000Z + 15 min.)',
  ]);
});

test('checks come in DynamoDB’s order: date, host, algorithm, credential, scope, key, signature', () => {
  // Everything wrong: the date is reported first.
  const all = signed('2026', { signedHeaders: 'x-amz-date', algorithm: 'AWS4-X', credential: 'a/b' });
  assert.deepEqual(refusal(all), ['IncompleteSignatureException', "Date must be in ISO-8601 'basic format'. Got '2026'. See http://en.wikipedia.org/wiki/ISO_8601"]);
  assert.deepEqual(refusal(signed('20260231T000000Z')), [
    'IncompleteSignatureException',
    "Date must be in ISO-8601 'basic format'. Got '20260231T000000Z'. See http://en.wikipedia.org/wiki/ISO_8601",
  ]);
  assert.deepEqual(refusal(signed('20260101T000000Z', { signedHeaders: 'x-amz-date', algorithm: 'AWS4-X', credential: 'a/b' })), [
    'InvalidSignatureException',
    "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
  ]);
  assert.deepEqual(refusal(signed('20260101T000000Z', { algorithm: 'AWS4-X', credential: 'a/b' })), [
    'IncompleteSignatureException',
    "Unsupported AWS 'algorithm': 'AWS4-X' (only AWS4-HMAC-SHA256 for now). ",
  ]);
  assert.deepEqual(refusal(signed('20260101T000000Z', { credential: 'a/b' })), [
    'IncompleteSignatureException',
    "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'a/b'",
  ]);
  // Trailing slashes are ignored.
  assert.deepEqual(refusal(signed('20260101T000000Z', { credential: `${KEY}/20260101/us-east-1/dynamodb/aws4_request//` })), ['accepted', '']);
  assert.deepEqual(refusal(signed('20260101T000000Z', { credential: 'NOBODY/20260101/us-east-1/dynamodb/aws4_request' })), [
    'UnrecognizedClientException',
    'The security token included in the request is invalid.',
  ]);
  const [type, message] = refusal(signed('20260101T000000Z', { secret: 'wrong' }));
  assert.equal(type, 'InvalidSignatureException');
  assert.ok(message.startsWith('The request signature we calculated does not match the signature you provided.'), message);
});

test('the Date header stands in for X-Amz-Date, in its HTTP form', () => {
  const request = signed('20260101T000000Z', { signedHeaders: 'date;host' });
  const headers = new Map(request.headers);
  headers.delete('x-amz-date');
  headers.set('date', ['Thu, 01 Jan 2026 00:00:00 GMT']);
  // Re-sign over the Date header.
  const canonical = canonicalRequest({ method: 'POST', path: '/', query: '', headers, signedHeaders: ['date', 'host'], payloadHash: sha256Hex(BODY) });
  const signature = sign(signingKey(SECRET, '20260101', 'us-east-1'), stringToSign('20260101T000000Z', '20260101/us-east-1/dynamodb/aws4_request', canonical));
  headers.set('authorization', [`AWS4-HMAC-SHA256 Credential=${KEY}/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=date;host, Signature=${signature}`]);
  assert.deepEqual(refusal({ ...request, headers }), ['accepted', '']);
  headers.set('date', ['2026-01-01']);
  assert.deepEqual(refusal({ ...request, headers }), ['IncompleteSignatureException', "Date must be in ISO-8601 'basic format'. Got '2026-01-01'. See http://en.wikipedia.org/wiki/ISO_8601"]);
});

test('a session key needs its token until its expiration', () => {
  const stamp = '20260101T000000Z';
  const credential = `ASIAIOSFODNN7EXAMPLE/20260101/us-east-1/dynamodb/aws4_request`;
  const withToken = (token: string): SignedRequest => signed(stamp, { credential, secret: 's2', signedHeaders: 'host;x-amz-date;x-amz-security-token', extra: ['X-Amz-Security-Token', token] });
  assert.deepEqual(refusal(withToken('tok')), ['accepted', '']);
  assert.deepEqual(refusal(withToken('other')), ['UnrecognizedClientException', 'The security token included in the request is invalid']);
  assert.deepEqual(refusal(signed(stamp, { credential, secret: 's2' })), ['UnrecognizedClientException', 'The security token included in the request is invalid.']);
  const late = signed('20260101T010000Z', { credential, secret: 's2', signedHeaders: 'host;x-amz-date;x-amz-security-token', extra: ['X-Amz-Security-Token', 'tok'] });
  assert.deepEqual(refusal(late, Date.UTC(2026, 0, 1, 1, 0, 0)), ['ExpiredTokenException', 'The security token included in the request is expired']);
});

test('X-Amz-Expires of a presigned request: 1 to 604800 seconds', () => {
  const query = (expires: string): SignedRequest => ({
    method: 'POST',
    path: '/',
    query: `X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${KEY}%2F20260101%2Fus-east-1%2Fdynamodb%2Faws4_request&X-Amz-Date=20260101T000000Z&X-Amz-Expires=${expires}&X-Amz-SignedHeaders=host&X-Amz-Signature=00`,
    headers: headerValues(['Host', 'localhost']),
    body: BODY,
  });
  for (const expires of ['0', '604801', 'x', '-1', '1.5']) {
    assert.deepEqual(refusal(query(expires)), [
      'IncompleteSignatureException',
      `X-Amz-Expires must be a whole number of seconds from 1 to 604800, not '${expires}'.`,
    ]);
  }
  assert.deepEqual(refusal(query('60'), NOW + 61_000), [
    'InvalidSignatureException',
    'Signature expired: 20260101T000000Z is now earlier than 20260101T000001Z (20260101T000101Z - 60 sec.)',
  ]);
  // Within its validity the request reaches the signature check.
  assert.equal(refusal(query('60'), NOW + 59_000)[0], 'InvalidSignatureException');
  assert.ok(refusal(query('60'), NOW + 59_000)[1].startsWith('The request signature we calculated'));
});

test('isoBasic', () => {
  assert.equal(isoBasic(Date.UTC(2026, 0, 1, 0, 16, 0, 999)), '20260101T001600Z');
});
