import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { openLogFile, removeFile, syncDirectory } from './log-files.js';

const directory = mkdtempSync(join(tmpdir(), 'cairn-log-files-'));
after(() => rmSync(directory, { recursive: true, force: true }));

describe('log files', () => {
  test('writes at a position, syncs and closes', async () => {
    const path = join(directory, 'a.log');
    const file = await openLogFile(path, 'w');
    assert.deepEqual(await file.writev([Buffer.from('abc'), Buffer.from('def')], 0), { bytesWritten: 6 });
    assert.deepEqual(await file.writev([Buffer.from('XY')], 2), { bytesWritten: 2 });
    await file.datasync();
    await file.close();
    assert.equal(readFileSync(path, 'utf8'), 'abXYef');
  });

  test('writes in flight when the file is closed are all written, then the file closed', async () => {
    const path = join(directory, 'b.log');
    const file = await openLogFile(path, 'w');
    const writes = Array.from({ length: 8 }, (_, index) => file.writev([Buffer.alloc(64 * 1024, 97 + index)], index * 64 * 1024));
    const closed = file.close();
    assert.deepEqual(await Promise.all(writes), new Array(8).fill({ bytesWritten: 64 * 1024 }));
    await closed;
    const bytes = readFileSync(path);
    assert.equal(bytes.length, 8 * 64 * 1024);
    for (let index = 0; index < 8; index++) assert.equal(bytes[index * 64 * 1024 + 1000], 97 + index);
  });

  test('errors reject with their code', async () => {
    await assert.rejects(openLogFile(join(directory, 'missing', 'c.log'), 'w'), { code: 'ENOENT' });
    await assert.rejects(syncDirectory(join(directory, 'missing')), { code: 'ENOENT' });
  });

  test('removes a file, and a missing one without error; syncs a directory', async () => {
    const path = join(directory, 'd.log');
    await (await openLogFile(path, 'w')).close();
    await removeFile(path);
    assert.equal(existsSync(path), false);
    await removeFile(path);
    await syncDirectory(directory);
  });
});
