import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { TableKey } from '../engine/table-metadata.js';
import type { Item } from './attribute-value.js';
import { compareNumbers, normalizeNumber } from './decimal.js';
import {
  encodeIndexEntryKey,
  encodeItemKey,
  escapeSortValue,
  hasIndexKey,
  indexSortKeyRange,
  encodeKeyValue,
  encodeNumber,
  keyAfter,
  MAX_INDEX_ENTRY_KEY,
  multiKeyIndexRange,
  partitionHash,
  partitionRange,
  scanSegmentRange,
  sortKeyRange,
  type KeyRange,
  type KeyValue,
  type SortKeyCondition,
} from './key-encoding.js';
import { compareUtf8 } from './utf8.js';

const bytes = (data: Uint8Array): Buffer => Buffer.from(data.buffer, data.byteOffset, data.byteLength);
const compareBytes = (a: Uint8Array, b: Uint8Array): number => Math.sign(Buffer.compare(bytes(a), bytes(b)));
const inRange = (key: Uint8Array, range: KeyRange): boolean =>
  compareBytes(key, range.start) >= 0 && compareBytes(key, range.end) < 0;

/** Decimal strings from random (mantissa, exponent) pairs, covering DynamoDB's whole range and both signs. */
const decimalText = fc
  .record({
    sign: fc.constantFrom('', '-'),
    digits: fc.stringMatching(/^[0-9]{1,38}$/),
    exponent: fc.integer({ min: -130, max: 88 }),
  })
  .map(({ sign, digits, exponent }) => `${sign}${digits}e${exponent}`);

describe('encodeNumber', () => {
  const ordered = [
    '-9.9999999999999999999999999999999999999e125',
    '-1e125',
    '-1000',
    '-999.99',
    '-10',
    '-1.55',
    '-1.5',
    '-1',
    '-0.5',
    '-1e-130',
    '0',
    '1e-130',
    '0.001',
    '0.5',
    '1',
    '1.5',
    '1.55',
    '2',
    '10',
    '1000',
    '9.9999999999999999999999999999999999999e125',
  ];
  it('orders a table of numbers numerically', () => {
    for (let i = 1; i < ordered.length; i++) {
      const lower = ordered[i - 1] as string;
      const higher = ordered[i] as string;
      assert.equal(compareBytes(encodeNumber(lower), encodeNumber(higher)), -1, `${lower} < ${higher}`);
    }
  });

  it('encodes equal values identically, whatever the spelling', () => {
    for (const [a, b] of [['1', '1.000'], ['-0', '0'], ['1e3', '1000'], ['+0.5', '.5']] as const) {
      assert.deepEqual(encodeNumber(a), encodeNumber(b));
    }
  });

  it('bytewise order equals numeric order (property)', () => {
    fc.assert(
      fc.property(decimalText, decimalText, (a, b) => {
        const expected = compareNumbers(normalizeNumber(a), normalizeNumber(b));
        return compareBytes(encodeNumber(a), encodeNumber(b)) === expected;
      }),
      { numRuns: 2000 },
    );
  });
});

describe('encodeKeyValue', () => {
  it('orders strings by UTF-8 bytes (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (a, b) => {
        return compareBytes(encodeKeyValue({ S: a }), encodeKeyValue({ S: b })) === compareUtf8(a, b);
      }),
    );
  });

  it('orders binaries by unsigned bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array(), fc.uint8Array(), (a, b) => {
        const encodedA = encodeKeyValue({ B: Buffer.from(a).toString('base64') });
        const encodedB = encodeKeyValue({ B: Buffer.from(b).toString('base64') });
        return compareBytes(encodedA, encodedB) === compareBytes(a, b);
      }),
    );
  });

  it('orders a supplementary character after U+FFFD, unlike UTF-16 order', () => {
    assert.equal(compareBytes(encodeKeyValue({ S: '\uFFFD' }), encodeKeyValue({ S: '😀' })), -1);
  });
});

const hashOnly: TableKey = { hash: { name: 'pk', type: 'S' } };
const composite: TableKey = { hash: { name: 'pk', type: 'B' }, range: { name: 'sk', type: 'N' } };
const numericSort: TableKey = { hash: { name: 'pk', type: 'N' }, range: { name: 'sk', type: 'N' } };
const stringSort: TableKey = { hash: { name: 'pk', type: 'N' }, range: { name: 'sk', type: 'S' } };

describe('encodeItemKey', () => {
  it('lays out hash prefix, partition length, partition value and sort value', () => {
    const key = encodeItemKey(stringSort, { pk: { N: '0' }, sk: { S: 'ab' }, other: { S: 'ignored' } });
    const hash = partitionHash(Uint8Array.of(0x02));
    assert.deepEqual([...key], [hash >>> 8, hash & 0xff, 0x00, 0x01, 0x02, 0x61, 0x62]);
  });

  it('keeps partition bytes as they are, 0x00 included', () => {
    const key = encodeItemKey(composite, { pk: { B: 'AAEA' }, sk: { N: '0' } }); // bytes 00 01 00
    assert.deepEqual([...key.subarray(2)], [0x00, 0x03, 0x00, 0x01, 0x00, 0x02]);
  });

  it('keeps a maximal key (2048-byte partition, 1024-byte sort value) near 3 KB', () => {
    const key = encodeItemKey(
      { hash: { name: 'pk', type: 'B' }, range: { name: 'sk', type: 'B' } },
      { pk: { B: Buffer.alloc(2048).toString('base64') }, sk: { B: Buffer.alloc(1024).toString('base64') } },
    );
    assert.equal(key.length, 4 + 2048 + 1024);
  });

  it('is the same for numerically equal keys', () => {
    assert.deepEqual(
      encodeItemKey(stringSort, { pk: { N: '10' }, sk: { S: 'x' } }),
      encodeItemKey(stringSort, { pk: { N: '1e1' }, sk: { S: 'x' } }),
    );
  });

  it('keeps every partition contiguous: no key of another partition falls in its range (property)', () => {
    const partition = fc.uint8Array({ maxLength: 6 }).map((b) => Buffer.from(b).toString('base64'));
    fc.assert(
      fc.property(partition, partition, decimalText, (p, q, sort) => {
        const range = partitionRange(composite, { B: p });
        const key = encodeItemKey(composite, { pk: { B: q }, sk: { N: sort } });
        return inRange(key, range) === (p === q);
      }),
      { numRuns: 2000 },
    );
  });

  it('spreads partitions over the hash prefix', () => {
    const prefixes = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      const key = encodeItemKey(hashOnly, { pk: { S: `user#${i}` } });
      prefixes.add(((key[0] as number) << 8) | (key[1] as number));
    }
    assert.ok(prefixes.size > 950, `only ${prefixes.size} distinct prefixes`);
  });
});

describe('sortKeyRange', () => {
  const partition: KeyValue = { N: '7' };
  const sortValues = ['-5', '-1.5', '0', '0.25', '1', '1.5', '2', '10', '100'];
  const keys = sortValues.map((sk) => ({ sk, key: encodeItemKey(numericSort, { pk: partition, sk: { N: sk } }) }));
  const others = [
    encodeItemKey(numericSort, { pk: { N: '8' }, sk: { N: '1' } }),
    encodeItemKey(numericSort, { pk: { N: '70' }, sk: { N: '1' } }),
  ];
  const n = (value: string): KeyValue => ({ N: value });
  const cases: [string, SortKeyCondition | undefined, string[]][] = [
    ['no condition', undefined, sortValues],
    ['= 1', { op: '=', value: n('1') }, ['1']],
    ['= 1.0 (numeric)', { op: '=', value: n('1.0') }, ['1']],
    ['= 3 (absent)', { op: '=', value: n('3') }, []],
    ['< 1', { op: '<', value: n('1') }, ['-5', '-1.5', '0', '0.25']],
    ['<= 1', { op: '<=', value: n('1') }, ['-5', '-1.5', '0', '0.25', '1']],
    ['> 1', { op: '>', value: n('1') }, ['1.5', '2', '10', '100']],
    ['>= 1', { op: '>=', value: n('1') }, ['1', '1.5', '2', '10', '100']],
    ['BETWEEN -1.5 AND 2', { op: 'BETWEEN', low: n('-1.5'), high: n('2') }, ['-1.5', '0', '0.25', '1', '1.5', '2']],
    ['BETWEEN 3 AND 9', { op: 'BETWEEN', low: n('3'), high: n('9') }, []],
  ];
  for (const [name, condition, expected] of cases) {
    it(name, () => {
      const range = sortKeyRange(numericSort, partition, condition);
      assert.deepEqual(keys.filter(({ key }) => inRange(key, range)).map(({ sk }) => sk), expected);
      for (const other of others) assert.equal(inRange(other, range), false);
    });
  }

  const words = ['', 'a', 'ab', 'abc', 'abd', 'ac', 'b', 'b\u00ff', 'b\uffff', 'ba'];
  const wordKeys = words
    .filter((w) => w !== '')
    .map((sk) => ({ sk, key: encodeItemKey(stringSort, { pk: partition, sk: { S: sk } }) }));
  const beginsWith: [string, string[]][] = [
    ['a', ['a', 'ab', 'abc', 'abd', 'ac']],
    ['ab', ['ab', 'abc', 'abd']],
    ['b', ['b', 'b\u00ff', 'b\uffff', 'ba']],
    ['b\uffff', ['b\uffff']],
    ['c', []],
  ];
  for (const [prefix, expected] of beginsWith) {
    it(`begins_with ${JSON.stringify(prefix)}`, () => {
      const range = sortKeyRange(stringSort, partition, { op: 'begins_with', prefix: { S: prefix } });
      assert.deepEqual(wordKeys.filter(({ key }) => inRange(key, range)).map(({ sk }) => sk), expected);
    });
  }

  it('begins_with on binary, up to an all-0xFF prefix', () => {
    const binary: TableKey = { hash: { name: 'pk', type: 'S' }, range: { name: 'sk', type: 'B' } };
    const b64 = (...data: number[]): string => Buffer.from(data).toString('base64');
    const values = [[0x01], [0xff], [0xff, 0x00], [0xff, 0xff], [0xff, 0xff, 0x10]];
    const encoded = values.map((v) => encodeItemKey(binary, { pk: { S: 'p' }, sk: { B: b64(...v) } }));
    const range = sortKeyRange(binary, { S: 'p' }, { op: 'begins_with', prefix: { B: b64(0xff, 0xff) } });
    assert.deepEqual(encoded.map((key) => inRange(key, range)), [false, false, false, true, true]);
    const next = encodeItemKey(binary, { pk: { S: 'q' }, sk: { B: b64(0x00) } });
    assert.equal(inRange(next, range), false);
  });
});

describe('keyAfter', () => {
  it('is the immediate successor', () => {
    const key = Uint8Array.of(1, 2, 3);
    assert.deepEqual([...keyAfter(key)], [1, 2, 3, 0]);
    assert.equal(compareBytes(keyAfter(key), key), 1);
    assert.equal(compareBytes(keyAfter(key), Uint8Array.of(1, 2, 3, 0, 0)), -1);
  });
});

describe('scanSegmentRange', () => {
  it('splits the hash space into disjoint segments covering every key', () => {
    const total = 7;
    const item: Item = { pk: { S: '' } };
    for (let i = 0; i < 300; i++) {
      const key = encodeItemKey(hashOnly, { ...item, pk: { S: `k${i}` } });
      let owners = 0;
      for (let segment = 0; segment < total; segment++) {
        const { start, end } = scanSegmentRange(segment, total);
        if (compareBytes(key, start) >= 0 && (end === undefined || compareBytes(key, end) < 0)) owners++;
      }
      assert.equal(owners, 1);
    }
  });

  it('bounds segments by hash prefix', () => {
    assert.deepEqual(scanSegmentRange(0, 2), { start: Uint8Array.of(0, 0), end: Uint8Array.of(0x80, 0) });
    assert.deepEqual(scanSegmentRange(1, 2), { start: Uint8Array.of(0x80, 0) });
    assert.deepEqual(scanSegmentRange(0, 1), { start: Uint8Array.of(0, 0) });
  });
});

describe('encodeIndexEntryKey and indexSortKeyRange', () => {
  const indexKey: TableKey = { hash: { name: 'g', type: 'S' }, range: { name: 'r', type: 'B' } };
  const tableKey: TableKey = { hash: { name: 'pk', type: 'S' } };
  const entry = (sort: Uint8Array, pk: string): Uint8Array => {
    const item: Item = { g: { S: 'p' }, r: { B: Buffer.from(sort).toString('base64') }, pk: { S: pk } };
    return encodeIndexEntryKey(indexKey, item, encodeItemKey(tableKey, item));
  };
  const byteValue = fc.uint8Array({ minLength: 1, maxLength: 6 }).map((a) => a.map((b) => [0, 1, 2, 0xfe, 0xff][b % 5] as number));

  it('orders entries by index sort value, then by table key, whatever bytes the values hold (property)', () => {
    fc.assert(
      fc.property(byteValue, byteValue, fc.string(), fc.string(), (a, b, pkA, pkB) => {
        const bySort = Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b)));
        const order = compareBytes(entry(a, pkA || 'x'), entry(b, pkB || 'x'));
        if (bySort !== 0) assert.equal(order, bySort);
      }),
    );
  });

  it('puts exactly the matching entries in each condition range (property)', () => {
    const value = (bytes: Uint8Array): KeyValue => ({ B: Buffer.from(bytes).toString('base64') });
    fc.assert(
      fc.property(byteValue, byteValue, byteValue, fc.string(), (sort, v, w, pk) => {
        const key = entry(sort, pk || 'x');
        const cmp = (x: Uint8Array, y: Uint8Array): number => Math.sign(Buffer.compare(Buffer.from(x), Buffer.from(y)));
        const [low, high] = cmp(v, w) <= 0 ? [v, w] : [w, v];
        const checks: [SortKeyCondition, boolean][] = [
          [{ op: '=', value: value(v) }, cmp(sort, v) === 0],
          [{ op: '<', value: value(v) }, cmp(sort, v) < 0],
          [{ op: '<=', value: value(v) }, cmp(sort, v) <= 0],
          [{ op: '>', value: value(v) }, cmp(sort, v) > 0],
          [{ op: '>=', value: value(v) }, cmp(sort, v) >= 0],
          [{ op: 'BETWEEN', low: value(low), high: value(high) }, cmp(sort, low) >= 0 && cmp(sort, high) <= 0],
          [{ op: 'begins_with', prefix: value(v) }, Buffer.from(sort).subarray(0, v.length).equals(Buffer.from(v))],
        ];
        for (const [condition, expected] of checks) {
          assert.equal(inRange(key, indexSortKeyRange(indexKey, { S: 'p' }, condition)), expected, JSON.stringify(condition));
        }
        assert.equal(inRange(key, indexSortKeyRange(indexKey, { S: 'q' })), false);
      }),
      { numRuns: 2000 },
    );
  });

  it('escapes 0x00 so that a shorter value sorts first', () => {
    assert.deepEqual([...escapeSortValue(Uint8Array.of(1, 0, 2), [0, 1])], [1, 0, 0xff, 2, 0, 1]);
    assert.equal(compareBytes(entry(Uint8Array.of(5), 'zzz'), entry(Uint8Array.of(5, 0), 'a')), -1);
  });

  it('knows which items carry the index key (sparse indexes)', () => {
    assert.equal(hasIndexKey(indexKey, { g: { S: 'p' }, r: { B: 'AA==' } }), true);
    assert.equal(hasIndexKey(indexKey, { g: { S: 'p' } }), false);
    assert.equal(hasIndexKey(indexKey, { g: { S: 'p' }, r: { S: 'x' } }), false);
    assert.equal(hasIndexKey({ hash: { name: 'g', type: 'S' } }, { g: { S: 'p' } }), true);
  });
});

describe('multi-attribute index keys (encodeIndexEntryKey and multiKeyIndexRange)', () => {
  // HASH h1 (S), h2 (N); RANGE r1 (B), r2 (N), r3 (B).
  const indexKey: TableKey = {
    hash: { name: 'h1', type: 'S' },
    range: { name: 'r1', type: 'B' },
    parts: {
      hash: [
        { name: 'h1', type: 'S' },
        { name: 'h2', type: 'N' },
      ],
      range: [
        { name: 'r1', type: 'B' },
        { name: 'r2', type: 'N' },
        { name: 'r3', type: 'B' },
      ],
    },
  };
  const tableKey: TableKey = { hash: { name: 'pk', type: 'S' } };
  const b = (bytes: Uint8Array): KeyValue => ({ B: Buffer.from(bytes).toString('base64') });
  const byteValue = fc.uint8Array({ minLength: 1, maxLength: 4 }).map((a) => a.map((x) => [0, 1, 2, 0xfe, 0xff][x % 5] as number));
  const numberValue = fc.constantFrom('-10', '-1.5', '0', '1', '1.5', '2', '10');
  const tuple = fc.tuple(byteValue, numberValue, byteValue);
  type Tuple = [Uint8Array, string, Uint8Array];
  const entry = ([r1, r2, r3]: Tuple, pk: string, h1 = 'p', h2 = '1'): Uint8Array => {
    const item: Item = { h1: { S: h1 }, h2: { N: h2 }, r1: b(r1), r2: { N: r2 }, r3: b(r3), pk: { S: pk } };
    return encodeIndexEntryKey(indexKey, item, encodeItemKey(tableKey, item));
  };
  const compareTuple = (x: Tuple, y: Tuple): number =>
    Math.sign(Buffer.compare(Buffer.from(x[0]), Buffer.from(y[0]))) ||
    compareNumbers(x[1], y[1]) ||
    Math.sign(Buffer.compare(Buffer.from(x[2]), Buffer.from(y[2])));

  it('orders entries by the RANGE values compared left to right (property)', () => {
    fc.assert(
      fc.property(tuple, tuple, fc.string(), fc.string(), (x, y, pkX, pkY) => {
        const order = compareTuple(x, y);
        if (order !== 0) assert.equal(compareBytes(entry(x, pkX || 'x'), entry(y, pkY || 'x')), order);
      }),
      { numRuns: 2000 },
    );
  });

  it('puts exactly the matching entries in each prefix and condition range (property)', () => {
    fc.assert(
      fc.property(tuple, tuple, byteValue, fc.string(), (item, probe, other, pk) => {
        const key = entry(item, pk || 'x');
        const cmpBytes = (x: Uint8Array, y: Uint8Array): number => Math.sign(Buffer.compare(Buffer.from(x), Buffer.from(y)));
        const hash: KeyValue[] = [{ S: 'p' }, { N: '1' }];
        const [low, high] = cmpBytes(probe[0], other) <= 0 ? [probe[0], other] : [other, probe[0]];
        const r1 = item[0];
        const checks: [KeyValue[], SortKeyCondition | undefined, boolean][] = [
          [[], undefined, true],
          [[], { op: '<', value: b(probe[0]) }, cmpBytes(r1, probe[0]) < 0],
          [[], { op: '>=', value: b(probe[0]) }, cmpBytes(r1, probe[0]) >= 0],
          [[], { op: 'BETWEEN', low: b(low), high: b(high) }, cmpBytes(r1, low) >= 0 && cmpBytes(r1, high) <= 0],
          [[], { op: 'begins_with', prefix: b(probe[0]) }, Buffer.from(r1).subarray(0, probe[0].length).equals(Buffer.from(probe[0]))],
          [[b(probe[0])], undefined, cmpBytes(r1, probe[0]) === 0],
          [[b(r1)], { op: '>', value: { N: probe[1] } }, compareNumbers(item[1], probe[1]) > 0],
          [[b(r1)], { op: '<=', value: { N: probe[1] } }, compareNumbers(item[1], probe[1]) <= 0],
          [[b(r1), { N: item[1] }], { op: '=', value: b(probe[2]) }, cmpBytes(item[2], probe[2]) === 0],
          [[b(r1), { N: item[1] }], { op: 'begins_with', prefix: b(probe[2]) }, Buffer.from(item[2]).subarray(0, probe[2].length).equals(Buffer.from(probe[2]))],
          [[b(r1), { N: probe[1] }, b(probe[2])], undefined, compareNumbers(item[1], probe[1]) === 0 && cmpBytes(item[2], probe[2]) === 0],
        ];
        for (const [prefix, condition, expected] of checks) {
          assert.equal(inRange(key, multiKeyIndexRange(hash, prefix, condition)), expected, JSON.stringify({ prefix, condition }));
        }
        // Another value of either HASH attribute is another partition.
        assert.equal(inRange(key, multiKeyIndexRange([{ S: 'p' }, { N: '2' }], [])), false);
        assert.equal(inRange(key, multiKeyIndexRange([{ S: 'q' }, { N: '1' }], [])), false);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps HASH tuples apart even when their concatenations agree', () => {
    const twoStrings: TableKey = {
      hash: { name: 'a', type: 'S' },
      parts: { hash: [{ name: 'a', type: 'S' }, { name: 'b', type: 'S' }], range: [] },
    };
    const key = (a: string, bValue: string): Uint8Array =>
      encodeIndexEntryKey(twoStrings, { a: { S: a }, b: { S: bValue } }, encodeItemKey(tableKey, { pk: { S: 'x' } }));
    assert.equal(inRange(key('ab', 'c'), multiKeyIndexRange([{ S: 'ab' }, { S: 'c' }], [])), true);
    assert.equal(inRange(key('ab', 'c'), multiKeyIndexRange([{ S: 'a' }, { S: 'bc' }], [])), false);
  });

  it('needs every key attribute, of its type (sparse indexes)', () => {
    const full: Item = { h1: { S: 'p' }, h2: { N: '1' }, r1: { B: 'AA==' }, r2: { N: '1' }, r3: { B: 'AA==' } };
    assert.equal(hasIndexKey(indexKey, full), true);
    for (const name of Object.keys(full)) {
      const { [name]: _dropped, ...rest } = full;
      assert.equal(hasIndexKey(indexKey, rest), false, name);
    }
    assert.equal(hasIndexKey(indexKey, { ...full, r2: { S: '1' } }), false);
  });

  it('fits every entry key in the storage, with the largest values', () => {
    const item: Item = {
      h1: { S: 'h'.repeat(2048) },
      h2: { N: '9'.repeat(38) },
      r1: { B: Buffer.alloc(500).toString('base64') },
      r2: { N: '-1'.padEnd(39, '1') },
      r3: { B: Buffer.alloc(500).toString('base64') },
      pk: { S: 'k'.repeat(2048) },
    };
    const key = encodeIndexEntryKey(indexKey, item, encodeItemKey(tableKey, item));
    assert.ok(key.length <= MAX_INDEX_ENTRY_KEY, String(key.length));
  });
});
