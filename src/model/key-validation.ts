/**
 * The key attributes of an Item (PutItem) or of a Key parameter (GetItem, UpdateItem, DeleteItem, batch and
 * transaction members), validated with DynamoDB's exact messages and in its order: the hash key completely
 * (presence, type, emptiness, size), then the range key.
 *
 * The two roles word things differently, as DynamoDB does:
 * - `item`: extra attributes are fine; a missing key is named (`Missing the key <name> in the item`), a wrong type
 *   is spelled out, and an empty key value is "One or more parameter values are not valid."
 * - `key`: the Key must hold exactly the key attributes; a wrong count, a missing attribute or a wrong type are all
 *   `The provided key element does not match the schema`, and an empty value is "...were invalid: ...".
 *
 * Values must already have passed validateAttributeValue (exactly one type each, numbers normalized).
 */
import { validationError } from '../errors.js';
import type { TableKey } from '../engine/table-metadata.js';
import type { AttributeValue, Item, KeyAttributeType } from './attribute-value.js';
import { typeOf } from './attribute-value.js';
import { base64DecodedLength } from './base64.js';
import { utf8Length } from './utf8.js';

export type KeyRole = 'item' | 'key';

export const MAX_HASH_KEY_SIZE = 2048;
export const MAX_RANGE_KEY_SIZE = 1024;

const INVALID = 'One or more parameter values were invalid: ';
export const KEY_SCHEMA_MISMATCH_MESSAGE = 'The provided key element does not match the schema';
// "limit of2048": DynamoDB's text has no space there.
export const HASH_KEY_TOO_LARGE_MESSAGE = `${INVALID}Size of hashkey has exceeded the maximum size limit of2048 bytes`;
export const RANGE_KEY_TOO_LARGE_MESSAGE = `${INVALID}Aggregated size of all range keys has exceeded the size limit of 1024 bytes`;

function emptyKeyMessage(role: KeyRole, type: 'S' | 'B', name: string): string {
  const lead = role === 'item' ? 'One or more parameter values are not valid. ' : INVALID;
  return `${lead}The AttributeValue for a key attribute cannot contain an empty ${type === 'S' ? 'string' : 'binary'} value. Key: ${name}`;
}

/** Validates one key attribute of `source` and returns its value. */
export function keyPart(
  source: Item,
  name: string,
  type: KeyAttributeType,
  isHash: boolean,
  role: KeyRole,
): AttributeValue {
  const value = source[name];
  if (value === undefined) {
    throw validationError(role === 'item' ? `${INVALID}Missing the key ${name} in the item` : KEY_SCHEMA_MISMATCH_MESSAGE);
  }
  if (!(type in value)) {
    throw validationError(
      role === 'item'
        ? `${INVALID}Type mismatch for key ${name} expected: ${type} actual: ${typeOf(value)}`
        : KEY_SCHEMA_MISMATCH_MESSAGE,
    );
  }
  // Numbers have no size limit worth checking: 38 digits are far below either limit.
  if (type === 'N') return value;
  const size = type === 'S' ? utf8Length((value as { S: string }).S) : base64DecodedLength((value as { B: string }).B);
  if (size === 0) throw validationError(emptyKeyMessage(role, type, name));
  if (isHash ? size > MAX_HASH_KEY_SIZE : size > MAX_RANGE_KEY_SIZE) {
    throw validationError(isHash ? HASH_KEY_TOO_LARGE_MESSAGE : RANGE_KEY_TOO_LARGE_MESSAGE);
  }
  return value;
}

/**
 * Validates the key attributes of `source` against the table's key and returns just them (`{hash, range}`), in
 * the form encodeItemKey takes. Throws DynamoDB's ValidationException otherwise.
 */
export function extractKey(tableKey: TableKey, source: Item, role: KeyRole): Item {
  const { hash, range } = tableKey;
  if (role === 'key') {
    let count = 0;
    for (const name in source) if (source[name] !== undefined) count++;
    if (count !== (range === undefined ? 1 : 2)) throw validationError(KEY_SCHEMA_MISMATCH_MESSAGE);
  }
  const hashValue = keyPart(source, hash.name, hash.type, true, role);
  if (range === undefined) return { [hash.name]: hashValue };
  const rangeValue = keyPart(source, range.name, range.type, false, role);
  return { [hash.name]: hashValue, [range.name]: rangeValue };
}
