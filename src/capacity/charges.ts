/**
 * Charges: the units a request consumed, each in one partition of one table or GSI. The write path and the read
 * path turn what they did into charges; the capacity tracker admits them (enforce) and books them (account and
 * enforce). Local secondary indexes have no capacity of their own: their units are charged to the table, in the
 * item's partition, as DynamoDB charges them.
 */
import type { CapacityParts } from '../engine/consumed-capacity.js';
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
  let tableUnits = parts.table;
  const charges: Charge[] = [];
  for (const change of indexChanges) {
    if (change.index.kind === 'LOCAL') {
      tableUnits += change.keyChanged
        ? writeUnits(change.oldSize) + writeUnits(change.newSize)
        : writeUnits(Math.max(change.oldSize, change.newSize));
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
    charges.push({
      resource,
      access: 'write',
      hash,
      units: writeUnits(Math.max(change.oldSize, change.newSize)),
      sizeDelta: change.newSize - change.oldSize,
    });
  }
  charges.unshift({ resource: capacity.table, access: 'write', hash: itemHash, units: tableUnits, sizeDelta });
  return charges;
}
