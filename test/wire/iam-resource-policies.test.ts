/**
 * PutResourcePolicy, GetResourcePolicy, DeleteResourcePolicy and CreateTable's ResourcePolicy, without `--auth`:
 * policies are validated, stored durably with their table (and its streams), answered with their revision ids,
 * and removed with the table; DynamoDB's errors for every ResourceArn form and revision mismatch.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DeleteResourcePolicyCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  GetResourcePolicyCommand,
  PutResourcePolicyCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { startCairn, type Cairn } from '../helpers/cairn.js';
import { INVALID, rejectsWith } from '../helpers/assertions.js';
import { hashKeyTable } from '../helpers/tables.js';

const ACCOUNT = '000000000000';
const ARN = (name: string): string => `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/${name}`;

function policy(action: string | string[] = 'dynamodb:GetItem', resource = '*'): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: action, Resource: resource }],
  });
}

let cairn: Cairn;
let client: DynamoDBClient;
let dataDir: string;
before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'cairn-policies-'));
  cairn = await startCairn({ dataDir });
  client = cairn.client;
  await client.send(new CreateTableCommand(hashKeyTable('pol')));
  await client.send(
    new CreateTableCommand({ ...hashKeyTable('streamed'), StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } }),
  );
});
after(async () => {
  await cairn.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('resource policies', () => {
  test('put, get, the same policy again keeps its revision, a new one gets a later revision, delete', async () => {
    await rejectsWith(
      client.send(new GetResourcePolicyCommand({ ResourceArn: ARN('pol') })),
      'PolicyNotFoundException',
      `Resource-based policy not found for the provided ResourceArn: ${ARN('pol')}`,
    );
    const first = await client.send(new PutResourcePolicyCommand({ ResourceArn: ARN('pol'), Policy: policy() }));
    assert.match(first.RevisionId ?? '', /^\d{13,}$/);
    const got = await client.send(new GetResourcePolicyCommand({ ResourceArn: ARN('pol') }));
    assert.equal(got.Policy, policy());
    assert.equal(got.RevisionId, first.RevisionId);
    const again = await client.send(new PutResourcePolicyCommand({ ResourceArn: ARN('pol'), Policy: policy() }));
    assert.equal(again.RevisionId, first.RevisionId);
    const second = await client.send(
      new PutResourcePolicyCommand({ ResourceArn: ARN('pol'), Policy: policy('dynamodb:PutItem'), ExpectedRevisionId: first.RevisionId }),
    );
    assert.ok(Number(second.RevisionId) > Number(first.RevisionId));

    await rejectsWith(
      client.send(new PutResourcePolicyCommand({ ResourceArn: ARN('pol'), Policy: policy(), ExpectedRevisionId: first.RevisionId })),
      'PolicyNotFoundException',
      `Resource-based policy not found for the provided ResourceArn: Requested update for policy with revision id ${first.RevisionId}, but the policy associated to target table pol has revision id ${second.RevisionId}.`,
    );
    await rejectsWith(
      client.send(new PutResourcePolicyCommand({ ResourceArn: ARN('pol'), Policy: policy(), ExpectedRevisionId: 'NO_POLICY' })),
      'PolicyNotFoundException',
      `Resource-based policy not found for the provided ResourceArn: Requested policy update expecting none to be present for table pol, but a policy exists with revision id ${second.RevisionId}.`,
    );
    await rejectsWith(
      client.send(new DeleteResourcePolicyCommand({ ResourceArn: ARN('pol'), ExpectedRevisionId: 'unknown' })),
      'PolicyNotFoundException',
      `Resource-based policy not found for the provided ResourceArn: Requested update for policy with revision id unknown, but the policy associated to target table pol has revision id ${second.RevisionId}.`,
    );
    const deleted = await client.send(new DeleteResourcePolicyCommand({ ResourceArn: ARN('pol'), ExpectedRevisionId: second.RevisionId }));
    assert.equal(deleted.RevisionId, second.RevisionId);
    await rejectsWith(client.send(new GetResourcePolicyCommand({ ResourceArn: ARN('pol') })), 'PolicyNotFoundException', `Resource-based policy not found for the provided ResourceArn: ${ARN('pol')}`);
    // Deleting again is idempotent; expecting a revision where there is none is not.
    const none = await client.send(new DeleteResourcePolicyCommand({ ResourceArn: ARN('pol') }));
    assert.equal(none.RevisionId, undefined);
    await rejectsWith(
      client.send(new DeleteResourcePolicyCommand({ ResourceArn: ARN('pol'), ExpectedRevisionId: second.RevisionId })),
      'PolicyNotFoundException',
      `Resource-based policy not found for the provided ResourceArn: ${ARN('pol')}`,
    );
    const fresh = await client.send(new PutResourcePolicyCommand({ ResourceArn: ARN('pol'), Policy: policy(), ExpectedRevisionId: 'NO_POLICY' }));
    assert.ok(fresh.RevisionId);
    await client.send(new DeleteResourcePolicyCommand({ ResourceArn: ARN('pol') }));
  });

  test('ResourceArn forms: DynamoDB\'s error for each', async () => {
    const cases: [string, string, string][] = [
      ['pol', 'ValidationException', `${INVALID}ARNs must start with 'arn:': pol`],
      [`arn:aws:dynamodb:us-east-1:111122223333:table/pol`, 'ValidationException', 'This action is only supported by accounts that match the resource owner’s account.'],
      [`arn:aws:dynamodb:us-west-2:${ACCOUNT}:table/pol`, 'ValidationException', `${INVALID}Invalid resource Arn: arn:aws:dynamodb:us-west-2:${ACCOUNT}:table/pol`],
      [`arn:aws-cn:dynamodb:us-east-1:${ACCOUNT}:table/pol`, 'ValidationException', `${INVALID}Invalid resource Arn: arn:aws-cn:dynamodb:us-east-1:${ACCOUNT}:table/pol`],
      [`${ARN('pol')}/index/gsi`, 'ValidationException', `${INVALID}Invalid resource arn provided, only table or stream is accepted. Provided resource arn: ${ARN('pol')}/index/gsi`],
      [`${ARN('pol')}/backup/0170`, 'ValidationException', `${INVALID}Provided Arn is not a DynamoDB resource arn: ${ARN('pol')}/backup/0170`],
      [ARN('missing'), 'ResourceNotFoundException', 'Requested resource not found: Table: missing not found'],
      [ARN('POL'), 'ResourceNotFoundException', 'Requested resource not found: Table: POL not found'],
      [`${ARN('pol')}/stream/2000-01-01T00:00:00.000`, 'ResourceNotFoundException', 'Requested resource not found: Stream: 2000-01-01T00:00:00.000 not found for Table: pol'],
    ];
    for (const [arn, name, message] of cases) {
      await rejectsWith(client.send(new GetResourcePolicyCommand({ ResourceArn: arn })), name, message);
      await rejectsWith(client.send(new PutResourcePolicyCommand({ ResourceArn: arn, Policy: policy() })), name, message);
      await rejectsWith(client.send(new DeleteResourcePolicyCommand({ ResourceArn: arn })), name, message);
    }
  });

  test('policy documents DynamoDB refuses', async () => {
    const cases: [string, string][] = [
      ['{', `${INVALID}Invalid policy document: Syntax errors in policy.`],
      [JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*' }] }), `${INVALID}Invalid policy document: Missing required field Principal.`],
      [policy('dynamodb:ListStreams'), `${INVALID}Invalid policy document: The following action names are invalid: "dynamodb:ListStreams"`],
      [policy(['dynamodb:ListTables', 'dynamodb:GetItem', 'dynamodb:Nope']), `${INVALID}Invalid policy document: The following action names are invalid: "dynamodb:ListTables", "dynamodb:Nope"`],
      [policy('dynamodb:GetItem', 'x'.repeat(20 * 1024)), `${INVALID}Policy document size exceeds the maximum of 20480 bytes`],
    ];
    for (const [text, message] of cases) {
      await rejectsWith(client.send(new PutResourcePolicyCommand({ ResourceArn: ARN('pol'), Policy: text })), 'ValidationException', message);
    }
    await rejectsWith(
      client.send(new PutResourcePolicyCommand({ ResourceArn: ARN('pol'), Policy: undefined as unknown as string })),
      'ValidationException',
      "1 validation error detected: Value null at 'policy' failed to satisfy constraint: Member must not be null",
    );
    // Wildcard actions that name table actions are fine.
    await client.send(new PutResourcePolicyCommand({ ResourceArn: ARN('pol'), Policy: policy(['dynamodb:*', 'dynamodb:Get*']) }));
    await client.send(new DeleteResourcePolicyCommand({ ResourceArn: ARN('pol') }));
  });

  test('a stream has its own policy, with stream actions only, apart from its table\'s', async () => {
    const described = await client.send(new DescribeTableCommand({ TableName: 'streamed' }));
    const streamArn = described.Table?.LatestStreamArn ?? '';
    await rejectsWith(
      client.send(new PutResourcePolicyCommand({ ResourceArn: streamArn, Policy: policy('dynamodb:GetItem') })),
      'ValidationException',
      `${INVALID}Invalid policy document: The following action names are invalid: "dynamodb:GetItem"`,
    );
    const put = await client.send(new PutResourcePolicyCommand({ ResourceArn: streamArn, Policy: policy(['dynamodb:GetRecords', 'dynamodb:DescribeStream']) }));
    const got = await client.send(new GetResourcePolicyCommand({ ResourceArn: streamArn }));
    assert.equal(got.RevisionId, put.RevisionId);
    await rejectsWith(client.send(new GetResourcePolicyCommand({ ResourceArn: ARN('streamed') })), 'PolicyNotFoundException', `Resource-based policy not found for the provided ResourceArn: ${ARN('streamed')}`);
    const deleted = await client.send(new DeleteResourcePolicyCommand({ ResourceArn: streamArn }));
    assert.equal(deleted.RevisionId, put.RevisionId);
  });

  test('CreateTable with ResourcePolicy stores it; a bad one refuses the table; the policy survives a restart and goes with the table', async () => {
    await rejectsWith(
      client.send(new CreateTableCommand({ ...hashKeyTable('badpol'), ResourcePolicy: policy('dynamodb:ListTables') })),
      'ValidationException',
      `${INVALID}Invalid policy document: The following action names are invalid: "dynamodb:ListTables"`,
    );
    await rejectsWith(client.send(new DescribeTableCommand({ TableName: 'badpol' })), 'ResourceNotFoundException', 'Requested resource not found: Table: badpol not found');

    await client.send(new CreateTableCommand({ ...hashKeyTable('withpol'), ResourcePolicy: policy() }));
    const got = await client.send(new GetResourcePolicyCommand({ ResourceArn: ARN('withpol') }));
    assert.equal(got.Policy, policy());
    assert.match(got.RevisionId ?? '', /^\d{13,}$/);

    await cairn.close();
    cairn = await startCairn({ dataDir });
    client = cairn.client;
    const after = await client.send(new GetResourcePolicyCommand({ ResourceArn: ARN('withpol') }));
    assert.deepEqual([after.Policy, after.RevisionId], [got.Policy, got.RevisionId]);

    await client.send(new DeleteTableCommand({ TableName: 'withpol' }));
    await client.send(new CreateTableCommand(hashKeyTable('withpol')));
    await rejectsWith(client.send(new GetResourcePolicyCommand({ ResourceArn: ARN('withpol') })), 'PolicyNotFoundException', `Resource-based policy not found for the provided ResourceArn: ${ARN('withpol')}`);
  });
});
