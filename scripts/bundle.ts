/**
 * Bundles the server into dist/bundle/ with esbuild (run after tsc by `npm run build`): `npm start` and the `cairn`
 * bin run dist/bundle/cli.js.
 *
 * Why: start-up was mostly Node's ES module loader — resolving, reading and linking some 300 files, one by one,
 * before the first answer — and then V8's compiling of what they hold. The server is one CommonJS file,
 * dist/bundle/server.cjs, which dist/bundle/cli.js (src/launch/code-cache-loader.ts) compiles with a V8 code
 * cache written here, after the build, by one start of the server. What only some runs need (the audit trail, auth and
 * TLS files, PostgreSQL, the triggers' service) is in the file but evaluated only when needed, as esbuild turns
 * dynamic imports of bundled modules into lazy initialisers. The triggers' worker and its loader hooks, which
 * run in worker threads, stay ES modules (.mjs) beside it.
 *
 * lmdb is bundled too, with its JavaScript dependencies (msgpackr, ordered-binary, weak-lru-cache): loaded as
 * separate modules they cost the ES module loader some 20 files, and finding lmdb's native addon at run time
 * (node-gyp-build-optional-packages: the libc family, the prebuilds' directories, the platform package) cost
 * more than loading it; see nativeAddonAtBuildTime below.
 */
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, join, relative } from 'node:path';

/** The project root: this file runs as dist/scripts/bundle.js. */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * prom-client's index requires, eagerly, modules Cairn never uses: the default process metrics (which pull
 * @opentelemetry/api, perf_hooks and v8), the cluster aggregator (cluster, child_process, dgram, dns) and the
 * Pushgateway client (https, zlib). Loading them cost start-up time and memory for nothing; in the bundle they are
 * replaced by a module that says so if anything ever calls it.
 */
const UNUSED_PROM_CLIENT_MODULES = /[\\/]prom-client[\\/]lib[\\/](defaultMetrics|cluster|pushgateway)\.js$/;

const leaveOutUnusedPromClient: Plugin = {
  name: 'leave-out-unused-prom-client',
  setup(plugin) {
    plugin.onLoad({ filter: UNUSED_PROM_CLIENT_MODULES }, (args) => ({
      contents:
        `module.exports = function notBundled() { throw new Error(${JSON.stringify(`${args.path.replace(/.*[\\/]lib[\\/]/, 'prom-client/lib/')} is not part of Cairn's bundle`)}); };`,
      loader: 'js',
    }));
  },
};

/**
 * lmdb finds its native addon with node-gyp-build-optional-packages when it loads: that module detects the libc
 * family, looks through the prebuilds and resolves the platform package, which took longer (10-30 ms at start-up
 * here, and some MB of memory) than loading the addon itself. The addon is found here, at build time, with that
 * same module, and the bundle loads it by its path relative to the bundle; if that fails (node_modules moved, or
 * another Node ABI since the build), the bundle asks node-gyp-build-optional-packages as lmdb would have.
 */
const nativeAddonAtBuildTime: Plugin = {
  name: 'native-addon-at-build-time',
  setup(plugin) {
    plugin.onResolve({ filter: /^node-gyp-build-optional-packages$/ }, () => ({ path: 'lmdb-addon', namespace: 'native-addon' }));
    plugin.onLoad({ filter: /.*/, namespace: 'native-addon' }, () => {
      const require = createRequire(join(ROOT, 'package.json'));
      // lmdb's package directory, as lmdb's own native.js computes it (its exports do not include package.json).
      const lmdbDirectory = dirname(require.resolve('lmdb')).replace(/[\\/]dist$/, '');
      const load = require('node-gyp-build-optional-packages') as { resolve(directory: string): string };
      const addon = relative(join(ROOT, 'dist', 'bundle'), load.resolve(lmdbDirectory)).split('\\').join('/');
      return {
        contents: [
          "import { createRequire } from 'node:module';",
          "import { dirname } from 'node:path';",
          'const requireHere = createRequire(import.meta.url);',
          'export default function loadNativeAddon() {',
          `  try { return requireHere(${JSON.stringify(`./${addon}`)}); } catch {}`,
          "  return requireHere('node-gyp-build-optional-packages')(dirname(requireHere.resolve('lmdb')).replace(/[\\\\/]dist$/, ''));",
          '}',
        ].join('\n'),
        loader: 'js',
        resolveDir: ROOT,
      };
    });
  },
};

/**
 * In the server's CommonJS bundle, a dynamic import of one of Node's modules (`await import('node:https')`, so
 * that HTTPS loads only when used) is made a require, as esbuild makes those of bundled modules: a script
 * compiled with vm.Script has no loader for import() without an experimental option (code-cache-loader.ts).
 */
const builtinDynamicImportsAsRequires: Plugin = {
  name: 'builtin-dynamic-imports-as-requires',
  setup(plugin) {
    plugin.onResolve({ filter: /^node:/ }, (args) =>
      args.kind === 'dynamic-import' ? { path: args.path, namespace: 'builtin-require' } : undefined,
    );
    plugin.onLoad({ filter: /.*/, namespace: 'builtin-require' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

/**
 * The worker files' names in the bundle: `.mjs` where the sources say `.js` (an ES module in the bundle's
 * CommonJS directory), in the two places that start them by URL. A source that no longer names them fails the
 * build rather than starting a file that is not there.
 */
const WORKER_FILE_NAMES: Readonly<Record<string, string>> = {
  'src/triggers/module-invoker.ts': './handler-worker.js',
  'src/triggers/handler-worker.ts': './typescript-hooks.js',
};

const workerFiles: Plugin = {
  name: 'worker-files',
  setup(plugin) {
    plugin.onLoad({ filter: /[\\/]src[\\/]triggers[\\/](module-invoker|handler-worker)\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const name = WORKER_FILE_NAMES[relative(ROOT, args.path).split('\\').join('/')];
      const url = `new URL('${name}', import.meta.url)`;
      if (name === undefined || !source.includes(url)) throw new Error(`${args.path} no longer starts ${name ?? 'a worker'} by that URL`);
      return { contents: source.split(url).join(url.replace(/\.js'/, ".mjs'")), loader: 'ts' };
    });
  },
};

// Chunk names carry a content hash: the chunks of an earlier build would stay behind.
rmSync(join(ROOT, 'dist', 'bundle'), { recursive: true, force: true });

const common: BuildOptions & { define: Record<string, string>; plugins: Plugin[] } = {
  absWorkingDir: ROOT,
  bundle: true,
  platform: 'node',
  target: 'node20',
  // msgpackr's native accelerator (msgpackr-extract, found at run time as lmdb's addon was): Cairn stores JSON,
  // not msgpack (src/storage/lmdb/lmdb-storage.ts), so it would be loaded for nothing.
  define: { 'process.env.MSGPACKR_NATIVE_ACCELERATION_DISABLED': '"true"' },
  plugins: [leaveOutUnusedPromClient, nativeAddonAtBuildTime],
  sourcemap: true,
  logLevel: 'warning',
};

// The server: one CommonJS file, which dist/bundle/cli.js compiles with V8's code cache
// (src/launch/code-cache-loader.ts says why). What only some runs need (auth and key files, TLS, the audit log,
// PostgreSQL, triggers) is in it too, but is only evaluated when needed, as a dynamic import would have been.
await build({
  ...common,
  entryPoints: { server: 'src/cli.ts' },
  outfile: 'dist/bundle/server.cjs',
  format: 'cjs',
  plugins: [...common.plugins, builtinDynamicImportsAsRequires, workerFiles],
  // The PostgreSQL client (pg and its own dependencies, some 160 KB of the bundle's 1.6 MB) is loaded from
  // node_modules, by the lazily evaluated PostgreSQL storage: every start of a server on LMDB reads the bundle
  // and deserializes its code cache, and paid for that text too (about 1 ms in alternating starts).
  external: ['pg'],
  // The sources are ES modules: import.meta.url is the bundle's own URL (the triggers' worker sits beside it),
  // which the loader passes in. The file is the function the loader compiles, as Node wraps a CommonJS module,
  // strict as those ES modules were: the loader compiles it as it is, without copying 1.6 MB of text around it.
  define: { ...common.define, 'import.meta.url': '__bundleUrl' },
  banner: { js: "(function (exports, require, module, __filename, __dirname, __bundleUrl) { 'use strict';" },
  footer: { js: '})' },
});

// An import() left in it would fail when run (see builtinDynamicImportsAsRequires): the build fails instead.
if (/\bimport\(/.test(readFileSync(join(ROOT, 'dist', 'bundle', 'server.cjs'), 'latin1'))) {
  throw new Error('dist/bundle/server.cjs has an import(), which its loader cannot run: make it a static import or a require');
}

// The command itself: CommonJS too, as Node starts a CommonJS entry some 5 ms sooner than an ES module one (it
// sets up no ES module loader).
await build({
  ...common,
  entryPoints: { cli: 'src/launch/code-cache-loader.ts' },
  outfile: 'dist/bundle/cli.js',
  format: 'cjs',
});

// The triggers' worker and its TypeScript loader hooks, ES modules (`.mjs` in this CommonJS directory) run in
// worker threads, started by URL relative to the module that starts them (src/triggers/module-invoker.ts,
// handler-worker.ts): they sit beside the server's bundle.
await build({
  ...common,
  entryPoints: { 'handler-worker': 'src/triggers/handler-worker.ts', 'typescript-hooks': 'src/triggers/typescript-hooks.ts' },
  outdir: 'dist/bundle',
  outExtension: { '.js': '.mjs' },
  plugins: [...common.plugins, workerFiles],
  splitting: true,
  format: 'esm',
  banner: { js: "import { createRequire as __bundleCreateRequire } from 'node:module'; const require = __bundleCreateRequire(import.meta.url);" },
});

// The bundle's own package scope: CommonJS, whatever the project's type. Node also looks for the package.json
// above a module it loads, directory by directory: with this file the search ends in the bundle's own directory.
writeFileSync(join(ROOT, 'dist', 'bundle', 'package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);

/**
 * V8's code cache of the server's bundle (src/launch/code-cache-loader.ts): one start of the bundled server on an
 * empty data directory, one request, and a graceful stop, after which the loader writes the functions compiled
 * by then. A build that cannot do this still works (the server compiles its bundle as before); it says so.
 */
async function writeCodeCache(): Promise<void> {
  const dataDirectory = mkdtempSync(join(tmpdir(), 'cairn-code-cache-'));
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'bundle', 'cli.js'), '--port', '0', '--data', dataDirectory], {
    env: { ...process.env, CAIRN_WRITE_CODE_CACHE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  try {
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the server did not start: ${output}`)), 30_000);
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk;
        const listening = /listening on (http:\/\/[^\s]+)/.exec(output);
        if (listening !== null) {
          clearTimeout(timer);
          resolve(listening[1] as string);
        }
      });
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
      void exited.then(() => reject(new Error(`the server exited: ${output}`)));
    });
    const answer = await fetch(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.0',
        'X-Amz-Target': 'DynamoDB_20120810.ListTables',
        'X-Amz-Date': '20260101T000000Z',
        Authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00',
      },
      body: '{}',
    });
    await answer.text();
    if (answer.status !== 200) throw new Error(`ListTables answered ${answer.status}`);
    child.kill('SIGTERM');
    if ((await exited) !== 0) throw new Error('the server did not exit cleanly');
    if (!existsSync(join(ROOT, 'dist', 'bundle', 'server.code-cache'))) throw new Error('no cache was written');
  } catch (error) {
    child.kill('SIGKILL');
    process.emitWarning(`bundle: no code cache (start-up compiles the bundle instead): ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    rmSync(dataDirectory, { recursive: true, force: true });
  }
}

await writeCodeCache();
