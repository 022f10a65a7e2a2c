/**
 * Shard iterators: opaque strings that say which shard of which stream to read next, from which sequence number,
 * and when the iterator was made (DynamoDB expires iterators after 15 minutes). They carry no secret: an iterator
 * only ever reads what its holder could ask for directly.
 */
import { DynamoDbError, validationError } from '../../errors.js';

export const ITERATOR_LIFETIME_MS = 15 * 60 * 1000;

export interface ShardPosition {
  readonly streamArn: string;
  readonly shardId: string;
  /** The next sequence number to read. */
  readonly next: number;
  /** Epoch ms. */
  readonly issuedAt: number;
}

export function encodeIterator(position: ShardPosition): string {
  const text = JSON.stringify([position.streamArn, position.shardId, position.next, position.issuedAt]);
  return Buffer.from(text, 'utf8').toString('base64url');
}

export function decodeIterator(iterator: string, now: number): ShardPosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(iterator, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 4 ||
    typeof parsed[0] !== 'string' ||
    typeof parsed[1] !== 'string' ||
    !Number.isSafeInteger(parsed[2]) ||
    !Number.isSafeInteger(parsed[3])
  ) {
    throw validationError('Invalid ShardIterator');
  }
  const position: ShardPosition = { streamArn: parsed[0], shardId: parsed[1], next: parsed[2] as number, issuedAt: parsed[3] as number };
  if (now - position.issuedAt > ITERATOR_LIFETIME_MS) {
    throw new DynamoDbError(
      'ExpiredIteratorException',
      `Iterator expired. The iterator was created at time ${new Date(position.issuedAt).toUTCString()} while right now it is ${new Date(now).toUTCString()} which is further in the future than the tolerated delay of 900000 milliseconds.`,
    );
  }
  return position;
}
