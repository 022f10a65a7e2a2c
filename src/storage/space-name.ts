/**
 * Space names must be non-empty and free of U+0000: the LMDB engine separates a space's name from its keys
 * with a 0x00 byte (see lmdb/space-keys.ts). Every engine enforces the same rule so that code tested on one
 * runs on the others.
 */
export function assertSpaceName(space: string): void {
  if (typeof space !== 'string' || space.length === 0 || space.includes('\u0000')) {
    throw new TypeError(`invalid storage space name ${JSON.stringify(space)}`);
  }
}
