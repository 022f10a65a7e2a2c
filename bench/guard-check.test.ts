import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkFigures, parseGuardFile, renderVerdicts, updatedFile, type GuardFile } from './guard-check.js';

const committed: GuardFile = {
  recorded: 'test',
  figures: {
    GetItem: { ratio: 0.8, better: 'higher', tolerance: 0.2 },
    'start-up': { ratio: 2, better: 'lower', tolerance: 0.25 },
  },
};

describe('bench:guard verdicts', () => {
  it('passes figures within tolerance, in either direction', () => {
    const verdicts = checkFigures(committed, new Map([['GetItem', 0.65], ['start-up', 2.4]]));
    assert.deepEqual(verdicts.map((verdict) => [verdict.name, verdict.passed]), [['GetItem', true], ['start-up', true]]);
    assert.equal(verdicts[0]?.limit.toFixed(2), '0.64');
    assert.equal(verdicts[1]?.limit.toFixed(2), '2.50');
  });

  it('fails a figure worse than its tolerance allows, and says which and how to record new figures', () => {
    const verdicts = checkFigures(committed, new Map([['GetItem', 0.63], ['start-up', 1]]));
    assert.deepEqual(verdicts.map((verdict) => verdict.passed), [false, true]);
    const lines = renderVerdicts(verdicts);
    assert.equal(lines[0], 'FAIL GetItem: 0.63x (committed 0.80x, must be >= 0.64x: 20% tolerance)');
    assert.equal(lines[1], 'ok   start-up: 1.00x (committed 2.00x, must be <= 2.50x: 25% tolerance)');
    assert.equal(
      lines[2],
      'bench:guard FAILED: GetItem regressed beyond tolerance (if the change is intended, record new figures with `npm run bench:guard -- --update` and commit them)',
    );
  });

  it('fails a figure this run did not measure', () => {
    const verdicts = checkFigures(committed, new Map([['GetItem', 0.9]]));
    assert.deepEqual(verdicts.map((verdict) => verdict.passed), [true, false]);
    assert.match(renderVerdicts(verdicts)[1] ?? '', /^FAIL start-up: not measured/);
  });

  it('records new ratios and keeps each figure\'s direction and tolerance', () => {
    const file = updatedFile(committed, { GetItem: { better: 'higher', tolerance: 0.1 }, 'start-up': { better: 'lower', tolerance: 0.1 } }, new Map([['GetItem', 0.91234], ['start-up', 1.5]]), 'now');
    assert.deepEqual(file, {
      recorded: 'now',
      figures: { GetItem: { ratio: 0.912, better: 'higher', tolerance: 0.2 }, 'start-up': { ratio: 1.5, better: 'lower', tolerance: 0.25 } },
    });
    assert.throws(() => updatedFile(undefined, { PutItem: { better: 'higher', tolerance: 0.1 } }, new Map(), 'now'), /cannot record PutItem/);
  });

  it('reads a guard file and says what is wrong with a bad one', () => {
    assert.deepEqual(parseGuardFile(JSON.stringify(committed)), committed);
    assert.throws(() => parseGuardFile('{"figures":{"GetItem":{"ratio":0.8,"better":"up","tolerance":0.2}}}'), /figure GetItem: "better" must be "higher" or "lower"/);
    assert.throws(() => parseGuardFile('[]'), /no "figures" object/);
  });
});
