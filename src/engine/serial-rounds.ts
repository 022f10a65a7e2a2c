/**
 * Rounds of background work against the storage (the capacity ledger's exchanges, the report slices'
 * publications), run one after the other: a round asked for during another runs after it, so that it covers
 * everything that happened before it was asked for. A failing round (the storage down, a database restarting) is
 * reported at most once every `reportEveryMs`, not at every interval of the timer that asks for rounds.
 */
export class SerialRounds {
  private queue: Promise<void> = Promise.resolve();
  private lastErrorReport = Number.NEGATIVE_INFINITY;
  /** Rounds asked for that have not ended. */
  pending = 0;

  constructor(
    private readonly onError: (error: unknown) => void,
    private readonly reportEveryMs: number,
  ) {}

  /** Runs `round` once the rounds asked for before it have ended; a failure is reported unless `silenced()`. */
  run(round: () => Promise<void> | undefined, silenced: () => boolean = () => false): Promise<void> {
    this.pending++;
    const next = this.queue
      .then(round)
      .catch((error: unknown) => {
        if (silenced()) return;
        const now = Date.now();
        if (now - this.lastErrorReport < this.reportEveryMs) return;
        this.lastErrorReport = now;
        this.onError(error);
      })
      .finally(() => {
        this.pending--;
      });
    this.queue = next;
    return next;
  }

  /** Resolves once every round asked for so far has ended. */
  ended(): Promise<void> {
    return this.queue;
  }
}
