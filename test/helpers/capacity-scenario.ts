/**
 * Building blocks of capacity scenarios driven through the SDK on a manual capacity clock: partition keys chosen
 * by the partition their hash falls in, items that cost an exact number of write units (so that few requests
 * carry many units), and a driver that spreads requests over simulated seconds and counts what was served and
 * what was throttled, by error name and reason.
 */
import { PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ManualClock } from '../../src/capacity/capacity-clock.js';
import { HASH_SPACE } from '../../src/capacity/partition.js';
import { encodeKeyValue, partitionHash } from '../../src/model/key-encoding.js';

/** The 16-bit hash (which partition) of a string partition-key value. */
export function hashOf(key: string): number {
  return partitionHash(encodeKeyValue({ S: key }));
}

/** The index (0-based) of the partition of `hash` when the hash space is cut into `count` equal ranges. */
export function evenPartitionOf(hash: number, count: number): number {
  return Math.floor((hash * count) / HASH_SPACE);
}

/**
 * `perRange` keys `${prefix}<n>` in each of `count` equal hash ranges (the partitions of a table created with
 * `count` partitions), listed range by range.
 */
export function keysByPartition(prefix: string, count: number, perRange: number): string[][] {
  const ranges: string[][] = Array.from({ length: count }, () => []);
  for (let n = 0; ranges.some((keys) => keys.length < perRange); n++) {
    const key = `${prefix}${n}`;
    const keys = ranges[evenPartitionOf(hashOf(key), count)] as string[];
    if (keys.length < perRange) keys.push(key);
  }
  return ranges;
}

/** A key other than `key` whose hash falls in `[low, high)`. */
export function keyInRange(prefix: string, low: number, high: number, except?: string): string {
  for (let n = 0; ; n++) {
    const key = `${prefix}${n}`;
    const hash = hashOf(key);
    if (key !== except && hash >= low && hash < high) return key;
  }
}

/** An item `{ id, v }` of exactly `units` KB (`units` write units for a PutItem of a new item). */
export function itemOfUnits(id: string, units: number): Record<string, { S: string }> {
  const payload = units * 1024 - 'id'.length - Buffer.byteLength(id) - 'v'.length;
  return { id: { S: id }, v: { S: 'x'.repeat(payload) } };
}

export interface Tally {
  served: number;
  /** By `${error name} ${first reason}`. */
  throttled: Record<string, number>;
}

export function throttledCount(tally: Tally): number {
  return Object.values(tally.throttled).reduce((sum, count) => sum + count, 0);
}

/** Sends a request, counting it served or throttled; anything else than a throttle fails the scenario. */
export async function attempt(tally: Tally, send: () => Promise<unknown>): Promise<boolean> {
  try {
    await send();
    tally.served++;
    return true;
  } catch (error) {
    const failure = error as { name?: string; ThrottlingReasons?: { reason?: string }[]; throttlingReasons?: { reason?: string }[] };
    if (failure.name !== 'ProvisionedThroughputExceededException' && failure.name !== 'ThrottlingException') throw error;
    const reasons = failure.ThrottlingReasons ?? failure.throttlingReasons ?? [];
    const label = `${failure.name} ${reasons[0]?.reason ?? ''}`;
    tally.throttled[label] = (tally.throttled[label] ?? 0) + 1;
    return false;
  }
}

export function emptyTally(): Tally {
  return { served: 0, throttled: {} };
}

/**
 * One simulated second: `count` PutItems of `units` units each (keys from `keyFor`), evenly spread over the
 * second of capacity time (or all at its start: `burst`); the clock ends one second later.
 */
export async function putSecond(
  client: DynamoDBClient,
  clock: ManualClock,
  table: string,
  count: number,
  units: number,
  keyFor: (n: number) => string,
  options: { tally?: Tally; burst?: boolean } = {},
): Promise<Tally> {
  const tally = options.tally ?? emptyTally();
  const start = clock.now();
  for (let n = 0; n < count; n++) {
    const at = options.burst === true ? start : start + Math.floor((n * 1000) / count);
    if (at > clock.now()) clock.advance(at - clock.now());
    await attempt(tally, () => client.send(new PutItemCommand({ TableName: table, Item: itemOfUnits(keyFor(n), units) })));
  }
  clock.advance(start + 1000 - clock.now());
  return tally;
}
