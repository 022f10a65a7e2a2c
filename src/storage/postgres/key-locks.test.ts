import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeyLocks } from './key-locks.js';

test('holders of a key take turns in the order they asked; other keys do not wait', async () => {
  const locks = new KeyLocks();
  const order: string[] = [];
  const first = await locks.acquire(['a', 'b']);
  const second = locks.acquire(['b', 'a']).then((release) => {
    order.push('second');
    return release;
  });
  const third = locks.acquire(['a']).then((release) => {
    order.push('third');
    return release;
  });
  const other = await locks.acquire(['c']);
  order.push('other');
  other();
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(order, ['other']);
  first();
  (await second)();
  (await third)();
  assert.deepEqual(order, ['other', 'second', 'third']);
  // Everything released: a new holder gets the keys at once.
  (await locks.acquire(['a', 'b', 'c']))();
});
