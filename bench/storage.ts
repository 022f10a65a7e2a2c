/**
 * Storage micro-benchmark: throughput and latency of both engines for the operations every request makes.
 *
 *   node dist/bench/storage.js [--seconds 3] [--dir <parent of the LMDB directory>] [--engine memory|lmdb]
 *
 * Workloads (64 concurrent callers unless noted):
 * - rmw-own-key: atomic read-modify-write, each caller incrementing its own key (independent PutItems);
 * - rmw-hot-key: the same on one shared key (the worst case: every commit conflicts);
 * - get: random gets over 100,000 preloaded keys;
 * - scan: one caller iterating the 100,000 keys (items per second).
 * LMDB numbers are durable commits (fsync acknowledged), so they depend on the disk under --dir.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { LmdbStorage } from '../src/storage/lmdb/lmdb-storage.js';
import { MemoryStorage } from '../src/storage/memory/memory-storage.js';
import type { Storage } from '../src/storage/storage.js';

const CONCURRENCY = 64;
const PRELOADED = 100_000;
const SPACE = 't/bench';

interface Result {
  readonly ops: number;
  readonly seconds: number;
  readonly latencies: Float64Array;
}

function keyOf(n: number): Uint8Array {
  const key = new Uint8Array(12);
  new DataView(key.buffer).setUint32(8, n);
  key.set([0x53, 0x75, 0x73, 0x65, 0x72, 0x23, 0x00, 0x00]); // a typical prefix: "user#" and padding
  return key;
}

/** Runs `operation` from CONCURRENCY callers for the given time, recording each latency. */
async function concurrently(seconds: number, operation: (caller: number) => Promise<unknown>): Promise<Result> {
  let latencies = new Float64Array(1 << 20);
  let ops = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const caller = async (id: number): Promise<void> => {
    while (performance.now() < deadline) {
      const begin = performance.now();
      await operation(id);
      if (ops === latencies.length) {
        const grown = new Float64Array(latencies.length * 2);
        grown.set(latencies);
        latencies = grown;
      }
      latencies[ops++] = performance.now() - begin;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, id) => caller(id)));
  return { ops, seconds: (performance.now() - started) / 1000, latencies: latencies.subarray(0, ops) };
}

function report(engine: string, workload: string, result: Result): void {
  const sorted = Float64Array.from(result.latencies).sort();
  const percentile = (p: number): string => (sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0).toFixed(3);
  const rate = Math.round(result.ops / result.seconds).toLocaleString('en-US');
  console.log(`${engine.padEnd(7)} ${workload.padEnd(12)} ${rate.padStart(11)} ops/s   p50 ${percentile(0.5)} ms   p99 ${percentile(0.99)} ms`);
}

function increment(storage: Storage, key: Uint8Array): Promise<number> {
  return storage.atomic([{ space: SPACE, key }], (current) => {
    const item = current[0] as { n: { N: string } } | undefined;
    const next = (item === undefined ? 0 : Number(item.n.N)) + 1;
    return { writes: [{ space: SPACE, key, value: { pk: { S: 'counter' }, n: { N: String(next) } } }], result: next };
  });
}

async function preload(storage: Storage): Promise<void> {
  for (let start = 0; start < PRELOADED; start += 1000) {
    await storage.atomic([], () => ({
      writes: Array.from({ length: 1000 }, (_, i) => ({
        space: SPACE,
        key: keyOf(start + i),
        value: { pk: { S: `user#${start + i}` }, name: { S: 'Ada Lovelace' }, age: { N: '36' }, tags: { SS: ['a', 'b'] } },
      })),
      result: undefined,
    }));
  }
}

async function benchmark(engine: string, storage: Storage, seconds: number): Promise<void> {
  const ownKeys = Array.from({ length: CONCURRENCY }, (_, i) => keyOf(PRELOADED + 1 + i));
  report(engine, 'rmw-own-key', await concurrently(seconds, (caller) => increment(storage, ownKeys[caller] as Uint8Array)));
  const hotKey = keyOf(PRELOADED + 1000);
  report(engine, 'rmw-hot-key', await concurrently(seconds, () => increment(storage, hotKey)));
  await preload(storage);
  const keys = Array.from({ length: PRELOADED }, (_, i) => keyOf(i));
  let seed = 1;
  const randomKey = (): Uint8Array => keys[(seed = (seed * 1103515245 + 12345) % 2147483648) % PRELOADED] as Uint8Array;
  report(engine, 'get', await concurrently(seconds, () => storage.get(SPACE, randomKey())));
  const began = performance.now();
  let items = 0;
  for await (const _entry of storage.range(SPACE)) items++;
  const scanSeconds = (performance.now() - began) / 1000;
  console.log(`${engine.padEnd(7)} ${'scan'.padEnd(12)} ${Math.round(items / scanSeconds).toLocaleString('en-US').padStart(11)} items/s (${items} items)`);
}

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '3' },
    dir: { type: 'string', default: tmpdir() },
    engine: { type: 'string' },
  },
});
const seconds = Number(values.seconds);
if (values.engine === undefined || values.engine === 'memory') {
  const memory = new MemoryStorage();
  await benchmark('memory', memory, seconds);
  await memory.close();
}
if (values.engine === undefined || values.engine === 'lmdb') {
  const dir = mkdtempSync(join(values.dir, 'cairn-storage-bench-'));
  try {
    const lmdb = new LmdbStorage({ path: dir });
    await benchmark('lmdb', lmdb, seconds);
    await lmdb.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
