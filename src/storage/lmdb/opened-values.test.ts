import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OpenedValues } from './opened-values.js';

const key = (text: string): Uint8Array => Buffer.from(text);
const value = (bytes: number): Buffer => Buffer.alloc(bytes, 0x61);

test('values are found by space and key bytes, and forgotten one by one or a space at a time', () => {
  const values = new OpenedValues(1000);
  values.set('a', key('k1'), value(10));
  values.set('b', key('k1'), value(20));
  assert.equal(values.get('a', key('k1'))?.length, 10);
  assert.equal(values.get('b', key('k1'))?.length, 20);
  assert.equal(values.get('a', key('k2')), undefined);
  assert.equal(values.size, 30);
  values.delete('a', key('k1'));
  assert.equal(values.get('a', key('k1')), undefined);
  assert.equal(values.size, 20);
  values.dropSpace('b');
  assert.equal(values.get('b', key('k1')), undefined);
  assert.equal(values.size, 0);
});

test('past the budget the oldest values go first; a value larger than the budget is not kept', () => {
  const values = new OpenedValues(100);
  for (let i = 0; i < 5; i++) values.set('s', key(`k${i}`), value(30));
  assert.equal(values.size, 90);
  assert.equal(values.get('s', key('k0')), undefined);
  assert.equal(values.get('s', key('k1')), undefined);
  assert.equal(values.get('s', key('k4'))?.length, 30);
  values.set('s', key('huge'), value(101));
  assert.equal(values.get('s', key('huge')), undefined);
  assert.equal(values.size, 90);
});

test('keys read, written and read again under budget do not grow the eviction order without end', () => {
  const values = new OpenedValues(1_000_000);
  for (let i = 0; i < 100_000; i++) {
    values.set('s', key('same'), value(10));
    values.delete('s', key('same'));
  }
  const order = (values as unknown as { order: unknown[]; orderStart: number }).order;
  assert.ok(order.length <= 1100, `order holds ${order.length}`);
  assert.equal(values.size, 0);
});
