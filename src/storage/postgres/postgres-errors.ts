/**
 * How the PostgreSQL engine tells the failures of a commit apart:
 * - a serialization failure or deadlock (SQLSTATE 40001 / 40P01): the transaction was rolled back, and running it
 *   again (decide included, which is pure) is the remedy;
 * - a lost connection (a socket error, the server shutting down, or it refusing connections while starting): the
 *   transaction may be retried on another connection only if it certainly did not commit, i.e. if the connection
 *   was lost before COMMIT was sent;
 * - anything else is a fault to report.
 */

const SERIALIZATION_CODES = new Set(['40001', '40P01']);

/**
 * Connection-level SQLSTATEs: class 08 (connection exception), 57P01-57P03 (admin shutdown, crash shutdown,
 * cannot connect now), 53300 (too many connections).
 */
function isConnectionCode(code: string): boolean {
  return code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300';
}

/** Node socket errors of a connection that failed or dropped. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function isSerializationFailure(error: unknown): boolean {
  const code = codeOf(error);
  return code !== undefined && SERIALIZATION_CODES.has(code);
}

export function isConnectionFailure(error: unknown): boolean {
  const code = codeOf(error);
  if (code !== undefined) return isConnectionCode(code) || SOCKET_CODES.has(code);
  // node-postgres reports a connection that ended under a query with these messages and no code.
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|connection (?:is )?closed|Client has encountered a connection error|timeout exceeded when trying to connect/i.test(message);
}

/**
 * The error of a commit whose connection was lost while COMMIT was in flight: it may or may not have committed.
 * A plain Error, so the wire answers a 500 InternalServerError (as DynamoDB does when it cannot tell the outcome).
 */
export function uncertainCommitError(cause: unknown): Error {
  return new Error(`the connection to PostgreSQL was lost while committing; the commit may or may not have taken effect`, { cause });
}

/** The error of a commit that could not reach PostgreSQL for as long as it was willing to wait. */
export function unreachableError(cause: unknown): Error {
  return new Error(`PostgreSQL cannot be reached: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
}
