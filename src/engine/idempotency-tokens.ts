/**
 * ClientRequestToken of TransactWriteItems: a token is remembered for 10 minutes after the transaction that used
 * it succeeded. A retry with the same token and the same request is answered from the record without applying
 * anything again; the same token with another request is IdempotentParameterMismatchException.
 *
 * The record is written in the same atomic commit as the transaction, so a transaction whose answer was lost
 * (the client timed out, the process died after the commit) is recognised on retry. Records live in the storage
 * space `tokens` keyed by `<region>/<token>`; an expired record is simply overwritten by the next use of its token
 * (DynamoDB's window is short and tokens are random, so records are few and small).
 */
import { createHash } from 'node:crypto';
import { DynamoDbError } from '../errors.js';

export const TOKEN_SPACE = 'tokens';
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

export function tokenKey(region: string, token: string): Uint8Array {
  return encoder.encode(`${region}/${token}`);
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
  // DynamoDB's text for this error is not documented; this one says what happened.
  return new DynamoDbError(
    'IdempotentParameterMismatchException',
    'The request uses the same client token as a previous, but non-identical request.',
  );
}
