/**
 * Group commit: this process's commits that wait for a database connection go together, as one transaction, when a
 * connection frees up. A commit that finds fewer than `maxRunning` batches running starts at once, alone; only when
 * every slot is busy do commits queue, and the next free slot takes all those queued (up to `maxBatch`) in one go.
 * Under load, the per-transaction cost (two round trips, BEGIN, COMMIT and its write-ahead-log flush, the
 * serializable bookkeeping) is then shared by the commits of a batch instead of paid by each; idle, nothing waits.
 *
 * `run` settles every job of its batch itself and must not reject.
 */
export class CommitQueue<J> {
  private readonly waiting: J[] = [];
  private running = 0;

  constructor(
    private readonly maxRunning: number,
    private readonly maxBatch: number,
    private readonly run: (batch: J[]) => Promise<void>,
  ) {}

  add(job: J): void {
    this.waiting.push(job);
    this.pump();
  }

  private pump(): void {
    while (this.running < this.maxRunning && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxBatch);
      this.running++;
      const done = (): void => {
        this.running--;
        this.pump();
      };
      this.run(batch).then(done, done);
    }
  }
}
