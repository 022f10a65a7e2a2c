/**
 * Which stream, shard and sequence number a trigger reads next. A trigger names a table and follows the table's
 * streams in order: it drains a stream that was disabled (or replaced by enabling a new one) before moving on to
 * the next, which it reads from its start (TRIM_HORIZON). Within a stream it reads shard after shard: a child
 * shard once its closed parent is drained. Sequence numbers of one stream grow across its shards, so a position is
 * the stream and the next sequence number; the shard is the one that holds it.
 */
import type { Storage } from '../storage/storage.js';
import type { TableMetadata } from '../engine/table-metadata.js';
import type { Shard, ShardState } from '../engine/streams/shard-state.js';
import { readShardState, type FoundStream } from '../engine/streams/stream-reader.js';
import { activeStream, streamArnOf, streamId } from '../engine/streams/table-streams.js';
import type { Checkpoint } from './checkpoint.js';

export type Position = Extract<Checkpoint, { kind: 'position' }>;
export type Start = Extract<Checkpoint, { kind: 'start' }>;

export function streamOf(table: TableMetadata, label: string): FoundStream | undefined {
  const stream = table.streams?.find((candidate) => candidate.label === label);
  if (stream === undefined) return undefined;
  return { table, stream, id: streamId(table, label), arn: streamArnOf(table, label) };
}

/** The oldest stream of the table enabled after the one labelled `label` (labels are ISO times, so they sort). */
export function streamAfter(table: TableMetadata, label: string): FoundStream | undefined {
  const later = (table.streams ?? []).filter((stream) => stream.label > label);
  const first = later[0];
  return first === undefined ? undefined : streamOf(table, first.label);
}

/** The start of a stream: its oldest record still kept. */
export async function beginningOf(storage: Storage, source: string, found: FoundStream): Promise<Position> {
  const state = await readShardState(storage, found);
  return { kind: 'position', source, tableId: found.table.tableId, label: found.stream.label, next: state.trimmedBefore };
}

/**
 * Where a trigger that has not read yet starts, or undefined while the table has no stream to read:
 * TRIM_HORIZON: the oldest record of the table's oldest stream; LATEST: after the last record of the active
 * stream at the time of asking — unless a stream was enabled since the trigger was created, which is then read
 * from its start (every record of it came after the trigger).
 */
export async function resolveStart(storage: Storage, table: TableMetadata, start: Start): Promise<Position | undefined> {
  const streams = table.streams ?? [];
  if (start.startingPosition === 'TRIM_HORIZON') {
    const oldest = streams[0];
    return oldest === undefined ? undefined : beginningOf(storage, start.source, streamOf(table, oldest.label) as FoundStream);
  }
  const since = streams.find((stream) => stream.enabledAt >= start.createdAt);
  if (since !== undefined) return beginningOf(storage, start.source, streamOf(table, since.label) as FoundStream);
  const active = activeStream(table);
  if (active === undefined) return undefined;
  const found = streamOf(table, active.label) as FoundStream;
  const state = await readShardState(storage, found);
  return { kind: 'position', source: start.source, tableId: table.tableId, label: active.label, next: state.next };
}

/** The shard holding sequence number `next`, or the first one after it (records before it were trimmed). */
export function shardAt(state: ShardState, next: number): Shard | undefined {
  return state.shards.find((shard) => shard.end === undefined || shard.end >= next);
}
