/**
 * The version of an item in a replicated table: the time of the write that made it (epoch ms) and the region that
 * took the write. Versions order writes for last-writer-wins: the later time wins, and at the same millisecond the
 * greater region name, so that every replica picks the same winner whatever order the writes arrive in.
 *
 * Each item of a replicated table has its version in the space `gv/<tableId>`, keyed by the item's storage key,
 * written in the same commit as the item. A deleted item keeps its version (a tombstone): a replicated write older
 * than the delete then loses to it, as an older write loses to a newer one. A stream record is readable for 24
 * hours, so a tombstone older than that can no longer meet a write it must beat: the periodic work drops it then
 * (tombstone-trim.ts).
 */
export interface ItemVersion {
  /** Epoch ms of the write. */
  readonly t: number;
  /** The region that took the write. */
  readonly r: string;
}

export function versionSpace(tableId: string): string {
  return `gv/${tableId}`;
}

export function isItemVersion(value: unknown): value is ItemVersion {
  return typeof value === 'object' && value !== null && typeof (value as ItemVersion).t === 'number' && typeof (value as ItemVersion).r === 'string';
}

/** Negative when `a` is older than `b`, 0 when they are the same write, positive when `a` is newer. */
export function compareVersions(a: ItemVersion, b: ItemVersion): number {
  if (a.t !== b.t) return a.t - b.t;
  return a.r < b.r ? -1 : a.r > b.r ? 1 : 0;
}

/**
 * The version of a write a client makes in `region` now. It is always newer than the version it replaces, even
 * when that one came from a region whose clock is ahead: a write must win over whatever it saw, or the replicas
 * would keep what its own region overwrote.
 */
export function localVersion(existing: ItemVersion | undefined, region: string, now: number): ItemVersion {
  if (existing === undefined || existing.t < now) return { t: now, r: region };
  return { t: existing.t + 1, r: region };
}
