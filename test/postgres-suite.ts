/**
 * `npm run test:postgres`: the whole test suite with every Cairn server serving from PostgreSQL. Starts one
 * PostgreSQL server for the run (test/helpers/postgres-server.ts), runs the compiled test files with
 * CAIRN_TEST_STORAGE=postgres and its URL in CAIRN_TEST_POSTGRES_URL (test/helpers/test-storage.ts gives each
 * Cairn server a database of its own on it), then stops it. Arguments, if any, are the test files to run.
 *
 * By default it runs every test file under dist/test (wire, storage, fuzz and golden tests: those that start Cairn
 * servers); the unit tests beside the sources start none, and `npm test` has run them already.
 */
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startPostgres } from './helpers/postgres-server.js';

function testFiles(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...testFiles(path));
    else if (name.endsWith('.test.js')) found.push(path);
  }
  return found;
}

async function main(): Promise<number> {
  const files = process.argv.length > 2 ? process.argv.slice(2) : testFiles('dist/test').sort();
  // Without fsync: the tests kill Cairn processes, never PostgreSQL, so what PostgreSQL acknowledged stays in its
  // memory and files whatever happens to them (test/storage/postgres.test.ts tests restarts on a durable server).
  const server = await startPostgres({ durable: false });
  const started = Date.now();
  try {
    return await new Promise<number>((resolve, reject) => {
      const child = spawn(process.execPath, ['--test', '--test-concurrency=2', ...files], {
        stdio: 'inherit',
        env: { ...process.env, CAIRN_TEST_STORAGE: 'postgres', CAIRN_TEST_POSTGRES_URL: server.url() },
      });
      child.once('error', reject);
      child.once('exit', (code, signal) => resolve(code ?? (signal === null ? 1 : 128)));
    });
  } finally {
    await server.stop();
    process.stderr.write(`test:postgres: ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`test:postgres: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
