/**
 * ExecuteStatement's NextToken: where a SELECT resumes (which of its partitions, and the key of the last item
 * read), bound to the request it came from and signed, so that a client can neither forge a starting point nor
 * replay a token against another statement.
 *
 * The token is `base64url(JSON payload) "." base64url(HMAC-SHA256(payload))`, keyed by a secret drawn once per
 * process (a restart invalidates outstanding tokens, as a token also expires after an hour, DynamoDB Local's
 * lifetime). The payload holds a hash of the statement and its parameters: DynamoDB refuses a token replayed
 * against another statement or other parameters, and accepts it with another Limit or ConsistentRead.
 *
 * Messages, checked in this order (DynamoDB Local's message table; the first two also recorded by emulators
 * from the service): `Invalid NextToken`, `NextToken does not match request`, `Given NextToken has already
 * expired`.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { validationError } from '../errors.js';
import type { AttributeValue, Item } from '../model/attribute-value.js';

/** Where the next page starts: the partition (index into the plan's partitions; 0 for a Scan) and past which key. */
export interface ResumePoint {
  readonly partition: number;
  readonly after: Item;
}

interface Payload {
  readonly h: string;
  readonly p: number;
  readonly k: Item;
  readonly t: number;
}

const SECRET = randomBytes(32);
/** A token's lifetime. */
export const TOKEN_LIFETIME_MS = 60 * 60 * 1000;

/** The hash a token is bound to: the statement and its parameters. */
export function requestHash(statement: string, parameters: readonly AttributeValue[] | undefined): string {
  return createHash('sha256')
    .update(statement)
    .update('\0')
    .update(JSON.stringify(parameters ?? []))
    .digest('base64url');
}

function sign(body: string): string {
  return createHmac('sha256', SECRET).update(body).digest('base64url');
}

export function encodeToken(hash: string, point: ResumePoint, now = Date.now()): string {
  const payload: Payload = { h: hash, p: point.partition, k: point.after, t: now };
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${sign(body)}`;
}

export function decodeToken(token: string, hash: string, now = Date.now()): ResumePoint {
  const dot = token.indexOf('.');
  const body = token.slice(0, dot);
  const signature = Buffer.from(token.slice(dot + 1), 'base64url');
  const expected = Buffer.from(sign(body), 'base64url');
  if (dot < 0 || signature.length !== expected.length || !timingSafeEqual(signature, expected)) {
    throw validationError('Invalid NextToken');
  }
  let payload: Payload;
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Payload;
  } catch {
    throw validationError('Invalid NextToken');
  }
  if (payload.h !== hash) throw validationError('NextToken does not match request');
  if (now - payload.t > TOKEN_LIFETIME_MS) throw validationError('Given NextToken has already expired');
  return { partition: payload.p, after: payload.k };
}
