/**
 * Invokes a module handler on its own worker thread (handler-worker.ts), one invocation at a time. A handler that
 * runs past its timeout is stopped by terminating the worker; so is one whose worker crashes. The next
 * invocation starts a fresh worker, which imports the module again.
 */
import { Worker } from 'node:worker_threads';
import type { InvokeMessage, ResultMessage, WorkerSetup } from './handler-worker.js';
import { StoppedError, timeoutOutcome, type InvokeContext, type InvokeOutcome, type Invoker } from './invoker.js';
import type { LambdaStreamEvent } from './lambda-event.js';

const WORKER_URL = new URL('./handler-worker.js', import.meta.url);

interface Pending {
  readonly id: number;
  readonly worker: Worker;
  readonly resolve: (outcome: InvokeOutcome) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

export class ModuleInvoker implements Invoker {
  private worker: Worker | undefined;
  private pending: Pending | undefined;
  private nextId = 0;
  private closed = false;

  constructor(
    private readonly setup: WorkerSetup,
    private readonly timeoutSeconds: number,
  ) {}

  invoke(event: LambdaStreamEvent, context: InvokeContext): Promise<InvokeOutcome> {
    if (this.closed) return Promise.reject(new StoppedError());
    if (this.pending !== undefined) return Promise.reject(new Error('one invocation at a time'));
    const worker = this.worker ?? this.start();
    const id = ++this.nextId;
    const timeoutMs = this.timeoutSeconds * 1000;
    return new Promise<InvokeOutcome>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.settle(id, timeoutOutcome(this.timeoutSeconds));
        this.discard(worker);
      }, timeoutMs);
      this.pending = { id, worker, resolve, reject, timer };
      const message: InvokeMessage = { id, event, requestId: context.requestId, deadline: Date.now() + timeoutMs };
      worker.postMessage(message);
    });
  }

  warm(): void {
    if (!this.closed && this.worker === undefined) this.start();
  }

  async close(): Promise<void> {
    this.closed = true;
    const pending = this.pending;
    if (pending !== undefined) {
      this.pending = undefined;
      clearTimeout(pending.timer);
      pending.reject(new StoppedError());
    }
    const worker = this.worker;
    this.worker = undefined;
    if (worker !== undefined) await worker.terminate();
  }

  private start(): Worker {
    const worker = new Worker(WORKER_URL, { workerData: this.setup });
    this.worker = worker;
    worker.on('message', (message: ResultMessage) => {
      this.settle(
        message.id,
        message.ok
          ? { kind: 'ok', response: message.response }
          : { kind: 'error', errorType: message.errorType, errorMessage: message.errorMessage, timedOut: false },
      );
    });
    worker.on('error', (error: Error) => {
      // An error the handler left behind (an unhandled rejection, an exception in a timer): the worker is gone.
      if (this.pending?.worker === worker) {
        this.settle(this.pending.id, { kind: 'error', errorType: error.name || 'Error', errorMessage: error.message, timedOut: false });
      }
      this.discard(worker);
    });
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = undefined;
      if (this.pending?.worker === worker && !this.closed) {
        this.settle(this.pending.id, {
          kind: 'error',
          errorType: 'Runtime.ExitError',
          errorMessage: `Runtime exited with error: exit status ${code}`,
          timedOut: false,
        });
      }
    });
    return worker;
  }

  private settle(id: number, outcome: InvokeOutcome): void {
    const pending = this.pending;
    if (pending === undefined || pending.id !== id) return;
    this.pending = undefined;
    clearTimeout(pending.timer);
    pending.resolve(outcome);
  }

  /** Terminates a worker that can no longer be trusted (timed out, failed); a fresh one starts on demand. */
  private discard(worker: Worker): void {
    if (this.worker === worker) this.worker = undefined;
    worker.terminate().catch(() => undefined);
  }
}
