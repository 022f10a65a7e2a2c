/**
 * One running trigger: a loop that polls its table's stream (at once while there are records, every
 * pollIntervalMs for a second after the last delivery, then every idlePollIntervalMs), reads records straight from storage (stream-reader.ts, not HTTP), filters them,
 * gathers a batch (BatchSize, MaximumBatchingWindowInSeconds, 6 MB), delivers it (delivery.ts) and checkpoints
 * durably past it. Each trigger has its own loop and its own handler (worker thread or HTTP endpoint), so a slow,
 * failing or hanging handler holds back only its own trigger, and the main thread only reads and dispatches.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Catalog } from '../engine/catalog.js';
import { readRecords, readShardState, type FoundStream } from '../engine/streams/stream-reader.js';
import type { StreamRecord } from '../engine/streams/stream-record.js';
import type { TableMetadata } from '../engine/table-metadata.js';
import type { Logger } from '../http/logger.js';
import type { Storage } from '../storage/storage.js';
import type { Leases } from '../engine/leases.js';
import { advanceCheckpoint, readCheckpoint, writeCheckpoint, type Checkpoint } from './checkpoint.js';
import { deliverBatch, lastOf, sequenceOf, type DeliveryPolicy, type DeliveryPort, type GiveUp } from './delivery.js';
import { compileFilterCriteria, type RecordFilter } from './event-filter.js';
import { failureDestination, type FailureDestination, type PutItem } from './failure-destination.js';
import { functionArnOf, invocationRecord } from './invocation-record.js';
import { StoppedError, type Invoker } from './invoker.js';
import { lambdaEvent, lambdaRecord, recordsWithinPayload } from './lambda-event.js';
import { openInvoker } from './open-invoker.js';
import { resolveStart, shardAt, streamAfter, streamOf, type Position } from './stream-cursor.js';
import { handlerTarget, type HandlerTarget, type TriggerConfig } from './trigger-config.js';

export interface PipelineDeps {
  readonly storage: Storage;
  readonly catalog: Catalog;
  readonly defaultRegion: string;
  readonly accountId: string;
  readonly logger: Logger;
  readonly putItem: PutItem;
  /** How often a trigger that delivered within the last second looks for new records. */
  readonly pollIntervalMs: number;
  /** How often a trigger idle for longer looks (bounds the lag of the first record after a quiet spell). */
  readonly idlePollIntervalMs: number;
  readonly retryDelayMs: (retry: number) => number;
  /**
   * With several processes on one storage, the one holding the trigger's lease (`trigger/<id>`) delivers; the
   * others wait, and the next holder goes on from the stored checkpoint. Absent: this process delivers.
   */
  readonly leases?: Leases;
}

/** The lease a trigger is delivered under (see PipelineDeps.leases). */
export function triggerLease(triggerId: string): string {
  return `trigger/${triggerId}`;
}

export interface TriggerStatistics {
  Invocations: number;
  FailedInvocations: number;
  RecordsDelivered: number;
  RecordsFiltered: number;
  RecordsGivenUp: number;
}

export interface TriggerStatus {
  readonly State: 'Enabled' | 'Waiting' | 'Stopped';
  readonly StateTransitionReason: string;
  readonly EventSourceArn?: string;
  readonly LastProcessingResult: string;
  readonly NextSequenceNumber?: string;
  readonly Statistics: TriggerStatistics;
}

/** A trigger that delivered this recently polls at the faster rate. */
const HOT_MS = 1000;
/** Pause after an unexpected error (a storage read failing), so a persistent fault does not spin. */
const ERROR_PAUSE_MS = 1000;

export class TriggerPipeline {
  private readonly region: string;
  private readonly source: string;
  private readonly filter: RecordFilter;
  private readonly target: HandlerTarget;
  /** Opened by start (its module loaded then: open-invoker.ts). */
  private invoker: Invoker | undefined;
  private readonly destination: FailureDestination | undefined;
  private readonly policy: DeliveryPolicy;
  private readonly functionArn: string;
  private readonly abort = new AbortController();
  private checkpoint: Checkpoint | undefined;
  private loop: Promise<void> | undefined;
  private stopped = false;
  private windowOpenedAt: number | undefined;
  /** Whether this process delivered at the last step; when it (again) holds the lease, it re-reads the checkpoint. */
  private delivering = false;
  private state: TriggerStatus['State'] = 'Waiting';
  private reason = 'starting';
  private lastResult = 'No records processed';
  private streamArn: string | undefined;
  /** Records delivered or given up (delivered = settled - given up). */
  private settledRecords = 0;
  /**
   * Lag, for metrics: Lambda's IteratorAge (at the last invocation, the age of its batch's last record: stream
   * records carry their creation time in whole seconds) and the records of the stream not yet delivered.
   */
  private lagState = { iteratorAgeMs: 0, backlogRecords: 0 };
  private readonly statistics: TriggerStatistics = {
    Invocations: 0,
    FailedInvocations: 0,
    RecordsDelivered: 0,
    RecordsFiltered: 0,
    RecordsGivenUp: 0,
  };

  constructor(
    readonly config: TriggerConfig,
    private readonly deps: PipelineDeps,
  ) {
    this.region = config.Region ?? deps.defaultRegion;
    this.source = `${this.region}/${config.TableName}`;
    this.filter = compileFilterCriteria((config.FilterCriteria?.Filters ?? []).map((filter) => filter.Pattern));
    this.functionArn = functionArnOf(this.region, deps.accountId, config.Id);
    this.target = handlerTarget(config.Handler);
    const onFailure = config.DestinationConfig?.OnFailure.Destination;
    this.destination =
      onFailure === undefined ? undefined : failureDestination(onFailure, { accountId: deps.accountId, region: this.region, catalog: deps.catalog, putItem: deps.putItem });
    this.policy = {
      maximumRetryAttempts: config.MaximumRetryAttempts,
      maximumRecordAgeSeconds: config.MaximumRecordAgeInSeconds,
      bisectOnError: config.BisectBatchOnFunctionError,
      reportBatchItemFailures: config.FunctionResponseTypes.includes('ReportBatchItemFailures'),
      retryDelayMs: deps.retryDelayMs,
    };
  }

  /**
   * Finds (or sets) the trigger's position, then runs it in the background. Resolves once the position is
   * fixed: with LATEST, every record committed after this resolves is delivered.
   */
  async start(): Promise<void> {
    const invoker = await openInvoker(this.target, { triggerId: this.config.Id, functionArn: this.functionArn, timeoutSeconds: this.config.Timeout });
    if (this.stopped) {
      await invoker.close();
      return;
    }
    this.invoker = invoker;
    const stored = await readCheckpoint(this.deps.storage, this.config.Id);
    if (stored !== undefined && stored.source === this.source) {
      this.checkpoint = stored;
    } else {
      this.checkpoint = { kind: 'start', source: this.source, startingPosition: this.config.StartingPosition, createdAt: Date.now() };
      await this.persist(this.checkpoint);
    }
    const table = this.deps.catalog.getTable({ accountId: this.deps.accountId, region: this.region }, this.config.TableName);
    if (table !== undefined) await this.currentPosition(table);
    invoker.warm();
    const leases = this.deps.leases;
    if (leases !== undefined) {
      leases.want(triggerLease(this.config.Id));
      // Taken at once if free, so that a trigger this process starts alone delivers from its first step, from the
      // checkpoint just read.
      if (await leases.takeNow(triggerLease(this.config.Id)).catch(() => false)) this.delivering = true;
    }
    this.loop = this.run();
  }

  /** Stops the loop and the handler (an invocation in flight is abandoned: it is delivered again after a restart). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.state = 'Stopped';
    this.abort.abort();
    await this.invoker?.close();
    await this.loop;
    await this.deps.leases?.unwant(triggerLease(this.config.Id)).catch(() => undefined);
  }

  status(): TriggerStatus {
    const position = this.checkpoint?.kind === 'position' ? this.checkpoint : undefined;
    return {
      State: this.state,
      StateTransitionReason: this.reason,
      ...(this.streamArn !== undefined ? { EventSourceArn: this.streamArn } : {}),
      LastProcessingResult: this.lastResult,
      ...(position !== undefined ? { NextSequenceNumber: String(position.next).padStart(21, '0') } : {}),
      Statistics: { ...this.statistics, RecordsDelivered: this.settledRecords - this.statistics.RecordsGivenUp },
    };
  }

  lag(): { readonly iteratorAgeMs: number; readonly backlogRecords: number } {
    return this.lagState;
  }

  private async run(): Promise<void> {
    let activeAt = 0;
    while (!this.stopped) {
      let progressed = false;
      try {
        progressed = await this.step();
      } catch (error) {
        if (this.stopped || error instanceof StoppedError) break;
        this.lastResult = `PROBLEM: ${error instanceof Error ? error.message : String(error)}`;
        this.deps.logger.error(`trigger ${this.config.Id} failed`, error);
        await this.pause(ERROR_PAUSE_MS);
        continue;
      }
      if (progressed) activeAt = Date.now();
      else await this.pause(Date.now() - activeAt < HOT_MS ? this.deps.pollIntervalMs : this.deps.idlePollIntervalMs);
    }
  }

  private async pause(ms: number): Promise<void> {
    try {
      await sleep(ms, undefined, { signal: this.abort.signal });
    } catch {
      // stopped
    }
  }

  private waiting(reason: string): false {
    this.state = 'Waiting';
    this.reason = reason;
    return false;
  }

  private async persist(checkpoint: Checkpoint): Promise<void> {
    await writeCheckpoint(this.deps.storage, this.config.Id, checkpoint);
    this.checkpoint = checkpoint;
  }

  /** Moves the position forward (never back) and makes it durable. */
  private async advance(next: number): Promise<void> {
    const checkpoint = this.checkpoint;
    if (checkpoint?.kind !== 'position' || next <= checkpoint.next) return;
    this.checkpoint = await advanceCheckpoint(this.deps.storage, this.config.Id, { ...checkpoint, next });
  }

  /** The position in the table's streams, settling a start or a vanished stream; undefined while there is none. */
  private async currentPosition(table: TableMetadata): Promise<Position | undefined> {
    let checkpoint = this.checkpoint as Checkpoint;
    if (checkpoint.kind === 'position' && checkpoint.tableId !== table.tableId) {
      // The table was deleted and created again: all of its streams are new.
      checkpoint = { kind: 'start', source: this.source, startingPosition: 'TRIM_HORIZON', createdAt: Date.now() };
      await this.persist(checkpoint);
    }
    if (checkpoint.kind === 'start') {
      const position = await resolveStart(this.deps.storage, table, checkpoint);
      if (position === undefined) return undefined;
      await this.persist(position);
      return position;
    }
    return checkpoint;
  }

  /** One round: delivers the next batch if there is one. True when it made progress (so go on at once). */
  private async step(): Promise<boolean> {
    const leases = this.deps.leases;
    if (leases !== undefined && leases.shared) {
      if (!leases.holds(triggerLease(this.config.Id))) {
        this.delivering = false;
        return this.waiting('delivered by another Cairn process');
      }
      if (!this.delivering) {
        // Taken over (or taken back): the last holder moved the checkpoint on since this process last read it.
        const stored = await readCheckpoint(this.deps.storage, this.config.Id);
        if (stored !== undefined && stored.source === this.source) this.checkpoint = stored;
        this.delivering = true;
      }
    }
    const table = this.deps.catalog.getTable({ accountId: this.deps.accountId, region: this.region }, this.config.TableName);
    if (table === undefined) return this.waiting(`table ${this.config.TableName} not found in ${this.region}`);
    const position = await this.currentPosition(table);
    if (position === undefined) return this.waiting(`table ${this.config.TableName} has no stream`);

    const found = streamOf(table, position.label);
    if (found === undefined) {
      // The stream was disabled more than 24 hours ago and is gone; go on with the next one, if any.
      const later = streamAfter(table, position.label);
      if (later === undefined) return this.waiting(`table ${this.config.TableName} has no stream`);
      await this.persist({ ...position, label: later.stream.label, next: 0 });
      return true;
    }
    this.streamArn = found.arn;
    this.state = 'Enabled';
    this.reason = 'User action';

    const state = await readShardState(this.deps.storage, found);
    if (position.next < state.trimmedBefore) {
      if (position.next > 0) {
        this.deps.logger.warn(`trigger ${this.config.Id}: records ${position.next}..${state.trimmedBefore - 1} expired from the stream before delivery`);
      }
      await this.advance(state.trimmedBefore);
      return true;
    }
    const next = position.next;
    this.lagState.backlogRecords = Math.max(0, state.next - next);
    if (next >= state.next) {
      const later = found.stream.disabledAt === undefined ? undefined : streamAfter(table, position.label);
      if (later === undefined) return false;
      // A closed stream, drained: on to the next stream, from its start.
      await this.persist({ ...position, label: later.stream.label, next: 0 });
      return true;
    }
    const shard = shardAt(state, next);
    if (shard === undefined) return false;
    const from = Math.max(next, shard.start);
    const end = shard.end === undefined ? state.next - 1 : shard.end;
    const read = await readRecords(this.deps.storage, found.id, from, end + 1, this.config.BatchSize, Number.POSITIVE_INFINITY);
    if (read.length === 0) return false;

    // Filters see the record as the handler would (Lambda's spelling, eventSourceARN included).
    const matched = read.filter((record) => this.filter(lambdaRecord(record, found.arn)));
    const fitting = recordsWithinPayload(matched, found.arn);
    const batch = matched.slice(0, fitting);
    // Records after a batch cut short by the payload limit are read again next round.
    const lastConsidered = fitting < matched.length ? lastOf(batch) : lastOf(read);
    const considered = read.filter((record) => sequenceOf(record) <= sequenceOf(lastConsidered)).length;

    if (batch.length > 0) {
      const windowMs = this.config.MaximumBatchingWindowInSeconds * 1000;
      if (windowMs > 0 && batch.length < this.config.BatchSize && shard.end === undefined && fitting === matched.length) {
        this.windowOpenedAt ??= Date.now();
        if (Date.now() - this.windowOpenedAt < windowMs) return false;
      }
      this.windowOpenedAt = undefined;
      await deliverBatch(batch, this.policy, this.port(found, shard.shardId, batch));
    }
    this.statistics.RecordsFiltered += considered - batch.length;
    await this.advance(sequenceOf(lastConsidered) + 1);
    return true;
  }

  private port(found: FoundStream, shardId: string, batch: readonly StreamRecord[]): DeliveryPort {
    const final = sequenceOf(lastOf(batch));
    let settledUpTo = sequenceOf(batch[0] as StreamRecord) - 1;
    return {
      invoke: async (records) => {
        const requestId = randomUUID();
        const event = lambdaEvent(records, found.arn);
        const newest = records[records.length - 1];
        if (newest !== undefined) this.lagState.iteratorAgeMs = Math.max(0, Date.now() - newest.dynamodb.ApproximateCreationDateTime * 1000);
        // Delivery runs only after start, which opened the invoker.
        const outcome = await (this.invoker as Invoker).invoke(event, { requestId });
        this.statistics.Invocations++;
        if (outcome.kind === 'ok') {
          this.lastResult = 'OK';
        } else {
          this.statistics.FailedInvocations++;
          this.lastResult = `PROBLEM: Function call failed (${outcome.errorType}: ${outcome.errorMessage})`;
          this.deps.logger.warn(`trigger ${this.config.Id}: handler failed on ${records.length} record(s): ${outcome.errorType}: ${outcome.errorMessage}`);
        }
        return { outcome, requestId, event };
      },
      settled: async (record) => {
        const sequence = sequenceOf(record);
        this.settledRecords += batch.filter((one) => sequenceOf(one) > settledUpTo && sequenceOf(one) <= sequence).length;
        settledUpTo = sequence;
        // The last record of the batch: the round's own checkpoint follows at once.
        if (sequence !== final) await this.advance(sequence + 1);
      },
      giveUp: (failure) => this.giveUp(failure, found, shardId),
      wait: async (ms) => {
        try {
          await sleep(ms, undefined, { signal: this.abort.signal });
        } catch {
          throw new StoppedError();
        }
      },
      now: () => Date.now(),
    };
  }

  private async giveUp(failure: GiveUp, found: FoundStream, shardId: string): Promise<void> {
    this.statistics.RecordsGivenUp += failure.records.length;
    const record = invocationRecord({
      records: failure.records,
      shardId,
      streamArn: found.arn,
      functionArn: this.functionArn,
      requestId: failure.last?.requestId ?? randomUUID(),
      condition: failure.condition,
      invokeCount: failure.invokeCount,
      functionError: failure.functionError,
      ...(failure.last !== undefined ? { payload: JSON.stringify(failure.last.event) } : {}),
      now: Date.now(),
    });
    const range = `${record.DDBStreamBatchInfo.startSequenceNumber}..${record.DDBStreamBatchInfo.endSequenceNumber}`;
    if (this.destination === undefined) {
      this.deps.logger.warn(`trigger ${this.config.Id}: gave up on ${failure.records.length} record(s) ${range} (${failure.condition}); no OnFailure destination`);
      return;
    }
    for (let attempt = 1; ; attempt++) {
      if (this.stopped) throw new StoppedError();
      try {
        await this.destination.send(record, this.config.Id);
        this.deps.logger.warn(`trigger ${this.config.Id}: gave up on ${failure.records.length} record(s) ${range} (${failure.condition}), sent to ${this.destination.description}`);
        return;
      } catch (error) {
        this.lastResult = `PROBLEM: on-failure destination: ${error instanceof Error ? error.message : String(error)}`;
        this.deps.logger.error(`trigger ${this.config.Id}: cannot write to ${this.destination.description}; retrying`, error);
        await this.pause(Math.min(5000, 100 * 2 ** Math.min(attempt, 10)));
      }
    }
  }
}
