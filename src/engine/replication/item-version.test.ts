import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareVersions, localVersion } from './item-version.js';

test('later time wins; the region name breaks a tie', () => {
  assert.ok(compareVersions({ t: 2, r: 'a' }, { t: 1, r: 'z' }) > 0);
  assert.ok(compareVersions({ t: 1, r: 'eu-west-1' }, { t: 1, r: 'us-east-1' }) < 0);
  assert.equal(compareVersions({ t: 1, r: 'x' }, { t: 1, r: 'x' }), 0);
});

test('a local write is newer than the version it replaces, even one from the future', () => {
  assert.deepEqual(localVersion(undefined, 'us-east-1', 10), { t: 10, r: 'us-east-1' });
  assert.deepEqual(localVersion({ t: 5, r: 'zz' }, 'us-east-1', 10), { t: 10, r: 'us-east-1' });
  const next = localVersion({ t: 20, r: 'zz' }, 'us-east-1', 10);
  assert.deepEqual(next, { t: 21, r: 'us-east-1' });
  assert.ok(compareVersions(next, { t: 20, r: 'zz' }) > 0);
});
