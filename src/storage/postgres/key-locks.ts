/**
 * In-process queues per storage key, so that this process's commits on the same keys take turns instead of
 * colliding inside PostgreSQL. Without them, N concurrent commits on one hot key (an account of a transfer, a
 * counter) all start, all but one fail with a serialization failure, and retry: measured with 24 clients
 * transferring between 8 accounts, 4.5 failures per commit. Queued, each commit mostly succeeds at its first try.
 *
 * This is an optimisation, not what makes commits correct: SERIALIZABLE transactions (and their retries) still
 * are, across processes too, where these queues do not reach.
 *
 * A commit queues behind earlier ones on each of its keys. All of a commit's keys are queued for synchronously,
 * in one call, so the queues of all keys agree on one order of commits, and no two commits can wait for each
 * other (no deadlock).
 */
export class KeyLocks {
  /** Per key, the release promise of the last commit queued on it. */
  private readonly tails = new Map<string, Promise<void>>();

  /** Waits until every earlier holder of any of `ids` released them; resolves with this holder's release. */
  acquire(ids: readonly string[]): Promise<() => void> {
    const waits: Promise<void>[] = [];
    const mine: { id: string; done: Promise<void>; release: () => void }[] = [];
    for (const id of new Set(ids)) {
      const previous = this.tails.get(id);
      if (previous !== undefined) waits.push(previous);
      let release!: () => void;
      const done = new Promise<void>((resolve) => (release = resolve));
      this.tails.set(id, done);
      mine.push({ id, done, release });
    }
    const releaseAll = (): void => {
      for (const entry of mine) {
        entry.release();
        if (this.tails.get(entry.id) === entry.done) this.tails.delete(entry.id);
      }
    };
    if (waits.length === 0) return Promise.resolve(releaseAll);
    return Promise.all(waits).then(() => releaseAll);
  }
}
