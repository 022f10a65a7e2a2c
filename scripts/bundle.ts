/**
 * Bundles the server into dist/bundle/ with esbuild (run after tsc by `npm run build`): `npm start` and the `cairn`
 * bin run dist/bundle/cli.js.
 *
 * Why: start-up was mostly Node's ES module loader — resolving, reading and linking some 300 files, one by one,
 * before the first answer. One bundle is a handful of files. Code splitting keeps the CLI's dynamic imports lazy
 * (the server, the storage engine, the audit trail, auth and TLS files, the triggers' service load when they are
 * needed, as they do unbundled).
 *
 * lmdb stays external: it finds its native module relative to its own files.
 */
import { build, type Plugin } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

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
  external: ['lmdb'],
  plugins: [leaveOutUnusedPromClient],
  // prom-client is CommonJS: its require() calls of Node's modules need a real require in an ES module.
  banner: { js: "import { createRequire as __bundleCreateRequire } from 'node:module'; const require = __bundleCreateRequire(import.meta.url);" },
  sourcemap: true,
  logLevel: 'warning',
});
