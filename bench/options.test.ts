import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBenchOptions } from './options.js';

describe('parseBenchOptions', () => {
  it('defaults fit a few minutes', () => {
    assert.deepEqual(parseBenchOptions([]), {
      rounds: 3,
      durationSeconds: 5,
      warmupSeconds: 2,
      connections: 64,
      startupRuns: 5,
      scenarios: [
        'GetItem',
        'PutItem',
        'UpdateItem',
        'Query',
        'QueryReverse',
        'BatchWriteItem',
        'TransactWriteItems2',
        'TransactWriteItems10',
        'BatchGetItem',
        'Scan',
        'DeleteItem',
      ],
      only: undefined,
      withDynamoDbLocal: false,
      dynamoDbLocalDirectory: undefined,
      output: 'bench/results/latest.md',
      help: false,
      scale: true,
      scaleItems: 1_000_000,
      streams: true,
      capacity: true,
      capacityOnly: false,
      partiql: true,
      auth: true,
      encryption: true,
      postgres: false,
    });
  });

  it('--postgres runs the PostgreSQL part alone; no other run includes it', () => {
    assert.deepEqual(
      (({ capacity, capacityOnly, partiql, auth, encryption, postgres }) => ({ capacity, capacityOnly, partiql, auth, encryption, postgres }))(
        parseBenchOptions(['--postgres']),
      ),
      { capacity: false, capacityOnly: true, partiql: false, auth: false, encryption: false, postgres: true },
    );
    assert.equal(parseBenchOptions(['--encryption-only']).postgres, false);
  });

  it('--postgres runs short rounds by default; --rounds, --duration and --warmup still win', () => {
    const short = parseBenchOptions(['--postgres']);
    assert.deepEqual([short.rounds, short.durationSeconds, short.warmupSeconds], [2, 3, 1]);
    const asked = parseBenchOptions(['--postgres', '--rounds', '1', '--duration', '1', '--warmup', '0']);
    assert.deepEqual([asked.rounds, asked.durationSeconds, asked.warmupSeconds], [1, 1, 0]);
  });

  it('--no-auth leaves the SigV4 part out; --auth-only runs it alone', () => {
    assert.equal(parseBenchOptions(['--no-auth']).auth, false);
    assert.deepEqual(
      (({ capacity, capacityOnly, partiql, auth }) => ({ capacity, capacityOnly, partiql, auth }))(parseBenchOptions(['--auth-only'])),
      { capacity: false, capacityOnly: true, partiql: false, auth: true },
    );
    assert.equal(parseBenchOptions(['--capacity-only']).auth, false);
    assert.equal(parseBenchOptions(['--partiql-only']).auth, false);
    assert.equal(parseBenchOptions(['--encryption-only']).auth, false);
  });

  it('--no-encryption leaves the encryption part out; --encryption-only runs it alone', () => {
    assert.equal(parseBenchOptions(['--no-encryption']).encryption, false);
    assert.deepEqual(
      (({ capacity, capacityOnly, partiql, encryption }) => ({ capacity, capacityOnly, partiql, encryption }))(parseBenchOptions(['--encryption-only'])),
      { capacity: false, capacityOnly: true, partiql: false, encryption: true },
    );
    assert.equal(parseBenchOptions(['--capacity-only']).encryption, false);
    assert.equal(parseBenchOptions(['--partiql-only']).encryption, false);
    assert.equal(parseBenchOptions(['--auth-only']).encryption, false);
  });

  it('--no-partiql leaves the PartiQL part out; --partiql-only runs it alone', () => {
    assert.equal(parseBenchOptions(['--no-partiql']).partiql, false);
    assert.deepEqual(
      (({ capacity, capacityOnly, partiql }) => ({ capacity, capacityOnly, partiql }))(parseBenchOptions(['--partiql-only'])),
      { capacity: false, capacityOnly: true, partiql: true },
    );
    assert.equal(parseBenchOptions(['--capacity-only']).partiql, false);
  });

  it('--no-capacity leaves the capacity part out; --capacity-only runs it alone', () => {
    assert.equal(parseBenchOptions(['--no-capacity']).capacity, false);
    assert.deepEqual(
      (({ capacity, capacityOnly }) => ({ capacity, capacityOnly }))(parseBenchOptions(['--capacity-only', '--no-capacity'])),
      { capacity: true, capacityOnly: true },
    );
  });

  it('--no-streams leaves the Streams part out', () => {
    assert.equal(parseBenchOptions(['--no-streams']).streams, false);
    assert.equal(parseBenchOptions(['--quick']).streams, true);
  });

  it('--quick leaves the scale part out unless --scale asks for it; --no-scale always wins', () => {
    assert.equal(parseBenchOptions(['--quick']).scale, false);
    assert.equal(parseBenchOptions(['--quick', '--scale']).scale, true);
    assert.equal(parseBenchOptions(['--no-scale']).scale, false);
    assert.equal(parseBenchOptions(['--scale', '--no-scale']).scale, false);
    assert.equal(parseBenchOptions(['--scale-items', '200000']).scaleItems, 200_000);
  });

  it('accepts the Query and batch scenarios by name', () => {
    assert.deepEqual(parseBenchOptions(['--scenarios', 'QueryReverse,BatchWriteItem,Query']).scenarios, [
      'QueryReverse',
      'BatchWriteItem',
      'Query',
    ]);
  });

  it('accepts the transaction scenarios alone, with --quick', () => {
    const options = parseBenchOptions(['--quick', '--scenarios', 'TransactWriteItems2']);
    assert.deepEqual(options.scenarios, ['TransactWriteItems2']);
    assert.equal(options.scale, false);
    assert.deepEqual(parseBenchOptions(['--scenarios', 'PutItem,TransactWriteItems10']).scenarios, ['PutItem', 'TransactWriteItems10']);
  });

  it('--quick shortens everything, explicit values still win', () => {
    const options = parseBenchOptions(['--quick', '--rounds', '4']);
    assert.equal(options.rounds, 4);
    assert.equal(options.durationSeconds, 2);
    assert.equal(options.warmupSeconds, 1);
    assert.equal(options.startupRuns, 3);
  });

  it('parses lists, dropping duplicates', () => {
    const options = parseBenchOptions(['--scenarios', 'PutItem, GetItem,PutItem', '--only', 'cairn', '--with-dynamodb-local']);
    assert.deepEqual(options.scenarios, ['PutItem', 'GetItem']);
    assert.deepEqual(options.only, ['cairn']);
    assert.equal(options.withDynamoDbLocal, true);
  });

  it('--dynamodb-local-dir implies --with-dynamodb-local', () => {
    const options = parseBenchOptions(['--dynamodb-local-dir', '/opt/ddb']);
    assert.equal(options.withDynamoDbLocal, true);
    assert.equal(options.dynamoDbLocalDirectory, '/opt/ddb');
  });

  const rejected: { argv: string[]; message: string }[] = [
    { argv: ['--rounds', '0'], message: "--rounds must be an integer from 1 to 15, got '0'" },
    { argv: ['--duration', '2.5'], message: "--duration must be an integer from 1 to 60, got '2.5'" },
    { argv: ['--connections', 'many'], message: "--connections must be an integer from 1 to 1024, got 'many'" },
    {
      argv: ['--scenarios', 'DeleteTable'],
      message:
        "--scenarios: unknown 'DeleteTable' (expected GetItem, PutItem, UpdateItem, Query, QueryReverse, BatchWriteItem, " +
        'TransactWriteItems2, TransactWriteItems10, BatchGetItem, Scan, DeleteItem)',
    },
    { argv: ['--scale-items', '100'], message: "--scale-items must be an integer from 20000 to 2000000, got '100'" },
    { argv: ['--only', 'baseline'], message: "--only: unknown 'baseline' (expected cairn, dynalite, dynamodb-local)" },
    {
      argv: ['--only', 'TransactWriteItems2'],
      message: "--only: unknown 'TransactWriteItems2' (expected cairn, dynalite, dynamodb-local; 'TransactWriteItems2' is a scenario: --scenarios TransactWriteItems2)",
    },
  ];
  for (const { argv, message } of rejected) {
    it(`rejects ${argv.join(' ')}`, () => assert.throws(() => parseBenchOptions(argv), { message }));
  }

  it('rejects unknown flags', () => {
    assert.throws(() => parseBenchOptions(['--fast']), { code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' });
  });
});
