/**
 * Time to Live in the background: building the expiry index when TTL is enabled on a table that has items,
 * dropping it when TTL is disabled, and sweeping expired items.
 *
 * The sweeper reads the expiry index from the oldest entry it may act on up to now, a batch at a time, and deletes
 * each expired item through the write path (so indexes, statistics and the stream are kept; the stream record
 * names the service as the deleter). The deletion re-checks the item inside its commit: an item whose TTL
 * attribute changed since is left alone, and its stale index entry removed. Like DynamoDB, an item whose expiry
 * lies more than five years in the past is never deleted, and expired items stay readable until swept.
 */
import type { Item } from '../../model/attribute-value.js';
import type { Catalog, Namespace } from '../catalog.js';
import type { TableMetadata, TimeToLive } from '../table-metadata.js';
import { walkTable, type WalkOptions } from '../table-walk.js';
import { itemSpace, writeItem, type WriteContext } from '../write-path.js';
import { expiryBound, expiryKey, expiryOf, expirySpace, parseExpiryKey } from './expiry-index.js';

/** DynamoDB ignores expiry times more than five years in the past. */
export const TTL_MAX_AGE_SECONDS = 5 * 365 * 24 * 60 * 60;

interface TtlContext extends WriteContext {
  readonly catalog: Catalog;
}

function lookupTtl(catalog: Catalog, namespace: Namespace, tableName: string, status: TimeToLive['status']) {
  return (): { table: TableMetadata; ttl: TimeToLive } | undefined => {
    const table = catalog.getTable(namespace, tableName);
    const ttl = table?.timeToLive;
    return table !== undefined && ttl !== undefined && ttl.status === status ? { table, ttl } : undefined;
  };
}

async function setTtlStatus(catalog: Catalog, table: TableMetadata, from: TimeToLive['status'], to: TimeToLive['status']): Promise<void> {
  await catalog.updateTable(table, table.tableName, (current) =>
    current.timeToLive?.status === from ? { ...current, timeToLive: { ...current.timeToLive, status: to } } : current,
  );
}

/** Indexes the expiry of every item already in the table, then reports TTL ENABLED. */
export async function enableTtl(
  context: TtlContext,
  namespace: Namespace,
  tableName: string,
  options: WalkOptions,
  stopped: () => boolean,
): Promise<void> {
  const lookup = lookupTtl(context.catalog, namespace, tableName, 'ENABLING');
  const finished = await walkTable(
    context.storage,
    options,
    lookup,
    async ({ table, ttl }, batch) => {
      const reads = batch.map(({ key }) => ({ space: itemSpace(table), key }));
      await context.catalog.atomicWithCurrentMetadata(reads, (values) => ({
        // A table dropped since the walk read the batch (by another process) gets no entries.
        writes: context.catalog.getTable(table, table.tableName)?.tableId !== table.tableId ? [] : batch.flatMap(({ key }, position) => {
          // The item as it is at this commit: a write since the walk read it has kept its entry itself.
          const seconds = expiryOf(values[position] as Item | undefined, ttl.attributeName);
          return seconds === undefined ? [] : [{ space: expirySpace(table), key: expiryKey(seconds, key), value: 1 }];
        }),
        result: undefined,
      }));
    },
    stopped,
  );
  const done = lookup();
  if (finished && done !== undefined && !stopped()) await setTtlStatus(context.catalog, done.table, 'ENABLING', 'ENABLED');
}

/** Drops the expiry index of a table whose TTL is being disabled, then reports TTL DISABLED. */
export async function disableTtl(context: TtlContext, namespace: Namespace, tableName: string): Promise<void> {
  const current = lookupTtl(context.catalog, namespace, tableName, 'DISABLING')();
  if (current === undefined) return;
  await context.storage.clearSpace(expirySpace(current.table));
  await setTtlStatus(context.catalog, current.table, 'DISABLING', 'DISABLED');
}

/**
 * Deletes up to `limit` expired items of one table; returns how many index entries it handled (so the caller
 * knows whether more are due).
 */
export async function sweepTable(context: WriteContext, table: TableMetadata, nowMs: number, limit: number): Promise<number> {
  const ttl = table.timeToLive;
  if (ttl === undefined || ttl.status !== 'ENABLED') return 0;
  const now = Math.floor(nowMs / 1000);
  const due: { seconds: number; storageKey: Uint8Array; key: Uint8Array }[] = [];
  for await (const { key } of context.storage.range(expirySpace(table), {
    start: expiryBound(now - TTL_MAX_AGE_SECONDS),
    end: expiryBound(now),
    limit,
  })) {
    due.push({ ...parseExpiryKey(key), key });
  }
  for (const entry of due) {
    const outcome = await writeItem(context, {
      table,
      storageKey: entry.storageKey,
      origin: 'ttl',
      decide: (current, latest) => {
        const attribute = latest.timeToLive;
        if (attribute === undefined || attribute.status !== 'ENABLED') return current;
        const seconds = expiryOf(current, attribute.attributeName);
        return seconds !== undefined && seconds === entry.seconds && seconds < now ? undefined : current;
      },
    });
    if (outcome.newItem !== undefined || outcome.oldItem === undefined) await dropStaleEntry(context, table, entry, ttl.attributeName);
  }
  return due.length;
}

/** An entry whose item no longer expires then (or is gone) is removed, checked against the item in the commit. */
async function dropStaleEntry(
  context: WriteContext,
  table: TableMetadata,
  entry: { seconds: number; storageKey: Uint8Array; key: Uint8Array },
  attributeName: string,
): Promise<void> {
  await context.storage.atomic([{ space: itemSpace(table), key: entry.storageKey }], ([current]) => ({
    writes:
      expiryOf(current as Item | undefined, attributeName) === entry.seconds ? [] : [{ space: expirySpace(table), key: entry.key, value: undefined }],
    result: undefined,
  }));
}
