/**
 * Item sizes as DynamoDB computes them (the 400 KB limit, TableSizeBytes, capacity units):
 * - an attribute costs its name's UTF-8 bytes plus its value;
 * - S: UTF-8 bytes; B: decoded bytes; BOOL and NULL: 1 byte;
 * - N: DynamoDB stores numbers in base 100 (two digits per byte, the pairs aligned on the decimal point) after
 *   one exponent byte, plus one byte for a negative number; zero is 1 byte. So `1` and `12` cost 2, `123` costs 3,
 *   `1.5` costs 3 (its digits straddle the point: pairs `01|50`), `1E125` costs 2, `-42` costs 3. This is finer
 *   than the Developer Guide's "about 1 byte per two significant digits plus 1", and matches DynamoDB to the byte
 *   at the 400 KB boundary;
 * - SS / NS / BS: the sum of their members;
 * - L and M: 3 bytes plus 1 byte per element, plus the elements (for M, each element's name and value).
 */
import { validationError } from '../errors.js';
import type { AttributeMap, AttributeValue, Item } from './attribute-value.js';
import { base64DecodedLength } from './base64.js';
import { utf8Length } from './utf8.js';

/** DynamoDB's item size limit: an item of exactly 409,600 bytes is accepted, one byte more is refused. */
export const MAX_ITEM_SIZE = 400 * 1024;

export const ITEM_TOO_LARGE_MESSAGE = 'Item size has exceeded the maximum allowed size';

const CHAR_0 = 0x30;
const CHAR_DOT = 0x2e;
const CHAR_MINUS = 0x2d;

/**
 * The stored size of a number, from its text (normalized or not, but valid), without allocating: count the
 * significant digits and the parity of the first digit's power of ten, which decides the base-100 alignment.
 */
export function numberSize(text: string): number {
  const length = text.length;
  let start = 0;
  const sign = text.charCodeAt(0);
  if (sign === CHAR_MINUS || sign === 0x2b) start = 1;
  // Split off an exponent, if any (stored numbers are normalized and have none; this also serves raw input).
  let end = length;
  let exponent = 0;
  for (let i = start; i < length; i++) {
    const c = text.charCodeAt(i) | 0x20;
    if (c === 0x65) {
      end = i;
      exponent = Number(text.slice(i + 1));
      break;
    }
  }
  let point = end;
  let first = -1;
  let last = -1;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === CHAR_DOT) {
      point = i;
    } else if (c !== CHAR_0) {
      if (first < 0) first = i;
      last = i;
    }
  }
  if (first < 0) return 1; // zero, however written
  // Significant digits from first to last, not counting a point between them.
  const digits = last - first + 1 - (first < point && point < last ? 1 : 0);
  // Power of ten of the first significant digit.
  const power = (first < point ? point - 1 - first : point - first) + exponent;
  // Digits are grouped in pairs aligned so that the point falls between pairs: when the first digit's power is
  // even it starts a pair of its own (a leading 0 pads it), which costs a byte more for an even digit count.
  const pairs = Math.ceil(digits / 2) + (digits % 2 === 0 && power % 2 === 0 ? 1 : 0);
  return 1 + pairs + (sign === CHAR_MINUS ? 1 : 0);
}

/** The size of one attribute value in bytes. */
export function attributeValueSize(value: AttributeValue): number {
  if ('S' in value) return utf8Length(value.S);
  if ('N' in value) return numberSize(value.N);
  if ('B' in value) return base64DecodedLength(value.B);
  if ('BOOL' in value || 'NULL' in value) return 1;
  if ('M' in value) return 3 + mapSize(value.M, 1);
  if ('L' in value) {
    let size = 3;
    for (const element of value.L) size += 1 + attributeValueSize(element);
    return size;
  }
  let size = 0;
  if ('SS' in value) {
    for (const member of value.SS) size += utf8Length(member);
  } else if ('NS' in value) {
    for (const member of value.NS) size += numberSize(member);
  } else {
    for (const member of value.BS) size += base64DecodedLength(member);
  }
  return size;
}

/** Sum over the attributes of names + values, plus `perElement` bytes each (1 inside an M, 0 for an item). */
function mapSize(map: AttributeMap, perElement: number): number {
  let size = 0;
  for (const name in map) size += perElement + utf8Length(name) + attributeValueSize(map[name] as AttributeValue);
  return size;
}

/**
 * Sizes already computed, by item identity. Items are immutable once built (the storage contract), and one write
 * sizes the same item several times (PutItem's 400 KB check, the table statistics, consumed capacity), so the
 * first computation serves the others.
 */
const knownSizes = new WeakMap<Item, number>();

/** The size of an item in bytes, exactly as DynamoDB counts it. */
export function itemSize(item: Item): number {
  let size = knownSizes.get(item);
  if (size === undefined) {
    size = mapSize(item, 0);
    knownSizes.set(item, size);
  }
  return size;
}

/** Throws DynamoDB's ValidationException when the item exceeds 400 KB; otherwise returns its size. */
export function assertItemSizeWithinLimit(item: Item): number {
  const size = itemSize(item);
  if (size > MAX_ITEM_SIZE) throw validationError(ITEM_TOO_LARGE_MESSAGE);
  return size;
}

/** Write capacity units for an item of `sizeBytes`: 1 per started KB, at least 1. */
export function writeUnits(sizeBytes: number): number {
  return Math.max(1, Math.ceil(sizeBytes / 1024));
}

/**
 * Read capacity units for `sizeBytes`: 1 per started 4 KB (at least 1, also for an item that is not found),
 * halved for an eventually consistent read, so a small item costs 0.5.
 */
export function readUnits(sizeBytes: number, consistent: boolean): number {
  const units = Math.max(1, Math.ceil(sizeBytes / 4096));
  return consistent ? units : units / 2;
}
