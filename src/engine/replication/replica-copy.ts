/**
 * The copy that creates a replica: the source table's items, walked in key order a batch at a time
 * (table-walk.ts), written into the new replica with their versions. It races writes safely, as the index
 * backfill does, but by versions rather than by re-reading: each batch reads its items together with their
 * versions in one atomic read, and writes them into the replica as replicated writes (write-path.ts), which keep
 * only what is newer than what the replica has. A write to the source after the read has a newer version and
 * reaches the replica through the stream (replicator.ts), before or after the copy's older one: either way the
 * newer one stays. Items written before the table was replicated have no version; they are copied with the oldest
 * version of the source's region, which any later write beats.
 *
 * A restart resumes an unfinished copy from the start (writing an item again with its version changes nothing).
 */
import type { Item } from '../../model/attribute-value.js';
import { itemSpace, writeItems, type WriteContext } from '../write-path.js';
import type { Catalog, Namespace } from '../catalog.js';
import type { TableMetadata } from '../table-metadata.js';
import { walkTable, type WalkOptions } from '../table-walk.js';
import { isItemVersion, versionSpace, type ItemVersion } from './item-version.js';

interface CopyContext extends WriteContext {
  readonly catalog: Catalog;
}

/**
 * Copies the table `tableName` of `from` into its replica in `to`; `progress` is told how many items are copied so
 * far. Returns whether it reached the end (false when either table went away, or `stopped()`).
 */
export async function copyToReplica(
  context: CopyContext,
  from: Namespace,
  to: Namespace,
  tableName: string,
  options: WalkOptions,
  stopped: () => boolean,
  progress: (copied: number) => void,
): Promise<boolean> {
  const targetId = context.catalog.getTable(to, tableName)?.tableId;
  const lookup = (): { table: TableMetadata; target: TableMetadata } | undefined => {
    const table = context.catalog.getTable(from, tableName);
    const target = context.catalog.getTable(to, tableName);
    if (table === undefined || target === undefined || target.tableId !== targetId) return undefined;
    return { table, target };
  };
  let copied = 0;
  return walkTable(
    context.storage,
    options,
    lookup,
    async ({ table, target }, batch) => {
      const reads = batch.flatMap(({ key }) => [
        { space: itemSpace(table), key },
        { space: versionSpace(table.tableId), key },
      ]);
      const found = await context.storage.atomic(reads, (values) => ({ writes: [], result: values }));
      await writeItems(
        context,
        batch.map(({ key }, position) => {
          const item = found[position * 2] as Item | undefined;
          const stored = found[position * 2 + 1];
          const version: ItemVersion = isItemVersion(stored) ? stored : { t: 0, r: table.region };
          return { table: target, storageKey: key, decide: () => item, origin: 'replication' as const, replicated: version };
        }),
      );
      copied += batch.length;
      progress(copied);
    },
    stopped,
  );
}

/**
 * The same copy into a replica that a peer serves: each batch, read with its versions as above, is sent to the
 * peer's replication endpoint (`apply`), which writes it as replicated writes. `targetId` is the replica table's
 * id on the peer: a table of the name created there since (the replica deleted and made again) is not written.
 */
export async function copyToPeer(
  context: CopyContext,
  from: Namespace,
  tableName: string,
  send: (writes: readonly { item: Item; version: ItemVersion }[]) => Promise<boolean>,
  options: WalkOptions,
  stopped: () => boolean,
  progress: (copied: number) => void,
): Promise<boolean> {
  let copied = 0;
  let gone = false;
  const lookup = (): { table: TableMetadata } | undefined => {
    const table = context.catalog.getTable(from, tableName);
    return table === undefined || gone ? undefined : { table };
  };
  return walkTable(
    context.storage,
    options,
    lookup,
    async ({ table }, batch) => {
      const reads = batch.flatMap(({ key }) => [
        { space: itemSpace(table), key },
        { space: versionSpace(table.tableId), key },
      ]);
      const found = await context.storage.atomic(reads, (values) => ({ writes: [], result: values }));
      const writes = batch.flatMap((_entry, position) => {
        const item = found[position * 2] as Item | undefined;
        const stored = found[position * 2 + 1];
        const version: ItemVersion = isItemVersion(stored) ? stored : { t: 0, r: table.region };
        return item === undefined ? [] : [{ item, version }];
      });
      if (writes.length > 0 && !(await send(writes))) gone = true;
      copied += batch.length;
      progress(copied);
    },
    stopped,
  );
}
