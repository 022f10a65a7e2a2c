/**
 * Metrics and the access-pattern recorder, wired to what feeds them: the per-request record of the wire handler,
 * the capacity tracker's throttles and splits, and the TTL sweeper's deletions. One per server.
 */
import type { Engine } from '../engine/engine.js';
import { AccessRecorder } from './access-recorder.js';
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
    engine.onTtlDeleted = (table, count) => metrics.ttlDeletions(table, count);
  }

  /** The wire handler's listener: every request's record, once its answer is decided. */
  readonly onRequest = (notes: RequestNotes): void => {
    this.metrics.record(notes);
    this.recorder.record(notes);
  };
}
