/**
 * The shards of one stream and its sequence counter, kept in one storage value (space `ss/<streamId>`) that every
 * write with a stream record reads and rewrites in its commit, so sequence numbers follow commit order.
 *
 * A stream has one open shard at a time. It is closed (given an ending sequence number) and followed by a child
 * shard whose ParentShardId names it after SHARD_ROLLOVER_MS (about 4 hours, as DynamoDB's shards roll over) or
 * once it holds SHARD_MAX_RECORDS records. Sequence numbers grow by one per record across shards.
 * Everything here is a pure function of its inputs (a commit's decision may run more than once).
 */
import { createHash } from 'node:crypto';

export const SHARD_ROLLOVER_MS = 4 * 60 * 60 * 1000;
export const SHARD_MAX_RECORDS = 100_000;

export interface Shard {
  readonly shardId: string;
  readonly parentShardId?: string;
  /** The first sequence number of the shard. */
  readonly start: number;
  /** The last sequence number of a closed shard. */
  readonly end?: number;
  readonly createdAt: number;
  readonly count: number;
}

export interface ShardState {
  /** The next sequence number to give out. */
  readonly next: number;
  /** Records below this sequence number have been trimmed (older than 24 hours). */
  readonly trimmedBefore: number;
  readonly shards: readonly Shard[];
}

export interface ShardLimits {
  readonly rolloverMs?: number;
  readonly maxRecords?: number;
}

export const EMPTY_SHARD_STATE: ShardState = { next: 1, trimmedBefore: 1, shards: [] };

export function isShardState(value: unknown): value is ShardState {
  return typeof value === 'object' && value !== null && 'next' in value && 'shards' in value;
}

/** DynamoDB's shard id shape: `shardId-<20 digits>-<8 hex>`, here from the creation time and the stream. */
export function shardIdFor(streamId: string, createdAt: number, ordinal: number): string {
  const digest = createHash('sha256').update(`${streamId}/${ordinal}`).digest('hex').slice(0, 8);
  return `shardId-${String(createdAt).padStart(20, '0')}-${digest}`;
}

/** Sequence numbers on the wire: decimal strings of at least 21 digits, ordered as numbers. */
export function formatSequence(sequence: number): string {
  return String(sequence).padStart(21, '0');
}

export function parseSequence(text: string): number | undefined {
  if (!/^\d{1,40}$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}

/**
 * A stream has an open shard from the moment it is enabled, as in DynamoDB (DescribeStream lists it with its
 * StartingSequenceNumber before the first write, and iterators on it work). Its shard state is only written with
 * the first record, so until then the shard is derived from the stream's identity and enabling time; the first
 * write derives the same shard and stores it, so its id never changes.
 */
export function withInitialShard(state: ShardState, streamId: string, enabledAt: number): ShardState {
  if (state.shards.length > 0) return state;
  const first: Shard = { shardId: shardIdFor(streamId, enabledAt, 0), start: state.next, createdAt: enabledAt, count: 0 };
  return { ...state, shards: [first] };
}

/**
 * Whether readers still see a shard: it is open, or has records not yet trimmed, or it closed empty (it ends
 * before it starts) after the trim horizon.
 */
export function isLiveShard(shard: Shard, state: ShardState): boolean {
  if (shard.end === undefined || shard.end >= state.trimmedBefore) return true;
  return shard.end === shard.start - 1 && shard.start >= state.trimmedBefore;
}

/** Gives the next sequence number to a record at `now`, rolling the open shard over when it is due. */
export function allocateSequence(
  state: ShardState,
  streamId: string,
  now: number,
  limits: ShardLimits = {},
): { state: ShardState; sequence: number; shardId: string } {
  const shards = [...state.shards];
  let open = shards[shards.length - 1];
  const due =
    open !== undefined &&
    open.end === undefined &&
    (now - open.createdAt >= (limits.rolloverMs ?? SHARD_ROLLOVER_MS) || open.count >= (limits.maxRecords ?? SHARD_MAX_RECORDS));
  if (open !== undefined && due) {
    shards[shards.length - 1] = { ...open, end: state.next - 1 };
    open = undefined;
  }
  if (open === undefined || open.end !== undefined) {
    const parent = shards[shards.length - 1];
    open = {
      shardId: shardIdFor(streamId, now, shards.length),
      ...(parent !== undefined ? { parentShardId: parent.shardId } : {}),
      start: state.next,
      createdAt: now,
      count: 0,
    };
    shards.push(open);
  }
  shards[shards.length - 1] = { ...open, count: open.count + 1 };
  return { state: { ...state, next: state.next + 1, shards }, sequence: state.next, shardId: open.shardId };
}

/** Closes the open shard (the stream was disabled): readers then reach its end. */
export function closeShards(state: ShardState): ShardState {
  const last = state.shards[state.shards.length - 1];
  if (last === undefined || last.end !== undefined) return state;
  // An empty open shard ends before it starts, as DynamoDB shows an empty closed shard.
  return { ...state, shards: [...state.shards.slice(0, -1), { ...last, end: state.next - 1 }] };
}
