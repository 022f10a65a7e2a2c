/**
 * Signing the calls a server makes to its peers' replication endpoint when `--auth` is on: SigV4, as any DynamoDB
 * request, with the key of the user named `replication` of the table's account in the auth file. Each server's
 * auth file holds that user, with the same key, for every account whose tables are replicated across servers; a
 * peer accepts replication calls only signed by a user of that name, and only for the signer's own account.
 */
import { canonicalRequest, sha256Hex, stringToSign } from '../../auth/sigv4-canonical.js';
import { sign, signingKey } from '../../auth/signing-key.js';
import type { AuthDirectory } from '../../auth/auth-file.js';
import type { Principal } from '../../auth/principal.js';

/** The user whose key signs replication calls, in each account of the auth file. */
export const REPLICATION_USER = 'replication';

export interface PeerCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

const SIGNED = ['content-type', 'host', 'x-amz-date'] as const;

/** The replication user's key of `accountId`, or undefined when the file has none. */
export function replicationKey(auth: AuthDirectory, accountId: string): PeerCredentials | undefined {
  return auth.userKey(accountId, REPLICATION_USER);
}

/** Whether `principal` may make replication calls for `accountId`. */
export function mayReplicate(principal: Principal, accountId: string): boolean {
  return principal.userName === REPLICATION_USER && principal.accountId === accountId;
}

/** X-Amz-Date and Authorization for a POST of `body` (JSON) to `url`, scoped to the peer's `region`. */
export function signPeerRequest(url: string, body: string, region: string, credentials: PeerCredentials, now: number): Record<string, string> {
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const day = stamp.slice(0, 8);
  const target = new URL(url);
  const values = new Map<string, string[]>([
    ['content-type', ['application/json']],
    ['host', [target.host]],
    ['x-amz-date', [stamp]],
  ]);
  const canonical = canonicalRequest({
    method: 'POST',
    path: target.pathname,
    query: '',
    headers: values,
    signedHeaders: SIGNED,
    payloadHash: sha256Hex(Buffer.from(body, 'utf8')),
  });
  const scope = `${day}/${region}/dynamodb/aws4_request`;
  const signature = sign(signingKey(credentials.secretAccessKey, day, region), stringToSign(stamp, scope, canonical));
  return {
    'x-amz-date': stamp,
    authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${SIGNED.join(';')}, Signature=${signature}`,
  };
}
