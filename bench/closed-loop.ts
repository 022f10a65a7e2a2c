/**
 * A load of `connections` closed loops for a number of seconds, each sending its next request as soon as the last
 * is answered, over keep-alive connections: for parts whose requests autocannon cannot pre-build (signed per
 * request, or with a fresh key each). Latency percentiles count successful (200) answers only.
 */
import { Agent, request, type OutgoingHttpHeaders } from 'node:http';
import { LatencyRecorder } from './latency-recorder.js';

export interface ClosedLoopResult {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly completed: number;
  readonly failed: number;
  /** The first answer that was not a 200: its status and the start of its body. */
  readonly firstFailure?: string;
}

/** One request to send: its body and its headers (content-length is added). */
export interface NextRequest {
  readonly payload: Buffer;
  readonly headers: OutgoingHttpHeaders;
}

const recorder = new LatencyRecorder();

export async function closedLoop(url: string, connections: number, seconds: number, next: () => NextRequest): Promise<ClosedLoopResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const deadline = performance.now() + seconds * 1000;
  let completed = 0;
  let failed = 0;
  let firstFailure: string | undefined;
  recorder.reset();
  const send = ({ payload, headers }: NextRequest): Promise<{ status: number; text: string }> =>
    new Promise((resolve, reject) => {
      const req = request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': String(payload.length) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      });
      req.on('error', reject);
      req.end(payload);
    });
  const started = performance.now();
  const loop = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const sentAt = performance.now();
      const answer = await send(next());
      if (answer.status === 200) {
        recorder.record(performance.now() - sentAt);
        completed++;
      } else {
        failed++;
        firstFailure ??= `${answer.status} ${answer.text.slice(0, 200)}`;
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, loop));
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  const [p50Ms = Number.NaN] = recorder.percentiles([0.5]);
  return { requestsPerSecond: completed / elapsed, p50Ms, completed, failed, ...(firstFailure !== undefined ? { firstFailure } : {}) };
}
