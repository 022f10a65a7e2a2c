/**
 * Charges: the units a request consumed, each in one partition of one table or GSI. The write path and the read
 * path turn what they did into charges; the capacity tracker admits them (enforce) and books them (account and
 * enforce). Local secondary indexes have no capacity of their own: their units are charged to the table, in the
 * item's partition, as DynamoDB charges them.
 */
import { indexWriteUnits, type CapacityParts } from '../engine/consumed-capacity.js';
import type { IndexChange } from '../engine/secondary-index.js';
import { writeUnits } from '../model/item-size.js';
import type { Access } from './partition.js';
import type { ResourceCapacity } from './resource-capacity.js';
import type { TableCapacity } from './capacity-tracker.js';

export interface Charge {
  readonly resource: ResourceCapacity;
  readonly access: Access;
  /** The 16-bit key hash: which partition. */
  readonly hash: number;
  readonly units: number;
  /** Bytes the write added to (or, negative, removed from) the partition. */
  readonly sizeDelta?: number;
}

/** The charges of one item write: the table's (with its LSIs') in the item's partition, each GSI's in its own. */
export function writeCharges(
  capacity: TableCapacity,
  itemHash: number,
  parts: CapacityParts,
  sizeDelta: number,
  indexChanges: readonly IndexChange[],
): Charge[] {
  if (indexChanges.length === 0) return [{ resource: capacity.table, access: 'write', hash: itemHash, units: parts.table, sizeDelta }];
  let tableUnits = parts.table;
  const charges: Charge[] = [];
  for (const change of indexChanges) {
    if (change.index.kind === 'LOCAL') {
      tableUnits += indexWriteUnits(change);
      continue;
    }
    const resource = capacity.indexes.get(change.index.indexId);
    if (resource === undefined) continue;
    if (change.keyChanged && change.oldHash !== undefined && change.newHash !== undefined) {
      // The entry moves: a delete in the old entry's partition, a put in the new one's.
      charges.push({ resource, access: 'write', hash: change.oldHash, units: writeUnits(change.oldSize), sizeDelta: -change.oldSize });
      charges.push({ resource, access: 'write', hash: change.newHash, units: writeUnits(change.newSize), sizeDelta: change.newSize });
      continue;
    }
    const hash = change.newHash ?? change.oldHash;
    if (hash === undefined) continue;
    charges.push({ resource, access: 'write', hash, units: indexWriteUnits(change), sizeDelta: change.newSize - change.oldSize });
  }
  charges.unshift({ resource: capacity.table, access: 'write', hash: itemHash, units: tableUnits, sizeDelta });
  return charges;
}

/**
 * The charges of a read that consumed `units` over entries in several partitions (a Query or Scan page): the
 * units are spread over the key hashes read in proportion to the bytes read under each, so that each partition
 * (and each hot key's heat) pays for its share of the page, and the shares add up to exactly `units`. A page
 * that read nothing is charged to the partition it started in (`startHash`), as DynamoDB charges an empty Query
 * the smallest read.
 */
export function readCharges(
  resource: ResourceCapacity,
  units: number,
  bytesByHash: ReadonlyMap<number, number>,
  startHash: number,
): Charge[] {
  let totalBytes = 0;
  for (const bytes of bytesByHash.values()) totalBytes += bytes;
  if (totalBytes === 0 || bytesByHash.size === 1) {
    const [only] = bytesByHash.keys();
    return [{ resource, access: 'read', hash: only ?? startHash, units }];
  }
  const charges: Charge[] = [];
  let given = 0;
  let largest = 0;
  let largestBytes = -1;
  for (const [hash, bytes] of bytesByHash) {
    const share = (units * bytes) / totalBytes;
    given += share;
    if (bytes > largestBytes) {
      largest = charges.length;
      largestBytes = bytes;
    }
    charges.push({ resource, access: 'read', hash, units: share });
  }
  // The rounding of the shares is settled on the largest one, so that they add up to the units reported.
  const settled = charges[largest] as Charge;
  charges[largest] = { ...settled, units: settled.units + (units - given) };
  return charges;
}
