import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PostgresStorage } from '../../src/storage/postgres/postgres-storage.js';
import { openStorage } from '../../src/storage/open-storage.js';
import { postgresUnavailable, startPostgres, type PostgresServer } from '../helpers/postgres-server.js';
import { runStorageContract } from './storage-contract.js';

const skip = postgresUnavailable();
let server: PostgresServer | undefined;

before(async () => {
  if (skip === undefined) server = await startPostgres();
});
after(async () => {
  await server?.stop();
});

function running(): PostgresServer {
  if (server === undefined) throw new Error('PostgreSQL is not running');
  return server;
}

const key = (text: string): Uint8Array => new TextEncoder().encode(text);

async function query<R extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

if (skip === undefined) {
  runStorageContract('PostgresStorage', async () => {
    const storage = await PostgresStorage.open({ url: await running().createDatabase() });
    return { storage, dispose: () => storage.close() };
  }, { snapshots: false });
}

describe('PostgresStorage', { skip }, () => {
  test('openStorage with a PostgreSQL URL creates the schema once; opening it again changes nothing', async () => {
    const url = await running().createDatabase();
    const [first, second] = await Promise.all([openStorage({ postgresUrl: url }), openStorage({ postgresUrl: url })]);
    assert.ok(first instanceof PostgresStorage);
    await first.close();
    await second.close();
    const third = await openStorage({ postgresUrl: url });
    await third.close();
    assert.deepEqual(await query(url, 'SELECT version, description FROM cairn_schema_migrations ORDER BY version'), [
      { version: 1, description: 'the key-value table' },
    ]);
    const columns = await query<{ column_name: string; data_type: string }>(
      url,
      "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'cairn_kv' ORDER BY ordinal_position",
    );
    assert.deepEqual(columns.map((column) => `${column.column_name} ${column.data_type}`), ['space text', 'key bytea', 'value bytea', 'tag bigint']);
  });

  test('a value written is read back after the storage and PostgreSQL restart, as the JSON text it was written as', async () => {
    const url = await running().createDatabase();
    const first = await PostgresStorage.open({ url });
    await first.atomic([], () => ({ writes: [{ space: 't/1', key: key('k'), value: { pk: { S: 'kept' } }, tag: 7 }], result: undefined }));
    await first.close();
    await running().stopServer();
    await running().start();
    const second = await PostgresStorage.open({ url });
    assert.deepEqual(await second.get('t/1', key('k')), { pk: { S: 'kept' } });
    assert.equal(new TextDecoder().decode(await second.getEncoded('t/1', key('k'))), '{"pk":{"S":"kept"}}');
    assert.equal(await second.getEncoded('t/1', key('absent')), undefined);
    assert.deepEqual(await query(url, 'SELECT space, key, convert_from(value, \'UTF8\') AS value, tag FROM cairn_kv'), [
      { space: 't/1', key: Buffer.from('k'), value: '{"pk":{"S":"kept"}}', tag: '7' },
    ]);
    await second.close();
  });

  test('a commit that loses a serialization conflict runs again, decide included, and both commits take effect', async () => {
    const url = await running().createDatabase();
    const storage = await PostgresStorage.open({ url });
    await storage.atomic([], () => ({ writes: [{ space: 's', key: key('n'), value: 0 }], result: undefined }));
    // Another transaction reads and updates the key and holds it uncommitted.
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    await other.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
    await other.query("SELECT value FROM cairn_kv WHERE space = 's'");
    await other.query("UPDATE cairn_kv SET value = convert_to('100', 'UTF8') WHERE space = 's'");
    const seen: unknown[] = [];
    const increment = storage.atomic([{ space: 's', key: key('n') }], ([current]) => {
      seen.push(current);
      return { writes: [{ space: 's', key: key('n'), value: (current as number) + 1 }], result: (current as number) + 1 };
    });
    // The commit read 0 and now waits for the other transaction's row lock.
    await waitFor(async () => (await query(url, 'SELECT 1 FROM pg_locks WHERE NOT granted')).length > 0);
    await other.query('COMMIT');
    await other.end();
    assert.equal(await increment, 101);
    assert.deepEqual(seen, [0, 100]);
    assert.equal(await storage.get('s', key('n')), 101);
    await storage.close();
  });

  test('two concurrent commits on one key both succeed, in turn', async () => {
    const storage = await PostgresStorage.open({ url: await running().createDatabase() });
    const append = (letter: string): Promise<string> =>
      storage.atomic([{ space: 's', key: key('log') }], ([current]) => {
        const next = `${(current as string | undefined) ?? ''}${letter}`;
        return { writes: [{ space: 's', key: key('log'), value: next }], result: next };
      });
    const results = await Promise.all([append('a'), append('b')]);
    const final = (await storage.get('s', key('log'))) as string;
    assert.ok(final === 'ab' || final === 'ba', final);
    assert.deepEqual([...results].sort((x, y) => x.length - y.length), [final.slice(0, 1), final]);
    await storage.close();
  });

  test('space names and keys of any characters and bytes go through the commit statements unchanged', async () => {
    const storage = await PostgresStorage.open({ url: await running().createDatabase() });
    try {
      const space = "it's a \\ space; DROP TABLE cairn_kv; --é";
      const anyBytes = Uint8Array.from({ length: 256 }, (_, i) => i);
      await storage.atomic([{ space, key: anyBytes }], () => ({ writes: [{ space, key: anyBytes, value: "'\\x00'" }], result: undefined }));
      const seen = await storage.atomic([{ space, key: anyBytes }, { space, key: key('absent') }], (values) => ({ writes: [], result: values }));
      assert.deepEqual(seen, ["'\\x00'", undefined]);
      const keys: Uint8Array[] = [];
      for await (const entry of storage.range(space)) keys.push(entry.key);
      assert.deepEqual(keys, [anyBytes]);
    } finally {
      await storage.close();
    }
  });

  test('commits that wait for a connection go together in one transaction; a refused one is answered alone, the others commit', async () => {
    await withTheOnlyCommitSlotHeld(async (storage, other, url) => {
      // Meanwhile ten commits queue; the fourth is refused by its decision.
      const queued = Array.from({ length: 10 }, (_, i) =>
        storage.atomic([{ space: 'q', key: key(`k${i}`) }], ([current]) => {
          if (i === 3) throw new Error('refused');
          return { writes: [{ space: 'q', key: key(`k${i}`), value: i }], result: current === undefined ? `new ${i}` : 'old' };
        }),
      );
      await other.query('COMMIT');
      const settled = await Promise.allSettled(queued);
      assert.deepEqual(
        settled.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value : (outcome.reason as Error).message)),
        ['new 0', 'new 1', 'new 2', 'refused', 'new 4', 'new 5', 'new 6', 'new 7', 'new 8', 'new 9'],
      );
      const rows = await query<{ key: Buffer; xmin: string }>(url, "SELECT key, xmin::text AS xmin FROM cairn_kv WHERE space = 'q' ORDER BY key");
      assert.deepEqual(rows.map((row) => row.key.toString()), ['k0', 'k1', 'k2', 'k4', 'k5', 'k6', 'k7', 'k8', 'k9']);
      assert.equal(new Set(rows.map((row) => row.xmin)).size, 1, 'the nine writes were committed by one transaction');
      assert.equal(await storage.get('s', key('held')), 2);
    });
  });

  test('when a commit of a batch fails in PostgreSQL, the batch runs again one commit at a time: only that one fails', async () => {
    await withTheOnlyCommitSlotHeld(async (storage, other) => {
      // A key of 3,000 random bytes is more than PostgreSQL's B-tree takes (SQLSTATE 54000).
      const keys = [key('a'), randomBytes(3000), key('c')];
      const queued = keys.map((k, i) => storage.atomic([{ space: 'q', key: k }], () => ({ writes: [{ space: 'q', key: k, value: i }], result: i })));
      await other.query('COMMIT');
      const settled = await Promise.allSettled(queued);
      assert.deepEqual(settled[0], { status: 'fulfilled', value: 0 });
      assert.equal(settled[1]?.status, 'rejected');
      assert.equal(((settled[1] as PromiseRejectedResult).reason as { code?: string }).code, '54000');
      assert.deepEqual(settled[2], { status: 'fulfilled', value: 2 });
      assert.equal(await storage.get('q', key('a')), 0);
      assert.equal(await storage.get('q', key('c')), 2);
    });
  });

  test('the commits after one whose writes pass 1 MB wait for a transaction of their own', async () => {
    await withTheOnlyCommitSlotHeld(async (storage, other, url) => {
      const big = 'x'.repeat(1024 * 1024 + 1);
      const values = [big, 'a', 'b', 'c'];
      const queued = values.map((value, i) =>
        storage.atomic([{ space: 'q', key: key(`k${i}`) }], () => ({ writes: [{ space: 'q', key: key(`k${i}`), value }], result: i })),
      );
      await other.query('COMMIT');
      assert.deepEqual(await Promise.all(queued), [0, 1, 2, 3]);
      const rows = await query<{ key: Buffer; xmin: string }>(url, "SELECT key, xmin::text AS xmin FROM cairn_kv WHERE space = 'q' ORDER BY key");
      assert.deepEqual(rows.map((row) => row.key.toString()), ['k0', 'k1', 'k2', 'k3']);
      const [first, ...rest] = rows.map((row) => row.xmin);
      assert.ok(!rest.includes(first as string), 'the big commit went alone');
      assert.equal(await storage.get('q', key('k0')), big);
    });
  });

  test('a decision that clears a space sends its batch back to run one commit at a time, in order', async () => {
    await withTheOnlyCommitSlotHeld(
      async (storage, other) => {
        const before = storage.atomic([{ space: 'q', key: key('a') }], () => ({ writes: [{ space: 'q', key: key('a'), value: 1 }], result: 'a' }));
        const clear = storage.clearSpace('gone');
        const after = storage.atomic([{ space: 'q', key: key('b') }], () => ({ writes: [{ space: 'q', key: key('b'), value: 2 }], result: 'b' }));
        await other.query('COMMIT');
        assert.deepEqual(await Promise.all([before, clear, after]), ['a', undefined, 'b']);
        assert.equal(await storage.get('gone', key('old')), undefined);
        assert.equal(await storage.get('q', key('a')), 1);
        assert.equal(await storage.get('q', key('b')), 2);
      },
      (storage) => storage.atomic([], () => ({ writes: [{ space: 'gone', key: key('old'), value: 1 }], result: undefined })),
    );
  });

  test('a commit made while PostgreSQL is down goes through once it is back; idle connections are replaced', async () => {
    const url = await running().createDatabase();
    const storage = await PostgresStorage.open({ url, reconnectForMs: 30_000 });
    await storage.atomic([], () => ({ writes: [{ space: 's', key: key('before'), value: 1 }], result: undefined }));
    await running().stopServer();
    const during = storage.atomic([{ space: 's', key: key('before') }], ([current]) => ({
      writes: [{ space: 's', key: key('during'), value: (current as number) + 1 }],
      result: 'committed',
    }));
    await new Promise((resolve) => setTimeout(resolve, 500));
    await running().start();
    assert.equal(await during, 'committed');
    assert.equal(await storage.get('s', key('during')), 2);
    await storage.close();
  });

  test('while PostgreSQL stays unreachable, a commit fails with an error after reconnectForMs', async () => {
    const url = await running().createDatabase();
    const storage = await PostgresStorage.open({ url, reconnectForMs: 300 });
    await running().stopServer();
    try {
      await assert.rejects(
        storage.atomic([], () => ({ writes: [{ space: 's', key: key('k'), value: 1 }], result: undefined })),
        /^Error: PostgreSQL cannot be reached: /,
      );
      await assert.rejects(storage.get('s', key('k')), /^Error: PostgreSQL cannot be reached: /);
    } finally {
      await running().start();
    }
    await storage.close();
  });

  test('an unreachable server refuses the start with its error', async () => {
    const url = running().url('never_created');
    await assert.rejects(openStorage({ postgresUrl: url }), /database "never_created" does not exist/);
  });
});

async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}


/**
 * Checks the error of a commit whose connection was lost once its COMMIT may have been sent: a plain Error, which
 * the wire answers as a 500 InternalServerError, saying that the outcome is unknown. True, for assert.rejects.
 */
function isUncertainCommit(error: unknown): true {
  assert.ok(error instanceof Error);
  assert.equal(error.constructor, Error, 'a plain Error, which the wire answers as a 500 InternalServerError');
  assert.equal(error.message, 'the connection to PostgreSQL was lost while committing; the commit may or may not have taken effect');
  return true;
}

/**
 * Runs `body` on a fresh database's storage with one commit slot, held by an open transaction of `other` (see
 * holdTheOnlyCommitSlot) so that the commits `body` makes queue; `prepare` runs on the storage before. Both are
 * closed after.
 */
async function withTheOnlyCommitSlotHeld(
  body: (storage: PostgresStorage, other: pg.Client, url: string) => Promise<void>,
  prepare?: (storage: PostgresStorage) => Promise<unknown>,
): Promise<void> {
  const url = await running().createDatabase();
  const storage = await PostgresStorage.open({ url, commitSlots: 1 });
  const other = new pg.Client({ connectionString: url });
  try {
    await prepare?.(storage);
    await holdTheOnlyCommitSlot(storage, url, other);
    await body(storage, other, url);
  } finally {
    await other.end();
    await storage.close();
  }
}

/**
 * Makes `storage` (opened with commitSlots: 1) busy: `other` takes the row lock of the key 'held' in an open
 * transaction, and a commit writing that key takes the only commit slot and waits for the lock (once `other`
 * commits, it fails with a serialization failure and runs again, writing 2).
 */
async function holdTheOnlyCommitSlot(storage: PostgresStorage, url: string, other: pg.Client): Promise<void> {
  await storage.atomic([], () => ({ writes: [{ space: 's', key: key('held'), value: 0 }], result: undefined }));
  await other.connect();
  await other.query('BEGIN');
  await other.query("UPDATE cairn_kv SET value = convert_to('1', 'UTF8') WHERE space = 's'");
  void storage.atomic([], () => ({ writes: [{ space: 's', key: key('held'), value: 2 }], result: undefined }));
  await waitFor(async () => (await query(url, 'SELECT 1 FROM pg_locks WHERE NOT granted')).length > 0);
}

/**
 * A TCP proxy in front of PostgreSQL that cuts a connection when the client sends a message containing `cutOn`
 * (once): the chunk is forwarded first when `forward` is set (the server sees it), or dropped.
 */
async function faultyProxy(port: number): Promise<{ port: number; cut(cutOn: string, forward: boolean): void; close(): Promise<void> }> {
  let armed: { cutOn: string; forward: boolean } | undefined;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(port, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    // Once cut, nothing more reaches the client: the answer to a forwarded message is lost with the connection.
    let cutting = false;
    client.on('data', (chunk: Buffer) => {
      const trigger = armed;
      if (trigger !== undefined && chunk.includes(trigger.cutOn)) {
        armed = undefined;
        cutting = true;
        if (trigger.forward) upstream.write(chunk);
        // Give a forwarded chunk a moment to reach the server, then cut both sides.
        setTimeout(() => {
          client.destroy();
          upstream.destroy();
        }, trigger.forward ? 50 : 0);
        return;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!cutting) client.write(chunk);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address !== null ? address.port : 0,
    cut: (cutOn, forward) => {
      armed = { cutOn, forward };
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A storage on a fresh database, connected through a faultyProxy the test cuts connections with; both closed after. */
/**
 * A commit of `k` whose connection is cut (as the caller set the proxy up) fails as uncertain, its decision made
 * once and never run again.
 */
async function assertUncertainOnce(storage: PostgresStorage): Promise<void> {
  let decisions = 0;
  await assert.rejects(
    storage.atomic([{ space: 's', key: key('k') }], () => {
      decisions++;
      return { writes: [{ space: 's', key: key('k'), value: 'written?' }], result: undefined };
    }),
    isUncertainCommit,
  );
  assert.equal(decisions, 1);
}

async function throughFaultyProxy(use: (storage: PostgresStorage, proxy: Awaited<ReturnType<typeof faultyProxy>>) => Promise<void>): Promise<void> {
  const url = new URL(await running().createDatabase());
  const proxy = await faultyProxy(Number(url.port));
  url.port = String(proxy.port);
  const storage = await PostgresStorage.open({ url: url.toString() });
  try {
    await use(storage, proxy);
  } finally {
    await storage.close();
    await proxy.close();
  }
}

describe('PostgresStorage when a connection drops', { skip }, () => {
  test('before COMMIT was sent: the commit runs again on a new connection and takes effect once', async () => {
    await throughFaultyProxy(async (storage, proxy) => {
      let decisions = 0;
      const increment = (): Promise<number> =>
        storage.atomic([{ space: 's', key: key('n') }], ([current]) => {
          decisions++;
          const next = ((current as number | undefined) ?? 0) + 1;
          return { writes: [{ space: 's', key: key('n'), value: next }], result: next };
        });
      assert.equal(await increment(), 1);
      // The next commit's BEGIN and read reach PostgreSQL, but their answer is lost with the connection: nothing
      // was decided, nor written, and COMMIT was never sent.
      proxy.cut('cairn_tx_get', true);
      decisions = 0;
      assert.equal(await increment(), 2);
      assert.equal(decisions, 1);
      assert.equal(await storage.get('s', key('n')), 2);
    });
  });

  test('while the writes are in flight: they travel with COMMIT, so the outcome is unknown and the commit is not run again', async () => {
    await throughFaultyProxy(async (storage, proxy) => {
      // A first commit prepares the statements on the connection (their text names cairn_tx_upsert too).
      await storage.atomic([{ space: 's', key: key('first') }], () => ({ writes: [{ space: 's', key: key('first'), value: 1 }], result: undefined }));
      // The string of the writes and COMMIT never reaches PostgreSQL, but Cairn cannot know that.
      proxy.cut('EXECUTE cairn_tx_upsert', false);
      await assertUncertainOnce(storage);
      assert.equal(await storage.get('s', key('k')), undefined);
    });
  });

  test('a batch whose COMMIT is in flight when the connection drops answers every commit of it as uncertain', async () => {
    const direct = await running().createDatabase();
    const url = new URL(direct);
    const proxy = await faultyProxy(Number(url.port));
    url.port = String(proxy.port);
    const storage = await PostgresStorage.open({ url: url.toString(), commitSlots: 1 });
    // The slot is held (through the proxy) by a commit waiting on a row lock this direct connection takes.
    const holder = new pg.Client({ connectionString: direct });
    try {
      await holdTheOnlyCommitSlot(storage, direct, holder);
      let decisions = 0;
      const marker = 'only-in-the-batch';
      const queued = ['x', 'y'].map((name) =>
        storage.atomic([{ space: 'q', key: key(name) }], () => {
          decisions++;
          return { writes: [{ space: 'q', key: key(name), value: marker }], result: name };
        }),
      );
      // The values travel only in the string of the writes and COMMIT (as hex): that string reaches PostgreSQL,
      // its answer is lost with the connection.
      proxy.cut(Buffer.from(JSON.stringify(marker)).toString('hex'), true);
      await holder.query('COMMIT');
      const settled = await Promise.allSettled(queued);
      for (const outcome of settled) {
        assert.equal(outcome.status, 'rejected');
        isUncertainCommit((outcome as PromiseRejectedResult).reason);
      }
      assert.equal(decisions, 2, 'decided once each, never run again');
    } finally {
      await holder.end();
      await storage.close();
      await proxy.close();
    }
  });

  test('while COMMIT is in flight: the outcome is unknown, so the commit fails with an error and is not run again', async () => {
    await throughFaultyProxy(async (storage, proxy) => {
      proxy.cut('COMMIT', true);
      await assertUncertainOnce(storage);
      // The pool goes on with new connections.
      await storage.atomic([], () => ({ writes: [{ space: 's', key: key('after'), value: 1 }], result: undefined }));
      assert.equal(await storage.get('s', key('after')), 1);
    });
  });
});
