/**
 * Writes that are durable in the write-ahead log but not yet merged into LMDB: per space, an ordered tree of
 * key -> entry. Every read looks here first, so the log plus LMDB always read as one store.
 *
 * An entry keeps the value object (what `get` returns), its stored bytes (stored-value.ts: what LMDB and
 * `getEncoded` take), its tag, and the log sequence number of the commit that wrote it: a merge removes an entry
 * only if no later commit replaced it meanwhile. An entry is also what a lazy read of its key returns: its value
 * needs no decoding.
 *
 * Entries loaded from the log at start-up (`PendingEntry.logged`: a crash left writes that LMDB does not have) have
 * only their bytes: their values are decoded on their first read, so that a log of 100 MB is loaded without
 * parsing 100 MB of JSON before the server answers.
 */
import type { StoredValue } from '../storage.js';
import { BTree, type TreeSnapshot } from '../memory/b-tree.js';
import { TreeCursor } from '../memory/b-tree-cursor.js';
import { decodeStored, jsonStart } from './stored-value.js';

export class PendingEntry implements StoredValue {
  private decoded: unknown;
  /** True for an entry loaded from the log whose value has not been read yet. */
  private undecoded: boolean;

  constructor(
    /** The value, or undefined for a delete (a tombstone that hides the key in LMDB). */
    value: unknown,
    readonly bytes: Buffer | undefined,
    readonly tag: number | undefined,
    readonly sequence: number,
  ) {
    this.decoded = value;
    this.undecoded = false;
  }

  /** An entry of a logged write (stored bytes, or undefined for a delete), its value decoded when first read. */
  static logged(bytes: Buffer | undefined, sequence: number): PendingEntry {
    const tag = bytes === undefined || jsonStart(bytes) === 0 ? undefined : bytes.readUInt32LE(1);
    const entry = new PendingEntry(undefined, bytes, tag, sequence);
    entry.undecoded = bytes !== undefined;
    return entry;
  }

  /** A delete: the key is gone, whatever LMDB still holds for it. */
  get deleted(): boolean {
    return this.bytes === undefined;
  }

  /** The value (undefined for a delete). */
  get value(): unknown {
    if (this.undecoded) {
      this.decoded = decodeStored(this.bytes as Buffer);
      this.undecoded = false;
    }
    return this.decoded;
  }

  decode(): unknown {
    return this.value;
  }
}

export interface PendingWrite {
  readonly space: string;
  readonly key: Uint8Array;
  readonly entry: PendingEntry;
}

export class PendingWrites {
  private readonly spaces = new Map<string, BTree>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(space: string, key: Uint8Array): PendingEntry | undefined {
    return this.spaces.get(space)?.get(key) as PendingEntry | undefined;
  }

  set(space: string, key: Uint8Array, entry: PendingEntry): void {
    let tree = this.spaces.get(space);
    if (tree === undefined) {
      tree = new BTree();
      this.spaces.set(space, tree);
    }
    const before = tree.size;
    // The tree keeps the key, so it gets its own copy: callers may reuse their key buffers.
    tree.set(Uint8Array.prototype.slice.call(key), entry);
    this.count += tree.size - before;
  }

  /**
   * Loads the entries of a space that has none yet, `keys` sorted and without repeats, all at once (see
   * BTree.fromSorted): what recovery loads from the log.
   */
  load(space: string, keys: readonly Uint8Array[], entries: readonly PendingEntry[]): void {
    if (this.spaces.has(space)) throw new Error(`pending writes of ${space} are already loaded`);
    if (keys.length === 0) return;
    this.spaces.set(space, BTree.fromSorted(keys, entries));
    this.count += keys.length;
  }

  /** A frozen view of one space for a range iteration (release it with `release`), or undefined if none. */
  snapshot(space: string): { tree: BTree; snapshot: TreeSnapshot } | undefined {
    const tree = this.spaces.get(space);
    if (tree === undefined || tree.size === 0) return undefined;
    return { tree, snapshot: tree.snapshot() };
  }

  /** Every entry written by commits up to `sequence`, for a merge into LMDB. */
  collectThrough(sequence: number): PendingWrite[] {
    const out: PendingWrite[] = [];
    for (const [space, tree] of this.spaces) {
      const snapshot = tree.snapshot();
      try {
        const cursor = new TreeCursor(snapshot.root, undefined, undefined, false);
        while (cursor.next()) {
          const entry = cursor.value as PendingEntry;
          if (entry.sequence <= sequence) out.push({ space, key: cursor.key, entry });
        }
      } finally {
        tree.release(snapshot);
      }
    }
    return out;
  }

  /** Forgets merged entries, unless a later commit has replaced them since. */
  removeMerged(writes: readonly PendingWrite[]): void {
    for (const write of writes) {
      const tree = this.spaces.get(write.space);
      if (tree === undefined) continue;
      const current = tree.get(write.key) as PendingEntry | undefined;
      if (current !== undefined && current.sequence === write.entry.sequence && tree.delete(write.key)) this.count--;
    }
  }

  /** Drops a whole space (a deleted table). */
  dropSpace(space: string): void {
    const tree = this.spaces.get(space);
    if (tree === undefined) return;
    this.count -= tree.size;
    this.spaces.delete(space);
  }
}
