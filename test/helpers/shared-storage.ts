/**
 * One in-memory store shared by several Cairn servers of the test process, each seeing it as a store that other
 * processes also commit to (Storage.multiProcess): the catalog version and the leases are then exercised exactly
 * as over a database server, without one. Closing a server leaves the store open for the others.
 */
import { MemoryStorage } from '../../src/storage/memory/memory-storage.js';
import type { Decide, KeyValue, RangeOptions, ReadRequest, Space, Storage } from '../../src/storage/storage.js';

export class SharedMemoryStorage {
  readonly store = new MemoryStorage();

  /** A view of the store for one server: `close` detaches that server only. */
  view(): Storage {
    return sharedView(this.store);
  }
}

/**
 * A memory store as one of several processes sees it (Storage.multiProcess); its `close` detaches this view only
 * (later calls through it fail), the store stays open for the other views.
 */
export function sharedView(store: MemoryStorage): Storage {
  let closed = false;
  const open = (): void => {
    if (closed) throw new Error('storage closed');
  };
  return {
    multiProcess: true,
    get: (space: Space, key: Uint8Array) => (open(), store.get(space, key)),
    range: (space: Space, options?: RangeOptions): AsyncIterable<KeyValue> => (open(), store.range(space, options)),
    atomic: <T>(reads: readonly ReadRequest[], decide: Decide<T>): Promise<T> => (open(), store.atomic(reads, decide)),
    clearSpace: (space: Space) => (open(), store.clearSpace(space)),
    close: () => {
      closed = true;
      return Promise.resolve();
    },
  };
}
