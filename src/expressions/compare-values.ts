/**
 * Equality and ordering of attribute values, exactly as DynamoDB's expressions (and the legacy comparison
 * operators) define them:
 *
 * - Values of different types are never equal and never ordered ({"S":"6"} is not {"N":"6"}).
 * - Ordering exists only for S, N and B: strings by UTF-8 byte order (which is Unicode code point order, not the
 *   UTF-16 code unit order of JavaScript's `<`), numbers numerically, binaries byte by byte (unsigned).
 * - Numbers are always normalised by the time they get here (see numbersEqual).
 * - Equality is defined for every type: sets are unordered (and NS members compare numerically), lists compare
 *   element-wise in order, maps compare key by key regardless of key order.
 */
import type { AttributeMap, AttributeValue } from '../model/attribute-value.js';
import { compareBase64Bytes } from '../model/base64.js';
import { compareNumbers } from '../model/decimal.js';
import { compareUtf8 } from '../model/utf8.js';
import { getOwn } from './document-path.js';

export type Ordering = -1 | 0 | 1;

/**
 * Strings order by their UTF-8 bytes, which is Unicode code point order (not JavaScript's UTF-16 unit order:
 * U+FF5E sorts before U+1F600 here).
 */
export const compareStrings: (a: string, b: string) => Ordering = compareUtf8;

/** Binaries order as unsigned byte strings. */
export const compareBinaries: (a: string, b: string) => Ordering = compareBase64Bytes;

/**
 * The order of two values if DynamoDB can order them (both S, both N or both B), otherwise undefined: such a
 * comparison is simply false in a condition.
 */
export function compareOrdered(a: AttributeValue, b: AttributeValue): Ordering | undefined {
  if ('S' in a) return 'S' in b ? compareStrings(a.S, b.S) : undefined;
  if ('N' in a) return 'N' in b ? compareNumbers(a.N, b.N) : undefined;
  if ('B' in a) return 'B' in b ? compareBinaries(a.B, b.B) : undefined;
  return undefined;
}

/**
 * Numeric equality of two numbers. Every number reaching the evaluator is normalised (attribute validation
 * rewrites request values and stored items are kept normalised), so equal numbers are equal strings.
 */
export function numbersEqual(a: string, b: string): boolean {
  return a === b || compareNumbers(a, b) === 0;
}

/** DynamoDB equality of two attribute values (the `=` operator, EQ, IN, list membership). */
export function valuesEqual(a: AttributeValue, b: AttributeValue): boolean {
  if ('S' in a) return 'S' in b && a.S === b.S;
  if ('N' in a) return 'N' in b && numbersEqual(a.N, b.N);
  // Binaries are kept as canonical base64 (validation rejects other spellings), so the strings compare exactly.
  if ('B' in a) return 'B' in b && a.B === b.B;
  if ('BOOL' in a) return 'BOOL' in b && a.BOOL === b.BOOL;
  if ('NULL' in a) return 'NULL' in b;
  if ('SS' in a) return 'SS' in b && stringSetsEqual(a.SS, b.SS);
  if ('BS' in a) return 'BS' in b && stringSetsEqual(a.BS, b.BS);
  if ('NS' in a) return 'NS' in b && numberSetsEqual(a.NS, b.NS);
  if ('L' in a) return 'L' in b && listsEqual(a.L, b.L);
  if ('M' in a) return 'M' in b && mapsEqual(a.M, b.M);
  return false;
}

/** Whether a string or binary set (members unique) has `member`. */
export function stringSetHas(set: readonly string[], member: string): boolean {
  return set.includes(member);
}

/** Whether a number set has a member numerically equal to `member`. */
export function numberSetHas(set: readonly string[], member: string): boolean {
  for (const candidate of set) {
    if (numbersEqual(candidate, member)) return true;
  }
  return false;
}

function stringSetsEqual(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  // Set members are unique, so equal sizes plus inclusion one way is equality. A hash set only pays off for
  // larger sets; small ones (the common case) are cheaper to scan.
  if (a.length <= 16) {
    for (const member of a) if (!b.includes(member)) return false;
    return true;
  }
  const members = new Set(b);
  for (const member of a) if (!members.has(member)) return false;
  return true;
}

function numberSetsEqual(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (const member of a) if (!numberSetHas(b, member)) return false;
  return true;
}

function listsEqual(a: readonly AttributeValue[], b: readonly AttributeValue[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (!valuesEqual(a[i] as AttributeValue, b[i] as AttributeValue)) return false;
  }
  return true;
}

function mapsEqual(a: AttributeMap, b: AttributeMap): boolean {
  let count = 0;
  for (const key in a) {
    if (!Object.hasOwn(a, key)) continue;
    const other = getOwn(b, key);
    if (other === undefined || !valuesEqual(a[key] as AttributeValue, other)) return false;
    count++;
  }
  let otherCount = 0;
  for (const key in b) if (Object.hasOwn(b, key)) otherCount++;
  return count === otherCount;
}
