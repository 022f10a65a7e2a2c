/**
 * Runs Cairn as a separate process through its CLI, as a user would (`node dist/bundle/cli.js ...`, the bundle `npm start` runs), for tests that
 * must kill it (-9) or restart it.
 */
import { after } from 'node:test';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { POSTGRES_STORAGE, TEST_LEASE_PERIOD_MS, testDatabase } from './test-storage.js';

const CLI = fileURLToPath(new URL('../../bundle/cli.js', import.meta.url));

export interface CairnProcess {
  readonly url: string;
  readonly child: ChildProcess;
  readonly client: DynamoDBClient;
  /** Resolves with the exit code (or signal name) once the process is gone. */
  readonly exited: Promise<number | string>;
  /** Everything the process wrote to stderr so far (its log). */
  stderr(): string;
}

export function clientFor(url: string): DynamoDBClient {
  return new DynamoDBClient({
    region: 'us-east-1',
    endpoint: url,
    credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
    maxAttempts: 1,
  });
}

/**
 * The arguments under CAIRN_TEST_STORAGE=postgres (test-storage.ts): `--data DIR` and `--in-memory` become
 * `--postgres URL` (the same database for the same DIR, so a restart keeps its data); as they are otherwise.
 */
async function storageArgs(args: readonly string[]): Promise<readonly string[]> {
  if (!POSTGRES_STORAGE || args.includes('--postgres')) return args;
  const leases = args.includes('--lease-period-ms') ? [] : ['--lease-period-ms', String(TEST_LEASE_PERIOD_MS)];
  const rest: string[] = [];
  let dataDir: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--data') dataDir = args[++i];
    else if (arg.startsWith('--data=')) dataDir = arg.slice('--data='.length);
    else if (arg !== '--in-memory') rest.push(arg);
  }
  return [...rest, ...leases, '--postgres', await testDatabase(dataDir)];
}

/** Starts the CLI with `args` (a free port unless given) and waits for its "listening" line. */
export async function spawnCairn(givenArgs: readonly string[], timeoutMs = 10_000): Promise<CairnProcess> {
  const args = await storageArgs(givenArgs);
  const child = spawn(process.execPath, [CLI, '--port', '0', '--log-level', 'error', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`Cairn did not start within ${timeoutMs} ms: ${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /listening on (https?:\/\/[^\s]+)/.exec(output);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        const url = match[1];
        resolve({ url, child, client: clientFor(url), exited, stderr: () => stderr });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Cairn exited (${code}) before listening: ${output}`));
    });
  });
}

/**
 * The processes a test file spawns, killed (SIGKILL) with their clients destroyed once the file's tests are done,
 * then `cleanup` (the file's directories). Call it at the top level of the file; push each spawned process.
 */
export function killedAfterTests(cleanup: () => unknown): CairnProcess[] {
  const running: CairnProcess[] = [];
  after(async () => {
    for (const cairn of running) {
      cairn.child.kill('SIGKILL');
      cairn.client.destroy();
    }
    await cleanup();
  });
  return running;
}
