/**
 * UpdateTable's GlobalSecondaryIndexUpdates through the AWS SDK: a GSI created on a populated table is backfilled
 * while concurrent writes race it (nothing missed, nothing stale, counts exact), reports CREATING / Backfilling and
 * refuses reads meanwhile, then becomes ACTIVE; a restart resumes an unfinished backfill; deletion; throughput
 * updates; and the errors with DynamoDB's messages.
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
  type DynamoDBClient,
  type UpdateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { startCairn, type Cairn } from '../helpers/cairn.js';
import { INVALID, rejectsWith } from '../helpers/assertions.js';
import { hashKeyTable } from '../helpers/tables.js';

type Item = Record<string, AttributeValue>;

const createByColour: UpdateTableCommandInput = {
  TableName: 'things',
  AttributeDefinitions: [
    { AttributeName: 'id', AttributeType: 'S' },
    { AttributeName: 'colour', AttributeType: 'S' },
  ],
  GlobalSecondaryIndexUpdates: [
    {
      Create: {
        IndexName: 'byColour',
        KeySchema: [
          { AttributeName: 'colour', KeyType: 'HASH' },
          { AttributeName: 'id', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['n'] },
      },
    },
  ],
};

const COLOURS = ['red', 'green', 'blue'];

async function describeIndex(client: DynamoDBClient, table = 'things') {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: table }));
  return { table: Table, index: Table?.GlobalSecondaryIndexes?.[0] };
}

/** Every entry of the index, by colour, as `id:n` strings, through Query (all pages). */
async function indexContents(client: DynamoDBClient): Promise<Map<string, string[]>> {
  const contents = new Map<string, string[]>();
  for (const colour of [...COLOURS, 'purple']) {
    const found: string[] = [];
    let start: Item | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: 'things',
          IndexName: 'byColour',
          KeyConditionExpression: 'colour = :c',
          ExpressionAttributeValues: { ':c': { S: colour } },
          Limit: 37,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) found.push(`${item.id?.S}:${item.n?.N}`);
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    contents.set(colour, found);
  }
  return contents;
}

/** The same, computed from the table itself (a Scan), as the index must hold it. */
async function expectedContents(client: DynamoDBClient): Promise<Map<string, string[]>> {
  const expected = new Map<string, string[]>([...COLOURS, 'purple'].map((colour) => [colour, []]));
  let start: Item | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: 'things', ...(start ? { ExclusiveStartKey: start } : {}) }));
    for (const item of page.Items ?? []) {
      const colour = item.colour?.S;
      if (colour !== undefined) expected.get(colour)?.push(`${item.id?.S}:${item.n?.N}`);
    }
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  for (const list of expected.values()) list.sort();
  return expected;
}

const id = (i: number) => `i${String(i).padStart(4, '0')}`;

/**
 * Holds a backfill after a number of its batches until released, so that a test sees it running whatever the
 * machine's speed (a loaded machine may otherwise finish it before the test looks).
 */
class BackfillHold {
  private batches = 0;
  private holdAfter: number | undefined;
  private released: Promise<void> = Promise.resolve();
  private release: () => void = () => undefined;

  /** Holds the next backfill once it has done `batches` batches. */
  arm(batches: number): void {
    this.batches = 0;
    this.holdAfter = batches;
    this.released = new Promise((resolve) => (this.release = resolve));
  }

  open(): void {
    this.holdAfter = undefined;
    this.release();
  }

  readonly betweenBatches = async (): Promise<void> => {
    this.batches++;
    if (this.holdAfter !== undefined && this.batches >= this.holdAfter) await this.released;
  };
}

for (const inMemory of [false, true]) {
  describe(inMemory ? 'GSI updates in memory' : 'GSI updates on LMDB', () => {
    let cairn: Cairn;
    let client: DynamoDBClient;
    const hold = new BackfillHold();
    before(async () => {
      // Small, slow batches so that the backfill is still running while the writes below race it.
      cairn = await startCairn({ inMemory, backfill: { batchSize: 16, pauseMs: 5, betweenBatches: hold.betweenBatches } });
      client = cairn.client;
      await client.send(new CreateTableCommand(hashKeyTable('things')));
      for (let i = 0; i < 400; i++) {
        const item: Item = { id: { S: id(i) }, n: { N: String(i) } };
        // Every fifth item has no colour (sparse); one has a colour of the wrong type (left out of the index).
        if (i % 5 !== 0) item.colour = i === 7 ? { N: '7' } : { S: COLOURS[i % 3] as string };
        await client.send(new PutItemCommand({ TableName: 'things', Item: item }));
      }
    });
    after(() => cairn.close());

    test('a backfill raced by concurrent writes misses nothing and keeps nothing stale', async () => {
      // The backfill of 400 items takes 25 batches; it is held after 8 of them until the checks of "during" ran.
      hold.arm(8);
      const created = await client.send(new UpdateTableCommand(createByColour));
      assert.equal(created.TableDescription?.TableStatus, 'UPDATING');
      const index = created.TableDescription?.GlobalSecondaryIndexes?.[0];
      assert.equal(index?.IndexName, 'byColour');
      assert.equal(index?.IndexStatus, 'CREATING');
      assert.equal(index?.Backfilling, false);
      assert.deepEqual(
        created.TableDescription?.AttributeDefinitions,
        [
          { AttributeName: 'id', AttributeType: 'S' },
          { AttributeName: 'colour', AttributeType: 'S' },
        ],
      );

      // While the backfill runs: writes of every kind, all over the key space.
      const writes: Promise<unknown>[] = [];
      for (let i = 0; i < 400; i += 3) {
        const key = { id: { S: id(i) } };
        if (i % 9 === 0) {
          writes.push(client.send(new DeleteItemCommand({ TableName: 'things', Key: key })));
        } else if (i % 9 === 3) {
          writes.push(
            client.send(
              new UpdateItemCommand({
                TableName: 'things',
                Key: key,
                UpdateExpression: 'SET colour = :c, n = :n',
                ExpressionAttributeValues: { ':c': { S: 'purple' }, ':n': { N: String(1000 + i) } },
              }),
            ),
          );
        } else {
          writes.push(client.send(new UpdateItemCommand({ TableName: 'things', Key: key, UpdateExpression: 'REMOVE colour' })));
        }
      }
      for (let i = 400; i < 460; i++) {
        writes.push(
          client.send(new PutItemCommand({ TableName: 'things', Item: { id: { S: id(i) }, colour: { S: 'green' }, n: { N: String(i) } } })),
        );
      }
      const during = await describeIndex(client);
      assert.equal(during.index?.IndexStatus, 'CREATING');
      await rejectsWith(
        client.send(
          new QueryCommand({
            TableName: 'things',
            IndexName: 'byColour',
            KeyConditionExpression: 'colour = :c',
            ExpressionAttributeValues: { ':c': { S: 'red' } },
          }),
        ),
        'ValidationException',
        'Cannot read from backfilling global secondary index: byColour',
      );
      hold.open();
      await Promise.all(writes);
      await cairn.server.engine.settleBackgroundWork();

      const done = await describeIndex(client);
      assert.equal(done.table?.TableStatus, 'ACTIVE');
      assert.equal(done.index?.IndexStatus, 'ACTIVE');
      assert.equal(done.index?.Backfilling, undefined);
      const expected = await expectedContents(client);
      const actual = await indexContents(client);
      for (const colour of [...COLOURS, 'purple']) {
        assert.deepEqual([...(actual.get(colour) ?? [])].sort(), expected.get(colour), colour);
      }
      const total = [...expected.values()].reduce((sum, list) => sum + list.length, 0);
      assert.equal(done.index?.ItemCount, total);
      assert.ok(total > 250);
    });

    test('a second index change waits for the first; errors use DynamoDB messages', async () => {
      await rejectsWith(client.send(new UpdateTableCommand(createByColour)), 'ValidationException', 'Attempting to create an index which already exists');
      await rejectsWith(
        client.send(
          new UpdateTableCommand({
            TableName: 'things',
            GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'nope' } }],
          }),
        ),
        'ResourceNotFoundException',
        'Requested resource not found: Index nope for table things',
      );
      await rejectsWith(
        client.send(
          new UpdateTableCommand({
            TableName: 'things',
            GlobalSecondaryIndexUpdates: [{ Update: { IndexName: 'byColour', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } } }],
          }),
        ),
        'ValidationException',
        `${INVALID}The only Updates for index: byColour when TableThroughputMode is PAY_PER_REQUEST can be to OnDemandThroughput, WarmThroughput`,
      );
      await rejectsWith(
        client.send(
          new UpdateTableCommand({
            TableName: 'things',
            GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byColour' } }, { Delete: { IndexName: 'other' } }],
          }),
        ),
        'LimitExceededException',
        'Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table',
      );
      await rejectsWith(
        client.send(new UpdateTableCommand({ TableName: 'things', GlobalSecondaryIndexUpdates: [{}] })),
        'ValidationException',
        `${INVALID}One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null`,
      );
      const { GlobalSecondaryIndexUpdates: [update] = [] } = createByColour;
      await rejectsWith(
        client.send(
          new UpdateTableCommand({
            TableName: 'things',
            GlobalSecondaryIndexUpdates: [{ ...update, Create: { ...update?.Create, IndexName: 'second' } as never }],
          }),
        ),
        'ValidationException',
        `${INVALID}AttributeDefinitions is not specified for index: second`,
      );
    });

    test('deleting a GSI drops it and its entries', async () => {
      const deleted = await client.send(
        new UpdateTableCommand({ TableName: 'things', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byColour' } }] }),
      );
      assert.equal(deleted.TableDescription?.GlobalSecondaryIndexes?.[0]?.IndexStatus, 'DELETING');
      await cairn.server.engine.settleBackgroundWork();
      const { table } = await describeIndex(client);
      assert.equal(table?.GlobalSecondaryIndexes, undefined);
      await rejectsWith(
        client.send(new ScanCommand({ TableName: 'things', IndexName: 'byColour' })),
        'ValidationException',
        'The table does not have the specified index: byColour',
      );
      // A re-created index of the same name starts from the table again.
      await client.send(new UpdateTableCommand(createByColour));
      await cairn.server.engine.settleBackgroundWork();
      const expected = await expectedContents(client);
      const actual = await indexContents(client);
      assert.deepEqual([...(actual.get('purple') ?? [])].sort(), expected.get('purple'));
    });
  });
}

describe('GSI backfill across a restart', () => {
  test('an unfinished backfill resumes when the server starts again', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cairn-backfill-'));
    try {
      let cairn = await startCairn({ dataDir, backfill: { batchSize: 4, pauseMs: 20 } });
      await cairn.client.send(new CreateTableCommand(hashKeyTable('things')));
      for (let i = 0; i < 120; i++) {
        await cairn.client.send(
          new PutItemCommand({ TableName: 'things', Item: { id: { S: id(i) }, colour: { S: COLOURS[i % 3] as string }, n: { N: String(i) } } }),
        );
      }
      await cairn.client.send(new UpdateTableCommand(createByColour));
      await new Promise((resolve) => setTimeout(resolve, 60));
      await cairn.close();

      // The restarted server backfills slowly too, so that its first DescribeTable surely comes before the
      // backfill ends (at full speed, on a fast store, the 120 items can be indexed before that answer).
      cairn = await startCairn({ dataDir, backfill: { batchSize: 4, pauseMs: 20 } });
      try {
        const before = await describeIndex(cairn.client);
        assert.equal(before.index?.IndexStatus, 'CREATING');
        await cairn.server.engine.settleBackgroundWork();
        const after = await describeIndex(cairn.client);
        assert.equal(after.index?.IndexStatus, 'ACTIVE');
        assert.equal(after.index?.ItemCount, 120);
        const contents = await indexContents(cairn.client);
        assert.deepEqual(
          COLOURS.map((colour) => contents.get(colour)?.length),
          [40, 40, 40],
        );
      } finally {
        await cairn.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
