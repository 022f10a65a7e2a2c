/** Parsing of the SigV4 Authorization header's parameters (shared by the shape checks and verification). */
/**
 * `AWS4-HMAC-SHA256 Credential=a/b/c/d/e, SignedHeaders=x;y, Signature=z` -> its key=value parameters. The first
 * token is the algorithm; parameters are separated by commas and/or spaces. A value is what follows the first
 * `=` up to the next `=` (base64-free hex signatures never contain one).
 */
export function headerParameters(authorization: string): Map<string, string> {
  // A scan rather than split(/[, ]/): this runs on every request, and the array of tokens is garbage at once.
  const values = new Map<string, string>();
  const length = authorization.length;
  let start = 0;
  let first = true;
  while (start <= length) {
    let end = start;
    while (end < length) {
      const code = authorization.charCodeAt(end);
      if (code === 0x2c || code === 0x20) break;
      end++;
    }
    if (first) first = false;
    else {
      const token = authorization.slice(start, end).trim();
      if (token !== '') {
        const equals = token.indexOf('=');
        if (equals === -1) values.set(token, '');
        else {
          const next = token.indexOf('=', equals + 1);
          values.set(token.slice(0, equals), token.slice(equals + 1, next === -1 ? undefined : next));
        }
      }
    }
    start = end + 1;
  }
  return values;
}
