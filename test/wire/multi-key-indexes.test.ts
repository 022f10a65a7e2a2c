/**
 * Global secondary indexes with multi-attribute keys (up to four HASH and four RANGE attributes) through the AWS
 * SDK: CreateTable and DescribeTable, sparse entries (an item missing any key attribute is left out), order by the
 * RANGE attributes compared left to right, Query key conditions (every HASH attribute by equality, a prefix of the
 * RANGE attributes by equality, then one sort key condition) and their errors, legacy KeyConditions, pagination
 * with every key attribute in LastEvaluatedKey, Scan, write validation, UpdateTable with a backfill, a restart;
 * and the key schema errors. LSIs and table keys keep one HASH and one RANGE attribute.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
  UpdateTableCommand,
  type AttributeValue,
  type CreateTableCommandInput,
  type DynamoDBClient,
  type QueryCommandInput,
} from '@aws-sdk/client-dynamodb';
import { startCairn, type Cairn } from '../helpers/cairn.js';
import { INVALID, rejectsWith } from '../helpers/assertions.js';
import { hashKeyTable } from '../helpers/tables.js';

type Item = Record<string, AttributeValue>;

/**
 * `games`: matches keyed by `id`, with
 * - byRound: HASH tour (S), region (S); RANGE round (N), bracket (S); ALL;
 * - byPlayer: HASH player (S); RANGE a, b, c, d (S); KEYS_ONLY.
 */
const GAMES: CreateTableCommandInput = {
  TableName: 'games',
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  AttributeDefinitions: [
    { AttributeName: 'id', AttributeType: 'S' },
    { AttributeName: 'tour', AttributeType: 'S' },
    { AttributeName: 'region', AttributeType: 'S' },
    { AttributeName: 'round', AttributeType: 'N' },
    { AttributeName: 'bracket', AttributeType: 'S' },
    { AttributeName: 'player', AttributeType: 'S' },
    { AttributeName: 'a', AttributeType: 'S' },
    { AttributeName: 'b', AttributeType: 'S' },
    { AttributeName: 'c', AttributeType: 'S' },
    { AttributeName: 'd', AttributeType: 'S' },
  ],
  BillingMode: 'PAY_PER_REQUEST',
  GlobalSecondaryIndexes: [
    {
      IndexName: 'byRound',
      KeySchema: [
        { AttributeName: 'tour', KeyType: 'HASH' },
        { AttributeName: 'region', KeyType: 'HASH' },
        { AttributeName: 'round', KeyType: 'RANGE' },
        { AttributeName: 'bracket', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    },
    {
      IndexName: 'byPlayer',
      KeySchema: [
        { AttributeName: 'player', KeyType: 'HASH' },
        { AttributeName: 'a', KeyType: 'RANGE' },
        { AttributeName: 'b', KeyType: 'RANGE' },
        { AttributeName: 'c', KeyType: 'RANGE' },
        { AttributeName: 'd', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'KEYS_ONLY' },
    },
  ],
};

const s = (value: string): AttributeValue => ({ S: value });
const n = (value: string): AttributeValue => ({ N: value });

/** byRound items: round 2 sorts before round 10 (numbers), brackets break ties, then the table key. */
const MATCHES: Item[] = [
  { id: s('m1'), tour: s('w24'), region: s('eu'), round: n('10'), bracket: s('upper') },
  { id: s('m2'), tour: s('w24'), region: s('eu'), round: n('2'), bracket: s('upper') },
  { id: s('m3'), tour: s('w24'), region: s('eu'), round: n('2'), bracket: s('lower') },
  { id: s('m4'), tour: s('w24'), region: s('eu'), round: n('10'), bracket: s('lower') },
  { id: s('m5'), tour: s('w24'), region: s('eu'), round: n('2.5'), bracket: s('final') },
  { id: s('m6'), tour: s('w24'), region: s('us'), round: n('1'), bracket: s('upper') },
  { id: s('m7'), tour: s('s25'), region: s('eu'), round: n('1'), bracket: s('upper') },
  // Left out of byRound: no region (a HASH attribute), no bracket (a RANGE attribute), a bracket of another type.
  { id: s('m8'), tour: s('w24'), round: n('1'), bracket: s('upper') },
  { id: s('m9'), tour: s('w24'), region: s('eu'), round: n('1') },
  { id: s('m10'), tour: s('w24'), region: s('eu'), round: n('1'), misc: s('x') },
];

/** byPlayer items: the RANGE values compare one after another ('a' < 'ab' < 'b'; a value's prefix sorts first). */
const PLAYS: Item[] = [
  { id: s('p1'), player: s('ann'), a: s('T'), b: s('live'), c: s('b'), d: s('r1') },
  { id: s('p2'), player: s('ann'), a: s('T'), b: s('live'), c: s('a'), d: s('r2') },
  { id: s('p3'), player: s('ann'), a: s('T'), b: s('live'), c: s('a'), d: s('r1') },
  { id: s('p4'), player: s('ann'), a: s('T'), b: s('draft'), c: s('c'), d: s('r1') },
  { id: s('p5'), player: s('ann'), a: s('F'), b: s('live'), c: s('a'), d: s('r0') },
  { id: s('p6'), player: s('ann'), a: s('T'), b: s('liv'), c: s('z'), d: s('r9') },
  { id: s('p7'), player: s('ann'), a: s('T'), b: s('live'), c: s('ab'), d: s('r0') },
  // No c: not in byPlayer.
  { id: s('p8'), player: s('ann'), a: s('T'), b: s('live'), d: s('r1') },
];

const ids = (items: Item[] | undefined): string[] => (items ?? []).map((item) => item.id?.S ?? '?');

let cairn: Cairn;
let client: DynamoDBClient;

async function query(input: Omit<QueryCommandInput, 'TableName'>, table = 'games') {
  return client.send(new QueryCommand({ TableName: table, ...input }));
}

/** A Query on byRound for tour w24 / region eu, plus `extra` conditions. */
function roundQuery(extra = '', values: Item = {}, more: Partial<QueryCommandInput> = {}): Omit<QueryCommandInput, 'TableName'> {
  return {
    IndexName: 'byRound',
    KeyConditionExpression: `tour = :t AND #r = :r${extra}`,
    ExpressionAttributeNames: { '#r': 'region', ...(extra.includes('#n') ? { '#n': 'round' } : {}) },
    ExpressionAttributeValues: { ':t': s('w24'), ':r': s('eu'), ...values },
    ...more,
  };
}

const PLAY_VALUES: Item = { ':p': s('ann'), ':a': s('T'), ':b': s('live'), ':c': s('a'), ':d': s('r'), ':x': s('r1'), ':y': s('r2') };

function playQuery(condition: string, more: Partial<QueryCommandInput> = {}): Omit<QueryCommandInput, 'TableName'> {
  const values = Object.fromEntries(Object.entries(PLAY_VALUES).filter(([name]) => new RegExp(`${name}\\b`).test(condition)));
  return { IndexName: 'byPlayer', KeyConditionExpression: condition, ExpressionAttributeValues: values, ...more };
}

describe('GSIs with multi-attribute keys', () => {
  before(async () => {
    cairn = await startCairn();
    client = cairn.client;
    const created = await client.send(new CreateTableCommand(GAMES));
    assert.equal(created.TableDescription?.GlobalSecondaryIndexes?.length, 2);
    for (const item of [...MATCHES, ...PLAYS]) await client.send(new PutItemCommand({ TableName: 'games', Item: item }));
  });
  after(() => cairn.close());

  test('DescribeTable shows every key attribute in KeySchema order', async () => {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: 'games' }));
    const byName = new Map((Table?.GlobalSecondaryIndexes ?? []).map((index) => [index.IndexName, index]));
    assert.deepEqual(byName.get('byRound')?.KeySchema, GAMES.GlobalSecondaryIndexes?.[0]?.KeySchema);
    assert.deepEqual(byName.get('byPlayer')?.KeySchema, GAMES.GlobalSecondaryIndexes?.[1]?.KeySchema);
    assert.equal(byName.get('byRound')?.IndexStatus, 'ACTIVE');
    // Three items lack a byRound key attribute; one lacks a byPlayer one.
    assert.equal(byName.get('byRound')?.ItemCount, 7);
    assert.equal(byName.get('byPlayer')?.ItemCount, 7);
    assert.deepEqual(Table?.AttributeDefinitions, GAMES.AttributeDefinitions);
  });

  test('a Query on every HASH attribute returns the partition in RANGE order, left to right', async () => {
    const all = await query(roundQuery());
    // round 2 (lower, upper), 2.5, 10 (lower, upper): numbers compare as numbers, brackets break ties.
    assert.deepEqual(ids(all.Items), ['m3', 'm2', 'm5', 'm4', 'm1']);
    assert.equal(all.Count, 5);
    assert.equal(all.ScannedCount, 5);
    assert.deepEqual(all.Items?.[0], MATCHES[2]);
    const reverse = await query(roundQuery('', {}, { ScanIndexForward: false }));
    assert.deepEqual(ids(reverse.Items), ['m1', 'm4', 'm5', 'm2', 'm3']);
    // Another value of either HASH attribute is another partition.
    assert.deepEqual(ids((await query({ ...roundQuery(), ExpressionAttributeValues: { ':t': s('w24'), ':r': s('us') } })).Items), ['m6']);
    assert.deepEqual(ids((await query({ ...roundQuery(), ExpressionAttributeValues: { ':t': s('s25'), ':r': s('eu') } })).Items), ['m7']);
    assert.deepEqual(ids((await query({ ...roundQuery(), ExpressionAttributeValues: { ':t': s('s25'), ':r': s('us') } })).Items), []);

    const plays = await query(playQuery('player = :p'));
    assert.deepEqual(ids(plays.Items), ['p5', 'p4', 'p6', 'p3', 'p2', 'p7', 'p1']);
    // KEYS_ONLY: the table key and every index key attribute.
    assert.deepEqual(plays.Items?.[0], { id: s('p5'), player: s('ann'), a: s('F'), b: s('live'), c: s('a'), d: s('r0') });
  });

  test('equalities on a prefix of the RANGE attributes, then one condition on the next', async () => {
    const cases: [string, string[]][] = [
      ['player = :p AND a = :a', ['p4', 'p6', 'p3', 'p2', 'p7', 'p1']],
      ['player = :p AND a = :a AND b = :b', ['p3', 'p2', 'p7', 'p1']],
      ['player = :p AND a = :a AND b = :b AND c = :c', ['p3', 'p2']],
      ['player = :p AND a = :a AND b = :b AND c = :c AND d = :x', ['p3']],
      ['player = :p AND a = :a AND b = :b AND c > :c', ['p7', 'p1']],
      ['player = :p AND a = :a AND b = :b AND c >= :c', ['p3', 'p2', 'p7', 'p1']],
      ['player = :p AND a = :a AND b < :b', ['p4', 'p6']],
      ['player = :p AND a = :a AND b <= :b', ['p4', 'p6', 'p3', 'p2', 'p7', 'p1']],
      ['player = :p AND a = :a AND begins_with(b, :b)', ['p3', 'p2', 'p7', 'p1']],
      ['player = :p AND a = :a AND b = :b AND begins_with(c, :c)', ['p3', 'p2', 'p7']],
      ['player = :p AND a = :a AND b = :b AND c = :c AND begins_with(d, :d)', ['p3', 'p2']],
      ['player = :p AND a = :a AND b = :b AND c = :c AND d BETWEEN :x AND :y', ['p3', 'p2']],
      ['player = :p AND a = :a AND b = :b AND c = :c AND d BETWEEN :x AND :x', ['p3']],
      ['player = :p AND a < :a', ['p5']],
      // The clauses may come in any order.
      ['b = :b AND player = :p AND a = :a', ['p3', 'p2', 'p7', 'p1']],
      [':c < c AND a = :a AND b = :b AND player = :p', ['p7', 'p1']],
    ];
    for (const [condition, expected] of cases) {
      assert.deepEqual(ids((await query(playQuery(condition))).Items), expected, condition);
      const reverse = await query(playQuery(condition, { ScanIndexForward: false }));
      assert.deepEqual(ids(reverse.Items), [...expected].reverse(), `${condition} (reverse)`);
    }
    const numeric = await query(roundQuery(' AND #n BETWEEN :lo AND :hi', { ':lo': n('2.1'), ':hi': n('10') }));
    assert.deepEqual(ids(numeric.Items), ['m5', 'm4', 'm1']);
    const bracket = await query(roundQuery(' AND #n = :two AND bracket > :b', { ':two': n('2'), ':b': s('lower') }));
    assert.deepEqual(ids(bracket.Items), ['m2']);
  });

  test('key condition errors', async () => {
    const equality = (skipped: string, last: string) =>
      `RANGE key attributes ${skipped} must have equality conditions specified in the query because a condition is present on key attribute ${last}`;
    const cases: [Omit<QueryCommandInput, 'TableName'>, string][] = [
      [playQuery('player = :p AND a = :a AND c = :c'), equality('b', 'c')],
      [playQuery('player = :p AND a = :a AND b > :b AND c = :c'), equality('b', 'c')],
      [playQuery('player = :p AND b = :b'), equality('a', 'b')],
      [playQuery('player = :p AND begins_with(a, :a) AND d = :d'), equality('a', 'd')],
      [playQuery('a = :a'), 'Query condition missed key schema element: player'],
      [{ IndexName: 'byRound', KeyConditionExpression: 'tour = :t', ExpressionAttributeValues: { ':t': s('w24') } },
        'Query condition missed key schema element: region'],
      [{ ...roundQuery(), KeyConditionExpression: '#r = :r AND #n = :t', ExpressionAttributeNames: { '#r': 'region', '#n': 'round' } },
        'Query condition missed key schema element: tour'],
      [{ ...roundQuery(), KeyConditionExpression: 'tour = :t AND #r > :r' }, 'Query key condition not supported'],
      [{ ...roundQuery(), KeyConditionExpression: 'tour = :t AND begins_with(#r, :r)' }, 'Query key condition not supported'],
      [roundQuery(' AND misc = :o', { ':o': s('x') }), 'Query condition missed key schema element: round'],
      [roundQuery(' AND #n = :two AND bracket = :b AND misc = :b', { ':two': n('2'), ':b': s('x') }), 'Query key condition not supported'],
      [roundQuery(' AND #n = :o', { ':o': s('2') }), `${INVALID}Condition parameter type does not match schema type`],
      [{ ...roundQuery(), ExpressionAttributeValues: { ':t': s('w24'), ':r': n('1') } }, `${INVALID}Condition parameter type does not match schema type`],
      [roundQuery(' AND begins_with(#n, :o)', { ':o': s('2') }), `${INVALID}Condition parameter type does not match schema type`],
      [roundQuery('', {}, { FilterExpression: 'bracket = :b', ExpressionAttributeValues: { ':t': s('w24'), ':r': s('eu'), ':b': s('x') } }),
        'Filter Expression can only contain non-primary key attributes: Primary key attribute: bracket'],
      [roundQuery('', {}, { FilterExpression: '#r = :r' }),
        'Filter Expression can only contain non-primary key attributes: Primary key attribute: region'],
      [roundQuery('', {}, { ConsistentRead: true }), 'Consistent reads are not supported on global secondary indexes'],
    ];
    for (const [input, message] of cases) {
      await rejectsWith(query(input), 'ValidationException', message);
    }
  });

  test('legacy KeyConditions follow the same rules', async () => {
    const eq = (value: AttributeValue) => ({ ComparisonOperator: 'EQ' as const, AttributeValueList: [value] });
    const found = await query({
      IndexName: 'byRound',
      KeyConditions: {
        tour: eq(s('w24')),
        region: eq(s('eu')),
        round: eq(n('10')),
        bracket: { ComparisonOperator: 'LT' as const, AttributeValueList: [s('upper')] },
      },
    });
    assert.deepEqual(ids(found.Items), ['m4']);
    const hashOnly = await query({ IndexName: 'byRound', KeyConditions: { tour: eq(s('w24')), region: eq(s('eu')) } });
    assert.deepEqual(ids(hashOnly.Items), ['m3', 'm2', 'm5', 'm4', 'm1']);
    await rejectsWith(
      query({ IndexName: 'byRound', KeyConditions: { tour: eq(s('w24')), region: eq(s('eu')), bracket: eq(s('upper')) } }),
      'ValidationException',
      'RANGE key attributes round must have equality conditions specified in the query because a condition is present on key attribute bracket',
    );
    await rejectsWith(
      query({ IndexName: 'byRound', KeyConditions: { tour: eq(s('w24')), region: { ComparisonOperator: 'NOT_NULL' as const } } }),
      'ValidationException',
      'Attempted conditional constraint is not an indexable operation',
    );
  });

  test('pages carry the table key and every index key attribute, and resume exactly', async () => {
    const first = await query(roundQuery('', {}, { Limit: 2 }));
    assert.deepEqual(ids(first.Items), ['m3', 'm2']);
    assert.deepEqual(first.LastEvaluatedKey, { id: s('m2'), tour: s('w24'), region: s('eu'), round: n('2'), bracket: s('upper') });
    const seen = [...ids(first.Items)];
    let start: Item | undefined = first.LastEvaluatedKey;
    while (start !== undefined) {
      const page = await query(roundQuery('', {}, { Limit: 2, ExclusiveStartKey: start }));
      seen.push(...ids(page.Items));
      start = page.LastEvaluatedKey;
    }
    assert.deepEqual(seen, ['m3', 'm2', 'm5', 'm4', 'm1']);

    const backwards = await query(playQuery('player = :p AND a = :a', { ScanIndexForward: false, Limit: 3 }));
    assert.deepEqual(ids(backwards.Items), ['p1', 'p7', 'p2']);
    assert.deepEqual(backwards.LastEvaluatedKey, { id: s('p2'), player: s('ann'), a: s('T'), b: s('live'), c: s('a'), d: s('r2') });
    const rest = await query(playQuery('player = :p AND a = :a', { ScanIndexForward: false, ExclusiveStartKey: backwards.LastEvaluatedKey }));
    assert.deepEqual(ids(rest.Items), ['p3', 'p6', 'p4']);

    const lek = first.LastEvaluatedKey ?? {};
    const { bracket: _bracket, ...withoutBracket } = lek;
    await rejectsWith(query(roundQuery('', {}, { ExclusiveStartKey: withoutBracket })), 'ValidationException', 'The provided starting key is invalid');
    await rejectsWith(
      query(roundQuery('', {}, { ExclusiveStartKey: { ...withoutBracket, misc: s('x') } })),
      'ValidationException',
      'The provided starting key is invalid',
    );
    await rejectsWith(
      query(roundQuery('', {}, { ExclusiveStartKey: { ...lek, bracket: n('1') } })),
      'ValidationException',
      'The provided key element does not match the schema',
    );
    await rejectsWith(
      query(roundQuery('', {}, { ExclusiveStartKey: { ...lek, region: s('us') } })),
      'ValidationException',
      'The provided starting key is outside query boundaries based on provided conditions',
    );
    await rejectsWith(
      query(roundQuery(' AND #n = :ten', { ':ten': n('10') }, { ExclusiveStartKey: lek })),
      'ValidationException',
      'The provided starting key does not match the range key predicate',
    );
    await rejectsWith(
      query(roundQuery('', {}, { ExclusiveStartKey: { ...lek, bracket: s('') } })),
      'ValidationException',
      `${INVALID}The AttributeValue for a key attribute cannot contain an empty string value. Key: bracket`,
    );
  });

  test('Scan reads the index, one page at a time', async () => {
    const seen: string[] = [];
    let start: Item | undefined;
    do {
      const page = await client.send(new ScanCommand({ TableName: 'games', IndexName: 'byRound', Limit: 3, ExclusiveStartKey: start }));
      seen.push(...ids(page.Items));
      start = page.LastEvaluatedKey;
      if (start !== undefined) assert.deepEqual(Object.keys(start).sort(), ['bracket', 'id', 'region', 'round', 'tour']);
    } while (start !== undefined);
    assert.deepEqual(seen.sort(), ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7']);
    // A starting key is checked attribute by attribute, as a Query's is.
    const scan = (ExclusiveStartKey: Item) => client.send(new ScanCommand({ TableName: 'games', IndexName: 'byRound', ExclusiveStartKey }));
    const from = { id: s('m1'), tour: s('w24'), region: s('eu'), round: n('10'), bracket: s('upper') };
    const { bracket: _bracket, ...withoutBracket } = from;
    await rejectsWith(scan({ ...withoutBracket, misc: s('x') }), 'ValidationException', 'The provided starting key is invalid');
    await rejectsWith(scan({ ...from, round: s('10') }), 'ValidationException', 'The provided key element does not match the schema');
    const resumed = await scan(from);
    assert.ok((resumed.Items ?? []).every((item) => item.id?.S !== 'm1'));
    const counted = await client.send(new ScanCommand({ TableName: 'games', IndexName: 'byPlayer', Select: 'COUNT' }));
    assert.equal(counted.Count, 7);
  });

  test('writes keep the index exact: moved keys, removed attributes, deletes', async () => {
    await client.send(new PutItemCommand({ TableName: 'games', Item: { id: s('w1'), tour: s('t9'), region: s('ap'), round: n('5'), bracket: s('b') } }));
    await client.send(new PutItemCommand({ TableName: 'games', Item: { id: s('w2'), tour: s('t9'), region: s('ap'), round: n('5'), bracket: s('c') } }));
    const t9 = () => query({ ...roundQuery(), ExpressionAttributeValues: { ':t': s('t9'), ':r': s('ap') } });
    assert.deepEqual(ids((await t9()).Items), ['w1', 'w2']);
    // A second RANGE attribute changes: the entry moves.
    await client.send(
      new UpdateItemCommand({ TableName: 'games', Key: { id: s('w1') }, UpdateExpression: 'SET bracket = :z', ExpressionAttributeValues: { ':z': s('z') } }),
    );
    assert.deepEqual(ids((await t9()).Items), ['w2', 'w1']);
    // A second HASH attribute changes: the entry moves to another partition.
    await client.send(
      new UpdateItemCommand({ TableName: 'games', Key: { id: s('w2') }, UpdateExpression: 'SET #r = :x', ExpressionAttributeNames: { '#r': 'region' }, ExpressionAttributeValues: { ':x': s('sa') } }),
    );
    assert.deepEqual(ids((await t9()).Items), ['w1']);
    assert.deepEqual(ids((await query({ ...roundQuery(), ExpressionAttributeValues: { ':t': s('t9'), ':r': s('sa') } })).Items), ['w2']);
    // Removing any key attribute takes the item out; putting it back brings it in.
    await client.send(new UpdateItemCommand({ TableName: 'games', Key: { id: s('w1') }, UpdateExpression: 'REMOVE #n', ExpressionAttributeNames: { '#n': 'round' } }));
    assert.deepEqual(ids((await t9()).Items), []);
    await client.send(
      new UpdateItemCommand({ TableName: 'games', Key: { id: s('w1') }, UpdateExpression: 'SET #n = :one', ExpressionAttributeNames: { '#n': 'round' }, ExpressionAttributeValues: { ':one': n('1') } }),
    );
    assert.deepEqual(ids((await t9()).Items), ['w1']);
    await client.send(new DeleteItemCommand({ TableName: 'games', Key: { id: s('w1') } }));
    await client.send(new DeleteItemCommand({ TableName: 'games', Key: { id: s('w2') } }));
    assert.deepEqual(ids((await t9()).Items), []);
    const { Table } = await client.send(new DescribeTableCommand({ TableName: 'games' }));
    assert.equal(Table?.GlobalSecondaryIndexes?.find((index) => index.IndexName === 'byRound')?.ItemCount, 7);
  });

  test('every key attribute is validated on writes: type, empty values', async () => {
    const put = (item: Item) => client.send(new PutItemCommand({ TableName: 'games', Item: { id: s('bad'), ...item } }));
    await rejectsWith(
      put({ tour: s('t'), region: n('1') }),
      'ValidationException',
      `${INVALID}Type mismatch for Index Key region Expected: S Actual: N IndexName: byRound`,
    );
    await rejectsWith(
      put({ player: s('x'), a: s('1'), b: s('2'), c: s('3'), d: n('4') }),
      'ValidationException',
      `${INVALID}Type mismatch for Index Key d Expected: S Actual: N IndexName: byPlayer`,
    );
    await rejectsWith(
      put({ tour: s('t'), region: s('r'), round: n('1'), bracket: s('') }),
      'ValidationException',
      'One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: byRound, IndexKey: bracket',
    );
    await rejectsWith(
      client.send(
        new UpdateItemCommand({ TableName: 'games', Key: { id: s('m1') }, UpdateExpression: 'SET c = :e', ExpressionAttributeValues: { ':e': s('') } }),
      ),
      'ValidationException',
      'One or more parameter values are not valid. The update expression attempted to update a secondary index key to a value that is not supported. The AttributeValue for a key attribute cannot contain an empty string value.',
    );
  });
});

describe('multi-attribute key schemas', () => {
  before(async () => {
    cairn = await startCairn({ inMemory: true });
    client = cairn.client;
  });
  after(() => cairn.close());

  const definitions = (...names: string[]) => names.map((AttributeName) => ({ AttributeName, AttributeType: 'S' as const }));
  const gsiTable = (keySchema: [string, string][], extra: string[] = []): CreateTableCommandInput => ({
    TableName: 'keys',
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    AttributeDefinitions: definitions('id', ...new Set([...keySchema.map(([name]) => name), ...extra])),
    BillingMode: 'PAY_PER_REQUEST',
    GlobalSecondaryIndexes: [
      {
        IndexName: 'gsi',
        KeySchema: keySchema.map(([AttributeName, KeyType]) => ({ AttributeName, KeyType: KeyType as 'HASH' | 'RANGE' })),
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  });

  test('up to four HASH and four RANGE attributes are accepted, two HASH attributes alone too', async () => {
    const most: [string, string][] = [
      ['h1', 'HASH'], ['h2', 'HASH'], ['h3', 'HASH'], ['h4', 'HASH'],
      ['r1', 'RANGE'], ['r2', 'RANGE'], ['r3', 'RANGE'], ['r4', 'RANGE'],
    ];
    const created = await client.send(new CreateTableCommand({ ...gsiTable(most), TableName: 'most' }));
    assert.deepEqual(
      created.TableDescription?.GlobalSecondaryIndexes?.[0]?.KeySchema,
      most.map(([AttributeName, KeyType]) => ({ AttributeName, KeyType })),
    );
    const item: Item = { id: s('1') };
    for (const [name] of most) item[name] = s(name);
    await client.send(new PutItemCommand({ TableName: 'most', Item: item }));
    const found = await query(
      {
        IndexName: 'gsi',
        KeyConditionExpression: 'h1 = :h1 AND h2 = :h2 AND h3 = :h3 AND h4 = :h4 AND r1 = :r1 AND r2 = :r2 AND r3 = :r3 AND r4 = :r4',
        ExpressionAttributeValues: Object.fromEntries(most.map(([name]) => [`:${name}`, s(name)])),
      },
      'most',
    );
    assert.deepEqual(found.Items, [item]);

    await client.send(new CreateTableCommand({ ...gsiTable([['a', 'HASH'], ['b', 'HASH']]), TableName: 'twoHash' }));
    await client.send(new PutItemCommand({ TableName: 'twoHash', Item: { id: s('1'), a: s('x'), b: s('y') } }));
    const pair = await query(
      { IndexName: 'gsi', KeyConditionExpression: 'a = :a AND b = :b', ExpressionAttributeValues: { ':a': s('x'), ':b': s('y') } },
      'twoHash',
    );
    assert.deepEqual(ids(pair.Items), ['1']);
    // Three conditions on a key of two attributes: the count rule of a classic key still holds elsewhere.
    await rejectsWith(
      query(
        { IndexName: 'gsi', KeyConditionExpression: 'a = :a AND b = :b AND id = :a', ExpressionAttributeValues: { ':a': s('x'), ':b': s('y') } },
        'twoHash',
      ),
      'ValidationException',
      'Query key condition not supported',
    );
    await client.send(new CreateTableCommand(hashKeyTable('plain')));
    await rejectsWith(
      query({ KeyConditionExpression: 'id = :a AND b = :a AND c = :a', ExpressionAttributeValues: { ':a': s('x') } }, 'plain'),
      'ValidationException',
      'Conditions can be of length 1 or 2 only',
    );
  });

  test('key schema errors', async () => {
    const cases: [[string, string][], string][] = [
      [[['a', 'HASH'], ['b', 'HASH'], ['c', 'HASH'], ['d', 'HASH'], ['e', 'HASH']],
        `${INVALID}The KeySchema exceeds the maximum allowed number of HASH key attributes`],
      [[['h', 'HASH'], ['a', 'RANGE'], ['b', 'RANGE'], ['c', 'RANGE'], ['d', 'RANGE'], ['e', 'RANGE']],
        `${INVALID}The KeySchema exceeds the maximum allowed number of RANGE key attributes`],
      [[['a', 'HASH'], ['b', 'RANGE'], ['c', 'HASH']], `${INVALID}All HASH key attributes must precede RANGE key attributes in the KeySchema`],
      [[['a', 'RANGE'], ['b', 'HASH']], 'Invalid KeySchema: The first KeySchemaElement is not a HASH key type'],
      [[['a', 'RANGE'], ['b', 'RANGE']], 'Invalid KeySchema: The first KeySchemaElement is not a HASH key type'],
      [[['a', 'HASH'], ['a', 'HASH']], 'The KeySchema contains multiple key attributes with the same name'],
      [[['a', 'HASH'], ['b', 'HASH'], ['a', 'RANGE']], 'The KeySchema contains multiple key attributes with the same name'],
      [[['a', 'HASH'], ['b', 'RANGE'], ['c', 'SORT']], 'Invalid KeySchema: KeyType must be HASH or RANGE, not SORT'],
      // One HASH and one RANGE attribute keep their messages.
      [[['a', 'HASH'], ['a', 'RANGE']], 'Both the Hash Key and the Range Key element in the KeySchema have the same name'],
      [[['a', 'HASH'], ['b', 'SORT']], 'Invalid KeySchema: The second KeySchemaElement is not a RANGE key type'],
    ];
    for (const [keySchema, message] of cases) {
      await rejectsWith(client.send(new CreateTableCommand(gsiTable(keySchema))), 'ValidationException', message);
    }
    const missing = gsiTable([['a', 'HASH'], ['b', 'HASH']]);
    await rejectsWith(
      client.send(new CreateTableCommand({ ...missing, AttributeDefinitions: definitions('id', 'a') })),
      'ValidationException',
      `${INVALID}Some index key attributes are not defined in AttributeDefinitions. Keys: [a, b], AttributeDefinitions: [id, a]`,
    );
  });

  test('LSIs keep one RANGE attribute', async () => {
    await rejectsWith(
      client.send(
        new CreateTableCommand({
          TableName: 'lsi',
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          AttributeDefinitions: definitions('pk', 'sk', 'lk'),
          BillingMode: 'PAY_PER_REQUEST',
          LocalSecondaryIndexes: [
            {
              IndexName: 'lsi',
              KeySchema: [
                { AttributeName: 'pk', KeyType: 'HASH' },
                { AttributeName: 'sk', KeyType: 'RANGE' },
                { AttributeName: 'lk', KeyType: 'RANGE' },
              ],
              Projection: { ProjectionType: 'ALL' },
            },
          ],
        }),
      ),
      'ValidationException',
      "1 validation error detected: Value '[KeySchemaElement(attributeName=pk, keyType=HASH), KeySchemaElement(attributeName=sk, keyType=RANGE), KeySchemaElement(attributeName=lk, keyType=RANGE)]' at 'localSecondaryIndexes.1.member.keySchema' failed to satisfy constraint: Member must have length less than or equal to 2",
    );
  });

  test('UpdateTable refuses a bad multi-attribute key schema', async () => {
    await client.send(new CreateTableCommand(hashKeyTable('upd')));
    await rejectsWith(
      client.send(
        new UpdateTableCommand({
          TableName: 'upd',
          AttributeDefinitions: definitions('a', 'b'),
          GlobalSecondaryIndexUpdates: [
            {
              Create: {
                IndexName: 'gsi',
                KeySchema: [
                  { AttributeName: 'a', KeyType: 'RANGE' },
                  { AttributeName: 'b', KeyType: 'HASH' },
                ],
                Projection: { ProjectionType: 'ALL' },
              },
            },
          ],
        }),
      ),
      'ValidationException',
      'Invalid KeySchema: The first KeySchemaElement is not a HASH key type',
    );
  });
});

describe('a multi-attribute GSI added by UpdateTable', () => {
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'cairn-multikey-'));
    cairn = await startCairn({ dataDir, backfill: { batchSize: 8, pauseMs: 1 } });
    client = cairn.client;
  });
  after(async () => {
    await cairn.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('is backfilled from the existing items, maintained meanwhile, and survives a restart', async () => {
    await client.send(new CreateTableCommand(hashKeyTable('orders')));
    for (let i = 0; i < 60; i++) {
      const item: Item = { id: s(`o${String(i).padStart(2, '0')}`), shop: s(`s${i % 2}`), day: n(String(i % 5)) };
      if (i % 3 !== 0) item.kind = s(i % 3 === 1 ? 'web' : 'app');
      if (i === 4) item.kind = n('4'); // another type: left out by the backfill
      await client.send(new PutItemCommand({ TableName: 'orders', Item: item }));
    }
    const updated = await client.send(
      new UpdateTableCommand({
        TableName: 'orders',
        AttributeDefinitions: [
          { AttributeName: 'id', AttributeType: 'S' },
          { AttributeName: 'shop', AttributeType: 'S' },
          { AttributeName: 'kind', AttributeType: 'S' },
          { AttributeName: 'day', AttributeType: 'N' },
        ],
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: 'byShopKind',
              KeySchema: [
                { AttributeName: 'shop', KeyType: 'HASH' },
                { AttributeName: 'kind', KeyType: 'HASH' },
                { AttributeName: 'day', KeyType: 'RANGE' },
                { AttributeName: 'id', KeyType: 'RANGE' },
              ],
              Projection: { ProjectionType: 'KEYS_ONLY' },
            },
          },
        ],
      }),
    );
    const created = updated.TableDescription?.GlobalSecondaryIndexes?.[0];
    assert.equal(created?.IndexStatus, 'CREATING');
    assert.deepEqual(created?.KeySchema?.map((element) => `${element.AttributeName}:${element.KeyType}`), [
      'shop:HASH',
      'kind:HASH',
      'day:RANGE',
      'id:RANGE',
    ]);
    // A write during the backfill.
    await client.send(new PutItemCommand({ TableName: 'orders', Item: { id: s('o99'), shop: s('s1'), kind: s('web'), day: n('0') } }));
    await cairn.server.engine.settleBackgroundWork();

    const expected = (shop: number, kind: string): string[] => {
      const out: { id: string; day: number }[] = [];
      for (let i = 0; i < 60; i++) {
        if (i % 2 !== shop || i % 3 === 0 || i === 4 || (i % 3 === 1 ? 'web' : 'app') !== kind) continue;
        out.push({ id: `o${String(i).padStart(2, '0')}`, day: i % 5 });
      }
      if (shop === 1 && kind === 'web') out.push({ id: 'o99', day: 0 });
      return out.sort((x, y) => x.day - y.day || (x.id < y.id ? -1 : 1)).map((entry) => entry.id);
    };
    const read = async () => {
      const result = new Map<string, string[]>();
      for (const shop of [0, 1]) {
        for (const kind of ['web', 'app']) {
          const page = await cairn.client.send(
            new QueryCommand({
              TableName: 'orders',
              IndexName: 'byShopKind',
              KeyConditionExpression: 'shop = :s AND kind = :k',
              ExpressionAttributeValues: { ':s': s(`s${shop}`), ':k': s(kind) },
            }),
          );
          result.set(`s${shop}/${kind}`, ids(page.Items));
        }
      }
      return result;
    };
    const want = new Map([
      ['s0/web', expected(0, 'web')],
      ['s0/app', expected(0, 'app')],
      ['s1/web', expected(1, 'web')],
      ['s1/app', expected(1, 'app')],
    ]);
    assert.deepEqual(await read(), want);
    const described = await client.send(new DescribeTableCommand({ TableName: 'orders' }));
    assert.equal(described.Table?.GlobalSecondaryIndexes?.[0]?.IndexStatus, 'ACTIVE');
    assert.equal(described.Table?.GlobalSecondaryIndexes?.[0]?.ItemCount, 40);

    await cairn.close();
    cairn = await startCairn({ dataDir });
    client = cairn.client;
    assert.deepEqual(await read(), want);
    const ranged = await client.send(
      new QueryCommand({
        TableName: 'orders',
        IndexName: 'byShopKind',
        KeyConditionExpression: 'shop = :s AND kind = :k AND #d = :d AND id > :id',
        ExpressionAttributeNames: { '#d': 'day' },
        ExpressionAttributeValues: { ':s': s('s1'), ':k': s('web'), ':d': n('0'), ':id': s('o10') },
      }),
    );
    assert.deepEqual(ids(ranged.Items), expected(1, 'web').filter((id) => id > 'o10' && (id === 'o99' || Number(id.slice(1)) % 5 === 0)));
  });
});
