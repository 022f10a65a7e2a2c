import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DynamoDbError } from '../errors.js';
import { createWarmThroughput, describedWarm, onDemandDescription, onDemandThroughput, updateWarmThroughput } from './table-throughput.js';

const INVALID = 'One or more parameter values were invalid: ';
const provisioned = { ReadCapacityUnits: 10, WriteCapacityUnits: 20, NumberOfDecreasesToday: 0 };

function message(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    assert.ok(error instanceof DynamoDbError);
    return error.message;
  }
}

test('OnDemandThroughput: at least 1 each; -1 removes a maximum on an update only; merged over the current', () => {
  assert.deepEqual(onDemandThroughput({ MaxReadRequestUnits: 5 }, 'PAY_PER_REQUEST', {}, 'create'), { MaxReadRequestUnits: 5 });
  assert.equal(onDemandThroughput({}, 'PAY_PER_REQUEST', {}, 'create'), undefined);
  assert.equal(onDemandThroughput(undefined, 'PAY_PER_REQUEST', {}, 'update', { MaxReadRequestUnits: 5 })?.MaxReadRequestUnits, 5);
  assert.equal(
    message(() => onDemandThroughput({ MaxReadRequestUnits: -1 }, 'PAY_PER_REQUEST', {}, 'create')),
    `${INVALID}Requested MaxReadRequestUnits for OnDemandThroughput for table is outside of valid range`,
  );
  assert.equal(
    message(() => onDemandThroughput({ MaxWriteRequestUnits: -2 }, 'PAY_PER_REQUEST', { index: 'g' }, 'update')),
    `${INVALID}Requested MaxWriteRequestUnits for OnDemandThroughput for index : g is outside of valid range`,
  );
  const current = { MaxReadRequestUnits: 5, MaxWriteRequestUnits: 6 };
  assert.deepEqual(onDemandThroughput({ MaxReadRequestUnits: -1 }, 'PAY_PER_REQUEST', {}, 'update', current), { MaxWriteRequestUnits: 6 });
  assert.equal(onDemandThroughput({ MaxReadRequestUnits: -1, MaxWriteRequestUnits: -1 }, 'PAY_PER_REQUEST', {}, 'update', current), undefined);
  assert.equal(
    message(() => onDemandThroughput({ MaxWriteRequestUnits: 5 }, 'PROVISIONED', {}, 'create')),
    `${INVALID}MaxWriteRequestUnits for OnDemandThroughput cannot be specified when the table BillingMode is PROVISIONED`,
  );
  assert.equal(onDemandDescription({}), undefined);
  assert.deepEqual(onDemandDescription({ MaxWriteRequestUnits: 6 }), { MaxWriteRequestUnits: 6 });
});

test('WarmThroughput: never below the floor at creation, never decreased, described at least at the floor', () => {
  assert.deepEqual(describedWarm(undefined, 'PAY_PER_REQUEST', undefined), { ReadUnitsPerSecond: 12_000, WriteUnitsPerSecond: 4_000 });
  assert.deepEqual(describedWarm({ WriteUnitsPerSecond: 30 }, 'PROVISIONED', provisioned), { ReadUnitsPerSecond: 10, WriteUnitsPerSecond: 30 });
  assert.equal(createWarmThroughput({}, 'PAY_PER_REQUEST', undefined, {}), undefined);
  assert.deepEqual(createWarmThroughput({ WriteUnitsPerSecond: 4_000 }, 'PAY_PER_REQUEST', undefined, {}), { WriteUnitsPerSecond: 4_000 });
  assert.equal(
    message(() => createWarmThroughput({ WriteUnitsPerSecond: 19 }, 'PROVISIONED', provisioned, { index: 'g' })),
    `${INVALID}Requested WriteUnitsPerSecond for WarmThroughput for index g is lower than WriteCapacityUnits of ProvisionedThroughput`,
  );
  assert.deepEqual(updateWarmThroughput({ ReadUnitsPerSecond: 12_000 }, undefined, 'PAY_PER_REQUEST', undefined, {}), { ReadUnitsPerSecond: 12_000 });
  assert.deepEqual(updateWarmThroughput({ WriteUnitsPerSecond: 5_000 }, { ReadUnitsPerSecond: 13_000 }, 'PAY_PER_REQUEST', undefined, {}), {
    ReadUnitsPerSecond: 13_000,
    WriteUnitsPerSecond: 5_000,
  });
  assert.equal(
    message(() => updateWarmThroughput({ ReadUnitsPerSecond: 12_999 }, { ReadUnitsPerSecond: 13_000 }, 'PAY_PER_REQUEST', undefined, {})),
    `${INVALID}Requested ReadUnitsPerSecond for WarmThroughput for table is lower than current WarmThroughput, decreasing WarmThroughput is not supported`,
  );
});
