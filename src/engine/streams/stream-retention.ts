/**
 * Stream retention: records older than 24 hours are trimmed (deleted and no longer readable, with
 * TrimmedDataAccessException for a reader still behind), closed shards whose records are all gone disappear, and a
 * stream disabled more than 24 hours ago is dropped altogether. Runs in the background, a batch at a time.
 */
import type { Storage } from '../../storage/storage.js';
import type { Catalog } from '../catalog.js';
import type { TableMetadata } from '../table-metadata.js';
import { isShardState } from './shard-state.js';
import { recordKey, recordSpace, SHARD_STATE_KEY, shardStateSpace, type StreamRecord } from './stream-record.js';
import { STREAM_RETENTION_MS, streamId } from './table-streams.js';

const TRIM_BATCH = 500;

/** Trims the records of every stream of the table older than `retentionMs`; drops streams past retention. */
export async function trimTableStreams(storage: Storage, catalog: Catalog, table: TableMetadata, now: number, retentionMs = STREAM_RETENTION_MS): Promise<void> {
  for (const stream of table.streams ?? []) {
    const id = streamId(table, stream.label);
    await trimStream(storage, id, now - retentionMs);
  }
  const expired = (table.streams ?? []).filter((stream) => stream.disabledAt !== undefined && now - stream.disabledAt >= retentionMs);
  if (expired.length === 0) return;
  await catalog.updateTable(table, table.tableName, (current) => ({
    ...current,
    streams: (current.streams ?? []).filter((stream) => !expired.some((gone) => gone.label === stream.label)),
  }));
  for (const stream of expired) {
    const id = streamId(table, stream.label);
    await storage.clearSpace(recordSpace(id));
    await storage.clearSpace(shardStateSpace(id));
  }
}

/** Deletes the records created before `cutoff` (epoch ms) and moves the trim horizon past them. */
async function trimStream(storage: Storage, id: string, cutoff: number): Promise<void> {
  for (;;) {
    const state = await storage.get(shardStateSpace(id), SHARD_STATE_KEY);
    if (!isShardState(state)) return;
    const old: number[] = [];
    for await (const { value } of storage.range(recordSpace(id), { start: recordKey(state.trimmedBefore), limit: TRIM_BATCH })) {
      const record = value as StreamRecord;
      if (record.dynamodb.ApproximateCreationDateTime * 1000 >= cutoff) break;
      old.push(Number(record.dynamodb.SequenceNumber));
    }
    if (old.length === 0) return;
    const horizon = (old[old.length - 1] as number) + 1;
    await storage.atomic([{ space: shardStateSpace(id), key: SHARD_STATE_KEY }], ([current]) => {
      if (!isShardState(current)) return { writes: [], result: undefined };
      // Closed shards entirely below the horizon are forgotten.
      const shards = current.shards.filter((shard) => shard.end === undefined || shard.end >= horizon);
      return {
        writes: [
          ...old.map((sequence) => ({ space: recordSpace(id), key: recordKey(sequence), value: undefined })),
          { space: shardStateSpace(id), key: SHARD_STATE_KEY, value: { ...current, trimmedBefore: Math.max(current.trimmedBefore, horizon), shards } },
        ],
        result: undefined,
      };
    });
    if (old.length < TRIM_BATCH) return;
  }
}
