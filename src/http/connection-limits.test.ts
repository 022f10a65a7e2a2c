import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectionsCheckingInterval, maxConnectionsFor, resolveConnectionLimits } from './connection-limits.js';

const limitsText = (soft: string): string =>
  `Limit                     Soft Limit           Hard Limit           Units     \n` +
  `Max processes             63704                63704                processes \n` +
  `Max open files            ${soft}                 1048576              files     \n`;

test('the default connection cap leaves descriptors for the store below the open-file limit', () => {
  // 1,100 held connections must not reach a 1,024 limit.
  assert.equal(maxConnectionsFor(limitsText('1024')), 922);
  assert.equal(maxConnectionsFor(limitsText('256')), 192);
  assert.equal(maxConnectionsFor(limitsText('65536')), 58983);
  assert.equal(maxConnectionsFor(limitsText('unlimited')), undefined);
  assert.equal(maxConnectionsFor('no such line'), undefined);
});

test('defaults outlast the SDK pools, and node checks the timeouts often enough', () => {
  const limits = resolveConnectionLimits({ maxConnections: 100 });
  assert.deepEqual(limits, { keepAliveTimeoutMs: 95_000, headersTimeoutMs: 30_000, requestTimeoutMs: 120_000, shutdownTimeoutMs: 5_000, maxConnections: 100 });
  assert.equal(connectionsCheckingInterval(limits), 7_500);
  assert.equal(connectionsCheckingInterval(resolveConnectionLimits({ headersTimeoutMs: 300, requestTimeoutMs: 600 })), 75);
});

test('settings node would read as "no timeout", or refuse, are refused', () => {
  assert.throws(() => resolveConnectionLimits({ keepAliveTimeoutMs: 0 }), /keepAliveTimeoutMs must be a positive integer, not 0/);
  assert.throws(() => resolveConnectionLimits({ requestTimeoutMs: 1.5 }), /requestTimeoutMs must be a positive integer, not 1.5/);
  assert.throws(() => resolveConnectionLimits({ maxConnections: 0 }), /maxConnections must be a positive integer, not 0/);
  assert.throws(() => resolveConnectionLimits({ shutdownTimeoutMs: -1 }), /shutdownTimeoutMs must be an integer of at least 0, not -1/);
  assert.throws(
    () => resolveConnectionLimits({ headersTimeoutMs: 2000, requestTimeoutMs: 1000 }),
    /the headers timeout \(2000 ms\) cannot exceed the request timeout \(1000 ms\)/,
  );
});
