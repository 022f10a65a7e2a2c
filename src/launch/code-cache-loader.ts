#!/usr/bin/env node
/**
 * The entry of the bundled `cairn` command (dist/bundle/cli.js, CommonJS): runs the server's bundle, server.cjs,
 * compiled with V8's code cache (server.code-cache, written when the bundle is built: scripts/bundle.ts). It runs
 * only bundled, as CommonJS: __dirname is the bundle's directory.
 *
 * Why: compiling the bundle's JavaScript was the largest part of start-up. V8 parses every top-level function of
 * a script before it runs any of it: for the server's 1.2 to 1.7 MB that was some 20 to 30 ms of the 140 ms to the
 * first answer, every start. With the cache V8 deserializes the functions compiled in an earlier run instead (about
 * 3 ms). Node 20 keeps no code cache for ES modules (module.enableCompileCache came in
 * Node 22), so the bundle is CommonJS, compiled here as Node compiles a CommonJS module (the same wrapper
 * function), with vm.Script, which takes a cache.
 *
 * A cache V8 rejects (another V8 version or other V8 flags than the build's) costs nothing but the ordinary
 * compile; a missing one (a build that could not write it) the same.
 *
 * With CAIRN_WRITE_CODE_CACHE set, the cache is written when the process exits: the functions compiled by then
 * (start-up and the requests served) are in it. The build does that with one start and one request.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';

const directory = __dirname;
const bundlePath = join(directory, 'server.cjs');
const cachePath = join(directory, 'server.code-cache');

let cachedData: Buffer | undefined;
try {
  cachedData = readFileSync(cachePath);
} catch {
  // No cache: compiled as usual.
}
// The bundle is one function expression (scripts/bundle.ts), ASCII only (esbuild escapes the rest): read as
// latin1, its text becomes a one-byte string without a UTF-8 decoding pass.
const source = readFileSync(bundlePath, 'latin1');
const script = new vm.Script(source, {
  filename: bundlePath,
  ...(cachedData !== undefined ? { cachedData } : {}),
});

if (process.env['CAIRN_WRITE_CODE_CACHE'] !== undefined) {
  process.once('exit', () => {
    const temporary = `${cachePath}.${process.pid}`;
    writeFileSync(temporary, script.createCachedData());
    renameSync(temporary, cachePath);
  });
}

type Wrapper = (exports: object, require: NodeJS.Require, module: { exports: object }, filename: string, dirname: string, url: string) => void;
const run = script.runInThisContext() as Wrapper;
const module = { exports: {} };
run(module.exports, createRequire(bundlePath), module, bundlePath, directory, pathToFileURL(bundlePath).href);
