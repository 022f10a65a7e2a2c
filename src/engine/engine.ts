/**
 * The engine: tables and the single write path every mutation goes through. Operations (src/api/) call it;
 * it calls storage.
 */
import type { Storage } from '../storage/storage.js';
import { Catalog } from './catalog.js';
import { backfillIndex, dropIndex, type BackfillOptions } from './index-backfill.js';
import type { TableMetadata } from './table-metadata.js';
import { ITEM_COLLECTION_LIMIT_BYTES, type WriteContext } from './write-path.js';

export interface EngineOptions {
  /** Region used when a request carries no credential scope. */
  readonly defaultRegion: string;
  readonly accountId: string;
  /** See CatalogOptions.tableStatusDelayMs (default 0: tables are ACTIVE at once). */
  readonly tableStatusDelayMs?: number;
  /** The item-collection size limit of tables with LSIs (default DynamoDB's 10 GB; tests lower it). */
  readonly itemCollectionLimitBytes?: number;
  /** Index backfill pacing (see BackfillOptions; tests slow it down to race writes against it). */
  readonly backfill?: BackfillOptions;
}

export class Engine implements WriteContext {
  /** Table metadata, cached; call `catalog.load()` once before serving. */
  readonly catalog: Catalog;
  readonly itemCollectionLimitBytes: number;

  constructor(
    readonly storage: Storage,
    readonly options: EngineOptions,
  ) {
    this.catalog = new Catalog(storage, {
      accountId: options.accountId,
      tableStatusDelayMs: options.tableStatusDelayMs ?? 0,
    });
    this.itemCollectionLimitBytes = options.itemCollectionLimitBytes ?? ITEM_COLLECTION_LIMIT_BYTES;
  }

  private readonly backfills = new Map<string, Promise<void>>();
  private stopping = false;
  /** Where a failed backfill is reported (the server sets its logger). */
  onBackgroundError: (error: unknown) => void = () => undefined;

  /** Starts (once) the backfill of a CREATING global secondary index; it runs in the background. */
  startBackfill(table: TableMetadata, indexId: string): void {
    if (this.stopping || this.backfills.has(indexId)) return;
    const run = backfillIndex(this, table.region, table.tableName, indexId, this.options.backfill ?? {}, () => this.stopping)
      .catch((error: unknown) => {
        if (!this.stopping) this.onBackgroundError(error);
      })
      .finally(() => this.backfills.delete(indexId));
    this.backfills.set(indexId, run);
  }

  /** Drops a DELETING global secondary index in the background: its entries, then its metadata. */
  startIndexDeletion(table: TableMetadata, indexId: string): void {
    if (this.stopping || this.backfills.has(indexId)) return;
    const run = dropIndex(this, table.region, table.tableName, indexId)
      .catch((error: unknown) => {
        if (!this.stopping) this.onBackgroundError(error);
      })
      .finally(() => this.backfills.delete(indexId));
    this.backfills.set(indexId, run);
  }

  /** Resumes the backfills a previous run left unfinished. Call after `catalog.load()`. */
  resumeBackgroundWork(): void {
    for (const table of this.catalog.allTables()) {
      for (const index of table.globalSecondaryIndexes ?? []) {
        if (index.status === 'CREATING') this.startBackfill(table, index.indexId);
        if (index.status === 'DELETING') this.startIndexDeletion(table, index.indexId);
      }
    }
  }

  /** Waits for every running backfill (tests), without stopping them. */
  async settleBackgroundWork(): Promise<void> {
    while (this.backfills.size > 0) await Promise.all(this.backfills.values());
  }

  /** Stops background work before the storage closes; a stopped backfill resumes at the next start. */
  async stopBackgroundWork(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.backfills.values());
  }
}
