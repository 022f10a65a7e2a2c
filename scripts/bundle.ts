/**
 * Bundles the server into dist/bundle/ with esbuild (run after tsc by `npm run build`): `npm start` and the `cairn`
 * bin run dist/bundle/cli.js.
 *
 * Why: start-up was mostly Node's ES module loader — resolving, reading and linking some 300 files, one by one,
 * before the first answer. One bundle is a handful of files. Code splitting keeps the CLI's dynamic imports lazy
 * (the server, the storage engine, the audit trail, auth and TLS files, the triggers' service load when they are
 * needed, as they do unbundled).
 *
 * lmdb is bundled too, with its JavaScript dependencies (msgpackr, ordered-binary, weak-lru-cache): loaded as
 * separate modules they cost the ES module loader some 20 files, and finding lmdb's native addon at run time
 * (node-gyp-build-optional-packages: the libc family, the prebuilds' directories, the platform package) cost
 * more than loading it; see nativeAddonAtBuildTime below.
 */
import { build, type Plugin } from 'esbuild';
import { rmSync, writeFileSync } from 'node:fs';
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

// Chunk names carry a content hash: the chunks of an earlier build would stay behind.
rmSync(join(ROOT, 'dist', 'bundle'), { recursive: true, force: true });

await build({
  absWorkingDir: ROOT,
  entryPoints: {
    cli: 'src/cli.ts',
    // The triggers' worker and its TypeScript loader hooks are started by URL, relative to the module that starts
    // them (src/triggers/module-invoker.ts, handler-worker.ts): they sit beside the chunks under the same names.
    'handler-worker': 'src/triggers/handler-worker.ts',
    'typescript-hooks': 'src/triggers/typescript-hooks.ts',
  },
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // msgpackr's native accelerator (msgpackr-extract, found at run time as lmdb's addon was): Cairn stores JSON,
  // not msgpack (src/storage/lmdb/lmdb-storage.ts), so it would be loaded for nothing.
  define: { 'process.env.MSGPACKR_NATIVE_ACCELERATION_DISABLED': '"true"' },
  plugins: [leaveOutUnusedPromClient, nativeAddonAtBuildTime],
  // prom-client is CommonJS: its require() calls of Node's modules need a real require in an ES module.
  banner: { js: "import { createRequire as __bundleCreateRequire } from 'node:module'; const require = __bundleCreateRequire(import.meta.url);" },
  sourcemap: true,
  logLevel: 'warning',
});

// The bundle's own package scope. Node's ES module loader looks for the package.json above every module it
// resolves, directory by directory, converting a file URL to a path at each step: for the bundle's chunks under
// dist/bundle/ that was enough work at start-up for V8 to compile that conversion with its optimizing compiler,
// some 3 MB of resident memory (the compiler's own code) in a server that had just started. With this file the
// search ends in the bundle's own directory. Its type is the project's: the chunks are ES modules.
writeFileSync(join(ROOT, 'dist', 'bundle', 'package.json'), `${JSON.stringify({ type: 'module' })}\n`);
