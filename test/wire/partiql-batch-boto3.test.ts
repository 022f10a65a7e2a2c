/**
 * BatchExecuteStatement and ExecuteTransaction through boto3, an unmodified client that parses the responses by
 * the service model (Responses, Error, CancellationReasons). Skipped where boto3 is not installed, as the other
 * client tests are (see clients.test.ts).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { startCairn, type Cairn } from '../helpers/cairn.js';

const hasBoto3 = spawnSync('python3', ['-c', 'import boto3'], { stdio: 'ignore' }).status === 0;

/** Runs Python asynchronously: the server under test shares this event loop, so spawnSync would hang. */
function runPython(script: string, url: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const env = { ...process.env, AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 'secret', AWS_DEFAULT_REGION: 'eu-west-1', AWS_EC2_METADATA_DISABLED: 'true' };
  return new Promise((resolve) => {
    execFile('python3', ['-c', script, url], { env, encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ status: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr });
    });
  });
}

const SCRIPT = `
import json, sys, boto3
from botocore.exceptions import ClientError
ddb = boto3.client('dynamodb', endpoint_url=sys.argv[1])
out = {}
ddb.create_table(TableName='pql', KeySchema=[{'AttributeName': 'id', 'KeyType': 'HASH'}],
                 AttributeDefinitions=[{'AttributeName': 'id', 'AttributeType': 'S'}], BillingMode='PAY_PER_REQUEST')
out['writes'] = ddb.batch_execute_statement(Statements=[
    {'Statement': "INSERT INTO pql VALUE {'id': 'a', 'n': 1}"},
    {'Statement': "INSERT INTO pql VALUE {'id': ?, 'n': 2}", 'Parameters': [{'S': 'b'}]},
    {'Statement': "UPDATE pql SET n = 5 WHERE id = 'zz'"},
], ReturnConsumedCapacity='TOTAL')
del out['writes']['ResponseMetadata']
out['reads'] = ddb.batch_execute_statement(Statements=[
    {'Statement': "SELECT n FROM pql WHERE id = 'a'", 'ConsistentRead': True},
    {'Statement': "SELECT * FROM pql WHERE id = 'none'"},
])['Responses']
ddb.execute_transaction(TransactStatements=[
    {'Statement': "UPDATE pql SET n = n + 10 WHERE id = 'a'"},
    {'Statement': "EXISTS(SELECT * FROM pql WHERE id = 'b' AND n = 2)"},
], ClientRequestToken='boto-token')
out['snapshot'] = ddb.execute_transaction(TransactStatements=[
    {'Statement': "SELECT * FROM pql WHERE id = 'a'"},
    {'Statement': "SELECT * FROM pql WHERE id = 'b'"},
])['Responses']
try:
    ddb.execute_transaction(TransactStatements=[
        {'Statement': "DELETE FROM pql WHERE id = 'a'"},
        {'Statement': "UPDATE pql SET n = 0 WHERE id = 'b' AND n = 99", 'ReturnValuesOnConditionCheckFailure': 'ALL_OLD'},
    ])
except ClientError as e:
    out['cancelled'] = [e.response['Error']['Code'], e.response['Error']['Message'], e.response.get('CancellationReasons')]
print(json.dumps(out))
`;

describe('boto3 with PartiQL batches and transactions', { skip: hasBoto3 ? false : 'boto3 is not installed' }, () => {
  let cairn: Cairn;
  before(async () => {
    cairn = await startCairn({ inMemory: true });
  });
  after(() => cairn.close());

  test('batch_execute_statement and execute_transaction', async () => {
    const result = await runPython(SCRIPT, cairn.url);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), {
      writes: {
        Responses: [
          { TableName: 'pql' },
          { TableName: 'pql' },
          { TableName: 'pql', Error: { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' } },
        ],
        // Two inserts, and the refused update (at least one unit).
        ConsumedCapacity: [{ TableName: 'pql', CapacityUnits: 3 }],
      },
      reads: [{ TableName: 'pql', Item: { n: { N: '1' } } }, { TableName: 'pql' }],
      snapshot: [{ Item: { id: { S: 'a' }, n: { N: '11' } } }, { Item: { id: { S: 'b' }, n: { N: '2' } } }],
      cancelled: [
        'TransactionCanceledException',
        'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]',
        [
          { Code: 'None' },
          { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { id: { S: 'b' }, n: { N: '2' } } },
        ],
      ],
    });
  });
});
