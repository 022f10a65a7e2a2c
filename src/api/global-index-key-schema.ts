/**
 * The KeySchema of a global secondary index. Since November 2025 a GSI key may have up to four HASH attributes
 * (the partition key, all of them hashed together) and up to four RANGE attributes (the sort key, compared left to
 * right), HASH elements first; the table's key and an LSI's key keep one HASH and at most one RANGE attribute
 * (create-table.ts checkIndexKeySchema).
 *
 * A one- or two-element schema is checked with the messages it has always had. What only a longer schema can get
 * wrong has DynamoDB's messages as observed against the service and recorded by others (a repeated attribute, a
 * HASH after a RANGE, more than four of a kind); which of them DynamoDB reports first when several apply is our
 * guess. An unknown KeyType past the second element has no recorded message: that one is ours.
 */
import { validationError } from '../errors.js';
import type { KeyPart, KeySchemaElement, TableKey } from '../engine/table-metadata.js';
import type { KeyAttributeType } from '../model/attribute-value.js';
import { MAX_KEY_PARTS } from '../model/key-parts.js';
import { checkIndexKeySchema } from './create-table.js';

const INVALID = 'One or more parameter values were invalid: ';

/** Checks a GSI's KeySchema, as the attribute names and the KeyTypes the request gave. */
export function checkGlobalIndexKeySchema(
  keys: readonly string[],
  keyTypes: readonly (string | undefined)[],
  defined: readonly string[],
): void {
  // Two elements of which the second is not a HASH one are a classic schema, right or wrong.
  const classic = keys.length === 1 || (keys.length === 2 && keyTypes[1] !== 'HASH');
  if (classic) {
    checkIndexKeySchema(keys, keyTypes, defined, false);
    return;
  }
  // Undefined attributes first (checkIndexKeySchema's first check, with its message), then the names, then the
  // types: the order of the classic checks.
  if (keys.some((name) => !defined.includes(name))) checkIndexKeySchema(keys, keyTypes, defined, false);
  const seen = new Set<string>();
  for (const name of keys) {
    if (seen.has(name)) throw validationError('The KeySchema contains multiple key attributes with the same name');
    seen.add(name);
  }
  if (keyTypes[0] !== 'HASH') throw validationError('Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
  let hashes = 0;
  let ranges = 0;
  for (const type of keyTypes) {
    if (type === 'HASH') {
      if (ranges > 0) throw validationError(`${INVALID}All HASH key attributes must precede RANGE key attributes in the KeySchema`);
      hashes++;
    } else if (type === 'RANGE') {
      ranges++;
    } else {
      throw validationError(`Invalid KeySchema: KeyType must be HASH or RANGE, not ${String(type)}`);
    }
  }
  if (hashes > MAX_KEY_PARTS) throw validationError(`${INVALID}The KeySchema exceeds the maximum allowed number of HASH key attributes`);
  if (ranges > MAX_KEY_PARTS) throw validationError(`${INVALID}The KeySchema exceeds the maximum allowed number of RANGE key attributes`);
}

/**
 * An index's key from its (validated) KeySchema and the attribute types: the first HASH and RANGE attribute, plus
 * every part when there is more than one of either (TableKey.parts).
 */
export function indexKeyFromSchema(keySchema: readonly KeySchemaElement[], typeOf: (name: string) => KeyAttributeType): TableKey {
  const part = (element: KeySchemaElement): KeyPart => ({ name: element.AttributeName, type: typeOf(element.AttributeName) });
  const hash = keySchema.filter((element) => element.KeyType === 'HASH').map(part);
  const range = keySchema.filter((element) => element.KeyType === 'RANGE').map(part);
  const [firstHash, firstRange] = [hash[0] ?? { name: '', type: 'S' as const }, range[0]];
  return {
    hash: firstHash,
    ...(firstRange !== undefined ? { range: firstRange } : {}),
    ...(hash.length > 1 || range.length > 1 ? { parts: { hash, range } } : {}),
  };
}
