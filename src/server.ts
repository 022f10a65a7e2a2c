/**
 * Starts Cairn: storage, engine (with its catalog loaded), the audit log when asked for, and the HTTP (or HTTPS)
 * server speaking DynamoDB's protocol.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { operations } from './api/registry.js';
import { Engine, type CapacityOptions } from './engine/engine.js';
import type { BackfillOptions } from './engine/index-backfill.js';
import { connectionsCheckingInterval, resolveConnectionLimits, type ConnectionOptions } from './http/connection-limits.js';
import { createLogger, type Logger, type LogLevel } from './http/logger.js';
import { createWireHandler } from './http/wire-handler.js';
import { createCairnEndpoints, isCairnRequest } from './http/cairn-endpoints.js';
import { isLoopbackHost } from './http/loopback.js';
import { createReplicationEndpoint, isReplicationRequest } from './http/replication-endpoint.js';
import { peerApiOperations } from './api/peer-operations.js';
import type { AuthDirectory } from './auth/auth-file.js';
import { UNNAMESPACED_ACCOUNT_ID } from './engine/catalog.js';
import type { loadTlsCredentials, TlsFiles } from './http/tls.js';
import type { createServer as createHttpsServer } from 'node:https';
import type { AuditSettings } from './audit/audit-settings.js';
import type { AuditTrail, ServerDefaults } from './audit/audit-trail.js';
import { Observability } from './observe/observability.js';
import type { Prices } from './observe/prices.js';
import type { AdminHandler } from './triggers/admin-endpoint.js';
import { isAdminRequest } from './triggers/admin-path.js';
import type { Storage } from './storage/storage.js';
import { openStorage } from './storage/open-storage.js';
import type { EncryptionKeys } from './storage/encryption/encryption-state.js';
import type { TriggerService, TriggerSettings } from './triggers/trigger-service.js';

export interface ServerOptions {
  host?: string;
  port?: number;
  dataDir?: string;
  inMemory?: boolean;
  logLevel?: LogLevel;
  /** Where log lines go instead of stderr at `logLevel` (tests capture them). */
  logger?: Logger;
  /**
   * Serve from the PostgreSQL database of this connection URL (`--postgres`, src/storage/postgres/) instead of a
   * data directory; dataDir, inMemory and encryption do not apply.
   */
  postgres?: string;
  /** An open store to serve instead of the one `dataDir` / `inMemory` name (tests inject failures with it). */
  storage?: Storage;
  /** Encrypt the data directory at rest with these keys (`--encryption-key-file`; ignored in memory). */
  encryption?: EncryptionKeys;
  /** Timeouts and the cap on open connections (src/http/connection-limits.ts). */
  connections?: ConnectionOptions;
  region?: string;
  /**
   * The default account (default `000000000000`, as DynamoDB emulators commonly use; with `auth`, its first
   * account): the account of every request without `auth`, of triggers and of Cairn's own endpoints.
   */
  accountId?: string;
  /** Report CREATING / UPDATING / DELETING for this long after table operations (default 0: immediate). */
  tableStatusDelayMs?: number;
  /** The item-collection size limit of tables with LSIs (default 10 GB, as DynamoDB; tests lower it). */
  itemCollectionLimitBytes?: number;
  /** GSI backfill pacing: items per commit and a pause between commits (tests race writes against it). */
  backfill?: BackfillOptions;
  /** How often expired items are swept (default 1000 ms). */
  ttlSweepIntervalMs?: number;
  /**
   * Serve `region` only (`--region-name`): requests signed for another region are refused, and replicas in other
   * regions live on `peers`.
   */
  regionName?: string;
  /** The servers of other regions, for global tables across servers (`peers` of the configuration file). */
  peers?: Readonly<Record<string, string>>;
  /** How often the replicas of global tables pull each other's writes (default 50 ms). */
  replicationIntervalMs?: number;
  /** How long a replica's copy to a peer may fail before the replica is CREATION_FAILED (default 10 minutes). */
  replicaCreationTimeoutMs?: number;
  /** Shortest time between two TTL changes of a table (default one hour, as DynamoDB; 0 relaxes it). */
  ttlChangeIntervalMs?: number;
  /** How long stream records stay readable (default 24 hours). */
  streamRetentionMs?: number;
  /** When stream shards roll over (default 4 hours or 100,000 records). */
  shardLimits?: { rolloverMs?: number; maxRecords?: number };
  /** Stream triggers: those of the configuration file and flags, and polling / retry pacing (src/triggers/). */
  triggers?: TriggerSettings;
  /** The capacity model: `off`, `account` (default) or `enforce`, its clock and time scale (src/capacity/). */
  capacity?: CapacityOptions;
  /** Prices the access-pattern report costs intervals at (`capacity.prices` of the configuration file). */
  prices?: Prices;
  /** The `--auth` file's accounts and keys: every request must be signed by one of them (src/auth/). */
  auth?: AuthDirectory;
  /** Allow a non-loopback `host` without `auth` (`--insecure`). */
  insecure?: boolean;
  /** Serve HTTPS with this certificate and key instead of HTTP (src/http/tls.ts). */
  tls?: TlsFiles;
  /** Write CloudTrail-shaped audit events to a file (src/audit/). */
  audit?: AuditSettings;
  /** With several processes on one storage: how long a lease on background work lasts (default 5 s). */
  leasePeriodMs?: number;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly engine: Engine;
  readonly triggers: TriggerService;
  /** Metrics and the access-pattern recorder (`/metrics`, `/cairn/report`). */
  readonly observability: Observability;
  /** The audit log, when one is written. */
  readonly audit: AuditTrail | undefined;
  /**
   * Reads the TLS certificate and key again (SIGHUP) and serves new connections with them; throws, keeping the
   * current ones, when they do not pass the start-up checks. Undefined without TLS.
   */
  readonly reloadTls: (() => void) | undefined;
  close(): Promise<void>;
}

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 8000;
export const DEFAULT_DATA_DIR = './cairn-data';
/** After a connection was refused for the connection cap, further refusals are not logged for this long. */
const DROP_LOG_INTERVAL_MS = 60_000;

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const host = options.host ?? DEFAULT_HOST;
  // Without --auth any credentials are accepted: reachable from the network, anyone could read and write every
  // table. Refused before anything is opened, unless the operator says so.
  if (options.auth === undefined && options.insecure !== true && !isLoopbackHost(host)) {
    throw new Error(
      `refusing to listen on ${host} without --auth: any client that can reach it could read and write every table (give --auth FILE, or --insecure to allow it)`,
    );
  }
  // A peer serves another region: without a region of its own the server would answer for the peers' regions too.
  if (options.peers !== undefined && Object.keys(options.peers).length > 0) {
    if (options.regionName === undefined) throw new Error('"peers" needs --region-name: the region this server serves');
    if (Object.hasOwn(options.peers, options.regionName)) throw new Error(`"peers" names this server's own region ${options.regionName}`);
  }
  const logger = options.logger ?? createLogger(options.logLevel ?? 'info');
  const limits = resolveConnectionLimits(options.connections);
  // Checked before the store opens: a certificate that cannot be served must not cost a start-up.
  const tls = options.tls;
  // node:https and node:tls are loaded only for HTTPS: a plain server starts without them.
  const https = tls === undefined ? undefined : await loadHttps();
  const credentials = tls === undefined || https === undefined ? undefined : https.loadTlsCredentials(tls);
  // Opened before the store, for the same reason: a file that cannot be written refuses the start.
  const region = options.regionName ?? options.region ?? 'us-east-1';
  const accountId = options.accountId ?? options.auth?.accounts[0]?.id ?? UNNAMESPACED_ACCOUNT_ID;
  const audit = options.audit === undefined ? undefined : await openAuditTrail(options.audit, logger, { region, accountId, authenticates: options.auth !== undefined });
  const inMemory = options.inMemory ?? false;
  let storage: Storage;
  try {
    storage =
      options.storage ??
      (await openStorage({
        ...(options.postgres !== undefined ? { postgresUrl: options.postgres } : {}),
        dataDir: options.dataDir ?? DEFAULT_DATA_DIR,
        inMemory,
        ...(options.encryption !== undefined ? { encryption: options.encryption } : {}),
        onKeyRotated: () => logger.info('encryption key rotation finished: the data directory no longer needs the previous key'),
      }));
  } catch (error) {
    await audit?.close();
    throw error;
  }
  const engine = new Engine(storage, {
    defaultRegion: region,
    accountId,
    tableStatusDelayMs: options.tableStatusDelayMs ?? 0,
    ...(options.itemCollectionLimitBytes !== undefined ? { itemCollectionLimitBytes: options.itemCollectionLimitBytes } : {}),
    ...(options.backfill !== undefined ? { backfill: options.backfill } : {}),
    ...(options.ttlSweepIntervalMs !== undefined ? { ttlSweepIntervalMs: options.ttlSweepIntervalMs } : {}),
    ...(options.replicationIntervalMs !== undefined ? { replicationIntervalMs: options.replicationIntervalMs } : {}),
    ...(options.replicaCreationTimeoutMs !== undefined ? { replicaCreationTimeoutMs: options.replicaCreationTimeoutMs } : {}),
    ...(options.ttlChangeIntervalMs !== undefined ? { ttlChangeIntervalMs: options.ttlChangeIntervalMs } : {}),
    ...(options.streamRetentionMs !== undefined ? { streamRetentionMs: options.streamRetentionMs } : {}),
    ...(options.shardLimits !== undefined ? { shardLimits: options.shardLimits } : {}),
    ...(options.capacity !== undefined ? { capacity: options.capacity } : {}),
    ...(options.peers !== undefined ? { peers: options.peers } : {}),
    ...(options.regionName !== undefined ? { servesOneRegion: true } : {}),
    ...(options.auth !== undefined ? { auth: options.auth } : {}),
    encryptedAtRest: options.storage === undefined && !inMemory && options.postgres === undefined && options.encryption !== undefined,
    ...(options.leasePeriodMs !== undefined ? { leasePeriodMs: options.leasePeriodMs } : {}),
  });
  try {
    await engine.catalog.load();
  } catch (error) {
    await storage.close();
    await audit?.close();
    throw error;
  }
  engine.onBackgroundError = (error) => logger.error('background work failed', error);
  engine.resumeBackgroundWork();
  engine.startPeriodicWork();
  engine.startReplication();

  const observability = new Observability(engine, options.prices);
  const handler = createWireHandler({
    engine,
    logger,
    operations,
    onRequest: observability.onRequest,
    ...(options.auth !== undefined ? { auth: options.auth } : {}),
    ...(audit !== undefined ? { onAnswered: audit.onAnswered } : {}),
  });
  if (audit !== undefined) observability.metrics.onRegistry((registry) => audit.registerMetrics(registry));
  // Cairn's own endpoints (`/metrics`, `/cairn/...`) are answered before DynamoDB's dispatch. The triggers' admin
  // endpoint (`/cairn/triggers`) is loaded once the server listens, so that it does not delay the first answer;
  // until then it is 503.
  const endpoints = createCairnEndpoints(observability, logger);
  const replication = createReplicationEndpoint(engine, logger, peerApiOperations(engine));
  let admin: AdminHandler | undefined;
  const serverOptions = {
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    connectionsCheckingInterval: connectionsCheckingInterval(limits),
  };
  const route = (req: IncomingMessage, res: ServerResponse): void => {
    if (!isCairnRequest(req.url)) handler(req, res);
    else if (isReplicationRequest(req.url)) replication(req, res);
    else if (!isAdminRequest(req.url)) endpoints(req, res);
    else if (admin !== undefined) admin(req, res);
    else res.writeHead(503, { 'content-type': 'application/json' }).end('{"message":"triggers are starting"}');
  };
  // node:https is node:http over TLS: the timeouts, the connection cap and the graceful close below apply to both.
  // The handshake gets the headers' time limit, so that a connection that never completes one is closed as soon as
  // one that never sends its headers would be (TLS's own default is 120 s).
  const secure =
    credentials === undefined || https === undefined
      ? undefined
      : https.createServer({ ...serverOptions, ...credentials, handshakeTimeout: limits.headersTimeoutMs }, route);
  const server: Server = secure ?? createServer(serverOptions, route);
  if (secure !== undefined) {
    // A client that is not speaking TLS (plain HTTP to this port), that refuses the certificate or that never
    // completes the handshake: its socket is closed (a listener of this event takes that over from node), and the
    // event is only worth a debug line.
    secure.on('tlsClientError', (error: Error, socket: Duplex) => {
      logger.debug(`TLS handshake failed: ${error.message}`);
      socket.destroy();
    });
  }
  if (limits.maxConnections !== undefined) server.maxConnections = limits.maxConnections;
  let lastDropLogged = -Infinity;
  server.on('drop', () => {
    const now = Date.now();
    if (now - lastDropLogged < DROP_LOG_INTERVAL_MS) return;
    lastDropLogged = now;
    logger.warn(`refusing connections: ${limits.maxConnections} are open (the maximum)`);
  });
  // A handler never throws, but a socket error (a client resetting) must not crash the process.
  // A timed-out connection is told so (408), as node's own handler would; a header section too large gets 431.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    const status =
      error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? '408 Request Timeout'
        : error.code === 'HPE_HEADER_OVERFLOW'
          ? '431 Request Header Fields Too Large'
          : '400 Bad Request';
    if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    else socket.destroy();
  });

  try {
    await listen(server, host, options.port ?? DEFAULT_PORT);
  } catch (error) {
    await observability.stop();
    await engine.stopBackgroundWork();
    await storage.close();
    await audit?.close();
    throw error;
  }
  let triggers: TriggerService;
  try {
    const [{ TriggerService: Service }, { putItemThrough }, { createAdminHandler }] = await Promise.all([
      import('./triggers/trigger-service.js'),
      import('./triggers/put-item-adapter.js'),
      import('./triggers/admin-endpoint.js'),
    ]);
    triggers = await Service.start({ engine, logger, putItem: putItemThrough(engine, operations), ...options.triggers });
    const service = triggers;
    admin = createAdminHandler(() => service, logger);
    observability.metrics.triggers = service;
  } catch (error) {
    await new Promise((resolve) => server.close(resolve));
    await observability.stop();
    await engine.stopBackgroundWork();
    await storage.close();
    await audit?.close();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  const url = `${secure === undefined ? 'http' : 'https'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  logger.debug(`listening on ${url}`);

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    engine,
    triggers,
    observability,
    audit,
    reloadTls:
      tls === undefined || secure === undefined || https === undefined
        ? undefined
        : () => {
            // Connections already open keep the context they were made with; new ones get the new certificate.
            secure.setSecureContext(https.loadTlsCredentials(tls));
          },
    close(): Promise<void> {
      closing ??= (async () => {
        handler.drain();
        // Stops accepting; resolves once every connection is gone. Idle keep-alive sockets are closed now, busy
        // ones once their answer is written (the answer carries `Connection: close`). A client that holds a
        // request half-sent must not hold the shutdown: after the grace period every connection is cut.
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const sweep = setInterval(() => server.closeIdleConnections(), 50);
        let timer: NodeJS.Timeout | undefined;
        const graceOver = new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), limits.shutdownTimeoutMs);
        });
        const timedOut = await Promise.race([closed.then(() => false), graceOver]);
        clearTimeout(timer);
        clearInterval(sweep);
        if (timedOut) {
          logger.warn(`closing connections still open ${limits.shutdownTimeoutMs} ms after shutdown began`);
          server.closeAllConnections();
          await closed;
        }
        // Operations whose client went away still run to their end before the store closes under them.
        await handler.settled();
        await triggers.stop();
        await observability.stop();
        await engine.stopBackgroundWork();
        await storage.close();
        // Last: every request has been answered, so every event is in the buffer.
        await audit?.close();
      })();
      return closing;
    },
  };
}

/** HTTPS's server and the certificate checks (src/http/tls.ts), loaded only when the server speaks HTTPS. */
async function loadHttps(): Promise<{ createServer: typeof createHttpsServer; loadTlsCredentials: typeof loadTlsCredentials }> {
  const [{ createServer: create }, { loadTlsCredentials: load }] = await Promise.all([import('node:https'), import('./http/tls.js')]);
  return { createServer: create, loadTlsCredentials: load };
}

/** The audit trail's modules are loaded only when an audit log is written. */
async function openAuditTrail(settings: AuditSettings, logger: Logger, defaults: ServerDefaults): Promise<AuditTrail> {
  const { AuditTrail: Trail } = await import('./audit/audit-trail.js');
  return Trail.open(settings, logger, defaults);
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
