/**
 * Three Cairn processes (the CLI, `--postgres`) serving one PostgreSQL database, with 16 clients spread over them:
 * transfers keep the total and never overdraw, counters are exact, a condition-guarded log never duplicates an
 * entry, a GSI equals a Scan, every acknowledged change is in the stream once and in commit order, a transaction's
 * ClientRequestToken is honoured by every process, kill -9 of one process loses nothing acknowledged and its
 * leases move to the others within seconds, and a PostgreSQL restarted under load is reconnected to with every
 * acknowledged write kept.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type AttributeValue,
  type ScanCommandOutput,
  type TransactWriteItemsCommandInput,
} from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, type _Record as StreamRecord } from '@aws-sdk/client-dynamodb-streams';
import { spawnCairn, killedAfterTests, type CairnProcess } from '../helpers/cairn-process.js';
import { postgresUnavailable, startPostgres, type PostgresServer } from '../helpers/postgres-server.js';
import { eventuallyPasses } from '../helpers/eventually.js';
import { rejectsWith } from '../helpers/assertions.js';
import { PostgresStorage } from '../../src/storage/postgres/postgres-storage.js';
import { isLeaseRecord, LEASE_SPACE } from '../../src/engine/leases.js';

const skip = postgresUnavailable();
const s = (value: string): AttributeValue => ({ S: value });
const n = (value: number | string): AttributeValue => ({ N: String(value) });
const LEASE_PERIOD_MS = 1000;
const CLIENTS = 16;
const ACCOUNTS = 10;
const OPENING_BALANCE = 100;

let postgres: PostgresServer;
let databaseUrl: string;
let inspector: PostgresStorage;
const processes = killedAfterTests(async () => {
  await inspector?.close();
  await postgres?.stop();
});
/** Clients of the live processes; a client is a (process, SDK client) pair. */
const clients: { cairn: CairnProcess; client: DynamoDBClient }[] = [];

function startProcess(): Promise<CairnProcess> {
  return spawnCairn(['--postgres', databaseUrl, '--lease-period-ms', String(LEASE_PERIOD_MS), '--ttl-sweep-ms', '100'], 20_000);
}

function clientOf(cairn: CairnProcess): DynamoDBClient {
  return new DynamoDBClient({ region: 'us-east-1', endpoint: cairn.url, credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' }, maxAttempts: 1 });
}

/** The client of position `i`, among the live processes' clients (16, spread over the processes). */
function clientAt(i: number): DynamoDBClient {
  const live = clients.filter(({ cairn }) => cairn.child.exitCode === null && cairn.child.signalCode === null);
  // Only the process the test kills may be gone: say why the others went.
  if (live.length === 0) throw new Error(`no Cairn process is running:\n${processes.map((cairn) => cairn.stderr()).join('\n')}`);
  return (live[i % live.length] as (typeof clients)[number]).client;
}

function spreadClients(): void {
  for (const { client } of clients.splice(0)) client.destroy();
  const live = processes.filter((cairn) => cairn.child.exitCode === null && cairn.child.signalCode === null);
  for (let i = 0; i < CLIENTS; i++) {
    const cairn = live[i % live.length] as CairnProcess;
    clients.push({ cairn, client: clientOf(cairn) });
  }
}

/** Whether an error is an answer DynamoDB gives for a request that may be retried as it is (not a refusal). */
function retriable(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return status === undefined || status >= 500;
}

/** Sends until an answer that is not a 500 nor a connection failure, moving to the next client each time. */
async function sendRetrying<T>(position: number, send: (client: DynamoDBClient) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await send(clientAt(position + attempt));
    } catch (error) {
      if (!retriable(error) || attempt >= 200) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(200, 5 * (attempt + 1))));
    }
  }
}

async function scanAll(client: DynamoDBClient, input: { TableName: string; IndexName?: string }): Promise<Record<string, AttributeValue>[]> {
  const items: Record<string, AttributeValue>[] = [];
  let start: ScanCommandOutput['LastEvaluatedKey'];
  do {
    const page = await client.send(new ScanCommand({ ...input, ConsistentRead: input.IndexName === undefined, ...(start ? { ExclusiveStartKey: start } : {}) }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return items;
}

/** Every record of a stream in sequence order, read through `endpoint`. */
async function streamRecords(endpoint: string, streamArn: string): Promise<StreamRecord[]> {
  const streams = new DynamoDBStreamsClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' }, maxAttempts: 1 });
  try {
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    const records: StreamRecord[] = [];
    for (const shard of StreamDescription?.Shards ?? []) {
      let iterator = (await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
      while (iterator !== undefined) {
        const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
        records.push(...(page.Records ?? []));
        if ((page.Records ?? []).length === 0) break;
        iterator = page.NextShardIterator;
      }
    }
    return records;
  } finally {
    streams.destroy();
  }
}

/** The live holder of each lease, as stored in PostgreSQL. */
async function leaseHolders(): Promise<Map<string, string>> {
  const holders = new Map<string, string>();
  for await (const { key, value } of inspector.range(LEASE_SPACE)) {
    if (isLeaseRecord(value) && value.expiresAt > Date.now()) holders.set(new TextDecoder().decode(key), value.holder);
  }
  return holders;
}

const BACKGROUND_LEASES = ['periodic', 'table-jobs', 'replication'];
let firstHolder: string;
let accountsStream: string;
let counterStream: string;

before(async () => {
  if (skip !== undefined) return;
  postgres = await startPostgres();
  databaseUrl = await postgres.createDatabase();
  // The first process alone takes every lease, so that killing it later moves them all.
  processes.push(await startProcess());
  inspector = await PostgresStorage.open({ url: databaseUrl });
  await eventuallyPasses(async () => {
    const holders = await leaseHolders();
    assert.deepEqual([...holders.keys()].sort(), [...BACKGROUND_LEASES].sort());
    assert.equal(new Set(holders.values()).size, 1);
    firstHolder = holders.get('periodic') as string;
  }, 10_000);
  processes.push(await startProcess(), await startProcess());
  spreadClients();

  const admin = clientAt(0);
  const created = await admin.send(
    new CreateTableCommand({
      TableName: 'accounts',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [
        { AttributeName: 'id', AttributeType: 'S' },
        { AttributeName: 'grp', AttributeType: 'S' },
      ],
      GlobalSecondaryIndexes: [{ IndexName: 'byGroup', KeySchema: [{ AttributeName: 'grp', KeyType: 'HASH' }, { AttributeName: 'id', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
  accountsStream = created.TableDescription?.LatestStreamArn as string;
  const counters = await clientAt(1).send(
    new CreateTableCommand({
      TableName: 'counters',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    }),
  );
  counterStream = counters.TableDescription?.LatestStreamArn as string;
  await clientAt(2).send(
    new CreateTableCommand({
      TableName: 'log',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'seq', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'seq', AttributeType: 'N' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  // Each account written through another process than the one that created the table.
  for (let i = 0; i < ACCOUNTS; i++) {
    await clientAt(i + 1).send(new PutItemCommand({ TableName: 'accounts', Item: { id: s(`a${i}`), grp: s(`g${i % 3}`), balance: n(OPENING_BALANCE) } }));
  }
});

after(() => {
  for (const { client } of clients) client.destroy();
});

describe('three Cairn processes on one PostgreSQL database', { skip }, () => {
  test('400 concurrent transfers keep the total and never overdraw; the GSI equals a Scan; the stream has every change once, in order', async () => {
    let committed = 0;
    let refused = 0;
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, clientIndex) => {
        for (let j = 0; j < 400 / CLIENTS; j++) {
          const from = (clientIndex * 7 + j * 3) % ACCOUNTS;
          const to = (from + 1 + ((clientIndex + j) % (ACCOUNTS - 1))) % ACCOUNTS;
          const amount = 1 + ((clientIndex * 13 + j * 17) % 60);
          const input: TransactWriteItemsCommandInput = {
            ClientRequestToken: `transfer-${clientIndex}-${j}`,
            TransactItems: [
              {
                Update: {
                  TableName: 'accounts',
                  Key: { id: s(`a${from}`) },
                  UpdateExpression: 'SET balance = balance - :amount',
                  ConditionExpression: 'balance >= :amount',
                  ExpressionAttributeValues: { ':amount': n(amount) },
                },
              },
              { Update: { TableName: 'accounts', Key: { id: s(`a${to}`) }, UpdateExpression: 'SET balance = balance + :amount', ExpressionAttributeValues: { ':amount': n(amount) } } },
            ],
          };
          try {
            // A retry after a 500 carries the same token, and may reach another process: applied once all the same.
            await sendRetrying(clientIndex, (client) => client.send(new TransactWriteItemsCommand(input)));
            committed++;
          } catch (error) {
            assert.equal((error as Error).name, 'TransactionCanceledException');
            refused++;
          }
        }
      }),
    );
    assert.equal(committed + refused, 400);
    assert.ok(committed > 200, `${committed} transfers committed`);
    const accounts = await scanAll(clientAt(5), { TableName: 'accounts' });
    const balances = accounts.map((item) => Number(item.balance?.N));
    assert.equal(balances.length, ACCOUNTS);
    assert.equal(
      balances.reduce((sum, balance) => sum + balance, 0),
      ACCOUNTS * OPENING_BALANCE,
    );
    for (const balance of balances) assert.ok(balance >= 0, `balance ${balance}`);

    const indexed = await scanAll(clientAt(6), { TableName: 'accounts', IndexName: 'byGroup' });
    const byId = (items: Record<string, AttributeValue>[]): Record<string, AttributeValue>[] =>
      [...items].sort((a, b) => (a.id?.S as string).localeCompare(b.id?.S as string));
    assert.deepEqual(byId(indexed), byId(accounts));

    // Every committed transfer changed two accounts: two MODIFY records each (and one INSERT per opening), in
    // commit order: replaying the images in sequence order ends at the balances read above, and each record's old
    // image is the new image of the account's previous record.
    const records = await streamRecords(clients[7]?.cairn.url as string, accountsStream);
    assert.equal(records.length, ACCOUNTS + 2 * committed);
    const sequences = records.map((record) => BigInt(record.dynamodb?.SequenceNumber as string));
    for (let i = 1; i < sequences.length; i++) assert.ok((sequences[i] as bigint) > (sequences[i - 1] as bigint));
    const last = new Map<string, string>();
    for (const record of records) {
      const id = record.dynamodb?.Keys?.id?.S as string;
      if (record.eventName === 'MODIFY') assert.equal(record.dynamodb?.OldImage?.balance?.N, last.get(id), `record ${record.dynamodb?.SequenceNumber}`);
      last.set(id, record.dynamodb?.NewImage?.balance?.N as string);
    }
    for (const item of accounts) assert.equal(last.get(item.id?.S as string), item.balance?.N);
  });

  test('counters are exact, and the stream holds each increment once, in commit order', async () => {
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, clientIndex) => {
        for (let j = 0; j < 25; j++) {
          // No retry: an increment is not idempotent, and nothing here is expected to fail.
          await clientAt(clientIndex).send(
            new UpdateItemCommand({ TableName: 'counters', Key: { id: s('hits') }, UpdateExpression: 'ADD v :one', ExpressionAttributeValues: { ':one': n(1) } }),
          );
        }
      }),
    );
    const { Item } = await clientAt(3).send(new GetItemCommand({ TableName: 'counters', Key: { id: s('hits') }, ConsistentRead: true }));
    assert.equal(Item?.v?.N, String(CLIENTS * 25));
    const records = await streamRecords(clients[4]?.cairn.url as string, counterStream);
    assert.deepEqual(
      records.map((record) => record.dynamodb?.NewImage?.v?.N),
      Array.from({ length: CLIENTS * 25 }, (_, i) => String(i + 1)),
    );
  });

  test('a condition-guarded append log never duplicates an entry', async () => {
    const PER_CLIENT = 8;
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, clientIndex) => {
        for (let j = 0; j < PER_CLIENT; j++) {
          for (;;) {
            const client = clientAt(clientIndex);
            const { Items } = await client.send(
              new QueryCommand({ TableName: 'log', KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': s('log') }, ScanIndexForward: false, Limit: 1 }),
            );
            const next = Number(Items?.[0]?.seq?.N ?? '0') + 1;
            try {
              await client.send(
                new PutItemCommand({ TableName: 'log', Item: { pk: s('log'), seq: n(next), entry: s(`${clientIndex}/${j}`) }, ConditionExpression: 'attribute_not_exists(seq)' }),
              );
              break;
            } catch (error) {
              assert.equal((error as Error).name, 'ConditionalCheckFailedException');
            }
          }
        }
      }),
    );
    const entries = await scanAll(clientAt(9), { TableName: 'log' });
    assert.deepEqual(
      entries.map((item) => Number(item.seq?.N)).sort((a, b) => a - b),
      Array.from({ length: CLIENTS * PER_CLIENT }, (_, i) => i + 1),
    );
    assert.equal(new Set(entries.map((item) => item.entry?.S)).size, CLIENTS * PER_CLIENT);
  });

  test('a GSI added through one process while the others write is maintained by every write, and equals a Scan', async () => {
    await clientAt(0).send(
      new CreateTableCommand({ TableName: 'growing', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }),
    );
    let adding = true;
    const writes = Promise.all(
      Array.from({ length: CLIENTS }, async (_, clientIndex) => {
        // Each client rewrites its own items (moving their index key) until the index is ACTIVE, and once more.
        for (let round = 0; adding || round < 2; round++) {
          for (let j = 0; j < 3; j++) {
            await clientAt(clientIndex).send(new PutItemCommand({ TableName: 'growing', Item: { id: s(`c${clientIndex}-${j}`), g: s(`r${round % 4}`) } }));
          }
          if (!adding) break;
        }
      }),
    );
    try {
      await clientAt(1).send(
        new UpdateTableCommand({
          TableName: 'growing',
          AttributeDefinitions: [
            { AttributeName: 'id', AttributeType: 'S' },
            { AttributeName: 'g', AttributeType: 'S' },
          ],
          GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }, { AttributeName: 'id', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } } }],
        }),
      );
      await eventuallyPasses(async () => {
        const { Table } = await clientAt(2).send(new DescribeTableCommand({ TableName: 'growing' }));
        assert.equal(Table?.GlobalSecondaryIndexes?.[0]?.IndexStatus, 'ACTIVE');
      }, 20_000);
    } finally {
      adding = false;
      await writes;
    }
    const items = await scanAll(clientAt(3), { TableName: 'growing' });
    const indexed = await scanAll(clientAt(4), { TableName: 'growing', IndexName: 'byG' });
    const sorted = (list: Record<string, AttributeValue>[]): string[] => list.map((item) => `${item.id?.S}=${item.g?.S}`).sort();
    assert.equal(items.length, CLIENTS * 3);
    assert.deepEqual(sorted(indexed), sorted(items));
  });

  test('a ClientRequestToken is honoured by every process', async () => {
    const input: TransactWriteItemsCommandInput = {
      ClientRequestToken: 'once-across-processes',
      TransactItems: [{ Update: { TableName: 'counters', Key: { id: s('token') }, UpdateExpression: 'ADD v :one', ExpressionAttributeValues: { ':one': n(1) } } }],
    };
    for (const cairn of processes) await clientOf(cairn).send(new TransactWriteItemsCommand(input));
    const { Item } = await clientAt(0).send(new GetItemCommand({ TableName: 'counters', Key: { id: s('token') } }));
    assert.equal(Item?.v?.N, '1');
    const other = clientOf(processes[2] as CairnProcess);
    await rejectsWith(
      other.send(new TransactWriteItemsCommand({ ...input, TransactItems: [{ Update: { ...input.TransactItems?.[0]?.Update, ExpressionAttributeValues: { ':one': n(2) } } as never }] })),
      'IdempotentParameterMismatchException',
      'The request uses the same client token as a previous, but non-identical request.',
    );
    other.destroy();
  });

  test('kill -9 of one process loses nothing acknowledged, and its leases move within seconds', async () => {
    await clientAt(0).send(new CreateTableCommand({ TableName: 'expiring', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }));
    await clientAt(1).send(new UpdateTimeToLiveCommand({ TableName: 'expiring', TimeToLiveSpecification: { Enabled: true, AttributeName: 'exp' } }));
    const acknowledged: string[] = [];
    let killed = false;
    const victim = processes[0] as CairnProcess;
    const load = Promise.all(
      Array.from({ length: CLIENTS }, async (_, clientIndex) => {
        for (let j = 0; j < 30; j++) {
          const id = `k${clientIndex}-${j}`;
          // A put is idempotent: retried (on another process) until acknowledged.
          await sendRetrying(clientIndex, (client) => client.send(new PutItemCommand({ TableName: 'expiring', Item: { id: s(id), keep: s('yes') } })));
          acknowledged.push(id);
          if (!killed && acknowledged.length >= 100) {
            killed = true;
            victim.child.kill('SIGKILL');
          }
        }
      }),
    );
    await load;
    await victim.exited;
    const killedAt = Date.now();
    const items = await scanAll(clientAt(2), { TableName: 'expiring' });
    assert.deepEqual(new Set(items.map((item) => item.id?.S)), new Set(acknowledged));

    // The dead process held every background lease; the others take them over once they expire.
    await eventuallyPasses(async () => {
      const holders = await leaseHolders();
      for (const lease of BACKGROUND_LEASES) {
        assert.ok(holders.has(lease), `lease ${lease} is held`);
        assert.notEqual(holders.get(lease), firstHolder, `lease ${lease} moved`);
      }
    }, 4 * LEASE_PERIOD_MS);
    assert.ok(Date.now() - killedAt < 5 * LEASE_PERIOD_MS);
    // The sweeper runs again, in a surviving process.
    const past = Math.floor(Date.now() / 1000) - 5;
    await clientAt(3).send(new PutItemCommand({ TableName: 'expiring', Item: { id: s('expired'), exp: n(past) } }));
    await eventuallyPasses(async () => {
      const { Item } = await clientAt(4).send(new GetItemCommand({ TableName: 'expiring', Key: { id: s('expired') } }));
      assert.equal(Item, undefined);
    }, 5000);
  });

  test('PostgreSQL restarted under load: Cairn reconnects, and every acknowledged write is there', async () => {
    spreadClients();
    const acknowledged: string[] = [];
    let restarted = false;
    const load = Promise.all(
      Array.from({ length: CLIENTS }, async (_, clientIndex) => {
        for (let j = 0; j < 30; j++) {
          const id = `r${clientIndex}-${j}`;
          await sendRetrying(clientIndex, (client) => client.send(new PutItemCommand({ TableName: 'expiring', Item: { id: s(id) } })));
          acknowledged.push(id);
          if (!restarted && acknowledged.length >= 100) {
            restarted = true;
            await postgres.stopServer();
            await postgres.start();
          }
        }
      }),
    );
    await load;
    assert.ok(restarted);
    for (const [position, id] of acknowledged.entries()) {
      const { Item } = await sendRetrying(position, (client) => client.send(new GetItemCommand({ TableName: 'expiring', Key: { id: s(id) } })));
      assert.equal(Item?.id?.S, id);
    }
  });
});
