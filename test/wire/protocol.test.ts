/**
 * The raw protocol: every check DynamoDB applies to a request before an operation runs, with exact statuses,
 * bodies and checksums (the crc32 figures are the ones DynamoDB sent for the same bodies).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { crc32 } from '../../src/util/crc32.js';
import { createLogger } from '../../src/http/logger.js';
import { createWireHandler } from '../../src/http/wire-handler.js';
import { Engine } from '../../src/engine/engine.js';
import { MemoryStorage } from '../../src/storage/memory/memory-storage.js';
import { authorizationFor, startCairn, type Cairn, type RawResponse } from '../helpers/cairn.js';

const REQUEST_ID = /^[0-9A-Z]{52}$/;
const NOT_FOUND = '<UnknownOperationException/>\n';
const LIST = 'DynamoDB_20120810.ListTables';

let cairn: Cairn;
before(async () => {
  cairn = await startCairn({ inMemory: true });
});
after(async () => {
  await cairn.close();
});

function assertChecksummed(response: RawResponse): void {
  assert.match(response.headers['x-amzn-requestid'] ?? '', REQUEST_ID);
  assert.equal(response.headers['x-amz-crc32'], String(crc32(response.bytes)));
  assert.equal(response.headers['content-length'], String(response.bytes.length));
}

function assert404(response: RawResponse): void {
  assert.equal(response.status, 404);
  assert.equal(response.bytes.toString(), NOT_FOUND);
  assert.equal(response.headers['x-amz-crc32'], '3552371480');
  assert.equal(response.headers['content-length'], '29');
  assert.match(response.headers['x-amzn-requestid'] ?? '', REQUEST_ID);
}

/** A JSON error: status 400, exact body, exact checksum, the request's content type echoed. */
function assertJsonError(response: RawResponse, body: object, crc: number | undefined, contentType = 'application/json'): void {
  assert.equal(response.status, 400);
  assert.deepEqual(response.body, body);
  assert.equal(response.bytes.toString(), JSON.stringify(body));
  if (crc !== undefined) assert.equal(response.headers['x-amz-crc32'], String(crc));
  assert.equal(response.headers['content-type'], contentType);
  assertChecksummed(response);
}

const SERIALIZATION = { __type: 'com.amazon.coral.service#SerializationException' };
const UNKNOWN_OPERATION = { __type: 'com.amazon.coral.service#UnknownOperationException' };
const MISSING_TOKEN = {
  __type: 'com.amazon.coral.service#MissingAuthenticationTokenException',
  message: 'Request is missing Authentication Token',
};

describe('requests that are not DynamoDB operations', () => {
  test('GET / is the health check, with a trailing space and its checksum', async () => {
    const response = await cairn.rawRequest({ method: 'GET' });
    assert.equal(response.status, 200);
    assert.equal(response.bytes.toString(), 'healthy: dynamodb.us-east-1.amazonaws.com ');
    assert.equal(response.headers['x-amz-crc32'], '3128867991');
    assert.equal(response.headers['content-length'], '42');
    assert.match(response.headers['x-amzn-requestid'] ?? '', REQUEST_ID);
  });

  const cases: ReadonlyArray<readonly [string, { method?: string; path?: string; headers?: Record<string, string>; body?: string }]> = [
    ['GET of another path', { method: 'GET', path: '/index.html' }],
    ['PUT', { method: 'PUT' }],
    ['DELETE', { method: 'DELETE' }],
    ['OPTIONS without Origin', { method: 'OPTIONS' }],
    ['POST to another path', { path: '/tables', headers: { 'Content-Type': 'application/json' }, body: '{}' }],
    ['a body without Content-Type', { body: 'hi' }],
    ['a body with an unknown Content-Type', { headers: { 'Content-Type': 'whatever' }, body: 'hi' }],
    ['a body with a near-miss Content-Type', { headers: { 'Content-Type': 'application/jsonasdf' }, body: 'hi' }],
  ];
  for (const [name, options] of cases) {
    test(`${name}: 404 <UnknownOperationException/>`, async () => assert404(await cairn.rawRequest(options)));
  }
});

describe('JSON framing errors', () => {
  const serializationCases: ReadonlyArray<readonly [string, string]> = [
    ['application/json', 'application/json'],
    ['application/x-amz-json-1.0', 'application/x-amz-json-1.0'],
    ['application/json;', 'application/json'],
    ['  application/json  ;   asfd', 'application/json'],
    ['application/x-amz-json-1.0;blahblah', 'application/x-amz-json-1.0'],
    ['application/x-amz-json-1.1', 'application/x-amz-json-1.1'],
  ];
  for (const [contentType, answered] of serializationCases) {
    test(`a body that is not JSON (${contentType}): SerializationException without message`, async () => {
      const response = await cairn.rawRequest({ headers: { 'Content-Type': contentType }, body: 'hi' });
      assertJsonError(response, SERIALIZATION, 3948637019, answered);
    });
  }

  const unknownCases: ReadonlyArray<readonly [string, RequestInit & { headers?: Record<string, string>; body?: string }]> = [
    ['no target and no body', {}],
    ['no target, body {}', { headers: { 'Content-Type': 'application/json' }, body: '{}' }],
    ['no target, charset parameter', { headers: { 'Content-Type': 'application/json;charset=asfdsaf' }, body: '{}' }],
    ['a target without the API version', { headers: { 'X-Amz-Target': 'whatever' } }],
    ['a misspelt operation', { headers: { 'X-Amz-Target': 'DynamoDB_20120810.ListTable' } }],
    ['an older API version', { headers: { 'X-Amz-Target': 'DynamoDB_20111205.ListTables' } }],
    ['a name inherited from Object', { headers: { 'X-Amz-Target': 'DynamoDB_20120810.constructor' } }],
  ];
  for (const [name, options] of unknownCases) {
    test(`${name}: UnknownOperationException without message`, async () => {
      const response = await cairn.rawRequest({ headers: options.headers ?? {}, body: options.body ?? '' });
      assertJsonError(response, UNKNOWN_OPERATION, 1368724161);
    });
  }

  test('the x-amz-json-1.0 content type is echoed on UnknownOperationException', async () => {
    const response = await cairn.rawRequest({ headers: { 'Content-Type': 'application/x-amz-json-1.0' }, body: '{}' });
    assertJsonError(response, UNKNOWN_OPERATION, undefined, 'application/x-amz-json-1.0');
  });

  test('malformed JSON is reported before an unknown target', async () => {
    const response = await cairn.rawRequest({ headers: { 'Content-Type': 'application/json', 'X-Amz-Target': 'nope' }, body: '{' });
    assertJsonError(response, SERIALIZATION, 3948637019);
  });
});

describe('authentication', () => {
  const target = { 'X-Amz-Target': LIST };
  const incomplete = (message: string) => ({ __type: 'com.amazon.coral.service#IncompleteSignatureException', message });
  const cases: ReadonlyArray<readonly [string, string | undefined, Record<string, string>, object, number]> = [
    ['no Authorization header', undefined, target, MISSING_TOKEN, 2088342776],
    ['an Authorization header that is not AWS4-', undefined, { ...target, Authorization: 'AWS4' }, MISSING_TOKEN, 2088342776],
    ['a non-AWS4 header and a near-miss query parameter', '/?X-Amz-Algorith', { ...target, Authorization: 'X' }, MISSING_TOKEN, 2088342776],
    [
      'query parameters without X-Amz-Algorithm',
      '/?X-Amz-Credential=a&X-Amz-Signature=b&X-Amz-SignedHeaders=c&X-Amz-Date=d',
      target,
      MISSING_TOKEN,
      2088342776,
    ],
    [
      'both the header and X-Amz-Algorithm',
      '/?X-Amz-Algorithm',
      { ...target, Authorization: 'X' },
      {
        __type: 'com.amazon.coral.service#InvalidSignatureException',
        message: "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.",
      },
      2139606068,
    ],
    [
      'a bare AWS4- header',
      undefined,
      { ...target, Authorization: 'AWS4-' },
      incomplete(
        "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
          "Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a " +
          "'X-Amz-Date' or a 'Date' header. Authorization=AWS4-",
      ),
      1828866742,
    ],
    [
      'space-separated parameters without SignedHeaders',
      undefined,
      { ...target, Authorization: 'AWS4- Signature=b Credential=a', Date: 'a' },
      incomplete("Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4- Signature=b Credential=a"),
      15336762,
    ],
    [
      'comma-separated parameters without SignedHeaders',
      undefined,
      { ...target, Authorization: 'AWS4- Signature=b,Credential=a', Date: 'a' },
      incomplete("Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4- Signature=b,Credential=a"),
      1159703774,
    ],
    [
      'comma-and-space-separated parameters without SignedHeaders',
      undefined,
      { ...target, Authorization: 'AWS4- Signature=b, Credential=a', Date: 'a' },
      incomplete("Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4- Signature=b, Credential=a"),
      164353342,
    ],
    [
      'an empty X-Amz-Algorithm query',
      '/?X-Amz-Algorithm',
      target,
      incomplete(
        "AWS query-string parameters must include 'X-Amz-Algorithm'. AWS query-string parameters must include 'X-Amz-Credential'. " +
          "AWS query-string parameters must include 'X-Amz-Signature'. AWS query-string parameters must include 'X-Amz-SignedHeaders'. " +
          "AWS query-string parameters must include 'X-Amz-Date'. Re-examine the query-string parameters.",
      ),
      2900502663,
    ],
    [
      'query signing without X-Amz-SignedHeaders',
      '/?X-Amz-Algorithm=a&X-Amz-Credential=b&X-Amz-Signature=c&X-Amz-Date=d',
      target,
      incomplete("AWS query-string parameters must include 'X-Amz-SignedHeaders'. Re-examine the query-string parameters."),
      3712057481,
    ],
  ];
  for (const [name, path, headers, body, crc] of cases) {
    test(name, async () => {
      const response = await cairn.rawRequest({ ...(path !== undefined ? { path } : {}), headers });
      assertJsonError(response, body, crc);
    });
  }

  test('a complete query-string signature is accepted', async () => {
    const response = await cairn.rawRequest({
      path: '/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20260101%2Fus-east-1%2Fdynamodb%2Faws4_request&X-Amz-Signature=c&X-Amz-SignedHeaders=host&X-Amz-Date=d',
      headers: { 'X-Amz-Target': LIST, 'Content-Type': 'application/x-amz-json-1.0' },
      body: '{}',
    });
    assert.equal(response.status, 200);
    assert.deepEqual(response.body, { TableNames: [] });
  });
});

describe('bodies', () => {
  test('an empty body with a valid target and signature: SerializationException without message', async () => {
    assertJsonError(await cairn.raw(LIST, ''), SERIALIZATION, 3948637019, 'application/x-amz-json-1.0');
  });

  const cases: ReadonlyArray<readonly [string, string, object]> = [
    ['a JSON array', '[]', { ...SERIALIZATION, Message: 'Unrecognized collection type class com.amazonaws.dynamodb.v20120810.ListTablesInput' }],
    ['a JSON string', '"x"', { ...SERIALIZATION, Message: 'Unexpected value type in payload' }],
    ['a JSON number', '1', { ...SERIALIZATION, Message: 'Unexpected value type in payload' }],
  ];
  for (const [name, body, expected] of cases) {
    test(`${name} is not an operation input`, async () => {
      assertJsonError(await cairn.raw(LIST, body), expected, undefined, 'application/x-amz-json-1.0');
    });
  }

  test('JSON null reads as an input without members', async () => {
    const response = await cairn.raw(LIST, 'null');
    assert.equal(response.status, 200);
    assert.deepEqual(response.body, { TableNames: [] });
  });

  test('member validation runs before the operation', async () => {
    const response = await cairn.raw('DynamoDB_20120810.DescribeTable', {});
    assertJsonError(
      response,
      {
        __type: 'com.amazon.coral.validate#ValidationException',
        message: "The parameter 'TableName' is required but was not present in the request",
      },
      undefined,
      'application/x-amz-json-1.0',
    );
  });
});

describe('successful answers', () => {
  test('carry a request id, a correct checksum, the content type and keep the connection alive', async () => {
    const response = await cairn.raw(LIST, {});
    assert.equal(response.status, 200);
    assert.equal(response.headers['content-type'], 'application/x-amz-json-1.0');
    assert.equal(response.headers.connection, 'keep-alive');
    assertChecksummed(response);
    assert.equal(response.headers['access-control-allow-origin'], undefined);
  });

  test('an application/json request gets an application/json answer', async () => {
    const response = await cairn.raw(LIST, {}, { 'Content-Type': 'application/json' });
    assert.equal(response.status, 200);
    assert.equal(response.headers['content-type'], 'application/json');
  });

  test('the region comes from the credential scope', async () => {
    const west = { Authorization: authorizationFor('us-west-2') };
    const created = await cairn.raw(
      'DynamoDB_20120810.CreateTable',
      {
        TableName: 'regional',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      },
      west,
    );
    assert.equal(created.status, 200);
    assert.equal(
      (created.body as { TableDescription: { TableArn: string } }).TableDescription.TableArn,
      'arn:aws:dynamodb:us-west-2:000000000000:table/regional',
    );
    assert.deepEqual((await cairn.raw(LIST, {}, west)).body, { TableNames: ['regional'] });
    assert.deepEqual((await cairn.raw(LIST, {})).body, { TableNames: [] });
    assert.equal((await cairn.raw('DynamoDB_20120810.DeleteTable', { TableName: 'regional' }, west)).status, 200);
  });
});

describe('CORS', () => {
  test('a preflight with Origin is answered 200, empty, echoing the requested headers and method', async () => {
    const response = await cairn.rawRequest({
      method: 'OPTIONS',
      headers: { Origin: 'http://example.com', 'Access-Control-Request-Headers': 'a, b, c', 'Access-Control-Request-Method': 'd' },
    });
    assert.equal(response.status, 200);
    assert.equal(response.bytes.length, 0);
    assert.equal(response.headers['content-length'], '0');
    assert.equal(response.headers['access-control-allow-origin'], '*');
    assert.equal(response.headers['access-control-allow-headers'], 'a, b, c');
    assert.equal(response.headers['access-control-allow-methods'], 'd');
    assert.equal(response.headers['access-control-max-age'], '172800');
    assert.match(response.headers['x-amzn-requestid'] ?? '', REQUEST_ID);
  });

  test('a preflight without requested headers echoes none', async () => {
    const response = await cairn.rawRequest({ method: 'OPTIONS', headers: { Origin: 'x' } });
    assert.equal(response.status, 200);
    assert.equal(response.headers['access-control-allow-headers'], undefined);
    assert.equal(response.headers['access-control-allow-methods'], undefined);
  });

  test('answers to requests with Origin allow any origin and expose the DynamoDB headers, errors included', async () => {
    for (const response of [
      await cairn.raw(LIST, {}, { Origin: 'http://example.com' }),
      await cairn.rawRequest({ headers: { Origin: 'http://example.com' } }),
    ]) {
      assert.equal(response.headers['access-control-allow-origin'], '*');
      assert.equal(response.headers['access-control-expose-headers'], 'x-amzn-RequestId,x-amz-crc32');
    }
  });
});

describe('request size limit', () => {
  const sixteenMiB = 16 * 1024 * 1024;

  test('a body of 16 MiB + 1 byte is refused with 413 and an empty chunked body', async () => {
    const response = await cairn.rawRequest({ body: Buffer.alloc(sixteenMiB + 1, 0x61) });
    assert.equal(response.status, 413);
    assert.equal(response.headers['transfer-encoding'], 'chunked');
    assert.equal(response.bytes.length, 0);
  });

  test('a chunked body is refused as soon as it passes 16 MiB, without the client finishing it', async () => {
    const url = new URL(cairn.url);
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ host: url.hostname, port: url.port, method: 'POST', path: '/' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on('error', () => undefined);
      const chunk = Buffer.alloc(1024 * 1024, 0x61);
      let sent = 0;
      // Writes 17 MiB then keeps the request open: only a streaming check can answer before the end.
      const pump = (): void => {
        while (sent < 17) {
          sent++;
          if (!req.write(chunk)) {
            req.once('drain', pump);
            return;
          }
        }
      };
      pump();
      setTimeout(() => reject(new Error('no answer before the body ended')), 10_000).unref();
    });
    assert.equal(status, 413);
  });

  test('a body of exactly 16 MiB is read (and, lacking a content type, answered 404)', async () => {
    assert404(await cairn.rawRequest({ body: Buffer.alloc(sixteenMiB, 0x61) }));
  });
});

describe('unexpected failures', () => {
  test('an exception in an operation is a logged 500 InternalServerError, and the server keeps serving', async () => {
    const logged: string[] = [];
    const engine = new Engine(new MemoryStorage(), { defaultRegion: 'us-east-1', accountId: '000000000000' });
    const handler = createWireHandler({
      engine,
      logger: createLogger('error', (line) => logged.push(line)),
      operations: {
        ListTables: () => Promise.reject(new TypeError('boom')),
        DescribeLimits: () => Promise.resolve({ ok: true }),
      },
    });
    const server = createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const post = (target: string): Promise<{ status: number; body: string }> =>
      new Promise((resolve, reject) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/',
            headers: {
              'Content-Type': 'application/x-amz-json-1.0',
              'X-Amz-Target': target,
              Authorization: authorizationFor('us-east-1'),
              'X-Amz-Date': '20260101T000000Z',
            },
          },
          (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => (body += chunk));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          },
        );
        req.on('error', reject);
        req.end('{}');
      });
    try {
      const failed = await post('DynamoDB_20120810.ListTables');
      assert.equal(failed.status, 500);
      assert.equal(failed.body, '{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"Internal server error"}');
      assert.equal(logged.length, 1);
      // The request id of the answer and the operation lead the line; the cause's stack follows.
      assert.match(logged[0] ?? '', /ERROR [0-9A-Z]{52} ListTables: unexpected error while answering a request\nTypeError: boom\n {4}at /);
      assert.deepEqual(await post('DynamoDB_20120810.DescribeLimits'), { status: 200, body: '{"ok":true}' });
    } finally {
      await new Promise((resolve) => server.close(resolve));
      await engine.storage.close();
    }
  });
});
