/**
 * ExecuteStatement through unmodified clients other than the JS SDK: the AWS CLI's `execute-statement` and
 * boto3's `execute_statement` (following NextToken). Like clients.test.ts, each
 * runs when the client is installed and is reported as skipped otherwise.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hasAwsCli, hasBoto3, runClient } from '../helpers/client-process.js';
import { startCairn, type Cairn } from '../helpers/cairn.js';

let cairn: Cairn;
before(async () => {
  cairn = await startCairn({ inMemory: true });
});
after(async () => {
  await cairn.close();
});

describe('AWS CLI execute-statement', { skip: hasAwsCli ? false : 'the AWS CLI is not installed' }, () => {
  const aws = (...args: string[]) => runClient('aws', ['dynamodb', ...args, '--endpoint-url', cairn.url, '--region', 'ap-south-1', '--output', 'json']);

  test('INSERT, SELECT with parameters, and a duplicate INSERT', async () => {
    const created = await aws(
      'create-table',
      '--table-name', 'cli_pq',
      '--attribute-definitions', 'AttributeName=id,AttributeType=S',
      '--key-schema', 'AttributeName=id,KeyType=HASH',
      '--billing-mode', 'PAY_PER_REQUEST',
    );
    assert.equal(created.status, 0, created.stderr);
    const inserted = await aws('execute-statement', '--statement', `INSERT INTO "cli_pq" VALUE {'id': '1', 'name': 'Ada', 'n': 1.50}`);
    assert.equal(inserted.status, 0, inserted.stderr);
    assert.deepEqual(JSON.parse(inserted.stdout), { Items: [] });
    const selected = await aws('execute-statement', '--statement', 'SELECT name, n FROM "cli_pq" WHERE id = ?', '--parameters', '[{"S":"1"}]');
    assert.equal(selected.status, 0, selected.stderr);
    assert.deepEqual(JSON.parse(selected.stdout), { Items: [{ name: { S: 'Ada' }, n: { N: '1.5' } }] });
    const duplicate = await aws('execute-statement', '--statement', `INSERT INTO "cli_pq" VALUE {'id': '1'}`);
    assert.ok(duplicate.status === 254 || duplicate.status === 255, String(duplicate.status));
    assert.equal(
      duplicate.stderr.trim(),
      'An error occurred (DuplicateItemException) when calling the ExecuteStatement operation: Duplicate primary key exists in table',
    );
  });
});

const BOTO3_SCRIPT = `
import json, sys, boto3
from botocore.exceptions import ClientError
ddb = boto3.client('dynamodb', endpoint_url=sys.argv[1])
out = {}
ddb.create_table(TableName='boto_pq', KeySchema=[{'AttributeName': 'pk', 'KeyType': 'HASH'}, {'AttributeName': 'sk', 'KeyType': 'RANGE'}],
                 AttributeDefinitions=[{'AttributeName': 'pk', 'AttributeType': 'S'}, {'AttributeName': 'sk', 'AttributeType': 'N'}],
                 BillingMode='PAY_PER_REQUEST')
for sk in range(7):
    ddb.execute_statement(Statement='INSERT INTO "boto_pq" VALUE {\\'pk\\': ?, \\'sk\\': ?, \\'b\\': ?}',
                          Parameters=[{'S': 'p'}, {'N': str(sk)}, {'B': bytes([sk])}])
request = {'Statement': 'SELECT sk FROM "boto_pq" WHERE pk = ? ORDER BY sk DESC', 'Parameters': [{'S': 'p'}], 'Limit': 3}
out['pages'] = []
while True:
    page = ddb.execute_statement(**request)
    out['pages'].append([i['sk']['N'] for i in page['Items']])
    if 'NextToken' not in page:
        break
    request['NextToken'] = page['NextToken']
out['updated'] = ddb.execute_statement(Statement='UPDATE "boto_pq" SET n = 1 WHERE pk = \\'p\\' AND sk = 0 RETURNING ALL NEW *')['Items']
out['updated'][0]['b']['B'] = list(out['updated'][0]['b']['B'])
try:
    ddb.execute_statement(Statement='DELETE FROM "boto_pq" WHERE pk = \\'p\\'')
except ClientError as e:
    out['error'] = [e.response['Error']['Code'], e.response['Error']['Message'], e.response['ResponseMetadata']['HTTPStatusCode']]
print(json.dumps(out))
`;

describe('boto3 execute_statement', { skip: hasBoto3 ? false : 'boto3 is not installed' }, () => {
  test('inserts with binary parameters, pages over NextToken, RETURNING and an error', async () => {
    const result = await runClient('python3', ['-c', BOTO3_SCRIPT, cairn.url]);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), {
      pages: [['6', '5', '4'], ['3', '2', '1'], ['0']],
      updated: [{ pk: { S: 'p' }, sk: { N: '0' }, b: { B: [0] }, n: { N: '1' } }],
      error: ['ValidationException', 'Where clause does not contain a mandatory equality on all key attributes', 400],
    });
  });
});
