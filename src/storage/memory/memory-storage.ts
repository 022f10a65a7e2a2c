/**
 * A Storage kept in process memory: one copy-on-write B+tree per space. For tests, benchmarks and
 * `--in-memory` servers; nothing survives the process.
 *
 * `atomic` runs its reads, `decide` and writes synchronously in one call, so no other commit can interleave:
 * JavaScript's single thread is the lock. Range iteration reads a snapshot of the space taken when iteration
 * starts, so concurrent writes never make it skip or repeat keys (and it does not see them).
 *
 * The trees hold MemoryEntry objects (a value and its tag), which are also what lazy reads return.
 */
import type { Decide, KeyValue, RangeOptions, ReadRequest, Space, Storage, StoredValue, WriteRequest } from '../storage.js';
import { storageClosedError } from '../storage-closed-error.js';
import { assertSpaceName } from '../space-name.js';
import { assertStorageTag } from '../storage-tag.js';
import { checkClears } from '../check-clears.js';
import { BTree, type TreeSnapshot } from './b-tree.js';
import { TreeCursor } from './b-tree-cursor.js';

class MemoryEntry implements StoredValue {
  constructor(
    readonly value: unknown,
    readonly tag: number | undefined,
  ) {}

  decode(): unknown {
    return this.value;
  }
}

export class MemoryStorage implements Storage {
  private readonly spaces = new Map<Space, BTree>();
  private closed = false;

  get(space: Space, key: Uint8Array): Promise<unknown> {
    if (this.closed) return Promise.reject(storageClosedError());
    return Promise.resolve((this.spaces.get(space)?.get(key) as MemoryEntry | undefined)?.value);
  }

  range(space: Space, options?: RangeOptions): AsyncIterable<KeyValue> {
    return {
      [Symbol.asyncIterator]: (): AsyncIterator<KeyValue> => new MemoryRangeIterator(this, space, options ?? {}),
    };
  }

  atomic<T>(reads: readonly ReadRequest[], decide: Decide<T>): Promise<T> {
    if (this.closed) return Promise.reject(storageClosedError());
    let result: T;
    try {
      const current = new Array<unknown>(reads.length);
      for (let i = 0; i < reads.length; i++) {
        const read = reads[i] as ReadRequest;
        const entry = this.spaces.get(read.space)?.get(read.key) as MemoryEntry | undefined;
        current[i] = read.lazy === true ? entry : entry?.value;
      }
      const decision = decide(current);
      // Check every write before applying any, so that a bad one cannot leave the commit half done.
      for (const write of decision.writes) checkWrite(write);
      const clears = decision.clearSpaces ?? [];
      checkClears(clears, decision.writes);
      // Open snapshots keep the old tree's nodes alive; dropping the tree is all it takes.
      for (const space of clears) this.spaces.delete(space);
      for (const write of decision.writes) this.apply(write);
      result = decision.result;
    } catch (error) {
      return Promise.reject(error);
    }
    return Promise.resolve(result);
  }

  clearSpace(space: Space): Promise<void> {
    return this.atomic([], () => ({ writes: [], clearSpaces: [space], result: undefined }));
  }

  close(): Promise<void> {
    this.closed = true;
    this.spaces.clear();
    return Promise.resolve();
  }

  /** @internal The tree of a space for the range iterator; undefined when closed or the space is empty. */
  treeOf(space: Space): BTree | undefined {
    if (this.closed) throw storageClosedError();
    return this.spaces.get(space);
  }

  private apply(write: WriteRequest): void {
    let tree = this.spaces.get(write.space);
    if (write.value === undefined) {
      tree?.delete(write.key);
      return;
    }
    if (tree === undefined) {
      tree = new BTree();
      this.spaces.set(write.space, tree);
    }
    // The tree keeps the key, so it gets its own copy: callers may reuse their key buffers.
    tree.set(Uint8Array.prototype.slice.call(write.key), new MemoryEntry(write.value, write.tag));
  }
}

function checkWrite(write: WriteRequest): void {
  assertSpaceName(write.space);
  if (!(write.key instanceof Uint8Array)) throw new TypeError('storage write key must be a Uint8Array');
  if (write.value !== undefined) assertStorageTag(write.tag);
}

class MemoryRangeIterator implements AsyncIterator<KeyValue> {
  private tree: BTree | undefined;
  private snapshot: TreeSnapshot | undefined;
  private cursor: TreeCursor | undefined;
  private remaining: number;
  private done = false;

  constructor(
    private readonly storage: MemoryStorage,
    private readonly space: Space,
    private readonly options: RangeOptions,
  ) {
    this.remaining = options.limit ?? Infinity;
  }

  next(): Promise<IteratorResult<KeyValue>> {
    try {
      if (this.done) return DONE;
      if (this.cursor === undefined) {
        // The snapshot is taken on the first step, so an iterable created but never iterated costs nothing.
        const tree = this.storage.treeOf(this.space);
        if (tree === undefined) return this.finish();
        this.tree = tree;
        this.snapshot = tree.snapshot();
        const { start, end, reverse } = this.options;
        this.cursor = new TreeCursor(this.snapshot.root, start, end, reverse === true);
      }
      if (this.remaining <= 0 || !this.cursor.next()) return this.finish();
      this.remaining--;
      return Promise.resolve({ value: { key: this.cursor.key, value: (this.cursor.value as MemoryEntry).value }, done: false });
    } catch (error) {
      this.finish();
      return Promise.reject(error);
    }
  }

  return(): Promise<IteratorResult<KeyValue>> {
    return this.finish();
  }

  private finish(): Promise<IteratorResult<KeyValue>> {
    if (!this.done) {
      this.done = true;
      if (this.snapshot !== undefined) this.tree?.release(this.snapshot);
      this.snapshot = undefined;
      this.tree = undefined;
      this.cursor = undefined;
    }
    return DONE;
  }
}

const DONE: Promise<IteratorResult<KeyValue>> = Promise.resolve({ value: undefined, done: true });
