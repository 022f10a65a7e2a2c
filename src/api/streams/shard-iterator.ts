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

/** DynamoDB's shape: `<StreamArn>|1|<opaque>`. */
export function encodeIterator(position: ShardPosition): string {
  const text = JSON.stringify([position.shardId, position.next, position.issuedAt]);
  return `${position.streamArn}|1|${Buffer.from(text, 'utf8').toString('base64url')}`;
}

export function decodeIterator(iterator: string, now: number): ShardPosition {
  const separator = iterator.lastIndexOf('|1|');
  let parsed: unknown;
  try {
    parsed = separator < 0 ? undefined : JSON.parse(Buffer.from(iterator.slice(separator + 3), 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    typeof parsed[0] !== 'string' ||
    !Number.isSafeInteger(parsed[1]) ||
    !Number.isSafeInteger(parsed[2])
  ) {
    throw validationError('Invalid ShardIterator');
  }
  const position: ShardPosition = {
    streamArn: iterator.slice(0, separator),
    shardId: parsed[0],
    next: parsed[1] as number,
    issuedAt: parsed[2] as number,
  };
  if (now - position.issuedAt > ITERATOR_LIFETIME_MS) {
    // The documented text of this error (DynamoDB's wire text is not recorded anywhere public).
    throw new DynamoDbError('ExpiredIteratorException', 'The provided iterator exceeds the maximum age allowed.');
  }
  return position;
}
