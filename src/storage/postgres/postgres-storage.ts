/**
 * The PostgreSQL Storage: every space in one table, `cairn_kv (space text, key bytea, value bytea, tag bigint,
 * primary key (space, key))` (migrations.ts), reached through a node-postgres pool.
 *
 * Commits. `atomic` is one database transaction at SERIALIZABLE isolation, in two round trips (commit-sql.ts):
 * BEGIN with one read of the requested keys, then `decide`, then one DELETE for the cleared spaces, one DELETE for
 * the deleted keys and one INSERT ... SELECT FROM unnest(...) ON CONFLICT DO UPDATE for the rest, sent with
 * COMMIT. Serializable isolation is what makes the read-decide-write atomic: a concurrent commit that changed a key
 * this one read (or inserted a key it found absent, which row locks could not catch) makes one of them fail with a
 * serialization failure (40001), or a deadlock (40P01); the failed one is rolled back and run again from the
 * start, decide included (decide is pure), after a short randomised backoff. A decide that throws (a failed
 * condition) is answered only after its read-only transaction commits: PostgreSQL guarantees what a serializable
 * transaction read only once it committed, so a refusal is never based on a state that did not exist.
 *
 * Group commit. At most COMMIT_SLOTS such transactions run at once; commits that arrive while all are busy queue,
 * and the next free slot runs all those queued as one transaction (attemptTogether), each decision in turn. Idle,
 * a commit runs alone at once; under load, the cost of a transaction is shared by its commits.
 *
 * Writes are checked and encoded before anything is sent, so a bad write leaves no trace; several writes of one
 * key in a decision collapse into the last (ON CONFLICT DO UPDATE cannot touch a row twice in one statement).
 * Every statement is prepared once per connection.
 *
 * Durability: COMMIT returns once PostgreSQL has the transaction in its write-ahead log on disk (its default
 * synchronous_commit), so `atomic` resolves only for a durable commit.
 *
 * Connection loss. A commit whose connection fails before its writes were sent certainly did not commit: it is
 * retried on another connection (the pool opens a new one; while PostgreSQL is unreachable, for up to
 * `reconnectForMs`). The writes travel with COMMIT, so if the connection fails once they may have been sent, the
 * outcome is unknown: the commit rejects with an error the wire answers as a 500 InternalServerError (as DynamoDB
 * answers when it cannot tell), never as a success or a retry that could apply it twice. The pool drops broken
 * connections and opens new ones as PostgreSQL comes back.
 *
 * The SQL keeps to what CockroachDB and YugabyteDB also accept (README, Running on PostgreSQL).
 */
import pg from 'pg';
import type { Decide, Decision, KeyValue, RangeOptions, ReadRequest, Space, Storage } from '../storage.js';
import { storageClosedError } from '../storage-closed-error.js';
import { assertSpaceName } from '../space-name.js';
import { KeyLocks } from './key-locks.js';
import { applyMigrations, KV_TABLE } from './migrations.js';
import { isConnectionFailure, isSerializationFailure, uncertainCommitError, unreachableError } from './postgres-errors.js';
import { PostgresRangeIterator } from './postgres-range-iterator.js';
import { decodeValue, type ValueRow } from './stored-row.js';
import { BEGIN, beginAndRead, COMMIT_STATEMENTS, encodeWrites, readValue, rowId, writeStatements, type EncodedWrite } from './commit-sql.js';
import { CommitQueue } from './commit-queue.js';

export interface PostgresStorageOptions {
  /** A libpq-style connection URL, `postgres://user:password@host:port/database`. */
  readonly url: string;
  /** Connections in the pool (default POOL_SIZE). */
  readonly poolSize?: number;
  /** How long a commit or read keeps trying while PostgreSQL cannot be reached (default RECONNECT_FOR_MS). */
  readonly reconnectForMs?: number;
  /** Transactions of commits running at once, beyond which commits queue and go together (default COMMIT_SLOTS). */
  readonly commitSlots?: number;
}

/** Enough concurrent transactions to keep a 2-core PostgreSQL busy, few enough not to thrash it. */
const POOL_SIZE = 10;
const RECONNECT_FOR_MS = 10_000;
/** Serialization failures are retried this many times; under heavy contention on one key each round commits one. */
const MAX_SERIALIZATION_RETRIES = 1000;
const BACKOFF_BASE_MS = 1;
const BACKOFF_MAX_MS = 50;
/**
 * Group commit (commit-queue.ts): at most this many transactions of commits at once, so that under load commits
 * queue and go together; the rest of the pool serves reads.
 */
const COMMIT_SLOTS = 4;
/** At most this many commits in one transaction (its statements grow with it). */
const MAX_BATCH = 32;
/** Once a transaction's writes hold this many bytes of values, the commits after them wait for another one. */
const MAX_BATCH_BYTES = 1024 * 1024;

const GET = { name: 'cairn_get', text: `SELECT value, tag FROM ${KV_TABLE} WHERE space = $1 AND key = $2` };

/** A commit waiting in the queue (commit-queue.ts), with how to answer it. */
interface Job {
  readonly reads: readonly ReadRequest[];
  readonly decide: Decide<unknown>;
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: unknown) => void;
}

type Attempt<T> = { readonly kind: 'committed'; readonly result: T } | { readonly kind: 'refused'; readonly error: unknown };

export class PostgresStorage implements Storage {
  /** Any number of Cairn processes may serve one database (see Storage.multiProcess). */
  readonly multiProcess = true;
  private closed = false;
  private readonly inFlight = new Set<Promise<unknown>>();
  /** This process's commits on the same keys take turns (key-locks.ts). */
  private readonly locks = new KeyLocks();
  /** The connections that have the commit statements PREPAREd (COMMIT_STATEMENTS). */
  private readonly prepared = new WeakSet<pg.PoolClient>();
  /** Commits wait here for a connection, and go together when they had to wait (group commit). */
  private readonly queue: CommitQueue<Job>;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly reconnectForMs: number,
    commitSlots: number,
  ) {
    this.queue = new CommitQueue<Job>(commitSlots, MAX_BATCH, (batch) => this.runBatch(batch));
  }

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
      // One plan per prepared statement, made once per connection. Left to choose, PostgreSQL plans the commit
      // statements again on every EXECUTE (a plan for the given arrays looks cheaper than the generic one), which
      // measured about a quarter of its CPU per PutItem; the generic plan is the same index lookup per key. An
      // engine without the setting refuses it, harmlessly, as above.
      client.query('SET plan_cache_mode = force_generic_plan').catch(() => undefined);
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
    return new PostgresStorage(pool, options.reconnectForMs ?? RECONNECT_FOR_MS, options.commitSlots ?? COMMIT_SLOTS);
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
      return await new Promise<T>((resolve, reject) => {
        this.queue.add({ reads, decide, resolve: resolve as (result: unknown) => void, reject });
      });
    } finally {
      release();
    }
  }

  /** Runs a batch of queued commits: alone, as before, or together in one transaction (see attemptTogether). */
  private async runBatch(batch: readonly Job[]): Promise<void> {
    const alone = batch.length === 1 ? batch : await this.attemptTogether(batch);
    await Promise.all(alone.map((job) => this.commit(job.reads, job.decide).then(job.resolve, job.reject)));
  }

  /**
   * One transaction for several commits: one read of all their keys, each decision in turn (a later one reads what
   * an earlier one wrote), one write of all their writes, COMMIT; every commit is then answered, a refused one with
   * its error. That is the same as running them one after the other, each still atomic. Their keys are disjoint
   * anyway (the key locks), but for keys only read (the catalog version, which a DDL commit of the batch may
   * write). Returns the commits left for the caller to run one by one, each with its own retries: all of them,
   * having committed and answered nothing, when anything goes wrong before COMMIT was sent (a serialization failure,
   * a connection lost, a failing write, a decision that clears a space), so that one commit's trouble is its own;
   * otherwise those that did not fit (MAX_BATCH_BYTES). If the connection is lost while COMMIT is in flight, every
   * commit of the transaction is answered as uncertain.
   */
  private async attemptTogether(batch: readonly Job[]): Promise<readonly Job[]> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch {
      return batch;
    }
    let committing = false;
    const outcomes: Attempt<unknown>[] = [];
    try {
      await this.prepareCommitStatements(client);
      const reads = new Map<string, ReadRequest>();
      for (const job of batch) for (const read of job.reads) reads.set(rowId(read.space, read.key), read);
      const found = reads.size === 0 ? new Map<string, ValueRow>() : await beginAndRead(client, [...reads.values()]);
      const writes = new Map<string, EncodedWrite>();
      let bytes = 0;
      let together = batch.length;
      for (const [position, job] of batch.entries()) {
        // The statement of the writes is kept to a sane size: the commits after a big one wait for their own turn.
        if (bytes > MAX_BATCH_BYTES) {
          together = position;
          break;
        }
        const values = job.reads.map((read) => {
          const id = rowId(read.space, read.key);
          const written = writes.get(id);
          if (written === undefined) return readValue(read, found.get(id));
          return written.value === undefined ? undefined : readValue(read, { value: written.value, tag: written.tag === null ? null : String(written.tag) });
        });
        let decision: Decision<unknown>;
        try {
          decision = job.decide(values);
          if ((decision.clearSpaces ?? []).length > 0) {
            await rollback(client);
            return batch;
          }
          bytes += encodeWrites(decision, writes);
        } catch (error) {
          outcomes.push({ kind: 'refused', error });
          continue;
        }
        outcomes.push({ kind: 'committed', result: decision.result });
      }
      const statements = [...(reads.size === 0 ? [BEGIN] : []), ...writeStatements(writes.values(), []), 'COMMIT'];
      committing = true;
      await client.query(statements.join('; '));
      client.release();
      outcomes.forEach((outcome, index) => {
        const job = batch[index] as Job;
        if (outcome.kind === 'committed') job.resolve(outcome.result);
        else job.reject(outcome.error);
      });
      return batch.slice(together);
    } catch (error) {
      if (!isConnectionFailure(error)) {
        await rollback(client);
        return batch;
      }
      client.release(error instanceof Error ? error : true);
      if (!committing) return batch;
      for (const job of batch.slice(0, outcomes.length)) job.reject(uncertainCommitError(error));
      return batch.slice(outcomes.length);
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

  /**
   * One try of a commit on `client`, in two round trips (commit-sql.ts): BEGIN with the read, then the writes with
   * COMMIT. Throws database errors; a refusal by decide (or a bad write) is returned.
   */
  private async attempt<T>(client: pg.PoolClient, reads: readonly ReadRequest[], decide: Decide<T>, state: { committing: boolean }): Promise<Attempt<T>> {
    await this.prepareCommitStatements(client);
    const found = reads.length === 0 ? undefined : await beginAndRead(client, reads);
    let decision: Decision<T>;
    const writes = new Map<string, EncodedWrite>();
    try {
      decision = decide(reads.map((read) => readValue(read, found?.get(rowId(read.space, read.key)))));
      encodeWrites(decision, writes);
    } catch (error) {
      // Nothing was read: nothing to confirm, and nothing was begun.
      if (found === undefined) return { kind: 'refused', error };
      // Nothing was written; committing (not rolling back) makes PostgreSQL confirm the reads decide refused on.
      state.committing = true;
      await client.query('COMMIT');
      return { kind: 'refused', error };
    }
    const statements = [...(found === undefined ? [BEGIN] : []), ...writeStatements(writes.values(), decision.clearSpaces ?? []), 'COMMIT'];
    // The writes travel with COMMIT: once this string may have been sent, the outcome is known only from its answer.
    state.committing = true;
    await client.query(statements.join('; '));
    return { kind: 'committed', result: decision.result };
  }

  /** PREPAREs the commit statements on a connection that has not got them yet (once per connection). */
  private async prepareCommitStatements(client: pg.PoolClient): Promise<void> {
    if (this.prepared.has(client)) return;
    await client.query(COMMIT_STATEMENTS.join('; '));
    this.prepared.add(client);
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
