/**
 * The PostgreSQL Storage: every space in one table, `cairn_kv (space text, key bytea, value bytea, tag bigint,
 * primary key (space, key))` (migrations.ts), reached through a node-postgres pool.
 *
 * Commits. `atomic` is one database transaction at SERIALIZABLE isolation: read the requested keys (one
 * statement), run `decide`, then one DELETE for the cleared spaces, one DELETE for the deleted keys and one
 * INSERT ... SELECT FROM unnest(...) ON CONFLICT DO UPDATE for the rest, and COMMIT. Serializable isolation is
 * what makes the read-decide-write atomic: a concurrent commit that changed a key this one read (or inserted a key
 * it found absent, which row locks could not catch) makes one of them fail with a serialization failure
 * (40001), or a deadlock (40P01); the failed one is rolled back and run again from the start, decide included
 * (decide is pure), after a short randomised backoff. A decide that throws (a failed condition) is answered only
 * after its read-only transaction commits: PostgreSQL guarantees what a serializable transaction read only once
 * it committed, so a refusal is never based on a state that did not exist.
 *
 * Writes are checked and encoded before anything is sent, so a bad write leaves no trace; several writes of one
 * key in a decision collapse into the last (ON CONFLICT DO UPDATE cannot touch a row twice in one statement).
 * Every statement is a named (prepared) statement, parsed once per connection.
 *
 * Durability: COMMIT returns once PostgreSQL has the transaction in its write-ahead log on disk (its default
 * synchronous_commit), so `atomic` resolves only for a durable commit.
 *
 * Connection loss. A commit whose connection fails before COMMIT was sent certainly did not commit: it is retried
 * on another connection (the pool opens a new one; while PostgreSQL is unreachable, for up to `reconnectForMs`).
 * If the connection fails while COMMIT is in flight, the outcome is unknown: the commit rejects with an error the
 * wire answers as a 500 InternalServerError (as DynamoDB answers when it cannot tell), never as a success or a
 * retry that could apply it twice. The pool drops broken connections and opens new ones as PostgreSQL comes back.
 *
 * The SQL keeps to what CockroachDB and YugabyteDB also accept (README, Running on PostgreSQL).
 */
import pg from 'pg';
import type { Decide, Decision, KeyValue, RangeOptions, ReadRequest, Space, Storage, WriteRequest } from '../storage.js';
import { storageClosedError } from '../storage-closed-error.js';
import { assertSpaceName } from '../space-name.js';
import { assertStorageTag } from '../storage-tag.js';
import { checkClears } from '../check-clears.js';
import { KeyLocks } from './key-locks.js';
import { applyMigrations, KV_TABLE } from './migrations.js';
import { isConnectionFailure, isSerializationFailure, uncertainCommitError, unreachableError } from './postgres-errors.js';
import { PostgresRangeIterator } from './postgres-range-iterator.js';
import { decodeValue, encodeValue, LazyRow, type ValueRow } from './stored-row.js';

export interface PostgresStorageOptions {
  /** A libpq-style connection URL, `postgres://user:password@host:port/database`. */
  readonly url: string;
  /** Connections in the pool (default POOL_SIZE). */
  readonly poolSize?: number;
  /** How long a commit or read keeps trying while PostgreSQL cannot be reached (default RECONNECT_FOR_MS). */
  readonly reconnectForMs?: number;
}

/** Enough concurrent transactions to keep a 2-core PostgreSQL busy, few enough not to thrash it. */
const POOL_SIZE = 10;
const RECONNECT_FOR_MS = 10_000;
/** Serialization failures are retried this many times; under heavy contention on one key each round commits one. */
const MAX_SERIALIZATION_RETRIES = 1000;
const BACKOFF_BASE_MS = 1;
const BACKOFF_MAX_MS = 50;

const GET = { name: 'cairn_get', text: `SELECT value, tag FROM ${KV_TABLE} WHERE space = $1 AND key = $2` };
const READ_MANY = {
  name: 'cairn_read_many',
  text: `SELECT space, key, value, tag FROM ${KV_TABLE} WHERE (space, key) IN (SELECT s, k FROM unnest($1::text[], $2::bytea[]) AS r (s, k))`,
};
const UPSERT = {
  name: 'cairn_upsert',
  text:
    `INSERT INTO ${KV_TABLE} (space, key, value, tag) SELECT s, k, v, t FROM unnest($1::text[], $2::bytea[], $3::bytea[], $4::bigint[]) AS r (s, k, v, t) ` +
    'ON CONFLICT (space, key) DO UPDATE SET value = excluded.value, tag = excluded.tag',
};
const DELETE_MANY = {
  name: 'cairn_delete_many',
  text: `DELETE FROM ${KV_TABLE} WHERE (space, key) IN (SELECT s, k FROM unnest($1::text[], $2::bytea[]) AS r (s, k))`,
};
const CLEAR = { name: 'cairn_clear', text: `DELETE FROM ${KV_TABLE} WHERE space = ANY($1::text[])` };

/** The writes of a decision, checked, encoded and with one write per key, as the statements' arrays. */
interface PreparedWrites {
  readonly upsert: { spaces: string[]; keys: Buffer[]; values: Buffer[]; tags: (number | null)[] };
  readonly remove: { spaces: string[]; keys: Buffer[] };
  readonly clears: readonly Space[];
}

type Attempt<T> = { readonly kind: 'committed'; readonly result: T } | { readonly kind: 'refused'; readonly error: unknown };

export class PostgresStorage implements Storage {
  /** Any number of Cairn processes may serve one database (see Storage.multiProcess). */
  readonly multiProcess = true;
  private closed = false;
  private readonly inFlight = new Set<Promise<unknown>>();
  /** This process's commits on the same keys take turns (key-locks.ts). */
  private readonly locks = new KeyLocks();

  private constructor(
    private readonly pool: pg.Pool,
    private readonly reconnectForMs: number,
  ) {}

  /** Connects, creates or upgrades the schema (migrations.ts) and returns the open storage. */
  static async open(options: PostgresStorageOptions): Promise<PostgresStorage> {
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? POOL_SIZE });
    // An idle connection that PostgreSQL drops (a restart) is reported here; the pool discards it and opens a
    // new one when next needed. Without a listener the event would end the process.
    pool.on('error', () => undefined);
    // A connection that fails while checked out also emits 'error' on its client (besides failing the query in
    // progress, which is what the commit acts on); unheard, that event would end the process.
    pool.on('connect', (client) => {
      client.on('error', () => undefined);
      // Index scans only. On a small table PostgreSQL's planner prefers a sequential scan, even for a lookup by
      // primary key, and under SERIALIZABLE a sequential scan takes a predicate lock on the whole table: every
      // concurrent write then conflicts with every read, and commits fail with serialization failures they do
      // not deserve (measured: 4.5 per commit with 24 clients on 8 hot rows). Issued first on each new
      // connection, before any statement of ours; an engine without this setting (CockroachDB) refuses it,
      // harmlessly.
      client.query('SET enable_seqscan = off').catch(() => undefined);
    });
    try {
      const client = await pool.connect();
      try {
        await applyMigrations(client);
      } finally {
        client.release();
      }
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw error;
    }
    return new PostgresStorage(pool, options.reconnectForMs ?? RECONNECT_FOR_MS);
  }

  get(space: Space, key: Uint8Array): Promise<unknown> {
    return this.readOne(space, key).then((row) => (row === undefined ? undefined : decodeValue(row.value)));
  }

  getEncoded(space: Space, key: Uint8Array): Promise<Uint8Array | undefined> {
    // node-postgres makes a fresh buffer for each value read: it may be handed out as it is.
    return this.readOne(space, key).then((row) => row?.value);
  }

  range(space: Space, options?: RangeOptions): AsyncIterable<KeyValue> {
    return {
      [Symbol.asyncIterator]: (): AsyncIterator<KeyValue> => {
        if (this.closed) throw storageClosedError();
        assertSpaceName(space);
        // A page asked for after close fails as every other call does, not with the pool's own error.
        const page = (query: pg.QueryConfig): Promise<pg.QueryResult<{ key: Buffer; value: Buffer }>> =>
          this.closed ? Promise.reject(storageClosedError()) : this.track(this.withRetries(() => this.pool.query(query)));
        return new PostgresRangeIterator(page, space, options ?? {});
      },
    };
  }

  atomic<T>(reads: readonly ReadRequest[], decide: Decide<T>): Promise<T> {
    if (this.closed) return Promise.reject(storageClosedError());
    try {
      for (const read of reads) {
        assertSpaceName(read.space);
        if (!(read.key instanceof Uint8Array)) throw new TypeError('storage key must be a Uint8Array');
      }
    } catch (error) {
      return Promise.reject(error);
    }
    return this.track(this.commitInTurn(reads, decide));
  }

  clearSpace(space: Space): Promise<void> {
    return this.atomic([], () => ({ writes: [], clearSpaces: [space], result: undefined }));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Commits already running finish (their callers are owed an answer); then the connections close.
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    await this.pool.end();
  }

  private readOne(space: Space, key: Uint8Array): Promise<ValueRow | undefined> {
    if (this.closed) return Promise.reject(storageClosedError());
    try {
      assertSpaceName(space);
    } catch (error) {
      return Promise.reject(error);
    }
    const query = { ...GET, values: [space, asBuffer(key)] };
    return this.track(this.withRetries(() => this.pool.query<ValueRow>(query)).then((result) => result.rows[0]));
  }

  /** Runs a read on the pool, again while PostgreSQL cannot be reached (reads are safe to repeat). */
  private async withRetries<R>(read: () => Promise<R>): Promise<R> {
    const deadline = Date.now() + this.reconnectForMs;
    for (let attempt = 0; ; attempt++) {
      try {
        return await read();
      } catch (error) {
        if (!isConnectionFailure(error)) throw error;
        if (Date.now() >= deadline) throw unreachableError(error);
        await sleep(backoff(attempt, 100));
      }
    }
  }

  /** commit, once the earlier commits of this process on the same keys are done. */
  private async commitInTurn<T>(reads: readonly ReadRequest[], decide: Decide<T>): Promise<T> {
    // A key the commit only reads (the catalog version every item commit checks) queues nothing: queueing on it
    // would make every commit of this process wait for the one before.
    const queued = reads.filter((read) => read.readOnly !== true);
    const release = await this.locks.acquire(queued.map((read) => rowId(read.space, read.key)));
    try {
      return await this.commit(reads, decide);
    } finally {
      release();
    }
  }

  private async commit<T>(reads: readonly ReadRequest[], decide: Decide<T>): Promise<T> {
    const deadline = Date.now() + this.reconnectForMs;
    let conflicts = 0;
    for (let attempt = 0; ; attempt++) {
      let client: pg.PoolClient;
      try {
        client = await this.pool.connect();
      } catch (error) {
        if (!isConnectionFailure(error)) throw error;
        if (Date.now() >= deadline) throw unreachableError(error);
        await sleep(backoff(attempt, 100));
        continue;
      }
      const state = { committing: false };
      let outcome: Attempt<T>;
      try {
        outcome = await this.attempt(client, reads, decide, state);
      } catch (error) {
        if (isConnectionFailure(error)) {
          client.release(error instanceof Error ? error : true);
          if (state.committing) throw uncertainCommitError(error);
          if (Date.now() >= deadline) throw unreachableError(error);
          await sleep(backoff(attempt, 100));
          continue;
        }
        await rollback(client);
        if (!isSerializationFailure(error) || ++conflicts > MAX_SERIALIZATION_RETRIES) throw error;
        await sleep(backoff(conflicts, BACKOFF_MAX_MS));
        continue;
      }
      client.release();
      if (outcome.kind === 'refused') throw outcome.error;
      return outcome.result;
    }
  }

  /** One try of a commit on `client`. Throws database errors; a refusal by decide (or a bad write) is returned. */
  private async attempt<T>(client: pg.PoolClient, reads: readonly ReadRequest[], decide: Decide<T>, state: { committing: boolean }): Promise<Attempt<T>> {
    await client.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
    const current = await readAll(client, reads);
    let decision: Decision<T>;
    let writes: PreparedWrites;
    try {
      decision = decide(current);
      writes = prepareWrites(decision);
    } catch (error) {
      // Nothing was written; committing (not rolling back) makes PostgreSQL confirm the reads decide refused on.
      state.committing = true;
      await client.query('COMMIT');
      return { kind: 'refused', error };
    }
    if (writes.clears.length > 0) await client.query({ ...CLEAR, values: [writes.clears] });
    if (writes.remove.keys.length > 0) await client.query({ ...DELETE_MANY, values: [writes.remove.spaces, writes.remove.keys] });
    const upsert = writes.upsert;
    if (upsert.keys.length > 0) await client.query({ ...UPSERT, values: [upsert.spaces, upsert.keys, upsert.values, upsert.tags] });
    state.committing = true;
    await client.query('COMMIT');
    return { kind: 'committed', result: decision.result };
  }

  private track<R>(promise: Promise<R>): Promise<R> {
    this.inFlight.add(promise);
    const forget = (): void => {
      this.inFlight.delete(promise);
    };
    promise.then(forget, forget);
    return promise;
  }
}

/** The current values of the read keys, in request order (StoredValues for lazy reads). */
async function readAll(client: pg.PoolClient, reads: readonly ReadRequest[]): Promise<unknown[]> {
  const current = new Array<unknown>(reads.length);
  if (reads.length === 0) return current;
  const found = new Map<string, ValueRow>();
  if (reads.length === 1) {
    const read = reads[0] as ReadRequest;
    const { rows } = await client.query<ValueRow>({ ...GET, values: [read.space, asBuffer(read.key)] });
    if (rows[0] !== undefined) found.set(rowId(read.space, read.key), rows[0]);
  } else {
    const { rows } = await client.query<ValueRow & { space: string; key: Buffer }>({
      ...READ_MANY,
      values: [reads.map((read) => read.space), reads.map((read) => asBuffer(read.key))],
    });
    for (const row of rows) found.set(rowId(row.space, row.key), row);
  }
  for (let i = 0; i < reads.length; i++) {
    const read = reads[i] as ReadRequest;
    const row = found.get(rowId(read.space, read.key));
    current[i] = row === undefined ? undefined : read.lazy === true ? new LazyRow(row) : decodeValue(row.value);
  }
  return current;
}

/** Checks and encodes a decision's writes before any is sent; the last write of a key wins. */
function prepareWrites(decision: Decision<unknown>): PreparedWrites {
  const last = new Map<string, { write: WriteRequest; value: Buffer | undefined }>();
  for (const write of decision.writes) {
    assertSpaceName(write.space);
    if (!(write.key instanceof Uint8Array)) throw new TypeError('storage key must be a Uint8Array');
    let value: Buffer | undefined;
    if (write.value !== undefined) {
      assertStorageTag(write.tag);
      value = encodeValue(write.value);
    }
    const id = rowId(write.space, write.key);
    // Deleted first so that the map's order is that of each key's last write.
    last.delete(id);
    last.set(id, { write, value });
  }
  const clears = decision.clearSpaces ?? [];
  checkClears(clears, decision.writes);
  const upsert: PreparedWrites['upsert'] = { spaces: [], keys: [], values: [], tags: [] };
  const remove: PreparedWrites['remove'] = { spaces: [], keys: [] };
  for (const { write, value } of last.values()) {
    if (value === undefined) {
      remove.spaces.push(write.space);
      remove.keys.push(asBuffer(write.key));
    } else {
      upsert.spaces.push(write.space);
      upsert.keys.push(asBuffer(write.key));
      upsert.values.push(value);
      upsert.tags.push(write.tag ?? null);
    }
  }
  return { upsert, remove, clears };
}

function rowId(space: string, key: Uint8Array): string {
  return `${space}\u0000${Buffer.from(key.buffer, key.byteOffset, key.length).toString('latin1')}`;
}

/** node-postgres sends a Buffer as bytea; a plain Uint8Array it would not. */
function asBuffer(key: Uint8Array): Buffer {
  return Buffer.isBuffer(key) ? key : Buffer.from(key.buffer, key.byteOffset, key.length);
}

async function rollback(client: pg.PoolClient): Promise<void> {
  try {
    await client.query('ROLLBACK');
    client.release();
  } catch (error) {
    client.release(error instanceof Error ? error : true);
  }
}

/** Exponential backoff with full jitter: contending commits spread out instead of colliding again in step. */
function backoff(attempt: number, maxMs: number): number {
  return Math.random() * Math.min(maxMs, BACKOFF_BASE_MS * 2 ** Math.min(attempt, 16));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
