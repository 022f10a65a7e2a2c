/**
 * The PostgreSQL engine's schema, created and upgraded by numbered migrations. `cairn_schema_migrations` records
 * each version applied; opening a database applies, in order, every migration it lacks, each in a transaction of
 * its own together with its record, so a migration is applied once whatever happens (a crash leaves it undone,
 * never half done) and opening the same database again changes nothing.
 *
 * The SQL keeps to what CockroachDB and YugabyteDB accept as well as PostgreSQL: plain CREATE TABLE with a
 * composite primary key, no extensions, no advisory locks. Several processes may open one database at once: the
 * loser of a race to create a table or record a version gets a serialization failure or a duplicate-key error and
 * simply reads the versions again (see applyMigrations).
 */
import type pg from 'pg';

export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly statements: readonly string[];
}

/** The key-value table every space lives in (see postgres-storage.ts for why each column is what it is). */
export const KV_TABLE = 'cairn_kv';
export const MIGRATIONS_TABLE = 'cairn_schema_migrations';

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'the key-value table',
    statements: [
      // Keys in the primary key, so that a space's keys are one ordered range of the index: a distributed engine
      // range-partitions it, and ORDER BY key is an index scan. bytea compares bytewise, unsigned, as the
      // interface wants. The value is the JSON text as UTF-8 bytes, not jsonb (which would reorder object keys,
      // drop duplicates and refuse U+0000), so that getEncoded hands out exactly what was written.
      `CREATE TABLE IF NOT EXISTS ${KV_TABLE} (
        space text NOT NULL,
        key bytea NOT NULL,
        value bytea NOT NULL,
        tag bigint,
        PRIMARY KEY (space, key)
      )`,
    ],
  },
];

/**
 * SQLSTATEs of losing a race with another process doing the same migration: read the versions again. Two
 * concurrent `CREATE TABLE IF NOT EXISTS` of one table in PostgreSQL can fail either way: 23505 (pg_type's unique
 * index) or 42710 ("type ... already exists": the table's row type, created first, is what collides).
 */
const RACE_CODES = new Set(['40001', '40P01', '23505', '42P07', '42710']);
const MAX_RACES = 20;

/** Applies the migrations the database lacks; returns the versions applied now. */
export async function applyMigrations(client: pg.ClientBase, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  const applied: number[] = [];
  for (let attempt = 0; ; attempt++) {
    try {
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
      );
      for (const migration of migrations) {
        await client.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
        try {
          const { rows } = await client.query(`SELECT 1 FROM ${MIGRATIONS_TABLE} WHERE version = $1`, [migration.version]);
          if (rows.length === 0) {
            for (const statement of migration.statements) await client.query(statement);
            await client.query(`INSERT INTO ${MIGRATIONS_TABLE} (version, description) VALUES ($1, $2)`, [migration.version, migration.description]);
            applied.push(migration.version);
          }
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
      }
      return applied;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code !== 'string' || !RACE_CODES.has(code) || attempt >= MAX_RACES) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 50 * (attempt + 1)));
    }
  }
}
