/**
 * The engine: tables and the single write path every mutation goes through. Operations (src/api/) call it;
 * it calls storage. (Being filled in: see the item operations.)
 */
import type { Storage } from '../storage/storage.js';

export interface EngineOptions {
  /** Region used when a request carries no credential scope. */
  readonly defaultRegion: string;
  readonly accountId: string;
}

export class Engine {
  constructor(
    readonly storage: Storage,
    readonly options: EngineOptions,
  ) {}
}
