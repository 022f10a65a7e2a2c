/**
 * Metrics and the access-pattern recorder, wired to what feeds them: the per-request record of the wire handler,
 * the capacity tracker's throttles and splits, the TTL sweeper's deletions and the replicator's replicated writes.
 * One per server.
 */
import type { Engine } from '../engine/engine.js';
import { AccessRecorder } from './access-recorder.js';
import { FleetSlices } from './fleet-slices.js';
import { Metrics } from './metrics.js';
import { DEFAULT_PRICES, type Prices } from './prices.js';
import type { RequestNotes } from './request-notes.js';

export class Observability {
  readonly metrics: Metrics;
  readonly recorder: AccessRecorder;

  constructor(
    readonly engine: Engine,
    readonly prices: Prices = DEFAULT_PRICES,
  ) {
    const metrics = new Metrics(engine);
    const clock = engine.capacity.clock;
    const recorder = new AccessRecorder(engine.catalog, () => clock.now());
    this.metrics = metrics;
    this.recorder = recorder;
    engine.capacity.observer = {
      throttled(throttle, access, enforced) {
        metrics.throttled(throttle, access, enforced);
        recorder.throttled(throttle, access, enforced);
      },
      split(resource, split) {
        metrics.split(resource.arn, split.cause);
      },
    };
    // Several processes share the storage: the report of any one counts every one's requests (`/metrics` stays
    // this process's: Prometheus scrapes each instance).
    this.fleet = engine.storage.multiProcess === true && engine.capacity.counting ? new FleetSlices(engine.storage, recorder, engine.leases.holder, this.flush, { onError: (error) => engine.onBackgroundError(error) }) : undefined;
    this.fleet?.start();
    engine.onTtlDeleted = (table, count) => metrics.ttlDeletions(table, count);
    // Replicated writes applied here come from no request: the replicator tells of their units.
    engine.replicationStatus.observer = (table, sourceRegion, units, indexUnits) => {
      metrics.replicatedWritesApplied(table, sourceRegion, units, indexUnits);
      recorder.replicated(table.region, table.tableName, units, indexUnits, clock.now());
    };
  }

  /** The report slices of the other processes sharing the storage (none with one process). */
  readonly fleet: FleetSlices | undefined;

  /** Stops publishing report slices (after a last publication), before the storage closes. */
  async stop(): Promise<void> {
    await this.fleet?.stop();
  }

  /** Requests answered since the last flush. */
  private queue: RequestNotes[] = [];

  /**
   * The wire handler's listener: every request's record, once its answer is sent. Records are folded in by the
   * batch, right after the event-loop turn that answered them (setImmediate), not one by one: a batch keeps the
   * metrics' and the report's tables in the processor's cache from one record to the next, where records made
   * between two requests' HTTP and storage work each found them evicted (measured: several times the cost of the
   * same work in a tight loop). Readers (`/metrics`, the report) flush first, so they never miss a record.
   */
  readonly onRequest = (notes: RequestNotes): void => {
    if (this.queue.push(notes) === 1) setImmediate(this.flush);
  };

  /** Folds the records queued so far into the metrics and the access-pattern recorder. */
  readonly flush = (): void => {
    const queue = this.queue;
    if (queue.length === 0) return;
    this.queue = [];
    // One reading of the capacity clock for the batch: its records were answered within one event-loop turn.
    const capacity = this.engine.capacity;
    const now = capacity.clock.now();
    for (const notes of queue) {
      try {
        // `account` mode's item reads carry their charge here (RequestNotes.deferRead): booked at the fold's time,
        // after the charges the turn queued, and applied with them below.
        if (notes.deferredRead !== undefined) capacity.chargeItemRead(notes.deferredRead, notes.deferredReadHash, notes.deferredReadUnits, notes.deferredReadConsistent, now);
        this.metrics.record(notes);
        this.recorder.record(notes, now);
      } catch (error) {
        // A record that cannot be folded in must not take the server down: it is reported and skipped.
        process.emitWarning(`recording a ${notes.operation} request failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    capacity.settle();
  };
}
