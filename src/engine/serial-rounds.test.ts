import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SerialRounds } from './serial-rounds.js';

test('rounds run one after the other, in the order asked, and pending counts those not ended', async () => {
  const reported: unknown[] = [];
  const rounds = new SerialRounds((error) => reported.push(error), 10_000);
  const events: string[] = [];
  let release: () => void = () => undefined;
  const first = rounds.run(
    () =>
      new Promise<void>((resolve) => {
        events.push('first starts');
        release = () => {
          events.push('first ends');
          resolve();
        };
      }),
  );
  const second = rounds.run(async () => {
    events.push('second runs');
  });
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(events, ['first starts']);
  assert.equal(rounds.pending, 2);
  release();
  await Promise.all([first, second, rounds.ended()]);
  assert.deepEqual(events, ['first starts', 'first ends', 'second runs']);
  assert.equal(rounds.pending, 0);
  assert.deepEqual(reported, []);
});

test('a failing round is reported once per interval, never when silenced, and later rounds still run', async () => {
  const reported: string[] = [];
  const rounds = new SerialRounds((error) => reported.push((error as Error).message), 60_000);
  const failing = async (): Promise<void> => {
    throw new Error('storage down');
  };
  await rounds.run(failing);
  await rounds.run(failing);
  let ran = false;
  await rounds.run(async () => {
    ran = true;
  });
  assert.deepEqual(reported, ['storage down']);
  assert.equal(ran, true);

  const silenced = new SerialRounds((error) => reported.push((error as Error).message), 0);
  await silenced.run(failing, () => true);
  assert.deepEqual(reported, ['storage down']);
  assert.equal(silenced.pending, 0);
});
