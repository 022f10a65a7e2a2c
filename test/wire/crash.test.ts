/**
 * Durability through the wire: a Cairn process is killed with SIGKILL while 32 clients write; after a restart on
 * the same data directory every acknowledged write is there, no counter holds more increments than were sent, and
 * the table's global secondary index agrees exactly with its items (entries are committed with their items).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { hashKeyTable } from '../helpers/tables.js';
import { spawnCairn } from '../helpers/cairn-process.js';

const WRITERS = 32;
const KILL_AFTER_ACKS = 600;
const TABLE = 'crash';
const GROUPS = 5;

type Item = Record<string, AttributeValue>;

async function pages(send: (start: Item | undefined) => Promise<{ Items?: Item[]; LastEvaluatedKey?: Item }>): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const page = await send(start);
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return items;
}

/** Every item with a group is in the index under that group, nothing else is, and the index counts agree. */
async function assertIndexMatchesTable(client: DynamoDBClient): Promise<void> {
  const items = await pages((start) => client.send(new ScanCommand({ TableName: TABLE, ...(start ? { ExclusiveStartKey: start } : {}) })));
  let indexed = 0;
  for (let group = 0; group < GROUPS; group++) {
    const g = `g${group}`;
    const entries = await pages((start) =>
      client.send(
        new QueryCommand({
          TableName: TABLE,
          IndexName: 'byGroup',
          KeyConditionExpression: 'g = :g',
          ExpressionAttributeValues: { ':g': { S: g } },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      ),
    );
    const expected = items.filter((item) => item.g?.S === g).map((item) => item.id?.S).sort();
    assert.deepEqual(entries.map((entry) => entry.id?.S).sort(), expected, `index partition ${g}`);
    indexed += entries.length;
  }
  const { Table } = await client.send(new DescribeTableCommand({ TableName: TABLE }));
  assert.equal(Table?.ItemCount, items.length);
  assert.equal(Table?.GlobalSecondaryIndexes?.[0]?.ItemCount, indexed);
}

let dataDir = '';
after(async () => {
  if (dataDir !== '') await rm(dataDir, { recursive: true, force: true });
});

test('every acknowledged write survives kill -9', async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'cairn-crash-'));
  const first = await spawnCairn(['--data', dataDir]);
  const table = hashKeyTable(TABLE);
  await first.client.send(
    new CreateTableCommand({
      ...table,
      AttributeDefinitions: [...(table.AttributeDefinitions ?? []), { AttributeName: 'g', AttributeType: 'S' }],
      GlobalSecondaryIndexes: [
        { IndexName: 'byGroup', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
      ],
    }),
  );

  const acknowledgedPuts: string[] = [];
  const acknowledgedIncrements = new Array<number>(WRITERS).fill(0);
  const sentIncrements = new Array<number>(WRITERS).fill(0);
  let acks = 0;
  let killed = false;
  const deadline = Date.now() + 20_000;

  const writer = async (w: number): Promise<void> => {
    for (let n = 0; !killed && Date.now() < deadline; n++) {
      try {
        if (n % 2 === 0) {
          const id = `w${w}-${n}`;
          await first.client.send(
            new PutItemCommand({ TableName: TABLE, Item: { id: { S: id }, n: { N: String(n) }, g: { S: `g${n % GROUPS}` } } }),
          );
          acknowledgedPuts.push(id);
        } else {
          sentIncrements[w] = (sentIncrements[w] ?? 0) + 1;
          await first.client.send(
            new UpdateItemCommand({
              TableName: TABLE,
              Key: { id: { S: `counter-${w}` } },
              // Each increment also moves the counter to another index partition.
              UpdateExpression: 'ADD hits :one SET g = :g',
              ExpressionAttributeValues: { ':one': { N: '1' }, ':g': { S: `g${n % GROUPS}` } },
            }),
          );
          acknowledgedIncrements[w] = (acknowledgedIncrements[w] ?? 0) + 1;
        }
        if (++acks >= KILL_AFTER_ACKS && !killed) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      } catch {
        return; // the connection died with the process: this write was not acknowledged
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
  } finally {
    // Also when the writers fell short of the kill point: a process left running would keep this file from ending.
    if (!killed) first.child.kill('SIGKILL');
    first.client.destroy();
  }
  assert.equal(killed, true, 'the writers reached the kill point');
  assert.equal(await first.exited, 'SIGKILL');

  const second = await spawnCairn(['--data', dataDir]);
  try {
    for (const id of acknowledgedPuts) {
      const { Item } = await second.client.send(new GetItemCommand({ TableName: TABLE, Key: { id: { S: id } } }));
      assert.ok(Item !== undefined, `acknowledged put ${id} is present`);
    }
    for (let w = 0; w < WRITERS; w++) {
      const { Item } = await second.client.send(new GetItemCommand({ TableName: TABLE, Key: { id: { S: `counter-${w}` } } }));
      const hits = Item === undefined ? 0 : Number((Item.hits as { N: string }).N);
      assert.ok(hits >= (acknowledgedIncrements[w] ?? 0), `counter ${w}: ${hits} >= acknowledged`);
      assert.ok(hits <= (sentIncrements[w] ?? 0), `counter ${w}: ${hits} <= sent`);
    }
    assert.ok(acknowledgedPuts.length > 100);
    await assertIndexMatchesTable(second.client);
  } finally {
    second.child.kill('SIGTERM');
    assert.equal(await second.exited, 0);
    second.client.destroy();
  }
});
