/**
 * SigV4's canonical request and string to sign, computed from a request as the server received it.
 *
 * The rules (AWS General Reference, "Create a canonical request"), as services other than S3 apply them:
 * - the URI path has its dot segments and empty segments removed, then every byte outside the unreserved set
 *   (A-Z a-z 0-9 - _ . ~) and `/` is percent-encoded. The path arrives already encoded once, so `%` itself is
 *   encoded again: clients double-encode for every service but S3, and the server must do the same;
 * - the query string is split into name=value pairs, each decoded then re-encoded with the same unreserved set
 *   (upper-case hex), and sorted by name, then by value; in the presigned form the signature parameter itself
 *   is left out;
 * - each signed header is `name:value`, the name lower-case, the value's leading and trailing white space
 *   removed and inner runs of white space collapsed to one space, several occurrences joined with commas in the
 *   order they arrived;
 * - then the signed header names joined with `;`, then the hex SHA-256 of the payload.
 */
import { createHash, hash } from 'node:crypto';

export const ALGORITHM = 'AWS4-HMAC-SHA256';

/** What the canonical request is built from: the request line and headers exactly as received. */
export interface CanonicalInput {
  readonly method: string;
  /** The raw path of the request target (before `?`), still percent-encoded as sent. */
  readonly path: string;
  /** The raw query string (without `?`), or '' when there is none. */
  readonly query: string;
  /** Header name (lower-case) -> its values in arrival order. */
  readonly headers: ReadonlyMap<string, readonly string[]>;
  /** The signed header names, lower-case, in the order the signer listed them. */
  readonly signedHeaders: readonly string[];
  /** Hex SHA-256 of the payload. */
  readonly payloadHash: string;
  /** Leave this query parameter out (`X-Amz-Signature` in the presigned form). */
  readonly excludeQueryParameter?: string;
}

/** RFC 3986 section 5.2.4 dot-segment removal, plus the removal of empty segments that AWS services apply. */
export function normalizePath(path: string): string {
  if (path === '') return '/';
  const output: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') output.pop();
    else output.push(segment);
  }
  const first = path.startsWith('/') ? '/' : '';
  const last = path.endsWith('/') && output.length > 0 ? '/' : '';
  return first + output.join('/') + last;
}

const HEX = '0123456789ABCDEF';

function isUnreserved(byte: number): boolean {
  return (
    (byte >= 0x41 && byte <= 0x5a) || // A-Z
    (byte >= 0x61 && byte <= 0x7a) || // a-z
    (byte >= 0x30 && byte <= 0x39) || // 0-9
    byte === 0x2d || // -
    byte === 0x5f || // _
    byte === 0x2e || // .
    byte === 0x7e // ~
  );
}

/** Percent-encodes every UTF-8 byte outside the unreserved set (and `/` when `keepSlash`), upper-case hex. */
export function uriEncode(text: string, keepSlash: boolean): string {
  // Most values (`/`, hex digests, dates) need no encoding: answer them without building anything.
  let plain = true;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!(code < 0x80 && (isUnreserved(code) || (keepSlash && code === 0x2f)))) {
      plain = false;
      break;
    }
  }
  if (plain) return text;
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    if (isUnreserved(byte) || (keepSlash && byte === 0x2f)) out += String.fromCharCode(byte);
    else out += `%${HEX[byte >> 4]}${HEX[byte & 15]}`;
  }
  return out;
}

/** The canonical URI: the received (once-encoded) path normalised, then encoded again. */
export function canonicalUri(path: string): string {
  return path === '/' ? '/' : uriEncode(normalizePath(path), true);
}

/**
 * Decodes `%XX` escapes; an escape that is not two hex digits, or bytes that are not UTF-8, are kept as they
 * are (the signature then simply fails to match). `+` is a plus sign here, not a space: query strings are
 * signed under URI rules, not form rules.
 */
export function percentDecode(text: string): string {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  }
}

/** The canonical query string: pairs decoded, re-encoded, sorted by name then value, joined with `&`. */
export function canonicalQuery(query: string, exclude?: string): string {
  if (query === '') return '';
  const pairs: Array<readonly [string, string]> = [];
  for (const part of query.split('&')) {
    if (part === '') continue;
    const equals = part.indexOf('=');
    const name = uriEncode(percentDecode(equals === -1 ? part : part.slice(0, equals)), false);
    const value = equals === -1 ? '' : uriEncode(percentDecode(part.slice(equals + 1)), false);
    if (exclude !== undefined && name === exclude) continue;
    pairs.push([name, value]);
  }
  pairs.sort(([nameA, valueA], [nameB, valueB]) => (nameA < nameB ? -1 : nameA > nameB ? 1 : valueA < valueB ? -1 : valueA > valueB ? 1 : 0));
  return pairs.map(([name, value]) => `${name}=${value}`).join('&');
}

/** A header value as signed: trimmed, inner runs of white space collapsed to one space. */
export function canonicalHeaderValue(value: string): string {
  const trimmed = value.trim();
  return /\s\s|[\t\r\n\f\v]/.test(trimmed) ? trimmed.replace(/\s+/g, ' ') : trimmed;
}

/**
 * Header name (lower-case) -> values in arrival order, from node's `rawHeaders` (name, value, name, value...).
 * node's `headers` object drops or joins repeated headers by its own rules; SigV4 joins every repetition.
 */
export function headerValues(rawHeaders: readonly string[]): Map<string, string[]> {
  const values = new Map<string, string[]>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] as string).toLowerCase();
    const value = rawHeaders[i + 1] as string;
    const list = values.get(name);
    if (list === undefined) values.set(name, [value]);
    else list.push(value);
  }
  return values;
}

export function canonicalRequest(input: CanonicalInput): string {
  let headers = '';
  for (const name of input.signedHeaders) {
    const values = input.headers.get(name);
    // A signed header the request lacks contributes no line (the signer could not have signed a value for it).
    if (values === undefined) continue;
    headers += `${name}:${values.length === 1 ? canonicalHeaderValue(values[0] as string) : values.map(canonicalHeaderValue).join(',')}\n`;
  }
  return `${input.method}\n${canonicalUri(input.path)}\n${canonicalQuery(input.query, input.excludeQueryParameter)}\n${headers}\n${input.signedHeaders.join(';')}\n${input.payloadHash}`;
}

/** One-shot hashing (node 20.12+) allocates no Hash object; it is on every verified request, twice. */
const oneShot: typeof hash | undefined = typeof hash === 'function' ? hash : undefined;

export function sha256Hex(data: string | Buffer): string {
  return oneShot !== undefined ? oneShot('sha256', data, 'hex') : createHash('sha256').update(data).digest('hex');
}

/** `AWS4-HMAC-SHA256\n<timestamp>\n<scope>\n<hex SHA-256 of the canonical request>`. */
export function stringToSign(timestamp: string, scope: string, canonical: string): string {
  return `${ALGORITHM}\n${timestamp}\n${scope}\n${sha256Hex(canonical)}`;
}
