/**
 * ClientRequestToken of TransactWriteItems: a token is remembered for 10 minutes after the transaction that used
 * it succeeded. A retry with the same token and the same request is answered from the record without applying
 * anything again; the same token with another request is IdempotentParameterMismatchException.
 *
 * The record is written in the same atomic commit as the transaction, so a transaction whose answer was lost
 * (the client timed out, the process died after the commit) is recognised on retry. Records live in the storage
 * space `tokens` keyed by `<scope>/<token>`, the scope being the caller's namespace (tokenScope: two accounts
 * using one token are two tokens). The SDKs send a fresh token with every transaction, so records must
 * go once expired: each has an entry keyed by its commit time in `tokens-by-time`, and the periodic work deletes
 * those past the window (sweepExpiredTokens).
 */
import { createHash } from 'node:crypto';
import { DynamoDbError } from '../errors.js';
import type { Storage, WriteRequest } from '../storage/storage.js';
import { UNNAMESPACED_ACCOUNT_ID, type Namespace } from './catalog.js';

export const TOKEN_SPACE = 'tokens';
export const TOKEN_TIME_SPACE = 'tokens-by-time';
export const TOKEN_WINDOW_MS = 10 * 60 * 1000;

export interface TokenRecord {
  /** A digest of the request (all of it but the token and the Return* members). */
  readonly digest: string;
  /** Epoch ms when the transaction committed. */
  readonly committedAt: number;
  /** The response members to answer a replay with (ItemCollectionMetrics), and what a replay costs. */
  readonly answer: Readonly<Record<string, unknown>>;
  /** Read units per table, what DynamoDB charges a replay (it reads instead of writing). */
  readonly replayReadUnits: Readonly<Record<string, number>>;
}

const encoder = new TextEncoder();

/**
 * The namespace a token belongs to: the region for account 000000000000 (the key records always had), else
 * `<account>/<region>`.
 */
export function tokenScope(namespace: Namespace): string {
  return namespace.accountId === UNNAMESPACED_ACCOUNT_ID ? namespace.region : `${namespace.accountId}/${namespace.region}`;
}

export function tokenKey(scope: string, token: string): Uint8Array {
  return encoder.encode(`${scope}/${token}`);
}

/** A canonical digest of the request: members sorted at every level, so that JSON member order does not matter. */
export function requestDigest(request: Readonly<Record<string, unknown>>): string {
  const { ClientRequestToken: _token, ReturnConsumedCapacity: _capacity, ReturnItemCollectionMetrics: _metrics, ...rest } = request;
  return createHash('sha256').update(canonical(rest)).digest('base64');
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(record[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function isLiveRecord(value: unknown, now: number): value is TokenRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Partial<TokenRecord>;
  return typeof record.digest === 'string' && typeof record.committedAt === 'number' && now - record.committedAt < TOKEN_WINDOW_MS;
}

export function idempotentParameterMismatch(): DynamoDbError {
  // DynamoDB's text for this error is not documented (nor recorded by public conformance suites); this one says
  // what happened. Unconfirmed.
  return new DynamoDbError(
    'IdempotentParameterMismatchException',
    'The request uses the same client token as a previous, but non-identical request.',
  );
}

/** The writes that record a token: the record, and its entry by commit time (for the sweep). */
export function tokenWrites(scope: string, token: string, record: TokenRecord): WriteRequest[] {
  return [
    { space: TOKEN_SPACE, key: tokenKey(scope, token), value: record },
    { space: TOKEN_TIME_SPACE, key: tokenTimeKey(record.committedAt, scope, token), value: 1 },
  ];
}

function tokenTimeKey(committedAt: number, scope: string, token: string): Uint8Array {
  const name = encoder.encode(`${scope}/${token}`);
  const key = new Uint8Array(8 + name.length);
  new DataView(key.buffer).setBigUint64(0, BigInt(committedAt));
  key.set(name, 8);
  return key;
}

/**
 * Deletes the records of tokens whose window has passed (a batch of at most `limit`); returns how many entries it
 * handled. A record re-used since its entry was made (same token, later commit) is kept.
 */
export async function sweepExpiredTokens(storage: Storage, now: number, limit = 500): Promise<number> {
  const end = new Uint8Array(8);
  new DataView(end.buffer).setBigUint64(0, BigInt(Math.max(0, now - TOKEN_WINDOW_MS)));
  const entries: { key: Uint8Array; committedAt: number; name: Uint8Array }[] = [];
  for await (const { key } of storage.range(TOKEN_TIME_SPACE, { end, limit })) {
    entries.push({ key, committedAt: Number(new DataView(key.buffer, key.byteOffset, 8).getBigUint64(0)), name: key.subarray(8) });
  }
  if (entries.length === 0) return 0;
  await storage.atomic(
    entries.map(({ name }) => ({ space: TOKEN_SPACE, key: name })),
    (records) => ({
      writes: entries.flatMap(({ key, committedAt, name }, position) => {
        const record = records[position] as Partial<TokenRecord> | undefined;
        const drop: WriteRequest[] = [{ space: TOKEN_TIME_SPACE, key, value: undefined }];
        if (record !== undefined && record.committedAt === committedAt) drop.push({ space: TOKEN_SPACE, key: name, value: undefined });
        return drop;
      }),
      result: undefined,
    }),
  );
  return entries.length;
}
