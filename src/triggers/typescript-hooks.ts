/**
 * Module hooks (node:module register) that let a trigger's handler be TypeScript: `.ts` / `.mts` files are
 * transpiled with the `typescript` package (Cairn's own, or the handler project's) as they are loaded, and a
 * relative `./x.js` import that names a `./x.ts` source is resolved to it, as TypeScript's own resolution does.
 * Types are not checked. Without the `typescript` package, point the trigger at compiled JavaScript instead.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface TranspileOutput {
  outputText: string;
}
interface TypeScriptApi {
  transpileModule(input: string, options: { compilerOptions: Record<string, unknown>; fileName: string }): TranspileOutput;
  ModuleKind: { ESNext: number };
  ScriptTarget: { ES2022: number };
}

interface ResolveContext {
  parentURL?: string;
}
interface ResolveResult {
  url: string;
  format?: string | null;
  shortCircuit?: boolean;
}
interface LoadResult {
  format: string;
  source?: string | Buffer;
  shortCircuit?: boolean;
}

let handlerPath: string | undefined;
let typescript: Promise<TypeScriptApi> | undefined;

export function initialize(data: { handlerPath?: string } | undefined): void {
  handlerPath = data?.handlerPath;
}

function loadTypeScript(): Promise<TypeScriptApi> {
  typescript ??= (async () => {
    const candidates = [import.meta.url, ...(handlerPath !== undefined ? [pathToFileURL(handlerPath).href] : [])];
    for (const from of candidates) {
      try {
        const resolved = createRequire(from).resolve('typescript');
        const module = (await import(pathToFileURL(resolved).href)) as { default?: TypeScriptApi } & Partial<TypeScriptApi>;
        return (module.default ?? module) as TypeScriptApi;
      } catch {
        // try the next place
      }
    }
    throw new Error('a TypeScript handler needs the "typescript" package (install it, or point the trigger at compiled JavaScript)');
  })();
  return typescript;
}

const TS_FILE = /\.m?ts$/;

export async function resolve(
  specifier: string,
  context: ResolveContext,
  next: (specifier: string, context: ResolveContext) => Promise<ResolveResult>,
): Promise<ResolveResult> {
  try {
    return await next(specifier, context);
  } catch (error) {
    const parent = context.parentURL;
    if (parent !== undefined && TS_FILE.test(parent) && (specifier.startsWith('./') || specifier.startsWith('../')) && /\.m?js$/.test(specifier)) {
      return next(specifier.replace(/js$/, 'ts'), context);
    }
    throw error;
  }
}

export async function load(
  url: string,
  context: Record<string, unknown>,
  next: (url: string, context: Record<string, unknown>) => Promise<LoadResult>,
): Promise<LoadResult> {
  if (!url.startsWith('file:') || !TS_FILE.test(url)) return next(url, context);
  const ts = await loadTypeScript();
  const fileName = fileURLToPath(url);
  const source = await readFile(fileName, 'utf8');
  const output = ts.transpileModule(source, {
    fileName,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, inlineSourceMap: true, esModuleInterop: true },
  });
  return { format: 'module', source: output.outputText, shortCircuit: true };
}
