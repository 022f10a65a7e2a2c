/**
 * Durability through the wire: a Cairn process is killed with SIGKILL while 32 clients write; after a restart on
 * the same data directory every acknowledged write is there, and no counter holds more increments than were sent.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { hashKeyTable } from '../helpers/tables.js';
import { spawnCairn } from '../helpers/cairn-process.js';

const WRITERS = 32;
const KILL_AFTER_ACKS = 600;
const TABLE = 'crash';

let dataDir = '';
after(async () => {
  if (dataDir !== '') await rm(dataDir, { recursive: true, force: true });
});

test('every acknowledged write survives kill -9', async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'cairn-crash-'));
  const first = await spawnCairn(['--data', dataDir]);
  await first.client.send(
    new CreateTableCommand(hashKeyTable(TABLE)),
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
          await first.client.send(new PutItemCommand({ TableName: TABLE, Item: { id: { S: id }, n: { N: String(n) } } }));
          acknowledgedPuts.push(id);
        } else {
          sentIncrements[w] = (sentIncrements[w] ?? 0) + 1;
          await first.client.send(
            new UpdateItemCommand({
              TableName: TABLE,
              Key: { id: { S: `counter-${w}` } },
              UpdateExpression: 'ADD hits :one',
              ExpressionAttributeValues: { ':one': { N: '1' } },
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
  await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
  assert.equal(killed, true, 'the writers reached the kill point');
  assert.equal(await first.exited, 'SIGKILL');
  first.client.destroy();

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
  } finally {
    second.child.kill('SIGTERM');
    assert.equal(await second.exited, 0);
    second.client.destroy();
  }
});
