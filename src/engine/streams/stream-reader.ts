/**
 * Reading streams: finding a stream by ARN, its shards (with the open shard of a disabled stream shown closed),
 * and the records of a sequence-number range. The Streams API and the trigger runner both read through here.
 */
import type { Storage } from '../../storage/storage.js';
import type { Catalog } from '../catalog.js';
import type { TableMetadata, TableStream } from '../table-metadata.js';
import { closeShards, EMPTY_SHARD_STATE, isLiveShard, isShardState, withInitialShard, type Shard, type ShardState } from './shard-state.js';
import { recordKey, recordSpace, SHARD_STATE_KEY, shardStateSpace, type StoredStreamRecord, type StreamRecord } from './stream-record.js';
import { streamArnOf, streamId } from './table-streams.js';

export interface FoundStream {
  readonly table: TableMetadata;
  readonly stream: TableStream;
  readonly id: string;
  readonly arn: string;
}

/** `arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>` -> its parts, or undefined. */
export function parseStreamArn(arn: string): { accountId: string; region: string; tableName: string; label: string } | undefined {
  const match = /^arn:[^:]+:dynamodb:([^:]+):([^:]*):table\/([^/]+)\/stream\/(.+)$/.exec(arn);
  if (match === null) return undefined;
  return { region: match[1] as string, accountId: match[2] as string, tableName: match[3] as string, label: match[4] as string };
}

export function findStream(catalog: Catalog, arn: string): FoundStream | undefined {
  const parts = parseStreamArn(arn);
  if (parts === undefined) return undefined;
  // The stream's table in the ARN's account (whether the caller may read another account's stream is for
  // authorization to decide).
  const table = catalog.getTable(parts, parts.tableName);
  const stream = table?.streams?.find((candidate) => candidate.label === parts.label);
  if (table === undefined || stream === undefined) return undefined;
  return { table, stream, id: streamId(table, stream.label), arn: streamArnOf(table, stream.label) };
}

/** Every stream of every table of a region, by ARN (ListStreams). */
export function streamsOf(tables: readonly TableMetadata[]): FoundStream[] {
  const found: FoundStream[] = [];
  for (const table of tables) {
    for (const stream of table.streams ?? []) {
      found.push({ table, stream, id: streamId(table, stream.label), arn: streamArnOf(table, stream.label) });
    }
  }
  return found;
}

/**
 * The stream's shard state, with its first shard even before the first record; a disabled stream's open shard
 * reads as closed.
 */
export async function readShardState(storage: Storage, found: FoundStream): Promise<ShardState> {
  const value = await storage.get(shardStateSpace(found.id), SHARD_STATE_KEY);
  const state = withInitialShard(isShardState(value) ? value : EMPTY_SHARD_STATE, found.id, found.stream.enabledAt);
  return found.stream.disabledAt !== undefined ? closeShards(state) : state;
}

/** The shards a reader can still use: those with records not yet trimmed, still open, or closed empty. */
export function liveShards(state: ShardState): Shard[] {
  return state.shards.filter((shard) => isLiveShard(shard, state));
}

/**
 * Records with sequence numbers in [from, to), in order, at most `limit` of them and stopping once their sizes
 * reach `maxBytes` (the record that crosses it is included).
 */
export async function readRecords(
  storage: Storage,
  id: string,
  from: number,
  to: number,
  limit: number,
  maxBytes: number,
): Promise<StreamRecord[]> {
  const records: StreamRecord[] = [];
  if (from >= to) return records;
  let bytes = 0;
  for await (const { value } of storage.range(recordSpace(id), { start: recordKey(from), end: recordKey(to), limit })) {
    const stored = value as StoredStreamRecord;
    // A replicated table's record carries its write's version for the replicas; readers never see it.
    let record: StreamRecord = stored;
    if (stored.replication !== undefined) {
      const { replication: _replication, ...rest } = stored;
      record = rest;
    }
    records.push(record);
    bytes += record.dynamodb.SizeBytes;
    if (bytes >= maxBytes) break;
  }
  return records;
}
