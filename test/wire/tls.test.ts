/**
 * HTTPS (`--tls-cert`, `--tls-key`): unmodified clients trusting a self-signed certificate (the JS SDK through an
 * https agent, boto3 with `verify`, the AWS CLI with `--ca-bundle`), Cairn's own endpoints over TLS, plain HTTP
 * refused, the connection limits and graceful close, the start-up refusals, the configuration file and SIGHUP.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { hasAwsCli, hasBoto3, runClient, runProcess } from '../helpers/client-process.js';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { connect as netConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, DynamoDBClient, GetItemCommand, ListTablesCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { startServer, type RunningServer } from '../../src/server.js';
import { spawnCairn } from '../helpers/cairn-process.js';
import { selfSignedCertificate, type TlsFilePair } from '../helpers/tls-files.js';

const CLI = fileURLToPath(new URL('../../bundle/cli.js', import.meta.url));

function sdkClient(url: string, ca: string): DynamoDBClient {
  return new DynamoDBClient({
    region: 'us-east-1',
    endpoint: url,
    credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ httpsAgent: new HttpsAgent({ ca, keepAlive: true }) }),
  });
}

/** A GET over HTTPS trusting `ca`: status and body. */
function httpsGet(url: string, ca: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { ca, agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The SHA-256 fingerprint of the certificate a new connection is served. */
function servedFingerprint(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      const fingerprint = socket.getPeerCertificate().fingerprint256;
      socket.end();
      resolve(fingerprint);
    });
    socket.on('error', reject);
  });
}

let files: TlsFilePair;
let server: RunningServer;
let client: DynamoDBClient;

before(async () => {
  files = selfSignedCertificate();
  server = await startServer({ host: '127.0.0.1', port: 0, inMemory: true, logLevel: 'silent', tls: { certFile: files.certFile, keyFile: files.keyFile } });
  client = sdkClient(server.url, files.cert);
  await client.send(
    new CreateTableCommand({
      TableName: 'secure',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
});
after(async () => {
  client.destroy();
  await server.close();
});

describe('clients over HTTPS', () => {
  test('the server announces an https URL', () => {
    assert.equal(server.url, `https://127.0.0.1:${server.port}`);
  });

  test('the JS SDK with an https agent trusting the certificate', async () => {
    await client.send(new PutItemCommand({ TableName: 'secure', Item: { id: { S: 'sdk' }, n: { N: '1.50' } } }));
    const got = await client.send(new GetItemCommand({ TableName: 'secure', Key: { id: { S: 'sdk' } } }));
    assert.deepEqual(got.Item, { id: { S: 'sdk' }, n: { N: '1.5' } });
  });

  test('boto3 with verify=<the certificate>', { skip: !hasBoto3 && 'boto3 is not installed' }, async () => {
    const script = `
import sys, json, boto3
client = boto3.client('dynamodb', endpoint_url=sys.argv[1], verify=sys.argv[2])
client.put_item(TableName='secure', Item={'id': {'S': 'boto3'}, 'v': {'S': 'x'}})
print(json.dumps(client.get_item(TableName='secure', Key={'id': {'S': 'boto3'}})['Item'], sort_keys=True))
`;
    const result = await runClient('python3', ['-c', script, server.url, files.certFile], 'us-east-1');
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.trim(), '{"id": {"S": "boto3"}, "v": {"S": "x"}}');
  });

  test('the AWS CLI with --ca-bundle', { skip: !hasAwsCli && 'the AWS CLI is not installed' }, async () => {
    const result = await runClient('aws', ['--endpoint-url', server.url, '--ca-bundle', files.certFile, '--output', 'json', 'dynamodb', 'list-tables'], 'us-east-1');
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), { TableNames: ['secure'] });
  });

  test('a client that does not trust the certificate is refused by its own TLS check', async () => {
    const untrusting = new DynamoDBClient({
      region: 'us-east-1',
      endpoint: server.url,
      credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
      maxAttempts: 1,
    });
    await assert.rejects(untrusting.send(new ListTablesCommand({})), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    untrusting.destroy();
  });

  test('plain HTTP to the HTTPS port gets no answer: the connection is closed', async () => {
    const outcome = await new Promise<string>((resolve) => {
      const req = httpRequest(`http://127.0.0.1:${server.port}/`, { method: 'GET', agent: false }, (res) => resolve(`answered ${res.statusCode}`));
      req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
      req.end();
    });
    assert.ok(outcome === 'ECONNRESET' || outcome === 'socket hang up', outcome);
  });

  test('/metrics and /cairn/report over TLS', async () => {
    const metrics = await httpsGet(`${server.url}/metrics`, files.cert);
    assert.equal(metrics.status, 200);
    assert.match(metrics.body, /^# HELP cairn_/m);
    const report = await httpsGet(`${server.url}/cairn/report?format=json`, files.cert);
    assert.equal(report.status, 200);
    assert.equal(typeof JSON.parse(report.body), 'object');
    const health = await httpsGet(`${server.url}/`, files.cert);
    assert.deepEqual(health, { status: 200, body: 'healthy: dynamodb.us-east-1.amazonaws.com ' });
  });
});

describe('cairn report over HTTPS', () => {
  test('trusts the certificate through NODE_EXTRA_CA_CERTS', async () => {
    const result = await runProcess(process.execPath, [CLI, 'report', '--endpoint', server.url, '--json'], { ...process.env, NODE_EXTRA_CA_CERTS: files.certFile }, 30_000);
    assert.equal(result.status, 0, result.stderr);
    assert.equal((JSON.parse(result.stdout) as { CapacityMode: string }).CapacityMode, 'account');
  });
});

describe('the audit log over HTTPS', () => {
  test('events carry tlsDetails: the protocol version, the cipher suite and the Host header', async () => {
    const file = join(files.dir, 'audit.jsonl');
    const audited = await startServer({
      host: '127.0.0.1',
      port: 0,
      inMemory: true,
      logLevel: 'silent',
      tls: { certFile: files.certFile, keyFile: files.keyFile },
      audit: { file },
    });
    const auditedClient = sdkClient(audited.url, files.cert);
    try {
      assert.deepEqual((await auditedClient.send(new ListTablesCommand({}))).TableNames, []);
    } finally {
      auditedClient.destroy();
      await audited.close();
    }
    const event = JSON.parse(readFileSync(file, 'utf8')) as { eventName: string; tlsDetails: unknown };
    assert.equal(event.eventName, 'ListTables');
    assert.deepEqual(event.tlsDetails, { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_256_GCM_SHA384', clientProvidedHostHeader: `127.0.0.1:${audited.port}` });
  });
});

// The timeouts, the connection cap and SIGTERM with held connections run over HTTPS in connections.test.ts.
describe('the TLS handshake', () => {
  test('after --headers-timeout-ms, a TLS connection that sends no request gets 408 and one that never starts its handshake is closed', async () => {
    const limited = await startServer({
      host: '127.0.0.1',
      port: 0,
      inMemory: true,
      logLevel: 'silent',
      tls: { certFile: files.certFile, keyFile: files.keyFile },
      connections: { headersTimeoutMs: 300, requestTimeoutMs: 600 },
    });
    try {
      const started = Date.now();
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = tlsConnect({ host: '127.0.0.1', port: limited.port, ca: files.cert });
        let text = '';
        socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
        socket.on('close', () => resolve(text));
        socket.on('error', reject);
      });
      assert.match(answer, /^HTTP\/1\.1 408 Request Timeout\r\n/);
      assert.ok(Date.now() - started < 5_000);
      // A connection that never even starts the handshake is closed too (the handshake has the same limit).
      const closed = await new Promise<boolean>((resolve) => {
        const socket = netConnect(limited.port, '127.0.0.1');
        socket.on('close', () => resolve(true));
        socket.on('error', () => undefined);
      });
      assert.equal(closed, true);
    } finally {
      await limited.close();
    }
  });
});

describe('start-up checks', () => {
  test('a key that is not the certificate\'s, an unreadable file and a file without a certificate refuse to start', async () => {
    const other = selfSignedCertificate('other');
    await assert.rejects(
      startServer({ port: 0, inMemory: true, logLevel: 'silent', tls: { certFile: files.certFile, keyFile: other.keyFile } }),
      { message: `the private key in ${other.keyFile} does not match the certificate in ${files.certFile}` },
    );
    const missing = join(files.dir, 'missing.pem');
    await assert.rejects(
      startServer({ port: 0, inMemory: true, logLevel: 'silent', tls: { certFile: missing, keyFile: files.keyFile } }),
      { message: `cannot read the TLS certificate (--tls-cert) ${missing}: ENOENT: no such file or directory, open '${missing}'` },
    );
    await assert.rejects(
      startServer({ port: 0, inMemory: true, logLevel: 'silent', tls: { certFile: files.keyFile, keyFile: files.keyFile } }),
      { message: `${files.keyFile} holds no PEM certificate (--tls-cert): error:0480006C:PEM routines::no start line` },
    );
  });

  test('the CLI: a certificate without its key (flag or configuration file) exits 2; a mismatched key exits 1 with the reason', () => {
    const alone = spawnSync(process.execPath, [CLI, '--in-memory', '--port', '0', '--tls-cert', files.certFile], { encoding: 'utf8' });
    assert.equal(alone.status, 2);
    assert.ok(alone.stderr.startsWith('cairn: --tls-cert (or "tls.cert") needs --tls-key (or "tls.key"): HTTPS takes a certificate and its private key\n'));
    const keyAlone = spawnSync(process.execPath, [CLI, '--in-memory', '--port', '0', '--tls-key', files.keyFile], { encoding: 'utf8' });
    assert.equal(keyAlone.status, 2);
    assert.ok(keyAlone.stderr.startsWith('cairn: --tls-key (or "tls.key") needs --tls-cert (or "tls.cert"): HTTPS takes a certificate and its private key\n'));
    // The same from the configuration file: a certificate without its key.
    const config = join(files.dir, 'cert-only.config.json');
    writeFileSync(config, JSON.stringify({ tls: { cert: 'cert.pem' } }));
    const configured = spawnSync(process.execPath, [CLI, '--in-memory', '--port', '0', '--config', config], { encoding: 'utf8' });
    assert.equal(configured.status, 2);
    assert.ok(configured.stderr.startsWith('cairn: --tls-cert (or "tls.cert") needs --tls-key (or "tls.key"):'));
    const other = selfSignedCertificate('other');
    const mismatch = spawnSync(process.execPath, [CLI, '--in-memory', '--port', '0', '--tls-cert', files.certFile, '--tls-key', other.keyFile], {
      encoding: 'utf8',
    });
    assert.equal(mismatch.status, 1);
    assert.equal(mismatch.stderr, `cairn: the private key in ${other.keyFile} does not match the certificate in ${files.certFile}\n`);
  });

  test('the configuration file\'s "tls" (relative to the file), and SIGHUP reloading the certificate', async () => {
    const own = selfSignedCertificate('reloaded');
    const config = join(own.dir, 'cairn.config.json');
    writeFileSync(config, JSON.stringify({ tls: { cert: 'cert.pem', key: 'key.pem' } }));
    const cairn = await spawnCairn(['--in-memory', '--config', config]);
    try {
      assert.match(cairn.url, /^https:\/\/127\.0\.0\.1:\d+$/);
      const port = Number(new URL(cairn.url).port);
      const before = await servedFingerprint(port);
      // A renewed certificate replaces the files; SIGHUP makes new connections use it.
      const renewed = selfSignedCertificate('renewed');
      copyFileSync(renewed.certFile, own.certFile);
      copyFileSync(renewed.keyFile, own.keyFile);
      cairn.child.kill('SIGHUP');
      let after = before;
      for (let attempt = 0; attempt < 50 && after === before; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        after = await servedFingerprint(port);
      }
      assert.notEqual(after, before);
      const got = await httpsGet(`${cairn.url}/`, renewed.cert);
      assert.equal(got.status, 200);
      // A broken pair on SIGHUP keeps the current certificate and says why.
      writeFileSync(own.keyFile, 'not a key');
      cairn.child.kill('SIGHUP');
      for (let attempt = 0; attempt < 50 && !cairn.stderr().includes('keeping the current TLS certificate'); attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.match(cairn.stderr(), /cairn: SIGHUP: keeping the current TLS certificate: .*key\.pem holds no usable PEM private key \(--tls-key\)/);
      assert.equal(await servedFingerprint(port), after);
    } finally {
      cairn.child.kill('SIGTERM');
      assert.equal(await cairn.exited, 0);
    }
  });
});
