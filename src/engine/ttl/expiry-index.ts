/**
 * The expiry index of a table with Time to Live: one entry per item whose TTL attribute is a Number, keyed
 *
 *   [expiry, epoch seconds, 8 bytes big-endian] [the item's storage key]
 *
 * in the space `x/<tableId>`, so that the sweeper finds what has expired with one range read from the start of
 * the space up to now: its work is proportional to the expired items, never a scan of the table. The write path
 * keeps the entries in the same commit as the items; a walk adds those of the items already there when TTL is
 * enabled.
 */
import type { Item } from '../../model/attribute-value.js';
import type { TableMetadata } from '../table-metadata.js';

export function expirySpace(table: Pick<TableMetadata, 'tableId'>): string {
  return `x/${table.tableId}`;
}

/** The TTL attributes the write path keeps entries for: while TTL is being enabled and once it is. */
export function maintainedTtlAttribute(table: TableMetadata): string | undefined {
  const ttl = table.timeToLive;
  return ttl !== undefined && (ttl.status === 'ENABLING' || ttl.status === 'ENABLED') ? ttl.attributeName : undefined;
}

/**
 * The expiry time of an item, in whole epoch seconds, when its TTL attribute is a Number DynamoDB can act on;
 * anything else (another type, a negative or absurd number) means the item never expires.
 */
export function expiryOf(item: Item | undefined, attributeName: string): number | undefined {
  const value = item?.[attributeName];
  if (value === undefined || !('N' in value)) return undefined;
  const seconds = Math.floor(Number(value.N));
  return Number.isSafeInteger(seconds) && seconds >= 0 ? seconds : undefined;
}

export function expiryKey(seconds: number, storageKey: Uint8Array): Uint8Array {
  const key = new Uint8Array(8 + storageKey.length);
  new DataView(key.buffer).setBigUint64(0, BigInt(seconds));
  key.set(storageKey, 8);
  return key;
}

/** The first key of entries expiring at or after `seconds`. */
export function expiryBound(seconds: number): Uint8Array {
  return expiryKey(Math.max(0, seconds), new Uint8Array(0));
}

export function parseExpiryKey(key: Uint8Array): { seconds: number; storageKey: Uint8Array } {
  const seconds = Number(new DataView(key.buffer, key.byteOffset, 8).getBigUint64(0));
  return { seconds, storageKey: key.subarray(8) };
}
