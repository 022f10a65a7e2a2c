/**
 * What a commit sends to PostgreSQL, in two round trips: `BEGIN ISOLATION LEVEL SERIALIZABLE; EXECUTE <read>`, then
 * `EXECUTE <writes>...; COMMIT`. node-postgres sends each parameterised (extended-protocol) query on its own and
 * waits for its answer, so the four statements of a commit (BEGIN, read, write, COMMIT) used to be four round trips,
 * each a socket write and a wake-up on both sides: measured, most of the front end's CPU per PutItem beyond LMDB's
 * and much of PostgreSQL's. A simple query may hold several statements, but no parameters: the commit statements are
 * PREPAREd (SQL PREPARE, once per connection) and run with EXECUTE, their values written as literals
 * (sql-literals.ts).
 *
 * In a simple query, a statement that fails skips the rest of the string: writes that fail never reach COMMIT, and
 * the transaction is left aborted for the caller to roll back.
 */
import type pg from 'pg';
import type { Decision, ReadRequest, WriteRequest } from '../storage.js';
import { assertSpaceName } from '../space-name.js';
import { assertStorageTag } from '../storage-tag.js';
import { checkClears } from '../check-clears.js';
import { KV_TABLE } from './migrations.js';
import { bigintArray, byteaArray, byteaLiteral, textArray, textLiteral } from './sql-literals.js';
import { decodeValue, encodeValue, LazyRow, type ValueRow } from './stored-row.js';

/**
 * The commit statements. Their names differ from the protocol-level named statements of postgres-storage.ts
 * (cairn_get, the range pages), with which SQL PREPARE shares one namespace per connection.
 */
export const COMMIT_STATEMENTS: readonly string[] = [
  `PREPARE cairn_tx_get (text, bytea) AS SELECT space, key, value, tag FROM ${KV_TABLE} WHERE space = $1 AND key = $2`,
  `PREPARE cairn_tx_read (text[], bytea[]) AS SELECT space, key, value, tag FROM ${KV_TABLE} ` +
    'WHERE (space, key) IN (SELECT s, k FROM unnest($1, $2) AS r (s, k))',
  `PREPARE cairn_tx_upsert (text[], bytea[], bytea[], bigint[]) AS INSERT INTO ${KV_TABLE} (space, key, value, tag) ` +
    'SELECT s, k, v, t FROM unnest($1, $2, $3, $4) AS r (s, k, v, t) ON CONFLICT (space, key) DO UPDATE SET value = excluded.value, tag = excluded.tag',
  `PREPARE cairn_tx_delete (text[], bytea[]) AS DELETE FROM ${KV_TABLE} WHERE (space, key) IN (SELECT s, k FROM unnest($1, $2) AS r (s, k))`,
  `PREPARE cairn_tx_clear (text[]) AS DELETE FROM ${KV_TABLE} WHERE space = ANY($1)`,
];

export const BEGIN = 'BEGIN ISOLATION LEVEL SERIALIZABLE';

/** A row as read inside a commit. */
export type ReadRow = ValueRow & { readonly space: string; readonly key: Buffer };

/** Begins the transaction and reads `reads` (at least one), in one round trip: the rows found, by rowId. */
export async function beginAndRead(client: pg.ClientBase, reads: readonly ReadRequest[]): Promise<Map<string, ValueRow>> {
  const first = reads[0] as ReadRequest;
  const read =
    reads.length === 1
      ? `EXECUTE cairn_tx_get(${textLiteral(first.space)}, ${byteaLiteral(first.key)})`
      : `EXECUTE cairn_tx_read(${textArray(reads.map((request) => request.space))}, ${byteaArray(reads.map((request) => request.key))})`;
  const results = await simpleQuery<ReadRow>(client, `${BEGIN}; ${read}`);
  const found = new Map<string, ValueRow>();
  for (const row of results[1]?.rows ?? []) found.set(rowId(row.space, row.key), row);
  return found;
}

/** A read's value as `decide` gets it: undefined when absent, a StoredValue for a lazy read, else decoded. */
export function readValue(read: ReadRequest, row: ValueRow | undefined): unknown {
  if (row === undefined) return undefined;
  return read.lazy === true ? new LazyRow(row) : decodeValue(row.value);
}

/** A write checked and encoded: `value` undefined deletes the key. */
export interface EncodedWrite {
  readonly space: string;
  readonly key: Uint8Array;
  readonly value: Buffer | undefined;
  readonly tag: number | null;
}

/**
 * Checks and encodes a decision's writes into `into` (by rowId; the last write of a key wins, in the map's order
 * of each key's last write); returns the bytes of their values. Throws, leaving `into` untouched, when a write is
 * bad.
 */
export function encodeWrites(decision: Decision<unknown>, into: Map<string, EncodedWrite>): number {
  const encoded: [string, EncodedWrite][] = [];
  for (const write of decision.writes) encoded.push(encodeWrite(write));
  checkClears(decision.clearSpaces ?? [], decision.writes);
  let bytes = 0;
  for (const [id, write] of encoded) {
    into.delete(id);
    into.set(id, write);
    bytes += write.value?.length ?? 0;
  }
  return bytes;
}

function encodeWrite(write: WriteRequest): [string, EncodedWrite] {
  assertSpaceName(write.space);
  if (!(write.key instanceof Uint8Array)) throw new TypeError('storage key must be a Uint8Array');
  let value: Buffer | undefined;
  if (write.value !== undefined) {
    assertStorageTag(write.tag);
    value = encodeValue(write.value);
  }
  return [rowId(write.space, write.key), { space: write.space, key: write.key, value, tag: write.tag ?? null }];
}

/** The EXECUTE statements that apply `writes` after clearing `clears`, in that order (none when nothing to do). */
export function writeStatements(writes: Iterable<EncodedWrite>, clears: readonly string[]): string[] {
  const upsert = { spaces: [] as string[], keys: [] as Uint8Array[], values: [] as Buffer[], tags: [] as (number | null)[] };
  const remove = { spaces: [] as string[], keys: [] as Uint8Array[] };
  for (const write of writes) {
    if (write.value === undefined) {
      remove.spaces.push(write.space);
      remove.keys.push(write.key);
    } else {
      upsert.spaces.push(write.space);
      upsert.keys.push(write.key);
      upsert.values.push(write.value);
      upsert.tags.push(write.tag);
    }
  }
  const statements: string[] = [];
  if (clears.length > 0) statements.push(`EXECUTE cairn_tx_clear(${textArray(clears)})`);
  if (remove.keys.length > 0) statements.push(`EXECUTE cairn_tx_delete(${textArray(remove.spaces)}, ${byteaArray(remove.keys)})`);
  if (upsert.keys.length > 0) {
    statements.push(
      `EXECUTE cairn_tx_upsert(${textArray(upsert.spaces)}, ${byteaArray(upsert.keys)}, ${byteaArray(upsert.values)}, ${bigintArray(upsert.tags)})`,
    );
  }
  return statements;
}

/** Runs a simple-query string of several statements; node-postgres answers one result per statement. */
export async function simpleQuery<R extends pg.QueryResultRow>(client: pg.ClientBase, text: string): Promise<pg.QueryResult<R>[]> {
  const answer: unknown = await client.query<R>(text);
  return Array.isArray(answer) ? (answer as pg.QueryResult<R>[]) : [answer as pg.QueryResult<R>];
}

/** A key's identity across spaces, for maps. */
export function rowId(space: string, key: Uint8Array): string {
  return `${space}\u0000${Buffer.from(key.buffer, key.byteOffset, key.length).toString('latin1')}`;
}
