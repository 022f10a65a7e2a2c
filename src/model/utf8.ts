/**
 * UTF-8 measurements and ordering on JS strings, without encoding them. DynamoDB sizes names and strings in UTF-8
 * bytes and orders strings by their UTF-8 bytes, while JS strings are UTF-16: the two orders differ for characters
 * above U+FFFF (surrogate pairs) against U+E000..U+FFFF, so `a < b` on JS strings is not DynamoDB's order.
 */

/** The UTF-8 byte length of a string (lone surrogates count 3 bytes, as their U+FFFD replacement does). */
export function utf8Length(text: string): number {
  const length = text.length;
  // Node's native count is faster once a string is more than a few characters (it counts lone surrogates as
  // their 3-byte replacement too).
  if (length > 24) return Buffer.byteLength(text, 'utf8');
  let bytes = length;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) continue;
    if (code < 0x800) {
      bytes += 1;
    } else if (code >= 0xd800 && code <= 0xdbff && i + 1 < length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        // A surrogate pair: 2 UTF-16 units, 4 UTF-8 bytes.
        bytes += 2;
        i++;
      } else {
        bytes += 2;
      }
    } else {
      bytes += 2;
    }
  }
  return bytes;
}

/**
 * Compares two strings in UTF-8 byte order (= Unicode code point order), the order DynamoDB sorts string keys in
 * and compares S values with.
 */
export function compareUtf8(a: string, b: string): -1 | 0 | 1 {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (0xD800..0xDFFF) encode code points above 0xFFFF, so they sort after every other unit; among
    // themselves, and among non-surrogates, UTF-16 unit order already is code point order.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}
