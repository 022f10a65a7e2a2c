/**
 * SigV4 verification with boto3, an independent signer: right and wrong secrets, an unknown key, temporary
 * credentials (right, wrong and expired tokens), and two accounts' tables. Skipped where boto3 is not installed,
 * as the other client tests are.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { startCairn, type Cairn } from '../helpers/cairn.js';
import { ACCOUNT_A, ACCOUNT_B, AUTH_FILE, EXPIRED_SESSION_A, SESSION_A, USER_A, USER_B } from '../helpers/auth.js';

const hasBoto3 = spawnSync('python3', ['-c', 'import boto3'], { stdio: 'ignore' }).status === 0;

/** Runs Python asynchronously: the server under test shares this event loop, so spawnSync would hang. */
function runPython(script: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const env = { ...process.env, AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' };
  return new Promise((resolve) => {
    execFile('python3', ['-c', script, ...args], { env, encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ status: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr });
    });
  });
}

const SCRIPT = `
import json, sys, boto3
from botocore.exceptions import ClientError
url = sys.argv[1]
keys = json.loads(sys.argv[2])
def client(name, region='us-east-1'):
    k = keys[name]
    return boto3.client('dynamodb', endpoint_url=url, region_name=region, aws_access_key_id=k['accessKeyId'],
                        aws_secret_access_key=k['secretAccessKey'], aws_session_token=k.get('sessionToken'))
def attempt(call):
    try:
        result = call()
        result.pop('ResponseMetadata', None)
        return ['ok', result]
    except ClientError as e:
        return [e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode'], e.response['Error']['Message']]
out = {}
create = dict(TableName='boto', KeySchema=[{'AttributeName': 'id', 'KeyType': 'HASH'}],
              AttributeDefinitions=[{'AttributeName': 'id', 'AttributeType': 'S'}], BillingMode='PAY_PER_REQUEST')
a = client('a')
b = client('b')
out['createA'] = a.create_table(**create)['TableDescription']['TableArn']
out['createB'] = b.create_table(**create)['TableDescription']['TableArn']
a.put_item(TableName='boto', Item={'id': {'S': 'k'}, 'who': {'S': 'a'}})
b.put_item(TableName='boto', Item={'id': {'S': 'k'}, 'who': {'S': 'b'}})
out['getA'] = a.get_item(TableName='boto', Key={'id': {'S': 'k'}})['Item']
out['getB'] = b.get_item(TableName='boto', Key={'id': {'S': 'k'}})['Item']
out['session'] = attempt(lambda: client('session').get_item(TableName='boto', Key={'id': {'S': 'k'}}))
out['wrongSecret'] = attempt(lambda: client('wrongSecret').list_tables())
out['unknown'] = attempt(lambda: client('unknown').list_tables())
out['wrongToken'] = attempt(lambda: client('wrongToken').list_tables())
out['expired'] = attempt(lambda: client('expired').list_tables())
out['otherRegion'] = attempt(lambda: client('a', 'eu-west-1').list_tables())
print(json.dumps(out))
`;

describe('boto3 signing against --auth', { skip: hasBoto3 ? false : 'boto3 is not installed' }, () => {
  let cairn: Cairn;
  before(async () => {
    cairn = await startCairn({ inMemory: true, auth: AUTH_FILE });
  });
  after(() => cairn.close());

  test('good and bad signatures, sessions and two accounts', async () => {
    const keys = {
      a: USER_A,
      b: USER_B,
      session: SESSION_A,
      wrongSecret: { ...USER_A, secretAccessKey: 'wrong' },
      unknown: { accessKeyId: 'AKIAUNKNOWNUNKNOWN00', secretAccessKey: 'x' },
      wrongToken: { ...SESSION_A, sessionToken: 'wrong' },
      expired: EXPIRED_SESSION_A,
    };
    const result = await runPython(SCRIPT, [cairn.url, JSON.stringify(keys)]);
    assert.equal(result.status, 0, result.stderr);
    const out = JSON.parse(result.stdout) as Record<string, unknown>;
    const wrongSecret = out.wrongSecret as [string, number, string];
    delete out.wrongSecret;
    assert.deepEqual(out, {
      createA: `arn:aws:dynamodb:us-east-1:${ACCOUNT_A}:table/boto`,
      createB: `arn:aws:dynamodb:us-east-1:${ACCOUNT_B}:table/boto`,
      getA: { id: { S: 'k' }, who: { S: 'a' } },
      getB: { id: { S: 'k' }, who: { S: 'b' } },
      session: ['ok', { Item: { id: { S: 'k' }, who: { S: 'a' } } }],
      unknown: ['UnrecognizedClientException', 400, 'The security token included in the request is invalid.'],
      wrongToken: ['UnrecognizedClientException', 400, 'The security token included in the request is invalid'],
      expired: ['ExpiredTokenException', 400, 'The security token included in the request is expired'],
      otherRegion: ['ok', { TableNames: [] }],
    });
    assert.equal(wrongSecret[0], 'InvalidSignatureException');
    assert.equal(wrongSecret[1], 400);
    assert.ok(
      wrongSecret[2].startsWith(
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\nThe Canonical String for this request should have been\n',
      ),
      wrongSecret[2],
    );
  });
});
