/**
 * Sends one arbitrary HTTP request (any headers, any bytes) and collects the raw answer. Connections are kept
 * alive, as the SDKs do, so a request that leaves a connection in a bad state shows up on the next one.
 */
import { Agent, request, type OutgoingHttpHeaders } from 'node:http';
import type { RawAnswer } from './wire-answer.js';

export interface RawRequest {
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

export function createKeepAliveAgent(): Agent {
  return new Agent({ keepAlive: true, maxSockets: 4 });
}

/**
 * Resolves with the answer; rejects when there is none within `timeoutMs`. A keep-alive socket the server closed
 * while idle may reset as the request is written (a race inherent to HTTP/1.1 keep-alive, not a server fault):
 * that one case is retried once on a fresh connection, as Node's documentation recommends.
 */
export async function sendRaw(url: string, raw: RawRequest, agent: Agent, timeoutMs: number): Promise<RawAnswer> {
  try {
    return await sendOnce(url, raw, agent, timeoutMs);
  } catch (error) {
    if (error instanceof StaleSocketError) return sendOnce(url, raw, agent, timeoutMs);
    throw error;
  }
}

class StaleSocketError extends Error {}

function sendOnce(url: string, raw: RawRequest, agent: Agent, timeoutMs: number): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const headers: OutgoingHttpHeaders = { ...raw.headers, 'content-length': raw.body.length };
    const req = request(new URL(raw.path, url), { method: 'POST', headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
      });
    });
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(req.reusedSocket && error.code === 'ECONNRESET' ? new StaleSocketError(error.message) : error);
    });
    req.end(raw.body);
  });
}
