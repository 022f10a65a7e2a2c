/**
 * `aws:SecureTransport` with `--auth`: true for a request that came over HTTPS (`--tls-cert` / `--tls-key`), false
 * over plain HTTP, so that a policy can allow access over TLS only.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent as HttpsAgent } from 'node:https';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { parseAuthFile } from '../../src/auth/auth-file.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { selfSignedCertificate, type TlsFilePair } from '../helpers/tls-files.js';
import { rejectsWith } from '../helpers/assertions.js';

const A = '111122223333';
const CREDENTIALS = { accessKeyId: 'AKIATLSONLYTLSONLY01', secretAccessKey: 'secret-of-tls-only' };
const AUTH = {
  accounts: [
    {
      id: A,
      users: [
        {
          name: 'tlsonly',
          ...CREDENTIALS,
          policies: [
            { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:ListTables', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } }] },
          ],
        },
      ],
    },
  ],
};

let files: TlsFilePair;
let https: RunningServer;
let http: RunningServer;
before(async () => {
  files = selfSignedCertificate();
  const auth = parseAuthFile(AUTH);
  https = await startServer({ host: '127.0.0.1', port: 0, inMemory: true, logLevel: 'silent', auth, tls: { certFile: files.certFile, keyFile: files.keyFile } });
  http = await startServer({ host: '127.0.0.1', port: 0, inMemory: true, logLevel: 'silent', auth: parseAuthFile(AUTH) });
});
after(async () => {
  await https.close();
  await http.close();
});

test('a policy allowing only TLS: allowed over HTTPS, denied over HTTP', async () => {
  const secure = new DynamoDBClient({
    region: 'us-east-1',
    endpoint: https.url,
    credentials: { ...CREDENTIALS },
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ httpsAgent: new HttpsAgent({ ca: files.cert }) }),
  });
  const plain = new DynamoDBClient({ region: 'us-east-1', endpoint: http.url, credentials: { ...CREDENTIALS }, maxAttempts: 1 });
  try {
    assert.deepEqual((await secure.send(new ListTablesCommand({}))).TableNames, []);
    await rejectsWith(
      plain.send(new ListTablesCommand({})),
      'AccessDeniedException',
      `User: arn:aws:iam::${A}:user/tlsonly is not authorized to perform: dynamodb:ListTables on resource: arn:aws:dynamodb:us-east-1:${A}:table/* because no identity-based policy allows the dynamodb:ListTables action`,
    );
  } finally {
    secure.destroy();
    plain.destroy();
  }
});
