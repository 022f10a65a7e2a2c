import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mergeProcesses, perProcessSeconds, type ModeFigures } from './alternating-rounds.js';
import type { LoadFigures } from './load.js';

function load(requestsPerSecond: number, completed: number, p99Ms: number, non2xx = 0): LoadFigures {
  return { requestsPerSecond, p50Ms: p99Ms / 4, p99Ms, completed, errors: 0, non2xx, statusCodes: { '200': completed - non2xx, ...(non2xx > 0 ? { '400': non2xx } : {}) } };
}

describe('mergeProcesses', () => {
  it('merges the processes of a mode round by round: mean throughput, CPU over all requests, median percentiles, summed counts', () => {
    const figures: ModeFigures<'off' | 'on'>[] = [
      { mode: 'off', rounds: [load(1000, 3000, 8), load(1100, 3300, 9)], cpuMicrosPerRequest: [40, 42] },
      { mode: 'on', rounds: [load(900, 2700, 10)], cpuMicrosPerRequest: [50] },
      { mode: 'off', rounds: [load(2000, 6000, 4, 6), load(1900, 5700, 5)], cpuMicrosPerRequest: [46, 44] },
      { mode: 'off', rounds: [load(1500, 4500, 6), load(1500, 4500, 7)], cpuMicrosPerRequest: [45, 45] },
    ];
    const merged = mergeProcesses(figures);
    assert.deepEqual(merged.map((figure) => figure.mode), ['off', 'on']);
    const off = merged[0] as ModeFigures<'off' | 'on'>;
    assert.deepEqual(off.rounds[0], { requestsPerSecond: 1500, p50Ms: 1.5, p99Ms: 6, completed: 13_500, errors: 0, non2xx: 6, statusCodes: { '200': 13_494, '400': 6 } });
    assert.equal(off.rounds[1]?.requestsPerSecond, 1500);
    // (40 x 3000 + 46 x 6000 + 45 x 4500) / 13,500 and (42 x 3300 + 44 x 5700 + 45 x 4500) / 13,500.
    assert.deepEqual(off.cpuMicrosPerRequest, [44.333333333333336, 43.84444444444444]);
    assert.deepEqual(off.processCpuMicros, [41, 45, 45]);
    // A mode on one process is passed on as it was measured.
    assert.equal(merged[1], figures[1]);
  });

  it('keeps a round near its length when a mode runs on several processes', () => {
    assert.equal(perProcessSeconds(5, 1), 5);
    assert.equal(perProcessSeconds(5, 2), 3);
    assert.equal(perProcessSeconds(9, 3), 3);
    assert.equal(perProcessSeconds(2, 3), 2);
  });
});
