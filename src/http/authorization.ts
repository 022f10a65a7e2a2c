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
 * Without `--auth` that is all: any well-formed signature is accepted (Cairn as a drop-in local DynamoDB). With
 * it, the signature is then verified against the file's keys (src/auth/sigv4-verify.ts).
 *
 * The region is the third element of the credential scope (`AKID/20260101/us-west-2/dynamodb/aws4_request`):
 * DynamoDB tables live in a region, so it selects the table namespace.
 */
import type { AuthDirectory } from '../auth/auth-file.js';
import { headerParameters } from '../auth/authorization-header.js';
import type { Principal } from '../auth/principal.js';
import { headerValues } from '../auth/sigv4-canonical.js';
import { verifySignature } from '../auth/sigv4-verify.js';
import { DynamoDbError } from '../errors.js';

export { headerParameters };

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
  // The header every SDK sends, with no query string: its region without parsing it into a map. Anything else (and
  // every error) takes the general checks below.
  if (authorization !== undefined && hasDateHeader && (query === undefined || query === '')) {
    const match = SDK_AUTHORIZATION.exec(authorization);
    if (match !== null) return regionOf(match[1], defaultRegion);
  }
  return checkShape(authorization, hasDateHeader, query, defaultRegion).region;
}

/**
 * `AWS4-HMAC-SHA256 Credential=<scope>, SignedHeaders=<names>, Signature=<hex>` exactly: a header that the general
 * checks accept too, with the same Credential (no value holds a comma, a space or an `=`).
 */
const SDK_AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^,= ]+), ?SignedHeaders=[^,= ]+, ?Signature=[0-9a-f]+$/;

/** authorize's checks; also hands on the Authorization header's parameters, so that verification parses it once. */
function checkShape(
  authorization: string | undefined,
  hasDateHeader: boolean,
  query: string | undefined,
  defaultRegion: string,
): { region: string; parameters?: Map<string, string> } {
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
    return { region: regionOf(values.get('Credential'), defaultRegion), parameters: values };
  }
  let missing = '';
  for (const name of QUERY_PARAMETERS) {
    if (!params?.get(name)) missing += `AWS query-string parameters must include '${name}'. `;
  }
  if (missing !== '') throw coralError('IncompleteSignatureException', `${missing}Re-examine the query-string parameters.`);
  return { region: regionOf(params?.get('X-Amz-Credential') ?? undefined, defaultRegion) };
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

/** What authentication tells the rest of the request: its table namespace's region and, with `--auth`, who signed. */
export interface Authenticated {
  readonly region: string;
  readonly principal?: Principal;
}

/** The parts of a received request that authentication reads. */
export interface ReceivedRequest {
  readonly method: string;
  /** The request target as sent (path and query). */
  readonly url: string;
  /** node's `rawHeaders`: name, value, name, value... in arrival order. */
  readonly rawHeaders: readonly string[];
  readonly authorization: string | undefined;
  readonly hasDateHeader: boolean;
  /** The body as sent, before any Content-Encoding is decoded. */
  readonly body: Buffer;
}

/**
 * The shape checks, then (with `directory`, the `--auth` file) the signature itself. `now` is the server's clock.
 */
export function authenticate(request: ReceivedRequest, directory: AuthDirectory | undefined, defaultRegion: string, now: number): Authenticated {
  const queryAt = request.url.indexOf('?');
  const query = queryAt === -1 ? undefined : request.url.slice(queryAt + 1);
  const { region, parameters } = checkShape(request.authorization, request.hasDateHeader, query, defaultRegion);
  if (directory === undefined) return { region };
  return verifySignature(
    {
      method: request.method,
      path: queryAt === -1 ? request.url : request.url.slice(0, queryAt),
      query: query ?? '',
      headers: headerValues(request.rawHeaders),
      body: request.body,
      ...(parameters !== undefined ? { authorizationParameters: parameters } : {}),
    },
    directory,
    now,
  );
}
