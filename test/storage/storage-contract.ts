/**
 * The behaviour every Storage implementation must share, as one suite that each engine runs against a fresh
 * instance per test (memory.test.ts, lmdb.test.ts).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KeyValue, RangeOptions, Storage, StoredValue, WriteRequest } from '../../src/storage/storage.js';

export interface StorageFixture {
  readonly storage: Storage;
  /** Closes the storage if still open and removes whatever it left behind. */
  dispose(): Promise<void>;
}

export interface ContractOptions {
  /** The engine iterates a snapshot: writes made during an iteration are never seen by it. */
  readonly snapshots: boolean;
}

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);
const text = (value: string): Uint8Array => new TextEncoder().encode(value);
const hex = (key: Uint8Array): string => Buffer.from(key).toString('hex');

async function put(storage: Storage, space: string, key: Uint8Array, value: unknown): Promise<void> {
  await storage.atomic([], () => ({ writes: [{ space, key, value }], result: undefined }));
}

async function putAll(storage: Storage, writes: readonly WriteRequest[]): Promise<void> {
  await storage.atomic([], () => ({ writes, result: undefined }));
}

async function collect(storage: Storage, space: string, options?: RangeOptions): Promise<KeyValue[]> {
  const entries: KeyValue[] = [];
  for await (const entry of storage.range(space, options)) entries.push(entry);
  return entries;
}

async function keysOf(storage: Storage, space: string, options?: RangeOptions): Promise<string[]> {
  return (await collect(storage, space, options)).map((entry) => hex(entry.key));
}

class DecideFailed extends Error {}

export function runStorageContract(
  name: string,
  factory: () => Promise<StorageFixture>,
  contract: ContractOptions,
): void {
  /** Runs a test body against a fresh storage and always disposes of it. */
  const withStorage = (body: (storage: Storage) => Promise<void>) => async (): Promise<void> => {
    const fixture = await factory();
    try {
      await body(fixture.storage);
    } finally {
      await fixture.dispose();
    }
  };

  describe(`${name} storage contract`, () => {
    test('get, put, overwrite and delete', withStorage(async (storage) => {
      const key = text('k');
      assert.equal(await storage.get('s', key), undefined);
      await put(storage, 's', key, { S: 'one' });
      assert.deepEqual(await storage.get('s', key), { S: 'one' });
      await put(storage, 's', key, { S: 'two' });
      assert.deepEqual(await storage.get('s', key), { S: 'two' });
      await put(storage, 's', key, undefined);
      assert.equal(await storage.get('s', key), undefined);
      // Deleting an absent key is no error.
      await put(storage, 's', text('absent'), undefined);
      assert.deepEqual(await keysOf(storage, 's'), []);
    }));

    test('atomic passes current values in request order and resolves with the result', withStorage(async (storage) => {
      await putAll(storage, [
        { space: 'a', key: text('x'), value: 1 },
        { space: 'b', key: text('x'), value: 2 },
      ]);
      let seen: readonly unknown[] = [];
      const result = await storage.atomic(
        [{ space: 'b', key: text('x') }, { space: 'a', key: text('missing') }, { space: 'a', key: text('x') }],
        (current) => {
          seen = [...current];
          return { writes: [], result: 'decided' };
        },
      );
      assert.equal(result, 'decided');
      assert.deepEqual(seen, [2, undefined, 1]);
    }));

    test('atomic applies several writes across spaces; the last write of a key wins', withStorage(async (storage) => {
      await put(storage, 'a', text('gone'), 'before');
      await putAll(storage, [
        { space: 'a', key: text('1'), value: 'a1' },
        { space: 'b', key: text('1'), value: 'b1' },
        { space: 'a', key: text('gone'), value: undefined },
        { space: 'a', key: text('2'), value: 'first' },
        { space: 'a', key: text('2'), value: 'second' },
      ]);
      assert.deepEqual(await collect(storage, 'a'), [
        { key: text('1'), value: 'a1' },
        { key: text('2'), value: 'second' },
      ]);
      assert.deepEqual(await collect(storage, 'b'), [{ key: text('1'), value: 'b1' }]);
    }));

    test('spaces are isolated, also when one name is a prefix of another', withStorage(async (storage) => {
      const spaces = ['t/a', 't/ab', 't/a/b', 't/', 't'];
      for (const space of spaces) {
        await putAll(storage, [
          { space, key: bytes(), value: `${space} empty` },
          { space, key: bytes(0x00), value: `${space} 00` },
          { space, key: bytes(0xff, 0xff), value: `${space} ffff` },
        ]);
      }
      for (const space of spaces) {
        assert.deepEqual(await collect(storage, space), [
          { key: bytes(), value: `${space} empty` },
          { key: bytes(0x00), value: `${space} 00` },
          { key: bytes(0xff, 0xff), value: `${space} ffff` },
        ], space);
        assert.deepEqual(await keysOf(storage, space, { reverse: true }), ['ffff', '00', ''], space);
        assert.equal(await storage.get(space, bytes(0x00)), `${space} 00`);
      }
      await storage.clearSpace('t/a');
      assert.deepEqual(await collect(storage, 't/a'), []);
      assert.equal(await storage.get('t/a', bytes(0x00)), undefined);
      for (const space of spaces.slice(1)) assert.deepEqual(await keysOf(storage, space), ['', '00', 'ffff'], space);
    }));

    test('keys are ordered bytewise, unsigned, prefixes first', withStorage(async (storage) => {
      const sorted = [
        bytes(), bytes(0x00), bytes(0x00, 0x00), bytes(0x00, 0xff), bytes(0x01), bytes(0x7f), bytes(0x7f, 0xff),
        bytes(0x80), bytes(0x80, 0x00), bytes(0xfe, 0xff, 0xff), bytes(0xff), bytes(0xff, 0x00), bytes(0xff, 0xff),
      ];
      const shuffled = [7, 2, 12, 0, 9, 4, 11, 1, 6, 10, 3, 8, 5].map((i) => sorted[i] as Uint8Array);
      await putAll(storage, shuffled.map((key) => ({ space: 's', key, value: hex(key) })));
      const forward = await collect(storage, 's');
      assert.deepEqual(forward.map((entry) => hex(entry.key)), sorted.map(hex));
      assert.deepEqual(forward.map((entry) => entry.value), sorted.map(hex));
      assert.deepEqual(await keysOf(storage, 's', { reverse: true }), sorted.map(hex).reverse());
    }));

    test('range bounds: start inclusive, end exclusive, in both directions, with limit', withStorage(async (storage) => {
      await putAll(storage, [1, 2, 3, 4, 5, 6].map((n) => ({ space: 's', key: bytes(n * 0x10), value: n })));
      const cases: ReadonlyArray<readonly [RangeOptions, string[]]> = [
        [{}, ['10', '20', '30', '40', '50', '60']],
        [{ start: bytes(0x20) }, ['20', '30', '40', '50', '60']],
        [{ end: bytes(0x40) }, ['10', '20', '30']],
        [{ start: bytes(0x20), end: bytes(0x40) }, ['20', '30']],
        [{ start: bytes(0x20, 0x00), end: bytes(0x40, 0x00) }, ['30', '40']],
        [{ start: bytes(0x1f), end: bytes(0x3f) }, ['20', '30']],
        [{ start: bytes(0x30), end: bytes(0x30) }, []],
        [{ start: bytes(0x40), end: bytes(0x20) }, []],
        [{ start: bytes(0x61) }, []],
        [{ end: bytes(0x10) }, []],
        [{ limit: 2 }, ['10', '20']],
        [{ limit: 0 }, []],
        [{ limit: 100 }, ['10', '20', '30', '40', '50', '60']],
        [{ start: bytes(0x25), limit: 2 }, ['30', '40']],
        [{ reverse: true }, ['60', '50', '40', '30', '20', '10']],
        [{ reverse: true, start: bytes(0x20) }, ['60', '50', '40', '30', '20']],
        [{ reverse: true, end: bytes(0x40) }, ['30', '20', '10']],
        [{ reverse: true, start: bytes(0x20), end: bytes(0x40) }, ['30', '20']],
        [{ reverse: true, start: bytes(0x20, 0x00), end: bytes(0x40, 0x00) }, ['40', '30']],
        [{ reverse: true, start: bytes(0x1f), end: bytes(0x3f) }, ['30', '20']],
        [{ reverse: true, start: bytes(0x30), end: bytes(0x30) }, []],
        [{ reverse: true, start: bytes(0x40), end: bytes(0x20) }, []],
        [{ reverse: true, end: bytes(0x10) }, []],
        [{ reverse: true, start: bytes(0x61) }, []],
        [{ reverse: true, limit: 2 }, ['60', '50']],
        [{ reverse: true, end: bytes(0x45), limit: 3 }, ['40', '30', '20']],
        [{ reverse: true, limit: 0 }, []],
      ];
      for (const [options, expected] of cases) {
        assert.deepEqual(await keysOf(storage, 's', options), expected, JSON.stringify({
          ...options, start: options.start && hex(options.start), end: options.end && hex(options.end),
        }));
      }
      assert.deepEqual(await keysOf(storage, 'nonexistent'), []);
      assert.deepEqual(await keysOf(storage, 'nonexistent', { reverse: true }), []);
    }));

    test('range is lazy and can be left early', withStorage(async (storage) => {
      await putAll(storage, Array.from({ length: 500 }, (_, n) => ({ space: 's', key: bytes(n >> 8, n & 0xff), value: n })));
      const seen: unknown[] = [];
      for await (const entry of storage.range('s', { start: bytes(0x01, 0x00) })) {
        seen.push(entry.value);
        if (seen.length === 3) break;
      }
      assert.deepEqual(seen, [256, 257, 258]);
      // An iterator that was only partly consumed does not block commits.
      const iterator = storage.range('s')[Symbol.asyncIterator]();
      assert.equal((await iterator.next()).value?.value, 0);
      await put(storage, 's', bytes(0x02, 0x00), 'later');
      await iterator.return?.();
      assert.equal(await storage.get('s', bytes(0x02, 0x00)), 'later');
    }));

    test('writes during iteration do not make it skip or repeat keys that exist throughout', withStorage(async (storage) => {
      await putAll(storage, Array.from({ length: 300 }, (_, n) => ({ space: 's', key: bytes(n >> 8, n & 0xff), value: n })));
      const seen: number[] = [];
      let step = 0;
      for await (const entry of storage.range('s')) {
        // Only two-byte keys are original (or recreated) ones; the inserted keys are three bytes long.
        if (entry.key.length !== 2) continue;
        const n = ((entry.key[0] ?? 0) << 8) | (entry.key[1] ?? 0);
        seen.push(n);
        step++;
        // Odd keys ahead are deleted, new keys are inserted ahead and behind, even keys are rewritten.
        const ahead = n + 1 + (step % 7) * 2;
        await putAll(storage, [
          { space: 's', key: bytes(ahead >> 8, ahead & 0xff), value: ahead % 2 === 0 ? 'rewritten' : undefined },
          { space: 's', key: bytes(n >> 8, n & 0xff, 0x01), value: 'inserted' },
          { space: 's', key: bytes(0x00, 0x00, step & 0xff), value: 'inserted behind' },
        ]);
      }
      const yielded = seen.filter((n) => n < 300);
      for (let i = 1; i < yielded.length; i++) assert.ok((yielded[i] as number) > (yielded[i - 1] as number), 'no repeats');
      for (let n = 0; n < 300; n += 2) assert.ok(yielded.includes(n), `even key ${n} existed throughout`);
    }));

    if (contract.snapshots) {
      test('an iteration reads the snapshot taken when it began', withStorage(async (storage) => {
        await putAll(storage, Array.from({ length: 200 }, (_, n) => ({ space: 's', key: bytes(n), value: n })));
        const seen: unknown[] = [];
        for await (const entry of storage.range('s', { reverse: true })) {
          seen.push(entry.value);
          const n = entry.key[0] as number;
          await putAll(storage, [
            { space: 's', key: bytes(n - 1 < 0 ? 0 : n - 1), value: undefined },
            { space: 's', key: bytes(n, 0x00), value: 'new' },
            { space: 's', key: bytes(0xff), value: 'new' },
          ]);
        }
        assert.deepEqual(seen, Array.from({ length: 200 }, (_, n) => 199 - n));
      }));
    }

    test('a lazy read gives the tag without the value, and the value on demand', withStorage(async (storage) => {
      await putAll(storage, [
        { space: 's', key: text('tagged'), value: { S: 'one' }, tag: 1234 },
        { space: 's', key: text('max'), value: 'big', tag: 0xffffffff },
        { space: 's', key: text('plain'), value: [1, 2] },
        { space: 's', key: text('gone'), value: 'x', tag: 7 },
      ]);
      await put(storage, 's', text('gone'), undefined);
      // Each commit reads every key, lazily and not, several times over, so that an engine's reused read buffers
      // would show; the commits between them move values through whatever layers the engine has.
      for (let round = 0; round < 3; round++) {
        const seen = await storage.atomic(
          ['tagged', 'max', 'plain', 'gone', 'absent'].flatMap((name) => [
            { space: 's', key: text(name), lazy: true },
            { space: 's', key: text(name) },
          ]),
          (current) => {
            const lazy = current.filter((_, i) => i % 2 === 0) as readonly (StoredValue | undefined)[];
            return {
              writes: [],
              result: {
                tags: lazy.map((value) => value?.tag),
                decoded: lazy.map((value) => value?.decode()),
                plain: current.filter((_, i) => i % 2 === 1),
              },
            };
          },
        );
        const values = [{ S: 'one' }, 'big', [1, 2], undefined, undefined];
        assert.deepEqual(seen, { tags: [1234, 0xffffffff, undefined, undefined, undefined], decoded: values, plain: values });
        // Tags never show through the plain reads.
        assert.deepEqual(await storage.get('s', text('tagged')), { S: 'one' });
        assert.deepEqual(await collect(storage, 's'), [
          { key: text('max'), value: 'big' },
          { key: text('plain'), value: [1, 2] },
          { key: text('tagged'), value: { S: 'one' } },
        ]);
        await put(storage, 'other', bytes(round), round);
      }
      // A rewrite replaces the tag, or drops it.
      await putAll(storage, [
        { space: 's', key: text('tagged'), value: { S: 'two' }, tag: 99 },
        { space: 's', key: text('max'), value: 'untagged now' },
      ]);
      const tags = await storage.atomic(
        [{ space: 's', key: text('tagged'), lazy: true }, { space: 's', key: text('max'), lazy: true }],
        (current) => ({ writes: [], result: (current as readonly (StoredValue | undefined)[]).map((value) => value?.tag) }),
      );
      assert.deepEqual(tags, [99, undefined]);
    }));

    test('a tag that is not an integer from 0 to 2^32 - 1 is refused, with nothing written', withStorage(async (storage) => {
      for (const tag of [-1, 1.5, 2 ** 32, Number.NaN]) {
        await assert.rejects(storage.atomic([], () => ({
          writes: [
            { space: 's', key: text('first'), value: 'must not stay' },
            { space: 's', key: text('tagged'), value: 'x', tag },
          ],
          result: undefined,
        })), RangeError);
      }
      assert.deepEqual(await collect(storage, 's'), []);
      // A delete has no tag to keep: whatever it gives is ignored.
      await putAll(storage, [{ space: 's', key: text('absent'), value: undefined, tag: -1 }]);
    }));

    test('a throwing decide rejects with its error and leaves no trace', withStorage(async (storage) => {
      await put(storage, 's', text('k'), 'original');
      const failure = new DecideFailed('condition failed');
      await assert.rejects(
        storage.atomic([{ space: 's', key: text('k') }], () => {
          throw failure;
        }),
        (error: unknown) => error === failure,
      );
      assert.equal(await storage.get('s', text('k')), 'original');
    }));

    test('an aborted commit does not harm commits running at the same time', withStorage(async (storage) => {
      const commits = Array.from({ length: 30 }, (_, i) => storage.atomic([{ space: 's', key: bytes(i) }], (current) => {
        assert.equal(current[0], undefined);
        if (i % 3 === 1) throw new DecideFailed(`abort ${i}`);
        return { writes: [{ space: 's', key: bytes(i), value: i }, { space: 'other', key: bytes(i), value: i }], result: i };
      }));
      const outcomes = await Promise.allSettled(commits);
      for (let i = 0; i < 30; i++) {
        const outcome = outcomes[i];
        if (i % 3 === 1) {
          assert.equal(outcome?.status, 'rejected');
          assert.equal(outcome.status === 'rejected' && (outcome.reason as Error).message, `abort ${i}`);
        } else {
          assert.deepEqual(outcome, { status: 'fulfilled', value: i });
        }
      }
      const committed = Array.from({ length: 30 }, (_, i) => i).filter((i) => i % 3 !== 1);
      assert.deepEqual((await collect(storage, 's')).map((entry) => entry.value), committed);
      assert.deepEqual((await collect(storage, 'other')).map((entry) => entry.value), committed);
    }));

    test('a decision with an invalid write commits none of its writes', withStorage(async (storage) => {
      await assert.rejects(storage.atomic([], () => ({
        writes: [
          { space: 's', key: text('valid'), value: 'kept?' },
          { space: 's', key: 'not bytes' as unknown as Uint8Array, value: 'bad' },
        ],
        result: undefined,
      })), TypeError);
      assert.equal(await storage.get('s', text('valid')), undefined);
      assert.deepEqual(await collect(storage, 's'), []);
    }));

    test('space names must be non-empty and free of U+0000', withStorage(async (storage) => {
      for (const space of ['', 'a\u0000b']) {
        await assert.rejects(put(storage, space, bytes(1), 'x'), {
          name: 'TypeError',
          message: `invalid storage space name ${JSON.stringify(space)}`,
        });
      }
    }));

    test('64 concurrent read-modify-write increments of one key give exactly 64', withStorage(async (storage) => {
      const key = text('counter');
      const increments = Array.from({ length: 64 }, () => storage.atomic([{ space: 's', key }], (current) => {
        const next = ((current[0] as { n: number } | undefined)?.n ?? 0) + 1;
        return { writes: [{ space: 's', key, value: { n: next } }], result: next };
      }));
      const results = await Promise.all(increments);
      assert.deepEqual([...results].sort((a, b) => a - b), Array.from({ length: 64 }, (_, i) => i + 1));
      assert.deepEqual(await storage.get('s', key), { n: 64 });
    }));

    test('values round-trip deeply equal', withStorage(async (storage) => {
      // Parsed from JSON as the HTTP layer does, so `__proto__` is an own attribute name, not a prototype.
      const item: unknown = JSON.parse(JSON.stringify({
        pk: { S: 'key' },
        n: { N: '-12.500e-3' },
        b: { B: 'AAEC/w==' },
        yes: { BOOL: true },
        no: { BOOL: false },
        nothing: { NULL: true },
        empty: { S: '' },
        unicode: { S: 'zürich 東京 😀 \u0000 "quoted" \\ \n' },
        set: { SS: ['a', 'b'] },
        numbers: { NS: ['1', '2.5'] },
        binaries: { BS: ['AA==', 'AQ=='] },
        list: { L: [{ S: 'x' }, { L: [] }, { M: {} }, { NULL: true }] },
        map: { M: { nested: { M: { deeper: { N: '1' } } }, 'with space': { S: 'y' }, '': { S: 'empty name' } } },
        long: { S: 'x'.repeat(100_000) },
      }).replace('"map":{"M":{', '"map":{"M":{"__proto__":{"S":"not a prototype"},"constructor":{"N":"0"},'));
      const values: unknown[] = [item, 'plain', true, false, 0, 42, -1.5, null, [], {}, ['a', { b: [true] }], '\ud800 lone'];
      await putAll(storage, values.map((value, i) => ({ space: 's', key: bytes(i), value })));
      for (let i = 0; i < values.length; i++) {
        const back = await storage.get('s', bytes(i));
        assert.deepStrictEqual(back, values[i]);
        assert.equal(JSON.stringify(back), JSON.stringify(values[i]));
      }
      const map = ((await storage.get('s', bytes(0))) as { map: { M: Record<string, unknown> } }).map.M;
      assert.ok(Object.hasOwn(map, '__proto__'));
      assert.deepEqual(map['__proto__'], { S: 'not a prototype' });
      assert.deepStrictEqual((await collect(storage, 's')).map((entry) => entry.value), values);
    }));

    test('clearSpace removes every key of the space, however many', withStorage(async (storage) => {
      for (let batch = 0; batch < 5; batch++) {
        await putAll(storage, Array.from({ length: 1000 }, (_, n) => ({ space: 'big', key: bytes(batch, n >> 8, n & 0xff), value: n })));
      }
      await put(storage, 'bigger', bytes(0), 'neighbour');
      await put(storage, 'bi', bytes(0), 'neighbour');
      assert.equal((await collect(storage, 'big')).length, 5000);
      await storage.clearSpace('big');
      assert.deepEqual(await collect(storage, 'big'), []);
      assert.equal(await storage.get('big', bytes(0, 0, 0)), undefined);
      assert.equal(await storage.get('bigger', bytes(0)), 'neighbour');
      assert.equal(await storage.get('bi', bytes(0)), 'neighbour');
      await storage.clearSpace('never-used');
      await put(storage, 'big', bytes(1), 'again');
      assert.deepEqual(await collect(storage, 'big'), [{ key: bytes(1), value: 'again' }]);
    }));

    test('a commit clears spaces atomically with its writes, and may not write into a space it clears', withStorage(async (storage) => {
      await putAll(storage, [
        { space: 'gone', key: bytes(1), value: 1 },
        { space: 'gone/2', key: bytes(2), value: 2 },
        { space: 'owner', key: bytes(0), value: 'table' },
      ]);
      await assert.rejects(
        storage.atomic([], () => ({ writes: [{ space: 'gone', key: bytes(3), value: 3 }], clearSpaces: ['gone'], result: 0 })),
        { name: 'TypeError', message: 'a commit may not write into a space it clears' },
      );
      await assert.rejects(storage.atomic([], () => ({ writes: [], clearSpaces: ['bad\u0000name'], result: 0 })), TypeError);
      assert.equal(await storage.get('gone', bytes(1)), 1);
      const result = await storage.atomic([{ space: 'owner', key: bytes(0) }], ([owner]) => ({
        writes: [{ space: 'owner', key: bytes(0), value: undefined }],
        clearSpaces: ['gone', 'gone/2'],
        result: owner,
      }));
      assert.equal(result, 'table');
      assert.deepEqual(await collect(storage, 'gone'), []);
      assert.deepEqual(await collect(storage, 'gone/2'), []);
      assert.equal(await storage.get('owner', bytes(0)), undefined);
    }));

    test('close waits for commits in flight, then every call fails', withStorage(async (storage) => {
      const pending = storage.atomic([], () => ({ writes: [{ space: 's', key: bytes(1), value: 1 }], result: 'done' }));
      await storage.close();
      assert.equal(await pending, 'done');
      const closed = { message: 'Storage is closed' };
      await assert.rejects(storage.get('s', bytes(1)), closed);
      await assert.rejects(storage.atomic([], () => ({ writes: [], result: 0 })), closed);
      await assert.rejects(storage.clearSpace('s'), closed);
      await assert.rejects(collect(storage, 's'), closed);
    }));
  });
}
