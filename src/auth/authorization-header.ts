/** Parsing of the SigV4 Authorization header's parameters (shared by the shape checks and verification). */
/**
 * `AWS4-HMAC-SHA256 Credential=a/b/c/d/e, SignedHeaders=x;y, Signature=z` -> its key=value parameters. The first
 * token is the algorithm; parameters are separated by commas and/or spaces. A value is what follows the first
 * `=` up to the next `=` (base64-free hex signatures never contain one).
 */
export function headerParameters(authorization: string): Map<string, string> {
  const values = new Map<string, string>();
  const tokens = authorization.split(/[, ]/);
  for (let i = 1; i < tokens.length; i++) {
    const token = (tokens[i] as string).trim();
    if (token === '') continue;
    const equals = token.indexOf('=');
    if (equals === -1) {
      values.set(token, '');
      continue;
    }
    const next = token.indexOf('=', equals + 1);
    values.set(token.slice(0, equals), token.slice(equals + 1, next === -1 ? undefined : next));
  }
  return values;
}
