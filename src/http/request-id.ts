/**
 * Request ids shaped like DynamoDB's: 52 characters of [0-9A-Z] (SDKs and tools sometimes match that shape).
 * A pooled buffer is filled with random bytes and mapped to the alphabet in bulk, so a request costs no
 * syscall and exactly one string.
 */
import { randomFillSync } from 'node:crypto';

// 32 symbols, so one byte's low five bits pick one uniformly.
const ALPHABET = Buffer.from('ABCDEFGHIJKLMNOPQRSTUV0123456789', 'latin1');
const ID_LENGTH = 52;
/**
 * Ids per refill. Small enough that the mapping loop of the first refill (the first request after start-up) stays
 * short: with 256 ids (13,312 iterations) V8 compiled it on the spot with its optimizing compiler (on-stack
 * replacement), which cost some 14 ms of CPU and 3 MB of memory (the compiler's own code and zones) in a server that
 * had just started. A refill's system call shared by 32 requests is as good as free.
 */
const POOL_IDS = 32;
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
