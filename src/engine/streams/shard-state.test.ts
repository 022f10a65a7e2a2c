import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allocateSequence, closeShards, EMPTY_SHARD_STATE, formatSequence, isLiveShard, parseSequence, withInitialShard, type Shard } from './shard-state.js';

test('sequence numbers grow by one across shards; a shard rolls over by count and by age, naming its parent', () => {
  let state = EMPTY_SHARD_STATE;
  const allocated: { sequence: number; shardId: string }[] = [];
  for (let i = 0; i < 5; i++) {
    const next = allocateSequence(state, 'table/label', 1_000 + i, { maxRecords: 2, rolloverMs: 10_000 });
    state = next.state;
    allocated.push({ sequence: next.sequence, shardId: next.shardId });
  }
  assert.deepEqual(allocated.map((entry) => entry.sequence), [1, 2, 3, 4, 5]);
  assert.equal(state.shards.length, 3);
  assert.deepEqual(state.shards.map((shard) => [shard.start, shard.end, shard.count]), [[1, 2, 2], [3, 4, 2], [5, undefined, 1]]);
  assert.equal(state.shards[1]?.parentShardId, state.shards[0]?.shardId);
  assert.match(state.shards[0]?.shardId ?? '', /^shardId-\d{20}-[0-9a-f]{8}$/);
  // By age: a record 4 hours later opens a new shard.
  const later = allocateSequence(state, 'table/label', 1_004 + 10_000, { maxRecords: 100, rolloverMs: 10_000 });
  assert.equal(later.state.shards.length, 4);
  assert.equal(later.state.shards[2]?.end, 5);
  // Disabling closes the open shard.
  const closed = closeShards(later.state);
  assert.equal(closed.shards[3]?.end, 6);
});

test('sequence numbers are decimal strings of at least 21 digits', () => {
  assert.equal(formatSequence(7), '000000000000000000007');
  assert.equal(parseSequence('000000000000000000007'), 7);
  assert.equal(parseSequence('12x'), undefined);
});

test('a stream has its first shard before its first record, and the first record keeps it', () => {
  const initial = withInitialShard(EMPTY_SHARD_STATE, 'table/label', 500);
  assert.deepEqual(initial.shards.map((shard) => [shard.start, shard.end, shard.createdAt, shard.count]), [[1, undefined, 500, 0]]);
  const first = allocateSequence(initial, 'table/label', 900);
  assert.equal(first.shardId, initial.shards[0]?.shardId);
  assert.equal(withInitialShard(first.state, 'table/label', 500), first.state);
  // Closed before any record, the shard ends before it starts and stays visible.
  const closed = closeShards(initial);
  assert.deepEqual(closed.shards.map((shard) => [shard.start, shard.end]), [[1, 0]]);
  assert.equal(isLiveShard(closed.shards[0] as Shard, closed), true);
});
