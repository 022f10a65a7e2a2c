/**
 * Verifies a request's SigV4 signature against the keys of the `--auth` file, in the order DynamoDB checks it,
 * with its errors (all `com.amazon.coral.service`, HTTP 400). The shape checks that come first (an Authorization
 * header or the query parameters at all, their required parts) are authorization.ts's; then:
 *  1. the request time: `X-Amz-Date` (or `Date`) in ISO 8601 basic format, else IncompleteSignatureException
 *     `Date must be in ISO-8601 'basic format'. Got '<value>'. See http://en.wikipedia.org/wiki/ISO_8601`; more
 *     than 15 minutes from the server's clock: InvalidSignatureException `Signature expired: <date> is now earlier
 *     than <now - 15 min> (<now> - 15 min.)` or `Signature not yet current: <date> is still later than
 *     <now + 15 min> (<now> + 15 min.)`; in the presigned form, past `X-Amz-Expires` seconds after it;
 *  2. `host` among the signed headers, else InvalidSignatureException;
 *  3. the algorithm `AWS4-HMAC-SHA256`, else IncompleteSignatureException `Unsupported AWS 'algorithm'`;
 *  4. the credential `keyid/date/region/service/aws4_request` (trailing slashes ignored), else
 *     IncompleteSignatureException `Credential must have exactly 5 slash-delimited elements...`;
 *  5. its scope: every mismatch of region, service (`dynamodb`), terminator and date (the request time's day)
 *     reported together in one InvalidSignatureException;
 *  6. the access key: unknown, UnrecognizedClientException `The security token included in the request is
 *     invalid.`;
 *  7. the signature, compared in constant time: InvalidSignatureException `The request signature we calculated
 *     does not match...`, followed (as DynamoDB does) by the canonical request and string to sign it expected;
 *  8. the session token (X-Amz-Security-Token): required with, and only with, a session's key and equal to its
 *     token, else UnrecognizedClientException; past the session's expiration, ExpiredTokenException.
 * The texts of steps 1-7 are those DynamoDB answers (recorded against it by dynalite and in client reports);
 * the presigned expiry text and the X-Amz-Expires range text are Cairn's own (marked where they are produced).
 */
import { DynamoDbError } from '../errors.js';
import { headerParameters } from './authorization-header.js';
import type { AuthDirectory } from './auth-file.js';
import type { Principal } from './principal.js';
import { ALGORITHM, canonicalRequest, percentDecode, sha256Hex, stringToSign } from './sigv4-canonical.js';
import { sign, signingKey } from './signing-key.js';

/** The request as received, for verification. */
export interface SignedRequest {
  readonly method: string;
  /** Raw path (before `?`), as sent. */
  readonly path: string;
  /** Raw query string without `?` ('' when none). */
  readonly query: string;
  /** Header name (lower-case) -> values in arrival order. */
  readonly headers: ReadonlyMap<string, readonly string[]>;
  /** The body as sent (before any Content-Encoding is decoded): what the payload hash covers. */
  readonly body: Buffer;
  /** The Authorization header's parameters, when the caller has parsed them already. */
  readonly authorizationParameters?: ReadonlyMap<string, string>;
}

export interface Verified {
  readonly region: string;
  readonly principal: Principal;
}

/** How far the request time may be from the server's clock. */
const MAX_SKEW_MS = 15 * 60 * 1000;
/** The longest X-Amz-Expires SigV4 allows: seven days. */
const MAX_EXPIRES_SECONDS = 604_800;
const SERVICE = 'dynamodb';
const TERMINATOR = 'aws4_request';
/** A region name as AWS spells them: `us-east-1`, `us-gov-west-1`, `ap-southeast-2`... */
const REGION = /^[a-z]{2,}(?:-[a-z0-9]+)*-\d+$/;
const ISO_BASIC = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

function coralError(type: string, message: string): DynamoDbError {
  return new DynamoDbError(type, message, 400, 'com.amazon.coral.service');
}

const invalidSignature = (message: string): DynamoDbError => coralError('InvalidSignatureException', message);
const incompleteSignature = (message: string): DynamoDbError => coralError('IncompleteSignatureException', message);

/** The parts of a signature, from the Authorization header or the presigned query parameters. */
interface SignatureParts {
  readonly algorithm: string;
  readonly credential: string;
  readonly signedHeaders: string;
  readonly signature: string;
  /** The request time as sent: X-Amz-Date, or the Date header. */
  readonly timestamp: string;
  /** Whether `timestamp` came from the Date header (RFC 7231 form) rather than X-Amz-Date. */
  readonly fromDateHeader: boolean;
  readonly securityToken: string | undefined;
  /** Presigned form only: X-Amz-Expires as sent. */
  readonly expires: string | undefined;
  readonly presigned: boolean;
}

/**
 * Verifies `request` (whose shape authorization.ts has already checked) and returns its region and principal, or
 * throws DynamoDB's error. `now` is the server's clock (epoch ms).
 */
export function verifySignature(request: SignedRequest, directory: AuthDirectory, now: number): Verified {
  const parts = signatureParts(request);

  // 1. The request time.
  const requestTime = parseRequestTime(parts);
  if (parts.presigned && parts.expires !== undefined) checkPresignedTime(parts, requestTime.ms, now);
  else checkSkew(requestTime.iso, requestTime.ms, now);

  // 2. host must be signed.
  const signedHeaders = parts.signedHeaders.split(';').map((name) => name.toLowerCase());
  if (!signedHeaders.includes('host')) throw invalidSignature("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");

  // 3. The algorithm.
  if (parts.algorithm !== ALGORITHM) throw incompleteSignature(`Unsupported AWS 'algorithm': '${parts.algorithm}' (only AWS4-HMAC-SHA256 for now). `);

  // 4. The credential's five elements.
  const elements = parts.credential.replace(/\/+$/, '').split('/');
  if (elements.length !== 5) {
    throw incompleteSignature(`Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${parts.credential}'`);
  }
  const [accessKeyId, scopeDate, region, service, terminator] = elements as [string, string, string, string, string];

  // 5. The scope, every mismatch at once.
  const day = requestTime.iso.slice(0, 8);
  let scopeErrors = '';
  if (!REGION.test(region)) scopeErrors += `Credential should be scoped to a valid region, not '${region}'. `;
  if (service !== SERVICE) scopeErrors += `Credential should be scoped to correct service: '${SERVICE}'. `;
  if (terminator !== TERMINATOR) scopeErrors += `Credential should be scoped with a valid terminator: '${TERMINATOR}', not '${terminator}'. `;
  if (scopeDate !== day) {
    scopeErrors += `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${day}', from '${requestTime.iso}'.`;
  }
  if (scopeErrors !== '') throw invalidSignature(scopeErrors);

  // 6. The key.
  const key = directory.key(accessKeyId);
  if (key === undefined) throw coralError('UnrecognizedClientException', 'The security token included in the request is invalid.');

  // 7. The signature.
  const actualPayloadHash = sha256Hex(request.body);
  // A signed x-amz-content-sha256 is the payload hash the signer used; it must also be the body's.
  const declaredPayloadHash = signedHeaders.includes('x-amz-content-sha256') ? request.headers.get('x-amz-content-sha256')?.[0]?.trim() : undefined;
  const canonical = canonicalRequest({
    method: request.method,
    path: request.path,
    query: request.query,
    headers: request.headers,
    signedHeaders,
    payloadHash: declaredPayloadHash ?? actualPayloadHash,
    ...(parts.presigned ? { excludeQueryParameter: 'X-Amz-Signature' } : {}),
  });
  const scope = `${scopeDate}/${region}/${SERVICE}/${TERMINATOR}`;
  const toSign = stringToSign(requestTime.iso, scope, canonical);
  const expected = sign(signingKey(key.secretAccessKey, scopeDate, region), toSign);
  if (!sameText(expected, parts.signature) || (declaredPayloadHash !== undefined && declaredPayloadHash !== actualPayloadHash)) {
    // What the server expected: with the body's own hash, whatever hash the request declared.
    const expectedCanonical =
      declaredPayloadHash === undefined || declaredPayloadHash === actualPayloadHash
        ? canonical
        : canonical.slice(0, canonical.length - declaredPayloadHash.length) + actualPayloadHash;
    const expectedToSign = expectedCanonical === canonical ? toSign : stringToSign(requestTime.iso, scope, expectedCanonical);
    throw invalidSignature(
      `${SIGNATURE_MISMATCH}\n\nThe Canonical String for this request should have been\n'${expectedCanonical}'\n\nThe String-to-Sign should have been\n'${expectedToSign}'\n`,
    );
  }

  // 8. The session token. DynamoDB's text for a token that does not match has no final period.
  if (key.session === undefined) {
    if (parts.securityToken !== undefined) throw coralError('UnrecognizedClientException', 'The security token included in the request is invalid');
  } else {
    if (parts.securityToken === undefined) throw coralError('UnrecognizedClientException', 'The security token included in the request is invalid.');
    if (!sameText(parts.securityToken, key.session.token)) {
      throw coralError('UnrecognizedClientException', 'The security token included in the request is invalid');
    }
    if (now >= key.session.expiresAt) throw coralError('ExpiredTokenException', 'The security token included in the request is expired');
  }
  return { region, principal: key.principal };
}

function signatureParts(request: SignedRequest): SignatureParts {
  const authorization = request.headers.get('authorization')?.[0];
  const xAmzDate = request.headers.get('x-amz-date')?.[0];
  if (authorization !== undefined) {
    const trimmed = authorization.trim();
    const space = trimmed.search(/\s/);
    const values = request.authorizationParameters ?? headerParameters(trimmed);
    const fromDateHeader = xAmzDate === undefined;
    return {
      algorithm: space === -1 ? trimmed : trimmed.slice(0, space),
      credential: values.get('Credential') ?? '',
      signedHeaders: values.get('SignedHeaders') ?? '',
      signature: values.get('Signature') ?? '',
      timestamp: (fromDateHeader ? request.headers.get('date')?.[0] : xAmzDate) ?? '',
      fromDateHeader,
      securityToken: request.headers.get('x-amz-security-token')?.[0],
      expires: undefined,
      presigned: false,
    };
  }
  const params = queryParameters(request.query);
  return {
    algorithm: params.get('X-Amz-Algorithm') ?? '',
    credential: params.get('X-Amz-Credential') ?? '',
    signedHeaders: params.get('X-Amz-SignedHeaders') ?? '',
    signature: params.get('X-Amz-Signature') ?? '',
    timestamp: params.get('X-Amz-Date') ?? '',
    fromDateHeader: false,
    securityToken: params.get('X-Amz-Security-Token'),
    expires: params.get('X-Amz-Expires'),
    presigned: true,
  };
}

/** The first value of each query parameter, decoded under URI rules (`+` stays a plus sign). */
function queryParameters(query: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const part of query.split('&')) {
    if (part === '') continue;
    const equals = part.indexOf('=');
    const name = percentDecode(equals === -1 ? part : part.slice(0, equals));
    if (!params.has(name)) params.set(name, equals === -1 ? '' : percentDecode(part.slice(equals + 1)));
  }
  return params;
}

/** The request time as ISO 8601 basic (`20260101T000000Z`) and epoch ms. */
function parseRequestTime(parts: SignatureParts): { iso: string; ms: number } {
  const badDate = (): DynamoDbError =>
    incompleteSignature(`Date must be in ISO-8601 'basic format'. Got '${parts.timestamp}'. See http://en.wikipedia.org/wiki/ISO_8601`);
  if (parts.fromDateHeader) {
    // The Date header is an HTTP date (`Thu, 01 Jan 2026 00:00:00 GMT`); the signer used its ISO basic form.
    if (!/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(parts.timestamp.trim())) throw badDate();
    const ms = Date.parse(parts.timestamp);
    if (Number.isNaN(ms)) throw badDate();
    return { iso: isoBasic(ms), ms };
  }
  const text = parts.timestamp;
  if (!ISO_BASIC.test(text)) throw badDate();
  const digits = (from: number, to: number): number => {
    let value = 0;
    for (let i = from; i < to; i++) value = value * 10 + text.charCodeAt(i) - 0x30;
    return value;
  };
  const year = digits(0, 4);
  const month = digits(4, 6);
  const date = digits(6, 8);
  const hours = digits(9, 11);
  const minutes = digits(11, 13);
  const seconds = digits(13, 15);
  // Date.UTC would roll 20260231 over into March: a date that does not exist is no date.
  if (month < 1 || month > 12 || date < 1 || date > daysInMonth(year, month) || hours > 23 || minutes > 59 || seconds > 59) throw badDate();
  return { iso: text, ms: Date.UTC(year, month - 1, date, hours, minutes, seconds) };
}

function checkSkew(iso: string, ms: number, now: number): void {
  if (ms < now - MAX_SKEW_MS) {
    throw invalidSignature(`Signature expired: ${iso} is now earlier than ${isoBasic(now - MAX_SKEW_MS)} (${isoBasic(now)} - 15 min.)`);
  }
  if (ms > now + MAX_SKEW_MS) {
    throw invalidSignature(`Signature not yet current: ${iso} is still later than ${isoBasic(now + MAX_SKEW_MS)} (${isoBasic(now)} + 15 min.)`);
  }
}

/**
 * A presigned request is valid from 15 minutes before its X-Amz-Date (clock skew) until X-Amz-Expires seconds
 * after it. The texts for a bad X-Amz-Expires and for a request past it are Cairn's: DynamoDB's are not recorded.
 */
function checkPresignedTime(parts: SignatureParts, ms: number, now: number): void {
  const text = parts.expires ?? '';
  const seconds = /^\d{1,7}$/.test(text) ? Number(text) : Number.NaN;
  if (!(seconds >= 1 && seconds <= MAX_EXPIRES_SECONDS)) {
    throw incompleteSignature(`X-Amz-Expires must be a whole number of seconds from 1 to ${MAX_EXPIRES_SECONDS}, not '${text}'.`);
  }
  const iso = parts.timestamp;
  if (ms > now + MAX_SKEW_MS) {
    throw invalidSignature(`Signature not yet current: ${iso} is still later than ${isoBasic(now + MAX_SKEW_MS)} (${isoBasic(now)} + 15 min.)`);
  }
  if (now > ms + seconds * 1000) {
    throw invalidSignature(`Signature expired: ${iso} is now earlier than ${isoBasic(now - seconds * 1000)} (${isoBasic(now)} - ${seconds} sec.)`);
  }
}

/** `20260101T000000Z` of an epoch-ms instant (whole seconds). */
export function isoBasic(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/[-:]/g, '').replace('.000', '');
}

function daysInMonth(year: number, month: number): number {
  return month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Equality of two strings in time that depends on their lengths only: every character is compared, whatever
 * differs first, so that the time taken tells nothing about how much of a guessed signature (or token) was right.
 * (A loop rather than crypto.timingSafeEqual: that needs two Buffers made per request.)
 */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}
