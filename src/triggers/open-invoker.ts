/**
 * A trigger's invoker, its module loaded only when a trigger needs it: the HTTP invoker brings node:https (and with
 * it node:tls), the module invoker node:worker_threads. Loaded with the trigger service, they cost every start
 * some 3 ms before its first answer, although most servers run no trigger at all.
 */
import type { Invoker } from './invoker.js';
import type { HandlerTarget } from './trigger-config.js';

export interface InvokerSettings {
  /** The trigger's Id: the HTTP invoker names it in a header, the module invoker's handler gets it as its function name. */
  readonly triggerId: string;
  readonly functionArn: string;
  readonly timeoutSeconds: number;
}

export async function openInvoker(target: HandlerTarget, settings: InvokerSettings): Promise<Invoker> {
  switch (target.kind) {
    case 'http': {
      const { HttpInvoker } = await import('./http-invoker.js');
      return new HttpInvoker(target.url, settings.timeoutSeconds, settings.triggerId);
    }
    case 'module': {
      const { ModuleInvoker } = await import('./module-invoker.js');
      const { triggerId, functionArn, timeoutSeconds } = settings;
      return new ModuleInvoker(
        { path: target.path, exportName: target.exportName, functionName: triggerId, functionArn, timeoutMs: timeoutSeconds * 1000 },
        timeoutSeconds,
      );
    }
  }
}
