/**
 * Range iteration over one space of the PostgreSQL engine: lazy keyset pagination. Each page is one
 * `SELECT ... ORDER BY key [DESC] LIMIT n` on the primary key, the next page starting after the last key seen,
 * so a caller that stops early (a 1 MB page of a Query) fetches little more than it uses, and writes made
 * between pages never make it skip or repeat a key that exists throughout. Pages grow from FIRST_PAGE to
 * LAST_PAGE rows: a Query that wants a few items costs one small round trip, a long Scan few of them.
 *
 * Each page reads the latest committed data (it is no snapshot across pages, unlike the LMDB and memory engines:
 * the contract allows that, and a DynamoDB Scan is no snapshot either).
 */
import type pg from 'pg';
import type { KeyValue, RangeOptions, Space } from '../storage.js';
import { KV_TABLE } from './migrations.js';
import { decodeValue, plainKey } from './stored-row.js';

const FIRST_PAGE = 16;
const LAST_PAGE = 512;

/** Runs one query of a page; the storage supplies it (pool, closed checks, in-flight tracking). */
export type PageQuery = (query: pg.QueryConfig) => Promise<pg.QueryResult<{ key: Buffer; value: Buffer }>>;

type Lower = '' | 'ge' | 'gt';
type Upper = '' | 'lt';

/**
 * The statement of a page of one shape: which bounds it has and its direction. Each shape is one named
 * (prepared) statement, rather than one statement with optional bounds (`$2 IS NULL OR key >= $2`), which a
 * generic plan could not turn into an index range.
 */
function pageStatement(lower: Lower, upper: Upper, reverse: boolean): { name: string; text: string } {
  const conditions = ['space = $1'];
  let parameter = 2;
  if (lower !== '') conditions.push(`key ${lower === 'ge' ? '>=' : '>'} $${parameter++}`);
  if (upper !== '') conditions.push(`key < $${parameter++}`);
  return {
    name: `cairn_range_${reverse ? 'r' : 'f'}_${lower || 'x'}_${upper || 'x'}`,
    text: `SELECT key, value FROM ${KV_TABLE} WHERE ${conditions.join(' AND ')} ORDER BY key${reverse ? ' DESC' : ''} LIMIT $${parameter}`,
  };
}

export class PostgresRangeIterator implements AsyncIterator<KeyValue> {
  private page: KeyValue[] = [];
  private index = 0;
  /** The last key fetched: the next page starts after it (forward) or before it (reverse). */
  private last: Buffer | undefined;
  private exhausted = false;
  private remaining: number;
  private pageSize = FIRST_PAGE;

  constructor(
    private readonly query: PageQuery,
    private readonly space: Space,
    private readonly options: RangeOptions,
  ) {
    this.remaining = options.limit ?? Infinity;
  }

  async next(): Promise<IteratorResult<KeyValue>> {
    if (this.remaining <= 0) return this.finish();
    if (this.index >= this.page.length) {
      if (this.exhausted) return this.finish();
      await this.fetch();
      if (this.page.length === 0) return this.finish();
    }
    this.remaining--;
    return { value: this.page[this.index++] as KeyValue, done: false };
  }

  return(): Promise<IteratorResult<KeyValue>> {
    return Promise.resolve(this.finish());
  }

  private async fetch(): Promise<void> {
    const { start, end } = this.options;
    const reverse = this.options.reverse === true;
    const values: unknown[] = [this.space];
    let lower: Lower = '';
    let upper: Upper = '';
    if (!reverse) {
      if (this.last !== undefined) {
        lower = 'gt';
        values.push(this.last);
      } else if (start !== undefined) {
        lower = 'ge';
        values.push(Buffer.from(start.buffer, start.byteOffset, start.length));
      }
      if (end !== undefined) {
        upper = 'lt';
        values.push(Buffer.from(end.buffer, end.byteOffset, end.length));
      }
    } else {
      if (start !== undefined) {
        lower = 'ge';
        values.push(Buffer.from(start.buffer, start.byteOffset, start.length));
      }
      const before = this.last ?? (end === undefined ? undefined : Buffer.from(end.buffer, end.byteOffset, end.length));
      if (before !== undefined) {
        upper = 'lt';
        values.push(before);
      }
    }
    const limit = Math.min(this.pageSize, this.remaining);
    values.push(limit);
    const { rows } = await this.query({ ...pageStatement(lower, upper, reverse), values });
    this.page = rows.map((row) => ({ key: plainKey(row.key), value: decodeValue(row.value) }));
    this.index = 0;
    if (rows.length < limit) this.exhausted = true;
    const lastRow = rows[rows.length - 1];
    if (lastRow !== undefined) this.last = lastRow.key;
    this.pageSize = Math.min(this.pageSize * 2, LAST_PAGE);
  }

  private finish(): IteratorResult<KeyValue> {
    this.exhausted = true;
    this.page = [];
    this.index = 0;
    return { value: undefined, done: true };
  }
}
