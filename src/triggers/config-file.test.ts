import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfigFile } from './config-file.js';

test('the configuration file names the encryption key files, relative to itself', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-config-keys-'));
  try {
    mkdirSync(join(dir, 'conf'));
    const file = join(dir, 'conf', 'cairn.config.json');
    writeFileSync(file, JSON.stringify({ encryptionKeyFile: './new.key', previousEncryptionKeyFile: '../old.key' }));
    assert.deepEqual(loadConfigFile(file, dir), {
      path: file,
      triggers: [],
      encryptionKeyFile: join(dir, 'conf', 'new.key'),
      previousEncryptionKeyFile: join(dir, 'old.key'),
    });
    writeFileSync(file, JSON.stringify({ encryptionKeyFile: 32 }));
    assert.throws(() => loadConfigFile(file, dir), { message: `${file}: "encryptionKeyFile" must be a file name` });
    writeFileSync(file, JSON.stringify({ previousEncryptionKeyFile: '' }));
    assert.throws(() => loadConfigFile(file, dir), { message: `${file}: "previousEncryptionKeyFile" must be a file name` });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
