import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open } from 'node:fs/promises';
import { encodeRecord, readLog, recoverLog, WriteAheadLog, type LogFile, type LogFiles, type LoggedWrite } from './write-ahead-log.js';
import { ValueCipher } from '../encryption/value-cipher.js';
import { crc32 } from '../../util/crc32.js';

const bytes = (text: string): Uint8Array => new Uint8Array(Buffer.from(text));

const FIRST: LoggedWrite[] = [
  { space: 't/a', key: Uint8Array.of(0, 1, 255), value: bytes('{"id":{"S":"x"}}') },
  { space: 'stats/ü', key: Uint8Array.of(3), value: bytes('') },
];
const SECOND: LoggedWrite[] = [{ space: 't/a', key: Uint8Array.of(0, 1, 255), value: undefined }];

function read(directory: string): LoggedWrite[][] {
  const records: LoggedWrite[][] = [];
  readLog(directory, (writes) => records.push(writes));
  return records;
}

function withDirectory(body: (directory: string) => Promise<void>): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'cairn-wal-test-'));
  return body(join(root, 'wal')).finally(() => rmSync(root, { recursive: true, force: true }));
}

describe('WriteAheadLog', () => {
  it('gives back every durable record, in order, byte for byte', () =>
    withDirectory(async (directory) => {
      const log = new WriteAheadLog(directory);
      const first = log.append(FIRST).sequence;
      const second = log.append(SECOND).sequence;
      assert.deepEqual([first, second], [1, 2]);
      await log.durable(second);
      await log.close();
      assert.deepEqual(read(directory), [FIRST, SECOND]);
    }));

  it('stops at a torn record: what follows was never acknowledged', () =>
    withDirectory(async (directory) => {
      const log = new WriteAheadLog(directory);
      await log.durable(log.append(FIRST).sequence);
      await log.close();
      const [segment] = readdirSync(directory);
      const path = join(directory, segment as string);
      const whole = encodeRecord(SECOND);
      appendFileSync(path, whole.subarray(0, whole.length - 3));
      assert.deepEqual(read(directory), [FIRST]);
    }));

  it('stops at a record whose checksum does not match', () =>
    withDirectory(async (directory) => {
      const log = new WriteAheadLog(directory);
      log.append(FIRST);
      log.append(SECOND);
      await log.durable(2);
      await log.close();
      const [segment] = readdirSync(directory);
      const path = join(directory, segment as string);
      const content = readFileSync(path);
      content[content.length - 1] = (content[content.length - 1] as number) ^ 0xff;
      writeFileSync(path, content);
      assert.deepEqual(read(directory), [FIRST]);
    }));

  it('reads segments in order and deletes sealed ones once merged', () =>
    withDirectory(async (directory) => {
      const log = new WriteAheadLog(directory);
      log.append(FIRST);
      const sealedThrough = log.seal();
      assert.equal(sealedThrough, 1);
      await log.durable(log.append(SECOND).sequence);
      assert.equal(readdirSync(directory).length, 2);
      assert.deepEqual(read(directory), [FIRST, SECOND]);
      await log.discardThrough(sealedThrough);
      assert.deepEqual(read(directory), [SECOND]);
      await log.close();
      rmSync(directory, { recursive: true, force: true });
      assert.deepEqual(read(directory), []);
    }));

  it('logs text values as UTF-8 and hands back each value as it lies in the record', () =>
    withDirectory(async (directory) => {
      const log = new WriteAheadLog(directory);
      const text = '{"name":{"S":"Zoë 🙂"}}';
      const appended = log.append([
        { space: 't/a', key: Uint8Array.of(1), value: text },
        { space: 't/a', key: Uint8Array.of(2), value: undefined },
        { space: 'stats/a', key: Uint8Array.of(3), value: bytes('{}') },
      ]);
      assert.deepEqual(appended.values.map((value) => value?.toString('utf8')), [text, undefined, '{}']);
      await log.durable(appended.sequence);
      await log.close();
      assert.deepEqual(read(directory), [
        [
          { space: 't/a', key: Uint8Array.of(1), value: bytes(text) },
          { space: 't/a', key: Uint8Array.of(2), value: undefined },
          { space: 'stats/a', key: Uint8Array.of(3), value: bytes('{}') },
        ],
      ]);
    }));

  it('logs clears of a space and reads them back in order', () =>
    withDirectory(async (directory) => {
      const log = new WriteAheadLog(directory);
      log.append(FIRST);
      log.append([{ space: 't/a', key: Uint8Array.of(9), value: undefined, clearSpace: true }]);
      await log.durable(log.append(SECOND).sequence);
      await log.close();
      assert.deepEqual(read(directory), [FIRST, [{ space: 't/a', key: new Uint8Array(0), value: undefined, clearSpace: true }], SECOND]);
    }));

  it('starts a new segment once one is past its size, without a merge', () =>
    withDirectory(async (directory) => {
      const log = new WriteAheadLog(directory, { segmentBytes: 10 });
      log.append(FIRST);
      log.append(SECOND);
      await log.durable(log.append(FIRST).sequence);
      await log.close();
      assert.equal(readdirSync(directory).length, 3);
      assert.deepEqual(read(directory), [FIRST, SECOND, FIRST]);
    }));
});

const THIRD: LoggedWrite[] = [{ space: 't/b', key: Uint8Array.of(7), value: bytes('{"n":{"N":"3"}}') }];

/** recoverLog's records with their sequences, keys and values copied out of the segments' bytes. */
function recover(directory: string): { log: ReturnType<typeof recoverLog>; records: [number, LoggedWrite[]][] } {
  const records: [number, LoggedWrite[]][] = [];
  const log = recoverLog(directory, (writes, sequence) =>
    records.push([
      sequence,
      writes.map((write) => ({ ...write, key: new Uint8Array(write.key), value: write.value === undefined ? undefined : new Uint8Array(write.value) })),
    ]),
  );
  return { log, records };
}

/** A log left with FIRST in a sealed segment and SECOND durable in the next one, then closed. */
async function writeTwoSegments(directory: string): Promise<void> {
  const log = new WriteAheadLog(directory);
  log.append(FIRST);
  log.seal();
  await log.durable(log.append(SECOND).sequence);
  await log.close();
}

describe('WriteAheadLog after a crash (recoverLog)', () => {
  it('takes over the segments left, appends after them, and deletes each once merged', () =>
    withDirectory(async (directory) => {
      await writeTwoSegments(directory);

      const found = recover(directory);
      assert.deepEqual(found.records, [[1, FIRST], [2, SECOND]]);
      assert.deepEqual(found.log.segments.map((segment) => [segment.number, segment.lastSequence]), [[1, 1], [2, 2]]);
      assert.equal(found.log.lastSequence, 2);

      const second = new WriteAheadLog(directory, {}, found.log);
      assert.equal(second.lastSequence, 2);
      assert.deepEqual(second.sealedSequences(), [1, 2]);
      const third = second.append(THIRD).sequence;
      assert.equal(third, 3);
      await second.durable(third);
      // A crash now: the segments left and the new one are all read again, in order.
      assert.deepEqual(recover(directory).records, [[1, FIRST], [2, SECOND], [3, THIRD]]);
      await second.discardThrough(1);
      assert.deepEqual(readdirSync(directory), ['000000000002.log', '000000000003.log']);
      await second.close();
      assert.deepEqual(read(directory), [SECOND, THIRD]);
    }));

  it('cuts the log at a torn record, so that what is appended after it is found again', () =>
    withDirectory(async (directory) => {
      await writeTwoSegments(directory);
      const [segment] = readdirSync(directory).sort();
      const path = join(directory, segment as string);
      const whole = statSync(path).size;
      const torn = encodeRecord(THIRD);
      appendFileSync(path, torn.subarray(0, torn.length - 2));

      const found = recover(directory);
      // The record after the torn one (in the next segment) was never acknowledged.
      assert.deepEqual(found.records, [[1, FIRST]]);
      assert.equal(statSync(path).size, whole, 'the torn tail is cut off');
      assert.deepEqual(readdirSync(directory), [segment]);

      const second = new WriteAheadLog(directory, {}, found.log);
      await second.durable(second.append(THIRD).sequence);
      await second.close();
      assert.deepEqual(recover(directory).records, [[1, FIRST], [2, THIRD]]);
    }));

  it('deletes segments without a whole record', () =>
    withDirectory(async (directory) => {
      const first = new WriteAheadLog(directory);
      await first.durable(first.append(FIRST).sequence);
      first.seal();
      await first.close();
      writeFileSync(join(directory, '000000000002.log'), Buffer.alloc(0));
      const found = recover(directory);
      assert.deepEqual(found.records, [[1, FIRST]]);
      assert.deepEqual(readdirSync(directory), ['000000000001.log']);
      assert.deepEqual(recover(join(directory, 'missing')).log, { segments: [], lastSequence: 0 });
    }));
});

/**
 * Segment files that behave as a full or failing disk would: `plan` decides, for each writev, how many bytes it
 * writes (fewer than asked: a short write) or which error it throws; files are real, so what was written can be
 * read back as recovery would.
 */
function faultyFiles(plan: (call: number, asked: number) => number | Error, failSync?: () => Error | undefined): LogFiles & { writes: number } {
  const files = {
    syncedWrites: false,
    writes: 0,
    async create(path: string): Promise<LogFile> {
      const file = await open(path, 'w');
      return {
        async writev(buffers: Buffer[], position: number) {
          const asked = buffers.reduce((sum, buffer) => sum + buffer.length, 0);
          const outcome = plan(files.writes++, asked);
          if (outcome instanceof Error) throw outcome;
          const bytes = Buffer.concat(buffers).subarray(0, Math.min(outcome, asked));
          return file.write(bytes, 0, bytes.length, position);
        },
        async datasync() {
          const error = failSync?.();
          if (error !== undefined) throw error;
          await file.datasync();
        },
        close: () => file.close(),
      };
    },
    syncDirectory: () => Promise.resolve(),
  };
  return files;
}

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected`), { code });
}

describe('WriteAheadLog on a full or failing disk', () => {
  it('finishes a short write before acknowledging it', () =>
    withDirectory(async (directory) => {
      // Every write stores at most 7 bytes: a record takes several writes, all at the right positions.
      const files = faultyFiles((_call, asked) => Math.min(asked, 7));
      const log = new WriteAheadLog(directory, { files });
      log.append(FIRST);
      await log.durable(log.append(SECOND).sequence);
      await log.close();
      assert.ok(files.writes > 4);
      assert.deepEqual(read(directory), [FIRST, SECOND]);
    }));

  it('refuses the commits of a write cut short by ENOSPC, and later appends, until a retry succeeds', () =>
    withDirectory(async (directory) => {
      let full = true;
      // The first write stores part of the record (as libuv reports a write that ENOSPC stops), the next fails.
      const files = faultyFiles((call, asked) => (!full ? asked : call === 0 ? 5 : errno('ENOSPC')));
      const log = new WriteAheadLog(directory, { files, retryMs: 10 });
      const changes: unknown[] = [];
      log.onFailureChange = (error) => changes.push((error as NodeJS.ErrnoException | undefined)?.code);
      const first = log.append(FIRST).sequence;
      await assert.rejects(log.durable(first), { code: 'ENOSPC' });
      assert.equal(log.failing, true);
      assert.throws(() => log.append(SECOND), { code: 'ENOSPC' });
      // Nothing of the refused commit reads back: its record is torn.
      assert.deepEqual(read(directory), []);
      full = false;
      while (log.failing) await new Promise((resolve) => setTimeout(resolve, 5));
      assert.deepEqual(changes, ['ENOSPC', undefined]);
      // The record was written again over its torn part, and appends are accepted again.
      await log.durable(log.append(SECOND).sequence);
      await log.close();
      assert.deepEqual(read(directory), [FIRST, SECOND]);
    }));

  it('refuses the commits of a flush whose sync fails with EIO, keeping those acknowledged before', () =>
    withDirectory(async (directory) => {
      let failing = false;
      const files = faultyFiles((_call, asked) => asked, () => (failing ? errno('EIO') : undefined));
      const log = new WriteAheadLog(directory, { files, retryMs: 10 });
      await log.durable(log.append(FIRST).sequence);
      failing = true;
      const second = log.append(SECOND).sequence;
      await assert.rejects(log.durable(second), { code: 'EIO' });
      await assert.rejects(log.durable(second), { code: 'EIO' });
      assert.throws(() => log.append(FIRST), { code: 'EIO' });
      failing = false;
      while (log.failing) await new Promise((resolve) => setTimeout(resolve, 5));
      await log.durable(second);
      await log.close();
      assert.deepEqual(read(directory), [FIRST, SECOND]);
    }));

  it('opens no segment and acknowledges nothing while a segment file cannot be created', () =>
    withDirectory(async (directory) => {
      let creatable = false;
      const files = faultyFiles((_call, asked) => asked);
      const create = files.create.bind(files);
      files.create = (path: string) => (creatable ? create(path) : Promise.reject(errno('ENOSPC')));
      const log = new WriteAheadLog(directory, { files, retryMs: 10 });
      await assert.rejects(log.durable(log.append(FIRST).sequence), { code: 'ENOSPC' });
      creatable = true;
      while (log.failing) await new Promise((resolve) => setTimeout(resolve, 5));
      await log.close();
      assert.deepEqual(read(directory), [FIRST]);
    }));
});

describe('WriteAheadLog encrypted at rest', () => {
  const cipher = new ValueCipher({ id: 1, key: Buffer.alloc(32, 0x11) });
  const readSealed = (directory: string, withCipher = cipher): LoggedWrite[][] => {
    const records: LoggedWrite[][] = [];
    readLog(directory, (writes) => records.push(writes), withCipher);
    return records;
  };

  it('seals each record whole: nothing of it in clear on disk, and it reads back as written', () =>
    withDirectory(async (directory) => {
      const log = new WriteAheadLog(directory, { cipher });
      const appended = log.append([{ space: 't/secret-space', key: Uint8Array.of(1), value: '{"v":{"S":"MARKER-in-log"}}', tag: 5 }]);
      // The values handed back (what pending writes keep in memory) are the clear stored bytes.
      assert.equal(appended.values[0]?.subarray(5).toString(), '{"v":{"S":"MARKER-in-log"}}');
      await log.durable(log.append(SECOND).sequence);
      await log.close();
      const [segment] = readdirSync(directory);
      const content = readFileSync(join(directory, segment as string));
      for (const clear of ['MARKER-in-log', 't/secret-space']) assert.equal(content.includes(Buffer.from(clear)), false, clear);
      const [first, second] = readSealed(directory);
      assert.equal(Buffer.from(first?.[0]?.value ?? []).subarray(5).toString(), '{"v":{"S":"MARKER-in-log"}}');
      assert.deepEqual(second, SECOND);
    }));

  it('seals the commits of one flush in one frame, and each flush in its own', () =>
    withDirectory(async (directory) => {
      const log = new WriteAheadLog(directory, { cipher });
      log.append(FIRST);
      log.append(SECOND);
      await log.durable(log.append(FIRST).sequence);
      await log.durable(log.append(SECOND).sequence);
      await log.close();
      const [segment] = readdirSync(directory);
      const content = readFileSync(join(directory, segment as string));
      const frames: number[] = [];
      for (let offset = 0; offset < content.length; offset += 8 + content.readUInt32LE(offset)) frames.push(content.readUInt32LE(offset));
      const clear = (writes: LoggedWrite[]) => encodeRecord(writes.map((write) => ({ ...write, value: write.value === undefined ? undefined : Buffer.from(write.value) }))).length;
      assert.deepEqual(frames, [29 + clear(FIRST) + clear(SECOND) + clear(FIRST), 29 + clear(SECOND)]);
      assert.deepEqual(readSealed(directory), [FIRST, SECOND, FIRST, SECOND]);
    }));

  it('writes a frame again, whole and at its place, after a failed write', () =>
    withDirectory(async (directory) => {
      // Half of the frame reaches the disk, then the disk is full: the frame is later written whole over it.
      let failing = false;
      let torn = false;
      const files = faultyFiles((_call, asked) => {
        if (!failing) return asked;
        if (torn) return errno('ENOSPC');
        torn = true;
        return Math.floor(asked / 2);
      });
      const log = new WriteAheadLog(directory, { files, retryMs: 10, cipher });
      await log.durable(log.append(FIRST).sequence);
      failing = true;
      log.append(SECOND);
      const last = log.append(FIRST).sequence;
      await assert.rejects(log.durable(last), { code: 'ENOSPC' });
      assert.ok(torn);
      failing = false;
      while (log.failing) await new Promise((resolve) => setTimeout(resolve, 5));
      await log.durable(last);
      await log.durable(log.append(SECOND).sequence);
      await log.close();
      assert.deepEqual(readSealed(directory), [FIRST, SECOND, FIRST, SECOND]);
    }));

  it('stops at a frame whose tag does not verify, even with a matching checksum (corruption)', () =>
    withDirectory(async (directory) => {
      const log = new WriteAheadLog(directory, { cipher });
      await log.durable(log.append(FIRST).sequence);
      await log.durable(log.append(SECOND).sequence);
      await log.close();
      const [segment] = readdirSync(directory);
      const path = join(directory, segment as string);
      const content = readFileSync(path);
      const firstLength = 8 + content.readUInt32LE(0);
      // Flip a ciphertext byte of the second frame and give it a checksum that matches again.
      const payload = content.subarray(firstLength + 8);
      payload[20] = (payload[20] as number) ^ 0x01;
      content.writeUInt32LE(crc32(payload), firstLength + 4);
      writeFileSync(path, content);
      assert.deepEqual(readSealed(directory), [FIRST]);
      // Another key opens nothing: every record is corruption to it (the start-up key check refuses it first).
      assert.deepEqual(readSealed(directory, new ValueCipher({ id: 1, key: Buffer.alloc(32, 0x22) })), []);
    }));
});
