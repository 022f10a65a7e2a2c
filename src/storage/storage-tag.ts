/**
 * A write's tag (see storage.ts) must be an integer from 0 to 2^32 - 1: the LMDB engine keeps it in 4 bytes. Every
 * engine enforces the same rule so that code tested on one runs on the others.
 */
export function assertStorageTag(tag: number | undefined): void {
  if (tag !== undefined && !(Number.isInteger(tag) && tag >= 0 && tag <= 0xffffffff)) {
    throw new RangeError(`storage tag ${tag} is not an integer from 0 to 2^32 - 1`);
  }
}
