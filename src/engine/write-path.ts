/**
 * The write path: every mutation of an item goes through `writeItem`, in one atomic storage commit that reads
 * the current item, lets the operation decide (condition checks, update application), and writes the new item
 * together with everything derived from it: the entries of the table's secondary indexes, the table's (and each
 * index's) live statistics, for tables with local secondary indexes the size of the item's collection, and the
 * item's stream record, and its entry in the TTL expiry index. Capacity joins here too: the units a write consumed
 * are computed from what the commit saw (WriteOutcome.capacity), the partitions it touches are admitted before
 * anything is written (a throttled write writes nothing), and the units are charged once it is committed. Writes
 * the service makes itself (TTL deletions) are not client traffic: DynamoDB deletes expired items "free of
 * charge", so they are neither admitted nor charged (the partitions still follow the bytes they remove). Access
 * checks will join the same way.
 *
 * The table's metadata is taken from the catalog *inside* the commit, not from the request: an index created
 * by UpdateTable while a write is in flight is then either maintained by that write or sees the write in its
 * backfill (which re-reads items inside its own commits), and a table deleted meanwhile is refused.
 */
import { DynamoDbError, resourceNotFound } from '../errors.js';
import type { CapacityTracker } from '../capacity/capacity-tracker.js';
import { writeCharges, type Charge } from '../capacity/charges.js';
import type { Access } from '../capacity/partition.js';
import type { ResourceCapacity } from '../capacity/resource-capacity.js';
import { throttlingError } from '../capacity/throttle.js';
import { writeCapacity, type CapacityParts } from './consumed-capacity.js';
import type { Item } from '../model/attribute-value.js';
import { itemSize } from '../model/item-size.js';
import type { ReadRequest, Storage, StoredValue, WriteRequest } from '../storage/storage.js';
import { encodeIndexEntryKey } from '../model/key-encoding.js';
import {
  creatingIndexes,
  indexable,
  keyHash,
  indexSpace,
  itemsEqual,
  maintainIndexes,
  maintainedIndexes,
  type IndexChange,
} from './secondary-index.js';
import { allocateSequence, EMPTY_SHARD_STATE, isShardState, withInitialShard, type ShardLimits } from './streams/shard-state.js';
import { recordKey, recordSpace, SHARD_STATE_KEY, shardStateSpace, streamRecord, type ChangeOrigin } from './streams/stream-record.js';
import { activeStream, streamId } from './streams/table-streams.js';
import { expiryKey, expiryOf, expirySpace, maintainedTtlAttribute } from './ttl/expiry-index.js';
import type { IndexMetadata, TableMetadata } from './table-metadata.js';
import type { Namespace } from './catalog.js';
import { compareVersions, isItemVersion, localVersion, versionSpace, type ItemVersion } from './replication/item-version.js';
import { isReplicated } from './replication/replica-set.js';
import { isStrong } from './replication/strong-consistency.js';
import { addToStats, nextStatsBucket, statsKey, statsSpace, type IndexStatsDelta } from './table-stats.js';
import { StaleCatalogError } from './catalog-version.js';

export function itemSpace(table: TableMetadata): string {
  return `t/${table.tableId}`;
}

/** The space of item-collection sizes of a table with local secondary indexes, keyed by partition. */
export function collectionSpace(table: TableMetadata): string {
  return `c/${table.tableId}`;
}

/** DynamoDB's limit on an item collection (a partition's items plus their LSI entries): 10 GB. */
export const ITEM_COLLECTION_LIMIT_BYTES = 10 * 1024 * 1024 * 1024;

/**
 * What the write path needs of the catalog: the current table metadata and, when other processes share the
 * storage, the catalog version check (catalog-version.ts; see Catalog).
 */
export interface CatalogView {
  getTable(namespace: Namespace, tableName: string): TableMetadata | undefined;
  /** The read that checks the catalog version in each commit; undefined when one process owns the storage. */
  readonly versionRead?: ReadRequest | undefined;
  /** Whether the version a commit read is the one the cached metadata came from. */
  isCurrent?(storedVersion: unknown): boolean;
  /** Reloads the cached metadata after another process changed it. */
  sync?(): Promise<void>;
}

/** What the write path needs of the engine: storage, the current table metadata, and limits. */
export interface WriteContext {
  readonly storage: Storage;
  readonly catalog: CatalogView;
  /** The item-collection size limit (tests lower it); ITEM_COLLECTION_LIMIT_BYTES by default. */
  readonly itemCollectionLimitBytes?: number;
  /** When stream shards roll over (tests shorten it). */
  readonly shardLimits?: ShardLimits;
  /** Capacity accounting and throttling; absent (or mode off): nothing is counted. */
  readonly capacity?: CapacityTracker;
  /**
   * Global tables with multi-Region strong consistency: a client's write of one of their items is coordinated with
   * the table's other regions (replication/strong-writes.ts), which runs it here through `commitLocal`.
   */
  readonly strongWrites?: {
    write(write: ItemWrite, commitLocal: (write: ItemWrite) => Promise<WriteOutcome>): Promise<WriteOutcome>;
  };
}

/**
 * Decides the new item from the current one. Returns `undefined` to delete, or the very same `current` object
 * to leave the item untouched (no write happens). Throws a DynamoDbError (e.g. ConditionalCheckFailedException)
 * to abort. Must be pure: a storage engine may call it more than once.
 */
export type ItemDecision = (current: Item | undefined, table: TableMetadata) => Item | undefined;

export interface WriteOutcome {
  /** The item before the write: undefined if there was none, and for a blind write (not decoded). */
  readonly oldItem: Item | undefined;
  readonly newItem: Item | undefined;
  readonly oldSize: number;
  readonly newSize: number;
  /** The table as the commit saw it (its indexes are the ones maintained). */
  readonly table: TableMetadata;
  /** The index entries the write changed. */
  readonly indexChanges: readonly IndexChange[];
  /** Tables with LSIs: the size of the item's collection after the write, in bytes. */
  readonly collectionSize?: number;
  /** The units the write consumed, the table's and each index's (ReturnConsumedCapacity reports them). */
  readonly capacity: CapacityParts;
}

export interface ItemWrite {
  readonly table: TableMetadata;
  /** The storage key of the item (src/model/key-encoding.ts). */
  readonly storageKey: Uint8Array;
  readonly decide: ItemDecision;
  /** Who asks: a client (default) or the service itself (TTL), which stream records tell apart. */
  readonly origin?: ChangeOrigin;
  /**
   * A write another replica of a global table took (origin 'replication'): its version. It is applied only if it
   * is newer than the item's version here (last writer wins); otherwise nothing is written.
   */
  readonly replicated?: ItemVersion;
  /**
   * A replicated write applied from another replica's stream (replicator.ts): charged to this replica's capacity,
   * as DynamoDB charges a replicated write unit in every region the write reaches, but never refused. The copy
   * that creates a replica is not charged (DynamoDB bills it as a table restore).
   */
  readonly chargedAsReplicated?: boolean;
  /**
   * True when `decide` does not look at the current item (a PutItem or DeleteItem without condition or
   * ReturnValues, a BatchWriteItem request). If nothing else needs the old item either (no index, stream or TTL
   * on the table), it is then not decoded: `decide` gets undefined, and so does the outcome's oldItem; the
   * statistics still see its real size, from the size tag every item is stored with.
   */
  readonly blind?: boolean;
}

/** The partition part of a storage key (hash, length, value): the key of the item's collection. */
export function partitionOf(storageKey: Uint8Array): Uint8Array {
  const length = (((storageKey[2] ?? 0) << 8) | (storageKey[3] ?? 0)) + 4;
  return storageKey.subarray(0, length);
}

/** The table as it is now: the commit must not write into a table that was deleted (or re-created) meanwhile. */
function currentTable(context: WriteContext, requested: TableMetadata): TableMetadata {
  const table = context.catalog.getTable(requested, requested.tableName);
  if (table === undefined || table.tableId !== requested.tableId) throw resourceNotFound('Requested resource not found');
  return table;
}

const NO_CHANGES: readonly IndexChange[] = [];

/**
 * Thrown inside a commit whose reads no longer fit the table: a GSI began (or its old entry moved) between the
 * read that planned the commit and the commit. The write is planned again; nothing was written.
 */
class ReplanWrite extends Error {
  constructor(readonly table: TableMetadata) {
    super('write must be planned again');
  }
}

/** The old entries a write to an index being backfilled reads, to know whether they exist yet. */
interface PlannedEntry {
  readonly index: IndexMetadata;
  readonly key: Uint8Array;
}

/**
 * Whether a write is coordinated with other regions (a client's write to a STRONG global table): such a write goes
 * through writeItem alone, never into a commit of several writes.
 */
export function isCoordinated(context: WriteContext, write: ItemWrite): boolean {
  return context.strongWrites !== undefined && write.origin !== 'replication' && isStrong(write.table);
}

/** Writes one item: see the file comment. Resolves once the commit is durable. */
export async function writeItem(context: WriteContext, write: ItemWrite): Promise<WriteOutcome> {
  const strongWrites = context.strongWrites;
  if (strongWrites !== undefined && isCoordinated(context, write)) {
    return strongWrites.write(write, async (local) => (await writeItems(context, [local]))[0] as WriteOutcome);
  }
  const [outcome] = await writeItems(context, [write]);
  return outcome as WriteOutcome;
}

/**
 * Writes several items in one atomic commit (a transaction): every decision runs against the items as they are
 * at the commit, and either all their changes are committed or none. Without `failures`, the first decision that
 * throws aborts the commit with its error; with it, every decision runs and `failures` turns the errors (by
 * position, undefined where a decision succeeded) into the one error to abort with.
 */
export async function writeItems(
  context: WriteContext,
  writes: readonly ItemWrite[],
  options: CommitOptions = {},
): Promise<WriteOutcome[]> {
  return (await commitWithPlan(context, writes, options)).outcomes;
}

export interface CommitOptions {
  /**
   * Turns the errors of the writes (by position, undefined where a write would succeed) into the one error to
   * abort with. Throttles take this way too: a transaction is refused as a whole, each throttled write in its
   * position, and nothing is charged.
   */
  readonly failures?: (errors: readonly unknown[]) => Error;
  /** A transaction's writes: the table's units are doubled, as DynamoDB charges transactional writes. */
  readonly transactional?: boolean;
  /**
   * More of the same commit (e.g. an idempotency token): extra keys read with the items, and a step that runs
   * before the decisions and may answer instead of them (`answer`, no item written) or add writes.
   */
  readonly extra?: {
    readonly reads: readonly ReadRequest[];
    readonly before: (values: readonly unknown[]) => { readonly answer: unknown } | undefined;
    readonly after: (values: readonly unknown[], outcomes: readonly WriteOutcome[]) => readonly WriteRequest[];
  };
}

/** What a commit did: the outcomes of its items, or the answer the `extra` step gave instead. */
export interface CommitResult {
  readonly outcomes: WriteOutcome[];
  readonly answer?: unknown;
}

/** What the commit callback hands back to its caller besides the result: the capacity to charge. */
interface CommitCharges {
  charges: Charge[];
}

export async function commitWithPlan(
  context: WriteContext,
  writes: readonly ItemWrite[],
  options: CommitOptions = {},
): Promise<CommitResult> {
  const capacity = context.capacity;
  const only = writes.length === 1 ? (writes[0] as ItemWrite) : undefined;
  // A single write admitted with itemWriteThrottle(): its table charge, the first, is the one checked in `account` mode.
  const checkedWrite = only !== undefined && !isFree(only);
  if (capacity !== undefined && capacity.counting) {
    // The items' own partitions are admitted before anything is read: a throttled write costs nothing. (Admission
    // does not depend on the units a write will consume: a bucket admits while it is not in debt.)
    if (only !== undefined) {
      // One item (PutItem, UpdateItem, DeleteItem): admitted without the lists of charges a batch needs.
      const throttle = checkedWrite ? capacity.itemWriteThrottle(only.table, keyHash(only.storageKey)) : undefined;
      if (throttle !== undefined) throw options.failures === undefined ? throttlingError(throttle) : options.failures([throttlingError(throttle)]);
    } else {
      admitEach(
        capacity,
        writes.map((write) =>
          isFree(write) ? [] : [{ resource: capacity.of(write.table).table, access: 'write' as const, hash: keyHash(write.storageKey) }],
        ),
        options,
      );
    }
  }
  const booked: CommitCharges = { charges: [] };
  let planning = writes;
  for (let attempt = 0; ; attempt++) {
    // Usually no index is being backfilled, and the commit has no read before it (nor an await).
    const backfilling = planning.some((write) => creatingIndexes(write.table).length > 0);
    const planned = backfilling
      ? await Promise.all(
          planning.map((write) => {
            const creating = creatingIndexes(write.table);
            return creating.length === 0 ? NO_ENTRIES : planEntries(context, write.table, write.storageKey, creating);
          }),
        )
      : planning.map(() => NO_ENTRIES);
    try {
      const result = await commit(context, planning, planned, options, booked);
      capacity?.charge(booked.charges, checkedWrite);
      return result;
    } catch (error) {
      // A write refused by its condition consumed capacity all the same.
      if (error instanceof DynamoDbError && error.type === 'ConditionalCheckFailedException') capacity?.charge(booked.charges, checkedWrite);
      if (error instanceof StaleCatalogError && attempt < 100) {
        // Another process changed the catalog: plan again with the metadata as it is now. A table dropped (or
        // re-created, another tableId) meanwhile keeps the old metadata, which the commit then refuses as gone.
        await context.catalog.sync?.();
        planning = planning.map((write) => {
          const latest = context.catalog.getTable(write.table, write.table.tableName);
          return latest !== undefined && latest !== write.table && latest.tableId === write.table.tableId ? { ...write, table: latest } : write;
        });
        continue;
      }
      if (!(error instanceof ReplanWrite) || attempt >= 100) throw error;
      const replanned = error.table;
      planning = planning.map((write) => (write.table.tableId === replanned.tableId ? { ...write, table: replanned } : write));
    }
  }
}

const NO_ENTRIES: readonly PlannedEntry[] = [];

/**
 * A write the service makes itself (a TTL deletion), or a replica's write applied here: not admitted. (A
 * replicated write must never be refused, or the replicas would diverge.)
 */
function isFree(write: ItemWrite): boolean {
  return write.origin === 'ttl' || write.origin === 'replication';
}

/**
 * A write whose units are not charged: a TTL deletion (free in DynamoDB), and a replica's write that is not a
 * replicated write from a stream (the copy that creates a replica). A replicated write is charged to the
 * receiving replica's capacity, its replicated write units (rWCU), though never refused.
 */
function isUncharged(write: ItemWrite): boolean {
  return write.origin === 'ttl' || (write.origin === 'replication' && write.chargedAsReplicated !== true);
}

/**
 * Admits each write's charges (by position); throws when one is refused (enforce mode): its throttling error for
 * a lone write, or for a transaction (`options.failures`) the cancellation with every refused write's throttle
 * in its position.
 */
function admitEach(
  capacity: CapacityTracker,
  chargesByWrite: readonly (readonly { readonly resource: ResourceCapacity; readonly access: Access; readonly hash: number }[])[],
  options: CommitOptions,
): void {
  let refused: unknown[] | undefined;
  for (const [position, charges] of chargesByWrite.entries()) {
    if (charges.length === 0) continue;
    const throttle = capacity.admit(charges);
    if (throttle === undefined) continue;
    if (options.failures === undefined) throw throttlingError(throttle);
    (refused ??= new Array<unknown>(chargesByWrite.length).fill(undefined))[position] = throttlingError(throttle);
  }
  if (refused !== undefined && options.failures !== undefined) throw options.failures(refused);
}

/** The entry keys the current item has in the indexes being backfilled (where it is indexable). */
async function planEntries(
  context: WriteContext,
  table: TableMetadata,
  storageKey: Uint8Array,
  creating: readonly IndexMetadata[],
): Promise<readonly PlannedEntry[]> {
  const current = await readItem(context.storage, table, storageKey);
  if (current === undefined) return NO_ENTRIES;
  return creating
    .filter((index) => indexable(index, current))
    .map((index) => ({ index, key: encodeIndexEntryKey(index.key, current, storageKey) }));
}

/** Where each item's reads sit in the commit's read list. */
interface ItemReads {
  readonly item: number;
  readonly stats: number;
  readonly collection: number;
  readonly entries: number;
  /** The shard state of the table's stream, or -1 without a stream. */
  readonly stream: number;
  /** The item's version (a replicated table), or -1. */
  readonly version: number;
}

/**
 * A key shared by several items of one commit (a statistics bucket, an item collection), read once. `positions` is
 * undefined for a commit of one item, which has nothing to share.
 */
function sharedRead(reads: ReadRequest[], positions: Map<string, number> | undefined, space: string, key: Uint8Array): number {
  if (positions === undefined) {
    reads.push({ space, key });
    return reads.length - 1;
  }
  const id = `${space}\u0000${Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('latin1')}`;
  let position = positions.get(id);
  if (position === undefined) {
    position = reads.length;
    reads.push({ space, key });
    positions.set(id, position);
  }
  return position;
}

function commit(
  context: WriteContext,
  writes: readonly ItemWrite[],
  planned: readonly (readonly PlannedEntry[])[],
  options: CommitOptions,
  booked: CommitCharges,
): Promise<CommitResult> {
  const capacity = context.capacity !== undefined && context.capacity.counting ? context.capacity : undefined;
  const transactional = options.transactional === true;
  const reads: ReadRequest[] = [];
  const shared = writes.length > 1 ? new Map<string, number>() : undefined;
  const layout: ItemReads[] = [];
  // One statistics bucket for the whole commit: its items of one table share one read and one write of it.
  const bucket = statsKey(nextStatsBucket());
  for (const [position, write] of writes.entries()) {
    const item = reads.length;
    // Lazily: the current item is decoded only if something needs more than its presence and size.
    reads.push({ space: itemSpace(write.table), key: write.storageKey, lazy: true });
    const stats = sharedRead(reads, shared, statsSpace(write.table.tableId), bucket);
    // LSIs are fixed at creation, so whether the collection size is kept is known before the commit.
    const collection =
      write.table.localSecondaryIndexes === undefined
        ? -1
        : sharedRead(reads, shared, collectionSpace(write.table), partitionOf(write.storageKey));
    const plannedStream = activeStream(write.table);
    const stream =
      plannedStream === undefined
        ? -1
        : sharedRead(reads, shared, shardStateSpace(streamId(write.table, plannedStream.label)), SHARD_STATE_KEY);
    const version = isReplicated(write.table) ? reads.push({ space: versionSpace(write.table.tableId), key: write.storageKey }) - 1 : -1;
    const entries = reads.length;
    for (const entry of planned[position] ?? NO_ENTRIES) reads.push({ space: indexSpace(entry.index), key: entry.key });
    layout.push({ item, stats, collection, entries, stream, version });
  }
  // Several processes on one storage: the commit checks that the metadata it decides with is current.
  const versionRead = context.catalog.versionRead;
  const versionAt = versionRead === undefined ? -1 : reads.push(versionRead) - 1;
  const extraAt = reads.length;
  if (options.extra !== undefined) reads.push(...options.extra.reads);

  return context.storage.atomic<CommitResult>(reads, (values) => {
    if (versionAt >= 0 && context.catalog.isCurrent?.(values[versionAt]) === false) throw new StaleCatalogError();
    booked.charges = [];
    // The charges of each write, by position (a TTL deletion's carry its size change only).
    const chargesByWrite: Charge[][] = writes.map(() => []);
    // Whether any write charges a GSI (which is then admitted below): most writes charge their table only.
    let indexCharged = false;
    const book = (position: number, charges: readonly Charge[]): void => {
      const free = isUncharged(writes[position] as ItemWrite);
      const list = chargesByWrite[position] as Charge[];
      for (const charge of charges) {
        if (charge.resource.kind === 'Index') indexCharged = true;
        list.push(free ? { ...charge, units: 0 } : charge);
      }
    };
    if (options.extra !== undefined) {
      const early = options.extra.before(values.slice(extraAt));
      if (early !== undefined) return { writes: [], result: { outcomes: [], answer: early.answer } };
    }
    // Decide every item first: a failure must abort before anything is planned.
    const decided: {
      table: TableMetadata;
      stored: StoredValue | undefined;
      blind: boolean;
      oldItem: Item | undefined;
      newItem: Item | undefined;
      present?: Map<string, boolean>;
    }[] = [];
    let errors: unknown[] | undefined;
    for (const [position, write] of writes.entries()) {
      const at = layout[position] as ItemReads;
      const table = currentTable(context, write.table);
      // A stream enabled, disabled or replaced since the commit was planned: its shard state was not read.
      if (activeStream(table)?.label !== activeStream(write.table)?.label) throw new ReplanWrite(table);
      // Replication began or ended since: the item's version was not read (or need not be).
      if (isReplicated(table) !== at.version >= 0) throw new ReplanWrite(table);
      const stored = values[at.item] as StoredValue | undefined;
      const blind = write.blind === true && stored !== undefined && !needsOldItem(table);
      const oldItem = stored === undefined || blind ? undefined : (stored.decode() as Item);
      const creating = creatingIndexes(write.table);
      const present =
        creating.length === 0 && creatingIndexes(table).length === 0
          ? undefined
          : entryPresence(table, write.storageKey, oldItem, creating, planned[position] ?? NO_ENTRIES, values.slice(at.entries));
      let newItem: Item | undefined;
      const existingVersion = at.version < 0 ? undefined : values[at.version];
      // A replica's write older than the item's version here loses (last writer wins): nothing changes.
      if (write.replicated !== undefined && isItemVersion(existingVersion) && compareVersions(write.replicated, existingVersion) <= 0) {
        decided.push({ table, stored, blind, oldItem, newItem: oldItem, ...(present !== undefined ? { present } : {}) });
        continue;
      }
      try {
        newItem = write.decide(oldItem, table);
      } catch (error) {
        if (options.failures === undefined) {
          // DynamoDB charges a write its condition refused: the size of the item it found (at least one unit).
          if (capacity !== undefined && error instanceof DynamoDbError && error.type === 'ConditionalCheckFailedException') {
            const size = stored === undefined ? 0 : storedItemSize(stored);
            booked.charges = writeCharges(capacity.of(table), keyHash(write.storageKey), writeCapacity(size, size, NO_CHANGES, transactional), 0, NO_CHANGES);
          }
          throw error;
        }
        (errors ??= new Array<unknown>(writes.length).fill(undefined))[position] = error;
        newItem = oldItem;
      }
      decided.push({ table, stored, blind, oldItem, newItem, ...(present !== undefined ? { present } : {}) });
    }
    if (errors !== undefined && options.failures !== undefined) throw options.failures(errors);

    const storageWrites: WriteRequest[] = [];
    // Statistics and collection sizes as they evolve through the commit, by read position.
    const sharedValues = new Map<number, unknown>();
    const valueAt = (position: number): unknown => (sharedValues.has(position) ? sharedValues.get(position) : values[position]);
    const outcomes: WriteOutcome[] = [];
    const now = Date.now();
    for (const [position, write] of writes.entries()) {
      const at = layout[position] as ItemReads;
      const { table, stored, blind, oldItem, newItem, present } = decided[position] as (typeof decided)[number];
      const oldSize = stored === undefined ? 0 : storedItemSize(stored);
      const collectionBefore = at.collection < 0 ? undefined : numberOr0(valueAt(at.collection));
      if (newItem === oldItem && !blind) {
        const consumed = writeCapacity(oldSize, oldSize, NO_CHANGES, transactional);
        if (capacity !== undefined) book(position, writeCharges(capacity.of(table), keyHash(write.storageKey), consumed, 0, NO_CHANGES));
        outcomes.push({
          oldItem,
          newItem,
          oldSize,
          newSize: oldSize,
          table,
          indexChanges: NO_CHANGES,
          ...(collectionBefore !== undefined ? { collectionSize: collectionBefore } : {}),
          capacity: consumed,
        });
        continue;
      }
      const newSize = newItem === undefined ? 0 : itemSize(newItem);
      const countDelta = (newItem === undefined ? 0 : 1) - (stored === undefined ? 0 : 1);
      const indexes = maintainedIndexes(table);
      const maintenance =
        indexes.length === 0 ? undefined : maintainIndexes(table, indexes, write.storageKey, oldItem, newItem, present);
      const indexDeltas: IndexStatsDelta[] = [];
      let localDelta = 0;
      for (const change of maintenance?.changes ?? NO_CHANGES) {
        indexDeltas.push({
          indexId: change.index.indexId,
          itemCount: (change.newSize > 0 ? 1 : 0) - (change.oldSize > 0 ? 1 : 0),
          sizeBytes: change.newSize - change.oldSize,
        });
        if (change.index.kind === 'LOCAL') localDelta += change.newSize - change.oldSize;
      }
      // Tagged with its size, which the next write of the item reads without decoding it.
      storageWrites.push({ space: itemSpace(table), key: write.storageKey, value: newItem, tag: newSize });
      if (maintenance !== undefined) storageWrites.push(...maintenance.writes);
      const unchanged = oldItem !== undefined && newItem !== undefined && itemsEqual(oldItem, newItem);
      let version: ItemVersion | undefined;
      // A client's write that changes nothing keeps the item's version: it leaves no stream record to replicate, and
      // a newer version that no other replica learns of would make this one refuse their writes while they take
      // them. A replica's write takes its version even then: its own region has that version, and a write between
      // the two versions must lose here as it loses there.
      if (at.version >= 0 && (!unchanged || write.replicated !== undefined)) {
        const existing = values[at.version];
        version = write.replicated ?? localVersion(isItemVersion(existing) ? existing : undefined, table.region, now);
        storageWrites.push({ space: versionSpace(table.tableId), key: write.storageKey, value: version });
      }
      const ttlAttribute = maintainedTtlAttribute(table);
      if (ttlAttribute !== undefined) storageWrites.push(...expiryWrites(table, write.storageKey, oldItem, newItem, ttlAttribute));
      const stream = activeStream(table);
      // A write that changes nothing leaves no stream record, as in DynamoDB.
      if (stream !== undefined && !unchanged) {
        const id = streamId(table, stream.label);
        const stateBefore = valueAt(at.stream);
        // The first record stores the shard the stream has had since it was enabled (see withInitialShard).
        const initial = withInitialShard(isShardState(stateBefore) ? stateBefore : EMPTY_SHARD_STATE, id, stream.enabledAt);
        const allocated = allocateSequence(initial, id, now, context.shardLimits);
        sharedValues.set(at.stream, allocated.state);
        storageWrites.push({
          space: recordSpace(id),
          key: recordKey(allocated.sequence),
          value: streamRecord({
            streamId: id,
            viewType: stream.viewType,
            region: table.region,
            tableKey: table.key,
            sequence: allocated.sequence,
            now,
            oldItem,
            newItem,
            origin: write.origin ?? 'client',
            ...(version !== undefined ? { version } : {}),
          }),
        });
      }
      sharedValues.set(at.stats, addToStats(valueAt(at.stats), countDelta, newSize - oldSize, indexDeltas));
      let collectionSize: number | undefined;
      if (collectionBefore !== undefined) {
        const delta = newSize - oldSize + localDelta;
        collectionSize = collectionBefore + delta;
        if (delta > 0 && collectionSize > (context.itemCollectionLimitBytes ?? ITEM_COLLECTION_LIMIT_BYTES)) {
          if (options.failures === undefined) throw itemCollectionSizeLimitExceeded();
          const failed = new Array<unknown>(writes.length).fill(undefined);
          failed[position] = itemCollectionSizeLimitExceeded();
          throw options.failures(failed);
        }
        sharedValues.set(at.collection, collectionSize);
      }
      const indexChanges = maintenance?.changes ?? NO_CHANGES;
      const consumed = writeCapacity(oldSize, newSize, indexChanges, transactional);
      if (capacity !== undefined) {
        book(position, writeCharges(capacity.of(table), keyHash(write.storageKey), consumed, newSize - oldSize, indexChanges));
      }
      outcomes.push({
        oldItem,
        newItem,
        oldSize,
        newSize,
        table,
        indexChanges,
        ...(collectionSize !== undefined ? { collectionSize } : {}),
        capacity: consumed,
      });
    }
    if (capacity !== undefined) {
      // The global secondary indexes the writes touch: a GSI that cannot take the write throttles the table's
      // write (back-pressure), and nothing is written.
      if (indexCharged) {
        admitEach(
          capacity,
          chargesByWrite.map((charges, position) =>
            isFree(writes[position] as ItemWrite) ? [] : charges.filter((charge) => charge.resource.kind === 'Index'),
          ),
          options,
        );
      }
      booked.charges = chargesByWrite.length === 1 ? (chargesByWrite[0] as Charge[]) : chargesByWrite.flat();
    }
    for (const [position, value] of sharedValues) {
      const read = reads[position] as ReadRequest;
      // An emptied item collection leaves no key behind.
      storageWrites.push({ space: read.space, key: read.key, value: value === 0 ? undefined : value });
    }
    if (options.extra !== undefined) storageWrites.push(...options.extra.after(values.slice(extraAt), outcomes));
    return { writes: storageWrites, result: { outcomes } };
  });
}

/** The expiry index changes of one item (see ttl/expiry-index.ts): its old entry out, its new one in. */
function expiryWrites(
  table: TableMetadata,
  storageKey: Uint8Array,
  oldItem: Item | undefined,
  newItem: Item | undefined,
  attributeName: string,
): WriteRequest[] {
  const before = expiryOf(oldItem, attributeName);
  const after = expiryOf(newItem, attributeName);
  if (before === after) return [];
  const space = expirySpace(table);
  const writes: WriteRequest[] = [];
  if (before !== undefined) writes.push({ space, key: expiryKey(before, storageKey), value: undefined });
  if (after !== undefined) writes.push({ space, key: expiryKey(after, storageKey), value: 1 });
  return writes;
}

/** Whether writes to the table need the old item whatever they do: to maintain indexes, streams or TTL. */
function needsOldItem(table: TableMetadata): boolean {
  return maintainedIndexes(table).length > 0 || activeStream(table) !== undefined || maintainedTtlAttribute(table) !== undefined;
}

/** A stored item's size: its tag, or for an item stored without one (by an earlier version), computed. */
function storedItemSize(stored: StoredValue): number {
  return stored.tag ?? itemSize(stored.decode() as Item);
}

function numberOr0(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}

/**
 * For each index being backfilled, whether the old item's entry is there yet, from the entry reads the commit
 * planned. When the plan no longer fits (an index began since, or the item changed so that its entry key is not
 * the one read), the write is planned again.
 */
function entryPresence(
  table: TableMetadata,
  storageKey: Uint8Array,
  oldItem: Item | undefined,
  creating: readonly IndexMetadata[],
  planned: readonly PlannedEntry[],
  entryValues: readonly unknown[],
): Map<string, boolean> {
  const present = new Map<string, boolean>();
  for (const index of creatingIndexes(table)) {
    if (!creating.some((known) => known.indexId === index.indexId)) throw new ReplanWrite(table);
    const position = planned.findIndex((entry) => entry.index.indexId === index.indexId);
    const expected = oldItem !== undefined && indexable(index, oldItem) ? encodeIndexEntryKey(index.key, oldItem, storageKey) : undefined;
    const plannedKey = position < 0 ? undefined : planned[position]?.key;
    if (expected === undefined) {
      if (plannedKey !== undefined) throw new ReplanWrite(table);
      continue;
    }
    if (plannedKey === undefined || Buffer.compare(expected, plannedKey) !== 0) throw new ReplanWrite(table);
    present.set(index.indexId, entryValues[position] !== undefined);
  }
  return present;
}

export function itemCollectionSizeLimitExceeded(): DynamoDbError {
  return new DynamoDbError('ItemCollectionSizeLimitExceededException', 'Collection size exceeded.');
}

export async function readItem(storage: Storage, table: TableMetadata, storageKey: Uint8Array): Promise<Item | undefined> {
  return (await storage.get(itemSpace(table), storageKey)) as Item | undefined;
}
