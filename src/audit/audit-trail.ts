/**
 * The audit trail: turns every answered request into a CloudTrail-shaped event (audit-event.ts) and appends it to
 * the audit log (audit-log.ts). Management events are always recorded; data events only with `dataEvents`, and a
 * data operation without it costs one set lookup.
 *
 * The event is built after the answer has been sent (the wire handler calls onAnswered then), and the file is
 * written in batches off the request path, so a request does not wait for its audit record.
 */
import { randomUUID } from 'node:crypto';
import { Counter, type Registry } from 'prom-client';
import type { AnsweredRequest } from '../http/answered-request.js';
import type { Logger } from '../http/logger.js';
import { auditEvent } from './audit-event.js';
import { AuditLog } from './audit-log.js';
import type { AuditSettings } from './audit-settings.js';
import { isDataEvent } from './event-classes.js';

/** The server's region and account: those of requests refused before they had a context. */
export interface ServerDefaults {
  readonly region: string;
  readonly accountId: string;
  /** Whether requests are verified (`--auth`): an unverified one then has an unknown identity, not the account's. */
  readonly authenticates: boolean;
}

export class AuditTrail {
  private constructor(
    readonly log: AuditLog,
    private readonly dataEvents: boolean,
    private readonly defaults: ServerDefaults,
  ) {}

  static async open(settings: AuditSettings, logger: Logger, defaults: ServerDefaults): Promise<AuditTrail> {
    const log = await AuditLog.open({
      file: settings.file,
      logger,
      ...(settings.maxBytes !== undefined ? { maxBytes: settings.maxBytes } : {}),
      ...(settings.flushIntervalMs !== undefined ? { flushIntervalMs: settings.flushIntervalMs } : {}),
    });
    return new AuditTrail(log, settings.dataEvents ?? false, defaults);
  }

  /** The wire handler's hook (bound: it is passed around as a function). */
  readonly onAnswered = (answered: AnsweredRequest): void => {
    if (!this.dataEvents && isDataEvent(answered.operation)) return;
    const event = auditEvent(answered, {
      defaultRegion: this.defaults.region,
      defaultAccountId: this.defaults.accountId,
      authenticates: this.defaults.authenticates,
      now: new Date(),
      eventId: randomUUID(),
    });
    this.log.append(JSON.stringify(event));
  };

  /** `cairn_audit_events_total` and `cairn_audit_events_dropped_total`, read when /metrics is scraped. */
  registerMetrics(registry: Registry): void {
    const log = this.log;
    new Counter({
      name: 'cairn_audit_events_total',
      help: 'Audit events written to the audit log.',
      registers: [registry],
      collect(this: Counter) {
        this.reset();
        this.inc(log.stats.written);
      },
    });
    new Counter({
      name: 'cairn_audit_events_dropped_total',
      help: 'Audit events lost because the audit log could not be written (disk full, I/O error) or fell too far behind.',
      registers: [registry],
      collect(this: Counter) {
        this.reset();
        this.inc(log.stats.dropped);
      },
    });
  }

  close(): Promise<void> {
    return this.log.close();
  }
}
