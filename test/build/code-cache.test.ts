/**
 * The bundled command's code cache (src/launch/code-cache-loader.ts, scripts/bundle.ts): the build writes it, and
 * V8 accepts it for the bundle it was written for. A cache V8 silently rejected would cost every start the whole
 * compile (20-30 ms) and nothing would say so.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import vm from 'node:vm';

const BUNDLE = fileURLToPath(new URL('../../bundle/server.cjs', import.meta.url));
const CACHE = fileURLToPath(new URL('../../bundle/server.code-cache', import.meta.url));

describe('the bundle code cache', () => {
  it('is written by the build and accepted by V8 for the bundle', () => {
    const cachedData = readFileSync(CACHE);
    assert.ok(cachedData.length > 100_000, `a cache of ${cachedData.length} bytes holds too little of the bundle`);
    const script = new vm.Script(readFileSync(BUNDLE, 'latin1'), { filename: BUNDLE, cachedData });
    assert.equal(script.cachedDataRejected, false);
  });

  it('is rejected for other text, which then compiles as usual', () => {
    const cachedData = readFileSync(CACHE);
    const script = new vm.Script('(function () { return 1; })', { filename: BUNDLE, cachedData });
    assert.equal(script.cachedDataRejected, true);
    assert.equal((script.runInThisContext() as () => number)(), 1);
  });
});
