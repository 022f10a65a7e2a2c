import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LoadFigures } from './load.js';
import { renderPostgresCost, type PostgresMode, type PostgresModeFigures } from './postgres-cost.js';

function round(requestsPerSecond: number): LoadFigures {
  return { requestsPerSecond, p50Ms: 2, p99Ms: 9, completed: requestsPerSecond, errors: 0, non2xx: 0, statusCodes: { 200: requestsPerSecond } };
}

function mode(name: PostgresMode, frontEnds: number, rates: number[]): PostgresModeFigures {
  return { mode: name, frontEnds, rounds: rates.map(round), cpuMicrosPerRequest: rates.map(() => 100) };
}

describe('renderPostgresCost', () => {
  it('prints each set-up as a ratio to the baseline and to one front end, with the target on one front end only', () => {
    const lines: string[] = [];
    renderPostgresCost(lines, {
      settings: 'test settings',
      scenarios: [
        {
          scenario: 'PutItem',
          modes: [mode('node+pg', 1, [1000, 1000]), mode('cairn x1', 1, [700, 600]), mode('cairn x2', 2, [1050, 900]), mode('cairn x3', 3, [1400, 1200])],
        },
        { scenario: 'Query', modes: [mode('node+pg', 1, [500]), mode('cairn x1', 1, [250])] },
      ],
      failures: ['TransactWriteItems2 on cairn x2: refused'],
    });
    const rows = lines.filter((line) => line.startsWith('| PutItem') || line.startsWith('| Query'));
    assert.deepEqual(rows, [
      '| PutItem | node+pg | 1000 | 1.00x |  | 100.0 µs | 2.00 ms | 9.00 ms | 0 |  |',
      '| PutItem | cairn x1 | 650 | 0.65x | 1.00x | 100.0 µs | 2.00 ms | 9.00 ms | 0 | >= 0.60x: met |',
      '| PutItem | cairn x2 | 975 | 0.98x | 1.50x | 100.0 µs | 2.00 ms | 9.00 ms | 0 |  |',
      '| PutItem | cairn x3 | 1300 | 1.30x | 2.00x | 100.0 µs | 2.00 ms | 9.00 ms | 0 |  |',
      '| Query | node+pg | 500 | 1.00x |  | 100.0 µs | 2.00 ms | 9.00 ms | 0 |  |',
      '| Query | cairn x1 | 250 | 0.50x | 1.00x | 100.0 µs | 2.00 ms | 9.00 ms | 0 |  |',
    ]);
    assert.ok(lines.includes('- not measured: TransactWriteItems2 on cairn x2: refused'));
  });
});
