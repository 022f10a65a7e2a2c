/**
 * Binary attribute values travel (and are kept) as base64 strings. DynamoDB's decoder is strict: it accepts only
 * canonical base64 (length a multiple of 4, padding only at the end, no stray bits in the last character), so a
 * valid string maps to exactly one byte sequence and two binaries are equal exactly when their strings are.
 */

/** 0..63 for a base64 alphabet character, -1 otherwise. */
const DIGIT_VALUE = (() => {
  const table = new Int8Array(128).fill(-1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i;
  return table;
})();

const PAD = 0x3d; // '='

function digitValue(code: number): number {
  return code < 128 ? (DIGIT_VALUE[code] ?? -1) : -1;
}

/** Whether `text` is canonical base64 (the empty string is: it is the empty binary). Assumes length % 4 === 0. */
export function isCanonicalBase64(text: string): boolean {
  const length = text.length;
  if (length % 4 !== 0) return false;
  if (length === 0) return true;
  let padding = 0;
  if (text.charCodeAt(length - 1) === PAD) padding = text.charCodeAt(length - 2) === PAD ? 2 : 1;
  const dataEnd = length - padding;
  for (let i = 0; i < dataEnd; i++) if (digitValue(text.charCodeAt(i)) < 0) return false;
  if (padding === 0) return true;
  // The bits of the last data character beyond the encoded bytes must be zero, or two strings would decode to
  // the same bytes (DynamoDB rejects them: "Invalid last non-pad Base64 character dectected").
  const last = digitValue(text.charCodeAt(dataEnd - 1));
  return padding === 2 ? (last & 0x0f) === 0 : (last & 0x03) === 0;
}

/** The number of bytes a (valid) base64 string decodes to, computed without decoding. */
export function base64DecodedLength(text: string): number {
  const length = text.length;
  if (length === 0) return 0;
  let padding = 0;
  if (text.charCodeAt(length - 1) === PAD) padding = text.charCodeAt(length - 2) === PAD ? 2 : 1;
  return (length / 4) * 3 - padding;
}

/** Decodes a (valid) base64 string. */
export function base64ToBytes(text: string): Uint8Array {
  return Buffer.from(text, 'base64');
}

/** Compares two (valid) base64 strings by the unsigned bytes they encode: DynamoDB's order for B values. */
export function compareBase64Bytes(a: string, b: string): -1 | 0 | 1 {
  if (a === b) return 0;
  const result = Buffer.compare(base64ToBytes(a), base64ToBytes(b));
  return result < 0 ? -1 : result > 0 ? 1 : 0;
}
