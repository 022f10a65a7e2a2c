/**
 * Invokes an HTTP handler: POSTs the Lambda event as JSON and reads the answer. A 2xx answer is the handler's
 * result (its body parsed as JSON when it is JSON, else none); any other status, a network error or no answer
 * within the timeout is a function error. Connections are kept alive between invocations.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { StoppedError, timeoutOutcome, type InvokeContext, type InvokeOutcome, type Invoker } from './invoker.js';
import type { LambdaStreamEvent } from './lambda-event.js';

/** How much of an answer is read (a partial batch response is small). */
const MAX_ANSWER_BYTES = 6 * 1024 * 1024;

export class HttpInvoker implements Invoker {
  private readonly url: URL;
  private readonly agent: HttpAgent;
  private readonly inFlight = new Set<AbortController>();
  private closed = false;

  constructor(
    url: string,
    private readonly timeoutSeconds: number,
    private readonly triggerId: string,
  ) {
    this.url = new URL(url);
    this.agent = this.url.protocol === 'https:' ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
  }

  invoke(event: LambdaStreamEvent, context: InvokeContext): Promise<InvokeOutcome> {
    if (this.closed) return Promise.reject(new StoppedError());
    const body = Buffer.from(JSON.stringify(event));
    const controller = new AbortController();
    this.inFlight.add(controller);
    const send = this.url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<InvokeOutcome>((resolve, reject) => {
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, this.timeoutSeconds * 1000);
      const finish = (outcome: InvokeOutcome | Error): void => {
        clearTimeout(timer);
        this.inFlight.delete(controller);
        if (outcome instanceof Error) reject(outcome);
        else resolve(outcome);
      };
      const req = send(
        this.url,
        {
          method: 'POST',
          agent: this.agent,
          signal: controller.signal,
          headers: {
            'Content-Type': 'application/json',
            'Content-Length': body.length,
            'X-Cairn-Trigger': this.triggerId,
            'X-Cairn-Request-Id': context.requestId,
          },
        },
        (res) => {
          readAnswer(res).then(
            (text) => finish(outcomeOf(res.statusCode ?? 0, text)),
            (error: unknown) => finish(failure(error, timedOut, this.closed, this.timeoutSeconds)),
          );
        },
      );
      req.on('error', (error) => finish(failure(error, timedOut, this.closed, this.timeoutSeconds)));
      req.end(body);
    });
  }

  warm(): void {
    // Nothing to prepare: a connection opens with the first invocation.
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const controller of this.inFlight) controller.abort();
    this.agent.destroy();
  }
}

function failure(error: unknown, timedOut: boolean, closed: boolean, timeoutSeconds: number): InvokeOutcome | Error {
  if (closed) return new StoppedError();
  if (timedOut) return timeoutOutcome(timeoutSeconds);
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'error', errorType: 'HandlerUnreachable', errorMessage: message, timedOut: false };
}

function readAnswer(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    res.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length <= MAX_ANSWER_BYTES) chunks.push(chunk);
    });
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
    res.on('aborted', () => reject(new Error('answer aborted')));
  });
}

function outcomeOf(status: number, text: string): InvokeOutcome {
  if (status < 200 || status > 299) {
    return { kind: 'error', errorType: 'HandlerHttpError', errorMessage: `HTTP ${status}${text === '' ? '' : `: ${text.slice(0, 500)}`}`, timedOut: false };
  }
  if (text.trim() === '') return { kind: 'ok', response: null };
  try {
    return { kind: 'ok', response: JSON.parse(text) as unknown };
  } catch {
    return { kind: 'ok', response: null };
  }
}
