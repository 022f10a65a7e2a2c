import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newRequestId } from './request-id.js';

test('request ids are 52 characters of [0-9A-Z], distinct, across pool refills', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 1000; i++) {
    const id = newRequestId();
    assert.match(id, /^[0-9A-Z]{52}$/);
    seen.add(id);
  }
  assert.equal(seen.size, 1000);
});
