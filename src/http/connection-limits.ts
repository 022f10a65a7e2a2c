/**
 * How long a client may hold a connection without using it, and how many connections may be open at once.
 *
 * Every way a client can hold a socket is bounded, so that held connections cannot use up the process's file
 * descriptors (which the storage needs too) or keep a shutdown waiting:
 *  - a connection that never sends a complete request head is answered 408 and closed after `headersTimeoutMs`
 *    (node applies it from the moment the connection opens, so an idle new connection counts);
 *  - a request whose body never completes is answered 408 and closed after `requestTimeoutMs`;
 *  - a keep-alive connection idle between requests is closed after `keepAliveTimeoutMs`;
 *  - beyond `maxConnections` open connections, new ones are closed as soon as they are accepted;
 *  - on shutdown, idle connections are closed at once and busy ones get `shutdownTimeoutMs` to finish.
 */
import { readFileSync } from 'node:fs';

export interface ConnectionOptions {
  /** Idle time after which a keep-alive connection is closed. */
  keepAliveTimeoutMs?: number;
  /** Time allowed to receive a request's headers, counted from the connection's opening or previous request. */
  headersTimeoutMs?: number;
  /** Time allowed to receive a whole request (headers and body). */
  requestTimeoutMs?: number;
  /** Most connections open at once (default: the file-descriptor limit less a reserve, when it can be read). */
  maxConnections?: number;
  /** On shutdown, how long busy connections may take to finish before they are cut. */
  shutdownTimeoutMs?: number;
}

export type ConnectionLimits = Required<Omit<ConnectionOptions, 'maxConnections'>> & { readonly maxConnections: number | undefined };

/**
 * Longer than the idle timeouts of the SDKs' connection pools (Java: 60 s; Go and Rust: 90 s), so that the client
 * is the one to close an idle connection: a server that closes first races with a request being sent on it, which
 * the client sees as a reset. The JavaScript SDK's agent and boto3 keep idle sockets until the server closes them.
 */
export const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 95_000;
/** A request head is a few hundred bytes; 30 s is generous even for a congested link (node's default is 60 s). */
export const DEFAULT_HEADERS_TIMEOUT_MS = 30_000;
/** Enough for a 16 MB request at about 1.2 Mbit/s; node's default (300 s) would let a slow client hold a socket longer. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 120_000;
/** Within `docker stop`'s 10 s before SIGKILL, leaving time to flush and close the store. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 5_000;
/** Descriptors kept for everything but client connections: the store's files, its log, trigger handlers' sockets. */
const RESERVED_DESCRIPTORS = 64;

export function resolveConnectionLimits(options: ConnectionOptions = {}): ConnectionLimits {
  const limits = {
    keepAliveTimeoutMs: options.keepAliveTimeoutMs ?? DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
    headersTimeoutMs: options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS,
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    shutdownTimeoutMs: options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS,
    maxConnections: options.maxConnections ?? defaultMaxConnections(),
  };
  // 0 would mean "no timeout" to node, which is exactly what must not happen.
  for (const name of ['keepAliveTimeoutMs', 'headersTimeoutMs', 'requestTimeoutMs'] as const) {
    if (!Number.isInteger(limits[name]) || limits[name] < 1) throw new Error(`${name} must be a positive integer, not ${limits[name]}`);
  }
  if (!Number.isInteger(limits.shutdownTimeoutMs) || limits.shutdownTimeoutMs < 0) {
    throw new Error(`shutdownTimeoutMs must be an integer of at least 0, not ${limits.shutdownTimeoutMs}`);
  }
  if (limits.maxConnections !== undefined && (!Number.isInteger(limits.maxConnections) || limits.maxConnections < 1)) {
    throw new Error(`maxConnections must be a positive integer, not ${limits.maxConnections}`);
  }
  // node refuses a headers timeout longer than the request timeout (the head is part of the request).
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) {
    throw new Error(`the headers timeout (${limits.headersTimeoutMs} ms) cannot exceed the request timeout (${limits.requestTimeoutMs} ms)`);
  }
  return limits;
}

/**
 * How often node checks the headers and request timeouts. Its default (30 s) would let a connection overstay a
 * short timeout by that much; a quarter of the shorter timeout keeps the overshoot proportionate.
 */
export function connectionsCheckingInterval(limits: ConnectionLimits): number {
  return Math.max(10, Math.min(30_000, Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 4)));
}

/** The soft limit on open files less a reserve, on Linux; undefined where it cannot be read (no cap then). */
export function defaultMaxConnections(limitsFile = '/proc/self/limits'): number | undefined {
  let text: string;
  try {
    text = readFileSync(limitsFile, 'utf8');
  } catch {
    return undefined;
  }
  return maxConnectionsFor(text);
}

/** From the text of /proc/self/limits: `Max open files  <soft>  <hard>  files`. */
export function maxConnectionsFor(procLimits: string): number | undefined {
  const match = /^Max open files\s+(\S+)/m.exec(procLimits);
  const soft = match?.[1];
  if (soft === undefined || soft === 'unlimited') return undefined;
  const limit = Number(soft);
  if (!Number.isInteger(limit) || limit <= 0) return undefined;
  const reserve = Math.max(RESERVED_DESCRIPTORS, Math.floor(limit / 10));
  return Math.max(1, limit - reserve);
}
