/**
 * The engine: tables and the single write path every mutation goes through. Operations (src/api/) call it;
 * it calls storage.
 */
import type { Storage } from '../storage/storage.js';
import { scaledClock, type CapacityClock } from '../capacity/capacity-clock.js';
import { CapacityTracker, type CapacityMode } from '../capacity/capacity-tracker.js';
import { CapacityLedger } from '../capacity/capacity-ledger.js';
import { DEFAULT_CAPACITY_POLICY, type CapacityPolicy } from '../capacity/resource-capacity.js';
import { Catalog } from './catalog.js';
import { backfillIndex, dropIndex, type BackfillOptions } from './index-backfill.js';
import type { ShardLimits } from './streams/shard-state.js';
import { trimTableStreams } from './streams/stream-retention.js';
import { disableTtl, enableTtl, sweepTable } from './ttl/ttl-worker.js';
import { sweepExpiredTokens } from './idempotency-tokens.js';
import type { TableMetadata } from './table-metadata.js';
import { ITEM_COLLECTION_LIMIT_BYTES, type WriteContext } from './write-path.js';
import { copyToPeer, copyToReplica } from './replication/replica-copy.js';
import { replicaSetOf, writeReplicaSet } from './replication/replica-admin.js';
import type { ReplicaMetadata } from './replication/replica-set.js';
import { localSource, peerAwareSource, replicationRound, type ReplicationSource } from './replication/replicator.js';
import { PeerClient, PeerError, type PeerUrls } from './replication/peers.js';
import { ReplicationStatus } from './replication/replication-status.js';
import { replicationKey } from './replication/peer-signing.js';
import type { AuthDirectory } from '../auth/auth-file.js';
import { PeerReadPositions } from './replication/pending-replication.js';
import { trimTombstones, type TombstoneCursors } from './replication/tombstone-trim.js';
import { STREAM_RETENTION_MS } from './streams/table-streams.js';
import { ItemGrants } from './replication/item-grants.js';
import { StrongWrites } from './replication/strong-writes.js';
import { Leases } from './leases.js';

/**
 * The leases of the engine's background work (leases.ts): with several processes on one storage, each runs in one
 * of them. `periodic` covers the TTL sweeper, stream trimming and the expiry of idempotency tokens; `table-jobs`
 * index backfills and drops, TTL enabling and disabling, and copies into new replicas; `replication` the
 * replication rounds. Each trigger has its own (src/triggers/).
 */
export const PERIODIC_LEASE = 'periodic';
export const TABLE_JOBS_LEASE = 'table-jobs';
export const REPLICATION_LEASE = 'replication';

export interface EngineOptions {
  /** Region used when a request carries no credential scope. */
  readonly defaultRegion: string;
  readonly accountId: string;
  /** See CatalogOptions.tableStatusDelayMs (default 0: tables are ACTIVE at once). */
  readonly tableStatusDelayMs?: number;
  /** The item-collection size limit of tables with LSIs (default DynamoDB's 10 GB; tests lower it). */
  readonly itemCollectionLimitBytes?: number;
  /** Index backfill pacing (see BackfillOptions; tests slow it down to race writes against it). */
  readonly backfill?: BackfillOptions;
  /** How often expired items are swept (default 1 s). */
  readonly ttlSweepIntervalMs?: number;
  /** The shortest time between two TTL changes of a table (DynamoDB's hour by default; 0 relaxes the rule). */
  readonly ttlChangeIntervalMs?: number;
  /** How long stream records are kept (default 24 hours; tests shorten it). */
  readonly streamRetentionMs?: number;
  /** When stream shards roll over (default every 4 hours or 100,000 records). */
  readonly shardLimits?: ShardLimits;
  /** DynamoDB's capacity model (src/capacity/): what is counted and enforced, and on which clock. */
  readonly capacity?: CapacityOptions;
  /** How often each replica of a global table pulls the others' writes (default 50 ms; `--replication-interval-ms`). */
  readonly replicationIntervalMs?: number;
  /**
   * How long after a replica on a peer is asked for its copy may keep failing (the peer unreachable) before the
   * replica is given up as CREATION_FAILED (default 10 minutes; `--replica-creation-timeout-ms`).
   */
  readonly replicaCreationTimeoutMs?: number;
  /**
   * The servers of other regions (`peers` of the configuration file): a replica in one of their regions lives
   * there, and is created, copied into and followed over HTTP (replication/peers.ts).
   */
  readonly peers?: PeerUrls;
  /**
   * Whether this server serves its default region only (`--region-name`): requests for other regions are refused
   * and a replica in a region that no peer serves cannot be created.
   */
  readonly servesOneRegion?: boolean;
  /** The `--auth` file: calls to peers are signed with its `replication` users' keys (replication/peer-signing.ts). */
  readonly auth?: AuthDirectory;
  /** Whether the storage encrypts data at rest (`--encryption-key-file`): DescribeTable's SSEDescription says so. */
  readonly encryptedAtRest?: boolean;
  /** How long a lease on background work lasts without renewal, with several processes on one storage (leases.ts). */
  readonly leasePeriodMs?: number;
}

export interface CapacityOptions {
  /** `account` by default: everything is counted, nothing refused. */
  readonly mode?: CapacityMode;
  /** The capacity clock (default: the wall clock, sped up `timeScale` times). */
  readonly clock?: CapacityClock;
  /** Seconds of capacity time per wall-clock second (default 1). */
  readonly timeScale?: number;
  /** Limits and thresholds (default DynamoDB's). */
  readonly policy?: Partial<CapacityPolicy>;
  /**
   * With several processes on one storage: wall-clock ms between two exchanges of the capacity ledger (default
   * 100), the delay after which each process's buckets follow the others' consumption (capacity-ledger.ts).
   */
  readonly ledgerIntervalMs?: number;
}

/** How long settleBackgroundWork goes on starting index work that is due, in lease periods (several processes). */
const SETTLE_LEASE_PERIODS = 10;

export class Engine implements WriteContext {
  /** Table metadata, cached; call `catalog.load()` once before serving. */
  readonly catalog: Catalog;
  readonly itemCollectionLimitBytes: number;
  readonly ttlChangeIntervalMs: number;
  readonly shardLimits: ShardLimits;
  readonly encryptedAtRest: boolean;
  /** Capacity per table and GSI: every write and read is admitted and charged through it. */
  readonly capacity: CapacityTracker;

  constructor(
    readonly storage: Storage,
    readonly options: EngineOptions,
  ) {
    this.catalog = new Catalog(storage, {
      accountId: options.accountId,
      tableStatusDelayMs: options.tableStatusDelayMs ?? 0,
    });
    this.itemCollectionLimitBytes = options.itemCollectionLimitBytes ?? ITEM_COLLECTION_LIMIT_BYTES;
    this.ttlChangeIntervalMs = options.ttlChangeIntervalMs ?? 60 * 60 * 1000;
    this.shardLimits = options.shardLimits ?? {};
    const auth = options.auth;
    this.peers = new PeerClient(options.peers ?? {}, auth === undefined ? undefined : (accountId) => replicationKey(auth, accountId));
    this.encryptedAtRest = options.encryptedAtRest ?? false;
    const capacity = options.capacity ?? {};
    this.capacity = new CapacityTracker(capacity.mode ?? 'account', capacity.clock ?? scaledClock(capacity.timeScale ?? 1), {
      ...DEFAULT_CAPACITY_POLICY,
      ...capacity.policy,
    });
    this.strongWrites = new StrongWrites(this);
    this.leases = new Leases(storage, {
      ...(options.leasePeriodMs !== undefined ? { periodMs: options.leasePeriodMs } : {}),
      onRenewed: () => this.afterLeaseRound(),
      onError: (error) => {
        if (!this.stopping) this.onBackgroundError(error);
      },
    });
    this.leases.want(TABLE_JOBS_LEASE);
    // Several processes serving one region from one storage grant an item to one write between them.
    this.grants = new ItemGrants(storage.multiProcess === true ? storage : undefined);
    // Several processes share the storage: each one's buckets follow what all of them consumed.
    this.capacityLedger =
      storage.multiProcess === true && this.capacity.counting
        ? new CapacityLedger(storage, this.capacity, (tableId) => this.catalog.allTables().find((table) => table.tableId === tableId), this.leases.holder, {
            ...(capacity.ledgerIntervalMs !== undefined ? { intervalMs: capacity.ledgerIntervalMs } : {}),
            refreshTables: () => this.catalog.sync(),
            onError: (error) => {
              if (!this.stopping) this.onBackgroundError(error);
            },
          })
        : undefined;
  }

  /** The exchange of consumed capacity with the other processes sharing the storage (none with one process). */
  readonly capacityLedger: CapacityLedger | undefined;

  /** Which process runs which background work, when several share the storage (leases.ts). */
  readonly leases: Leases;

  /**
   * After each round of lease renewals (several processes only): the catalog is brought up to date, and the
   * holder of the table jobs starts those that are due, whichever process's request made them due (or a process
   * that died left unfinished).
   */
  private async afterLeaseRound(): Promise<void> {
    await this.catalog.sync();
    if (this.leases.holds(TABLE_JOBS_LEASE)) this.resumeBackgroundWork();
  }

  /** Whether a table job must stop: the server stops, or another process took the jobs over. */
  private readonly jobStopped = (): boolean => this.stopping || !this.leases.holds(TABLE_JOBS_LEASE);

  private readonly backfills = new Map<string, Promise<void>>();
  private stopping = false;
  /** Told of the items each TTL sweep deleted (metrics: TimeToLiveDeletedItemCount). */
  onTtlDeleted: ((table: TableMetadata, count: number) => void) | undefined;
  /** Where a failed backfill is reported (the server sets its logger). */
  onBackgroundError: (error: unknown) => void = () => undefined;

  /** Runs `work` in the background once per `key` at a time; failures go to onBackgroundError. */
  private runInBackground(key: string, work: () => Promise<void>): void {
    // Another process holds the table jobs: it starts this one at its next lease round.
    if (this.stopping || !this.leases.holds(TABLE_JOBS_LEASE) || this.backfills.has(key)) return;
    const run = work()
      .catch((error: unknown) => {
        if (!this.stopping) this.onBackgroundError(error);
      })
      .finally(() => this.backfills.delete(key));
    this.backfills.set(key, run);
  }

  /** Starts (once) the backfill of a CREATING global secondary index; it runs in the background. */
  startBackfill(table: TableMetadata, indexId: string): void {
    this.runInBackground(indexId, () =>
      backfillIndex(this, table, table.tableName, indexId, this.options.backfill ?? {}, this.jobStopped),
    );
  }

  /** Drops a DELETING global secondary index in the background: its entries, then its metadata. */
  startIndexDeletion(table: TableMetadata, indexId: string): void {
    this.runInBackground(indexId, () => dropIndex(this, table, table.tableName, indexId));
  }

  /** Indexes the expiry of a table's existing items after TTL is enabled (ENABLING, then ENABLED). */
  startTtlEnabling(table: TableMetadata): void {
    this.runInBackground(`ttl/${table.tableId}`, () =>
      enableTtl(this, table, table.tableName, this.options.backfill ?? {}, this.jobStopped),
    );
  }

  /** Drops a table's expiry index after TTL is disabled (DISABLING, then DISABLED). */
  startTtlDisabling(table: TableMetadata): void {
    this.runInBackground(`ttl/${table.tableId}`, () => disableTtl(this, table, table.tableName));
  }

  private sweeper: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;

  /**
   * Starts the periodic work: sweeping expired items (TTL) and trimming stream records past retention. Each round
   * does a bounded amount of work per table, so foreground requests are never held up for long.
   */
  startPeriodicWork(): void {
    if (this.sweeper !== undefined || this.stopping) return;
    const interval = this.options.ttlSweepIntervalMs ?? 1000;
    let lastTrim = 0;
    this.leases.want(PERIODIC_LEASE);
    this.leases.start();
    this.capacityLedger?.start();
    this.sweeper = setInterval(() => {
      // With several processes on one storage, one of them sweeps (the holder of the lease).
      if (this.sweeping !== undefined || this.stopping || !this.leases.holds(PERIODIC_LEASE)) return;
      const now = Date.now();
      const trim = now - lastTrim >= Math.min(60_000, this.options.streamRetentionMs ?? 60_000);
      if (trim) lastTrim = now;
      this.sweeping = this.catalog
        .sync()
        .then(() => this.periodicRound(now, trim))
        .catch((error: unknown) => {
          if (!this.stopping) this.onBackgroundError(error);
        })
        .finally(() => {
          this.sweeping = undefined;
        });
    }, interval);
    this.sweeper.unref();
  }

  /** Where each replicated table's walk for old tombstones resumes. */
  private readonly tombstoneCursors: TombstoneCursors = new Map();

  /** One round of the periodic work (tests call it directly). */
  async periodicRound(now = Date.now(), trimStreams = true): Promise<void> {
    for (let round = 0; round < 10; round++) {
      if (this.stopping || (await sweepExpiredTokens(this.storage, now)) < 500) break;
    }
    for (const table of this.catalog.allTables()) {
      if (this.stopping) return;
      if (table.timeToLive?.status === 'ENABLED') {
        // Up to 10 batches per table per round; the rest waits for the next round.
        for (let round = 0; round < 10; round++) {
          const deleted = await sweepTable(this, table, now, 100);
          if (deleted > 0) this.onTtlDeleted?.(table, deleted);
          if (deleted < 100) break;
        }
      }
      if (trimStreams && table.streams !== undefined) {
        await trimTableStreams(this.storage, this.catalog, table, now, this.options.streamRetentionMs);
      }
      // Tombstones go with the stream records they could still meet (replication/tombstone-trim.ts); a table that
      // no longer replicates may still have some.
      if (trimStreams) {
        await trimTombstones(this.storage, table, now - (this.options.streamRetentionMs ?? STREAM_RETENTION_MS), this.tombstoneCursors);
      }
    }
  }

  /** Items copied so far into each replica being created, by `<tableId>/<region>` of its source (this run only). */
  readonly replicaCopyProgress = new Map<string, number>();
  private replicationSource: ReplicationSource | undefined;
  /** The peers' replication endpoints (an empty set without `peers`). */
  readonly peers: PeerClient;
  /** Replication lag and backlog per replica followed (replication/replication-status.ts; `/metrics`). */
  readonly replicationStatus = new ReplicationStatus();
  /** Where each peer last asked to read this server's streams from (replication/pending-replication.ts). */
  readonly peerReadPositions = new PeerReadPositions();
  /** The grants this server's regions give to the writes of STRONG global tables (replication/item-grants.ts). */
  readonly grants: ItemGrants;
  /** The writes and strongly consistent reads of STRONG global tables (replication/strong-writes.ts). */
  readonly strongWrites: StrongWrites;
  /** The streams of every region: this server's, and the peers' through their replication endpoint. */
  get streams(): ReplicationSource {
    return (this.replicationSource ??= peerAwareSource(this.localReplicationSource, this.peers));
  }
  /** This server's own streams, read by the local replicas and by peers following them. */
  get localReplicationSource(): ReplicationSource {
    return (this.localSourceCache ??= localSource(this.storage, this.catalog));
  }
  private localSourceCache: ReplicationSource | undefined;

  /**
   * Writes `replicas` as the replica set of the table in every region of `regions`: this server's tables through
   * the catalog, a peer's through its replication endpoint. `extra` changes this server's tables only.
   */
  async writeReplicaSet(
    table: Pick<TableMetadata, 'accountId' | 'tableName'>,
    regions: readonly string[],
    replicas: readonly ReplicaMetadata[] | undefined,
    extra?: (current: TableMetadata) => TableMetadata,
  ): Promise<void> {
    const remote = regions.filter((region) => this.peers.has(region));
    await writeReplicaSet(this.catalog, table, regions.filter((region) => !this.peers.has(region)), replicas, extra);
    for (const region of remote) {
      await this.peers.call(region, table.accountId, 'replica-set', { tableName: table.tableName, replicas: replicas ?? null });
    }
  }
  private replicator: NodeJS.Timeout | undefined;
  private replicating: Promise<void> | undefined;

  /**
   * Starts copying a table's items into its new replica in `region` (CREATING), then marks the replica ACTIVE; a
   * copy to a peer that cannot be carried out marks it CREATION_FAILED instead (failReplicaCreation).
   */
  startReplicaCopy(table: TableMetadata, region: string): void {
    const progressKey = `${table.tableId}/${region}`;
    this.runInBackground(`replica/${progressKey}`, async () => {
      const to = { accountId: table.accountId, region };
      const progress = (copied: number): void => void this.replicaCopyProgress.set(progressKey, copied);
      const stopped = this.jobStopped;
      const outcome = !this.peers.has(region)
        ? await copyToReplica(this, table, to, table.tableName, this.options.backfill ?? {}, stopped, progress)
        : await this.copyToPeerRetrying(table, region, stopped, progress);
      this.replicaCopyProgress.delete(progressKey);
      if (this.stopping) return;
      if (typeof outcome === 'object') {
        await this.failReplicaCreation(table, region, outcome.failed);
        return;
      }
      if (!outcome) return;
      // One replica set change at a time: two copies that end together (the two replicas of a STRONG table) would
      // each write the set they read, and the later would undo the earlier's ACTIVE.
      const activation = this.replicaActivations.then(async () => {
        const current = this.catalog.getTable(table, table.tableName);
        if (current === undefined) return;
        const replicas = replicaSetOf(current).map((replica) => {
          return replica.regionName === region && replica.status === 'CREATING' ? { ...replica, status: 'ACTIVE' as const } : replica;
        });
        await this.writeReplicaSet(current, replicas.map((replica) => replica.regionName), replicas);
      });
      this.replicaActivations = activation.catch(() => undefined);
      await activation;
    });
  }

  private replicaActivations: Promise<void> = Promise.resolve();

  /**
   * The copy into a peer's replica, started again from the beginning while the peer cannot be reached (writing an
   * item again with its version changes nothing), until it is done, the server stops, or it cannot be: the peer
   * refuses it (its replica table is gone, or it answers 4xx), or it stays unreachable past the creation timeout
   * counted from when the replica was asked for. Returns whether it finished, or why it failed.
   */
  private async copyToPeerRetrying(
    table: TableMetadata,
    region: string,
    stopped: () => boolean,
    progress: (copied: number) => void,
  ): Promise<boolean | { failed: string }> {
    const timeoutMs = this.options.replicaCreationTimeoutMs ?? 10 * 60 * 1000;
    const askedAt = replicaSetOf(table).find((replica) => replica.regionName === region)?.createdAt ?? Date.now();
    for (;;) {
      try {
        const { tableId } = await this.peers.call<{ tableId: string | null }>(region, table.accountId, 'table-id', { tableName: table.tableName });
        if (tableId === null) return { failed: replicaGone(region) };
        const done = await copyToPeer(
          this,
          table,
          table.tableName,
          async (writes) =>
            (await this.peers.call<{ applied: boolean }>(region, table.accountId, 'apply', { tableName: table.tableName, tableId, writes })).applied,
          this.options.backfill ?? {},
          stopped,
          progress,
        );
        // Not done, not stopped, and the source still here: the replica's table went away on the peer.
        if (!done && !stopped() && this.catalog.getTable(table, table.tableName)?.tableId === table.tableId) return { failed: replicaGone(region) };
        return done;
      } catch (error) {
        if (stopped()) return false;
        if (error instanceof PeerError && error.status >= 400 && error.status < 500) {
          return { failed: `The replica could not be created: region ${region} refused it: ${error.message}` };
        }
        const waited = Date.now() - askedAt;
        if (waited >= timeoutMs) {
          this.onBackgroundError(error);
          return { failed: `The replica could not be created: region ${region} could not be reached for ${Math.round(timeoutMs / 1000)} s` };
        }
        this.onBackgroundError(error);
        await new Promise((resolve) => setTimeout(resolve, Math.min(1000, timeoutMs - waited)));
      }
    }
  }

  /**
   * A replica whose creation failed: it stays in the set, CREATION_FAILED with the reason as its
   * ReplicaStatusDescription, as DynamoDB reports it, and no replica follows it or is followed by it (until it is
   * deleted, or created again). Its table on the peer is deleted if the peer answers; one that does not keeps it,
   * and its table then follows nothing, since no member lists it as a replica to send to.
   */
  private async failReplicaCreation(table: TableMetadata, region: string, reason: string): Promise<void> {
    const current = this.catalog.getTable(table, table.tableName);
    if (current === undefined || current.tableId !== table.tableId) return;
    const failed = replicaSetOf(current).find((replica) => replica.regionName === region);
    if (failed === undefined || failed.status !== 'CREATING') return;
    const replicas = replicaSetOf(current).map((replica) =>
      replica.regionName === region ? { ...replica, status: 'CREATION_FAILED' as const, statusDescription: reason } : replica,
    );
    const members = replicas.filter((replica) => replica.regionName !== region).map((replica) => replica.regionName);
    try {
      await this.writeReplicaSet(current, members, replicas);
    } catch (error) {
      this.onBackgroundError(error);
    }
    await this.peers
      .call(region, current.accountId, 'delete-table', { tableName: current.tableName, ifCreatedAt: failed.createdAt })
      .catch(() => undefined);
  }

  /**
   * Starts replication between the replicas of every global table of this server: each round, every replica
   * applies what the others wrote since (replication/replicator.ts). The rounds' timer runs only while some table
   * of this server has a replica set: the catalog says when that changes, so that a server without global
   * tables does no periodic replication work at all.
   */
  startReplication(): void {
    if (this.replicationWanted || this.stopping) return;
    this.replicationWanted = true;
    this.leases.want(REPLICATION_LEASE);
    this.leases.start();
    this.catalog.onReplicasChanged = () => this.scheduleReplication();
    this.scheduleReplication();
  }

  private replicationWanted = false;

  /** Whether the replication rounds' timer runs now (some table has replicas). */
  get replicationTimerRunning(): boolean {
    return this.replicator !== undefined;
  }

  /** Starts or stops the rounds' timer as the catalog has tables with replicas or not. */
  private scheduleReplication(): void {
    const wanted = this.replicationWanted && !this.stopping && this.catalog.hasReplicatedTables();
    if (!wanted) {
      if (this.replicator !== undefined) clearInterval(this.replicator);
      this.replicator = undefined;
      return;
    }
    if (this.replicator !== undefined) return;
    this.replicator = setInterval(() => {
      if (this.replicating !== undefined || this.stopping || !this.leases.holds(REPLICATION_LEASE)) return;
      // A peer that cannot be reached is reported by the status (and /metrics), not logged every round.
      const failed = (_table: TableMetadata, _region: string, error: unknown): void => {
        if (!(error instanceof PeerError)) this.onBackgroundError(error);
      };
      this.replicating = replicationRound(this, this.streams, () => this.stopping || !this.leases.holds(REPLICATION_LEASE), this.replicationStatus, failed)
        .then(() => undefined)
        .catch((error: unknown) => {
          if (!this.stopping) this.onBackgroundError(error);
        })
        .finally(() => {
          this.replicating = undefined;
        });
    }, this.options.replicationIntervalMs ?? 50);
    this.replicator.unref();
  }

  /** Resumes the backfills a previous run left unfinished. Call after `catalog.load()`. */
  resumeBackgroundWork(): void {
    for (const table of this.catalog.allTables()) {
      for (const replica of table.replicas ?? []) {
        if (replica.status === 'CREATING' && replica.copiedFrom === table.region) this.startReplicaCopy(table, replica.regionName);
      }
      for (const index of table.globalSecondaryIndexes ?? []) {
        if (index.status === 'CREATING') this.startBackfill(table, index.indexId);
        if (index.status === 'DELETING') this.startIndexDeletion(table, index.indexId);
      }
      if (table.timeToLive?.status === 'ENABLING') this.startTtlEnabling(table);
      if (table.timeToLive?.status === 'DISABLING') this.startTtlDisabling(table);
    }
  }

  /** Waits for every running backfill (tests), without stopping them. */
  async settleBackgroundWork(): Promise<void> {
    if (!this.leases.shared) {
      await this.runningWork();
      return;
    }
    // With several processes, work starts at a lease round: after the one under way (which may have looked before
    // the work was due), a new one starts what is due now. A backfill can also be due and not run: the lease is
    // still another process's (one that stopped without giving it back holds it for a period), or this process's
    // lapsed under load and the job paused, to resume at a later round. So rounds go on while an index is still
    // being built or dropped, for at most a few lease periods.
    const deadline = Date.now() + SETTLE_LEASE_PERIODS * this.leases.periodMs;
    do {
      await this.leases.renewRound();
      await this.leases.renewRound();
      await this.runningWork();
    } while (this.indexWorkDue() && Date.now() < deadline);
  }

  private async runningWork(): Promise<void> {
    while (this.backfills.size > 0 || this.sweeping !== undefined) {
      await Promise.all([...this.backfills.values(), this.sweeping]);
    }
  }

  /** Whether a global secondary index of some table is still being built or dropped (as this process last saw). */
  private indexWorkDue(): boolean {
    return this.catalog.allTables().some((table) => (table.globalSecondaryIndexes ?? []).some((index) => index.status === 'CREATING' || index.status === 'DELETING'));
  }

  /** Stops background work before the storage closes; a stopped backfill resumes at the next start. */
  async stopBackgroundWork(): Promise<void> {
    this.stopping = true;
    if (this.sweeper !== undefined) clearInterval(this.sweeper);
    if (this.replicator !== undefined) clearInterval(this.replicator);
    this.replicator = undefined;
    await this.sweeping;
    await this.replicating;
    await Promise.all(this.backfills.values());
    await this.capacityLedger?.stop();
    await this.leases.stop();
  }
}

/** Why a replica's copy cannot go on: its table is no longer on the peer. Cairn's own words. */
function replicaGone(region: string): string {
  return `The replica could not be created: its table in region ${region} no longer exists`;
}
