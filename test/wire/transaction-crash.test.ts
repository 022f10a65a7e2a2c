/**
 * Transactions through kill -9: a Cairn process is killed with SIGKILL while 24 clients send transactions —
 * transfers between accounts (two Updates and the Put of a transfer record, with a ClientRequestToken of their
 * own) and batches (a marker item in one table and its parts in another, all Puts of one transaction; the SDK
 * gives each a fresh token). After a restart on the same data directory:
 * - every acknowledged transaction is whole: its transfer record, or its marker and every part, are there;
 * - no transaction is half-applied: each batch is all there or not at all, every transfer record present is a
 *   transfer that was sent (and not cancelled), and the records present explain every balance exactly, so the
 *   total is unchanged and no balance is negative;
 * - a transfer whose answer was lost, sent again with its token, is applied once: replayed if it had committed
 *   (its token record committed with it), applied now if it had not.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  PutItemCommand,
  ScanCommand,
  TransactWriteItemsCommand,
  type AttributeValue,
  type CancellationReason,
  type DynamoDBClient,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { compositeKeyTable, hashKeyTable } from '../helpers/tables.js';
import { clientFor, spawnCairn } from '../helpers/cairn-process.js';

const WRITERS = 24;
const KILL_AFTER_ACKS = 800;
const ACCOUNTS = 8;
const INITIAL_BALANCE = 1000;
const TOTAL = ACCOUNTS * INITIAL_BALANCE;
/** Where the transfer record's Put sits among a transfer's actions (after the two Updates). */
const RECORD_POSITION = 2;

type Item = Record<string, AttributeValue>;

interface Transfer {
  readonly id: string;
  readonly from: number;
  readonly to: number;
  readonly amount: number;
}

const s = (value: string): AttributeValue => ({ S: value });
const n = (value: number): AttributeValue => ({ N: String(value) });
const accountId = (account: number): string => `account-${account}`;
const numberOf = (item: Item | undefined, attribute: string): number => Number(item?.[attribute]?.N ?? Number.NaN);

function transferActions(transfer: Transfer): TransactWriteItem[] {
  const amount = { ':x': n(transfer.amount) };
  return [
    {
      Update: {
        TableName: 'accounts',
        Key: { id: s(accountId(transfer.from)) },
        UpdateExpression: 'SET balance = balance - :x',
        ConditionExpression: 'balance >= :x',
        ExpressionAttributeValues: amount,
      },
    },
    {
      Update: {
        TableName: 'accounts',
        Key: { id: s(accountId(transfer.to)) },
        UpdateExpression: 'SET balance = balance + :x',
        ExpressionAttributeValues: amount,
      },
    },
    {
      Put: {
        TableName: 'transfers',
        Item: { id: s(transfer.id), from: n(transfer.from), to: n(transfer.to), amount: n(transfer.amount) },
        ConditionExpression: 'attribute_not_exists(id)',
      },
    },
  ];
}

/** A batch: its marker (in `markers`) says how many parts it has; the parts (in `parts`) are 1..count. */
function batchActions(id: string, count: number): TransactWriteItem[] {
  const parts: TransactWriteItem[] = Array.from({ length: count }, (_, i) => ({
    Put: { TableName: 'parts', Item: { pk: s(id), sk: n(i + 1), of: n(count), data: s('x'.repeat(200)) } },
  }));
  return [{ Put: { TableName: 'markers', Item: { id: s(id), parts: n(count) } } }, ...parts];
}

function cancellationReasons(error: unknown): CancellationReason[] | undefined {
  const failure = error as { name?: string; CancellationReasons?: CancellationReason[] };
  return failure.name === 'TransactionCanceledException' ? (failure.CancellationReasons ?? []) : undefined;
}

async function scanAll(client: DynamoDBClient, table: string): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: table, ...(start !== undefined ? { ExclusiveStartKey: start } : {}) }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return items;
}

/** Every balance is what the transfer records present say, so the total is unchanged and none is negative. */
async function assertBalancesExplained(client: DynamoDBClient, sent: ReadonlyMap<string, Transfer>): Promise<Set<string>> {
  const records = await scanAll(client, 'transfers');
  const expected = new Array<number>(ACCOUNTS).fill(INITIAL_BALANCE);
  const present = new Set<string>();
  for (const record of records) {
    const id = record.id?.S ?? '';
    const transfer = sent.get(id);
    assert.ok(transfer !== undefined, `transfer record ${id} was never sent`);
    assert.deepEqual(
      [numberOf(record, 'from'), numberOf(record, 'to'), numberOf(record, 'amount')],
      [transfer.from, transfer.to, transfer.amount],
      `transfer record ${id}`,
    );
    present.add(id);
    expected[transfer.from] = (expected[transfer.from] ?? 0) - transfer.amount;
    expected[transfer.to] = (expected[transfer.to] ?? 0) + transfer.amount;
  }
  const balances = new Array<number>(ACCOUNTS).fill(Number.NaN);
  for (const account of await scanAll(client, 'accounts')) {
    balances[Number((account.id?.S ?? '').slice('account-'.length))] = numberOf(account, 'balance');
  }
  assert.deepEqual(balances, expected, 'the transfer records present explain every balance');
  assert.equal(balances.reduce((sum, balance) => sum + balance, 0), TOTAL);
  assert.ok(balances.every((balance) => balance >= 0), `no balance is negative: ${balances.join(', ')}`);
  return present;
}

let dataDir = '';
after(async () => {
  if (dataDir !== '') await rm(dataDir, { recursive: true, force: true });
});

test('acknowledged transactions survive kill -9 whole, and none is half-applied', async (t) => {
  dataDir = await mkdtemp(join(tmpdir(), 'cairn-tx-crash-'));
  const first = await spawnCairn(['--data', dataDir]);
  await first.client.send(new CreateTableCommand(hashKeyTable('accounts')));
  await first.client.send(new CreateTableCommand(hashKeyTable('transfers')));
  await first.client.send(new CreateTableCommand(hashKeyTable('markers')));
  await first.client.send(new CreateTableCommand(compositeKeyTable('parts', 'N')));
  for (let account = 0; account < ACCOUNTS; account++) {
    await first.client.send(new PutItemCommand({ TableName: 'accounts', Item: { id: s(accountId(account)), balance: n(INITIAL_BALANCE) } }));
  }

  const sentTransfers = new Map<string, Transfer>();
  const acknowledgedTransfers = new Set<string>();
  const cancelledTransfers = new Set<string>();
  const sentBatches = new Map<string, number>();
  const acknowledgedBatches = new Set<string>();
  let acks = 0;
  let killed = false;
  const deadline = Date.now() + 15_000;
  const clients = Array.from({ length: WRITERS }, () => clientFor(first.url));

  const writer = async (w: number): Promise<void> => {
    const client = clients[w] as DynamoDBClient;
    // Writers go on past the kill until their connection fails, so that transactions are in flight as it dies.
    for (let k = 0; Date.now() < deadline; k++) {
      // Deterministic per writer and step; which of them are in flight at the kill is not.
      const id = `w${w}-${k}`;
      try {
        if (k % 2 === 0) {
          const from = (w + k) % ACCOUNTS;
          const transfer: Transfer = { id, from, to: (from + 1 + (k % (ACCOUNTS - 1))) % ACCOUNTS, amount: 1 + ((w * 37 + k * 11) % 300) };
          sentTransfers.set(id, transfer);
          try {
            await client.send(new TransactWriteItemsCommand({ TransactItems: transferActions(transfer), ClientRequestToken: id }));
            acknowledgedTransfers.add(id);
          } catch (error) {
            const reasons = cancellationReasons(error);
            if (reasons === undefined) throw error;
            // Only the source's balance can stop a transfer.
            assert.deepEqual(
              reasons.map((reason) => reason.Code),
              ['ConditionalCheckFailed', 'None', 'None'],
            );
            cancelledTransfers.add(id);
            continue;
          }
        } else {
          const count = 2 + ((w + k) % 11);
          sentBatches.set(id, count);
          await client.send(new TransactWriteItemsCommand({ TransactItems: batchActions(id, count) }));
          acknowledgedBatches.add(id);
        }
        if (++acks >= KILL_AFTER_ACKS && !killed) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      } catch (error) {
        if (error instanceof assert.AssertionError) throw error;
        return; // the connection died with the process: this transaction was not acknowledged
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
  } finally {
    if (!killed) first.child.kill('SIGKILL');
    for (const client of clients) client.destroy();
    first.client.destroy();
  }
  assert.equal(killed, true, 'the writers reached the kill point');
  assert.equal(await first.exited, 'SIGKILL');
  assert.ok(acknowledgedTransfers.size > 50 && acknowledgedBatches.size > 50, 'both kinds of transaction were acknowledged');

  const second = await spawnCairn(['--data', dataDir]);
  try {
    // Batches: each one found is whole, and each acknowledged one is found.
    const markers = new Map<string, number>();
    for (const marker of await scanAll(second.client, 'markers')) markers.set(marker.id?.S ?? '', numberOf(marker, 'parts'));
    const parts = new Map<string, number[]>();
    for (const part of await scanAll(second.client, 'parts')) {
      const id = part.pk?.S ?? '';
      assert.equal(numberOf(part, 'of'), sentBatches.get(id), `part of batch ${id}`);
      parts.set(id, [...(parts.get(id) ?? []), numberOf(part, 'sk')]);
    }
    for (const id of new Set([...markers.keys(), ...parts.keys()])) {
      const count = sentBatches.get(id);
      assert.ok(count !== undefined, `batch ${id} was never sent`);
      assert.equal(markers.get(id), count, `batch ${id}: marker present with its count`);
      assert.deepEqual(
        [...(parts.get(id) ?? [])].sort((a, b) => a - b),
        Array.from({ length: count }, (_, i) => i + 1),
        `batch ${id}: all of its parts, or none of the batch`,
      );
    }
    for (const id of acknowledgedBatches) assert.ok(markers.has(id), `acknowledged batch ${id} is there`);

    // Transfers: all or nothing (the records explain the balances), acknowledged ones present, cancelled ones absent.
    const applied = await assertBalancesExplained(second.client, sentTransfers);
    for (const id of acknowledgedTransfers) assert.ok(applied.has(id), `acknowledged transfer ${id} is there`);
    for (const id of cancelledTransfers) assert.ok(!applied.has(id), `cancelled transfer ${id} is not`);

    // The transfers whose answers were lost, sent again with their tokens: each applies once.
    const unanswered = [...sentTransfers.values()].filter(
      (transfer) => !acknowledgedTransfers.has(transfer.id) && !cancelledTransfers.has(transfer.id),
    );
    let replayed = 0;
    let appliedNow = 0;
    for (const transfer of unanswered) {
      try {
        await second.client.send(new TransactWriteItemsCommand({ TransactItems: transferActions(transfer), ClientRequestToken: transfer.id }));
        if (applied.has(transfer.id)) replayed++;
        else appliedNow++;
      } catch (error) {
        const reasons = cancellationReasons(error);
        if (reasons === undefined) throw error;
        // Cancelled by its record's condition: it had committed, but its token record had not (they are one commit).
        assert.equal(reasons[RECORD_POSITION]?.Code, 'None', `transfer ${transfer.id} had committed without its token`);
        assert.equal(applied.has(transfer.id), false);
      }
    }
    const afterRetries = await assertBalancesExplained(second.client, sentTransfers);
    for (const id of applied) assert.ok(afterRetries.has(id));
    assert.equal(afterRetries.size, applied.size + appliedNow, 'a replayed transfer is not applied again');
    t.diagnostic(
      `acknowledged ${acknowledgedTransfers.size} transfers (${cancelledTransfers.size} cancelled) and ${acknowledgedBatches.size} ` +
        `batches; of ${unanswered.length} unanswered transfers ${replayed} had committed (replayed), ${appliedNow} applied on retry`,
    );
  } finally {
    second.child.kill('SIGTERM');
    assert.equal(await second.exited, 0);
    second.client.destroy();
  }
});
