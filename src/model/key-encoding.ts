/**
 * The storage key of an item: bytes whose unsigned bytewise order is DynamoDB's order, so that the ordered KV
 * store answers a Query with one range read (O(log n + items read)).
 *
 *   [2-byte hash of the partition value] [2-byte length of the partition value] [partition value] [sort value]
 *
 * - The hash prefix spreads partitions over the key space the way DynamoDB's hashing spreads them over
 *   partitions (a Scan returns items in hash order, not key order, and parallel Scan segments split the hash
 *   space). It is FNV-1a over the encoded partition value: fast, stable across versions and platforms.
 * - The length prefix makes the partition part self-delimiting: the items of one partition are exactly the keys
 *   that start with its head (hash, length, value), and no other partition's keys do. Partitions need no order
 *   among themselves (DynamoDB has none), only contiguity, so a length prefix serves where an escaping scheme
 *   would cost up to twice the bytes: with it a maximal key (2048-byte partition value, 1024-byte sort value)
 *   stays well within what an ordered KV store such as LMDB accepts as one key.
 * - The sort value is last, so it needs no escaping.
 *
 * Value encodings, each ordered as DynamoDB orders the type:
 * - S: its UTF-8 bytes (DynamoDB compares strings by UTF-8 bytes);
 * - B: its bytes (unsigned);
 * - N: see encodeNumber.
 */
import { createHash } from 'node:crypto';
import type { KeyPart, TableKey } from '../engine/table-metadata.js';
import type { Item, KeyAttributeType } from './attribute-value.js';
import { base64ToBytes } from './base64.js';
import { MIN_EXPONENT, parseNumber } from './decimal.js';
import { allKeyParts, keyParts } from './key-parts.js';

/** A key attribute's value: one of the three scalar key types. */
export type KeyValue = { readonly S: string } | { readonly N: string } | { readonly B: string };

/** A range of storage keys: start inclusive, end exclusive (the shape of the storage interface's RangeOptions). */
export interface KeyRange {
  readonly start: Uint8Array;
  readonly end: Uint8Array;
}

/** Number encoding tags: negatives sort before zero, zero before positives. */
const NEGATIVE = 0x01;
const ZERO = 0x02;
const POSITIVE = 0x03;

const EMPTY = new Uint8Array(0);

/**
 * Numbers, exactly and in numeric order: a sign tag; the power of ten of the first digit, biased into one byte
 * (DynamoDB's range -130..125 is exactly 256 values); the significant digits as nibbles (digit + 1, so that a
 * shorter digit string with the same start sorts first: 1.5 < 1.55). A negative number stores the complement of
 * the exponent and digit bytes followed by 0xFF, which reverses their order (-1.5 > -1.55).
 */
export function encodeNumber(text: string): Uint8Array {
  const { negative, digits, exponent } = parseNumber(text);
  if (digits === '') return Uint8Array.of(ZERO);
  const digitBytes = (digits.length + 1) >> 1;
  const out = new Uint8Array(2 + digitBytes + (negative ? 1 : 0));
  out[0] = negative ? NEGATIVE : POSITIVE;
  const biased = exponent - MIN_EXPONENT;
  out[1] = negative ? 0xff - biased : biased;
  for (let i = 0; i < digits.length; i += 2) {
    const high = digits.charCodeAt(i) - 0x2f; // digit + 1
    const low = i + 1 < digits.length ? digits.charCodeAt(i + 1) - 0x2f : 0;
    const byte = (high << 4) | low;
    out[2 + (i >> 1)] = negative ? 0xff - byte : byte;
  }
  if (negative) out[out.length - 1] = 0xff;
  return out;
}

/** The order-preserving bytes of one key value (not escaped: for a sort value, or before escaping). */
export function encodeKeyValue(value: KeyValue): Uint8Array {
  if ('N' in value) return encodeNumber(value.N);
  const buffer = 'S' in value ? Buffer.from(value.S, 'utf8') : base64ToBytes(value.B);
  // A plain Uint8Array view, so that `slice` copies (Buffer's `slice` would alias Node's shared pool).
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** FNV-1a (32 bit) over the bytes, folded to 16 bits. */
export function partitionHash(bytes: Uint8Array): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    hash ^= bytes[i] as number;
    hash = Math.imul(hash, 0x01000193);
  }
  return ((hash >>> 16) ^ hash) & 0xffff;
}

/** `[hash hi, hash lo, length hi, length lo] partition` — the common head of a partition's keys. */
function partitionHead(encoded: Uint8Array, extra: number): { out: Uint8Array; length: number } {
  const out = new Uint8Array(4 + encoded.length + extra);
  const hash = partitionHash(encoded);
  out[0] = hash >>> 8;
  out[1] = hash & 0xff;
  out[2] = encoded.length >>> 8;
  out[3] = encoded.length & 0xff;
  out.set(encoded, 4);
  return { out, length: 4 + encoded.length };
}

function keyValueOf(item: Item, name: string, type: KeyAttributeType): KeyValue {
  const value = item[name];
  if (value === undefined || !(type in value)) {
    // extractKey (key-validation.ts) guarantees this never happens for validated input.
    throw new Error(`key attribute ${name} of type ${type} missing`);
  }
  return value as KeyValue;
}

/** The attributes of `item` that make up `key` (those present), e.g. a stream record's Keys. */
export function keyAttributesOf(key: TableKey, item: Item): Item {
  const out: Record<string, Item[string]> = {};
  for (const part of allKeyParts(key)) {
    const value = item[part.name];
    if (value !== undefined) out[part.name] = value;
  }
  return out;
}

/** The storage key of an item (or of a Key): its key attributes must be present and valid (see extractKey). */
export function encodeItemKey(key: TableKey, item: Item): Uint8Array {
  const partition = encodeKeyValue(keyValueOf(item, key.hash.name, key.hash.type));
  const sort = key.range === undefined ? EMPTY : encodeKeyValue(keyValueOf(item, key.range.name, key.range.type));
  const { out, length } = partitionHead(partition, sort.length);
  out.set(sort, length);
  return out;
}

/** The prefix every key of the partition starts with (its start key), and the bytes after its last key. */
function partitionBounds(hashValue: KeyValue): { head: Uint8Array; end: Uint8Array } {
  const encoded = encodeKeyValue(hashValue);
  const head = partitionHead(encoded, 0).out;
  // A head never ends in all 0xFF bytes (its length bytes are at most 0x08 0x00), so it always has a successor.
  return { head, end: prefixEnd(head) as Uint8Array };
}

/** All the items of one partition. */
export function partitionRange(_key: TableKey, hashValue: KeyValue): KeyRange {
  const { head, end } = partitionBounds(hashValue);
  return { start: head, end };
}

/** A key condition on the sort key, as a Query's KeyConditionExpression (or KeyConditions) states it. */
export type SortKeyCondition =
  | { readonly op: '=' | '<' | '<=' | '>' | '>='; readonly value: KeyValue }
  | { readonly op: 'BETWEEN'; readonly low: KeyValue; readonly high: KeyValue }
  | { readonly op: 'begins_with'; readonly prefix: KeyValue };

function concat(head: Uint8Array, tail: Uint8Array, extraZero: boolean): Uint8Array {
  const out = new Uint8Array(head.length + tail.length + (extraZero ? 1 : 0));
  out.set(head, 0);
  out.set(tail, head.length);
  // The trailing 0x00 (left by the zero-filled array) makes the immediate successor of head+tail: the
  // exclusive end that still includes head+tail itself, or the exclusive start that skips it.
  return out;
}

/**
 * The smallest key greater than every key that starts with `prefix`, or undefined when there is none within the
 * partition (the prefix is all 0xFF bytes): used for begins_with.
 */
function prefixEnd(prefix: Uint8Array): Uint8Array | undefined {
  let last = prefix.length - 1;
  while (last >= 0 && prefix[last] === 0xff) last--;
  if (last < 0) return undefined;
  const out = new Uint8Array(last + 1);
  out.set(prefix.subarray(0, last + 1));
  out[last] = (out[last] as number) + 1;
  return out;
}

/**
 * How sort values are laid out after the partition head. A table key ends with the raw sort value (nothing follows
 * it). An index entry key continues with the table's key (several items can share one index key), so its sort
 * value must be self-delimiting: it is escaped (0x00 -> 0x00 0xFF) and terminated by 0x00 0x01, which keeps the
 * bytewise order of the values and the prefix relation begins_with relies on.
 */
interface SortLayout {
  /** Head + the first key bytes whose sort value is >= `value`. */
  first(head: Uint8Array, value: Uint8Array): Uint8Array;
  /** Head + the first key bytes whose sort value is > `value`. */
  after(head: Uint8Array, value: Uint8Array): Uint8Array;
  /** Head + the bytes every key whose sort value starts with `prefix` starts with. */
  prefix(head: Uint8Array, prefix: Uint8Array): Uint8Array;
}

const TABLE_SORT_LAYOUT: SortLayout = {
  first: (head, value) => concat(head, value, false),
  after: (head, value) => concat(head, value, true),
  prefix: (head, prefix) => concat(head, prefix, false),
};

const TERMINATOR = 0x01;

/** `value` escaped (0x00 -> 0x00 0xFF), then `tail` bytes appended. */
export function escapeSortValue(value: Uint8Array, tail: readonly number[]): Uint8Array {
  let zeros = 0;
  for (let i = 0; i < value.length; i++) if (value[i] === 0) zeros++;
  const out = new Uint8Array(value.length + zeros + tail.length);
  let at = 0;
  for (let i = 0; i < value.length; i++) {
    const byte = value[i] as number;
    out[at++] = byte;
    if (byte === 0) out[at++] = 0xff;
  }
  for (const byte of tail) out[at++] = byte;
  return out;
}

const INDEX_SORT_LAYOUT: SortLayout = {
  first: (head, value) => concat(head, escapeSortValue(value, [0x00, TERMINATOR]), false),
  after: (head, value) => concat(head, escapeSortValue(value, [0x00, TERMINATOR + 1]), false),
  prefix: (head, prefix) => concat(head, escapeSortValue(prefix, []), false),
};

function rangeWithin(layout: SortLayout, key: TableKey, hashValue: KeyValue, condition?: SortKeyCondition): KeyRange {
  const { head, end } = partitionBounds(hashValue);
  if (condition === undefined || key.range === undefined) return { start: head, end };
  return conditionRange(layout, head, end, condition);
}

/** The keys after `head` (and before `end`, where the keys starting with `head` end) that satisfy `condition`. */
function conditionRange(layout: SortLayout, head: Uint8Array, end: Uint8Array, condition: SortKeyCondition): KeyRange {
  switch (condition.op) {
    case '=': {
      const value = encodeKeyValue(condition.value);
      return { start: layout.first(head, value), end: layout.after(head, value) };
    }
    case '<':
      return { start: head, end: layout.first(head, encodeKeyValue(condition.value)) };
    case '<=':
      return { start: head, end: layout.after(head, encodeKeyValue(condition.value)) };
    case '>':
      return { start: layout.after(head, encodeKeyValue(condition.value)), end };
    case '>=':
      return { start: layout.first(head, encodeKeyValue(condition.value)), end };
    case 'BETWEEN':
      return {
        start: layout.first(head, encodeKeyValue(condition.low)),
        end: layout.after(head, encodeKeyValue(condition.high)),
      };
    case 'begins_with': {
      // Only S and B sort keys allow begins_with: their encodings are the raw bytes, so a prefix of the value is
      // a prefix of the key.
      const start = layout.prefix(head, encodeKeyValue(condition.prefix));
      return { start, end: prefixEnd(start) ?? end };
    }
  }
}

/**
 * The storage-key range of the items of one partition whose sort key satisfies `condition` (all the partition
 * without one). A Query reads exactly this range, forward or in reverse.
 */
export function sortKeyRange(key: TableKey, hashValue: KeyValue, condition?: SortKeyCondition): KeyRange {
  return rangeWithin(TABLE_SORT_LAYOUT, key, hashValue, condition);
}

/** The same range in an index's entry keys (see encodeIndexEntryKey). */
export function indexSortKeyRange(indexKey: TableKey, hashValue: KeyValue, condition?: SortKeyCondition): KeyRange {
  return rangeWithin(INDEX_SORT_LAYOUT, indexKey, hashValue, condition);
}

/**
 * Whether an item carries every one of an index's key attributes with the index's types (else it is not in the
 * index: with a multi-attribute key, one missing attribute is enough to leave the item out).
 */
export function hasIndexKey(indexKey: TableKey, item: Item): boolean {
  for (const part of allKeyParts(indexKey)) {
    const value = item[part.name];
    if (value === undefined || !(part.type in value)) return false;
  }
  return true;
}

/**
 * The partition bytes of a multi-attribute index key from its HASH values: each escaped and terminated, which
 * makes their concatenation an exact, unambiguous identity of the tuple, then digested with SHA-256. Partitions
 * need identity, not order, and four values of up to 2048 bytes each would not fit in one storage key, while a
 * 32-byte digest always does, next to the RANGE values (a collision of SHA-256 is not a practical concern).
 * (A single-attribute index key keeps the raw encoding of encodeIndexEntryKey, which stored indexes use.)
 */
function indexPartitionBytes(hashValues: readonly KeyValue[]): Uint8Array {
  const digest = createHash('sha256');
  for (const value of hashValues) digest.update(escapeSortValue(encodeKeyValue(value), [0x00, TERMINATOR]));
  return new Uint8Array(digest.digest());
}

/**
 * The sort bytes of an index key from its RANGE values: each escaped and terminated by 0x00 0x01, concatenated.
 * A terminated value sorts before any longer value it is a prefix of (0x00 0x01 is below both 0x00 0xFF, an
 * escaped 0x00, and any other byte), so the concatenation sorts as the tuple of values compared left to right,
 * and a prefix of the tuple is a byte prefix of the key. With one RANGE value it is exactly the single-value form.
 */
function indexSortBytes(rangeValues: readonly KeyValue[]): Uint8Array {
  const pieces = rangeValues.map((value) => escapeSortValue(encodeKeyValue(value), [0x00, TERMINATOR]));
  let length = 0;
  for (const piece of pieces) length += piece.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.length;
  }
  return out;
}

function valuesOf(item: Item, parts: readonly KeyPart[]): KeyValue[] {
  return parts.map((part) => keyValueOf(item, part.name, part.type));
}

/**
 * The storage-key range of an index Query on a multi-attribute key: the partition of `hashValues` (every HASH
 * value), narrowed to the entries whose first RANGE values equal `rangePrefix`, and then, by `condition`, on the
 * next RANGE value. Entries after that value (further RANGE values, the table key) only order ties, so the same
 * bounds as for a single RANGE value apply one level down.
 */
export function multiKeyIndexRange(
  hashValues: readonly KeyValue[],
  rangePrefix: readonly KeyValue[],
  condition?: SortKeyCondition,
): KeyRange {
  const head = partitionHead(indexPartitionBytes(hashValues), 0).out;
  const prefixed = concat(head, indexSortBytes(rangePrefix), false);
  // The head ends in its partition bytes, a prefix in 0x01: neither is all 0xFF, so an end always exists.
  const end = prefixEnd(prefixed) as Uint8Array;
  if (condition === undefined) return { start: prefixed, end };
  return conditionRange(INDEX_SORT_LAYOUT, prefixed, end, condition);
}

/**
 * The key of an item's entry in a secondary index:
 *
 *   [partition head of the index hash value] [escaped index sort value, 0x00 0x01] [the item's table storage key]
 *
 * Entries of one index partition are contiguous and ordered by index sort value, then by table key, so a Query on
 * the index is one range read, as on the table. The item must carry the index key (hasIndexKey).
 */
export function encodeIndexEntryKey(indexKey: TableKey, item: Item, tableStorageKey: Uint8Array): Uint8Array {
  if (indexKey.parts !== undefined) return encodeMultiKeyEntry(indexKey, item, tableStorageKey);
  const partition = encodeKeyValue(keyValueOf(item, indexKey.hash.name, indexKey.hash.type));
  const sort =
    indexKey.range === undefined
      ? EMPTY
      : escapeSortValue(encodeKeyValue(keyValueOf(item, indexKey.range.name, indexKey.range.type)), [0x00, TERMINATOR]);
  return indexEntry(partition, sort, tableStorageKey);
}

/**
 * The longest index entry key the storage takes: LMDB's 4026-byte key limit, less the space prefix of an index
 * (`i/<36-character id>` and 0x00, lmdb/space-keys.ts).
 */
export const MAX_INDEX_ENTRY_KEY = 4026 - 39;

/**
 * Head, sort bytes and table key. The table key only tells apart (and orders) entries with the same index key,
 * which DynamoDB leaves in no particular order; when the whole would be longer than the storage takes (a long index
 * key next to a long table key), the SHA-256 digest of the table key stands in for it. Entry keys that fit are
 * unchanged, so stored indexes keep their keys; those that did not fit could never be stored before.
 */
function indexEntry(partition: Uint8Array, sort: Uint8Array, tableStorageKey: Uint8Array): Uint8Array {
  let tail = tableStorageKey;
  if (4 + partition.length + sort.length + tail.length > MAX_INDEX_ENTRY_KEY) {
    tail = new Uint8Array(createHash('sha256').update(tableStorageKey).digest());
  }
  const { out, length } = partitionHead(partition, sort.length + tail.length);
  out.set(sort, length);
  out.set(tail, length + sort.length);
  return out;
}

/** encodeIndexEntryKey for a multi-attribute key: the partition of all HASH values, then all RANGE values. */
function encodeMultiKeyEntry(indexKey: TableKey, item: Item, tableStorageKey: Uint8Array): Uint8Array {
  const parts = keyParts(indexKey);
  return indexEntry(indexPartitionBytes(valuesOf(item, parts.hash)), indexSortBytes(valuesOf(item, parts.range)), tableStorageKey);
}

/** The smallest key after `key`: where a Query or Scan resumes after ExclusiveStartKey (forward). */
export function keyAfter(key: Uint8Array): Uint8Array {
  return concat(key, EMPTY, true);
}

/**
 * The key range of one parallel Scan segment: segments split the 16-bit hash space evenly (as DynamoDB splits
 * its hash space), so each item falls in exactly one segment. With more segments than hash values, some segments
 * are empty. `end` is undefined for the last segment (to the end of the space).
 */
export function scanSegmentRange(segment: number, totalSegments: number): { start: Uint8Array; end?: Uint8Array } {
  const bound = (index: number): number => Math.floor((index * 0x10000) / totalSegments);
  const low = bound(segment);
  const start = Uint8Array.of(low >>> 8, low & 0xff);
  if (segment + 1 >= totalSegments) return { start };
  const high = bound(segment + 1);
  return { start, end: Uint8Array.of(high >>> 8, high & 0xff) };
}
