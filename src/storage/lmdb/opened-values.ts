/**
 * Values read from LMDB as whole items' JSON (getEncoded: GetItem, PartiQL's point SELECT), kept in memory, so that
 * a read of the same value again costs a lookup instead of LMDB's read. In an encrypted store they are kept
 * decrypted: node:crypto sets up a cipher per value, and that fixed cost (several microseconds, far more than
 * decrypting a 1 KB item) was most of what encryption at rest added to a GetItem. In a plain store lmdb-js's read
 * copies the value into a new buffer of its own (an ArrayBuffer per read), which cost a GetItem of a 1 KB item
 * about 5 µs more than the lookup (measured: the encrypted store, with this cache, answered GetItem with 8% less
 * CPU than the plain one without it).
 *
 * What it holds is what a read hands out anyway (plaintext in the process's memory; encryption at rest is about
 * the files). It is bounded by bytes: past its budget the oldest values go first (a Map iterates in insertion
 * order). Correctness rests on two rules the storage keeps:
 * - it is filled only from LMDB, by a read that found no pending write for the key (so never with a value a
 *   pending write has replaced), and
 * - every commit forgets the keys it writes and the spaces it clears, before its pending entries take over.
 * A merge then moves the pending value into LMDB, and the next read after it finds the new value there.
 */
import type { Space } from '../storage.js';

export class OpenedValues {
  /** By space, then by the key's bytes as a latin1 string (one character per byte). */
  private readonly spaces = new Map<Space, Map<string, Buffer>>();
  /** Insertion order across spaces, for eviction: [space, key] pairs. */
  private readonly order: [Space, string][] = [];
  private orderStart = 0;
  private bytes = 0;

  constructor(readonly maxBytes: number) {}

  get(space: Space, key: Uint8Array): Buffer | undefined {
    return this.spaces.get(space)?.get(keyText(key));
  }

  set(space: Space, key: Uint8Array, value: Buffer): void {
    if (value.length > this.maxBytes) return;
    let values = this.spaces.get(space);
    if (values === undefined) this.spaces.set(space, (values = new Map()));
    const text = keyText(key);
    const previous = values.get(text);
    if (previous !== undefined) this.bytes -= previous.length;
    else this.order.push([space, text]);
    values.set(text, value);
    this.bytes += value.length;
    while (this.bytes > this.maxBytes && this.orderStart < this.order.length) this.evictOldest();
    // The order list also keeps pairs already evicted or forgotten by a write: past twice the values held, it is
    // rebuilt from them, so that reads and writes of the same keys under budget cannot grow it without end.
    if (this.order.length - this.orderStart > 2 * this.count() + 1024) this.rebuildOrder();
  }

  delete(space: Space, key: Uint8Array): void {
    const values = this.spaces.get(space);
    if (values === undefined) return;
    const text = keyText(key);
    const value = values.get(text);
    if (value === undefined) return;
    values.delete(text);
    this.bytes -= value.length;
  }

  dropSpace(space: Space): void {
    const values = this.spaces.get(space);
    if (values === undefined) return;
    for (const value of values.values()) this.bytes -= value.length;
    this.spaces.delete(space);
  }

  /** Bytes held (for tests). */
  get size(): number {
    return this.bytes;
  }

  private count(): number {
    let count = 0;
    for (const values of this.spaces.values()) count += values.size;
    return count;
  }

  private rebuildOrder(): void {
    this.order.length = 0;
    this.orderStart = 0;
    for (const [space, values] of this.spaces) for (const text of values.keys()) this.order.push([space, text]);
  }

  private evictOldest(): void {
    const [space, text] = this.order[this.orderStart++] as [Space, string];
    const values = this.spaces.get(space);
    const value = values?.get(text);
    if (values === undefined || value === undefined) return;
    values.delete(text);
    this.bytes -= value.length;
  }
}

function keyText(key: Uint8Array): string {
  return Buffer.from(key.buffer, key.byteOffset, key.length).toString('latin1');
}
