/**
 * The engine: tables and the single write path every mutation goes through. Operations (src/api/) call it;
 * it calls storage. (Being filled in: see the item operations.)
 */
import type { Storage } from '../storage/storage.js';
import { Catalog } from './catalog.js';

export interface EngineOptions {
  /** Region used when a request carries no credential scope. */
  readonly defaultRegion: string;
  readonly accountId: string;
  /** See CatalogOptions.tableStatusDelayMs (default 0: tables are ACTIVE at once). */
  readonly tableStatusDelayMs?: number;
}

export class Engine {
  /** Table metadata, cached; call `catalog.load()` once before serving. */
  readonly catalog: Catalog;

  constructor(
    readonly storage: Storage,
    readonly options: EngineOptions,
  ) {
    this.catalog = new Catalog(storage, {
      accountId: options.accountId,
      tableStatusDelayMs: options.tableStatusDelayMs ?? 0,
    });
  }
}
