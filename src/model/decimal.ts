/**
 * DynamoDB numbers: exact decimals of up to 38 significant digits with magnitudes from 1E-130 to
 * 9.9999999999999999999999999999999999999E+125 (and their negatives, and zero). Cairn never turns them into JS
 * floats: they are parsed from and kept as decimal strings, and arithmetic runs on BigInt coefficients.
 *
 * What DynamoDB accepts is Java's BigDecimal grammar: an optional sign (`+5` is fine and reads back as `5`),
 * digits with an optional point (`5.`, `.5`), and an optional exponent (`1e5`, `1E-5`, `1e+5`). No whitespace,
 * no hex, no `NaN`/`Infinity`, and not an empty string.
 *
 * The canonical form DynamoDB returns is plain notation, never an exponent: `1E125` reads back as a 1 followed
 * by 125 zeros, `1E-3` as `0.001`, `0042.1200` as `42.12`, `-0` as `0`.
 *
 * The checks, in DynamoDB's order: the text must parse; its magnitude must be in range (overflow, then
 * underflow); then it may have at most 38 significant digits (leading and trailing zeros do not count, so
 * `1` followed by 125 zeros is fine).
 */
import { validationError } from '../errors.js';

/**
 * DynamoDB validates attribute values in one of two layers depending on the operation, and they word a few
 * things differently (observed against real DynamoDB):
 * - `current` (PutItem, UpdateItem, DeleteItem, GetItem, BatchGetItem, Query): an empty number is
 *   `...numeric value: ` (colon and space kept); the exponent is read as a 64-bit integer before the range check.
 * - `legacy` (BatchWriteItem, TransactWriteItems, TransactGetItems, Scan): an empty number has no colon; the
 *   number is read as Java's BigDecimal does (an int scale), so `1e2147483647` wraps round to an underflow.
 */
export type ValueLayer = 'current' | 'legacy';

/** A parsed number: value = (negative ? -1 : 1) × d.ddd… × 10^exponent, where `digits` = "dddd…". */
export interface Decimal {
  readonly negative: boolean;
  /** Significant digits, without leading or trailing zeros; `''` for zero. */
  readonly digits: string;
  /** The power of ten of the first significant digit (`123` -> 2, `0.05` -> -2); 0 for zero. */
  readonly exponent: number;
}

export const MAX_SIGNIFICANT_DIGITS = 38;
export const MAX_EXPONENT = 125;
export const MIN_EXPONENT = -130;

const NOT_A_NUMBER = 'The parameter cannot be converted to a numeric value';
export const TOO_MANY_DIGITS_MESSAGE = 'Attempting to store more than 38 significant digits in a Number';
export const OVERFLOW_MESSAGE =
  'Number overflow. Attempting to store a number with magnitude larger than supported range';
export const UNDERFLOW_MESSAGE =
  'Number underflow. Attempting to store a number with magnitude smaller than supported range';

const ZERO: Decimal = { negative: false, digits: '', exponent: 0 };

const CHAR_0 = 0x30;
const CHAR_9 = 0x39;
const CHAR_1 = 0x31;
const CHAR_PLUS = 0x2b;
const CHAR_MINUS = 0x2d;
const CHAR_DOT = 0x2e;

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;
const INT32_MAX = 2147483647;
const INT32_MIN = -2147483648;

function notANumber(text: string, layer: ValueLayer): never {
  // The current layer always appends `: <text>`, even for an empty string; the legacy one drops it for "".
  throw validationError(text === '' && layer === 'legacy' ? NOT_A_NUMBER : `${NOT_A_NUMBER}: ${text}`);
}

function isDigit(code: number): boolean {
  return code >= CHAR_0 && code <= CHAR_9;
}

/**
 * Parses and validates a number as DynamoDB does, throwing its ValidationException otherwise.
 * Accepts any valid spelling; the result is the exact value.
 */
export function parseNumber(text: string, layer: ValueLayer = 'current'): Decimal {
  const length = text.length;
  let i = 0;
  let negative = false;
  const first = text.charCodeAt(0);
  if (first === CHAR_MINUS || first === CHAR_PLUS) {
    negative = first === CHAR_MINUS;
    i = 1;
  }
  const intStart = i;
  while (i < length && isDigit(text.charCodeAt(i))) i++;
  const intEnd = i;
  let fracStart = i;
  let fracEnd = i;
  if (i < length && text.charCodeAt(i) === CHAR_DOT) {
    i++;
    fracStart = i;
    while (i < length && isDigit(text.charCodeAt(i))) i++;
    fracEnd = i;
  }
  if (intEnd === intStart && fracEnd === fracStart) notANumber(text, layer);

  // The exponent, kept as text until we know it fits: DynamoDB reads it as a 64-bit integer.
  let exponent = 0;
  if (i < length) {
    const e = text.charCodeAt(i);
    if (e !== 0x65 && e !== 0x45) notANumber(text, layer); // 'e' | 'E'
    i++;
    let expNegative = false;
    const sign = text.charCodeAt(i);
    if (sign === CHAR_MINUS || sign === CHAR_PLUS) {
      expNegative = sign === CHAR_MINUS;
      i++;
    }
    const expStart = i;
    while (i < length && isDigit(text.charCodeAt(i))) i++;
    if (i === expStart || i !== length) notANumber(text, layer);
    exponent = readExponent(text, expStart, expNegative, layer);
  }

  // Find the significant digits: from the first to the last non-zero digit, skipping the point.
  let firstSig = -1;
  for (let k = intStart; k < fracEnd; k++) {
    const c = text.charCodeAt(k);
    if (c !== CHAR_DOT && c !== CHAR_0) {
      firstSig = k;
      break;
    }
  }
  const fracLength = fracEnd - fracStart;
  // The legacy layer is BigDecimal: scale = fraction digits - exponent must fit an int, or it cannot convert.
  const scale = fracLength - exponent;
  if (layer === 'legacy' && (scale > INT32_MAX || scale < INT32_MIN)) notANumber(text, layer);
  if (firstSig < 0) {
    // Zero is range-checked by the exponent it is written with, as BigDecimal sees it (unscaled 0, scale =
    // fraction digits - exponent): `0e126` overflows, `0e-131` underflows, `0e125` is stored as 0.
    checkRange(exponent - fracLength);
    return ZERO;
  }
  let lastSig = fracEnd - 1;
  while (text.charCodeAt(lastSig) === CHAR_0 || text.charCodeAt(lastSig) === CHAR_DOT) lastSig--;

  // Power of ten of the first significant digit.
  const pointIndex = intEnd; // digits at index < intEnd are before the point
  const sciExponent = (firstSig < pointIndex ? pointIndex - 1 - firstSig : pointIndex - firstSig) + exponent;

  if (layer === 'legacy') {
    // BigDecimal's adjusted exponent, precision - scale - 1, is int arithmetic and wraps round.
    const precision = fracEnd - firstSig - (firstSig < pointIndex && fracEnd > pointIndex ? 1 : 0);
    checkRange(((precision - scale) | 0) - 1);
  } else {
    checkRange(sciExponent);
  }

  let digits: string;
  if (lastSig < pointIndex || firstSig > pointIndex) {
    digits = text.slice(firstSig, lastSig + 1);
  } else {
    // The significant digits straddle the point.
    digits = text.slice(firstSig, pointIndex) + text.slice(pointIndex + 1, lastSig + 1);
  }
  if (digits.length > MAX_SIGNIFICANT_DIGITS) throw validationError(TOO_MANY_DIGITS_MESSAGE);
  return { negative, digits, exponent: sciExponent };
}

/** Reads the exponent digits starting at `start` (to the end of `text`) as DynamoDB's 64-bit (or int) integer. */
function readExponent(text: string, start: number, negative: boolean, layer: ValueLayer): number {
  let k = start;
  while (k < text.length - 1 && text.charCodeAt(k) === CHAR_0) k++;
  const significant = text.length - k;
  if (significant <= 15) {
    const value = Number(text.slice(k));
    return negative ? -value : value;
  }
  // Rare: a huge exponent. It must still fit in a long (current) or be kept long enough for the int scale check
  // (legacy); beyond that it cannot be converted at all. Any such value is far outside the range, so a clamped
  // double keeps every later comparison right.
  const big = BigInt(text.slice(k)) * (negative ? -1n : 1n);
  if (big > INT64_MAX || big < INT64_MIN) notANumber(text, layer);
  return Number(big);
}

function checkRange(exponent: number): void {
  if (exponent > MAX_EXPONENT) throw validationError(OVERFLOW_MESSAGE);
  if (exponent < MIN_EXPONENT) throw validationError(UNDERFLOW_MESSAGE);
}

/** The canonical (plain, exponent-free) text of a parsed number. */
export function formatDecimal(value: Decimal): string {
  const { digits, exponent } = value;
  if (digits === '') return '0';
  const sign = value.negative ? '-' : '';
  const count = digits.length;
  if (exponent >= count - 1) return sign + digits + '0'.repeat(exponent - count + 1);
  if (exponent >= 0) return sign + digits.slice(0, exponent + 1) + '.' + digits.slice(exponent + 1);
  return sign + '0.' + '0'.repeat(-exponent - 1) + digits;
}

/**
 * Whether `text` is already a canonical short integer: `0`, or an optional `-` and 1..38 digits not starting
 * with 0. Such text is its own normal form (it has at most 38 digits, so it is in range too).
 */
function isCanonicalInteger(text: string): boolean {
  const length = text.length;
  let i = text.charCodeAt(0) === CHAR_MINUS ? 1 : 0;
  const first = text.charCodeAt(i);
  if (first === CHAR_0) return length === 1;
  if (!(first >= CHAR_1 && first <= CHAR_9) || length - i > MAX_SIGNIFICANT_DIGITS) return false;
  for (i++; i < length; i++) if (!isDigit(text.charCodeAt(i))) return false;
  return true;
}

/**
 * Validates a number and returns the text DynamoDB would store and return for it ("1.500" -> "1.5",
 * "007" -> "7", "-0" -> "0", "1e3" -> "1000", "1E-3" -> "0.001"). Canonical integers come back as the very same
 * string, without parsing.
 */
export function normalizeNumber(text: string, layer: ValueLayer = 'current'): string {
  if (isCanonicalInteger(text)) return text;
  return formatDecimal(parseNumber(text, layer));
}

/** Sign of a normalized number: -1, 0 or 1. */
function signOf(text: string): -1 | 0 | 1 {
  if (text.charCodeAt(0) === CHAR_MINUS) return -1;
  return text === '0' ? 0 : 1;
}

/**
 * Compares two *normalized* numbers exactly, without parsing: in plain notation without leading zeros, a longer
 * integer part is a larger magnitude, and equal integer-part lengths compare as text (the point lines up, and a
 * shorter fraction without trailing zeros is a prefix, hence smaller).
 */
export function compareNumbers(a: string, b: string): -1 | 0 | 1 {
  if (a === b) return 0;
  const signA = signOf(a);
  const signB = signOf(b);
  if (signA !== signB) return signA < signB ? -1 : 1;
  const offset = signA < 0 ? 1 : 0;
  let intA = a.indexOf('.');
  if (intA < 0) intA = a.length;
  let intB = b.indexOf('.');
  if (intB < 0) intB = b.length;
  let magnitude: -1 | 0 | 1;
  if (intA !== intB) {
    magnitude = intA < intB ? -1 : 1;
  } else {
    magnitude = 0;
    const length = Math.min(a.length, b.length);
    for (let i = offset; i < length; i++) {
      const x = a.charCodeAt(i);
      const y = b.charCodeAt(i);
      if (x !== y) {
        magnitude = x < y ? -1 : 1;
        break;
      }
    }
    if (magnitude === 0) magnitude = a.length < b.length ? -1 : 1;
  }
  return signA < 0 ? (-magnitude as -1 | 1) : magnitude;
}

/** Canonical integers short enough that their sum is exact as a double (|sum| < 2^53). */
function isSmallInteger(text: string): boolean {
  return text.length <= 15 && isCanonicalInteger(text);
}

/** value = coefficient × 10^scaleExponent, with an integer (BigInt) coefficient. */
function toCoefficient(value: Decimal): { coefficient: bigint; power: number } {
  if (value.digits === '') return { coefficient: 0n, power: 0 };
  const coefficient = BigInt(value.digits);
  return { coefficient: value.negative ? -coefficient : coefficient, power: value.exponent - value.digits.length + 1 };
}

function addDecimals(a: Decimal, b: Decimal): string {
  const x = toCoefficient(a);
  const y = toCoefficient(b);
  const power = Math.min(x.power, y.power);
  const sum = x.coefficient * 10n ** BigInt(x.power - power) + y.coefficient * 10n ** BigInt(y.power - power);
  if (sum === 0n) return '0';
  const negative = sum < 0n;
  let text = (negative ? -sum : sum).toString();
  let end = text.length;
  while (text.charCodeAt(end - 1) === CHAR_0) end--;
  const exponent = power + text.length - 1;
  text = text.slice(0, end);
  // DynamoDB checks an arithmetic result like a stored number: range first, then precision. It does not round.
  checkRange(exponent);
  if (text.length > MAX_SIGNIFICANT_DIGITS) throw validationError(TOO_MANY_DIGITS_MESSAGE);
  return formatDecimal({ negative, digits: text, exponent });
}

/**
 * `a + b` exactly (UpdateExpression `SET x = x + :v`, `ADD`), both operands valid numbers, result normalized.
 * Throws DynamoDB's overflow / underflow / 38-digit ValidationException when the result cannot be stored.
 */
export function addNumbers(a: string, b: string): string {
  if (isSmallInteger(a) && isSmallInteger(b)) return String(Number(a) + Number(b));
  return addDecimals(parseNumber(a), parseNumber(b));
}

/** `a - b` exactly; see addNumbers. */
export function subtractNumbers(a: string, b: string): string {
  if (isSmallInteger(a) && isSmallInteger(b)) return String(Number(a) - Number(b));
  const y = parseNumber(b);
  return addDecimals(parseNumber(a), y.digits === '' ? y : { ...y, negative: !y.negative });
}
