import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StreamRecord } from '../engine/streams/stream-record.js';
import { lambdaEvent, MAX_PAYLOAD_BYTES, recordsWithinPayload } from './lambda-event.js';

const ARN = 'arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/2026-01-01T00:00:00.000';

function record(sequence: number, extra: Partial<StreamRecord> = {}, padding = 0): StreamRecord {
  return {
    eventID: `e${sequence}`,
    eventName: 'REMOVE',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    dynamodb: {
      ApproximateCreationDateTime: 1_700_000_000,
      Keys: { id: { S: `k${sequence}` } },
      OldImage: { id: { S: `k${sequence}` }, pad: { S: 'x'.repeat(padding) } },
      SequenceNumber: String(sequence).padStart(21, '0'),
      SizeBytes: 10 + padding,
      StreamViewType: 'OLD_IMAGE',
    },
    ...extra,
  };
}

describe("Lambda's event", () => {
  it('adds eventSourceARN last and spells a TTL deletion as Lambda does', () => {
    const event = lambdaEvent([record(1, { userIdentity: { PrincipalId: 'dynamodb.amazonaws.com', Type: 'Service' } })], ARN);
    const [first] = event.Records;
    assert.deepEqual(Object.keys(first ?? {}), ['eventID', 'eventName', 'eventVersion', 'eventSource', 'awsRegion', 'dynamodb', 'userIdentity', 'eventSourceARN']);
    assert.deepEqual(first?.userIdentity, { type: 'Service', principalId: 'dynamodb.amazonaws.com' });
    assert.equal(first?.eventSourceARN, ARN);
  });

  it('keeps a batch within 6 MB', () => {
    const big = Array.from({ length: 40 }, (_, i) => record(i + 1, {}, 390_000));
    const fitting = recordsWithinPayload(big, ARN);
    assert.ok(fitting > 1 && fitting < 40);
    assert.ok(Buffer.byteLength(JSON.stringify(lambdaEvent(big.slice(0, fitting), ARN))) <= MAX_PAYLOAD_BYTES);
    assert.ok(Buffer.byteLength(JSON.stringify(lambdaEvent(big.slice(0, fitting + 1), ARN))) > MAX_PAYLOAD_BYTES);
    assert.equal(recordsWithinPayload(big.slice(0, 1), ARN), 1);
  });
});
