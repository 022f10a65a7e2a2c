/**
 * The cost of the capacity model: Cairn with `--capacity off`, `account` (the default) and `enforce`, each on
 * its own server, on GetItem and PutItem, measured in alternating rounds (off, account, enforce, then enforce,
 * account, off...), `account` and `enforce` reported as ratios of `off` in the same round (target: within 5%).
 *
 * Besides throughput, the server's CPU time per request is measured in each round (from /proc): on a machine
 * shared with other work it moves far less than throughput does, so it is the figure the target is judged on.
 *
 * The table is on-demand with a warm throughput of 40,000 read and write units a second (the per-table quota), so
 * `enforce` has capacity to spare at any rate this machine reaches: every request is admitted and charged, none
 * is refused (a refused request would be cheaper, and would show as failed).
 */
import { measureScenarios, perProcessSeconds, type ModeFigures, type AlternatingOptions } from './alternating-rounds.js';
import { SHARED_PROCESSES, startSharedProcesses } from './shared-process.js';
import { CapacityTracker } from '../src/capacity/capacity-tracker.js';
import { writeCharges } from '../src/capacity/charges.js';
import type { TableMetadata } from '../src/engine/table-metadata.js';
import type { Peer } from './peers.js';
import type { RunningServer } from './server-process.js';
import { createTable, preloadItems } from './setup.js';
import { createRandom, TABLE_NAME, type ScenarioName } from './wire.js';

export type CapacityMode = 'off' | 'account' | 'enforce';

export const CAPACITY_MODES: readonly CapacityMode[] = ['off', 'account', 'enforce'];

export const CAPACITY_SCENARIOS = ['GetItem', 'PutItem'] as const satisfies readonly ScenarioName[];

export type CapacityModeFigures = ModeFigures<CapacityMode>;

export interface CapacityScenarioFigures {
  readonly scenario: ScenarioName;
  readonly modes: readonly CapacityModeFigures[];
}

export interface CapacityCostResult {
  readonly settings: string;
  readonly scenarios: readonly CapacityScenarioFigures[];
  /** The capacity model's own calls per request, timed in this process (see measureCapacityCalls). */
  readonly calls?: CapacityCallFigures;
  readonly failures: readonly string[];
}

/** Nanoseconds of capacity-model calls per request, by mode, for a read and for a write. */
export interface CapacityCallFigures {
  readonly readNs: Readonly<Record<'account' | 'enforce', number>>;
  readonly writeNs: Readonly<Record<'account' | 'enforce', number>>;
}

/** Connections, round length and count, warm-up and the progress log: the same for every part. */
export type CapacityCostOptions = AlternatingOptions;

/**
 * The capacity model's calls of one request, timed alone in this process, as GetItem makes them (admitItemRead,
 * then chargeItemRead of half a unit, an eventually consistent read of a small item) and as a PutItem's commit
 * makes them (itemWriteThrottle for the item's partition, build its charges, charge them): on the table of the HTTP measurement, over 4,096 random key hashes, with a
 * capacity clock that moves 50 µs per request (20,000 requests a second), so that buckets refill and windows roll
 * as under load. Unlike the HTTP figures this does not depend on what else the machine is doing.
 */
export function measureCapacityCalls(requests = 1_000_000): CapacityCallFigures {
  const table = {
    tableId: 'bench',
    tableArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/bench',
    billingMode: 'PAY_PER_REQUEST',
    provisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 0, NumberOfDecreasesToday: 0 },
    warmThroughput: { ReadUnitsPerSecond: 40_000, WriteUnitsPerSecond: 40_000 },
  } as unknown as TableMetadata;
  const random = createRandom(99);
  const hashes = Array.from({ length: 4096 }, () => Math.floor(random() * 0x10000));
  const time = (mode: 'account' | 'enforce', request: (tracker: CapacityTracker, hash: number) => void): number => {
    let now = 1_000_000;
    const tracker = new CapacityTracker(mode, { now: () => (now += 0.025) });
    const run = (count: number) => {
      for (let i = 0; i < count; i++) request(tracker, hashes[i & 4095] as number);
    };
    run(requests / 4);
    const started = process.hrtime.bigint();
    run(requests);
    return Number(process.hrtime.bigint() - started) / requests;
  };
  const read = (tracker: CapacityTracker, hash: number) => {
    tracker.admitItemRead(table, hash, false);
    tracker.chargeItemRead(table, hash, 0.5, false);
  };
  const write = (tracker: CapacityTracker, hash: number) => {
    const capacity = tracker.of(table);
    if (tracker.itemWriteThrottle(table, hash) !== undefined) throw new Error('the bench table throttled a write');
    tracker.charge(writeCharges(capacity, hash, { table: 1 }, 1000, []), true);
  };
  return {
    readNs: { account: time('account', read), enforce: time('enforce', read) },
    writeNs: { account: time('account', write), enforce: time('enforce', write) },
  };
}

/** The bench table, on-demand and warmed to the per-table quota. */
function warmTableBody(): string {
  return JSON.stringify({
    TableName: TABLE_NAME,
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
    WarmThroughput: { ReadUnitsPerSecond: 40_000, WriteUnitsPerSecond: 40_000 },
  });
}

export async function measureCapacityCost(cairn: Peer, options: CapacityCostOptions, seed: number): Promise<CapacityCostResult> {
  const failures: string[] = [];
  const servers: { mode: CapacityMode; server: RunningServer }[] = [];
  const scenarios: CapacityScenarioFigures[] = [];
  const seconds = perProcessSeconds(options.durationSeconds, SHARED_PROCESSES);
  try {
    await startSharedProcesses(
      'capacity',
      cairn,
      CAPACITY_MODES,
      (mode) => ({ capacity: mode }),
      async (server) => {
        await createTable(server.url, TABLE_NAME, warmTableBody());
        await preloadItems(server.url);
      },
      servers,
      options.log,
    );
    scenarios.push(...(await measureScenarios('capacity', servers, CAPACITY_SCENARIOS, { ...options, durationSeconds: seconds }, seed, 1000, failures)));
  } catch (error) {
    failures.push(error instanceof Error ? error.message : String(error));
  } finally {
    for (const { server } of servers) await server.stop();
  }
  let calls: CapacityCallFigures | undefined;
  try {
    options.log('capacity: timing the capacity calls in process');
    calls = measureCapacityCalls();
  } catch (error) {
    failures.push(`capacity calls: ${error instanceof Error ? error.message : String(error)}`);
  }
  return {
    ...(calls !== undefined ? { calls } : {}),
    settings:
      `${options.connections} keep-alive connections, ${SHARED_PROCESSES} processes each serving one Cairn (durable) per mode, ` +
      `each Cairn measured for ${seconds} s in each of ${options.rounds} alternating round(s) after a ${options.warmupSeconds} s warm-up`,
    scenarios,
    failures,
  };
}
