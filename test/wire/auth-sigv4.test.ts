/**
 * SigV4 verification with `--auth`: the JS SDK signing with right and wrong secrets and keys, request times
 * outside the 15-minute window, presigned URLs, temporary credentials (session tokens), and DynamoDB's exact
 * errors for each. Requests that must be exact to the byte are signed with the SDK's own signer and sent raw.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { startCairn, type Cairn } from '../helpers/cairn.js';
import { AUTH_FILE, EXPIRED_SESSION_A, SESSION_A, USER_A } from '../helpers/auth.js';
import { signRaw, type SignOptions } from '../helpers/sigv4.js';

const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** An SDK call's failure as [type, HTTP status, message]. */
async function failure(promise: Promise<unknown>): Promise<[string, number | undefined, string]> {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return [e.name, e.$metadata?.httpStatusCode, e.message];
  }
  assert.fail('the call succeeded');
}

/** `20260101T000000Z` of a Date. */
function iso(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

describe('SigV4 verification with --auth', () => {
  let cairn: Cairn;
  before(async () => {
    cairn = await startCairn({ inMemory: true, auth: AUTH_FILE });
  });
  after(() => cairn.close());

  const send = async (options: Omit<SignOptions, 'url'>): Promise<{ status: number; body: unknown }> => {
    const signed = await signRaw({ ...options, url: cairn.url });
    return cairn.rawRequest({ path: signed.path, headers: signed.headers, body: signed.body });
  };
  const listTables = { target: 'DynamoDB_20120810.ListTables', body: '{}' };

  test('the SDK signing with a known key and its secret is served', async () => {
    const result = await cairn.client.send(new ListTablesCommand({}));
    assert.deepEqual(result.TableNames, []);
  });

  test('a wrong secret: InvalidSignatureException with the canonical request and string to sign expected', async () => {
    const client = cairn.clientAs({ accessKeyId: USER_A.accessKeyId, secretAccessKey: 'not-the-secret' });
    const [type, status, message] = await failure(client.send(new ListTablesCommand({})));
    assert.equal(type, 'InvalidSignatureException');
    assert.equal(status, 400);
    assert.ok(message.startsWith(`${MISMATCH}\n\nThe Canonical String for this request should have been\n'POST\n/\n\n`), message);
    assert.match(message, /\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n\d{8}T\d{6}Z\n\d{8}\/us-east-1\/dynamodb\/aws4_request\n[0-9a-f]{64}'\n$/);
  });

  test('the exact canonical request of a raw signed request with a wrong secret', async () => {
    const date = new Date();
    const stamp = iso(date);
    const body = '{}';
    const answer = await send({ ...listTables, credentials: { ...USER_A, secretAccessKey: 'wrong' }, date });
    assert.equal(answer.status, 400);
    const port = new URL(cairn.url).port;
    const canonical = [
      'POST',
      '/',
      '',
      'content-type:application/x-amz-json-1.0',
      `host:127.0.0.1:${port}`,
      'x-amz-content-sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
      `x-amz-date:${stamp}`,
      'x-amz-target:DynamoDB_20120810.ListTables',
      '',
      'content-type;host;x-amz-content-sha256;x-amz-date;x-amz-target',
      '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
    ].join('\n');
    const { createHash } = await import('node:crypto');
    const hash = createHash('sha256').update(canonical).digest('hex');
    assert.deepEqual(answer.body, {
      __type: 'com.amazon.coral.service#InvalidSignatureException',
      message: `${MISMATCH}\n\nThe Canonical String for this request should have been\n'${canonical}'\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n${stamp}\n${stamp.slice(0, 8)}/us-east-1/dynamodb/aws4_request\n${hash}'\n`,
    });
    assert.equal(body, '{}');
  });

  test('an unknown access key: UnrecognizedClientException', async () => {
    const client = cairn.clientAs({ accessKeyId: 'AKIAUNKNOWNUNKNOWN00', secretAccessKey: 'x' });
    assert.deepEqual(await failure(client.send(new ListTablesCommand({}))), [
      'UnrecognizedClientException',
      400,
      'The security token included in the request is invalid.',
    ]);
  });

  test('a request time more than 15 minutes old: Signature expired', async () => {
    const date = new Date(Date.now() - 20 * 60 * 1000);
    const answer = await send({ ...listTables, credentials: USER_A, date });
    assert.equal(answer.status, 400);
    const body = answer.body as { __type: string; message: string };
    assert.equal(body.__type, 'com.amazon.coral.service#InvalidSignatureException');
    const match = /^Signature expired: (\d{8}T\d{6}Z) is now earlier than (\d{8}T\d{6}Z) \((\d{8}T\d{6}Z) - 15 min\.\)$/.exec(body.message);
    assert.ok(match, body.message);
    assert.equal(match[1], iso(date));
    // now - 15 min, and now: fifteen minutes apart, within a few seconds of this test's clock.
    const parse = (text: string): number =>
      Date.UTC(+text.slice(0, 4), +text.slice(4, 6) - 1, +text.slice(6, 8), +text.slice(9, 11), +text.slice(11, 13), +text.slice(13, 15));
    assert.equal(parse(match[3] as string) - parse(match[2] as string), 15 * 60 * 1000);
    assert.ok(Math.abs(parse(match[3] as string) - Date.now()) < 5000);
  });

  test('the SDK with a clock 20 minutes fast: Signature not yet current', async () => {
    const client = new DynamoDBClient({
      region: 'us-east-1',
      endpoint: cairn.url,
      credentials: { ...USER_A },
      maxAttempts: 1,
      systemClockOffset: 20 * 60 * 1000,
    });
    try {
      const [type, status, message] = await failure(client.send(new ListTablesCommand({})));
      assert.equal(type, 'InvalidSignatureException');
      assert.equal(status, 400);
      assert.match(message, /^Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 15 min\.\)$/);
    } finally {
      client.destroy();
    }
  });

  test('the SDK with a clock 20 minutes slow: Signature expired', async () => {
    const client = new DynamoDBClient({
      region: 'us-east-1',
      endpoint: cairn.url,
      credentials: { ...USER_A },
      maxAttempts: 1,
      systemClockOffset: -20 * 60 * 1000,
    });
    try {
      const [type, status, message] = await failure(client.send(new ListTablesCommand({})));
      assert.equal(type, 'InvalidSignatureException');
      assert.equal(status, 400);
      assert.match(message, /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/);
    } finally {
      client.destroy();
    }
  });

  test('temporary credentials: the session token right, wrong, missing and expired', async () => {
    assert.deepEqual((await cairn.clientAs(SESSION_A).send(new ListTablesCommand({}))).TableNames, []);
    assert.deepEqual(await failure(cairn.clientAs({ ...SESSION_A, sessionToken: 'not-the-token' }).send(new ListTablesCommand({}))), [
      'UnrecognizedClientException',
      400,
      'The security token included in the request is invalid',
    ]);
    const { sessionToken: _, ...withoutToken } = SESSION_A;
    assert.deepEqual(await failure(cairn.clientAs(withoutToken).send(new ListTablesCommand({}))), [
      'UnrecognizedClientException',
      400,
      'The security token included in the request is invalid.',
    ]);
    assert.deepEqual(await failure(cairn.clientAs(EXPIRED_SESSION_A).send(new ListTablesCommand({}))), [
      'ExpiredTokenException',
      400,
      'The security token included in the request is expired',
    ]);
    // A user's long-term key sent with a session token.
    assert.deepEqual(await failure(cairn.clientAs({ ...USER_A, sessionToken: SESSION_A.sessionToken }).send(new ListTablesCommand({}))), [
      'UnrecognizedClientException',
      400,
      'The security token included in the request is invalid',
    ]);
  });

  test('a presigned request (query-string signature) is served', async () => {
    const answer = await send({ ...listTables, credentials: USER_A, presignExpires: 300 });
    assert.deepEqual([answer.status, answer.body], [200, { TableNames: [] }]);
    const session = await send({ ...listTables, credentials: SESSION_A, presignExpires: 300 });
    assert.deepEqual([session.status, session.body], [200, { TableNames: [] }]);
  });

  test('a presigned request past X-Amz-Expires, or signed with a wrong secret, is refused', async () => {
    const date = new Date(Date.now() - 120_000);
    const expired = await send({ ...listTables, credentials: USER_A, presignExpires: 60, date });
    assert.equal(expired.status, 400);
    const body = expired.body as { __type: string; message: string };
    assert.equal(body.__type, 'com.amazon.coral.service#InvalidSignatureException');
    assert.match(body.message, new RegExp(`^Signature expired: ${iso(date)} is now earlier than \\d{8}T\\d{6}Z \\(\\d{8}T\\d{6}Z - 60 sec\\.\\)$`));
    const wrong = await send({ ...listTables, credentials: { ...USER_A, secretAccessKey: 'wrong' }, presignExpires: 60 });
    assert.equal(wrong.status, 400);
    const wrongBody = wrong.body as { __type: string; message: string };
    assert.equal(wrongBody.__type, 'com.amazon.coral.service#InvalidSignatureException');
    assert.ok(wrongBody.message.startsWith(`${MISMATCH}\n\nThe Canonical String for this request should have been\n'POST\n/\nX-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${USER_A.accessKeyId}%2F`), wrongBody.message);
  });

  test('a body changed after signing no longer matches', async () => {
    const signed = await signRaw({ ...listTables, credentials: USER_A, url: cairn.url });
    const answer = await cairn.rawRequest({ path: signed.path, headers: signed.headers, body: '{"Limit":1}' });
    assert.equal(answer.status, 400);
    assert.equal((answer.body as { __type: string }).__type, 'com.amazon.coral.service#InvalidSignatureException');
  });

  test('the credential scope: region, service, terminator and date each checked, together', async () => {
    const wrongService = await send({ ...listTables, credentials: USER_A, service: 'dynamo' });
    assert.deepEqual(wrongService.body, {
      __type: 'com.amazon.coral.service#InvalidSignatureException',
      message: "Credential should be scoped to correct service: 'dynamodb'. ",
    });
    const headers = { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'DynamoDB_20120810.ListTables', 'X-Amz-Date': iso(new Date()) };
    const day = iso(new Date()).slice(0, 8);
    const everything = await cairn.rawRequest({
      headers: {
        ...headers,
        Authorization: `AWS4-HMAC-SHA256 Credential=${USER_A.accessKeyId}/19991231/nowhere/s3/aws5_request, SignedHeaders=host;x-amz-date, Signature=00`,
      },
      body: '{}',
    });
    assert.deepEqual(everything.body, {
      __type: 'com.amazon.coral.service#InvalidSignatureException',
      message: `Credential should be scoped to a valid region, not 'nowhere'. Credential should be scoped to correct service: 'dynamodb'. Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '19991231' != '${day}', from '${headers['X-Amz-Date']}'.`,
    });
    const short = await cairn.rawRequest({
      headers: { ...headers, Authorization: `AWS4-HMAC-SHA256 Credential=${USER_A.accessKeyId}/${day}/us-east-1/dynamodb, SignedHeaders=host;x-amz-date, Signature=00` },
      body: '{}',
    });
    assert.deepEqual(short.body, {
      __type: 'com.amazon.coral.service#IncompleteSignatureException',
      message: `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${USER_A.accessKeyId}/${day}/us-east-1/dynamodb'`,
    });
  });

  test('the date format, host among the signed headers, and the algorithm', async () => {
    const base = { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'DynamoDB_20120810.ListTables' };
    const day = iso(new Date()).slice(0, 8);
    const credential = `${USER_A.accessKeyId}/${day}/us-east-1/dynamodb/aws4_request`;
    const badDate = await cairn.rawRequest({
      headers: { ...base, 'X-Amz-Date': '2026-01-01T00:00:00Z', Authorization: `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=host;x-amz-date, Signature=00` },
      body: '{}',
    });
    assert.deepEqual(badDate.body, {
      __type: 'com.amazon.coral.service#IncompleteSignatureException',
      message: "Date must be in ISO-8601 'basic format'. Got '2026-01-01T00:00:00Z'. See http://en.wikipedia.org/wiki/ISO_8601",
    });
    const noHost = await cairn.rawRequest({
      headers: { ...base, 'X-Amz-Date': iso(new Date()), Authorization: `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=x-amz-date, Signature=00` },
      body: '{}',
    });
    assert.deepEqual(noHost.body, {
      __type: 'com.amazon.coral.service#InvalidSignatureException',
      message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    });
    const algorithm = await cairn.rawRequest({
      headers: { ...base, 'X-Amz-Date': iso(new Date()), Authorization: `AWS4-HMAC-SHA512 Credential=${credential}, SignedHeaders=host;x-amz-date, Signature=00` },
      body: '{}',
    });
    assert.deepEqual(algorithm.body, {
      __type: 'com.amazon.coral.service#IncompleteSignatureException',
      message: "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512' (only AWS4-HMAC-SHA256 for now). ",
    });
  });
});
