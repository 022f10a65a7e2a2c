/**
 * The authentication checks DynamoDB applies before it looks at the body, and the region of the request.
 *
 * Order and texts, as DynamoDB answers them (all `com.amazon.coral.service`, HTTP 400):
 * 1. an Authorization header *and* an `X-Amz-Algorithm` query parameter: InvalidSignatureException;
 * 2. neither, or a header not starting with `AWS4-`: MissingAuthenticationTokenException
 *    `Request is missing Authentication Token`;
 * 3. a header lacking Credential / Signature / SignedHeaders, or a request with neither X-Amz-Date nor Date:
 *    IncompleteSignatureException listing every missing part, then `Authorization=<the header>`;
 *    query-string signing lacking one of its five parameters: the same exception, listing them.
 * Verifying the signature itself (date format and skew, credential scope, the HMAC) comes with the security
 * work; until then any well-formed signature is accepted.
 *
 * The region is the third element of the credential scope (`AKID/20260101/us-west-2/dynamodb/aws4_request`):
 * DynamoDB tables live in a region, so it selects the table namespace.
 */
import { DynamoDbError } from '../errors.js';

const HEADER_PARAMETERS = ['Credential', 'Signature', 'SignedHeaders'] as const;
const QUERY_PARAMETERS = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-SignedHeaders', 'X-Amz-Date'] as const;

function coralError(type: string, message: string): DynamoDbError {
  return new DynamoDbError(type, message, 400, 'com.amazon.coral.service');
}

/**
 * Checks a request's authentication parts and returns its region (`defaultRegion` when the scope has none).
 * `query` is the raw query string (without `?`), or undefined when the URL has none.
 */
export function authorize(
  authorization: string | undefined,
  hasDateHeader: boolean,
  query: string | undefined,
  defaultRegion: string,
): string {
  const params = query === undefined || query === '' ? undefined : new URLSearchParams(query);
  const queryAuth = params?.has('X-Amz-Algorithm') ?? false;
  if (authorization !== undefined && queryAuth) {
    throw coralError(
      'InvalidSignatureException',
      "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.",
    );
  }
  if ((authorization === undefined && !queryAuth) || (authorization !== undefined && !authorization.trim().startsWith('AWS4-'))) {
    throw coralError('MissingAuthenticationTokenException', 'Request is missing Authentication Token');
  }
  if (authorization !== undefined) {
    const values = headerParameters(authorization);
    let missing = '';
    for (const name of HEADER_PARAMETERS) {
      if (!values.get(name)) missing += `Authorization header requires '${name}' parameter. `;
    }
    if (!hasDateHeader) missing += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
    if (missing !== '') throw coralError('IncompleteSignatureException', `${missing}Authorization=${authorization}`);
    return regionOf(values.get('Credential'), defaultRegion);
  }
  let missing = '';
  for (const name of QUERY_PARAMETERS) {
    if (!params?.get(name)) missing += `AWS query-string parameters must include '${name}'. `;
  }
  if (missing !== '') throw coralError('IncompleteSignatureException', `${missing}Re-examine the query-string parameters.`);
  return regionOf(params?.get('X-Amz-Credential') ?? undefined, defaultRegion);
}

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

function regionOf(credential: string | undefined, defaultRegion: string): string {
  if (credential === undefined) return defaultRegion;
  const first = credential.indexOf('/');
  const second = first === -1 ? -1 : credential.indexOf('/', first + 1);
  const third = second === -1 ? -1 : credential.indexOf('/', second + 1);
  if (third === -1) return defaultRegion;
  const region = credential.slice(second + 1, third);
  return region === '' ? defaultRegion : region;
}
