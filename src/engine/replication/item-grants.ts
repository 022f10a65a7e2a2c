/**
 * The grants of a server's regions for the writes of STRONG global tables (strong-writes.ts): before a region
 * writes an item, it asks every region of the table for the item's grant, and writes only once a majority has
 * granted it. A region grants an item to one write at a time, so at most one write of an item holds a majority:
 * two regions writing the same item at once cannot both proceed, and the one that cannot is refused with
 * ReplicatedWriteConflictException instead of waiting (a wait could deadlock two regions each holding one grant).
 *
 * Grants live in memory with a lease. A write that holds grants for longer than half the lease gives up before
 * it commits, so a grant that expired (its writer crashed or stalled) can be given to another write safely. A
 * server that restarts has forgotten what it granted, so it grants nothing to other servers' writes for one
 * lease: by then every grant it gave before is expired at its holder too.
 */
export const GRANT_LEASE_MS = 2000;

interface Grant {
  readonly writeId: string;
  readonly expiresAt: number;
}

export type GrantAnswer = 'granted' | 'conflict' | 'unavailable';

export class ItemGrants {
  private readonly grants = new Map<string, Grant>();

  constructor(
    /** Grants to other servers' writes start one lease after this (a restarted server's forgotten grants). */
    private readonly remoteGrantsFrom = Date.now() + GRANT_LEASE_MS,
  ) {}

  /** Grants the item (`key`: table id and storage key) to `writeId` unless another live write holds it. */
  grant(key: string, writeId: string, remote: boolean, now = Date.now()): GrantAnswer {
    if (remote && now < this.remoteGrantsFrom) return 'unavailable';
    const held = this.grants.get(key);
    if (held !== undefined && held.writeId !== writeId && held.expiresAt > now) return 'conflict';
    this.grants.set(key, { writeId, expiresAt: now + GRANT_LEASE_MS });
    return 'granted';
  }

  /** Gives the item's grant back, if `writeId` still holds it. */
  release(key: string, writeId: string): void {
    if (this.grants.get(key)?.writeId === writeId) this.grants.delete(key);
  }
}
