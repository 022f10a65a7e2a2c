/**
 * Request ids shaped like DynamoDB's: 52 characters of [0-9A-Z] (SDKs and tools sometimes match that shape).
 * A pooled buffer is filled with random bytes and mapped to the alphabet in bulk, so a request costs no
 * syscall and exactly one string.
 */
import { randomFillSync } from 'node:crypto';

// 32 symbols, so one byte's low five bits pick one uniformly.
const ALPHABET = Buffer.from('ABCDEFGHIJKLMNOPQRSTUV0123456789', 'latin1');
const ID_LENGTH = 52;
const POOL_IDS = 256;
const pool = Buffer.allocUnsafe(ID_LENGTH * POOL_IDS);
let offset = pool.length;

export function newRequestId(): string {
  if (offset === pool.length) {
    randomFillSync(pool);
    for (let i = 0; i < pool.length; i++) pool[i] = ALPHABET[pool[i]! & 31]!;
    offset = 0;
  }
  const id = pool.toString('latin1', offset, offset + ID_LENGTH);
  offset += ID_LENGTH;
  return id;
}
