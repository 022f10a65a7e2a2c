/**
 * The attributes of a key, HASH and RANGE apart, in KeySchema order. A table or LSI key has one HASH and at most
 * one RANGE attribute; a GSI key may have up to four of each (multi-attribute keys): items are partitioned by all
 * the HASH values together and sorted by the RANGE values compared one after another, left to right.
 */
import type { KeyPart, TableKey } from '../engine/table-metadata.js';

export interface KeyParts {
  readonly hash: readonly KeyPart[];
  readonly range: readonly KeyPart[];
}

/** DynamoDB's limit on each side of a multi-attribute GSI key. */
export const MAX_KEY_PARTS = 4;

const derived = new WeakMap<TableKey, KeyParts>();
const everyPart = new WeakMap<TableKey, readonly KeyPart[]>();

/** The parts of a key (memoised per key object, as keys are immutable metadata). */
export function keyParts(key: TableKey): KeyParts {
  if (key.parts !== undefined) return key.parts;
  let parts = derived.get(key);
  if (parts === undefined) {
    parts = { hash: [key.hash], range: key.range === undefined ? [] : [key.range] };
    derived.set(key, parts);
  }
  return parts;
}

/** Every attribute of the key: the HASH attributes, then the RANGE attributes (memoised: writes ask for it). */
export function allKeyParts(key: TableKey): readonly KeyPart[] {
  let all = everyPart.get(key);
  if (all === undefined) {
    const { hash, range } = keyParts(key);
    all = [...hash, ...range];
    everyPart.set(key, all);
  }
  return all;
}

/** Whether the key has more than one HASH or more than one RANGE attribute. */
export function isMultiAttributeKey(key: TableKey): boolean {
  return key.parts !== undefined;
}
