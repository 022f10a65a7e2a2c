/**
 * The catalog version: one counter, in the space `catalog-version`, that every commit changing a table's metadata
 * increments in the same commit. It lets several Cairn processes that share one storage keep their cached
 * catalogs honest without reading the metadata on every request:
 * - a process remembers the version its cached catalog was loaded at;
 * - every item commit of a multi-process storage reads the counter (one small key, read but never written, so
 *   item commits do not conflict with each other over it) and compares it with that version before deciding; on a
 *   mismatch the commit writes nothing, the process reloads its catalog and plans the write again with the
 *   current metadata. A write therefore never maintains an index set, stream or TTL setting that another process
 *   has changed, nor lands in a table another process dropped: the DDL commit wrote the counter, so the two
 *   commits are ordered and the later one sees the change.
 * One process alone (memory, LMDB) has nothing to compare with: its commits skip the read.
 */
import type { ReadRequest } from '../storage/storage.js';

export const CATALOG_VERSION_SPACE = 'catalog-version';
export const CATALOG_VERSION_KEY = Uint8Array.of(0);

/** The read a DDL commit makes of the counter, which it then increments. */
export const CATALOG_VERSION_UPDATE: ReadRequest = { space: CATALOG_VERSION_SPACE, key: CATALOG_VERSION_KEY };

/** The read an item commit adds to see the counter, which it never writes. */
export const CATALOG_VERSION_READ: ReadRequest = { space: CATALOG_VERSION_SPACE, key: CATALOG_VERSION_KEY, readOnly: true };

/** The counter's value as stored (0 before the first change: a store written before the counter existed). */
export function catalogVersionOf(value: unknown): number {
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : 0;
}

/**
 * Thrown inside a commit whose cached table metadata is older than the stored catalog (another process changed
 * it): nothing was written; the caller reloads the catalog and plans the commit again.
 */
export class StaleCatalogError extends Error {
  constructor() {
    super('the cached catalog is older than the stored one');
  }
}
