import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { crc32, portableCrc32 } from './crc32.js';

/** The checksum in use (zlib's on this runtime) and the fallback for runtimes without it must agree. */
const IMPLEMENTATIONS = [
  ['crc32', crc32],
  ['portableCrc32', portableCrc32],
] as const;

const utf8 = (s: string): Uint8Array => Buffer.from(s, 'utf8');

for (const [name, checksum] of IMPLEMENTATIONS) {
  test(`${name} matches known vectors, including bodies DynamoDB itself answers with`, () => {
    const vectors: ReadonlyArray<readonly [string, number]> = [
      ['', 0],
      ['a', 0xe8b7be43],
      ['123456789', 0xcbf43926],
      ['The quick brown fox jumps over the lazy dog', 0x414fa339],
      // Checksums DynamoDB sent for these exact bodies.
      ['<UnknownOperationException/>\n', 3552371480],
      ['{"__type":"com.amazon.coral.service#SerializationException"}', 3948637019],
      ['{"__type":"com.amazon.coral.service#UnknownOperationException"}', 1368724161],
      ['healthy: dynamodb.us-east-1.amazonaws.com ', 3128867991],
      [
        '{"__type":"com.amazon.coral.service#MissingAuthenticationTokenException","message":"Request is missing Authentication Token"}',
        2088342776,
      ],
    ];
    for (const [input, expected] of vectors) assert.equal(checksum(utf8(input)), expected, JSON.stringify(input));
  });

  test(`${name} agrees with a byte-at-a-time reference on every length 0..64 and random data, and continues`, () => {
    const reference = (bytes: Uint8Array): number => {
      let c = 0xffffffff;
      for (const byte of bytes) {
        c ^= byte;
        for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      }
      return (c ^ 0xffffffff) >>> 0;
    };
    const data = randomBytes(4099);
    for (let length = 0; length <= 64; length++) {
      const slice = data.subarray(0, length);
      assert.equal(checksum(slice), reference(slice), `length ${length}`);
    }
    assert.equal(checksum(data), reference(data));
    // A checksum continued over two pieces equals the checksum of the whole, at any split (aligned or not).
    for (const split of [0, 1, 7, 8, 1000, 4099]) {
      assert.equal(checksum(data.subarray(split), checksum(data.subarray(0, split))), reference(data), `split ${split}`);
    }
  });
}
