import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfigFile } from '../triggers/config-file.js';
import { DEFAULT_PRICES, parsePrices } from './prices.js';

test('prices: defaults, overrides of any subset, refusals', () => {
  assert.deepEqual(parsePrices(undefined), DEFAULT_PRICES);
  assert.deepEqual(parsePrices({ onDemandReadPerMillion: 0.25 }), { ...DEFAULT_PRICES, onDemandReadPerMillion: 0.25 });
  assert.throws(() => parsePrices([]), { message: '"capacity.prices" must be an object' });
  assert.throws(() => parsePrices({ storagePerGbMonth: 1 }), {
    message:
      '"capacity.prices": unknown price "storagePerGbMonth" (expected one of onDemandWritePerMillion, onDemandReadPerMillion, provisionedWritePerUnitHour, provisionedReadPerUnitHour, onDemandReplicatedWritePerMillion, provisionedReplicatedWritePerUnitHour)',
  });
  assert.throws(() => parsePrices({ onDemandReadPerMillion: -1 }), { message: '"capacity.prices.onDemandReadPerMillion" must be a non-negative number' });
});

test('the configuration file takes capacity.prices, capacity.mode and capacity.timeScale beside triggers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-prices-'));
  const file = join(dir, 'cairn.config.json');
  writeFileSync(file, JSON.stringify({ capacity: { prices: { provisionedReadPerUnitHour: 0.0002 } } }));
  assert.deepEqual(loadConfigFile(file, dir), { path: file, triggers: [], prices: { ...DEFAULT_PRICES, provisionedReadPerUnitHour: 0.0002 } });
  writeFileSync(file, JSON.stringify({ capacity: { mode: 'enforce', timeScale: 60 } }));
  assert.deepEqual(loadConfigFile(file, dir), { path: file, triggers: [], capacityMode: 'enforce', capacityTimeScale: 60 });
  writeFileSync(file, JSON.stringify({ capacity: { mode: 'strict' } }));
  assert.throws(() => loadConfigFile(file, dir), { message: `${file}: "capacity.mode" must be one of off, account, enforce` });
  writeFileSync(file, JSON.stringify({ capacity: { timeScale: 0 } }));
  assert.throws(() => loadConfigFile(file, dir), { message: `${file}: "capacity.timeScale" must be a positive number` });
  writeFileSync(file, JSON.stringify({ capacity: { clock: 'manual' } }));
  assert.throws(() => loadConfigFile(file, dir), {
    message: `${file}: unknown setting "capacity.clock" (expected "capacity.mode", "capacity.timeScale" or "capacity.prices")`,
  });
  writeFileSync(file, JSON.stringify({ capacity: { prices: { onDemandReadPerMillion: 'cheap' } } }));
  assert.throws(() => loadConfigFile(file, dir), { message: `${file}: "capacity.prices.onDemandReadPerMillion" must be a non-negative number` });
  writeFileSync(file, JSON.stringify({ other: 1 }));
  assert.throws(() => loadConfigFile(file, dir), {
    message: `${file}: unknown setting "other" (expected "triggers", "capacity", "auth", "encryptionKeyFile", "previousEncryptionKeyFile", "tls", "audit", "peers" or "postgres")`,
  });
});
