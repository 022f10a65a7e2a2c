/**
 * The worker thread that runs one module trigger's handler, off the main thread so that a slow or CPU-bound
 * handler cannot stall requests. It imports the module once (TypeScript through typescript-hooks.ts), then
 * answers invocations one at a time: `handler(event, context)` returning a value or a promise, or the older
 * callback form `handler(event, context, callback)`. A handler that hangs is stopped from outside: the main
 * thread terminates this worker and starts a fresh one.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';

export interface WorkerSetup {
  readonly path: string;
  readonly exportName: string;
  readonly functionName: string;
  readonly functionArn: string;
  readonly timeoutMs: number;
}

export interface InvokeMessage {
  readonly id: number;
  readonly event: unknown;
  readonly requestId: string;
  /** Epoch ms by which the handler must be done (context.getRemainingTimeInMillis). */
  readonly deadline: number;
}

export type ResultMessage =
  | { readonly id: number; readonly ok: true; readonly response: unknown }
  | { readonly id: number; readonly ok: false; readonly errorType: string; readonly errorMessage: string };

type Handler = (event: unknown, context: unknown, callback?: (error: unknown, result?: unknown) => void) => unknown;

class HandlerError extends Error {
  constructor(
    readonly errorType: string,
    message: string,
  ) {
    super(message);
  }
}

const setup = workerData as WorkerSetup;
const port = parentPort;

async function loadHandler(): Promise<Handler> {
  if (/\.(?:m|c)?ts$/.test(setup.path)) {
    const { register } = await import('node:module');
    register(new URL('./typescript-hooks.js', import.meta.url), { data: { handlerPath: setup.path } });
  }
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(setup.path).href)) as Record<string, unknown>;
  } catch (error) {
    throw new HandlerError('Runtime.ImportModuleError', `Error: cannot load ${setup.path}: ${describe(error)}`);
  }
  const fallback = module.default;
  const handler =
    module[setup.exportName] ??
    (typeof fallback === 'object' && fallback !== null ? (fallback as Record<string, unknown>)[setup.exportName] : undefined);
  if (typeof handler !== 'function') {
    throw new HandlerError('Runtime.HandlerNotFound', `${setup.path}#${setup.exportName} is undefined or not exported`);
  }
  return handler as Handler;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function contextFor(message: InvokeMessage): Record<string, unknown> {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: setup.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: setup.functionArn,
    memoryLimitInMB: '128',
    awsRequestId: message.requestId,
    logGroupName: `/aws/lambda/${setup.functionName}`,
    logStreamName: 'cairn',
    getRemainingTimeInMillis: () => Math.max(0, message.deadline - Date.now()),
  };
}

function call(handler: Handler, message: InvokeMessage): Promise<unknown> {
  const context = contextFor(message);
  if (handler.length >= 3) {
    return new Promise((resolve, reject) => {
      const returned = handler(message.event, context, (error, result) => (error === null || error === undefined ? resolve(result) : reject(error)));
      if (returned !== null && typeof returned === 'object' && typeof (returned as Promise<unknown>).then === 'function') {
        (returned as Promise<unknown>).then(resolve, reject);
      }
    });
  }
  return Promise.resolve().then(() => handler(message.event, context));
}

/** The answer as JSON would carry it (what Lambda serialises), so that anything reaches the main thread. */
function asJson(value: unknown): unknown {
  if (value === undefined) return null;
  const text = JSON.stringify(value);
  return text === undefined ? null : (JSON.parse(text) as unknown);
}

if (port !== null) {
  const handler = loadHandler();
  // Surfaced per invocation; keep the rejection from counting as unhandled meanwhile.
  handler.catch(() => undefined);
  port.on('message', (message: InvokeMessage) => {
    handler
      .then((loaded) => call(loaded, message))
      .then(
        (response) => port.postMessage({ id: message.id, ok: true, response: asJson(response) } satisfies ResultMessage),
        (error: unknown) => {
          const errorType = error instanceof HandlerError ? error.errorType : error instanceof Error ? error.name : 'Error';
          port.postMessage({ id: message.id, ok: false, errorType, errorMessage: describe(error) } satisfies ResultMessage);
        },
      )
      .catch((error: unknown) => {
        // The answer could not be serialised: report that instead.
        port.postMessage({ id: message.id, ok: false, errorType: 'Runtime.MarshalError', errorMessage: describe(error) } satisfies ResultMessage);
      });
  });
}
