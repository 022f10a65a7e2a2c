#!/usr/bin/env node
/**
 * The `cairn` command: starts the server and prints one line once it answers requests. SIGINT / SIGTERM close
 * it gracefully (in-flight requests finish, storage is flushed) and exit 0.
 *
 * Startup time matters (test suites start a server per run). The server and what it needs to start (the storage
 * engine included) are imported statically: bundled (scripts/bundle.ts), that puts them in a few files, where
 * loading them after the arguments were parsed split them over some thirty chunks, each a module the loader had to
 * resolve, read and link (about 10 ms of CPU more). `--help` and `report` load them too, for nothing; what only
 * some runs need (auth and key files, TLS, the audit log, PostgreSQL, triggers) is still imported when needed.
 */
import { parseArgs } from 'node:util';
import { startServer, type RunningServer } from './server.js';
import { resolveConnectionLimits } from './http/connection-limits.js';
import { CAPACITY_MODES } from './capacity/capacity-tracker.js';
import { isPostgresUrl, loadConfiguration } from './triggers/config-file.js';

const USAGE = `Usage: cairn [options]
       cairn report [--endpoint URL] [--json] [--since WHEN] [--reset]   (see cairn report --help)

A DynamoDB-compatible database server.

Options:
  --port N          port to listen on (default 8000; 0 picks a free port)
  --host H          address to bind (default 127.0.0.1)
  --data DIR        data directory (default ./cairn-data)
  --in-memory       keep everything in memory; nothing is written to disk
  --postgres URL    serve from this PostgreSQL database (postgres://user:password@host:port/db) instead of
                    a data directory; also CAIRN_POSTGRES_URL or "postgres" in the configuration file
                    (see README, Running on PostgreSQL)
  --region R        region of requests without a credential scope (default us-east-1)
  --region-name R   serve region R only: requests for other regions are refused; global table replicas in
                    other regions live on the peers of the configuration file's "peers" (see README, Global tables)
  --log-level L     debug | info | warn | error | silent (default info)
  --ttl-sweep-ms N  how often expired items are deleted, in ms (default 1000)
  --replication-interval-ms N  how often global table replicas pull each other's writes, in ms (default 50)
  --replica-creation-timeout-ms N  how long a peer may stay unreachable while a replica is copied to it before
                    the replica is CREATION_FAILED, in ms (default 600000)
  --lease-period-ms N  with --postgres: how long a lease on background work lasts, in ms (default 5000): work
                    moves to another Cairn process within about this long after its holder died
  --ttl-any-change  allow any number of UpdateTimeToLive changes (DynamoDB allows one per hour)
  --config PATH     configuration file with stream triggers and capacity settings (default ./cairn.config.json, if present)
  --trigger SPEC    run a handler on a table's stream, e.g. table=orders,handler=./on-order.mjs
                    (repeatable; see README, Triggers)
  --keep-alive-timeout-ms N  close a connection idle this long between requests (default 95000)
  --headers-timeout-ms N     close a connection that takes longer to send a request's headers (default 30000)
  --request-timeout-ms N     close a connection that takes longer to send a whole request (default 120000)
  --max-connections N        refuse connections beyond this many (default: the open-file limit less a reserve)
  --shutdown-timeout-ms N    on SIGINT / SIGTERM, cut connections still busy after this long (default 5000)
  --capacity MODE            DynamoDB's capacity model: off | account (count, never throttle; default) | enforce
  --capacity-time-scale N    run capacity time N times faster than the wall clock (default 1)
  --auth FILE       accounts and keys (JSON): every request must be signed by one of the keys (see README, Authentication)
  --insecure        allow a non-loopback --host without --auth
  --encryption-key-file FILE encrypt the data directory at rest with the 256-bit key in FILE (32 raw bytes,
                             64 hex characters or base64; see README, Encryption at rest)
  --previous-encryption-key-file FILE
                             the directory's current key, when --encryption-key-file names a new one: the data
                             is re-encrypted with the new key in the background (key rotation)
  --tls-cert FILE            serve HTTPS with this PEM certificate (chain); needs --tls-key
  --tls-key FILE             the certificate's PEM private key; SIGHUP reloads both
  --audit-log FILE           append CloudTrail-shaped audit events (JSON lines) to FILE
  --audit-data-events        log data events (items, batches, transactions, PartiQL, stream reads) too
  --audit-log-max-bytes N    rotate the audit log before it grows past N bytes
  --help            show this help
`;

const LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
type Level = (typeof LEVELS)[number];

function fail(message: string): never {
  process.stderr.write(`cairn: ${message}\n\n${USAGE}`);
  process.exit(2);
}

async function main(): Promise<void> {
  if (process.argv[2] === 'report') {
    const { runReport } = await import('./report-command.js');
    const code = await runReport(process.argv.slice(3), (text) => process.stdout.write(text));
    process.exitCode = code;
    return;
  }
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        data: { type: 'string' },
        'in-memory': { type: 'boolean' },
        postgres: { type: 'string' },
        region: { type: 'string' },
        'region-name': { type: 'string' },
        'log-level': { type: 'string' },
        'ttl-sweep-ms': { type: 'string' },
        'replication-interval-ms': { type: 'string' },
        'replica-creation-timeout-ms': { type: 'string' },
        'lease-period-ms': { type: 'string' },
        'ttl-any-change': { type: 'boolean' },
        config: { type: 'string' },
        trigger: { type: 'string', multiple: true },
        'keep-alive-timeout-ms': { type: 'string' },
        'headers-timeout-ms': { type: 'string' },
        'request-timeout-ms': { type: 'string' },
        'max-connections': { type: 'string' },
        'shutdown-timeout-ms': { type: 'string' },
        capacity: { type: 'string' },
        'capacity-time-scale': { type: 'string' },
        auth: { type: 'string' },
        insecure: { type: 'boolean' },
        'encryption-key-file': { type: 'string' },
        'previous-encryption-key-file': { type: 'string' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        'audit-log': { type: 'string' },
        'audit-data-events': { type: 'boolean' },
        'audit-log-max-bytes': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  if (values.help === true) {
    process.stdout.write(USAGE);
    return;
  }
  const port = values.port === undefined ? 8000 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`invalid --port: ${values.port}`);
  const logLevel = values['log-level'] ?? 'info';
  if (!(LEVELS as readonly string[]).includes(logLevel)) fail(`invalid --log-level: ${logLevel}`);
  const inMemory = values['in-memory'] === true;
  const dataDir = values.data ?? './cairn-data';

  const integerFlag = (name: keyof typeof values, minimum: number): number | undefined => {
    const text = values[name];
    if (typeof text !== 'string') return undefined;
    const value = Number(text);
    if (text.trim() === '' || !Number.isInteger(value) || value < minimum) fail(`invalid --${name}: ${text}`);
    return value;
  };
  const regionName = values['region-name'];
  if (regionName !== undefined && !/^[a-z]{2}(-[a-z]+)+-[0-9]+$/.test(regionName)) fail(`invalid --region-name: ${regionName}`);
  if (regionName !== undefined && values.region !== undefined && values.region !== regionName) fail('--region and --region-name name different regions');
  const sweepMs = integerFlag('ttl-sweep-ms', 10);
  const replicationMs = integerFlag('replication-interval-ms', 10);
  const replicaCreationMs = integerFlag('replica-creation-timeout-ms', 1);
  const leasePeriodMs = integerFlag('lease-period-ms', 100);
  const options = {
    keepAliveTimeoutMs: integerFlag('keep-alive-timeout-ms', 1),
    headersTimeoutMs: integerFlag('headers-timeout-ms', 1),
    requestTimeoutMs: integerFlag('request-timeout-ms', 1),
    maxConnections: integerFlag('max-connections', 1),
    shutdownTimeoutMs: integerFlag('shutdown-timeout-ms', 0),
  };
  // Resolved once here (the default cap reads the open-file limit) and handed to the server as they are.
  let connections;
  try {
    connections = resolveConnectionLimits(options);
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }

  const capacityFlag = values.capacity;
  const capacityMode = CAPACITY_MODES.find((mode) => mode === capacityFlag);
  if (capacityFlag !== undefined && capacityMode === undefined) fail(`invalid --capacity: ${capacityFlag}`);
  const timeScaleFlag = values['capacity-time-scale'] === undefined ? undefined : Number(values['capacity-time-scale']);
  if (timeScaleFlag !== undefined && (!Number.isFinite(timeScaleFlag) || timeScaleFlag <= 0)) {
    fail(`invalid --capacity-time-scale: ${values['capacity-time-scale']}`);
  }

  // Stream triggers: the configuration file and --trigger flags, checked before anything starts.
  let configuration;
  try {
    configuration = loadConfiguration(values.config, values.trigger ?? [], process.cwd());
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }

  // The accounts and keys file: --auth wins over the configuration file's `auth`. A bad file refuses to start.
  const authFile = values.auth ?? configuration.authFile;
  let auth;
  if (authFile !== undefined) {
    const { loadAuthFile } = await import('./auth/auth-file.js');
    try {
      auth = loadAuthFile(authFile);
    } catch (error) {
      process.stderr.write(`cairn: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    }
  }

  // Encryption at rest: the flags win over the configuration file's `encryptionKeyFile` / `previousEncryptionKeyFile`.
  const keyFile = values['encryption-key-file'] ?? configuration.encryptionKeyFile;
  const previousKeyFile = values['previous-encryption-key-file'] ?? configuration.previousEncryptionKeyFile;
  if (keyFile === undefined && previousKeyFile !== undefined) fail('--previous-encryption-key-file needs --encryption-key-file (the new key)');
  if (keyFile !== undefined && inMemory) fail('--encryption-key-file has nothing to encrypt with --in-memory: nothing is written to disk');
  let encryption: { key: Buffer; previousKey?: Buffer } | undefined;
  if (keyFile !== undefined) {
    const { readKeyFile } = await import('./storage/encryption/key-file.js');
    try {
      encryption = { key: readKeyFile(keyFile), ...(previousKeyFile !== undefined ? { previousKey: readKeyFile(previousKeyFile) } : {}) };
    } catch (error) {
      // A bad key file is not a usage error: refused as a bad accounts file is, without the usage text.
      process.stderr.write(`cairn: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    }
  }

  // PostgreSQL: the flag wins over CAIRN_POSTGRES_URL, which wins over the configuration file's `postgres`. The
  // options that only mean something for an LMDB data directory are refused with it rather than ignored.
  const envPostgres = process.env['CAIRN_POSTGRES_URL'];
  const postgres = values.postgres ?? (envPostgres !== undefined && envPostgres !== '' ? envPostgres : undefined) ?? configuration.postgres;
  if (postgres !== undefined) {
    if (!isPostgresUrl(postgres)) fail(`invalid PostgreSQL URL (expected postgres://user:password@host:port/database): ${redactUrl(postgres)}`);
    if (inMemory) fail('--postgres and --in-memory name two different stores: give one');
    if (values.data !== undefined) fail('--data names an LMDB data directory; with --postgres the data is kept in PostgreSQL');
    if (keyFile !== undefined) {
      fail("--encryption-key-file encrypts an LMDB data directory at rest; with --postgres, use PostgreSQL's own encryption at rest (disk or tablespace encryption)");
    }
  }

  // TLS and the audit log: flags win over the configuration file. The files are checked by the server before the
  // store opens; a setting that cannot be served ends the start with its message (exit 1).
  const tlsCert = values['tls-cert'] ?? configuration.tlsCertFile;
  const tlsKey = values['tls-key'] ?? configuration.tlsKeyFile;
  let tls;
  // node:tls is loaded only when HTTPS is asked for: a plain server starts without it.
  if (tlsCert !== undefined || tlsKey !== undefined) {
    const { tlsFiles } = await import('./http/tls.js');
    try {
      tls = tlsFiles(tlsCert, tlsKey);
    } catch (error) {
      fail(error instanceof Error ? error.message : String(error));
    }
  }
  const auditFile = values['audit-log'] ?? configuration.audit?.file;
  const auditMaxBytes = integerFlag('audit-log-max-bytes', 1) ?? configuration.audit?.maxBytes;
  const auditDataEvents = values['audit-data-events'] === true || configuration.audit?.dataEvents === true;
  if (auditFile === undefined && (values['audit-data-events'] === true || values['audit-log-max-bytes'] !== undefined)) {
    fail('--audit-data-events and --audit-log-max-bytes need --audit-log (or "audit.log" in the configuration file)');
  }

  // Signals are handled from before the server listens: a SIGTERM during start-up closes the store cleanly once
  // it is open, instead of killing the process halfway through opening it.
  const state: { server?: RunningServer; stopSignal?: string } = {};
  const stop = (signal: string): void => {
    if (state.stopSignal !== undefined) return;
    state.stopSignal = signal;
    if (state.server !== undefined) close(state.server, signal);
  };
  const close = (running: RunningServer, signal: string): void => {
    if (logLevel === 'debug' || logLevel === 'info') process.stderr.write(`cairn: ${signal}, closing\n`);
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`cairn: error while closing: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  const server = await startServer({
    triggers: { triggers: configuration.triggers, ...(configuration.path !== undefined ? { configFile: configuration.path } : {}) },
    connections,
    port,
    host: values.host ?? '127.0.0.1',
    dataDir,
    inMemory,
    ...(postgres !== undefined ? { postgres } : {}),
    ...(encryption !== undefined ? { encryption } : {}),
    logLevel: logLevel as Level,
    ...(values.region !== undefined ? { region: values.region } : {}),
    ...(values['region-name'] !== undefined ? { regionName: values['region-name'] } : {}),
    ...(configuration.peers !== undefined ? { peers: configuration.peers } : {}),
    ...(sweepMs !== undefined ? { ttlSweepIntervalMs: sweepMs } : {}),
    ...(replicationMs !== undefined ? { replicationIntervalMs: replicationMs } : {}),
    ...(replicaCreationMs !== undefined ? { replicaCreationTimeoutMs: replicaCreationMs } : {}),
    ...(leasePeriodMs !== undefined ? { leasePeriodMs } : {}),
    ...(values['ttl-any-change'] === true ? { ttlChangeIntervalMs: 0 } : {}),
    // Flags win over the configuration file's `capacity.mode` / `capacity.timeScale`.
    capacity: {
      mode: capacityMode ?? configuration.capacityMode ?? 'account',
      timeScale: timeScaleFlag ?? configuration.capacityTimeScale ?? 1,
    },
    ...(configuration.prices !== undefined ? { prices: configuration.prices } : {}),
    ...(auth !== undefined ? { auth } : {}),
    ...(values.insecure === true ? { insecure: true } : {}),
    ...(tls !== undefined ? { tls } : {}),
    ...(auditFile !== undefined
      ? { audit: { file: auditFile, dataEvents: auditDataEvents, ...(auditMaxBytes !== undefined ? { maxBytes: auditMaxBytes } : {}) } }
      : {}),
  });
  state.server = server;
  // SIGHUP reloads the certificate and key (renewed certificates without a restart). Only with TLS: otherwise
  // SIGHUP keeps its default meaning (the terminal went away: exit).
  const reloadTls = server.reloadTls;
  if (reloadTls !== undefined) {
    process.on('SIGHUP', () => {
      try {
        reloadTls();
        if (logLevel === 'debug' || logLevel === 'info') process.stderr.write('cairn: SIGHUP, TLS certificate and key reloaded\n');
      } catch (error) {
        process.stderr.write(`cairn: SIGHUP: keeping the current TLS certificate: ${error instanceof Error ? error.message : String(error)}\n`);
      }
    });
  }
  if (state.stopSignal !== undefined) {
    close(server, state.stopSignal);
    return;
  }
  const store = postgres !== undefined ? `postgres: ${redactUrl(postgres)}` : inMemory ? 'in memory' : `data: ${dataDir}`;
  process.stdout.write(`Cairn listening on ${server.url} (${store})\n`);
}

/** A connection URL without its password, for messages and the log. */
function redactUrl(text: string): string {
  try {
    const url = new URL(text);
    if (url.password !== '') url.password = '***';
    return url.toString();
  } catch {
    return '(not a URL)';
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`cairn: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
