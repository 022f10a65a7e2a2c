import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyFileError, parseKey, readKeyFile } from './key-file.js';

const KEY = Buffer.from(Array.from({ length: 32 }, (_, i) => i * 7 + 3));

describe('encryption key file', () => {
  it('accepts 32 raw bytes, 64 hex characters and base64, with one trailing newline for the text forms', () => {
    assert.deepEqual(parseKey(KEY), KEY);
    // A raw key may end in a newline byte: 32 bytes are always raw.
    const rawWithNewline = Buffer.from(KEY);
    rawWithNewline[31] = 0x0a;
    assert.deepEqual(parseKey(rawWithNewline), rawWithNewline);
    for (const text of [KEY.toString('hex'), KEY.toString('hex').toUpperCase(), KEY.toString('base64')]) {
      for (const ending of ['', '\n', '\r\n']) assert.deepEqual(parseKey(Buffer.from(text + ending)), KEY, JSON.stringify(text + ending));
    }
  });

  it('refuses anything else', () => {
    const hex = KEY.toString('hex');
    const base64 = KEY.toString('base64');
    // The 43rd base64 character carries 4 bits of the key and 2 that must be zero: setting one gives a text that
    // decodes to the same bytes but is no key's canonical form.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const nonCanonical = `${base64.slice(0, 42)}${alphabet[alphabet.indexOf(base64[42] as string) ^ 1]}=`;
    for (const text of [
      '',
      '\n',
      hex.slice(0, 62),
      `${hex}00`,
      `${hex}\n\n`,
      ` ${hex}`,
      `${hex.slice(0, 63)}g`,
      base64.replace('=', ''),
      `${base64.slice(0, 42)}$=`,
      nonCanonical,
      'x'.repeat(33),
      KEY.toString('base64url'),
    ]) {
      assert.equal(parseKey(Buffer.from(text)), undefined, JSON.stringify(text));
    }
    assert.equal(parseKey(Buffer.alloc(31)), undefined);
    assert.equal(parseKey(Buffer.alloc(64, 0x47)), undefined);
  });

  it('names the file and what is wrong', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cairn-key-test-'));
    try {
      const path = join(dir, 'short.key');
      writeFileSync(path, 'abc\n');
      assert.throws(() => readKeyFile(path), (error: unknown) => {
        assert.ok(error instanceof KeyFileError);
        assert.equal(
          error.message,
          `encryption key file ${path} does not hold a 256-bit key: expected 32 raw bytes, 64 hexadecimal characters or ` +
            '44 characters of base64 (one trailing newline allowed), found 4 bytes that are none of these',
        );
        return true;
      });
      assert.throws(() => readKeyFile(join(dir, 'missing.key')), { message: `cannot read encryption key file ${join(dir, 'missing.key')} (ENOENT)` });
      writeFileSync(path, `${KEY.toString('hex')}\n`);
      assert.deepEqual(readKeyFile(path), KEY);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
