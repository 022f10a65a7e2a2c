import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeRecord, readLog, removeLog, WriteAheadLog, type LoggedWrite } from './write-ahead-log.js';

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
      removeLog(directory);
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
});
