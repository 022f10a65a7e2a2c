/**
 * Property: a PartiQL statement and the equivalent expression-API request do the same thing. Random sequences of
 * writes and reads run twice, on two tables with the same key and a NEW_AND_OLD_IMAGES stream: once as
 * ExecuteStatement, once as PutItem / UpdateItem / DeleteItem / Query / Scan with the expressions DynamoDB's own
 * PartiQL front end compiles to (INSERT = PutItem with attribute_not_exists; UPDATE = UpdateItem with
 * attribute_exists; DELETE = DeleteItem whose condition holds for an absent item). After every step both sides
 * agree on success or failure and on the items returned, and at the end on every stream record.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  CreateTableCommand,
  DeleteItemCommand,
  ExecuteStatementCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { startCairn, type Cairn } from '../helpers/cairn.js';

let cairn: Cairn;
let client: DynamoDBClient;
let streams: DynamoDBStreamsClient;

type Op =
  | { kind: 'insert'; pk: string; sk: number; a: number; tag?: string }
  | { kind: 'update'; pk: string; sk: number; action: 'set' | 'add' | 'remove' | 'append'; value: number; above?: number }
  | { kind: 'delete'; pk: string; sk: number; above?: number }
  | { kind: 'query'; pk: string; skAbove: number; aAbove?: number; desc: boolean }
  | { kind: 'scan'; aAbove: number };

const pk = fc.constantFrom('x', 'y', 'z');
const sk = fc.integer({ min: 0, max: 4 });
const small = fc.integer({ min: -3, max: 9 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), pk, sk, a: small, tag: fc.option(fc.constantFrom('t1', 't2'), { nil: undefined }) }, { requiredKeys: ['kind', 'pk', 'sk', 'a'] }),
  fc.record(
    { kind: fc.constant('update' as const), pk, sk, action: fc.constantFrom('set' as const, 'add' as const, 'remove' as const, 'append' as const), value: small, above: fc.option(small, { nil: undefined }) },
    { requiredKeys: ['kind', 'pk', 'sk', 'action', 'value'] },
  ),
  fc.record({ kind: fc.constant('delete' as const), pk, sk, above: fc.option(small, { nil: undefined }) }, { requiredKeys: ['kind', 'pk', 'sk'] }),
  fc.record({ kind: fc.constant('query' as const), pk, skAbove: sk, aAbove: fc.option(small, { nil: undefined }), desc: fc.boolean() }, { requiredKeys: ['kind', 'pk', 'skAbove', 'desc'] }),
  fc.record({ kind: fc.constant('scan' as const), aAbove: small }),
);

const S = (value: string): AttributeValue => ({ S: value });
const N = (value: number): AttributeValue => ({ N: String(value) });

type Outcome = { ok: true; items: unknown } | { ok: false; type: string };

async function outcome(promise: Promise<unknown>, items: (out: never) => unknown): Promise<Outcome> {
  try {
    return { ok: true, items: items((await promise) as never) };
  } catch (error) {
    const type = (error as Error).name;
    // INSERT's DuplicateItemException is PutItem's conditional failure under attribute_not_exists.
    return { ok: false, type: type === 'DuplicateItemException' ? 'ConditionalCheckFailedException' : type };
  }
}

const sortItems = (list: readonly Record<string, AttributeValue>[] | undefined) =>
  [...(list ?? [])].sort((p, q) => JSON.stringify(p).localeCompare(JSON.stringify(q)));

/** The op as PartiQL on `table`. */
function viaPartiql(table: string, step: Op): Promise<Outcome> {
  const send = (Statement: string, Parameters?: AttributeValue[]) =>
    client.send(new ExecuteStatementCommand({ Statement, ...(Parameters ? { Parameters } : {}), ConsistentRead: true }));
  const items = (out: { Items?: Record<string, AttributeValue>[] }) => out.Items ?? [];
  switch (step.kind) {
    case 'insert':
      return outcome(send(`INSERT INTO "${table}" VALUE {'pk': ?, 'sk': ?, 'a': ?${step.tag ? `, 'tag': '${step.tag}'` : ''}}`, [S(step.pk), N(step.sk), N(step.a)]), () => []);
    case 'update': {
      const action = {
        set: 'SET a = ?',
        add: 'SET a = a + ?',
        remove: 'REMOVE tag SET b = ?',
        append: 'SET l = list_append(l, [?])',
      }[step.action];
      const where = `WHERE pk = ? AND sk = ?${step.above !== undefined ? ' AND a > ?' : ''}`;
      const params = [N(step.value), S(step.pk), N(step.sk), ...(step.above !== undefined ? [N(step.above)] : [])];
      return outcome(send(`UPDATE "${table}" ${action} ${where} RETURNING ALL NEW *`, params), items);
    }
    case 'delete': {
      const where = `WHERE pk = ? AND sk = ?${step.above !== undefined ? ' AND a > ?' : ''}`;
      const params = [S(step.pk), N(step.sk), ...(step.above !== undefined ? [N(step.above)] : [])];
      return outcome(send(`DELETE FROM "${table}" ${where} RETURNING ALL OLD *`, params), items);
    }
    case 'query': {
      const filter = step.aAbove !== undefined ? ' AND a > ?' : '';
      const params = [S(step.pk), N(step.skAbove), ...(step.aAbove !== undefined ? [N(step.aAbove)] : [])];
      return outcome(send(`SELECT * FROM "${table}" WHERE pk = ? AND sk > ?${filter} ORDER BY sk ${step.desc ? 'DESC' : 'ASC'}`, params), items);
    }
    case 'scan':
      return outcome(send(`SELECT pk, sk, a FROM "${table}" WHERE a > ?`, [N(step.aAbove)]), (out: { Items?: Record<string, AttributeValue>[] }) => sortItems(out.Items));
  }
}

/** The same op through the expression API. */
function viaExpressions(table: string, step: Op): Promise<Outcome> {
  const Key: Record<string, AttributeValue> =
    step.kind === 'insert' || step.kind === 'update' || step.kind === 'delete' ? { pk: S(step.pk), sk: N(step.sk) } : {};
  switch (step.kind) {
    case 'insert':
      return outcome(
        client.send(
          new PutItemCommand({
            TableName: table,
            Item: { ...Key, a: N(step.a), ...(step.tag ? { tag: S(step.tag) } : {}) },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
        () => [],
      );
    case 'update': {
      const action = { set: 'SET a = :v', add: 'SET a = a + :v', remove: 'REMOVE tag SET b = :v', append: 'SET l = list_append(l, :lv)' }[step.action];
      const values: Record<string, AttributeValue> = step.action === 'append' ? { ':lv': { L: [N(step.value)] } } : { ':v': N(step.value) };
      if (step.above !== undefined) values[':above'] = N(step.above);
      return outcome(
        client.send(
          new UpdateItemCommand({
            TableName: table,
            Key,
            UpdateExpression: action,
            ConditionExpression: `attribute_exists(pk)${step.above !== undefined ? ' AND a > :above' : ''}`,
            ExpressionAttributeValues: values,
            ReturnValues: 'ALL_NEW',
          }),
        ),
        (out: { Attributes?: Record<string, AttributeValue> }) => (out.Attributes ? [out.Attributes] : []),
      );
    }
    case 'delete':
      return outcome(
        client.send(
          new DeleteItemCommand({
            TableName: table,
            Key,
            ReturnValues: 'ALL_OLD',
            ...(step.above !== undefined
              ? { ConditionExpression: 'attribute_not_exists(pk) OR a > :above', ExpressionAttributeValues: { ':above': N(step.above) } }
              : {}),
          }),
        ),
        (out: { Attributes?: Record<string, AttributeValue> }) => (out.Attributes ? [out.Attributes] : []),
      );
    case 'query':
      return outcome(
        client.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: 'pk = :p AND sk > :s',
            ...(step.aAbove !== undefined ? { FilterExpression: 'a > :a' } : {}),
            ExpressionAttributeValues: { ':p': S(step.pk), ':s': N(step.skAbove), ...(step.aAbove !== undefined ? { ':a': N(step.aAbove) } : {}) },
            ScanIndexForward: !step.desc,
            ConsistentRead: true,
          }),
        ),
        (out: { Items?: Record<string, AttributeValue>[] }) => out.Items ?? [],
      );
    case 'scan':
      return outcome(
        client.send(
          new ScanCommand({
            TableName: table,
            FilterExpression: 'a > :a',
            ProjectionExpression: 'pk, sk, a',
            ExpressionAttributeValues: { ':a': N(step.aAbove) },
            ConsistentRead: true,
          }),
        ),
        (out: { Items?: Record<string, AttributeValue>[] }) => sortItems(out.Items),
      );
  }
}

async function records(streamArn: string): Promise<unknown[]> {
  const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
  const out: unknown[] = [];
  for (const shard of StreamDescription?.Shards ?? []) {
    let iterator = (await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
    for (let page = 0; iterator !== undefined && page < 100; page++) {
      const result = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
      for (const record of result.Records ?? []) {
        const data = record.dynamodb;
        out.push([record.eventName, data?.Keys, data?.NewImage, data?.OldImage, data?.SizeBytes, data?.StreamViewType]);
      }
      if ((result.Records ?? []).length === 0) break;
      iterator = result.NextShardIterator;
    }
  }
  return out;
}

let tableCount = 0;
async function streamTable(): Promise<{ name: string; arn: string }> {
  const name = `eq_${tableCount++}`;
  const created = await client.send(
    new CreateTableCommand({
      TableName: name,
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'N' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
  return { name, arn: created.TableDescription?.LatestStreamArn as string };
}

describe('PartiQL and the expression API', () => {
  before(async () => {
    cairn = await startCairn({ inMemory: true });
    client = cairn.client;
    streams = new DynamoDBStreamsClient({
      endpoint: cairn.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
      maxAttempts: 1,
    });
  });
  after(async () => {
    streams.destroy();
    await cairn.close();
  });

  test('give the same results and the same stream records', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (steps) => {
        const partiql = await streamTable();
        const expressions = await streamTable();
        for (const step of steps) {
          const left = await viaPartiql(partiql.name, step);
          const right = await viaExpressions(expressions.name, step);
          assert.deepEqual(left, right, JSON.stringify(step));
        }
        assert.deepEqual(await records(partiql.arn), await records(expressions.arn));
      }),
      { numRuns: 60 },
    );
  });
});
