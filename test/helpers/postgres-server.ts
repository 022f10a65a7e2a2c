/**
 * Starts a real PostgreSQL server for tests: Debian's `postgresql` package (binaries under
 * /usr/lib/postgresql/<version>/bin, the newest version installed), a cluster initialised in a temp directory,
 * listening on 127.0.0.1 on a free port and on a unix socket in a directory of its own, trust authentication
 * (loopback only), stopped and removed at the end.
 *
 * PostgreSQL refuses to run as root, so when this process is root the cluster belongs to the `postgres` user the
 * package creates: its directory is chowned to it and initdb / pg_ctl run through `runuser -u postgres --`.
 *
 * Each Cairn server of a test gets a database of its own (createDatabase), so tests stay independent on one
 * PostgreSQL server. A whole wire-suite run shares one server (test/helpers/postgres-suite.ts starts it and hands
 * its URL to the test files in CAIRN_TEST_POSTGRES_URL); otherwise a test file starts its own.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './free-port.js';

const run = promisify(execFile);

const POSTGRES_ROOT = '/usr/lib/postgresql';
/** The cluster's superuser (initdb -U): the same name whether or not the tests run as root. */
const SUPERUSER = 'postgres';

export interface PostgresServer {
  /** The port on 127.0.0.1. */
  readonly port: number;
  /** A connection URL of a database of this server (default: the `postgres` maintenance database). */
  url(database?: string): string;
  /** Creates a fresh, empty database with a unique name and returns its URL. */
  createDatabase(): Promise<string>;
  /** Stops the server (fast shutdown: connections are cut) keeping its data; `start` brings it back on the same port. */
  stopServer(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and removes its directory. */
  stop(): Promise<void>;
  /** The same, synchronously (from a process 'exit' handler). */
  stopSync(): void;
}

/** The bin directory of the newest PostgreSQL installed from Debian's package, or undefined if there is none. */
export function postgresBinDir(): string | undefined {
  if (!existsSync(POSTGRES_ROOT)) return undefined;
  const versions = readdirSync(POSTGRES_ROOT)
    .filter((name) => /^\d+$/.test(name) && existsSync(join(POSTGRES_ROOT, name, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(POSTGRES_ROOT, versions[0], 'bin');
}

/** Why PostgreSQL tests cannot run here (a reason for `skip`), or undefined when they can. */
export function postgresUnavailable(): string | undefined {
  return postgresBinDir() === undefined ? `no PostgreSQL under ${POSTGRES_ROOT} (apt-get install postgresql)` : undefined;
}

interface Owner {
  readonly uid: number;
  readonly gid: number;
}

/** The `postgres` user's ids when this process is root (PostgreSQL will not run as root), else undefined. */
async function clusterOwner(): Promise<Owner | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number((await run('id', ['-u', SUPERUSER])).stdout.trim());
  const gid = Number((await run('id', ['-g', SUPERUSER])).stdout.trim());
  return { uid, gid };
}

/** Runs a PostgreSQL binary, as the cluster's owner when that is not us. */
async function runAs(owner: Owner | undefined, binary: string, args: readonly string[]): Promise<string> {
  const [file, argv] = owner === undefined ? [binary, [...args]] : ['runuser', ['-u', SUPERUSER, '--', binary, ...args]];
  try {
    const { stdout, stderr } = await run(file, argv, { maxBuffer: 16 * 1024 * 1024 });
    return stdout + stderr;
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${binary} failed: ${failed.message}\n${failed.stdout ?? ''}${failed.stderr ?? ''}`);
  }
}


let databaseCounter = 0;

/**
 * Creates a fresh database with a unique name on the server of `adminUrl` (a URL of its maintenance database)
 * and returns the new database's URL.
 */
export async function createDatabase(adminUrl: string): Promise<string> {
  const name = `cairn_${process.pid}_${Date.now().toString(36)}_${databaseCounter++}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops a database createDatabase made (connections to it are cut), given its URL. */
export async function dropDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = url.pathname.slice(1);
  if (!/^cairn_[a-z0-9_]+$/.test(name)) throw new Error(`not a test database: ${name}`);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

export interface StartPostgresOptions {
  /**
   * fsync and full-page writes (default true). A whole-suite run turns them off: its tests kill Cairn processes,
   * never PostgreSQL, and hundreds of databases make each checkpoint's fsyncs take minutes on a shared disk.
   */
  readonly durable?: boolean;
}

/** Initialises and starts a PostgreSQL cluster in a fresh temp directory. */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresServer> {
  const bin = postgresBinDir();
  if (bin === undefined) throw new Error(postgresUnavailable());
  const owner = await clusterOwner();
  const root = mkdtempSync(join(tmpdir(), 'cairn-pg-'));
  const dataDir = join(root, 'data');
  const socketDir = join(root, 'socket');
  mkdirSync(socketDir);
  if (owner !== undefined) {
    chownSync(root, owner.uid, owner.gid);
    chownSync(socketDir, owner.uid, owner.gid);
  }
  const port = await freePort();
  const logFile = join(root, 'server.log');
  await runAs(owner, join(bin, 'initdb'), [
    '-D', dataDir, '-U', SUPERUSER, '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync',
  ]);
  const pgCtl = join(bin, 'pg_ctl');
  // Settings for a throwaway test server: fsync stays on (the engine's durability is what is tested), but the
  // connection limit is raised, since every Cairn server of a suite run holds a pool of its own.
  const serverOptions = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    `-c unix_socket_directories=${socketDir}`,
    '-c max_connections=400',
    '-c shared_buffers=64MB',
    '-c max_pred_locks_per_transaction=256',
    ...(options.durable === false ? ['-c fsync=off', '-c full_page_writes=off', '-c synchronous_commit=off'] : []),
  ].join(' ');
  const start = async (): Promise<void> => {
    await runAs(owner, pgCtl, ['-D', dataDir, '-l', logFile, '-w', '-t', '60', '-o', serverOptions, 'start']);
  };
  const stopServer = async (): Promise<void> => {
    await runAs(owner, pgCtl, ['-D', dataDir, '-m', 'fast', '-w', '-t', '60', 'stop']);
  };
  try {
    await start();
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
  const url = (database = 'postgres'): string => `postgres://${SUPERUSER}@127.0.0.1:${port}/${database}`;
  let stopped = false;
  return {
    port,
    url,
    createDatabase: () => createDatabase(url()),
    stopServer,
    start,
    stopSync(): void {
      if (stopped) return;
      stopped = true;
      try {
        const args = ['-D', dataDir, '-m', 'immediate', '-w', 'stop'];
        if (existsSync(join(dataDir, 'postmaster.pid'))) {
          execFileSync(owner === undefined ? pgCtl : 'runuser', owner === undefined ? args : ['-u', SUPERUSER, '--', pgCtl, ...args], { stdio: 'ignore' });
        }
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
    async stop(): Promise<void> {
      if (stopped) return;
      stopped = true;
      try {
        if (existsSync(join(dataDir, 'postmaster.pid'))) await stopServer();
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
}
