/**
 * The table catalog: every table's metadata, stored in the storage space `catalog` and cached in memory.
 * DynamoDB namespaces tables per account and region: two accounts each have their own table `T` in us-east-1.
 * The tables of account 000000000000 (the one account of Cairn before accounts existed, and its default without
 * `--auth`) are stored under `<region>/<tableName>`, the key they always had, so that an existing data directory
 * opens unchanged; other accounts' under `<accountId>/<region>/<tableName>` (no part contains a `/`). An entry is
 * updated under the key it was found at.
 *
 * Every item request looks its table up, so `getTable` is synchronous and allocation-free: the whole catalog is
 * loaded once at startup (`load`) and each DDL commit updates the cache after the storage commit succeeded.
 *
 * Several processes may share one storage (Storage.multiProcess): each DDL commit then also increments the catalog
 * version (catalog-version.ts) in the same atomic commit. A process brings its cache up to date with `sync` (one
 * read of the counter; a reload when it moved) before each request, and every item commit reads the counter and
 * is planned again when the cache it decided with is older (see write-path.ts), so a stale cache can never maintain
 * the wrong indexes nor write into a dropped or re-created table.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDbError, resourceInUse } from '../errors.js';
import type { Decide, ReadRequest, Space, Storage } from '../storage/storage.js';
import { CATALOG_VERSION_KEY, CATALOG_VERSION_READ, CATALOG_VERSION_SPACE, CATALOG_VERSION_UPDATE, catalogVersionOf, StaleCatalogError } from './catalog-version.js';
import type { TableMetadata, TableStatus } from './table-metadata.js';
import { indexSpace } from './secondary-index.js';
import { recordSpace, shardStateSpace } from './streams/stream-record.js';
import { streamId } from './streams/table-streams.js';
import { expirySpace } from './ttl/expiry-index.js';
import { statsSpace } from './table-stats.js';
import { versionSpace } from './replication/item-version.js';
import { positionSpace } from './replication/replicator.js';

export const CATALOG_SPACE = 'catalog';

/** What CreateTable decides (with its namespace); the catalog adds identity (tableId, ARN), status and creation time. */
export type NewTable = Omit<TableMetadata, 'tableId' | 'tableArn' | 'status' | 'creationDateTime'>;

/**
 * Where a table name is looked up: an account and a region. A request's context is one (its signer's account and
 * its credential scope's region), and so is a table's metadata.
 */
export interface Namespace {
  readonly accountId: string;
  readonly region: string;
}

export interface CatalogOptions {
  /** The default account (requests without `--auth`, triggers, Cairn's own endpoints). */
  readonly accountId: string;
  /**
   * How long a table reports CREATING / UPDATING / DELETING after the matching operation, as DynamoDB does.
   * 0 (the default) makes every change immediate, which is what people running tests against an emulator want.
   */
  readonly tableStatusDelayMs?: number;
}

/** A transitional status shown until `until` (epoch ms); only used when tableStatusDelayMs > 0. */
interface Transition {
  readonly status: TableStatus;
  readonly until: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The account whose catalog keys carry no account (see the module comment). */
export const UNNAMESPACED_ACCOUNT_ID = '000000000000';

/** The storage key of a table's catalog entry (see the module comment). */
export function catalogKey(namespace: Namespace, tableName: string): Uint8Array {
  return encoder.encode(
    namespace.accountId === UNNAMESPACED_ACCOUNT_ID ? `${namespace.region}/${tableName}` : `${namespace.accountId}/${namespace.region}/${tableName}`,
  );
}

export function tableArn(region: string, accountId: string, tableName: string): string {
  return `arn:aws:dynamodb:${region}:${accountId}:table/${tableName}`;
}

function isTableMetadata(value: unknown): value is TableMetadata {
  return typeof value === 'object' && value !== null && 'tableName' in value && 'tableId' in value && 'region' in value;
}

export class Catalog {
  /** account -> region -> table name -> metadata. Nested maps spare a string concatenation per lookup. */
  private accounts = new Map<string, Map<string, Map<string, TableMetadata>>>();
  /** Sorted table names per namespace (`account/region`), rebuilt lazily after a change (ListTables). */
  private readonly sortedNames = new Map<string, readonly string[]>();
  /** tableId -> the key its catalog entry is stored under (as found at load, or as created). */
  private readonly storedKeys = new Map<string, Uint8Array>();
  /** tableId -> transitional status (empty unless tableStatusDelayMs > 0). */
  private readonly transitions = new Map<string, Transition>();
  /** Tables deleted while a DELETING delay runs: still listed and described until the delay ends. */
  private readonly ghosts = new Map<string, TableMetadata>();
  /** Serialises the DDL of one table, so cache updates land in commit order. */
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly delayMs: number;
  /** The ids of the cached tables that have a replica set (global tables), kept as the cache changes. */
  private readonly withReplicas = new Set<string>();
  /**
   * Told when the catalog goes from no table with replicas to some, or back: the replicator runs only meanwhile
   * (Engine.startReplication), so that a server without global tables pays nothing for it.
   */
  onReplicasChanged: (() => void) | undefined;
  /** Whether other processes change the catalog too (Storage.multiProcess): see the module comment. */
  readonly multiProcess: boolean;
  /** The catalog version the cache holds (catalog-version.ts). */
  private version = 0;
  /**
   * Counts the DDL this process began and ended, so that a reload that overlapped one (and may have read the
   * catalog before its commit) is done again.
   */
  private localChanges = 0;
  private ddlInFlight = 0;
  /** The sync in flight and the one queued behind it (see `sync`). */
  private syncing: Promise<void> | undefined;
  private nextSync: Promise<void> | undefined;

  constructor(
    private readonly storage: Storage,
    private readonly options: CatalogOptions,
  ) {
    this.delayMs = options.tableStatusDelayMs ?? 0;
    this.multiProcess = storage.multiProcess === true;
  }

  /** The read an item commit adds to check the catalog version (multi-process storage only). */
  get versionRead(): ReadRequest | undefined {
    return this.multiProcess ? CATALOG_VERSION_READ : undefined;
  }

  /** Whether the catalog version a commit read (see versionRead) is the one the cache holds. */
  isCurrent(storedVersion: unknown): boolean {
    return catalogVersionOf(storedVersion) === this.version;
  }

  /**
   * Brings the cache up to date with the stored catalog (multi-process storage; otherwise nothing to do): reads
   * the version and reloads when another process changed the catalog. A call waits for a read that starts after
   * it was made, so it sees every change committed before it; calls made while one read runs share the next.
   */
  sync(): Promise<void> {
    if (!this.multiProcess) return Promise.resolve();
    if (this.syncing === undefined) {
      this.syncing = this.syncOnce().finally(() => {
        this.syncing = undefined;
      });
      return this.syncing;
    }
    this.nextSync ??= this.syncing
      .catch(() => undefined)
      .then(() => {
        this.nextSync = undefined;
        return this.sync();
      });
    return this.nextSync;
  }

  /**
   * An atomic commit whose decision depends on the cached metadata (a backfill batch): with a multi-process
   * storage it also checks the catalog version, and when another process changed the catalog it syncs and runs
   * again, so `decide` always sees the metadata as of its commit.
   */
  async atomicWithCurrentMetadata<T>(reads: readonly ReadRequest[], decide: Decide<T>): Promise<T> {
    if (!this.multiProcess) return this.storage.atomic(reads, decide);
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.storage.atomic([...reads, CATALOG_VERSION_READ], (values) => {
          if (!this.isCurrent(values[reads.length])) throw new StaleCatalogError();
          return decide(values.slice(0, reads.length));
        });
      } catch (error) {
        if (!(error instanceof StaleCatalogError) || attempt >= 100) throw error;
        await this.sync();
      }
    }
  }

  private async syncOnce(): Promise<void> {
    const stored = catalogVersionOf(await this.storage.get(CATALOG_VERSION_SPACE, CATALOG_VERSION_KEY));
    if (stored !== this.version) await this.load();
  }

  /** The account of requests without `--auth`, of triggers and of Cairn's own endpoints. */
  get defaultAccountId(): string {
    return this.options.accountId;
  }

  /**
   * Reads the whole catalog into memory. Call once before serving; `sync` calls it again when another process
   * changed the catalog. The cache is replaced in one step once everything is read, so lookups meanwhile see the
   * old catalog whole; a reload that raced a change this process made is done again.
   */
  async load(): Promise<void> {
    for (;;) {
      const changes = this.localChanges;
      // The version first: entries read after it are at least that new, so the cache is never newer than claimed.
      const version = catalogVersionOf(await this.storage.get(CATALOG_VERSION_SPACE, CATALOG_VERSION_KEY));
      const entries: { key: Uint8Array; table: TableMetadata }[] = [];
      for await (const { key, value } of this.storage.range(CATALOG_SPACE)) {
        if (!isTableMetadata(value)) throw new Error(`corrupt catalog entry ${decoder.decode(key)}`);
        // Entries written before accounts existed may lack the account: they are the default account's.
        entries.push({ key, table: typeof value.accountId === 'string' ? value : { ...value, accountId: this.options.accountId } });
      }
      if (changes !== this.localChanges || this.ddlInFlight > 0) {
        await Promise.all(this.locks.values());
        continue;
      }
      this.accounts = new Map();
      this.sortedNames.clear();
      this.storedKeys.clear();
      // Whether some table has replicas is told once, after the whole catalog is in.
      const hadReplicas = this.withReplicas.size > 0;
      const onReplicasChanged = this.onReplicasChanged;
      this.onReplicasChanged = undefined;
      this.withReplicas.clear();
      try {
        for (const { key, table } of entries) {
          this.storedKeys.set(table.tableId, key);
          this.cache(table);
        }
      } finally {
        this.onReplicasChanged = onReplicasChanged;
      }
      this.version = version;
      if (hadReplicas !== this.withReplicas.size > 0) this.onReplicasChanged?.();
      return;
    }
  }

  /**
   * The reads and writes a DDL commit adds to move the catalog version (every DDL commit does, whether or not
   * other processes share the storage: a store may later be served by several).
   */
  private versionStep(current: unknown): { readonly read: number; readonly write: { space: Space; key: Uint8Array; value: number } } {
    const read = catalogVersionOf(current);
    return { read, write: { space: CATALOG_VERSION_SPACE, key: CATALOG_VERSION_KEY, value: read + 1 } };
  }

  /**
   * After a DDL commit that moved the version from `read`: the cache (already updated) holds the new version only
   * if it held `read`; otherwise another process changed the catalog too, and the next sync reloads it.
   */
  private committed(read: number): void {
    if (this.version === read) this.version = read + 1;
  }

  /** The table, or undefined. Synchronous: called on every item request. */
  getTable(namespace: Namespace, tableName: string): TableMetadata | undefined {
    const table = this.accounts.get(namespace.accountId)?.get(namespace.region)?.get(tableName);
    if (this.transitions.size === 0 || table === undefined) return table;
    return this.withTransition(table);
  }

  /** Whether some table has a replica set (is, or is becoming, a global table). */
  hasReplicatedTables(): boolean {
    return this.withReplicas.size > 0;
  }

  /** Every table of every account and region (for work that resumes at startup, such as index backfills). */
  allTables(): TableMetadata[] {
    const tables: TableMetadata[] = [];
    for (const regions of this.accounts.values()) for (const byName of regions.values()) tables.push(...byName.values());
    return tables;
  }

  /** Table names of a namespace in DynamoDB's order (bytewise, which for the allowed characters is ASCII). */
  listTableNames(namespace: Namespace): readonly string[] {
    if (this.transitions.size > 0) this.expireTransitions();
    const sortKey = `${namespace.accountId}/${namespace.region}`;
    let names = this.sortedNames.get(sortKey);
    if (names === undefined) {
      const tables = this.accounts.get(namespace.accountId)?.get(namespace.region);
      names = tables === undefined ? [] : [...tables.keys()].sort();
      this.sortedNames.set(sortKey, names);
    }
    return names;
  }

  async createTable(spec: NewTable): Promise<TableMetadata> {
    const { tableName } = spec;
    const namespace: Namespace = { accountId: spec.accountId, region: spec.region };
    return this.serialise(namespace, tableName, async () => {
      // A table still DELETING (only with a status delay) keeps its name taken, as in DynamoDB.
      if (this.getTable(namespace, tableName) !== undefined) throw resourceInUse(`Table already exists: ${tableName}`);
      const now = Date.now();
      const table: TableMetadata = {
        ...spec,
        tableId: randomUUID(),
        tableArn: tableArn(namespace.region, namespace.accountId, tableName),
        // Stored ACTIVE: a transitional status lives only in memory, so a restart never leaves a table stuck.
        status: 'ACTIVE',
        creationDateTime: now,
      };
      const key = catalogKey(namespace, tableName);
      const read = await this.storage.atomic([{ space: CATALOG_SPACE, key }, CATALOG_VERSION_UPDATE], ([current, version]) => {
        if (current !== undefined) throw resourceInUse(`Table already exists: ${tableName}`);
        const step = this.versionStep(version);
        return { writes: [{ space: CATALOG_SPACE, key, value: table }, step.write], result: step.read };
      });
      this.storedKeys.set(table.tableId, key);
      this.cache(table);
      this.committed(read);
      this.startTransition(table, 'CREATING', now);
      return this.withTransition(table) ?? table;
    });
  }

  /**
   * Replaces a table's metadata with `change(current)` (UpdateTable, tags). `change` may throw a DynamoDbError
   * to refuse; it sees the committed metadata. `transitional` shows UPDATING for the status delay.
   */
  async updateTable(
    namespace: Namespace,
    tableName: string,
    change: (current: TableMetadata) => TableMetadata,
    transitional: boolean | (() => boolean) = false,
  ): Promise<TableMetadata> {
    return this.serialise(namespace, tableName, async () => {
      const cached = this.getTable(namespace, tableName);
      if (cached === undefined || cached.status === 'DELETING') throw tableNotFound(tableName);
      const key = this.keyOf(cached);
      const { next: updated, read } = await this.storage.atomic<{ next: TableMetadata; read: number | undefined }>([{ space: CATALOG_SPACE, key }, CATALOG_VERSION_UPDATE], ([current, version]) => {
        if (!isTableMetadata(current) || current.tableId !== cached.tableId) throw tableNotFound(tableName);
        const next = change(current);
        if (next === current) return { writes: [], result: { next, read: undefined } };
        const step = this.versionStep(version);
        return { writes: [{ space: CATALOG_SPACE, key, value: next }, step.write], result: { next, read: step.read } };
      });
      this.cache(updated);
      if (read !== undefined) this.committed(read);
      if (typeof transitional === 'function' ? transitional() : transitional) {
        this.startTransition(updated, 'UPDATING', Date.now());
      }
      return this.withTransition(updated) ?? updated;
    });
  }

  /**
   * Removes a table: its catalog entry and every key it owns, in one commit. Returns the metadata as it was, with
   * status DELETING (what DeleteTable answers). `check` may refuse (deletion protection, CREATING...).
   */
  async deleteTable(namespace: Namespace, tableName: string, check: (current: TableMetadata) => void): Promise<TableMetadata> {
    return this.serialise(namespace, tableName, async () => {
      const cached = this.getTable(namespace, tableName);
      // A table already DELETING (status delay only) is gone as far as DeleteTable is concerned.
      if (cached === undefined || this.ghosts.has(cached.tableId)) throw tableNotFound(tableName);
      check(cached);
      const key = this.keyOf(cached);
      // The catalog entry and every key of the table (items, statistics, item collections, index entries, TTL
      // expiry entries, stream records and shards) go in one commit: a crash can neither leave rows that no table
      // owns (never reclaimed) nor bring them back. DynamoDB keeps a deleted table's stream readable for 24
      // hours; Cairn drops it with the table. A table re-created under the same name gets a new tableId, hence
      // fresh spaces.
      // The table is forgotten (or shown DELETING) before the commit, which takes as long as removing its keys
      // does: no write may land in its spaces meanwhile.
      const deleting: TableMetadata = { ...cached, status: 'DELETING' };
      if (this.delayMs > 0) {
        // Keep answering DELETING for the delay, then forget the table.
        this.transitions.delete(cached.tableId);
        this.ghosts.set(cached.tableId, deleting);
        this.accounts.get(namespace.accountId)?.get(namespace.region)?.set(tableName, deleting);
        this.transitions.set(cached.tableId, { status: 'DELETING', until: Date.now() + this.delayMs });
      } else {
        this.uncache(cached);
      }
      let deleted: TableMetadata;
      try {
        let read: number;
        ({ deleted, read } = await this.storage.atomic([{ space: CATALOG_SPACE, key }, CATALOG_VERSION_UPDATE], ([current, version]) => {
          if (!isTableMetadata(current)) throw tableNotFound(tableName);
          const step = this.versionStep(version);
          return {
            writes: [{ space: CATALOG_SPACE, key, value: undefined }, step.write],
            clearSpaces: tableSpaces(current),
            result: { deleted: current, read: step.read },
          };
        }));
        this.storedKeys.delete(cached.tableId);
        this.committed(read);
      } catch (error) {
        // A commit refused before it took effect leaves the table as it was.
        const stored = await this.storage.get(CATALOG_SPACE, key).catch(() => undefined);
        if (isTableMetadata(stored) && stored.tableId === cached.tableId) {
          this.transitions.delete(stored.tableId);
          this.ghosts.delete(stored.tableId);
          this.cache(cached);
        }
        throw error;
      }
      return { ...deleted, status: 'DELETING' };
    });
  }

  /** The storage key of a cached table's entry. */
  private keyOf(table: TableMetadata): Uint8Array {
    return this.storedKeys.get(table.tableId) ?? catalogKey(table, table.tableName);
  }

  private cache(table: TableMetadata): void {
    let regions = this.accounts.get(table.accountId);
    if (regions === undefined) {
      regions = new Map();
      this.accounts.set(table.accountId, regions);
    }
    let tables = regions.get(table.region);
    if (tables === undefined) {
      tables = new Map();
      regions.set(table.region, tables);
    }
    const previous = tables.get(table.tableName);
    if (previous === undefined) this.sortedNames.delete(`${table.accountId}/${table.region}`);
    tables.set(table.tableName, table);
    const had = this.withReplicas.size > 0;
    if (previous !== undefined && previous.tableId !== table.tableId) this.withReplicas.delete(previous.tableId);
    if ((table.replicas?.length ?? 0) > 0) this.withReplicas.add(table.tableId);
    else this.withReplicas.delete(table.tableId);
    if (had !== this.withReplicas.size > 0) this.onReplicasChanged?.();
  }

  private uncache(table: Namespace & { readonly tableName: string }): void {
    const tables = this.accounts.get(table.accountId)?.get(table.region);
    const cached = tables?.get(table.tableName);
    if (cached === undefined || tables === undefined) return;
    tables.delete(table.tableName);
    this.sortedNames.delete(`${table.accountId}/${table.region}`);
    if (this.withReplicas.delete(cached.tableId) && this.withReplicas.size === 0) this.onReplicasChanged?.();
  }

  private startTransition(table: TableMetadata, status: TableStatus, now: number): void {
    if (this.delayMs > 0) this.transitions.set(table.tableId, { status, until: now + this.delayMs });
  }

  /** The table with its transitional status while one runs; forgets finished transitions (and ghosts). */
  private withTransition(table: TableMetadata): TableMetadata | undefined {
    const transition = this.transitions.get(table.tableId);
    if (transition === undefined) return table;
    if (Date.now() < transition.until) {
      return table.status === transition.status ? table : { ...table, status: transition.status };
    }
    this.transitions.delete(table.tableId);
    if (this.ghosts.delete(table.tableId)) {
      this.uncache(table);
      return undefined;
    }
    return table;
  }

  private expireTransitions(): void {
    const now = Date.now();
    for (const [tableId, transition] of this.transitions) {
      if (now < transition.until) continue;
      this.transitions.delete(tableId);
      const ghost = this.ghosts.get(tableId);
      if (ghost !== undefined) {
        this.ghosts.delete(tableId);
        // Only forget the name if it was not re-used meanwhile.
        if (this.getCached(ghost)?.tableId === tableId) this.uncache(ghost);
      }
    }
  }

  private getCached(table: Namespace & { readonly tableName: string }): TableMetadata | undefined {
    return this.accounts.get(table.accountId)?.get(table.region)?.get(table.tableName);
  }

  private async serialise<T>(namespace: Namespace, tableName: string, work: () => Promise<T>): Promise<T> {
    const lockKey = `${namespace.accountId}/${namespace.region}/${tableName}`;
    const previous = this.locks.get(lockKey) ?? Promise.resolve();
    const tracked = async (): Promise<T> => {
      this.ddlInFlight++;
      this.localChanges++;
      try {
        return await work();
      } finally {
        this.ddlInFlight--;
        this.localChanges++;
      }
    };
    const run = previous.then(tracked, tracked);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.locks.set(lockKey, settled);
    try {
      return await run;
    } finally {
      if (this.locks.get(lockKey) === settled) this.locks.delete(lockKey);
    }
  }
}

/** Every storage space that holds a table's keys. */
function tableSpaces(table: TableMetadata): Space[] {
  const spaces = [`t/${table.tableId}`, statsSpace(table.tableId), `c/${table.tableId}`, expirySpace(table), versionSpace(table.tableId), positionSpace(table.tableId)];
  for (const index of [...(table.localSecondaryIndexes ?? []), ...(table.globalSecondaryIndexes ?? [])]) spaces.push(indexSpace(index));
  for (const stream of table.streams ?? []) {
    spaces.push(recordSpace(streamId(table, stream.label)), shardStateSpace(streamId(table, stream.label)));
  }
  return spaces;
}

/** The not-found text of the table operations, which name the table (item operations use a shorter one). */
export function tableNotFound(tableName: string): DynamoDbError {
  return new DynamoDbError('ResourceNotFoundException', `Requested resource not found: Table: ${tableName} not found`);
}
