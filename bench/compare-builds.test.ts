import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCompareOptions, renderComparison } from './compare-builds.js';
import type { LoadFigures } from './load.js';

const ROOT = '/checkout';

function round(requestsPerSecond: number): LoadFigures {
  return { requestsPerSecond, p50Ms: 1, p99Ms: 2, completed: requestsPerSecond, errors: 0, non2xx: 0, statusCodes: { '200': requestsPerSecond } };
}

describe('parseCompareOptions', () => {
  it('compares --before with this checkout by default', () => {
    assert.deepEqual(parseCompareOptions(['--before', '/old'], ROOT), {
      before: '/old',
      after: ROOT,
      scenarios: ['PutItem', 'UpdateItem', 'BatchWriteItem'],
      rounds: 6,
      durationSeconds: 3,
      warmupSeconds: 1,
    });
  });

  it('takes the scenarios, rounds and durations given', () => {
    assert.deepEqual(
      parseCompareOptions(['--before', '/a', '--after', '/b', '--scenarios', 'GetItem,Query', '--rounds', '10', '--duration', '2', '--warmup', '0'], ROOT),
      { before: '/a', after: '/b', scenarios: ['GetItem', 'Query'], rounds: 10, durationSeconds: 2, warmupSeconds: 0 },
    );
  });

  it('refuses what it cannot run', () => {
    assert.equal(parseCompareOptions([], ROOT), '--before <directory> is required');
    assert.equal(
      parseCompareOptions(['--before', '/a', '--scenarios', 'PutItem,DeleteTable'], ROOT),
      'unknown scenario DeleteTable (one of GetItem, PutItem, UpdateItem, Query, QueryReverse, BatchWriteItem, TransactWriteItems2, TransactWriteItems10, BatchGetItem, Scan, DeleteItem)',
    );
    assert.equal(parseCompareOptions(['--before', '/a', '--scenarios', 'DeleteItem'], ROOT), 'DeleteItem is measured by npm run bench only');
    assert.equal(parseCompareOptions(['--before', '/a', '--scenarios', ','], ROOT), '--scenarios names no scenario');
    assert.equal(parseCompareOptions(['--before', '/a', '--rounds', '0'], ROOT), '--rounds must be an integer from 1 to 30');
    assert.equal(parseCompareOptions(['--before', '/a', '--duration', '1.5'], ROOT), '--duration must be an integer from 1 to 60');
    assert.match(parseCompareOptions(['--before', '/a', '--speed', '3'], ROOT) as string, /Unknown option '--speed'/);
  });
});

describe('renderComparison', () => {
  it('gives each build its medians and the CPU ratios round by round', () => {
    const line = renderComparison('PutItem', [
      { mode: 'before', rounds: [round(1000), round(1200), round(1100)], cpuMicrosPerRequest: [100, 90, 110] },
      { mode: 'after', rounds: [round(1300), round(1250), round(1400)], cpuMicrosPerRequest: [80, 90, 88] },
    ]);
    assert.equal(
      line,
      'PutItem: before 100.0 µs/request, 1100 req/s; after 88.0 µs/request, 1300 req/s; CPU after/before by round 0.80 1.00 0.80, median 0.800',
    );
  });

  it('says so when a build was not measured', () => {
    assert.equal(renderComparison('GetItem', []), 'GetItem: not measured');
  });
});
