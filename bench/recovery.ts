/**
 * Start-up after a crash with a large log: builds a data directory holding a table of many ~1 KB items (merged
 * into LMDB) and a write-ahead log of overwrites that a crash left unmerged, then times Cairn's CLI from process
 * start to its first answer on that directory (and CPU time at that moment), a few times. Issue 16's target:
 * < 300 ms with 1,000,000 items and a 100 MB log.
 *
 *   node dist/bench/recovery.js [--items 1000000] [--log-mb 100] [--runs 3] [--dir DIR]
 *
 * Building: a CLI server bulk-loads the items (BatchWriteItem) and is stopped gracefully (its log merged); then a
 * server whose merges are held back (this script run with --hold-merges, the same server on an LmdbStorage that
 * never merges) overwrites items at random places until its log holds --log-mb, and is killed with SIGKILL. A
 * --dir that already holds the built state (its `recovery-state.json`) is reused as it is: the items are not
 * loaded again, and since every timed start is killed with SIGKILL right after its first answer (before its
 * first merge, a second later), the log is left for the next run. Without --dir a temporary directory is used and
 * deleted at the end. The directory is never part of the repository.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freePort, readProcCpuMs, readProcStatusKb, registerTempDirectory, spawnChild, type ChildHandle } from './children.js';
import { describeAnswer, postOperation, waitUntilAnswering } from './http-call.js';
import { bulkLoad, createTable } from './setup.js';
import { BATCH_WRITE_SIZE, batchWriteBody } from './wire.js';
import type { AttributeMap } from '../src/model/attribute-value.js';

const TABLE = 'cairn_bench_recovery';
const STATE_FILE = 'recovery-state.json';
const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'bundle', 'cli.js');
/** The filler that makes each item's JSON about 1 KB. */
const FILLER_BYTES = 960;

function log(message: string): void {
  process.stderr.write(`[recovery] ${message}\n`);
}

function itemAt(index: number, version: number): AttributeMap {
  const tag = `${index}:${version}:`;
  return { pk: { S: `item-${String(index).padStart(8, '0')}` }, version: { N: String(version) }, data: { S: tag + 'x'.repeat(FILLER_BYTES - tag.length) } };
}

function logBytes(directory: string): number {
  const wal = join(directory, 'wal');
  if (!existsSync(wal)) return 0;
  return readdirSync(wal).reduce((sum, name) => sum + statSync(join(wal, name)).size, 0);
}

async function startCli(directory: string, extra: readonly string[] = []): Promise<{ child: ChildHandle; url: string; startupMs: number }> {
  const port = await freePort();
  const startedAt = performance.now();
  const child = spawnChild('cairn', process.execPath, [...extra, CLI, '--port', String(port), '--data', directory, '--log-level', 'error']);
  const url = `http://127.0.0.1:${port}`;
  const startupMs = await waitUntilAnswering(url, startedAt, {
    timeoutMs: 120_000,
    intervalMs: 2,
    isDead: () => (child.hasExited() ? child.exitDescription() : undefined),
  });
  return { child, url, startupMs };
}

/** The items, merged into LMDB: loaded through a CLI server that is then stopped gracefully. */
async function loadItems(directory: string, items: number): Promise<void> {
  const { child, url } = await startCli(directory);
  try {
    await createTable(
      url,
      TABLE,
      JSON.stringify({
        TableName: TABLE,
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    const ms = await bulkLoad({
      url,
      tableName: TABLE,
      count: items,
      itemAt: (index) => itemAt(index, 0),
      progress: (written) => log(`${written.toLocaleString('en-US')} items loaded`),
    });
    log(`loaded ${items.toLocaleString('en-US')} items in ${(ms / 1000).toFixed(1)} s`);
  } finally {
    await child.stop(600_000);
  }
}

/** Overwrites at random places on a server that never merges, until its log holds `bytes`; then kill -9. */
async function leaveLog(directory: string, items: number, bytes: number): Promise<{ overwritten: number; probe: number }> {
  const port = await freePort();
  const startedAt = performance.now();
  const child = spawnChild('held-merges', process.execPath, [fileURLToPath(import.meta.url), '--hold-merges', directory, String(port)]);
  const url = `http://127.0.0.1:${port}`;
  await waitUntilAnswering(url, startedAt, { timeoutMs: 120_000, isDead: () => (child.hasExited() ? child.exitDescription() : undefined) });
  let written = 0;
  let probe: number | undefined;
  let state = 0x9e3779b9;
  const random = (): number => {
    // xorshift32: the same places on every build.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
  const worker = async (): Promise<void> => {
    while (logBytes(directory) < bytes) {
      const batch = new Map<number, AttributeMap>();
      while (batch.size < BATCH_WRITE_SIZE) {
        const index = Math.floor(random() * items);
        probe ??= index;
        batch.set(index, itemAt(index, 1));
      }
      const answer = await postOperation(url, 'BatchWriteItem', batchWriteBody(TABLE, [...batch.values()]));
      if (answer.status !== 200) throw new Error(`BatchWriteItem failed: ${describeAnswer(answer)}`);
      written += BATCH_WRITE_SIZE;
    }
  };
  await Promise.all(Array.from({ length: 8 }, () => worker()));
  process.kill(child.pid, 'SIGKILL');
  await child.stop();
  return { overwritten: written, probe: probe ?? 0 };
}

/** This script as the server whose merges are held back (see the header). */
async function serveWithoutMerges(directory: string, port: number): Promise<void> {
  const [{ startServer }, { LmdbStorage }] = await Promise.all([import('../src/server.js'), import('../src/storage/lmdb/lmdb-storage.js')]);
  const storage = new LmdbStorage({ path: directory, mergeAt: Number.MAX_SAFE_INTEGER, mergeEveryMs: 2 ** 31 - 1 });
  await startServer({ storage, port, host: '127.0.0.1', logLevel: 'error' });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      items: { type: 'string' },
      'log-mb': { type: 'string' },
      runs: { type: 'string' },
      dir: { type: 'string' },
      'hold-merges': { type: 'boolean' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values['hold-merges'] === true) {
    const [directory, port] = process.argv.slice(3);
    await serveWithoutMerges(directory as string, Number(port));
    return;
  }
  const items = Number(values.items ?? 1_000_000);
  const logMb = Number(values['log-mb'] ?? 100);
  const runs = Number(values.runs ?? 3);
  const directory = values.dir ?? mkdtempSync(join(tmpdir(), 'cairn-bench-recovery-'));
  if (values.dir === undefined) registerTempDirectory(directory);
  const stateFile = join(directory, STATE_FILE);
  if (!existsSync(stateFile)) {
    log(`building in ${directory}: ${items.toLocaleString('en-US')} items, then a ${logMb} MB log`);
    await loadItems(directory, items);
    const { overwritten, probe } = await leaveLog(directory, items, logMb * 1024 * 1024);
    writeFileSync(stateFile, `${JSON.stringify({ items, logMb, overwritten, probe })}\n`);
    log(`left ${(logBytes(directory) / 1024 / 1024).toFixed(1)} MB of log (${overwritten.toLocaleString('en-US')} items overwritten)`);
  }
  const { probe } = JSON.parse(readFileSync(stateFile, 'utf8')) as { probe: number };
  for (let run = 0; run < runs; run++) {
    const before = logBytes(directory);
    const { child, url, startupMs } = await startCli(directory);
    const cpuMs = readProcCpuMs(child.pid);
    // An item the log overwrote, read back: the log's version is served, not LMDB's older one.
    const read = await postOperation(url, 'GetItem', JSON.stringify({ TableName: TABLE, Key: { pk: itemAt(probe, 1).pk } }));
    const rssKb = readProcStatusKb(child.pid, 'VmRSS');
    process.kill(child.pid, 'SIGKILL');
    await child.stop();
    const version = (read.json as { Item?: { version?: { N?: string } } } | undefined)?.Item?.version?.N;
    if (read.status !== 200 || version !== '1') throw new Error(`item ${probe} after the start is not the logged version: ${describeAnswer(read)}`);
    log(
      `run ${run + 1}: first answer after ${startupMs.toFixed(0)} ms (CPU ${cpuMs ?? '?'} ms), log ${(before / 1024 / 1024).toFixed(1)} MB, ` +
        `RSS ${rssKb === undefined ? '?' : (rssKb / 1024).toFixed(0)} MiB`,
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
