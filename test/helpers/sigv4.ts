/**
 * Requests signed (or presigned) with the SDK's own signer (@smithy/signature-v4, what every JS SDK client signs
 * with), for wire tests that must control the date, the headers or the body, and send them raw.
 */
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { HttpRequest, SourceData } from '@smithy/types';
import type { TestCredentials } from './cairn.js';

/** node:crypto behind the signer's hash interface. */
class Sha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

function bytes(data: SourceData): string | Uint8Array {
  if (typeof data === 'string') return data;
  return data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

export interface SignOptions {
  credentials: TestCredentials;
  /** The server's URL (`http://127.0.0.1:PORT`). */
  url: string;
  target: string;
  body: string;
  region?: string;
  service?: string;
  date?: Date;
  /** Extra headers, signed with the rest. */
  headers?: Record<string, string>;
  /** Presign (query-string form) instead of an Authorization header, valid this many seconds. */
  presignExpires?: number;
}

export interface SignedRaw {
  /** Path and query to send. */
  path: string;
  headers: Record<string, string>;
  body: string;
}

function request(options: SignOptions): HttpRequest {
  const url = new URL(options.url);
  return {
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    query: {},
    headers: {
      host: url.host,
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': options.target,
      ...options.headers,
    },
    body: options.body,
  };
}

export async function signRaw(options: SignOptions): Promise<SignedRaw> {
  const signer = new SignatureV4({
    credentials: options.credentials,
    region: options.region ?? 'us-east-1',
    service: options.service ?? 'dynamodb',
    sha256: Sha256,
  });
  const unsigned = request(options);
  const signed =
    options.presignExpires === undefined
      ? await signer.sign(unsigned, { signingDate: options.date ?? new Date() })
      : // X-Amz-Target stays a header: the operation is read from it, never from the query string.
        await signer.presign(unsigned, {
          signingDate: options.date ?? new Date(),
          expiresIn: options.presignExpires,
          unhoistableHeaders: new Set(['x-amz-target']),
        });
  const query = Object.entries(signed.query ?? {})
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`)
    .join('&');
  const headers: Record<string, string> = {};
  // node adds Host itself (the same value).
  for (const [name, value] of Object.entries(signed.headers)) if (name !== 'host') headers[name] = value;
  return { path: query === '' ? '/' : `/?${query}`, headers, body: options.body };
}
