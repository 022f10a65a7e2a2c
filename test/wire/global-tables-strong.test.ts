/**
 * Global tables with multi-Region strong consistency (UpdateTable MultiRegionConsistency: STRONG): three regions,
 * a write acknowledged once two of them have it, strongly consistent reads that see every acknowledged write in
 * any region, ReplicatedWriteConflictException for concurrent writes of an item from different regions, and
 * DynamoDB's limits of the mode. On one server (regions as namespaces) and across three server processes.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  ExecuteStatementCommand,
  ExecuteTransactionCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { startCairn, type Cairn } from '../helpers/cairn.js';
import { INVALID, rejectsWith } from '../helpers/assertions.js';
import { eventuallyPasses } from '../helpers/eventually.js';
import { killedAfterTests } from '../helpers/cairn-process.js';
import { killServer, restartServer, startRegionProcesses, type RegionProcess } from '../helpers/region-processes.js';
import { encodeItemKey } from '../../src/model/key-encoding.js';
import { prepareStrongWrite, releaseStrongWrite } from '../../src/engine/replication/strong-writes.js';

const CREDENTIALS = { accessKeyId: 'AKID', secretAccessKey: 'secret' };
const REGIONS = ['us-east-1', 'us-east-2', 'us-west-2'] as const;
const CONFLICT = 'One or more items in this request are being modified by a request in another Region.';
const UNAVAILABLE = (table: string): string =>
  `Internal server error: a majority of the Regions of global table ${table} (multi-Region strong consistency) cannot be reached`;

type Row = Record<string, AttributeValue>;

async function createTable(client: DynamoDBClient, name: string, extra: Partial<ConstructorParameters<typeof CreateTableCommand>[0]> = {}): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      ...extra,
    }),
  );
}

function makeStrong(client: DynamoDBClient, name: string, regions: readonly string[] = ['us-east-2', 'us-west-2']) {
  return client.send(
    new UpdateTableCommand({
      TableName: name,
      ReplicaUpdates: regions.map((RegionName) => ({ Create: { RegionName } })),
      MultiRegionConsistency: 'STRONG',
    }),
  );
}

const key = (pk: string, sk = 'a'): Row => ({ pk: { S: pk }, sk: { S: sk } });

async function consistentGet(client: DynamoDBClient, table: string, itemKey: Row): Promise<Row | undefined> {
  return (await client.send(new GetItemCommand({ TableName: table, Key: itemKey, ConsistentRead: true }))).Item;
}

describe('on one server', () => {
  let cairn: Cairn;
  const clients = new Map<string, DynamoDBClient>();
  const client = (region: string): DynamoDBClient => clients.get(region) as DynamoDBClient;

  before(async () => {
    cairn = await startCairn({ inMemory: true, ttlChangeIntervalMs: 0 });
    for (const region of [...REGIONS, 'eu-west-1']) clients.set(region, cairn.clientAs(CREDENTIALS, region));
  });
  after(async () => {
    await cairn.close();
  });

  test('STRONG creates a three-region global table that every region describes as STRONG', async () => {
    await createTable(client('us-east-1'), 'mrsc');
    const { TableDescription } = await makeStrong(client('us-east-1'), 'mrsc');
    assert.equal(TableDescription?.MultiRegionConsistency, 'STRONG');
    assert.equal(TableDescription?.GlobalTableVersion, '2019.11.21');
    assert.deepEqual(
      TableDescription?.Replicas?.map((replica) => replica.RegionName),
      ['us-east-2', 'us-west-2'],
    );
    for (const region of REGIONS) {
      await eventuallyPasses(async () => {
        const { Table } = await client(region).send(new DescribeTableCommand({ TableName: 'mrsc' }));
        assert.equal(Table?.MultiRegionConsistency, 'STRONG');
        assert.deepEqual(
          Table?.Replicas?.map((replica) => [replica.RegionName, replica.ReplicaStatus]),
          REGIONS.filter((other) => other !== region).map((other) => [other, 'ACTIVE']),
        );
      }, 5000);
    }
    // An EVENTUAL global table says so.
    await createTable(client('us-east-1'), 'mrec');
    const { TableDescription: eventual } = await client('us-east-1').send(
      new UpdateTableCommand({ TableName: 'mrec', ReplicaUpdates: [{ Create: { RegionName: 'us-east-2' } }] }),
    );
    assert.equal(eventual?.MultiRegionConsistency, 'EVENTUAL');
  });

  test('a write in any region is read at once with ConsistentRead in the others; conditions see the latest item', async () => {
    await client('us-east-1').send(new PutItemCommand({ TableName: 'mrsc', Item: { ...key('p1'), v: { N: '1' } } }));
    for (const region of REGIONS) assert.deepEqual(await consistentGet(client(region), 'mrsc', key('p1')), { ...key('p1'), v: { N: '1' } });

    await client('us-west-2').send(
      new UpdateItemCommand({
        TableName: 'mrsc',
        Key: key('p1'),
        UpdateExpression: 'ADD v :one',
        ConditionExpression: 'v = :one',
        ExpressionAttributeValues: { ':one': { N: '1' } },
      }),
    );
    const { Items } = await client('us-east-2').send(
      new QueryCommand({ TableName: 'mrsc', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p1' } }, ConsistentRead: true }),
    );
    assert.deepEqual(Items, [{ ...key('p1'), v: { N: '2' } }]);
    // The condition in us-east-1 sees us-west-2's write.
    await rejectsWith(
      client('us-east-1').send(
        new PutItemCommand({ TableName: 'mrsc', Item: key('p1'), ConditionExpression: 'v = :one', ExpressionAttributeValues: { ':one': { N: '1' } } }),
      ),
      'ConditionalCheckFailedException',
      'The conditional request failed',
    );
    // PartiQL writes are coordinated too, and BatchGetItem and ExecuteStatement read consistently.
    await client('us-east-2').send(new ExecuteStatementCommand({ Statement: `UPDATE "mrsc" SET v = 7 WHERE pk = 'p1' AND sk = 'a'` }));
    const { Responses } = await client('us-west-2').send(
      new BatchGetItemCommand({ RequestItems: { mrsc: { Keys: [key('p1')], ConsistentRead: true } } }),
    );
    assert.deepEqual(Responses, { mrsc: [{ ...key('p1'), v: { N: '7' } }] });
    const { Items: selected } = await client('us-east-1').send(
      new ExecuteStatementCommand({ Statement: `SELECT v FROM "mrsc" WHERE pk = 'p1' AND sk = 'a'`, ConsistentRead: true }),
    );
    assert.deepEqual(selected, [{ v: { N: '7' } }]);
    await client('us-east-2').send(new DeleteItemCommand({ TableName: 'mrsc', Key: key('p1') }));
    const { Items: scanned } = await client('us-west-2').send(new ScanCommand({ TableName: 'mrsc', ConsistentRead: true }));
    assert.deepEqual(scanned, []);
  });

  test("a write's replicated write units are counted once in each other region, where its commit applied it", async () => {
    const series = (region: string) => `cairn_replicated_write_capacity_units_total{table="mrsc",region="${region}",source_region="us-east-1"}`;
    const metric = async (region: string): Promise<number> => {
      const text = (await cairn.rawRequest({ method: 'GET', path: '/metrics' })).bytes.toString('utf8');
      const line = text.split('\n').find((candidate) => candidate.startsWith(`${series(region)} `));
      return line === undefined ? 0 : Number(line.slice(series(region).length + 1));
    };
    const before = await Promise.all(REGIONS.map(metric));
    await client('us-east-1').send(new PutItemCommand({ TableName: 'mrsc', Item: key('metered') }));
    // The streams pass the write on again (a strongly consistent scan in each region reads one): not counted again.
    for (const region of REGIONS) await client(region).send(new ScanCommand({ TableName: 'mrsc', ConsistentRead: true }));
    const after = await Promise.all(REGIONS.map(metric));
    assert.deepEqual(
      after.map((value, position) => value - (before[position] as number)),
      [1, 1, 1],
    );
  });

  test('a write is refused with ReplicatedWriteConflictException while another region holds the item in a majority', async () => {
    const engine = cairn.server.engine;
    const table = engine.catalog.getTable({ accountId: '000000000000', region: 'us-east-1' }, 'mrsc');
    assert.ok(table !== undefined);
    const itemKey = Buffer.from(encodeItemKey(table.key, { pk: { S: 'held' }, sk: { S: 'a' } })).toString('base64');
    const hold = (region: string) => prepareStrongWrite(engine, { accountId: '000000000000', region }, 'mrsc', itemKey, 'other-write', false);
    const put = (value: string) => client('us-east-1').send(new PutItemCommand({ TableName: 'mrsc', Item: { ...key('held'), v: { S: value } } }));
    // One region held by another write: us-east-1 still has a majority with the third region.
    assert.equal((await hold('us-east-2')).answer, 'granted');
    await put('with one held');
    // Two held: the other write has the majority; this one is refused and writes nothing.
    assert.equal((await hold('us-west-2')).answer, 'granted');
    await rejectsWith(put('refused'), 'ReplicatedWriteConflictException', CONFLICT);
    // In a batch, the refused write is left unprocessed and the others are written.
    const batch = await client('us-east-1').send(
      new BatchWriteItemCommand({
        RequestItems: { mrsc: [{ PutRequest: { Item: { ...key('held'), v: { S: 'batch' } } } }, { PutRequest: { Item: key('free') } }] },
      }),
    );
    assert.deepEqual(batch.UnprocessedItems, { mrsc: [{ PutRequest: { Item: { ...key('held'), v: { S: 'batch' } } } }] });
    assert.deepEqual(await consistentGet(client('us-west-2'), 'mrsc', key('free')), key('free'));
    for (const region of REGIONS) assert.deepEqual(await consistentGet(client(region), 'mrsc', key('held')), { ...key('held'), v: { S: 'with one held' } });
    for (const region of ['us-east-2', 'us-west-2']) releaseStrongWrite(engine, { accountId: '000000000000', region }, 'mrsc', itemKey, 'other-write');
    await put('after');
    assert.deepEqual(await consistentGet(client('us-west-2'), 'mrsc', key('held')), { ...key('held'), v: { S: 'after' } });
  });

  test('two replicas and a witness: the witness takes part in every majority but serves no client', async () => {
    const east = client('us-east-1');
    await createTable(east, 'witnessed');
    const { TableDescription } = await east.send(
      new UpdateTableCommand({
        TableName: 'witnessed',
        MultiRegionConsistency: 'STRONG',
        ReplicaUpdates: [{ Create: { RegionName: 'us-east-2' } }],
        GlobalTableWitnessUpdates: [{ Create: { RegionName: 'us-west-2' } }],
      }),
    );
    assert.equal(TableDescription?.MultiRegionConsistency, 'STRONG');
    assert.deepEqual(TableDescription?.Replicas?.map((replica) => replica.RegionName), ['us-east-2']);
    assert.deepEqual(TableDescription?.GlobalTableWitnesses, [{ RegionName: 'us-west-2', WitnessStatus: 'ACTIVE' }]);
    await eventuallyPasses(async () => {
      const { Table } = await client('us-east-2').send(new DescribeTableCommand({ TableName: 'witnessed' }));
      assert.deepEqual(Table?.Replicas?.map((replica) => [replica.RegionName, replica.ReplicaStatus]), [['us-east-1', 'ACTIVE']]);
      assert.deepEqual(Table?.GlobalTableWitnesses, [{ RegionName: 'us-west-2', WitnessStatus: 'ACTIVE' }]);
    }, 5000);
    // No table in the witness's region.
    await rejectsWith(
      client('us-west-2').send(new DescribeTableCommand({ TableName: 'witnessed' })),
      'ResourceNotFoundException',
      'Requested resource not found: Table: witnessed not found',
    );
    await rejectsWith(
      client('us-west-2').send(new PutItemCommand({ TableName: 'witnessed', Item: key('w') })),
      'ResourceNotFoundException',
      'Requested resource not found',
    );

    // With us-east-2 held by another write, us-east-1's write has its majority with the witness; with the witness
    // held too, it has none.
    const engine = cairn.server.engine;
    const table = engine.catalog.getTable({ accountId: '000000000000', region: 'us-east-1' }, 'witnessed');
    assert.ok(table !== undefined);
    const itemKey = Buffer.from(encodeItemKey(table.key, { pk: { S: 'w' }, sk: { S: 'a' } })).toString('base64');
    const hold = (region: string) => prepareStrongWrite(engine, { accountId: '000000000000', region }, 'witnessed', itemKey, 'other-write', false);
    const put = (value: string) => east.send(new PutItemCommand({ TableName: 'witnessed', Item: { ...key('w'), v: { S: value } } }));
    assert.equal((await hold('us-east-2')).answer, 'granted');
    await put('with the witness');
    assert.equal((await hold('us-west-2')).answer, 'granted');
    await rejectsWith(put('refused'), 'ReplicatedWriteConflictException', CONFLICT);
    for (const region of ['us-east-2', 'us-west-2']) releaseStrongWrite(engine, { accountId: '000000000000', region }, 'witnessed', itemKey, 'other-write');
    assert.deepEqual(await consistentGet(client('us-east-2'), 'witnessed', key('w')), { ...key('w'), v: { S: 'with the witness' } });

    // The replica and the witness go together; the table is a single-region table again.
    await rejectsWith(
      east.send(new UpdateTableCommand({ TableName: 'witnessed', ReplicaUpdates: [{ Delete: { RegionName: 'us-east-2' } }] })),
      'ValidationException',
      `${INVALID}The other members of a global table with multi-Region strong consistency are deleted together: the request must delete us-east-2 and the witness us-west-2`,
    );
    const { TableDescription: single } = await east.send(
      new UpdateTableCommand({
        TableName: 'witnessed',
        ReplicaUpdates: [{ Delete: { RegionName: 'us-east-2' } }],
        GlobalTableWitnessUpdates: [{ Delete: { RegionName: 'us-west-2' } }],
      }),
    );
    assert.equal(single?.Replicas, undefined);
    assert.equal(single?.GlobalTableWitnesses, undefined);
    assert.equal(single?.MultiRegionConsistency, undefined);
    assert.equal(engine.catalog.allTables().filter((candidate) => candidate.tableName === 'witnessed').length, 1);
  });

  test('the creation is checked: three regions of one region set, an empty table, no TTL or LSI, no EVENTUAL global table', async () => {
    const east = client('us-east-1');
    await createTable(east, 'checks');
    await rejectsWith(
      makeStrong(east, 'checks', ['us-east-2']),
      'ValidationException',
      `${INVALID}A global table with multi-Region strong consistency must have exactly three Regions: the table's and two replicas, or one replica and a witness`,
    );
    await rejectsWith(
      makeStrong(east, 'checks', ['us-east-2', 'eu-west-1']),
      'ValidationException',
      `${INVALID}The Regions us-east-1, us-east-2, eu-west-1 are not in one Region set of multi-Region strong consistency ` +
        '(US: us-east-1, us-east-2, us-west-2; EU: eu-west-1, eu-west-2, eu-west-3, eu-central-1; AP: ap-northeast-1, ap-northeast-2, ap-northeast-3)',
    );
    await rejectsWith(
      makeStrong(east, 'checks', ['us-east-1', 'us-west-2']),
      'ValidationException',
      'Cannot add or delete the local region through ReplicaUpdates. Use CreateTable, DeleteTable, or UpdateTable as required.',
    );
    await rejectsWith(
      east.send(new UpdateTableCommand({ TableName: 'checks', MultiRegionConsistency: 'STRONG', DeletionProtectionEnabled: true })),
      'ValidationException',
      `${INVALID}MultiRegionConsistency and GlobalTableWitnessUpdates can only be specified with ReplicaUpdates`,
    );
    const withWitness = (witness: string, consistency: 'STRONG' | 'EVENTUAL' = 'STRONG') =>
      east.send(
        new UpdateTableCommand({
          TableName: 'checks',
          MultiRegionConsistency: consistency,
          ReplicaUpdates: [{ Create: { RegionName: 'us-east-2' } }],
          GlobalTableWitnessUpdates: [{ Create: { RegionName: witness } }],
        }),
      );
    await rejectsWith(withWitness('us-east-2'), 'ValidationException', `${INVALID}The witness Region us-east-2 must differ from the Regions of the replicas`);
    await rejectsWith(
      withWitness('us-west-2', 'EVENTUAL'),
      'ValidationException',
      `${INVALID}A witness can only be added to a global table with multi-Region strong consistency`,
    );
    await rejectsWith(
      east.send(
        new UpdateTableCommand({
          TableName: 'checks',
          ReplicaUpdates: [{ Delete: { RegionName: 'us-east-2' } }],
          GlobalTableWitnessUpdates: [{ Delete: { RegionName: 'us-west-2' } }],
        }),
      ),
      'ValidationException',
      `${INVALID}Table checks has no witness in region us-west-2`,
    );
    await east.send(new PutItemCommand({ TableName: 'checks', Item: key('x') }));
    await rejectsWith(
      makeStrong(east, 'checks'),
      'ValidationException',
      `${INVALID}Table checks must be empty to become a global table with multi-Region strong consistency`,
    );

    await createTable(east, 'with-ttl');
    await east.send(new UpdateTimeToLiveCommand({ TableName: 'with-ttl', TimeToLiveSpecification: { AttributeName: 'exp', Enabled: true } }));
    await rejectsWith(
      makeStrong(east, 'with-ttl'),
      'ValidationException',
      `${INVALID}Multi-Region strong consistency is not supported for a table with Time to Live enabled`,
    );
    await createTable(east, 'with-lsi', {
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: 'l', AttributeType: 'S' },
      ],
      LocalSecondaryIndexes: [
        { IndexName: 'byL', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'l', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } },
      ],
    });
    await rejectsWith(
      makeStrong(east, 'with-lsi'),
      'ValidationException',
      `${INVALID}Multi-Region strong consistency is not supported for a table with local secondary indexes`,
    );
    // mrec is an EVENTUAL global table (first test): its mode cannot change.
    await rejectsWith(
      makeStrong(east, 'mrec', ['us-west-2']),
      'ValidationException',
      `${INVALID}The consistency mode of global table mrec cannot be changed: it has multi-Region eventual consistency`,
    );
    // Nothing was created by the refusals.
    const { Table } = await east.send(new DescribeTableCommand({ TableName: 'checks' }));
    assert.equal(Table?.Replicas, undefined);
    assert.equal(Table?.MultiRegionConsistency, undefined);
  });

  test('a STRONG table refuses transactions, TTL and new replicas, and its replicas are deleted together', async () => {
    const east = client('us-east-1');
    const TRANSACTIONS = `${INVALID}Transactions are not supported on table mrsc: it is a global table with multi-Region strong consistency`;
    await rejectsWith(
      east.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'mrsc', Item: key('t') } }] })),
      'ValidationException',
      TRANSACTIONS,
    );
    await rejectsWith(east.send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: 'mrsc', Key: key('t') } }] })), 'ValidationException', TRANSACTIONS);
    await rejectsWith(
      east.send(new ExecuteTransactionCommand({ TransactStatements: [{ Statement: `INSERT INTO "mrsc" VALUE {'pk': 't', 'sk': 'a'}` }] })),
      'ValidationException',
      TRANSACTIONS,
    );
    await rejectsWith(
      client('us-west-2').send(new UpdateTimeToLiveCommand({ TableName: 'mrsc', TimeToLiveSpecification: { AttributeName: 'exp', Enabled: true } })),
      'ValidationException',
      `${INVALID}Time to Live is not supported on table mrsc: it is a global table with multi-Region strong consistency`,
    );
    await rejectsWith(
      east.send(new UpdateTableCommand({ TableName: 'mrsc', ReplicaUpdates: [{ Create: { RegionName: 'eu-west-1' } }] })),
      'ValidationException',
      `${INVALID}Replicas cannot be added to global table mrsc: it has multi-Region strong consistency`,
    );
    await rejectsWith(
      east.send(new UpdateTableCommand({ TableName: 'mrsc', ReplicaUpdates: [{ Delete: { RegionName: 'us-east-2' } }] })),
      'ValidationException',
      `${INVALID}The other members of a global table with multi-Region strong consistency are deleted together: the request must delete us-east-2 and us-west-2`,
    );
    const { TableDescription } = await east.send(
      new UpdateTableCommand({
        TableName: 'mrsc',
        ReplicaUpdates: [{ Delete: { RegionName: 'us-east-2' } }, { Delete: { RegionName: 'us-west-2' } }],
      }),
    );
    assert.equal(TableDescription?.Replicas, undefined);
    assert.equal(TableDescription?.MultiRegionConsistency, undefined);
    await rejectsWith(client('us-east-2').send(new DescribeTableCommand({ TableName: 'mrsc' })), 'ResourceNotFoundException', 'Requested resource not found: Table: mrsc not found');
    // A single-region table again: transactions work.
    await east.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'mrsc', Item: key('t') } }] }));
  });
});

describe('across servers', () => {
  let root = '';
  let servers: RegionProcess[] = [];
  const running = killedAfterTests(async () => {
    for (const server of servers) server.client.destroy();
    if (root !== '') await rm(root, { recursive: true, force: true });
  });
  const server = (region: string): RegionProcess => servers.find((candidate) => candidate.region === region) as RegionProcess;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'cairn-mrsc-'));
    servers = await startRegionProcesses(root, REGIONS, running);
  });

  test('three servers: writes in each region are read at once with ConsistentRead in the others', async () => {
    const east = server('us-east-1').client;
    await createTable(east, 'orders');
    const { TableDescription } = await makeStrong(east, 'orders');
    assert.equal(TableDescription?.MultiRegionConsistency, 'STRONG');
    for (const region of REGIONS) {
      // A restarted peer grants nothing for a moment (item-grants.ts); a fresh one neither: poll the first write.
      await eventuallyPasses(async () => {
        await server(region).client.send(new PutItemCommand({ TableName: 'orders', Item: { ...key(region), by: { S: region } } }));
      }, 10_000);
      for (const reader of REGIONS) {
        assert.deepEqual(await consistentGet(server(reader).client, 'orders', key(region)), { ...key(region), by: { S: region } });
      }
    }
    const { Table: west } = await server('us-west-2').client.send(new DescribeTableCommand({ TableName: 'orders' }));
    assert.equal(west?.MultiRegionConsistency, 'STRONG');
  });

  test('concurrent increments from the three regions: each is applied or refused with a conflict, none is lost', async () => {
    let applied = 0;
    let conflicts = 0;
    // Rounds until writes of different regions met (at least one conflict), each round 10 writes per region.
    for (let round = 0; round < 10 && (conflicts === 0 || applied === 0); round++) {
      const results = await Promise.allSettled(
        REGIONS.flatMap((region) =>
          Array.from({ length: 10 }, () =>
            server(region).client.send(
              new UpdateItemCommand({
                TableName: 'orders',
                Key: key('counter'),
                UpdateExpression: 'ADD n :one',
                ExpressionAttributeValues: { ':one': { N: '1' } },
              }),
            ),
          ),
        ),
      );
      for (const result of results) {
        if (result.status === 'fulfilled') applied++;
        else {
          const error = result.reason as { name: string; message: string; $metadata: { httpStatusCode?: number } };
          assert.deepEqual([error.name, error.message, error.$metadata.httpStatusCode], ['ReplicatedWriteConflictException', CONFLICT, 400]);
          conflicts++;
        }
      }
    }
    assert.ok(conflicts > 0 && applied > 0, `applied ${applied}, conflicts ${conflicts}`);
    for (const region of REGIONS) {
      assert.deepEqual(await consistentGet(server(region).client, 'orders', key('counter')), { ...key('counter'), n: { N: String(applied) } });
    }
  });

  test('one region down still takes writes; two down refuse them and write nothing; the region back reads them at once', async () => {
    const east = (): DynamoDBClient => server('us-east-1').client;
    const put = (value: string) => east().send(new PutItemCommand({ TableName: 'orders', Item: { ...key('k'), v: { S: value } } }));
    await killServer(server('us-west-2'));
    await put('one down');
    assert.deepEqual(await consistentGet(server('us-east-2').client, 'orders', key('k')), { ...key('k'), v: { S: 'one down' } });

    await killServer(server('us-east-2'));
    await rejectsWith(put('two down'), 'InternalServerError', UNAVAILABLE('orders'), 500);
    await rejectsWith(consistentGet(east(), 'orders', key('k')), 'InternalServerError', UNAVAILABLE('orders'), 500);
    // Nothing of the refused write, in the region that took it (an eventually consistent read).
    const { Item } = await east().send(new GetItemCommand({ TableName: 'orders', Key: key('k') }));
    assert.deepEqual(Item, { ...key('k'), v: { S: 'one down' } });

    // us-west-2 returns: it reads the write it missed at once, and writes go on once its grants are given again.
    await restartServer(server('us-west-2'), running);
    assert.deepEqual(await consistentGet(server('us-west-2').client, 'orders', key('k')), { ...key('k'), v: { S: 'one down' } });
    await eventuallyPasses(() => put('back').then(() => undefined), 10_000);
    assert.deepEqual(await consistentGet(server('us-west-2').client, 'orders', key('k')), { ...key('k'), v: { S: 'back' } });
  });

  test('two replicas and a witness across servers: either replica and the witness are a majority', async () => {
    await restartServer(server('us-east-2'), running);
    const east = (): DynamoDBClient => server('us-east-1').client;
    const ohio = (): DynamoDBClient => server('us-east-2').client;
    await createTable(east(), 'ledger');
    const { TableDescription } = await east().send(
      new UpdateTableCommand({
        TableName: 'ledger',
        MultiRegionConsistency: 'STRONG',
        ReplicaUpdates: [{ Create: { RegionName: 'us-east-2' } }],
        GlobalTableWitnessUpdates: [{ Create: { RegionName: 'us-west-2' } }],
      }),
    );
    assert.deepEqual(TableDescription?.GlobalTableWitnesses, [{ RegionName: 'us-west-2', WitnessStatus: 'ACTIVE' }]);
    await rejectsWith(
      server('us-west-2').client.send(new DescribeTableCommand({ TableName: 'ledger' })),
      'ResourceNotFoundException',
      'Requested resource not found: Table: ledger not found',
    );
    const put = (client: DynamoDBClient, value: string) => client.send(new PutItemCommand({ TableName: 'ledger', Item: { ...key('l'), v: { S: value } } }));
    // us-east-2 was just restarted: its grants come back after a moment.
    await eventuallyPasses(() => put(east(), 'all up').then(() => undefined), 10_000);

    await killServer(server('us-east-2'));
    await put(east(), 'with the witness');
    await restartServer(server('us-east-2'), running);
    assert.deepEqual(await consistentGet(ohio(), 'ledger', key('l')), { ...key('l'), v: { S: 'with the witness' } });

    await killServer(server('us-east-1'));
    await eventuallyPasses(() => put(ohio(), 'from us-east-2').then(() => undefined), 10_000);
    assert.deepEqual(await consistentGet(ohio(), 'ledger', key('l')), { ...key('l'), v: { S: 'from us-east-2' } });
    await restartServer(server('us-east-1'), running);
    assert.deepEqual(await consistentGet(east(), 'ledger', key('l')), { ...key('l'), v: { S: 'from us-east-2' } });

    // The witness, killed and restarted, is still one: with us-east-2 down, us-east-1 writes with it.
    await killServer(server('us-west-2'));
    await restartServer(server('us-west-2'), running);
    await killServer(server('us-east-2'));
    await eventuallyPasses(() => put(east(), 'with the restarted witness').then(() => undefined), 10_000);
    assert.deepEqual(await consistentGet(east(), 'ledger', key('l')), { ...key('l'), v: { S: 'with the restarted witness' } });
  });
});
