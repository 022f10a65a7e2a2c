/**
 * Streams figures for `npm run bench`:
 * - stream lag: PutItem at a steady 1,000 writes/s while a reader follows the stream with GetRecords; for each
 *   record, the time from the write's acknowledgement to the record being read (p50/p99);
 * - the write-throughput cost of a stream: PutItem throughput on a table with a NEW_AND_OLD_IMAGES stream against
 *   the same table shape without one, measured alternately in the same run (a ratio);
 * - TTL sweeping: how long the sweeper takes to delete the 1% of a table's items that expire at once, on a
 *   small and on a large table (it reads only the expired items' index entries, so the two should be alike).
 */
import { describeAnswer, postOperation, postStreamsOperation } from './http-call.js';
import { runLoad, type LoadFigures } from './load.js';
import { bulkLoad, createTable } from './setup.js';
import { buildItem, createRandom, keyOf } from './wire.js';

export interface StreamLagFigures {
  readonly records: number;
  readonly writesPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

const LAG_TABLE = 'cairn_bench_stream_lag';

function tableBody(name: string, stream: boolean): string {
  return JSON.stringify({
    TableName: name,
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
    ...(stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } } : {}),
  });
}

async function ok(answer: Promise<{ status: number; json: unknown; text: string }>, what: string): Promise<Record<string, unknown>> {
  const result = await answer;
  if (result.status !== 200) throw new Error(`${what} failed: ${describeAnswer(result)}`);
  return result.json as Record<string, unknown>;
}

/** Writes at `rate` per second for `seconds` while following the stream; the lag of every record. */
export async function measureStreamLag(url: string, rate = 1000, seconds = 5): Promise<StreamLagFigures> {
  await createTable(url, LAG_TABLE, tableBody(LAG_TABLE, true));
  const described = await ok(postOperation(url, 'DescribeTable', JSON.stringify({ TableName: LAG_TABLE })), 'DescribeTable');
  const streamArn = (described.Table as Record<string, unknown>).LatestStreamArn as string;
  const acknowledged = new Map<string, number>();
  const lags: number[] = [];
  let writing = true;

  const reader = (async () => {
    // Follow every shard of the stream (new shards appear when one rolls over).
    const done = new Set<string>();
    const iterators = new Map<string, string | undefined>();
    while (writing || acknowledged.size > lags.length) {
      const stream = await ok(postStreamsOperation(url, 'DescribeStream', JSON.stringify({ StreamArn: streamArn })), 'DescribeStream');
      const shards = ((stream.StreamDescription as Record<string, unknown>).Shards ?? []) as { ShardId: string }[];
      for (const shard of shards) {
        if (done.has(shard.ShardId) || iterators.has(shard.ShardId)) continue;
        const started = await ok(
          postStreamsOperation(url, 'GetShardIterator', JSON.stringify({ StreamArn: streamArn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' })),
          'GetShardIterator',
        );
        iterators.set(shard.ShardId, started.ShardIterator as string);
      }
      let read = 0;
      for (const [shardId, iterator] of iterators) {
        if (iterator === undefined) continue;
        const page = await ok(postStreamsOperation(url, 'GetRecords', JSON.stringify({ ShardIterator: iterator })), 'GetRecords');
        const seenAt = performance.now();
        for (const record of (page.Records ?? []) as { dynamodb: { Keys: { pk: { S: string } } } }[]) {
          const ackAt = acknowledged.get(record.dynamodb.Keys.pk.S);
          // A record can be read before its write's answer arrives: that is a lag of zero.
          lags.push(ackAt === undefined ? 0 : Math.max(0, seenAt - ackAt));
          read++;
        }
        const next = page.NextShardIterator as string | undefined;
        if (next === undefined) {
          iterators.delete(shardId);
          done.add(shardId);
        } else {
          iterators.set(shardId, next);
        }
      }
      if (read === 0) await new Promise((resolve) => setTimeout(resolve, 2));
    }
  })();

  const body = (index: number) => JSON.stringify({ TableName: LAG_TABLE, Item: { ...buildItem(index), pk: { S: keyOf(index) } } });
  const started = performance.now();
  const total = rate * seconds;
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    // Paced: write i is sent at its slot in the schedule, not as fast as possible.
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(
      ok(postOperation(url, 'PutItem', body(i)), 'PutItem').then(() => {
        acknowledged.set(keyOf(i), performance.now());
      }),
    );
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - started) / 1000;
  writing = false;
  const deadline = performance.now() + 10_000;
  while (lags.length < total && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  await reader;
  const sorted = [...lags].sort((a, b) => a - b);
  const percentile = (values: readonly number[], q: number): number =>
    values.length === 0 ? 0 : (values[Math.min(values.length - 1, Math.floor(q * values.length))] as number);
  return {
    records: lags.length,
    writesPerSecond: total / elapsed,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted[sorted.length - 1] ?? 0,
  };
}

export interface StreamCostFigures {
  readonly withStream: LoadFigures[];
  readonly withoutStream: LoadFigures[];
}

/** PutItem load on a table with and without a stream, alternately, `rounds` times each. */
export async function measureStreamCost(
  url: string,
  options: { connections: number; durationSeconds: number; rounds: number },
): Promise<StreamCostFigures> {
  const tables = { with: 'cairn_bench_streamed', without: 'cairn_bench_unstreamed' };
  await createTable(url, tables.with, tableBody(tables.with, true));
  await createTable(url, tables.without, tableBody(tables.without, false));
  const random = createRandom(7);
  const bodies = (table: string) =>
    Array.from({ length: 4096 }, () => {
      const index = Math.floor(random() * 100_000);
      return JSON.stringify({ TableName: table, Item: { ...buildItem(index), pk: { S: keyOf(index) } } });
    });
  const withBodies = bodies(tables.with);
  const withoutBodies = bodies(tables.without);
  const figures: StreamCostFigures = { withStream: [], withoutStream: [] };
  for (let round = 0; round < options.rounds; round++) {
    const order = round % 2 === 0 ? (['without', 'with'] as const) : (['with', 'without'] as const);
    for (const which of order) {
      const result = await runLoad({
        url,
        operation: 'PutItem',
        bodies: which === 'with' ? withBodies : withoutBodies,
        connections: options.connections,
        durationSeconds: options.durationSeconds,
        sequenceLength: 256,
        random,
      });
      (which === 'with' ? figures.withStream : figures.withoutStream).push(result);
    }
  }
  return figures;
}

export interface TtlSweepFigures {
  readonly tableItems: number;
  readonly expiringItems: number;
  /** From the moment the items expired to the last one deleted. */
  readonly sweepMs: number;
}

/**
 * Loads `items` items of which 1% expire `leadSeconds` after the load ends, into a table with TTL enabled, then
 * waits for the sweeper to delete them. The server must sweep often (e.g. --ttl-sweep-ms 100).
 */
export async function measureTtlSweep(url: string, tableName: string, items: number, concurrency: number): Promise<TtlSweepFigures> {
  await createTable(url, tableName, tableBody(tableName, false));
  await ok(
    postOperation(url, 'UpdateTimeToLive', JSON.stringify({ TableName: tableName, TimeToLiveSpecification: { AttributeName: 'expires', Enabled: true } })),
    'UpdateTimeToLive',
  );
  // Wait for ENABLED (the table is empty, so it is immediate).
  for (let i = 0; i < 100; i++) {
    const ttl = await ok(postOperation(url, 'DescribeTimeToLive', JSON.stringify({ TableName: tableName })), 'DescribeTimeToLive');
    if ((ttl.TimeToLiveDescription as Record<string, unknown>).TimeToLiveStatus === 'ENABLED') break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const expiring = Math.floor(items / 100);
  // Expiry a while after the load will have ended (estimated generously; the wait below checks it).
  const expiresAt = Math.ceil(Date.now() / 1000) + 5 + Math.ceil(items / 20_000);
  await bulkLoad({
    url,
    tableName,
    count: items,
    concurrency,
    itemAt: (index) => ({
      ...buildItem(index),
      pk: { S: keyOf(index) },
      ...(index % 100 === 0 ? { expires: { N: String(expiresAt) } } : {}),
    }),
  });
  const countItems = async (): Promise<number> => {
    let count = 0;
    // ItemCount is exact in Cairn: read it from DescribeTable.
    const described = await ok(postOperation(url, 'DescribeTable', JSON.stringify({ TableName: tableName })), 'DescribeTable');
    count = (described.Table as Record<string, unknown>).ItemCount as number;
    return count;
  };
  const wait = expiresAt * 1000 - Date.now();
  if (wait < 0) throw new Error('the load took longer than the expiry lead; raise the lead');
  await new Promise((resolve) => setTimeout(resolve, wait + 1000));
  // The items are expired from now on (TTL compares whole seconds).
  const start = performance.now();
  const target = items - expiring;
  const deadline = start + 120_000;
  while ((await countItems()) > target) {
    if (performance.now() > deadline) throw new Error('the sweeper did not delete the expired items within 2 minutes');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { tableItems: items, expiringItems: expiring, sweepMs: performance.now() - start };
}
