import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CopySlab } from './copy-slab.js';

describe('CopySlab', () => {
  test('each copy holds the bytes given, and keeps them when the source is reused', () => {
    const slab = new CopySlab(16, 64);
    const source = Buffer.from('abcdefghij');
    const first = slab.copy(source.subarray(0, 5));
    source.fill(0x7a);
    const second = slab.copy(Buffer.from('klmno'));
    assert.equal(first.toString(), 'abcde');
    assert.equal(second.toString(), 'klmno');
    // The second copy follows the first in the same block, 8-byte aligned.
    assert.equal(second.buffer, first.buffer);
    assert.equal(second.byteOffset - first.byteOffset, 8);
  });

  test('a full block is followed by a larger one, up to the largest', () => {
    const slab = new CopySlab(16, 64);
    const copies = Array.from({ length: 12 }, (_, index) => slab.copy(Buffer.alloc(12, 97 + index)));
    const blocks = [...new Set(copies.map((copy) => copy.buffer))];
    // 12 bytes take 16 with the alignment: 1 copy in the first block, 2 in the second, 4 in each of 64 bytes.
    assert.deepEqual(
      blocks.map((block) => block.byteLength),
      [16, 32, 64, 64, 64],
    );
    copies.forEach((copy, index) => assert.deepEqual([...copy], new Array<number>(12).fill(97 + index)));
  });

  test('a value larger than a quarter of the largest block gets a buffer of its own', () => {
    const slab = new CopySlab(16, 64);
    const small = slab.copy(Buffer.from('xy'));
    const large = slab.copy(Buffer.alloc(17, 1));
    assert.notEqual(large.buffer, small.buffer);
    assert.equal(large.byteLength, 17);
    assert.equal(large.buffer.byteLength, 17);
    // The block of the small copy is still the one the next small copy uses.
    assert.equal(slab.copy(Buffer.from('z')).buffer, small.buffer);
  });

  test('an empty value', () => {
    assert.equal(new CopySlab(16, 64).copy(new Uint8Array(0)).length, 0);
  });
});
