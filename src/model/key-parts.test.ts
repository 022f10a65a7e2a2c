import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TableKey } from '../engine/table-metadata.js';
import { allKeyParts, isMultiAttributeKey, keyParts } from './key-parts.js';

describe('keyParts', () => {
  it('reads a key without parts as one HASH and at most one RANGE attribute', () => {
    const key: TableKey = { hash: { name: 'pk', type: 'S' }, range: { name: 'sk', type: 'N' } };
    assert.deepEqual(keyParts(key), { hash: [{ name: 'pk', type: 'S' }], range: [{ name: 'sk', type: 'N' }] });
    assert.deepEqual(keyParts({ hash: { name: 'pk', type: 'B' } }), { hash: [{ name: 'pk', type: 'B' }], range: [] });
    assert.equal(isMultiAttributeKey(key), false);
    assert.equal(allKeyParts(key), allKeyParts(key), 'memoised');
  });

  it('gives every part of a multi-attribute key, HASH first', () => {
    const parts = {
      hash: [
        { name: 'a', type: 'S' as const },
        { name: 'b', type: 'N' as const },
      ],
      range: [{ name: 'c', type: 'B' as const }],
    };
    const key: TableKey = { hash: { name: 'a', type: 'S' }, range: { name: 'c', type: 'B' }, parts };
    assert.equal(keyParts(key), parts);
    assert.deepEqual(allKeyParts(key).map((part) => part.name), ['a', 'b', 'c']);
    assert.equal(isMultiAttributeKey(key), true);
  });
});
