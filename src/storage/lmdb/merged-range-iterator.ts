/**
 * A range over one space as the store reads it: LMDB's keys merged with the pending (logged, not yet merged)
 * writes, a pending entry hiding LMDB's value for the same key, a pending delete hiding the key altogether.
 * Both sides are snapshots taken when the iteration starts, so commits during it are not seen, as with a plain
 * LMDB range. The limit applies to what comes out, after deletes are hidden.
 */
import type { EncodedValue, KeyValue } from '../storage.js';
import type { BTree, TreeSnapshot } from '../memory/b-tree.js';
import { TreeCursor } from '../memory/b-tree-cursor.js';
import { compareBytes } from '../memory/compare-bytes.js';
import type { PendingEntry } from './pending-writes.js';
import { storedJson } from './stored-value.js';

const DONE: Promise<IteratorResult<KeyValue>> = Promise.resolve({ value: undefined, done: true });

export class MergedRangeIterator implements AsyncIterator<KeyValue> {
  private readonly cursor: TreeCursor;
  /** The next LMDB entry not yet returned: undefined = not read yet, null = LMDB side exhausted. */
  private base: KeyValue | null | undefined = undefined;
  /** The next pending entry not yet returned (same convention). */
  private pending: { key: Uint8Array; entry: PendingEntry } | null | undefined = undefined;
  private remaining: number;
  private done = false;

  constructor(
    private readonly lmdb: AsyncIterator<KeyValue>,
    private readonly overlay: { tree: BTree; snapshot: TreeSnapshot },
    start: Uint8Array | undefined,
    end: Uint8Array | undefined,
    private readonly reverse: boolean,
    limit: number | undefined,
    /** Open iterations of the store, which its close() ends. */
    private readonly registry: Set<MergedRangeIterator>,
    /** Hand out pending values as EncodedValues (their stored JSON and tag), as the LMDB side does. */
    private readonly encoded = false,
  ) {
    this.cursor = new TreeCursor(overlay.snapshot.root, start, end, reverse);
    this.remaining = limit === undefined ? Infinity : Math.max(0, limit);
    registry.add(this);
  }

  async next(): Promise<IteratorResult<KeyValue>> {
    if (this.done) return DONE;
    try {
      while (this.remaining > 0) {
        if (this.base === undefined) {
          const step = await this.lmdb.next();
          this.base = step.done === true ? null : step.value;
        }
        if (this.pending === undefined) {
          this.pending = this.cursor.next() ? { key: this.cursor.key, entry: this.cursor.value as PendingEntry } : null;
        }
        if (this.base === null && this.pending === null) break;
        let order = 0;
        if (this.base === null) order = 1;
        else if (this.pending === null) order = -1;
        else order = this.reverse ? compareBytes(this.pending.key, this.base.key) : compareBytes(this.base.key, this.pending.key);
        if (order < 0) {
          // LMDB's entry comes first and nothing pending touches it.
          const value = this.base as KeyValue;
          this.base = undefined;
          this.remaining--;
          return { value, done: false };
        }
        const pending = this.pending as { key: Uint8Array; entry: PendingEntry };
        this.pending = undefined;
        // The same key in LMDB is stale: the pending write replaces it.
        if (order === 0) this.base = undefined;
        if (pending.entry.deleted) continue;
        this.remaining--;
        const value = this.encoded ? encodedPending(pending.entry) : pending.entry.value;
        return { value: { key: pending.key, value }, done: false };
      }
    } catch (error) {
      await this.finish();
      throw error;
    }
    await this.finish();
    return { value: undefined, done: true };
  }

  async return(): Promise<IteratorResult<KeyValue>> {
    await this.finish();
    return { value: undefined, done: true };
  }

  private async finish(): Promise<void> {
    if (this.done) return;
    this.done = true;
    this.registry.delete(this);
    this.overlay.tree.release(this.overlay.snapshot);
    await this.lmdb.return?.();
  }
}

/** A pending (not deleted) entry as an EncodedValue: its stored bytes are in clear, whether or not LMDB's are sealed. */
function encodedPending(entry: PendingEntry): EncodedValue {
  return { json: storedJson(entry.bytes as Buffer), tag: entry.tag };
}
