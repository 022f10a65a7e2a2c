/**
 * One process serving several Cairn servers that differ in one setting (capacity mode, encryption key), each on
 * its own loopback port with its own engine and data directory (bench/shared-process.ts starts it). Usage:
 * `node dist/bench/settings-host.js <dataDirectory> <servers as JSON: HostedServer[]>`; prints `ready` once every
 * server listens, and closes them all on SIGTERM or SIGINT.
 *
 * Why one process: two Cairn processes of the same build and settings differ by up to 10% in CPU time per
 * request for their whole life (code placement, hash seeds, the optimiser's choices), as much as the costs the
 * benchmark's parts judge (5% for the capacity model), so servers in separate processes compare processes as much
 * as settings. Servers sharing a process share its luck and its code: what differs between them is the setting.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CAPACITY_MODES, type CapacityMode } from '../src/capacity/capacity-tracker.js';
import { readKeyFile } from '../src/storage/encryption/key-file.js';
import { startServer, type RunningServer as CairnServer } from '../src/server.js';

/** One server of the host: the settings `npm start` serves with, but these. */
export interface HostedServer {
  /** Names its data directory (a plain word). */
  readonly name: string;
  readonly port: number;
  /** `--capacity` (default `account`). */
  readonly capacity?: CapacityMode;
  /** `--encryption-key-file`. */
  readonly encryptionKeyFile?: string;
}

function parseServers(text: string): HostedServer[] {
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed) || parsed.length === 0) throw new Error('expected a non-empty array of servers');
  return parsed.map((entry: unknown) => {
    const server = entry as Partial<HostedServer>;
    if (typeof server.name !== 'string' || !/^[a-z0-9-]+$/.test(server.name)) throw new Error(`bad server name: ${JSON.stringify(server.name)}`);
    if (typeof server.port !== 'number' || !Number.isInteger(server.port)) throw new Error(`bad port for ${server.name}`);
    if (server.capacity !== undefined && !CAPACITY_MODES.includes(server.capacity)) throw new Error(`bad capacity mode for ${server.name}`);
    if (server.encryptionKeyFile !== undefined && typeof server.encryptionKeyFile !== 'string') throw new Error(`bad key file for ${server.name}`);
    return server as HostedServer;
  });
}

async function main(argv: readonly string[]): Promise<void> {
  const [dataDirectory, serversJson] = argv;
  if (dataDirectory === undefined || serversJson === undefined) throw new Error('usage: settings-host <dataDirectory> <servers as JSON>');
  const servers: CairnServer[] = [];
  const close = async (): Promise<void> => {
    for (const server of servers) await server.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void close());
  process.on('SIGINT', () => void close());
  for (const hosted of parseServers(serversJson)) {
    const dataDir = join(dataDirectory, hosted.name);
    mkdirSync(dataDir, { recursive: true });
    servers.push(
      await startServer({
        host: '127.0.0.1',
        port: hosted.port,
        dataDir,
        logLevel: 'info',
        capacity: { mode: hosted.capacity ?? 'account', timeScale: 1 },
        ...(hosted.encryptionKeyFile !== undefined ? { encryption: { key: readKeyFile(hosted.encryptionKeyFile) } } : {}),
      }),
    );
  }
  process.stdout.write('ready\n');
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`settings-host: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
