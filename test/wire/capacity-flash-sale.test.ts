/**
 * The flash sale (examples/flash-sale.ts) as a test: 20 write units a second, then 100 times that for two
 * minutes, on a new on-demand table and on a table provisioned with 50 write units, on a manual capacity clock
 * with DynamoDB's own parameters (no shortened policy). Served and throttled requests per minute are exact.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../src/capacity/capacity-clock.js';
import { DEFAULT_FLASH_SALE, runFlashSale } from '../../examples/flash-sale.js';
import { startCairn } from '../helpers/cairn.js';

const BURST = 'ProvisionedThroughputExceededException TableWriteProvisionedThroughputExceeded';
const PARTITION = 'ProvisionedThroughputExceededException TableWriteKeyRangeThroughputExceeded';

test('flash sale: the on-demand table absorbs 100x its steady load; the provisioned one serves its burst credit, then its units', async () => {
  const clock = new ManualClock(Date.UTC(2026, 10, 27, 8));
  const cairn = await startCairn({ inMemory: true, capacity: { mode: 'enforce', clock } });
  try {
    // Two minutes of sale (the example's three repeat the second): the test stays within a few seconds.
    const rows = await runFlashSale(cairn.client, clock, { ...DEFAULT_FLASH_SALE, saleMinutes: 2 });
    const steady = { requests: 3, onDemand: { served: 3, throttled: {} }, provisioned: { served: 3, throttled: {} } };
    assert.deepEqual(
      rows.map(({ minute: _minute, phase: _phase, ...rest }) => rest),
      [
        steady,
        steady,
        // 2,000 units a second (5 requests of 400): half of a new on-demand table's 4,000, spread over its four
        // partitions, all served. The provisioned table has 50 units a second and 15,000 of burst credit, in one
        // partition of 1,000 units a second: (15,000 + 60 x 50) / 400 = 45 requests, the partition refusing
        // some of those it would have taken while credit lasted.
        {
          requests: 300,
          onDemand: { served: 300, throttled: {} },
          provisioned: { served: 45, throttled: { [PARTITION]: 35, [BURST]: 220 } },
        },
        // Then 50 units a second: 3,000 a minute, 7.5 requests of 400 (8 in this minute, 7 in the next).
        { requests: 300, onDemand: { served: 300, throttled: {} }, provisioned: { served: 8, throttled: { [BURST]: 292 } } },
        // The steady load again: the provisioned table pays back its last debt first.
        { requests: 3, onDemand: { served: 3, throttled: {} }, provisioned: { served: 2, throttled: { [BURST]: 1 } } },
        steady,
      ],
    );
  } finally {
    await cairn.close();
  }
});
