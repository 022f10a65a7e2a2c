/**
 * How spaces share one LMDB key range: the LMDB key of (space, key) is `utf8(space) 0x00 key`.
 *
 * Why a 0x00 separator: space names never contain U+0000 (checked), so a space's prefix ends at the first 0x00
 * and no space's keys can fall inside another's, even when one name is a prefix of the other: `t/a\0...` sorts
 * entirely before `t/ab\0...` because 0x00 is below every byte a longer name can continue with. All keys of a
 * space lie in [prefix, prefix with its last byte 0x00 raised to 0x01), which bounds its scans.
 */
import { assertSpaceName } from '../space-name.js';

export interface SpaceKeys {
  /** `utf8(space) 0x00`: the first possible key of the space (inclusive lower bound). */
  readonly prefix: Buffer;
  /** `utf8(space) 0x01`: just past the last possible key of the space (exclusive upper bound). */
  readonly limit: Buffer;
}

export function spaceKeys(space: string): SpaceKeys {
  assertSpaceName(space);
  const name = Buffer.from(space, 'utf8');
  const prefix = Buffer.allocUnsafe(name.length + 1);
  name.copy(prefix, 0);
  prefix[name.length] = 0x00;
  const limit = Buffer.from(prefix);
  limit[name.length] = 0x01;
  return { prefix, limit };
}

/** The LMDB key of `key` in the space with the given prefix. */
export function composeKey(prefix: Buffer, key: Uint8Array): Buffer {
  if (!(key instanceof Uint8Array)) throw new TypeError('storage key must be a Uint8Array');
  // allocUnsafe takes small buffers from Node's shared pool: no zeroing, no separate ArrayBuffer per key.
  const composed = Buffer.allocUnsafe(prefix.length + key.length);
  prefix.copy(composed, 0);
  composed.set(key, prefix.length);
  return composed;
}
