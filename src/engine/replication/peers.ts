/**
 * The servers of other regions (global tables across servers): `"peers": {"eu-west-1": "http://127.0.0.1:8001"}`
 * in the configuration file. A replica in a peer's region lives on that peer: this server creates it there, copies
 * the items into it and follows its stream over HTTP, through Cairn's replication endpoint of the peer
 * (src/http/replication-endpoint.ts); the peer follows this server's stream the same way. With `--auth` the calls
 * are signed (peer-signing.ts).
 */
import type { PeerCredentials } from './peer-signing.js';
import { signPeerRequest } from './peer-signing.js';

export type PeerUrls = Readonly<Record<string, string>>;

/** The `peers` member of the configuration file: region name -> http(s) URL. */
export function parsePeers(value: unknown): PeerUrls {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('"peers" must be an object of region name -> URL');
  const peers: Record<string, string> = {};
  for (const [region, url] of Object.entries(value as Record<string, unknown>)) {
    if (!/^[a-z]{2}(-[a-z]+)+-[0-9]+$/.test(region)) throw new Error(`"peers": "${region}" is not a region name`);
    if (typeof url !== 'string' || !/^https?:\/\/[^/]+\/?$/.test(url)) throw new Error(`"peers.${region}" must be an http(s) URL with no path`);
    peers[region] = url.replace(/\/$/, '');
  }
  return peers;
}

/** A peer answered with an error, or could not be reached. */
export class PeerError extends Error {
  constructor(
    readonly region: string,
    readonly status: number,
    message: string,
    /** The DynamoDB error type of a refusal (the peer's DynamoDbError), when it said one. */
    readonly type?: string,
    /** The peer's own message, without the region. */
    readonly peerMessage: string = message,
  ) {
    super(`peer ${region}: ${message}`);
  }
}

export const REPLICATION_PATH = '/cairn/replication/';

/** Calls the replication endpoint of the peers. */
export class PeerClient {
  constructor(
    readonly urls: PeerUrls,
    /** The key calls for an account are signed with; undefined without `--auth` (calls go unsigned). */
    private readonly credentialsFor?: (accountId: string) => PeerCredentials | undefined,
    private readonly timeoutMs = 5000,
  ) {}

  has(region: string): boolean {
    return Object.hasOwn(this.urls, region);
  }

  async call<T>(region: string, accountId: string, operation: string, body: unknown): Promise<T> {
    const base = this.urls[region];
    if (base === undefined) throw new PeerError(region, 0, 'not a peer');
    const url = `${base}${REPLICATION_PATH}${operation}`;
    const payload = JSON.stringify({ accountId, ...(body as object) });
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.credentialsFor !== undefined) {
      const credentials = this.credentialsFor(accountId);
      if (credentials === undefined) throw new PeerError(region, 0, `the auth file has no user "replication" in account ${accountId} to sign with`);
      Object.assign(headers, signPeerRequest(url, payload, region, credentials, Date.now()));
    }
    let response: Response;
    try {
      response = await fetch(url, { method: 'POST', headers, body: payload, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (error) {
      throw new PeerError(region, 0, error instanceof Error ? error.message : String(error));
    }
    const text = await response.text();
    if (response.status !== 200) {
      let message = text;
      let type: string | undefined;
      try {
        const parsed = JSON.parse(text) as { message?: string; type?: string };
        message = parsed.message ?? text;
        type = parsed.type;
      } catch {
        // not JSON: the text as it is
      }
      throw new PeerError(region, response.status, message, type);
    }
    return JSON.parse(text) as T;
  }
}
