/**
 * The triggers of one server: those configured (file and flags) and those created through the admin endpoint
 * (stored, so they come back after a restart). Starts them with the server, adds, replaces and removes them at
 * runtime, and stops them before the storage closes.
 */
import type { Engine } from '../engine/engine.js';
import type { Logger } from '../http/logger.js';
import { clearCheckpoint } from './checkpoint.js';
import { defaultRetryDelay } from './delivery.js';
import type { PutItem } from './failure-destination.js';
import { parseTriggerConfig, TriggerConfigError, type TriggerConfig } from './trigger-config.js';
import { TriggerPipeline, type PipelineDeps, type TriggerStatus } from './trigger-pipeline.js';
import { forgetTrigger, loadStoredTriggers, storeTrigger } from './trigger-store.js';

export interface TriggerServiceOptions {
  readonly engine: Engine;
  readonly logger: Logger;
  readonly putItem: PutItem;
  /** Triggers from the configuration file and flags. */
  readonly triggers?: readonly TriggerConfig[];
  /** The configuration file they were read from, if any (logged at start, so an operator sees which one it was). */
  readonly configFile?: string;
  /** How often a trigger polls its stream while busy (default 10 ms) and once idle for a second (default 25 ms). */
  readonly pollIntervalMs?: number;
  readonly idlePollIntervalMs?: number;
  /** First pause between retries of a failed batch; it doubles up to 5 s (default 100 ms). */
  readonly retryBaseDelayMs?: number;
  /** Where relative paths in admin requests are resolved (default: the working directory). */
  readonly cwd?: string;
}

/** What the server takes from its options (the rest it supplies itself). */
export type TriggerSettings = Pick<TriggerServiceOptions, 'triggers' | 'configFile' | 'pollIntervalMs' | 'idlePollIntervalMs' | 'retryBaseDelayMs' | 'cwd'>;

export type TriggerSource = 'config' | 'api';

export type TriggerDescription = TriggerConfig & { readonly Source: TriggerSource } & TriggerStatus;

/** A refused admin request: its HTTP status and message. */
export class TriggerRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

interface Running {
  readonly pipeline: TriggerPipeline;
  readonly source: TriggerSource;
}

export const DEFAULT_POLL_INTERVAL_MS = 10;
export const DEFAULT_IDLE_POLL_INTERVAL_MS = 25;

export class TriggerService {
  private readonly running = new Map<string, Running>();
  private readonly deps: PipelineDeps;
  private readonly cwd: string;
  /** Serialises changes, so that two requests about one trigger cannot interleave. */
  private changes: Promise<unknown> = Promise.resolve();
  private stopped = false;
  /** With several processes on one storage: follows the triggers the others create, replace and remove. */
  private follower: NodeJS.Timeout | undefined;

  private constructor(private readonly options: TriggerServiceOptions) {
    const engine = options.engine;
    this.cwd = options.cwd ?? process.cwd();
    this.deps = {
      storage: engine.storage,
      catalog: engine.catalog,
      defaultRegion: engine.options.defaultRegion,
      accountId: engine.options.accountId,
      logger: options.logger,
      putItem: options.putItem,
      pollIntervalMs: options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
      idlePollIntervalMs: options.idlePollIntervalMs ?? Math.max(options.pollIntervalMs ?? 0, DEFAULT_IDLE_POLL_INTERVAL_MS),
      retryDelayMs: defaultRetryDelay(options.retryBaseDelayMs ?? 100),
      leases: engine.leases,
    };
  }

  /** Starts the configured triggers and the stored ones. Call once the catalog is loaded. */
  static async start(options: TriggerServiceOptions): Promise<TriggerService> {
    const service = new TriggerService(options);
    if (options.configFile !== undefined) options.logger.info(`configuration file ${options.configFile} loaded`);
    try {
      for (const config of options.triggers ?? []) await service.launch(config, 'config');
      await service.launchStored(true);
    } catch (error) {
      await service.stop();
      throw error;
    }
    const leases = options.engine.leases;
    if (leases.shared) {
      // Another process's admin endpoint may create, replace or remove a stored trigger: every process runs each
      // stored trigger (its lease decides which one delivers), so each follows the stored set.
      service.follower = setInterval(() => {
        void service.serialise(() => service.launchStored(false)).catch((error: unknown) => {
          if (!(error instanceof TriggerRequestError)) options.logger.error('following the stored triggers failed', error);
        });
      }, Math.max(10, Math.floor(leases.periodMs / 3)));
      service.follower.unref();
    }
    return service;
  }

  /**
   * Starts the stored triggers not running yet; when following other processes (`atStart` false), also stops
   * those no longer stored and restarts those whose stored settings changed.
   */
  private async launchStored(atStart: boolean): Promise<void> {
    const stored = await loadStoredTriggers(this.options.engine.storage);
    if (!atStart) {
      const ids = new Set(stored.map((config) => config.Id));
      for (const [id, running] of this.running) {
        if (running.source === 'api' && !ids.has(id)) {
          this.running.delete(id);
          await running.pipeline.stop();
        }
      }
    }
    for (const raw of stored) {
      const running = this.running.get(raw.Id);
      if (running?.source === 'config') {
        if (atStart) this.options.logger.warn(`trigger ${raw.Id} is both configured and stored (created through the admin endpoint); the configured one runs`);
        continue;
      }
      let config: TriggerConfig;
      try {
        config = parseTriggerConfig(raw, this.cwd);
      } catch (error) {
        if (atStart || running !== undefined) this.options.logger.error(`stored trigger ${raw.Id} cannot start: ${error instanceof Error ? error.message : String(error)}`);
        continue;
      }
      if (running !== undefined) {
        if (JSON.stringify(running.pipeline.config) === JSON.stringify(config)) continue;
        this.running.delete(raw.Id);
        await running.pipeline.stop();
      }
      await this.launch(config, 'api');
    }
  }

  list(): TriggerDescription[] {
    return [...this.running.keys()].sort().map((id) => this.describe(id) as TriggerDescription);
  }

  /** Each running trigger's lag (metrics). */
  lags(): { readonly id: string; readonly table: string; readonly iteratorAgeMs: number; readonly backlogRecords: number }[] {
    return [...this.running.entries()].map(([id, { pipeline }]) => ({ id, table: pipeline.config.TableName, ...pipeline.lag() }));
  }

  describe(id: string): TriggerDescription | undefined {
    const running = this.running.get(id);
    if (running === undefined) return undefined;
    return { ...running.pipeline.config, Source: running.source, ...running.pipeline.status() };
  }

  /**
   * Creates a trigger from an admin request's settings; with `id` (PUT), creates or replaces that trigger
   * (keeping its position while it follows the same table).
   */
  create(raw: unknown, id?: string): Promise<{ description: TriggerDescription; created: boolean }> {
    return this.serialise(async () => {
      let config: TriggerConfig;
      try {
        const settings = id !== undefined && typeof raw === 'object' && raw !== null && !Array.isArray(raw) && !hasId(raw) ? { ...raw, Id: id } : raw;
        config = parseTriggerConfig(settings, this.cwd);
      } catch (error) {
        if (error instanceof TriggerConfigError) throw new TriggerRequestError(400, error.message);
        throw error;
      }
      if (id !== undefined && config.Id !== id) throw new TriggerRequestError(400, `the Id in the body (${config.Id}) is not the one in the path (${id})`);
      const existing = this.running.get(config.Id);
      if (existing?.source === 'config') {
        throw new TriggerRequestError(409, `trigger ${config.Id} is defined by the configuration; change it there`);
      }
      if (existing !== undefined && id === undefined) throw new TriggerRequestError(409, `trigger ${config.Id} already exists`);
      if (existing !== undefined) {
        this.running.delete(config.Id);
        await existing.pipeline.stop();
      }
      await storeTrigger(this.options.engine.storage, config);
      await this.launch(config, 'api');
      return { description: this.describe(config.Id) as TriggerDescription, created: existing === undefined };
    });
  }

  /** Removes a trigger created through the admin endpoint, and its position. */
  remove(id: string): Promise<TriggerDescription> {
    return this.serialise(async () => {
      const running = this.running.get(id);
      if (running === undefined) throw new TriggerRequestError(404, `trigger ${id} not found`);
      if (running.source === 'config') throw new TriggerRequestError(409, `trigger ${id} is defined by the configuration; remove it there`);
      const description = this.describe(id) as TriggerDescription;
      this.running.delete(id);
      await running.pipeline.stop();
      await forgetTrigger(this.options.engine.storage, id);
      await clearCheckpoint(this.options.engine.storage, id);
      return { ...description, State: 'Stopped' };
    });
  }

  /** Stops every trigger (in-flight invocations are abandoned, to be delivered again after a restart). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.follower !== undefined) clearInterval(this.follower);
    await this.changes.catch(() => undefined);
    const all = [...this.running.values()];
    this.running.clear();
    await Promise.all(all.map((running) => running.pipeline.stop()));
  }

  private async launch(config: TriggerConfig, source: TriggerSource): Promise<void> {
    if (this.stopped) throw new TriggerRequestError(503, 'the server is stopping');
    const pipeline = new TriggerPipeline(config, this.deps);
    this.running.set(config.Id, { pipeline, source });
    try {
      await pipeline.start();
    } catch (error) {
      this.running.delete(config.Id);
      await pipeline.stop();
      throw error;
    }
    const region = config.Region === undefined ? '' : ` (${config.Region})`;
    const origin = source === 'config' ? 'configuration' : 'admin endpoint';
    this.options.logger.info(`trigger ${config.Id} started (${origin}): table ${config.TableName}${region}, handler ${config.Handler}`);
  }

  private serialise<T>(change: () => Promise<T>): Promise<T> {
    const result = this.changes.then(() => {
      if (this.stopped) throw new TriggerRequestError(503, 'the server is stopping');
      return change();
    });
    this.changes = result.catch(() => undefined);
    return result;
  }
}

function hasId(raw: object): boolean {
  return Object.keys(raw).some((key) => key.toLowerCase() === 'id');
}
