import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileFilterCriteria, compilePattern, FilterPatternError } from './event-filter.js';

const record = {
  eventID: 'e1',
  eventName: 'INSERT',
  eventVersion: '1.1',
  eventSource: 'aws:dynamodb',
  awsRegion: 'us-east-1',
  dynamodb: {
    ApproximateCreationDateTime: 1_700_000_000,
    Keys: { id: { S: 'order-17' } },
    NewImage: {
      id: { S: 'order-17' },
      status: { S: 'OPEN' },
      total: { N: '42.5' },
      paid: { BOOL: false },
      note: { NULL: true },
      tags: { SS: ['red', 'blue'] },
      file: { S: 'invoice.pdf' },
    },
    SequenceNumber: '000000000000000000007',
    SizeBytes: 120,
    StreamViewType: 'NEW_AND_OLD_IMAGES',
  },
  eventSourceARN: 'arn:aws:dynamodb:us-east-1:000000000000:table/orders/stream/2026-01-01T00:00:00.000',
};

const image = (fields: object) => JSON.stringify({ dynamodb: { NewImage: fields } });
const matches = (...patterns: string[]) => compileFilterCriteria(patterns)(record);

describe('event filter', () => {
  it('lets everything through without filters', () => assert.equal(matches(), true));

  const cases: [string, string, boolean][] = [
    ['exact string', JSON.stringify({ eventName: ['INSERT'] }), true],
    ['exact string, other value', JSON.stringify({ eventName: ['REMOVE'] }), false],
    ['OR within a field', JSON.stringify({ eventName: ['MODIFY', 'INSERT'] }), true],
    ['AND across fields', JSON.stringify({ eventName: ['INSERT'], awsRegion: ['eu-west-1'] }), false],
    ['nested DynamoDB JSON', image({ status: { S: ['OPEN'] } }), true],
    ['nested, other value', image({ status: { S: ['CLOSED'] } }), false],
    ['N values are strings', image({ total: { N: ['42.5'] } }), true],
    ['numeric does not match an N string', image({ total: { N: [{ numeric: ['>', 1] }] } }), false],
    ['numeric on a JSON number', JSON.stringify({ dynamodb: { SizeBytes: [{ numeric: ['>', 100, '<=', 120] }] } }), true],
    ['numeric equals', JSON.stringify({ dynamodb: { SizeBytes: [{ numeric: ['=', 121] }] } }), false],
    ['boolean', image({ paid: { BOOL: [false] } }), true],
    ['null', image({ note: { NULL: [true] } }), true],
    ['prefix', JSON.stringify({ dynamodb: { Keys: { id: { S: [{ prefix: 'order-' }] } } } }), true],
    ['prefix, other', JSON.stringify({ dynamodb: { Keys: { id: { S: [{ prefix: 'user-' }] } } } }), false],
    ['suffix', image({ file: { S: [{ suffix: '.pdf' }] } }), true],
    ['prefix ignoring case', image({ status: { S: [{ prefix: { 'equals-ignore-case': 'op' } }] } }), true],
    ['equals-ignore-case', image({ status: { S: [{ 'equals-ignore-case': 'open' }] } }), true],
    ['anything-but', JSON.stringify({ eventName: [{ 'anything-but': 'REMOVE' }] }), true],
    ['anything-but a list', JSON.stringify({ eventName: [{ 'anything-but': ['INSERT', 'MODIFY'] }] }), false],
    ['anything-but prefix', image({ status: { S: [{ 'anything-but': { prefix: 'CL' } }] } }), true],
    ['exists', image({ status: { S: [{ exists: true }] } }), true],
    ['exists on an absent attribute', image({ missing: { S: [{ exists: true }] } }), false],
    ['does not exist', image({ missing: { S: [{ exists: false }] } }), true],
    ['does not exist, but it does', image({ status: { S: [{ exists: false }] } }), false],
    ['exists on a non-leaf matches nothing', image({ status: [{ exists: true }] }), false],
    ['an array value matches by any element', image({ tags: { SS: ['blue'] } }), true],
    ['$or', JSON.stringify({ $or: [{ eventName: ['REMOVE'] }, { dynamodb: { Keys: { id: { S: ['order-17'] } } } }] }), true],
    ['$or, no alternative', JSON.stringify({ $or: [{ eventName: ['REMOVE'] }, { awsRegion: ['x'] }] }), false],
    ['an absent path', JSON.stringify({ dynamodb: { OldImage: { id: { S: ['order-17'] } } } }), false],
    ['eventSourceARN', JSON.stringify({ eventSourceARN: [{ suffix: '2026-01-01T00:00:00.000' }] }), true],
  ];
  for (const [name, pattern, expected] of cases) it(name, () => assert.equal(matches(pattern), expected));

  it('any filter matching lets a record through', () => {
    assert.equal(matches(JSON.stringify({ eventName: ['REMOVE'] }), JSON.stringify({ eventName: ['INSERT'] })), true);
    assert.equal(matches(JSON.stringify({ eventName: ['REMOVE'] }), JSON.stringify({ eventName: ['MODIFY'] })), false);
  });

  const invalid: [string, string][] = [
    ['not JSON', '{"eventName": '],
    ['not an object', '["INSERT"]'],
    ['a bare value', '{"eventName": "INSERT"}'],
    ['an empty list', '{"eventName": []}'],
    ['an unknown operator', '{"eventName": [{"wildcard": "IN*"}]}'],
    ['two operators in one matcher', '{"eventName": [{"prefix": "I", "suffix": "T"}]}'],
    ['a bad numeric operator', '{"dynamodb": {"SizeBytes": [{"numeric": ["!=", 1]}]}}'],
    ['an inverted range', '{"dynamodb": {"SizeBytes": [{"numeric": [">", 10, "<", 1]}]}}'],
    ['exists not boolean', '{"eventName": [{"exists": "yes"}]}'],
    ['$or with one pattern', '{"$or": [{"eventName": ["INSERT"]}]}'],
    ['a prefix of a number', '{"eventName": [{"prefix": 1}]}'],
  ];
  for (const [name, pattern] of invalid) {
    it(`refuses ${name}`, () => assert.throws(() => compilePattern(pattern), FilterPatternError));
  }
});
