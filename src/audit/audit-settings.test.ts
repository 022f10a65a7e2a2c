import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfigFile } from '../triggers/config-file.js';

test('the configuration file takes "audit" and "tls", their files relative to it, and refuses what it does not know', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-audit-settings-'));
  const file = join(dir, 'cairn.config.json');
  const load = (settings: unknown): unknown => {
    writeFileSync(file, JSON.stringify(settings));
    return loadConfigFile(file, dir);
  };
  assert.deepEqual(load({ audit: { log: 'logs/audit.jsonl', dataEvents: true, maxBytes: 1000 }, tls: { cert: 'c.pem', key: '/abs/k.pem' } }), {
    path: file,
    triggers: [],
    tlsCertFile: join(dir, 'c.pem'),
    tlsKeyFile: '/abs/k.pem',
    audit: { file: join(dir, 'logs/audit.jsonl'), dataEvents: true, maxBytes: 1000 },
  });
  assert.deepEqual(load({ audit: {} }), { path: file, triggers: [], audit: {} });
  const refusals: readonly [unknown, string][] = [
    [{ audit: [] }, '"audit" must be an object'],
    [{ audit: { file: 'a' } }, 'unknown setting "audit.file" (expected "audit.log", "audit.dataEvents" or "audit.maxBytes")'],
    [{ audit: { log: '' } }, '"audit.log" must be a file name'],
    [{ audit: { dataEvents: 'yes' } }, '"audit.dataEvents" must be true or false'],
    [{ audit: { maxBytes: 0 } }, '"audit.maxBytes" must be a positive integer'],
    [{ tls: 'cert.pem' }, '"tls" must be an object'],
    [{ tls: { certificate: 'c.pem' } }, 'unknown setting "tls.certificate" (expected "tls.cert" or "tls.key")'],
    [{ tls: { cert: 1 } }, '"tls.cert" must be a file name'],
  ];
  for (const [settings, message] of refusals) assert.throws(() => load(settings), { message: `${file}: ${message}` }, JSON.stringify(settings));
});
