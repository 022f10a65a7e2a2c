/**
 * Which store the wire tests' Cairn servers use. By default each server keeps its data as the test asks (LMDB in
 * a temp dir, or memory). With CAIRN_TEST_STORAGE=postgres (`npm run test:postgres`) every server the helpers
 * start (test/helpers/cairn.ts, cairn-process.ts) serves from a fresh database of one PostgreSQL server instead:
 * the one whose maintenance-database URL is in CAIRN_TEST_POSTGRES_URL (test/postgres-suite.ts starts one for the
 * whole run), or else one this test process starts on first use and stops when it exits.
 *
 * A test that restarts a server on the same data directory gets the same database again (one database per
 * directory name, per test process), so restarts keep their data as they do on LMDB.
 */
import { createDatabase, dropDatabase, startPostgres, type PostgresServer } from './postgres-server.js';

export const POSTGRES_STORAGE = process.env['CAIRN_TEST_STORAGE'] === 'postgres';

/**
 * The reason to skip a test about the LMDB store itself (its files, crash recovery, disk full, encryption at
 * rest, the data directory's lock) when the suite runs on PostgreSQL; undefined otherwise.
 */
export const LMDB_ONLY: string | undefined = POSTGRES_STORAGE ? 'about the LMDB data directory; this run serves from PostgreSQL' : undefined;

/**
 * The lease period of servers on PostgreSQL in tests: short, so that a server restarted after kill -9 takes its
 * background work back (from its dead predecessor's leases) within a test's patience.
 */
export const TEST_LEASE_PERIOD_MS = 500;

let ownServer: Promise<PostgresServer> | undefined;
const databasesByDir = new Map<string, Promise<string>>();

function adminUrl(): Promise<string> {
  const shared = process.env['CAIRN_TEST_POSTGRES_URL'];
  if (shared !== undefined && shared !== '') return Promise.resolve(shared);
  if (ownServer === undefined) {
    ownServer = startPostgres({ durable: false });
    void ownServer.then((server) => process.once('exit', () => server.stopSync()), () => undefined);
  }
  return ownServer.then((server) => server.url());
}

/** A fresh database's URL; for a data directory, the same database each time it is named. */
export function testDatabase(dataDir?: string): Promise<string> {
  if (dataDir === undefined) return adminUrl().then(createDatabase);
  let database = databasesByDir.get(dataDir);
  if (database === undefined) {
    database = adminUrl().then(createDatabase);
    databasesByDir.set(dataDir, database);
  }
  return database;
}

/**
 * Drops a fresh database testDatabase() made once its server is closed (not one of a data directory, which a
 * later server of the same test may open again), so a suite run does not pile up hundreds of databases.
 */
export async function releaseTestDatabase(url: string, dataDir: string | undefined): Promise<void> {
  if (dataDir === undefined) await dropDatabase(url);
}
