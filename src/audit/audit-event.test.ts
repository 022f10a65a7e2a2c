import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import type { RequestContext } from '../api/operation.js';
import type { Principal } from '../auth/principal.js';
import type { Engine } from '../engine/engine.js';
import { DynamoDbError } from '../errors.js';
import type { AnsweredRequest } from '../http/answered-request.js';
import { auditEvent, type AuditEvent } from './audit-event.js';

const SETTINGS = {
  defaultRegion: 'us-east-1',
  defaultAccountId: '000000000000',
  authenticates: false,
  now: new Date('2026-03-01T12:34:56.789Z'),
  eventId: 'e-1',
};

function answered(overrides: Partial<AnsweredRequest> & { headers?: Record<string, string>; url?: string }): AnsweredRequest {
  const { headers = {}, url = '/', ...rest } = overrides;
  const req = { headers, url, socket: { remoteAddress: '::ffff:10.1.2.3' } } as unknown as IncomingMessage;
  return { operation: 'GetItem', req, requestId: 'REQ', context: undefined, request: undefined, result: undefined, error: undefined, ...rest };
}

function contextFor(principal: Principal): RequestContext {
  return { region: 'eu-west-1', accountId: principal.accountId, principal, engine: {} as Engine, requestId: 'REQ' };
}

const USER: Principal = {
  accountId: '111122223333',
  arn: 'arn:aws:iam::111122223333:user/app',
  userName: 'app',
  userId: 'AIDAEXAMPLEUSERID',
  accessKeyId: 'AKIAEXAMPLE',
  policies: [],
};

const SESSION: Principal = {
  accountId: '111122223333',
  arn: 'arn:aws:sts::111122223333:assumed-role/reader/session-1',
  userId: 'AROAEXAMPLEROLEID:session-1',
  accessKeyId: 'ASIAEXAMPLE',
  policies: [],
};

test('a denied request of an IAM user: IAMUser identity, AccessDeniedException as its errorCode, the account of the user', () => {
  const message =
    'User: arn:aws:iam::111122223333:user/app is not authorized to perform: dynamodb:GetItem on resource: arn:aws:dynamodb:eu-west-1:111122223333:table/t because no identity-based policy allows the dynamodb:GetItem action';
  const event = auditEvent(
    answered({
      context: contextFor(USER),
      request: { TableName: 't', Key: { id: { S: 'k' } } },
      error: new DynamoDbError('AccessDeniedException', message),
      headers: { 'user-agent': 'ua' },
    }),
    SETTINGS,
  );
  assert.deepEqual(event, {
    eventVersion: '1.08',
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLEUSERID',
      arn: 'arn:aws:iam::111122223333:user/app',
      accountId: '111122223333',
      accessKeyId: 'AKIAEXAMPLE',
      userName: 'app',
    },
    eventTime: '2026-03-01T12:34:56Z',
    eventSource: 'dynamodb.amazonaws.com',
    eventName: 'GetItem',
    awsRegion: 'eu-west-1',
    sourceIPAddress: '10.1.2.3',
    userAgent: 'ua',
    errorCode: 'AccessDeniedException',
    errorMessage: message,
    requestParameters: { tableName: 't', key: { id: 'k' } },
    responseElements: null,
    requestID: 'REQ',
    eventID: 'e-1',
    readOnly: true,
    resources: [{ accountId: '111122223333', type: 'AWS::DynamoDB::Table', ARN: 'arn:aws:dynamodb:eu-west-1:111122223333:table/t' }],
    eventType: 'AwsApiCall',
    apiVersion: '2012-08-10',
    managementEvent: false,
    recipientAccountId: '111122223333',
    eventCategory: 'Data',
  } satisfies AuditEvent);
});

test('a session: AssumedRole identity without a userName; an allowed request has no errorCode', () => {
  const event = auditEvent(answered({ operation: 'ListTables', context: contextFor(SESSION), request: {}, result: { TableNames: [] } }), SETTINGS);
  assert.deepEqual(event.userIdentity, {
    type: 'AssumedRole',
    principalId: 'AROAEXAMPLEROLEID:session-1',
    arn: 'arn:aws:sts::111122223333:assumed-role/reader/session-1',
    accountId: '111122223333',
    accessKeyId: 'ASIAEXAMPLE',
  });
  assert.equal('errorCode' in event, false);
  assert.equal(event.responseElements, null);
  assert.equal(event.readOnly, true);
  assert.equal(event.userAgent, '');
});

test('without a principal: the default account as Root, key and region from a presigned URL\'s credential', () => {
  const event = auditEvent(
    answered({ operation: 'DescribeLimits', request: {}, url: '/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDQ%2F20260101%2Fap-south-1%2Fdynamodb%2Faws4_request' }),
    SETTINGS,
  );
  assert.deepEqual(event.userIdentity, {
    type: 'Root',
    principalId: '000000000000',
    arn: 'arn:aws:iam::000000000000:root',
    accountId: '000000000000',
    accessKeyId: 'AKIDQ',
  });
  assert.equal(event.awsRegion, 'ap-south-1');
});

test('a failure of Cairn itself is recorded as InternalServerError; the cause stays in the server log', () => {
  const event = auditEvent(answered({ operation: 'DeleteTable', request: { TableName: 'gone' }, error: new Error('disk on fire') }), SETTINGS);
  assert.equal(event.errorCode, 'InternalServerError');
  assert.equal(event.errorMessage, 'Internal server error');
  assert.equal(event.managementEvent, true);
  assert.equal(event.readOnly, false);
});

test('a mutating control-plane answer becomes responseElements; a request without a JSON object body has null parameters', () => {
  const tagged = auditEvent(
    answered({
      operation: 'UpdateTimeToLive',
      request: { TableName: 'tt', TimeToLiveSpecification: { Enabled: true, AttributeName: 'exp' } },
      result: { TimeToLiveSpecification: { Enabled: true, AttributeName: 'exp' } },
    }),
    SETTINGS,
  );
  assert.deepEqual(tagged.requestParameters, { tableName: 'tt', timeToLiveSpecification: { enabled: true, attributeName: 'exp' } });
  assert.deepEqual(tagged.responseElements, { timeToLiveSpecification: { enabled: true, attributeName: 'exp' } });
  const empty = auditEvent(answered({ operation: 'ListTables', error: new DynamoDbError('SerializationException', '') }), SETTINGS);
  assert.equal(empty.requestParameters, null);
  assert.equal('resources' in empty, false);
});

test('with --auth, a request refused before its signature was verified has an Unknown identity with the key it claimed', () => {
  const event = auditEvent(
    answered({
      operation: 'ListTables',
      request: {},
      error: new DynamoDbError('UnrecognizedClientException', 'The security token included in the request is invalid.', 400, 'com.amazon.coral.service'),
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKIAUNKNOWN/20260101/eu-west-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00' },
    }),
    { ...SETTINGS, defaultAccountId: '111122223333', authenticates: true },
  );
  assert.deepEqual(event.userIdentity, { type: 'Unknown', accessKeyId: 'AKIAUNKNOWN' });
  assert.equal(event.awsRegion, 'eu-west-1');
  assert.equal(event.recipientAccountId, '111122223333');
  assert.equal(event.errorCode, 'UnrecognizedClientException');
});

test('a request refused by validation after its signature was verified has its signer\'s identity and account', () => {
  const event = auditEvent(
    answered({ operation: 'CreateTable', principal: USER, region: 'eu-west-1', request: { TableName: 'x' }, error: new DynamoDbError('ValidationException', 'bad') }),
    { ...SETTINGS, authenticates: true },
  );
  assert.equal(event.userIdentity.type, 'IAMUser');
  assert.equal(event.userIdentity.arn, 'arn:aws:iam::111122223333:user/app');
  assert.equal(event.recipientAccountId, '111122223333');
  assert.equal(event.awsRegion, 'eu-west-1');
  assert.deepEqual(event.resources, [{ accountId: '111122223333', type: 'AWS::DynamoDB::Table', ARN: 'arn:aws:dynamodb:eu-west-1:111122223333:table/x' }]);
});
