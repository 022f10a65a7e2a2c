/**
 * A minimal DynamoDB JSON client over node:http for the set-up work around measurements (create the table,
 * preload items, probe that a scenario works, poll for startup). Not used while measuring: autocannon does that.
 */
import { Agent, request } from 'node:http';
import { awsHeaders } from './wire.js';

export interface Answer {
  readonly status: number;
  readonly text: string;
  /** The parsed body, or undefined when it is not JSON. */
  readonly json: unknown;
}

/** Signs set-up requests while a part measures Cairn with `--auth` (bench/auth-cost.ts); undefined otherwise. */
let setupSigner: ((url: string, headers: Record<string, string>, body: Buffer) => Record<string, string>) | undefined;

/** From now on (until called with undefined), every set-up request is signed by `signer`. */
export function signSetupRequests(signer: typeof setupSigner): void {
  setupSigner = signer;
}

/** Keep-alive, so preloading 10,000 items does not open 10,000 connections. */
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

export function postOperation(url: string, operation: string, body: string, timeoutMs = 10_000): Promise<Answer> {
  return postWithHeaders(url, awsHeaders(operation), operation, body, timeoutMs);
}

/** A DynamoDB Streams operation (target prefix `DynamoDBStreams_20120810`). */
export function postStreamsOperation(url: string, operation: string, body: string, timeoutMs = 10_000): Promise<Answer> {
  const headers = { ...awsHeaders(operation), 'x-amz-target': `DynamoDBStreams_20120810.${operation}` };
  return postWithHeaders(url, headers, operation, body, timeoutMs);
}

function postWithHeaders(
  url: string,
  headers: Record<string, string>,
  operation: string,
  body: string,
  timeoutMs: number,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = Buffer.from(body, 'utf8');
    const sent = setupSigner === undefined ? headers : setupSigner(url, headers, payload);
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { ...sent, 'content-length': String(payload.length) },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, text, json });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${operation} timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** A one-line description of a failed answer: `400 ValidationException: message`. */
export function describeAnswer(answer: Answer): string {
  const json = answer.json;
  if (typeof json === 'object' && json !== null) {
    const record = json as Record<string, unknown>;
    const type = typeof record['__type'] === 'string' ? record['__type'].replace(/^.*#/, '') : undefined;
    const message = record['message'] ?? record['Message'];
    if (type !== undefined) return `${answer.status} ${type}${typeof message === 'string' ? `: ${message}` : ''}`;
  }
  return `${answer.status} ${answer.text.slice(0, 200)}`;
}

/** Closes idle keep-alive sockets, so the process can exit and servers see no lingering connections. */
export function closeIdleConnections(): void {
  agent.destroy();
}

/**
 * Polls ListTables until the server answers 200, every `intervalMs`; resolves with the elapsed milliseconds
 * since `startedAt` (a performance.now() value). Fails at `timeoutMs` or as soon as `isDead()` says the server
 * process has exited: waiting on a crashed server would only hide the crash.
 */
export async function waitUntilAnswering(
  url: string,
  startedAt: number,
  options: { timeoutMs: number; intervalMs?: number; isDead?: () => string | undefined },
): Promise<number> {
  const intervalMs = options.intervalMs ?? 5;
  let lastProblem = 'no answer';
  for (let attempt = 0; attempt < 100_000; attempt++) {
    const dead = options.isDead?.();
    if (dead !== undefined) throw new Error(`server ${dead} before answering (${lastProblem})`);
    const elapsed = performance.now() - startedAt;
    if (elapsed > options.timeoutMs) {
      throw new Error(`server did not answer ListTables within ${options.timeoutMs} ms (${lastProblem})`);
    }
    try {
      const answer = await postOperation(url, 'ListTables', '{}', 1000);
      if (answer.status === 200) return performance.now() - startedAt;
      lastProblem = describeAnswer(answer);
    } catch (error) {
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`server did not answer ListTables (${lastProblem})`);
}
