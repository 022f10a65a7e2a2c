#!/usr/bin/env node
/**
 * The `cairn` command: starts the server and prints one line once it answers requests. SIGINT / SIGTERM close
 * it gracefully (in-flight requests finish, storage is flushed) and exit 0.
 *
 * Startup time matters (test suites start a server per run): this module imports only node:util up front and
 * loads the server — and through it the storage engine — after the arguments are parsed.
 */
import { parseArgs } from 'node:util';

const USAGE = `Usage: cairn [options]

A DynamoDB-compatible database server.

Options:
  --port N          port to listen on (default 8000; 0 picks a free port)
  --host H          address to bind (default 127.0.0.1)
  --data DIR        data directory (default ./cairn-data)
  --in-memory       keep everything in memory; nothing is written to disk
  --region R        region of requests without a credential scope (default us-east-1)
  --log-level L     debug | info | warn | error | silent (default info)
  --ttl-sweep-ms N  how often expired items are deleted, in ms (default 1000)
  --ttl-any-change  allow any number of UpdateTimeToLive changes (DynamoDB allows one per hour)
  --config PATH     configuration file with stream triggers (default ./cairn.config.json, if present)
  --trigger SPEC    run a handler on a table's stream, e.g. table=orders,handler=./on-order.mjs
                    (repeatable; see README, Triggers)
  --help            show this help
`;

const LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
type Level = (typeof LEVELS)[number];

function fail(message: string): never {
  process.stderr.write(`cairn: ${message}\n\n${USAGE}`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        data: { type: 'string' },
        'in-memory': { type: 'boolean' },
        region: { type: 'string' },
        'log-level': { type: 'string' },
        'ttl-sweep-ms': { type: 'string' },
        'ttl-any-change': { type: 'boolean' },
        config: { type: 'string' },
        trigger: { type: 'string', multiple: true },
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
  const sweepMs = values['ttl-sweep-ms'] === undefined ? undefined : Number(values['ttl-sweep-ms']);
  if (sweepMs !== undefined && (!Number.isInteger(sweepMs) || sweepMs < 10)) fail(`invalid --ttl-sweep-ms: ${values['ttl-sweep-ms']}`);

  // Stream triggers: the configuration file and --trigger flags, checked before anything starts.
  const { loadTriggers } = await import('./triggers/config-file.js');
  let triggers;
  try {
    triggers = loadTriggers(values.config, values.trigger ?? [], process.cwd());
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }

  const { startServer } = await import('./server.js');
  const server = await startServer({
    triggers: { triggers },
    port,
    host: values.host ?? '127.0.0.1',
    dataDir,
    inMemory,
    logLevel: logLevel as Level,
    ...(values.region !== undefined ? { region: values.region } : {}),
    ...(sweepMs !== undefined ? { ttlSweepIntervalMs: sweepMs } : {}),
    ...(values['ttl-any-change'] === true ? { ttlChangeIntervalMs: 0 } : {}),
  });
  process.stdout.write(`Cairn listening on ${server.url} (${inMemory ? 'in memory' : `data: ${dataDir}`})\n`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    if (logLevel === 'debug' || logLevel === 'info') process.stderr.write(`cairn: ${signal}, closing\n`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`cairn: error while closing: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`cairn: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
