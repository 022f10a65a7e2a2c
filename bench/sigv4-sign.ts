/**
 * SigV4 signing for the bench's requests to a Cairn started with `--auth` (bench/auth-cost.ts), built from
 * Cairn's own canonical-request code: the bench measures what verification costs the server, while the
 * signatures' correctness against independent signers (the JS SDK, boto3) is the wire tests' concern.
 */
import { canonicalRequest, sha256Hex, stringToSign } from '../src/auth/sigv4-canonical.js';
import { sign, signingKey } from '../src/auth/signing-key.js';

export interface BenchCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

const SIGNED = ['content-type', 'host', 'x-amz-date', 'x-amz-target'] as const;

/** `headers` (lower-case names) with X-Amz-Date and the Authorization of `credentials` for a POST / to `url`. */
export function signedHeaders(
  url: string,
  headers: Readonly<Record<string, string>>,
  body: string | Buffer,
  credentials: BenchCredentials,
  region = 'us-east-1',
  now = Date.now(),
): Record<string, string> {
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const day = stamp.slice(0, 8);
  const { authorization: _unsigned, ...rest } = headers;
  const out: Record<string, string> = { ...rest, 'x-amz-date': stamp };
  const values = new Map<string, string[]>([['host', [new URL(url).host]]]);
  for (const name of SIGNED) if (name !== 'host') values.set(name, [out[name] ?? '']);
  const canonical = canonicalRequest({
    method: 'POST',
    path: '/',
    query: '',
    headers: values,
    signedHeaders: SIGNED,
    payloadHash: sha256Hex(typeof body === 'string' ? Buffer.from(body) : body),
  });
  const scope = `${day}/${region}/dynamodb/aws4_request`;
  const signature = sign(signingKey(credentials.secretAccessKey, day, region), stringToSign(stamp, scope, canonical));
  out.authorization = `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${SIGNED.join(';')}, Signature=${signature}`;
  return out;
}
