/**
 * Trimming tombstones. A deleted item of a replicated table keeps its version (item-version.ts) so that a
 * replicated write older than the delete loses to it; without trimming, every key ever deleted would keep one for
 * as long as the table lives. A tombstone is dropped once it is older than the stream retention (24 hours): a
 * write it must beat is older still, and reaches this replica only through another replica's stream, whose records
 * are trimmed after that same retention; a replica that was away longer than that misses records anyway (README,
 * "Past the stream's retention"). Versions are epoch ms of the writing region's clock, so the bound holds as long
 * as the regions' clocks differ by much less than the retention.
 *
 * The version space is walked a bounded number of entries per round (the periodic work of engine.ts), resuming
 * where the last round stopped, so that a large table is covered over several rounds and no round is long. A
 * tombstone is dropped in an atomic commit that reads the item and the version again: a write of the key since
 * (a put, or a newer delete) keeps its version.
 */
import type { Storage } from '../../storage/storage.js';
import type { TableMetadata } from '../table-metadata.js';
import { itemSpace } from '../write-path.js';
import { compareVersions, isItemVersion, versionSpace } from './item-version.js';

/** Version entries looked at per table per round. */
const ENTRIES_PER_ROUND = 2000;
/** Keys read and trimmed per commit. */
const BATCH = 250;

/** Where each table's walk of its version space resumes (by tableId); undefined once a walk is through. */
export type TombstoneCursors = Map<string, Uint8Array>;

/**
 * Drops the tombstones of `table` older than `cutoff` (epoch ms) among the next entries of its version space;
 * returns how many were dropped.
 */
export async function trimTombstones(storage: Storage, table: TableMetadata, cutoff: number, cursors: TombstoneCursors, limit = ENTRIES_PER_ROUND): Promise<number> {
  const space = versionSpace(table.tableId);
  let start = cursors.get(table.tableId);
  let seen = 0;
  let trimmed = 0;
  while (seen < limit) {
    const candidates: Uint8Array[] = [];
    let last: Uint8Array | undefined;
    let read = 0;
    const wanted = Math.min(BATCH, limit - seen);
    for await (const { key, value } of storage.range(space, { ...(start !== undefined ? { start } : {}), limit: wanted })) {
      read++;
      last = key;
      if (isItemVersion(value) && value.t < cutoff) candidates.push(key);
    }
    seen += read;
    if (candidates.length > 0) trimmed += await dropIfTombstones(storage, table, candidates, cutoff);
    if (last === undefined || read < wanted) {
      // Through the whole space: the next round starts again from its beginning.
      cursors.delete(table.tableId);
      return trimmed;
    }
    start = successor(last);
    cursors.set(table.tableId, start);
  }
  return trimmed;
}

/** Deletes the versions of `keys` whose item is absent and whose version is still older than `cutoff`. */
async function dropIfTombstones(storage: Storage, table: TableMetadata, keys: readonly Uint8Array[], cutoff: number): Promise<number> {
  const space = versionSpace(table.tableId);
  const reads = keys.flatMap((key) => [
    { space: itemSpace(table), key },
    { space, key },
  ]);
  return storage.atomic(reads, (values) => {
    const writes = keys.flatMap((key, position) => {
      const item = values[position * 2];
      const version = values[position * 2 + 1];
      const old = isItemVersion(version) && compareVersions(version, { t: cutoff, r: '' }) < 0;
      return item === undefined && old ? [{ space, key, value: undefined }] : [];
    });
    return { writes, result: writes.length };
  });
}

/** The smallest key after `key`. */
function successor(key: Uint8Array): Uint8Array {
  const next = new Uint8Array(key.length + 1);
  next.set(key);
  return next;
}
