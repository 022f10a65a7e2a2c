import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readCharges } from './charges.js';
import { ResourceCapacity } from './resource-capacity.js';

const resource = new ResourceCapacity('Table', 'arn:aws:dynamodb:us-east-1:000000000000:table/t', { mode: 'PAY_PER_REQUEST', warmReadUnits: 12_000, warmWriteUnits: 4_000 }, 0, 0);

test('a page that read one key hash is charged there; one that read nothing where it started', () => {
  assert.deepEqual(
    readCharges(resource, 2, new Map([[7, 5000]]), 3).map(({ hash, units }) => [hash, units]),
    [[7, 2]],
  );
  assert.deepEqual(
    readCharges(resource, 0.5, new Map(), 3).map(({ hash, units }) => [hash, units]),
    [[3, 0.5]],
  );
});

test('a page over several key hashes spreads its units by the bytes read under each, adding up exactly', () => {
  const charges = readCharges(
    resource,
    10,
    new Map([
      [1, 1000],
      [2, 3000],
      [9, 1000],
    ]),
    0,
  );
  assert.deepEqual(
    charges.map(({ hash, units, access }) => [hash, units, access]),
    [
      [1, 2, 'read'],
      [2, 6, 'read'],
      [9, 2, 'read'],
    ],
  );
  const thirds = readCharges(resource, 1, new Map([[1, 1], [2, 1], [3, 1]]), 0);
  assert.equal(thirds.reduce((sum, { units }) => sum + units, 0), 1);
});
