/**
 * The grants of a server's regions for the writes of STRONG global tables (strong-writes.ts): before a region
 * writes an item, it asks every region of the table for the item's grant, and writes only once a majority has
 * granted it. A region grants an item to one write at a time, so at most one write of an item holds a majority:
 * two regions writing the same item at once cannot both proceed, and the one that cannot is refused with
 * ReplicatedWriteConflictException instead of waiting (a wait could deadlock two regions each holding one grant).
 *
 * Grants have a lease. A write that holds grants for longer than half the lease gives up before it commits, so a
 * grant that expired (its writer crashed or stalled) can be given to another write safely.
 *
 * One process serving a region keeps its grants in memory. A server that restarts has forgotten what it granted,
 * so it grants nothing to other servers' writes for one lease: by then every grant it gave before is expired at its
 * holder too. Several processes serving one region from one storage (Storage.multiProcess) must give an item to one
 * write between them, so their grants are rows of the storage, taken and given back in commits: otherwise two
 * front ends of one region could each grant the item, and two writes reach a majority each.
 */
import type { Storage } from '../../storage/storage.js';

export const GRANT_LEASE_MS = 2000;

/** The storage space of the grants shared by the processes of one region. */
export const ITEM_GRANTS_SPACE = 'item-grants';

interface Grant {
  readonly writeId: string;
  readonly expiresAt: number;
}

export type GrantAnswer = 'granted' | 'conflict' | 'unavailable';

const encoder = new TextEncoder();

function isGrant(value: unknown): value is Grant {
  return typeof value === 'object' && value !== null && typeof (value as Grant).writeId === 'string' && typeof (value as Grant).expiresAt === 'number';
}

export class ItemGrants {
  private readonly grants = new Map<string, Grant>();

  constructor(
    /** With several processes on it: where the grants are kept, so that they are the region's, not one process's. */
    private readonly shared: Storage | undefined = undefined,
    /** Grants to other servers' writes start one lease after this (a restarted server's forgotten grants). */
    private readonly remoteGrantsFrom = Date.now() + GRANT_LEASE_MS,
  ) {}

  /** Grants the item (`key`: table id and storage key) to `writeId` unless another live write holds it. */
  async grant(key: string, writeId: string, remote: boolean, now = Date.now()): Promise<GrantAnswer> {
    if (remote && now < this.remoteGrantsFrom) return 'unavailable';
    const granted = { writeId, expiresAt: now + GRANT_LEASE_MS };
    if (this.shared === undefined) {
      if (isHeldByAnother(this.grants.get(key), writeId, now)) return 'conflict';
      this.grants.set(key, granted);
      return 'granted';
    }
    const row = encoder.encode(key);
    return this.shared.atomic([{ space: ITEM_GRANTS_SPACE, key: row }], ([held]) =>
      isHeldByAnother(isGrant(held) ? held : undefined, writeId, now)
        ? { writes: [], result: 'conflict' as const }
        : { writes: [{ space: ITEM_GRANTS_SPACE, key: row, value: granted }], result: 'granted' as const },
    );
  }

  /** Gives the item's grant back, if `writeId` still holds it. */
  async release(key: string, writeId: string): Promise<void> {
    if (this.shared === undefined) {
      if (this.grants.get(key)?.writeId === writeId) this.grants.delete(key);
      return;
    }
    const row = encoder.encode(key);
    await this.shared.atomic([{ space: ITEM_GRANTS_SPACE, key: row }], ([held]) => ({
      writes: isGrant(held) && held.writeId === writeId ? [{ space: ITEM_GRANTS_SPACE, key: row, value: undefined }] : [],
      result: undefined,
    }));
  }
}

function isHeldByAnother(held: Grant | undefined, writeId: string, now: number): boolean {
  return held !== undefined && held.writeId !== writeId && held.expiresAt > now;
}
