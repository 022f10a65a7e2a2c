import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkOf, EncryptionStateError, openEncryption, STATE_FILE } from './encryption-state.js';

const A = Buffer.alloc(32, 0x0a);
const B = Buffer.alloc(32, 0x0b);
const C = Buffer.alloc(32, 0x0c);

function withDirectory(body: (directory: string) => void): void {
  const directory = mkdtempSync(join(tmpdir(), 'cairn-encryption-state-'));
  try {
    body(directory);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

const state = (directory: string): unknown => JSON.parse(readFileSync(join(directory, STATE_FILE), 'utf8'));

describe('encryption state of a data directory', () => {
  it('records a check of the key (never the key) in a new directory; a directory without a key stays unencrypted', () =>
    withDirectory((directory) => {
      assert.equal(openEncryption(directory, undefined), undefined);
      const opened = openEncryption(directory, { key: A });
      assert.equal(opened?.cipher.current.id, 1);
      assert.equal(opened?.rotating, false);
      assert.deepEqual(state(directory), { format: 1, cipher: 'AES-256-GCM', key: { id: 1, check: checkOf(A) } });
      assert.equal(readFileSync(join(directory, STATE_FILE), 'utf8').includes(A.toString('hex')), false);
    }));

  it('starts a rotation with the next key id, names both keys until it finishes, then only the new one', () =>
    withDirectory((directory) => {
      openEncryption(directory, { key: A });
      const rotating = openEncryption(directory, { key: B, previousKey: A });
      assert.equal(rotating?.rotating, true);
      assert.equal(rotating?.cipher.current.id, 2);
      assert.deepEqual(state(directory), { format: 1, cipher: 'AES-256-GCM', key: { id: 2, check: checkOf(B) }, previousKey: { id: 1, check: checkOf(A) } });
      assert.throws(() => openEncryption(directory, { key: C, previousKey: B }), {
        message: `data directory ${directory} is still being re-encrypted from an earlier key rotation: finish it (with that rotation's new and old keys) before starting another`,
      });
      assert.throws(() => openEncryption(directory, { key: B, previousKey: C }), {
        message: `a key rotation of data directory ${directory} is not finished: start Cairn with --encryption-key-file naming the new key and --previous-encryption-key-file naming the old key, and it finishes the rotation in the background`,
      });
      rotating?.finishRotation();
      assert.deepEqual(state(directory), { format: 1, cipher: 'AES-256-GCM', key: { id: 2, check: checkOf(B) } });
      // Finished: a leftover previous key is ignored.
      assert.equal(openEncryption(directory, { key: B, previousKey: A })?.rotating, false);
    }));

  it('refuses the same key twice, a wrong pair and a damaged state file', () =>
    withDirectory((directory) => {
      openEncryption(directory, { key: A });
      assert.throws(() => openEncryption(directory, { key: A, previousKey: A }), {
        message: '--previous-encryption-key-file names the same key as --encryption-key-file',
      });
      assert.throws(() => openEncryption(directory, { key: B, previousKey: C }), {
        message: `the key of --encryption-key-file is not the key data directory ${directory} is encrypted with, and neither is the key of --previous-encryption-key-file`,
      });
      writeFileSync(join(directory, STATE_FILE), '{"format":1,');
      assert.throws(() => openEncryption(directory, { key: A }), (error: unknown) => {
        assert.ok(error instanceof EncryptionStateError);
        assert.equal(error.message, `${join(directory, STATE_FILE)} is not valid JSON: the data directory's encryption state is damaged`);
        return true;
      });
      writeFileSync(join(directory, STATE_FILE), '{"format":2}');
      assert.throws(() => openEncryption(directory, { key: A }), { message: `${join(directory, STATE_FILE)} is not an encryption state Cairn knows (format 1)` });
    }));

  it('wraps key ids from 255 back to 1', () =>
    withDirectory((directory) => {
      writeFileSync(join(directory, STATE_FILE), JSON.stringify({ format: 1, cipher: 'AES-256-GCM', key: { id: 255, check: checkOf(A) } }));
      assert.equal(openEncryption(directory, { key: B, previousKey: A })?.cipher.current.id, 1);
    }));

  it('refuses a key for a directory that holds data written without encryption', () =>
    withDirectory((directory) => {
      mkdirSync(join(directory, 'wal'));
      assert.throws(() => openEncryption(directory, { key: A }), EncryptionStateError);
      assert.equal(openEncryption(directory, undefined), undefined);
    }));
});
