/**
 * Transactions under concurrency, through the AWS SDK on both storage engines: the invariants that must hold
 * whatever the interleaving.
 * - Transfers between a few accounts from many clients at once (two Updates, a condition on the source): the
 *   total never changes, no balance goes negative, the acknowledged transfers explain every balance exactly, and
 *   each cancelled one names ConditionalCheckFailed at the position of its source.
 * - TransactGetItems of all accounts while the transfers run never sees a transfer in part.
 * - An event log appended by racing clients (the event's Put guarded by attribute_not_exists, the head's version
 *   by a condition): no sequence number duplicated or skipped, and every loser is cancelled.
 * - A ClientRequestToken sent concurrently and again afterwards applies its transaction once.
 * Outcomes that depend on the interleaving (which transfers win) are never asserted, only what must hold for all.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTableCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type AttributeValue,
  type CancellationReason,
  type DynamoDBClient,
  type TransactWriteItem,
  type TransactWriteItemsCommandInput,
} from '@aws-sdk/client-dynamodb';
import { startCairn, type Cairn } from '../helpers/cairn.js';
import { clientFor } from '../helpers/cairn-process.js';
import { compositeKeyTable, hashKeyTable } from '../helpers/tables.js';
// The benchmark's seeded PRNG (mulberry32): the plan of transfers is the same on every run.
import { createRandom } from '../../bench/wire.js';

type Item = Record<string, AttributeValue>;

const ACCOUNTS = 5;
const INITIAL_BALANCE = 100;
const TOTAL = ACCOUNTS * INITIAL_BALANCE;
const TRANSFERS = 400;
const TRANSFER_CLIENTS = 16;
const READERS = 4;
/** Every this many transfers, one asks for more than all the money there is: it is cancelled whatever happens. */
const IMPOSSIBLE_EVERY = 25;

const STREAMS = ['stream-a', 'stream-b', 'stream-c'];
const APPEND_CLIENTS = 12;
const APPENDS_PER_CLIENT = 8;
const RACERS = 8;
const RACE_ROUNDS = 5;

const CONDITION_FAILED = { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' };
const NONE = { Code: 'None' };

const s = (value: string): AttributeValue => ({ S: value });
const n = (value: number): AttributeValue => ({ N: String(value) });
const accountId = (account: number): string => `account-${account}`;
const numberOf = (item: Item | undefined, attribute: string): number => Number(item?.[attribute]?.N ?? Number.NaN);

type Outcome = { readonly applied: true } | { readonly applied: false; readonly reasons: readonly CancellationReason[] };

/** The outcome of a TransactWriteItems: applied, or cancelled with its reasons. Any other error fails the test. */
async function transact(client: DynamoDBClient, input: TransactWriteItemsCommandInput): Promise<Outcome> {
  try {
    await client.send(new TransactWriteItemsCommand(input));
    return { applied: true };
  } catch (error) {
    const failure = error as { name?: string; message?: string; CancellationReasons?: CancellationReason[] };
    if (failure.name !== 'TransactionCanceledException') throw error;
    const reasons = failure.CancellationReasons ?? [];
    assert.equal(
      failure.message,
      `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((reason) => reason.Code).join(', ')}]`,
    );
    return { applied: false, reasons };
  }
}

/** Waits for every promise (none is left running when the test ends), then throws the first failure. */
async function settleAll(promises: readonly Promise<unknown>[]): Promise<void> {
  for (const result of await Promise.allSettled(promises)) if (result.status === 'rejected') throw result.reason;
}

/**
 * Runs `work` for each of `count` tasks from `workers` concurrent loops (each takes the next task when free);
 * after a failure the loops take no new task.
 */
async function inParallel(count: number, workers: number, work: (task: number, worker: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  await settleAll(
    Array.from({ length: workers }, async (_, worker) => {
      try {
        for (let task = next++; task < count && !failed; task = next++) await work(task, worker);
      } catch (error) {
        failed = true;
        throw error;
      }
    }),
  );
}

interface Transfer {
  readonly from: number;
  readonly to: number;
  readonly amount: number;
  /** Whether the source's Update is the first action (else the second): reasons must follow the positions. */
  readonly sourceFirst: boolean;
  /** Whether the source asks for its old item on a failed condition. */
  readonly returnOld: boolean;
}

function planTransfers(): Transfer[] {
  const random = createRandom(20260101);
  return Array.from({ length: TRANSFERS }, (_, t) => {
    const from = Math.floor(random() * ACCOUNTS);
    const to = (from + 1 + Math.floor(random() * (ACCOUNTS - 1))) % ACCOUNTS;
    const amount = t % IMPOSSIBLE_EVERY === IMPOSSIBLE_EVERY - 1 ? TOTAL + 1 : 1 + Math.floor(random() * 60);
    return { from, to, amount, sourceFirst: t % 2 === 0, returnOld: t % 3 === 0 };
  });
}

function transferActions(table: string, transfer: Transfer): TransactWriteItem[] {
  const withdraw: TransactWriteItem = {
    Update: {
      TableName: table,
      Key: { id: s(accountId(transfer.from)) },
      UpdateExpression: 'SET balance = balance - :x',
      ConditionExpression: 'balance >= :x',
      ExpressionAttributeValues: { ':x': n(transfer.amount) },
      ...(transfer.returnOld ? { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const } : {}),
    },
  };
  const deposit: TransactWriteItem = {
    Update: {
      TableName: table,
      Key: { id: s(accountId(transfer.to)) },
      UpdateExpression: 'SET balance = balance + :x',
      ConditionExpression: 'attribute_exists(balance)',
      ExpressionAttributeValues: { ':x': n(transfer.amount) },
    },
  };
  return transfer.sourceFirst ? [withdraw, deposit] : [deposit, withdraw];
}

for (const inMemory of [false, true]) {
  describe(inMemory ? 'Transaction invariants in memory' : 'Transaction invariants on LMDB', () => {
    let cairn: Cairn;
    let client: DynamoDBClient;
    /** One SDK client (its own connection pool) per concurrent caller. */
    const clients: DynamoDBClient[] = [];
    const clientAt = (index: number): DynamoDBClient => clients[index % clients.length] as DynamoDBClient;

    before(async () => {
      cairn = await startCairn({ inMemory });
      client = cairn.client;
      for (let i = 0; i < TRANSFER_CLIENTS + READERS; i++) clients.push(clientFor(cairn.url));
      await client.send(new CreateTableCommand(hashKeyTable('accounts')));
      await client.send(new CreateTableCommand(compositeKeyTable('events', 'N')));
      await client.send(new CreateTableCommand(hashKeyTable('counters')));
    });
    after(async () => {
      for (const each of clients) each.destroy();
      await cairn.close();
    });

    test('concurrent transfers keep the total, never overdraw, and the acknowledged ones explain every balance', async (t) => {
      for (let account = 0; account < ACCOUNTS; account++) {
        await client.send(new PutItemCommand({ TableName: 'accounts', Item: { id: s(accountId(account)), balance: n(INITIAL_BALANCE) } }));
      }
      const transfers = planTransfers();
      const applied: Transfer[] = [];
      const cancelled: Transfer[] = [];
      let writersDone = false;
      let snapshots = 0;

      const reader = async (index: number): Promise<void> => {
        const keys = Array.from({ length: ACCOUNTS }, (_, account) => ({ Get: { TableName: 'accounts', Key: { id: s(accountId(account)) } } }));
        do {
          const { Responses } = await clientAt(TRANSFER_CLIENTS + index).send(new TransactGetItemsCommand({ TransactItems: keys }));
          const balances = (Responses ?? []).map((response) => numberOf(response.Item, 'balance'));
          assert.equal(balances.length, ACCOUNTS);
          assert.equal(balances.reduce((sum, balance) => sum + balance, 0), TOTAL, `a snapshot saw a transfer in part: ${balances.join(', ')}`);
          assert.ok(balances.every((balance) => balance >= 0), `a snapshot saw an overdraft: ${balances.join(', ')}`);
          snapshots++;
        } while (!writersDone);
      };
      const writers = inParallel(TRANSFERS, TRANSFER_CLIENTS, async (t, worker) => {
        const transfer = transfers[t] as Transfer;
        const outcome = await transact(clientAt(worker), { TransactItems: transferActions('accounts', transfer) });
        if (outcome.applied) {
          applied.push(transfer);
          return;
        }
        cancelled.push(transfer);
        // Only the source's condition can fail, and its reason sits in the source's position.
        const { Item: old, ...reason } = (outcome.reasons[transfer.sourceFirst ? 0 : 1] ?? {}) as CancellationReason;
        assert.deepEqual(reason, CONDITION_FAILED, `transfer ${t}`);
        assert.deepEqual(outcome.reasons[transfer.sourceFirst ? 1 : 0], NONE, `transfer ${t}`);
        assert.equal(outcome.reasons.length, 2);
        if (transfer.returnOld) {
          // The item the condition failed on: the source, holding less than the amount.
          assert.equal(old?.id?.S, accountId(transfer.from));
          assert.ok(numberOf(old, 'balance') < transfer.amount && numberOf(old, 'balance') >= 0, `transfer ${t}: ${JSON.stringify(old)}`);
        } else {
          assert.equal(old, undefined);
        }
      }).finally(() => (writersDone = true));
      await settleAll([writers, ...Array.from({ length: READERS }, (_, index) => reader(index))]);

      assert.equal(applied.length + cancelled.length, TRANSFERS);
      const impossible = transfers.filter((transfer) => transfer.amount > TOTAL);
      assert.ok(impossible.every((transfer) => cancelled.includes(transfer)), 'a transfer of more than the total was applied');
      // Whichever transfer commits first finds every account at its initial balance, and asks for at most 60.
      assert.ok(applied.length > 0);
      assert.ok(snapshots >= READERS);
      t.diagnostic(`${applied.length} transfers applied, ${cancelled.length} cancelled; ${snapshots} snapshots read meanwhile`);

      const expected = new Array<number>(ACCOUNTS).fill(INITIAL_BALANCE);
      for (const transfer of applied) {
        expected[transfer.from] = (expected[transfer.from] ?? 0) - transfer.amount;
        expected[transfer.to] = (expected[transfer.to] ?? 0) + transfer.amount;
      }
      const balances: number[] = [];
      for (let account = 0; account < ACCOUNTS; account++) {
        const { Item } = await client.send(new GetItemCommand({ TableName: 'accounts', Key: { id: s(accountId(account)) } }));
        balances.push(numberOf(Item, 'balance'));
      }
      assert.deepEqual(balances, expected, 'the acknowledged transfers explain the balances exactly');
      assert.equal(balances.reduce((sum, balance) => sum + balance, 0), TOTAL);
      assert.ok(balances.every((balance) => balance >= 0));
    });

    /**
     * Appends `stream`'s event after `head` (the version the caller read): puts event head+1 (only if absent) and
     * moves the head item from version head to head+1 (only if still there), in one transaction. Returns the
     * sequence number taken, or undefined when another client got there first.
     */
    async function tryAppend(caller: DynamoDBClient, stream: string, head: number, payload: Item): Promise<number | undefined> {
      const next = head + 1;
      const outcome = await transact(caller, {
        TransactItems: [
          {
            Put: {
              TableName: 'events',
              Item: { pk: s(stream), sk: n(next), ...payload },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Update: {
              TableName: 'events',
              Key: { pk: s(stream), sk: n(0) },
              UpdateExpression: 'SET version = :next',
              ConditionExpression: 'version = :head',
              ExpressionAttributeValues: { ':next': n(next), ':head': n(head) },
            },
          },
        ],
      });
      if (outcome.applied) return next;
      // The event and the head move together, so a stale head fails both conditions, never one alone.
      assert.deepEqual(outcome.reasons, [CONDITION_FAILED, CONDITION_FAILED], `append to ${stream} after ${head}`);
      return undefined;
    }

    const readHead = async (caller: DynamoDBClient, stream: string): Promise<number> => {
      const { Item } = await caller.send(
        new GetItemCommand({ TableName: 'events', Key: { pk: s(stream), sk: n(0) }, ConsistentRead: true }),
      );
      return numberOf(Item, 'version');
    };

    /** The stream's events (sort keys above 0, the head's), in order. */
    const eventsOf = async (stream: string): Promise<Item[]> => {
      const items: Item[] = [];
      let start: Item | undefined;
      do {
        const page = await client.send(
          new QueryCommand({
            TableName: 'events',
            KeyConditionExpression: 'pk = :p AND sk > :zero',
            ExpressionAttributeValues: { ':p': s(stream), ':zero': n(0) },
            ...(start !== undefined ? { ExclusiveStartKey: start } : {}),
          }),
        );
        items.push(...(page.Items ?? []));
        start = page.LastEvaluatedKey;
      } while (start !== undefined);
      return items;
    };

    test('racing appends to an event log neither duplicate nor skip a sequence number', async (t) => {
      for (const stream of STREAMS) {
        await client.send(new PutItemCommand({ TableName: 'events', Item: { pk: s(stream), sk: n(0), version: n(0) } }));
      }
      // Per stream, the (writer, count) each acknowledged sequence number was given.
      const acknowledged = new Map<string, Map<number, string>>(STREAMS.map((stream) => [stream, new Map()]));
      let losses = 0;
      await settleAll(
        Array.from({ length: APPEND_CLIENTS }, async (_, writer) => {
          const caller = clientAt(writer);
          const stream = STREAMS[writer % STREAMS.length] as string;
          for (let count = 0; count < APPENDS_PER_CLIENT; ) {
            const head = await readHead(caller, stream);
            const taken = await tryAppend(caller, stream, head, { writer: n(writer), count: n(count) });
            if (taken === undefined) {
              losses++;
              assert.ok(losses < 10_000, 'appends make no progress');
              continue;
            }
            const log = acknowledged.get(stream) as Map<number, string>;
            assert.equal(log.has(taken), false, `${stream}: sequence ${taken} acknowledged twice`);
            log.set(taken, `${writer}/${count}`);
            count++;
          }
        }),
      );

      t.diagnostic(`${losses} appends lost a race and were cancelled`);
      const perStream = (APPEND_CLIENTS / STREAMS.length) * APPENDS_PER_CLIENT;
      for (const stream of STREAMS) {
        const events = await eventsOf(stream);
        assert.deepEqual(
          events.map((event) => numberOf(event, 'sk')),
          Array.from({ length: perStream }, (_, i) => i + 1),
          `${stream}: sequence numbers 1..${perStream}, each once`,
        );
        const log = acknowledged.get(stream) as Map<number, string>;
        for (const event of events) {
          const seq = numberOf(event, 'sk');
          assert.equal(`${numberOf(event, 'writer')}/${numberOf(event, 'count')}`, log.get(seq), `${stream}: event ${seq} is the acknowledged one`);
        }
        assert.equal(await readHead(client, stream), perStream);
      }
    });

    test('of clients appending after the same head, exactly one wins and the others are cancelled', async () => {
      const stream = 'stream-race';
      await client.send(new PutItemCommand({ TableName: 'events', Item: { pk: s(stream), sk: n(0), version: n(0) } }));
      for (let round = 0; round < RACE_ROUNDS; round++) {
        const heads = await Promise.all(Array.from({ length: RACERS }, (_, racer) => readHead(clientAt(racer), stream)));
        assert.ok(heads.every((head) => head === round));
        const taken = await Promise.all(heads.map((head, racer) => tryAppend(clientAt(racer), stream, head, { writer: n(racer) })));
        assert.deepEqual(
          taken.filter((seq) => seq !== undefined),
          [round + 1],
          `round ${round}: one winner`,
        );
      }
      assert.deepEqual(
        (await eventsOf(stream)).map((event) => numberOf(event, 'sk')),
        Array.from({ length: RACE_ROUNDS }, (_, i) => i + 1),
      );
    });

    test('a ClientRequestToken sent concurrently and again afterwards applies its transaction once', async () => {
      // A transaction that can apply only once: its event must be new. (The SDK fills in a fresh ClientRequestToken
      // for every call that has none, so copies sent without one are distinct transactions.)
      const request = (id: string): TransactWriteItem[] => [
        { Put: { TableName: 'events', Item: { pk: s(id), sk: n(1) }, ConditionExpression: 'attribute_not_exists(pk)' } },
        { Update: { TableName: 'counters', Key: { id: s(id) }, UpdateExpression: 'ADD applied :one', ExpressionAttributeValues: { ':one': n(1) } } },
      ];
      const counter = async (id: string): Promise<number> =>
        numberOf((await client.send(new GetItemCommand({ TableName: 'counters', Key: { id: s(id) } }))).Item, 'applied');

      // Sent 8 times at once with 8 tokens, it applies once and the 7 others are cancelled by its condition.
      const untokened = await Promise.all(Array.from({ length: RACERS }, (_, i) => transact(clientAt(i), { TransactItems: request('plain') })));
      assert.equal(untokened.filter((outcome) => outcome.applied).length, 1);
      for (const outcome of untokened) if (!outcome.applied) assert.deepEqual(outcome.reasons, [CONDITION_FAILED, NONE]);
      assert.equal(await counter('plain'), 1);

      // With a token, every copy succeeds (the retries are answered from the first), and it still applies once.
      const send = (i: number) =>
        clientAt(i)
          .send(new TransactWriteItemsCommand({ TransactItems: request('tokened'), ClientRequestToken: 'same-token' }))
          .then(
            () => 'ok',
            (error: { name?: string }) => {
              // DynamoDB may answer a retry that overlaps the first attempt with TransactionInProgressException.
              if (error.name === 'TransactionInProgressException') return 'in progress';
              throw error;
            },
          );
      const concurrent = await Promise.all(Array.from({ length: RACERS }, (_, i) => send(i)));
      assert.ok(concurrent.includes('ok'), concurrent.join(', '));
      assert.equal(await counter('tokened'), 1);
      for (let retry = 0; retry < 3; retry++) {
        assert.equal(await send(retry), 'ok');
        assert.equal(await counter('tokened'), 1);
      }
      // A replay is answered from its record, not evaluated again: it succeeds even after the items changed.
      await client.send(
        new UpdateItemCommand({
          TableName: 'counters',
          Key: { id: s('tokened') },
          UpdateExpression: 'ADD applied :ten',
          ExpressionAttributeValues: { ':ten': n(10) },
        }),
      );
      assert.equal(await send(0), 'ok');
      assert.equal(await counter('tokened'), 11);
      assert.deepEqual(
        (await eventsOf('tokened')).map((event) => numberOf(event, 'sk')),
        [1],
      );
      // The token with another request is refused, and applies nothing.
      await assert.rejects(
        client.send(new TransactWriteItemsCommand({ TransactItems: request('other'), ClientRequestToken: 'same-token' })),
        { name: 'IdempotentParameterMismatchException' },
      );
      assert.ok(Number.isNaN(await counter('other')));
    });
  });
}
