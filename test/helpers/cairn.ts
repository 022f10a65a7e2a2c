/**
 * Starts Cairn in-process for wire tests: a server on a free port (LMDB in a temp dir unless in-memory), an SDK
 * client pointed at it (no retries, so errors surface as they are), and raw HTTP access for protocol tests.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest, Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startServer, type RunningServer, type ServerOptions } from '../../src/server.js';
import { parseAuthFile } from '../../src/auth/auth-file.js';
import { POSTGRES_STORAGE, releaseTestDatabase, TEST_LEASE_PERIOD_MS, testDatabase } from './test-storage.js';

/** Credentials an SDK client signs with (a session's key carries its token). */
export interface TestCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON when the body is JSON, else the text. */
  body: unknown;
  /** The body exactly as received. */
  bytes: Buffer;
}

export interface RawRequestOptions {
  method?: string;
  path?: string;
  /** Exactly these headers are sent (plus Host and Content-Length, which node adds). */
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface Cairn {
  url: string;
  server: RunningServer;
  client: DynamoDBClient;
  /** Another SDK client of this server (no retries), signing with `credentials` for `region` (default us-east-1). */
  clientAs(credentials: TestCredentials, region?: string): DynamoDBClient;
  /** A signed-looking request with Content-Type 1.0, an Authorization header and X-Amz-Date; `headers` override. */
  raw(target: string, body: string | object, headers?: Record<string, string>): Promise<RawResponse>;
  /** Any HTTP request, headers exactly as given. */
  rawRequest(options: RawRequestOptions): Promise<RawResponse>;
  close(): Promise<void>;
}

export const TEST_AUTHORIZATION =
  'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=00';

export function authorizationFor(region: string): string {
  return TEST_AUTHORIZATION.replace('us-east-1', region);
}

/**
 * Starts Cairn. `auth` is the content of an `--auth` file (see src/auth/auth-file.ts and test/helpers/auth.ts):
 * with it every request must be signed by one of its keys, and `client` signs with `clientCredentials` (default:
 * the first user of the first account).
 */
export async function startCairn(
  opts: { inMemory?: boolean; dataDir?: string; auth?: unknown; clientCredentials?: TestCredentials } & Pick<
      ServerOptions,
      'tableStatusDelayMs' | 'itemCollectionLimitBytes' | 'backfill' | 'ttlSweepIntervalMs' | 'ttlChangeIntervalMs' | 'streamRetentionMs' | 'shardLimits' | 'capacity' | 'prices' | 'encryption' | 'audit' | 'logger' | 'storage' | 'leasePeriodMs'
    > = {},
): Promise<Cairn> {
  // Under CAIRN_TEST_STORAGE=postgres every server serves from PostgreSQL (test-storage.ts), in memory or not.
  const postgres = POSTGRES_STORAGE ? await testDatabase(opts.dataDir) : undefined;
  const inMemory = postgres === undefined && (opts.inMemory ?? false);
  const ownDir = postgres === undefined && !inMemory && opts.dataDir === undefined ? await mkdtemp(join(tmpdir(), 'cairn-wire-')) : undefined;
  const auth = opts.auth === undefined ? undefined : parseAuthFile(opts.auth);
  const server = await startServer({
    ...(auth !== undefined ? { auth } : {}),
    host: '127.0.0.1',
    port: 0,
    inMemory,
    logLevel: 'silent',
    ...(postgres !== undefined ? { postgres } : {}),
    ...(postgres === undefined && (ownDir !== undefined || opts.dataDir !== undefined) ? { dataDir: ownDir ?? opts.dataDir } : {}),
    ...(opts.tableStatusDelayMs !== undefined ? { tableStatusDelayMs: opts.tableStatusDelayMs } : {}),
    ...(opts.itemCollectionLimitBytes !== undefined ? { itemCollectionLimitBytes: opts.itemCollectionLimitBytes } : {}),
    ...(opts.backfill !== undefined ? { backfill: opts.backfill } : {}),
    ...(opts.ttlSweepIntervalMs !== undefined ? { ttlSweepIntervalMs: opts.ttlSweepIntervalMs } : {}),
    ...(opts.ttlChangeIntervalMs !== undefined ? { ttlChangeIntervalMs: opts.ttlChangeIntervalMs } : {}),
    ...(opts.streamRetentionMs !== undefined ? { streamRetentionMs: opts.streamRetentionMs } : {}),
    ...(opts.shardLimits !== undefined ? { shardLimits: opts.shardLimits } : {}),
    ...(opts.capacity !== undefined ? { capacity: opts.capacity } : {}),
    ...(opts.prices !== undefined ? { prices: opts.prices } : {}),
    ...(opts.encryption !== undefined ? { encryption: opts.encryption } : {}),
    ...(opts.audit !== undefined ? { audit: opts.audit } : {}),
    ...(opts.logger !== undefined ? { logger: opts.logger } : {}),
    ...(opts.storage !== undefined ? { storage: opts.storage } : {}),
    ...(opts.leasePeriodMs !== undefined || postgres !== undefined ? { leasePeriodMs: opts.leasePeriodMs ?? TEST_LEASE_PERIOD_MS } : {}),
  });
  const clients: DynamoDBClient[] = [];
  const clientAs = (credentials: TestCredentials, region = 'us-east-1'): DynamoDBClient => {
    // A copy: the SDK marks the credentials object it is given (`$source`), and fixtures are shared.
    const made = new DynamoDBClient({ region, endpoint: server.url, credentials: { ...credentials }, maxAttempts: 1 });
    clients.push(made);
    return made;
  };
  const client = clientAs(opts.clientCredentials ?? firstUser(opts.auth) ?? { accessKeyId: 'AKID', secretAccessKey: 'secret' });
  const agent = new Agent({ keepAlive: true });

  const rawRequest = (options: RawRequestOptions): Promise<RawResponse> =>
    new Promise((resolve, reject) => {
      const req = httpRequest(
        `${server.url}${options.path ?? '/'}`,
        { method: options.method ?? 'POST', headers: options.headers ?? {}, agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const bytes = Buffer.concat(chunks);
            const text = bytes.toString('utf8');
            let body: unknown = text;
            if (text.startsWith('{')) {
              try {
                body = JSON.parse(text);
              } catch {
                body = text;
              }
            }
            const headers: Record<string, string> = {};
            for (const [name, value] of Object.entries(res.headers)) {
              if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
            }
            resolve({ status: res.statusCode ?? 0, headers, body, bytes });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(options.body);
    });

  return {
    url: server.url,
    server,
    client,
    clientAs,
    rawRequest,
    raw: (target, body, headers = {}) =>
      rawRequest({
        headers: {
          'Content-Type': 'application/x-amz-json-1.0',
          Authorization: TEST_AUTHORIZATION,
          'X-Amz-Date': '20260101T000000Z',
          ...(target === '' ? {} : { 'X-Amz-Target': target }),
          ...headers,
        },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    close: async () => {
      for (const made of clients) made.destroy();
      agent.destroy();
      await server.close();
      if (ownDir !== undefined) await rm(ownDir, { recursive: true, force: true });
      if (postgres !== undefined) await releaseTestDatabase(postgres, opts.dataDir);
    },
  };
}

/** The first user's key of an auth file's content, if it has one. */
function firstUser(auth: unknown): TestCredentials | undefined {
  const user = (auth as { accounts?: Array<{ users?: TestCredentials[] }> } | undefined)?.accounts?.[0]?.users?.[0];
  return user === undefined ? undefined : { accessKeyId: user.accessKeyId, secretAccessKey: user.secretAccessKey };
}
