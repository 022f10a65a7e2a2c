import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LoadFigures } from './load.js';
import { renderReport, scaleP50Ratio, type BenchReport, type ScaleResult } from './report.js';

function figures(requestsPerSecond: number, extra: Partial<LoadFigures> = {}): LoadFigures {
  return {
    requestsPerSecond,
    p50Ms: 1.5,
    p99Ms: 12,
    completed: requestsPerSecond * 5,
    errors: 0,
    non2xx: 0,
    statusCodes: { '200': requestsPerSecond * 5 },
    ...extra,
  };
}

function report(overrides: Partial<BenchReport>): BenchReport {
  return {
    startedAt: new Date('2026-01-01T00:00:00.000Z'),
    elapsedSeconds: 150.4,
    environment: { node: 'v20.0.0', cpus: '2 x Test CPU', os: 'Linux 6', loadAverageBefore: '0.10', loadAverageAfter: '1.00' },
    settings: '64 keep-alive connections',
    scenarios: [],
    startup: [],
    skipped: [],
    notes: [],
    ...overrides,
  };
}

describe('renderReport', () => {
  it('prints the capacity part: throughput and CPU per request as paired ratios of --capacity off', () => {
    const text = renderReport(
      report({
        capacity: {
          settings: '64 keep-alive connections',
          failures: [],
          scenarios: [
            {
              scenario: 'GetItem',
              modes: [
                { mode: 'off', rounds: [figures(10_000), figures(12_000)], cpuMicrosPerRequest: [50, 60], processCpuMicros: [52.25, 57.5, 55] },
                // CPU ratios 50/52 and 60/63: median 0.9569.
                { mode: 'account', rounds: [figures(9_000), figures(12_000)], cpuMicrosPerRequest: [52, 63] },
                // CPU ratios 0.8 and 0.6: target missed.
                { mode: 'enforce', rounds: [figures(8_000), figures(12_000)], cpuMicrosPerRequest: [62.5, 100] },
              ],
            },
          ],
        },
      }),
    );
    const lines = text.split('\n');
    assert.ok(lines.includes('| GetItem | off | 11,000 | 1.00x | 55.0 µs (52.3-57.5 by process) | 1.00x | 1.50 ms | 12.0 ms | 0 |  |'), text);
    assert.ok(lines.includes('| GetItem | account | 10,500 | 0.95x | 57.5 µs | 0.96x | 1.50 ms | 12.0 ms | 0 | >= 0.95x: met |'), text);
    assert.ok(lines.includes('| GetItem | enforce | 10,000 | 0.90x | 81.3 µs | 0.70x | 1.50 ms | 12.0 ms | 0 | >= 0.95x: not met |'), text);
  });

  it('prints the capacity calls timed in process, as a share of the CPU per request with capacity off', () => {
    const off = { mode: 'off' as const, rounds: [figures(10_000)], cpuMicrosPerRequest: [50] };
    const text = renderReport(
      report({
        capacity: {
          settings: 'x',
          failures: [],
          scenarios: [{ scenario: 'GetItem', modes: [off] }],
          calls: { readNs: { account: 149.6, enforce: 153.6 }, writeNs: { account: 316.4, enforce: 320.1 } },
        },
      }),
    );
    assert.ok(
      text.includes(
        "a read's admit and charge 150 ns in account mode, 154 ns in enforce mode (0.3% of GetItem's CPU per request with capacity off); " +
          "a write's 316 / 320 ns.",
      ),
      text,
    );
  });

  it('prints each server as req/s, a paired ratio to the baseline, latencies and the target verdict', () => {
    const text = renderReport(
      report({
        scenarios: [
          {
            scenario: 'GetItem',
            peers: [
              { peer: 'baseline', label: 'baseline', rounds: [figures(10_000), figures(20_000), figures(12_000)] },
              // Per-round ratios 0.9, 0.85, 0.95: the median is 0.90, not the ratio of the medians (11,400 / 12,000).
              { peer: 'cairn', label: 'Cairn', rounds: [figures(9_000), figures(17_000), figures(11_400)] },
              { peer: 'dynalite', label: 'dynalite', rounds: [], failure: '400 ValidationException: no | pipes' },
            ],
          },
        ],
      }),
    );
    const lines = text.split('\n');
    assert.ok(lines.includes('| baseline | 12,000 | 1.00x | 1.50 ms | 12.0 ms | 0 |  |'), text);
    assert.ok(lines.includes('| Cairn | 11,400 | 0.90x | 1.50 ms | 12.0 ms | 0 | >= 0.85x: met |'), text);
    assert.ok(lines.includes('| dynalite | not measured: 400 ValidationException: no \\| pipes | | | | | |'), text);
    assert.ok(lines.includes('Per-round req/s: baseline 10,000 / 20,000 / 12,000 (spread 2.00x); cairn 9,000 / 17,000 / 11,400 (spread 1.89x).'), text);
  });

  it('marks a missed target, and invalidates figures that include failed requests', () => {
    const text = renderReport(
      report({
        scenarios: [
          {
            scenario: 'PutItem',
            peers: [
              { peer: 'baseline', label: 'baseline', rounds: [figures(10_000)] },
              { peer: 'cairn', label: 'Cairn', rounds: [figures(4_000)] },
            ],
          },
          {
            scenario: 'UpdateItem',
            peers: [
              { peer: 'baseline', label: 'baseline', rounds: [figures(10_000)] },
              { peer: 'cairn', label: 'Cairn', rounds: [figures(9_000, { non2xx: 30, errors: 2, statusCodes: { '200': 100, '400': 30 } })] },
            ],
          },
        ],
      }),
    );
    const lines = text.split('\n');
    assert.ok(lines.includes('| Cairn | 4,000 | 0.40x | 1.50 ms | 12.0 ms | 0 | >= 0.65x: missed |'), text);
    // The failed requests are counted and explained, and the ratio does not count as meeting the target.
    assert.ok(lines.includes('| Cairn | 9,000 | 0.90x | 1.50 ms | 12.0 ms | 32 of 45000 (!) | >= 0.60x: invalid (failed requests) |'), text);
    assert.ok(lines.includes('(!) Cairn: 30 x HTTP 400, 2 connection errors/timeouts'), text);
  });

  it('prints startup medians and memory, skipped servers and notes', () => {
    const text = renderReport(
      report({
        startup: [
          { peer: 'cairn', label: 'Cairn', startupMs: [120, 100, 300], idleRssKb: [51_200, 40_960, 61_440], peakRssKb: 102_400 },
          { peer: 'dynalite', label: 'dynalite', startupMs: [], idleRssKb: [], failure: 'exited with code 1' },
        ],
        skipped: [{ name: 'dynamodb-local', reason: 'not installed' }],
        notes: ['a note'],
      }),
    );
    const lines = text.split('\n');
    assert.ok(lines.includes('| Cairn | 120 ms (100 ms-300 ms) | 50.0 MiB | 100.0 MiB |'), text);
    assert.ok(lines.includes('| dynalite | failed: exited with code 1 | | n/a |'), text);
    assert.ok(lines.includes('- dynamodb-local: not installed'), text);
    assert.ok(lines.includes('- a note'), text);
    assert.ok(lines.includes('Run 2026-01-01T00:00:00.000Z in 150 s.'), text);
  });

  it('prints the Query-at-scale tables, their load rates and the p50 ratio against its target', () => {
    const scale: ScaleResult = {
      settings: '4 keep-alive connections',
      loadSettings: 'BatchWriteItem of 25',
      small: { label: 'small', items: 10_000, loadMs: 500, rounds: [figures(3_000, { p50Ms: 1 }), figures(3_000, { p50Ms: 2 })] },
      // Per-round p50 ratios 1.2 and 1.4: the median is 1.30 (not 2.0 / 1.5).
      large: { label: 'large', items: 1_000_000, loadMs: 40_000, rounds: [figures(2_500, { p50Ms: 1.2 }), figures(2_500, { p50Ms: 2.8 })] },
    };
    assert.ok(Math.abs(scaleP50Ratio(scale) - 1.3) < 1e-9);
    const text = renderReport(report({ scale }));
    const lines = text.split('\n');
    assert.ok(lines.includes('## Query latency at scale (Cairn)'), text);
    assert.ok(lines.includes('| 10,000 items | 500 ms | 20,000 | 3,000 | 1.50 ms | 12.0 ms | 0 |'), text);
    assert.ok(lines.includes('| 1,000,000 items | 40,000 ms | 25,000 | 2,500 | 2.00 ms | 12.0 ms | 0 |'), text);
    assert.ok(lines.includes('p50 1,000,000 / 10,000: 1.30x (target <= 1.50x: met); p99 ratio 1.00x.'), text);

    const slow = [figures(2_500, { p50Ms: 1.6 }), figures(2_500, { p50Ms: 3.2 })];
    const missed = renderReport(report({ scale: { ...scale, large: { ...scale.large, rounds: slow } } }));
    assert.ok(missed.includes('p50 1,000,000 / 10,000: 1.60x (target <= 1.50x: missed)'), missed);
    const failed = renderReport(report({ scale: { ...scale, large: { ...scale.large, rounds: [], failure: 'load | failed' } } }));
    assert.ok(failed.includes('| 1,000,000 items | not measured: load \\| failed | | | | | |'), failed);
    assert.ok(failed.includes('n/a (target <= 1.50x: not measured)'), failed);
  });

  it('shows a server that lacks the operation as n/a, and the multi-item writes beside PutItem', () => {
    const text = renderReport(
      report({
        scenarios: [
          {
            scenario: 'PutItem',
            peers: [
              { peer: 'baseline', label: 'baseline', rounds: [figures(10_000), figures(10_000)] },
              { peer: 'cairn', label: 'Cairn', rounds: [figures(5_000), figures(4_000)] },
              { peer: 'dynalite', label: 'dynalite', rounds: [figures(2_000), figures(2_000)] },
            ],
          },
          {
            scenario: 'TransactWriteItems2',
            peers: [
              { peer: 'baseline', label: 'baseline', rounds: [figures(8_000), figures(8_000)] },
              { peer: 'cairn', label: 'Cairn', rounds: [figures(3_000), figures(3_000)] },
              { peer: 'dynalite', label: 'dynalite', rounds: [], failure: 'dynalite has no transactions', unsupported: true },
            ],
          },
          {
            scenario: 'TransactWriteItems10',
            peers: [
              { peer: 'baseline', label: 'baseline', rounds: [figures(4_000), figures(4_000)] },
              { peer: 'cairn', label: 'Cairn', rounds: [figures(900, { p50Ms: 30, p99Ms: 80 }), figures(1_100, { p50Ms: 30, p99Ms: 80 })] },
              { peer: 'dynalite', label: 'dynalite', rounds: [], failure: 'dynalite has no transactions', unsupported: true },
            ],
          },
        ],
      }),
    );
    const lines = text.split('\n');
    assert.ok(lines.includes('## TransactWriteItems2'), text);
    assert.ok(lines.includes('| dynalite | n/a (dynalite has no transactions) | n/a | | | | |'), text);
    assert.ok(lines.includes('| Cairn | 3,000 | 0.38x | 1.50 ms | 12.0 ms | 0 |  |'), text);
    assert.ok(lines.includes('## Multi-item writes beside PutItem (Cairn)'), text);
    // PutItem: 4,500 items/s; 2 x 3,000 = 6,000 is 1.33x of it; 10 x 1,000 = 10,000 is 2.22x.
    assert.ok(lines.includes('| PutItem | 1 | 4,500 | 4,500 | 1.00x | 0.45x | 1.50 ms | 12.0 ms | 0.20x |'), text);
    assert.ok(lines.includes('| TransactWriteItems2 | 2 | 3,000 | 6,000 | 1.33x | 0.38x | 1.50 ms | 12.0 ms | n/a |'), text);
    assert.ok(lines.includes('| TransactWriteItems10 | 10 | 1,000 | 10,000 | 2.22x | 0.25x | 30.0 ms | 80.0 ms | n/a |'), text);
    assert.ok(!text.includes('not among the scenarios'), text);
  });

  it('the multi-item comparison says when PutItem was not measured, and is left out without transactions', () => {
    const alone = renderReport(
      report({
        scenarios: [
          {
            scenario: 'TransactWriteItems2',
            peers: [
              { peer: 'baseline', label: 'baseline', rounds: [figures(8_000)] },
              { peer: 'cairn', label: 'Cairn', rounds: [figures(2_000)] },
            ],
          },
        ],
      }),
    );
    assert.ok(alone.split('\n').includes('| TransactWriteItems2 | 2 | 2,000 | 4,000 | n/a | 0.25x | 1.50 ms | 12.0 ms |'), alone);
    assert.ok(alone.includes('PutItem was not among the scenarios of this run'), alone);
    const none = renderReport(
      report({ scenarios: [{ scenario: 'PutItem', peers: [{ peer: 'baseline', label: 'baseline', rounds: [figures(1)] }] }] }),
    );
    assert.ok(!none.includes('Multi-item writes'), none);
  });

  it("judges Scan in MB/s of items served (1 MB pages) and BatchGetItem as a ratio of the baseline", () => {
    const text = renderReport(
      report({
        scenarios: [
          {
            scenario: 'Scan',
            peers: [
              { peer: 'baseline', label: 'baseline', rounds: [figures(175)] },
              { peer: 'cairn', label: 'Cairn', rounds: [figures(227)] },
            ],
          },
          {
            scenario: 'BatchGetItem',
            peers: [
              { peer: 'baseline', label: 'baseline', rounds: [figures(2400)] },
              { peer: 'cairn', label: 'Cairn', rounds: [figures(600)] },
            ],
          },
        ],
      }),
    );
    const lines = text.split('\n');
    // 227 pages of 1,048,576 bytes a second: 238 MB/s.
    assert.ok(lines.includes('| Cairn | 227 | 1.30x | 1.50 ms | 12.0 ms | 0 | 238 MB/s, >= 200: met |'), text);
    assert.ok(lines.includes('| Cairn | 600 | 0.25x | 1.50 ms | 12.0 ms | 0 | >= 0.40x: missed |'), text);
  });

  it('leaves the scale section out when it did not run', () => {
    assert.ok(!renderReport(report({})).includes('at scale'));
  });
});
