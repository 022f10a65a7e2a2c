/**
 * Compressed requests (Content-Encoding gzip / deflate) and compressed answers (Accept-Encoding), as DynamoDB
 * handles them: refused codings and bodies write nothing, the 16 MB limit holds on the decoded body, and the
 * x-amz-crc32 of a compressed answer covers the compressed bytes, which boto3 verifies.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { deflateSync, gunzipSync, gzipSync, inflateSync } from 'node:zlib';
import { CreateTableCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { crc32 } from '../../src/util/crc32.js';
import { startCairn, TEST_AUTHORIZATION, type Cairn, type RawResponse } from '../helpers/cairn.js';

const TABLE = 'compression';
const BIG = 'x'.repeat(5000);

let cairn: Cairn;
before(async () => {
  cairn = await startCairn({ inMemory: true });
  await cairn.client.send(
    new CreateTableCommand({
      TableName: TABLE,
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await cairn.client.send(new PutItemCommand({ TableName: TABLE, Item: { id: { S: 'big' }, data: { S: BIG } } }));
  await cairn.client.send(new PutItemCommand({ TableName: TABLE, Item: { id: { S: 'small' }, data: { S: 'tiny' } } }));
});
after(async () => {
  await cairn.close();
});

/** A signed-looking POST with exactly these body bytes. */
function post(target: string, body: Buffer, headers: Record<string, string> = {}): Promise<RawResponse> {
  return cairn.rawRequest({
    headers: {
      'Content-Type': 'application/x-amz-json-1.0',
      Authorization: TEST_AUTHORIZATION,
      'X-Amz-Date': '20260101T000000Z',
      'X-Amz-Target': `DynamoDB_20120810.${target}`,
      ...headers,
    },
    body,
  });
}

const putBody = (id: string, extra = ''): Buffer => Buffer.from(`{"TableName":"${TABLE}","Item":{"id":{"S":"${id}"}}${extra}}`);

async function stored(id: string): Promise<boolean> {
  const { Item } = await cairn.client.send(new GetItemCommand({ TableName: TABLE, Key: { id: { S: id } } }));
  return Item !== undefined;
}

function assertInternalError(response: RawResponse, message: string): void {
  assert.equal(response.status, 500);
  assert.deepEqual(response.body, { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message });
  assert.equal(response.headers['x-amz-crc32'], String(crc32(response.bytes)));
}

describe('compressed requests', () => {
  test('a gzip body is decoded', async () => {
    const response = await post('PutItem', gzipSync(putBody('gzipped')), { 'Content-Encoding': 'gzip' });
    assert.equal(response.status, 200);
    assert.equal(response.bytes.toString(), '{}');
    assert.equal(await stored('gzipped'), true);
  });

  test('a deflate body is decoded', async () => {
    const response = await post('PutItem', deflateSync(putBody('deflated')), { 'Content-Encoding': 'deflate' });
    assert.equal(response.status, 200);
    assert.equal(await stored('deflated'), true);
  });

  test('concatenated gzip members are one body (RFC 1952), codings are case-insensitive, identity is no coding', async () => {
    const body = putBody('two-members');
    const twoMembers = Buffer.concat([gzipSync(body.subarray(0, 10)), gzipSync(body.subarray(10))]);
    assert.equal((await post('PutItem', twoMembers, { 'Content-Encoding': 'GZIP' })).status, 200);
    assert.equal(await stored('two-members'), true);
    assert.equal((await post('PutItem', putBody('identity'), { 'Content-Encoding': 'identity' })).status, 200);
    assert.equal(await stored('identity'), true);
  });

  test('an unknown coding is refused with a 500, as DynamoDB refuses it, and nothing is written', async () => {
    const response = await post('PutItem', putBody('brotli'), { 'Content-Encoding': 'br' });
    assertInternalError(response, "The request's Content-Encoding br is not supported (gzip and deflate are)");
    assert.equal(await stored('brotli'), false);
  });

  const undecodable: readonly (readonly [string, string, Buffer, string])[] = [
    ['a body that is not gzip', 'gzip', putBody('not-gzip'), 'incorrect header check'],
    ['a truncated gzip body', 'gzip', gzipSync(putBody('truncated')).subarray(0, -1), 'unexpected end of file'],
    ['an empty gzip body', 'gzip', Buffer.alloc(0), 'unexpected end of file'],
    ['a body that is not deflate', 'deflate', putBody('not-deflate'), 'incorrect header check'],
    [
      'a deflate body with bytes after its end',
      'deflate',
      Buffer.concat([deflateSync(putBody('trailing')), Buffer.from('junk')]),
      'data after the end of the compressed stream',
    ],
  ];
  for (const [name, coding, body, reason] of undecodable) {
    test(`${name}: 500, nothing written`, async () => {
      const response = await post('PutItem', body, { 'Content-Encoding': coding });
      assertInternalError(response, `The request body could not be decoded as ${coding}: ${reason}`);
    });
  }
  test('none of the undecodable bodies was written', async () => {
    for (const id of ['not-gzip', 'truncated', 'not-deflate', 'trailing']) assert.equal(await stored(id), false, id);
  });

  test('the 16 MiB limit holds on the decoded body: a small gzip of 17 MiB is refused with 413', async () => {
    const padding = `,"ReturnValues":"NONE"${' '.repeat(17 * 1024 * 1024)}`;
    const bomb = gzipSync(putBody('bomb', padding));
    assert.ok(bomb.length < 100_000);
    const response = await post('PutItem', bomb, { 'Content-Encoding': 'gzip' });
    assert.equal(response.status, 413);
    assert.equal(response.bytes.length, 0);
    assert.equal(await stored('bomb'), false);
    // Just under the limit is read.
    const fits = gzipSync(putBody('fits', ' '.repeat(16 * 1024 * 1024 - putBody('fits').length)));
    assert.equal((await post('PutItem', fits, { 'Content-Encoding': 'gzip' })).status, 200);
    assert.equal(await stored('fits'), true);
  });
});

describe('compressed answers', () => {
  const getBig = Buffer.from(`{"TableName":"${TABLE}","Key":{"id":{"S":"big"}}}`);
  const getSmall = Buffer.from(`{"TableName":"${TABLE}","Key":{"id":{"S":"small"}}}`);
  const bigAnswer = JSON.stringify({ Item: { id: { S: 'big' }, data: { S: BIG } } });

  for (const [coding, decode] of [
    ['gzip', gunzipSync],
    ['deflate', inflateSync],
  ] as const) {
    test(`an answer of 4 KiB or more is ${coding}-compressed, its checksum over the compressed bytes`, async () => {
      const response = await post('GetItem', getBig, { 'Accept-Encoding': coding });
      assert.equal(response.status, 200);
      assert.equal(response.headers['content-encoding'], coding);
      assert.equal(response.headers['content-length'], String(response.bytes.length));
      assert.equal(response.headers['x-amz-crc32'], String(crc32(response.bytes)));
      assert.equal(decode(response.bytes).toString(), bigAnswer);
      assert.ok(response.bytes.length < 200, `${response.bytes.length} bytes`);
    });
  }

  test('small answers, and clients that do not ask, get the answer as it is', async () => {
    const small = await post('GetItem', getSmall, { 'Accept-Encoding': 'gzip' });
    assert.equal(small.headers['content-encoding'], undefined);
    assert.deepEqual(small.body, { Item: { id: { S: 'small' }, data: { S: 'tiny' } } });
    const variants: Record<string, string>[] = [{}, { 'Accept-Encoding': 'identity' }, { 'Accept-Encoding': 'br' }, { 'Accept-Encoding': 'gzip;q=0' }];
    for (const headers of variants) {
      const response = await post('GetItem', getBig, headers);
      assert.equal(response.headers['content-encoding'], undefined, JSON.stringify(headers));
      assert.equal(response.bytes.toString(), bigAnswer);
      assert.equal(response.headers['x-amz-crc32'], String(crc32(response.bytes)));
    }
  });

  test('the JavaScript SDK, which sends no Accept-Encoding, reads large answers', async () => {
    const { Item } = await cairn.client.send(new GetItemCommand({ TableName: TABLE, Key: { id: { S: 'big' } } }));
    assert.equal(Item?.data?.S, BIG);
  });

  const hasBoto3 = spawnSync('python3', ['-c', 'import boto3'], { stdio: 'ignore' }).status === 0;
  // boto3 checks x-amz-crc32 (in its default, legacy, retry mode) over the bytes as received, before the hook below
  // decompresses them, so a checksum over the uncompressed answer fails this test with a ChecksumError.
  const BOTO3_SCRIPT = `
import gzip, json, sys, zlib, boto3
from botocore.config import Config
ddb = boto3.client('dynamodb', endpoint_url=sys.argv[1], config=Config(retries={'max_attempts': 1, 'mode': 'legacy'}))
seen = {}
def accept(params, **kwargs):
    params['headers']['Accept-Encoding'] = sys.argv[2]
def decompress(response_dict, **kwargs):
    coding = response_dict['headers'].get('Content-Encoding')
    seen['coding'] = coding
    seen['bytes'] = len(response_dict['body'])
    if coding == 'gzip':
        response_dict['body'] = gzip.decompress(response_dict['body'])
    elif coding == 'deflate':
        response_dict['body'] = zlib.decompress(response_dict['body'])
ddb.meta.events.register('before-call', accept)
ddb.meta.events.register('before-parse', decompress)
item = ddb.get_item(TableName='${TABLE}', Key={'id': {'S': 'big'}})['Item']
print(json.dumps({'coding': seen.get('coding'), 'bytes': seen['bytes'], 'data': len(item['data']['S'])}))
`;
  for (const coding of ['gzip', 'deflate']) {
    test(`boto3 verifies the checksum of a ${coding} answer`, { skip: hasBoto3 ? false : 'boto3 is not installed' }, async () => {
      const output = await new Promise<string>((resolve, reject) => {
        execFile(
          'python3',
          ['-c', BOTO3_SCRIPT, cairn.url, coding],
          {
            env: { ...process.env, AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 'secret', AWS_DEFAULT_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true' },
            timeout: 60_000,
          },
          (error, stdout, stderr) => (error === null ? resolve(stdout) : reject(new Error(`${error.message}\n${stderr}`))),
        );
      });
      const result = JSON.parse(output) as { coding: string; bytes: number; data: number };
      assert.equal(result.coding, coding);
      assert.ok(result.bytes < 200, `${result.bytes} bytes`);
      assert.equal(result.data, BIG.length);
    });
  }
});
