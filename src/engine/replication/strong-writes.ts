/**
 * Writes and strongly consistent reads of STRONG global tables (multi-Region strong consistency, three regions).
 *
 * A write in region R (the coordinator):
 *  1. asks every region of the table, R included, for the item's grant (item-grants.ts); each region that grants
 *     it answers with its copy of the item and the item's version. Fewer than two grants: nothing is written, and
 *     the write is refused with ReplicatedWriteConflictException if a region refused because another region's
 *     write holds the item, with the majority-unavailable error (InternalServerError) if regions could not answer.
 *  2. applies in R the newest of the granting regions' copies (a versioned write, a no-op when R has it), so that
 *     R holds every acknowledged write of the item: each was committed in a majority, and any two majorities of
 *     three regions share a region;
 *  3. runs the write in R through the ordinary write path: its condition sees the latest item, and the new
 *     version is newer than every one before it;
 *  4. sends the new item and version to the other regions, which apply them as a replicated write (durable when
 *     they answer), and acknowledges the write once at least one of them has (R and it: two of three);
 *  5. gives the grants back.
 * Since a region grants an item to one write at a time, at most one write of an item holds a majority: writes of
 * an item are totally ordered, each sees the one before, and the replicas never diverge.
 *
 * A strongly consistent read in region R (GetItem, Query, Scan, BatchGetItem, PartiQL with ConsistentRead) first
 * applies what another region's stream holds that R does not (replicator.ts pullFrom, the same catch-up as
 * background replication) from the first of the other regions that answers, then reads R. Every acknowledged write
 * is in a majority, so in R or in the region read from: the read sees it. No other region answering: the read is
 * refused with the majority-unavailable error. On a STRONG table every region's stream carries the writes it
 * applied for the others too (replicator.ts), so one region's stream is enough.
 *
 * A write that fails after step 3 (its commit reached no other region) is answered with the majority-unavailable
 * error although R has it: like any 500 from DynamoDB, it may or may not take effect (R's stream carries it to the
 * others once they return). Nothing is written before a majority has granted the item, so a write refused for want
 * of a majority (two regions down) changes nothing. Such a write must not later win over a write acknowledged
 * after it, which a majority without R took: that write was granted the item only once the failed write's grants
 * were given back or expired (item-grants.ts), so it is at least a lease later, and its version (a time) is newer
 * as long as the servers' clocks differ by less than the lease (2 s).
 */
import { randomUUID } from 'node:crypto';
import type { Item } from '../../model/attribute-value.js';
import type { Catalog, Namespace } from '../catalog.js';
import type { TableMetadata } from '../table-metadata.js';
import { readItem, writeItem, type ItemWrite, type WriteContext, type WriteOutcome } from '../write-path.js';
import { GRANT_LEASE_MS, type GrantAnswer, type ItemGrants } from './item-grants.js';
import { compareVersions, isItemVersion, versionSpace, type ItemVersion } from './item-version.js';
import type { PeerClient } from './peers.js';
import { replicaSetOf } from './replica-admin.js';
import type { ReplicationStatus } from './replication-status.js';
import { pullFrom, replicatedUnits, type ReplicationSource } from './replicator.js';
import { isStrong, majorityUnavailable, memberTable, replicatedWriteConflict, STRONG_MAJORITY } from './strong-consistency.js';

/** What serving the grants and commits of STRONG tables needs: the write path, the catalog and the grants. */
export interface StrongServiceContext extends WriteContext {
  readonly catalog: Catalog;
  readonly grants: ItemGrants;
  /** Told of the replicated write units a commit consumed here (/metrics). */
  readonly replicationStatus?: ReplicationStatus;
}

/** A region's answer to a grant request: with the grant, its copy of the item and the item's version. */
export interface PrepareAnswer {
  readonly answer: GrantAnswer;
  readonly item?: Item | null;
  readonly version?: ItemVersion | null;
}

function strongTable(context: StrongServiceContext, namespace: Namespace, tableName: string): TableMetadata | undefined {
  const table = memberTable(context.catalog, namespace.accountId, namespace.region, tableName);
  return table !== undefined && isStrong(table) ? table : undefined;
}

function grantKey(table: TableMetadata, key: string): string {
  return `${table.tableId}/${key}`;
}

/** Step 1 in one region: grants the item (`key`: its storage key, base64) to `writeId` and answers its copy. */
export async function prepareStrongWrite(
  context: StrongServiceContext,
  namespace: Namespace,
  tableName: string,
  key: string,
  writeId: string,
  remote: boolean,
): Promise<PrepareAnswer> {
  const table = strongTable(context, namespace, tableName);
  if (table === undefined) return { answer: 'unavailable' };
  const answer = await context.grants.grant(grantKey(table, key), writeId, remote);
  if (answer !== 'granted') return { answer };
  const storageKey = Buffer.from(key, 'base64');
  const item = await readItem(context.storage, table, storageKey);
  const version = await context.storage.get(versionSpace(table.tableId), storageKey);
  return { answer, item: item ?? null, version: isItemVersion(version) ? version : null };
}

/** Step 4 in one region: applies the coordinator's write (null: a delete) with its version. */
export async function commitStrongWrite(
  context: StrongServiceContext,
  namespace: Namespace,
  tableName: string,
  key: string,
  item: Item | null,
  version: ItemVersion,
): Promise<boolean> {
  const table = strongTable(context, namespace, tableName);
  if (table === undefined) return false;
  const outcome = await writeItem(context, {
    table,
    storageKey: Buffer.from(key, 'base64'),
    decide: () => item ?? undefined,
    origin: 'replication',
    replicated: version,
    // A replicated write, charged to this region's capacity as DynamoDB charges replicated write units.
    chargedAsReplicated: true,
  });
  // The coordinator's region took the write (the version names it).
  const { units, indexUnits } = replicatedUnits([outcome]);
  context.replicationStatus?.replicatedWrite(table, version.r, units, indexUnits);
  return true;
}

/** Step 5 in one region. */
export async function releaseStrongWrite(context: StrongServiceContext, namespace: Namespace, tableName: string, key: string, writeId: string): Promise<void> {
  const table = memberTable(context.catalog, namespace.accountId, namespace.region, tableName);
  if (table !== undefined) await context.grants.release(grantKey(table, key), writeId);
}

/** One region of a STRONG table as its coordinator sees it: this server's, or a peer's over HTTP. */
interface StrongMember {
  prepare(key: string, writeId: string): Promise<PrepareAnswer>;
  commit(key: string, item: Item | null, version: ItemVersion): Promise<boolean>;
  release(key: string, writeId: string): Promise<void>;
}

export interface StrongCoordinatorContext extends StrongServiceContext {
  readonly peers: PeerClient;
  /** The streams of the other regions (this server's and the peers'), for the catch-up before a read. */
  readonly streams: ReplicationSource;
}

/** How many times a write contended by another region's asks for the grants before it is refused. */
const CONFLICT_ATTEMPTS = 3;

/** The longest pause before the first new attempt (ms); the n-th waits up to n times as long. */
const CONFLICT_PAUSE_MS = 10;

/** Step 1 found the item granted to another region's write: nothing was written. */
class ContendedItem extends Error {}

export class StrongWrites {
  /** The writes of this server waiting for an item, by table id and key: one at a time per item. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(private readonly context: StrongCoordinatorContext) {}

  /**
   * A client's write of an item of a STRONG table, coordinated as the file comment says; `commitLocal` runs it
   * through the write path of this region (step 3).
   */
  write(write: ItemWrite, commitLocal: (write: ItemWrite) => Promise<WriteOutcome>): Promise<WriteOutcome> {
    const key = Buffer.from(write.storageKey).toString('base64');
    // Writes of one item made in this region wait for each other (as writes of one region do in DynamoDB) rather
    // than conflict: only writes from different regions are refused.
    const queueKey = grantKey(write.table, key);
    const previous = this.queues.get(queueKey) ?? Promise.resolve();
    const run = previous.then(
      () => this.coordinate(write, key, commitLocal),
      () => this.coordinate(write, key, commitLocal),
    );
    const settled = run.catch(() => undefined);
    this.queues.set(queueKey, settled);
    void settled.then(() => {
      if (this.queues.get(queueKey) === settled) this.queues.delete(queueKey);
    });
    return run;
  }

  /**
   * Step 1 again, after a short random pause, when the grants went to another region's write: three regions that
   * start writing an item at the same moment each hold their own grant and refuse the others, and would all be
   * refused every time. Nothing is written before a majority granted, so trying again is safe; the write is
   * refused with ReplicatedWriteConflictException only when the item stays contended.
   */
  private async coordinate(write: ItemWrite, key: string, commitLocal: (write: ItemWrite) => Promise<WriteOutcome>): Promise<WriteOutcome> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(write, key, commitLocal);
      } catch (error) {
        if (!(error instanceof ContendedItem) || attempt >= CONFLICT_ATTEMPTS) throw error instanceof ContendedItem ? replicatedWriteConflict() : error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * CONFLICT_PAUSE_MS * attempt));
      }
    }
  }

  private async attempt(write: ItemWrite, key: string, commitLocal: (write: ItemWrite) => Promise<WriteOutcome>): Promise<WriteOutcome> {
    const table = write.table;
    const regions = replicaSetOf(table).map((replica) => replica.regionName);
    const writeId = randomUUID();
    const started = Date.now();
    // Answers as they come; once enough regions granted (or all answered), a grant that comes later is given back.
    const answers: (PrepareAnswer | undefined)[] = regions.map(() => undefined);
    let decided = false;
    const prepares = regions.map((region, position) =>
      this.member(table, region)
        .prepare(key, writeId)
        .catch((): PrepareAnswer => ({ answer: 'unavailable' }))
        .then((answer) => {
          if (!decided) answers[position] = answer;
          else if (answer.answer === 'granted') void this.member(table, region).release(key, writeId).catch(() => undefined);
          return answer;
        }),
    );
    await enoughOf(prepares, (answer) => answer.answer === 'granted', STRONG_MAJORITY);
    decided = true;
    const granted = regions.filter((_region, position) => answers[position]?.answer === 'granted');
    try {
      if (granted.length < STRONG_MAJORITY) {
        if (answers.some((answer) => answer?.answer === 'conflict')) throw new ContendedItem();
        throw majorityUnavailable(table);
      }
      let newest: { item: Item | null; version: ItemVersion } | undefined;
      for (const answer of answers) {
        if (answer === undefined || answer.answer !== 'granted' || answer.version === undefined || answer.version === null) continue;
        if (newest === undefined || compareVersions(answer.version, newest.version) > 0) newest = { item: answer.item ?? null, version: answer.version };
      }
      if (newest !== undefined) {
        const latest = newest;
        await writeItem(this.context, {
          table,
          storageKey: write.storageKey,
          decide: () => latest.item ?? undefined,
          origin: 'replication',
          replicated: latest.version,
        });
      }
      // The grants are leases: past half of one, another write may soon be given them; give up rather than race it.
      if (Date.now() - started > GRANT_LEASE_MS / 2) throw replicatedWriteConflict();
      const outcome = await commitLocal(write);
      const version = await this.context.storage.get(versionSpace(table.tableId), write.storageKey);
      if (isItemVersion(version)) {
        const others = regions.filter((region) => region !== table.region);
        // Acknowledged as soon as enough other regions have it; the others' commits go on in the background.
        const commits = others.map((region) =>
          this.member(table, region)
            .commit(key, outcome.newItem ?? null, version)
            .catch(() => false),
        );
        const acknowledged = await enoughOf(commits, (applied) => applied, STRONG_MAJORITY - 1);
        if (1 + acknowledged < STRONG_MAJORITY) throw majorityUnavailable(table);
      }
      return outcome;
    } finally {
      await Promise.all(granted.map((region) => this.member(table, region).release(key, writeId).catch(() => undefined)));
    }
  }

  /**
   * Before a strongly consistent read of a STRONG table in this region: applies what the first other region that
   * answers has and this one lacks (see the file comment).
   */
  async catchUpForRead(table: TableMetadata): Promise<void> {
    if (!isStrong(table)) return;
    const others = replicaSetOf(table)
      .map((replica) => replica.regionName)
      .filter((region) => region !== table.region);
    for (const region of others) {
      try {
        await pullFrom(this.context, this.context.streams, table, region, () => false, this.context.replicationStatus);
        return;
      } catch {
        // That region cannot be read: try the next one.
      }
    }
    throw majorityUnavailable(table);
  }

  private member(table: TableMetadata, region: string): StrongMember {
    const context = this.context;
    const { accountId, tableName } = table;
    if (!context.peers.has(region)) {
      const namespace = { accountId, region };
      return {
        prepare: (key, writeId) => prepareStrongWrite(context, namespace, tableName, key, writeId, false),
        commit: (key, item, version) => commitStrongWrite(context, namespace, tableName, key, item, version),
        release: (key, writeId) => releaseStrongWrite(context, namespace, tableName, key, writeId),
      };
    }
    return {
      prepare: (key, writeId) => context.peers.call<PrepareAnswer>(region, accountId, 'strong-prepare', { tableName, key, writeId }),
      commit: async (key, item, version) =>
        (await context.peers.call<{ applied: boolean }>(region, accountId, 'strong-commit', { tableName, key, item, version })).applied,
      release: async (key, writeId) => {
        await context.peers.call(region, accountId, 'strong-release', { tableName, key, writeId });
      },
    };
  }
}

/**
 * Waits until `enough` of `calls` resolved with a value `ok` accepts, or all of them resolved (none rejects);
 * resolves with how many `ok` accepted by then. A region that does not answer (a peer that hangs) then holds up a
 * write only when it is needed for the majority.
 */
function enoughOf<T>(calls: readonly Promise<T>[], ok: (value: T) => boolean, enough: number): Promise<number> {
  return new Promise((resolve) => {
    let accepted = 0;
    let answered = 0;
    if (calls.length === 0) resolve(0);
    for (const call of calls) {
      void call.then((value) => {
        answered++;
        if (ok(value)) accepted++;
        if (accepted >= enough || answered === calls.length) resolve(accepted);
      });
    }
  });
}
