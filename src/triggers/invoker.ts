/**
 * How a trigger calls its handler: a module run on a worker thread, or an HTTP endpoint. Either way one call
 * takes the Lambda event and ends in an outcome: the handler's answer, or a function error (it threw, timed out,
 * crashed or answered with an HTTP error status). Invokers never reject for a handler's fault; they reject only
 * with StoppedError, once closed.
 */
import type { LambdaStreamEvent } from './lambda-event.js';

export type InvokeOutcome =
  | { readonly kind: 'ok'; readonly response: unknown }
  | { readonly kind: 'error'; readonly errorType: string; readonly errorMessage: string; readonly timedOut: boolean };

export interface InvokeContext {
  /** A fresh id per invocation (context.awsRequestId; requestContext.requestId of a failure record). */
  readonly requestId: string;
}

export interface Invoker {
  invoke(event: LambdaStreamEvent, context: InvokeContext): Promise<InvokeOutcome>;
  /** Gets ready ahead of the first invocation (a module's worker starts and imports it). */
  warm(): void;
  /** Stops the handler (an invocation in flight rejects with StoppedError) and releases its resources. */
  close(): Promise<void>;
}

/** Work abandoned because its trigger (or the server) is stopping. */
export class StoppedError extends Error {
  override readonly name = 'StoppedError';
  constructor() {
    super('trigger stopped');
  }
}

export function timeoutOutcome(timeoutSeconds: number): InvokeOutcome {
  return { kind: 'error', errorType: 'Sandbox.Timedout', errorMessage: `Task timed out after ${timeoutSeconds.toFixed(2)} seconds`, timedOut: true };
}
