/**
 * How replication is doing, per replica followed: for each table of this server and each other region of its
 * replica set, the latency of the last write applied (the time between the write in its region, by its version,
 * and its application here: CloudWatch's ReplicationLatency as the receiving region sees it), and whether the
 * last attempt to read that region failed (a peer that is down). `/metrics` reports them.
 */
import type { TableMetadata } from '../table-metadata.js';

export interface ReplicaFollowing {
  readonly tableName: string;
  readonly accountId: string;
  /** The region this server serves the table in (CloudWatch's ReceivingRegion). */
  readonly receivingRegion: string;
  /** The region whose writes are applied. */
  readonly sourceRegion: string;
  /** Milliseconds between the last applied write and its application, undefined before the first. */
  latencyMs: number | undefined;
  /** Whether the last read of the source region failed. */
  failing: boolean;
  /** Epoch ms of the last round that read the source region to its end. */
  caughtUpAt: number | undefined;
}

/**
 * Told of the units each applied batch consumed in the receiving replica (metrics, report): the table's replicated
 * write units, and its GSIs' ordinary write units by index name.
 */
export type ReplicatedWriteObserver = (table: TableMetadata, sourceRegion: string, units: number, indexUnits: ReadonlyMap<string, number>) => void;

export class ReplicationStatus {
  private readonly following = new Map<string, ReplicaFollowing>();
  observer: ReplicatedWriteObserver | undefined;

  /** Writes of `sourceRegion` applied into `table` consumed `units` replicated write units here, and `indexUnits`. */
  replicatedWrite(table: TableMetadata, sourceRegion: string, units: number, indexUnits: ReadonlyMap<string, number>): void {
    if (units > 0) this.observer?.(table, sourceRegion, units, indexUnits);
  }

  private entry(table: Pick<TableMetadata, 'tableId' | 'tableName' | 'accountId' | 'region'>, sourceRegion: string): ReplicaFollowing {
    const key = `${table.tableId}/${sourceRegion}`;
    let entry = this.following.get(key);
    if (entry === undefined) {
      entry = {
        tableName: table.tableName,
        accountId: table.accountId,
        receivingRegion: table.region,
        sourceRegion,
        latencyMs: undefined,
        failing: false,
        caughtUpAt: undefined,
      };
      this.following.set(key, entry);
    }
    return entry;
  }

  /** A write of `sourceRegion` taken at `writtenAt` (epoch ms) was applied now. */
  applied(table: TableMetadata, sourceRegion: string, writtenAt: number, now: number): void {
    this.entry(table, sourceRegion).latencyMs = Math.max(0, now - writtenAt);
  }

  caughtUp(table: TableMetadata, sourceRegion: string, now: number): void {
    const entry = this.entry(table, sourceRegion);
    entry.failing = false;
    entry.caughtUpAt = now;
  }

  failed(table: TableMetadata, sourceRegion: string): void {
    this.entry(table, sourceRegion).failing = true;
  }

  /** Every replica followed, of tables that still replicate from that region. */
  all(stillFollowed: (accountId: string, receivingRegion: string, tableName: string, sourceRegion: string) => boolean): ReplicaFollowing[] {
    for (const [key, entry] of this.following) {
      if (!stillFollowed(entry.accountId, entry.receivingRegion, entry.tableName, entry.sourceRegion)) this.following.delete(key);
    }
    return [...this.following.values()];
  }
}
