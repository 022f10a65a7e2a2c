/**
 * Unmodified clients other than the low-level JS SDK: the JS document client (@aws-sdk/lib-dynamodb), boto3 and
 * the AWS CLI. The Python clients run when they are installed (CI installs them; see .ci/run) and are reported as
 * skipped otherwise, so that `npm test` also works on a machine with nothing but Node.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hasAwsCli, hasBoto3, runClient } from '../helpers/client-process.js';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { startCairn, type Cairn } from '../helpers/cairn.js';

let cairn: Cairn;
before(async () => {
  cairn = await startCairn();
  await cairn.client.send(
    new CreateTableCommand({
      TableName: 'clients',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
});
after(async () => {
  await cairn.close();
});

describe('@aws-sdk/lib-dynamodb', () => {
  test('native JavaScript values through the document client', async () => {
    const doc = DynamoDBDocumentClient.from(cairn.client);
    await doc.send(new PutCommand({ TableName: 'clients', Item: { id: 'doc', n: 1.5, tags: new Set(['a']), m: { l: [1, 'x', null, true] } } }));
    const updated = await doc.send(
      new UpdateCommand({
        TableName: 'clients',
        Key: { id: 'doc' },
        UpdateExpression: 'SET n = n + :d',
        ExpressionAttributeValues: { ':d': 2 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    assert.deepEqual(updated.Attributes, { n: 3.5 });
    const { Item } = await doc.send(new GetCommand({ TableName: 'clients', Key: { id: 'doc' } }));
    assert.deepEqual(Item, { id: 'doc', n: 3.5, tags: new Set(['a']), m: { l: [1, 'x', null, true] } });
  });
});

const BOTO3_SCRIPT = `
import json, sys, boto3
from botocore.exceptions import ClientError
ddb = boto3.client('dynamodb', endpoint_url=sys.argv[1])
out = {}
ddb.create_table(TableName='boto', KeySchema=[{'AttributeName': 'id', 'KeyType': 'HASH'}],
                 AttributeDefinitions=[{'AttributeName': 'id', 'AttributeType': 'S'}], BillingMode='PAY_PER_REQUEST')
ddb.put_item(TableName='boto', Item={'id': {'S': 'a'}, 'n': {'N': '1.50'}, 'b': {'B': b'\\x00\\xff'}})
out['item'] = ddb.get_item(TableName='boto', Key={'id': {'S': 'a'}})['Item']
out['item']['b']['B'] = list(out['item']['b']['B'])
try:
    ddb.put_item(TableName='boto', Item={'id': {'S': 'a'}}, ConditionExpression='attribute_not_exists(id)')
except ClientError as e:
    out['error'] = [e.response['Error']['Code'], e.response['Error']['Message'], e.response['ResponseMetadata']['HTTPStatusCode']]
try:
    ddb.update_item(TableName='boto', Key={'id': {'S': 'a'}}, UpdateExpression='SET a = = b')
except ClientError as e:
    out['syntax'] = [e.response['Error']['Code'], e.response['Error']['Message']]
out['tables'] = ddb.list_tables()['TableNames']
print(json.dumps(out))
`;

describe('boto3', { skip: hasBoto3 ? false : 'boto3 is not installed' }, () => {
  test('create, put, get, conditional failure and syntax error through boto3', async () => {
    const result = await runClient('python3', ['-c', BOTO3_SCRIPT, cairn.url]);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), {
      item: { id: { S: 'a' }, n: { N: '1.5' }, b: { B: [0, 255] } },
      error: ['ConditionalCheckFailedException', 'The conditional request failed', 400],
      syntax: ['ValidationException', 'Invalid UpdateExpression: Syntax error; token: "=", near: "= = b"'],
      // boto3 signs for eu-west-1, so it sees that region's tables only.
      tables: ['boto'],
    });
  });
});

const BOTO3_STREAMS_SCRIPT = `
import json, sys, boto3
from botocore.exceptions import ClientError
ddb = boto3.client('dynamodb', endpoint_url=sys.argv[1])
streams = boto3.client('dynamodbstreams', endpoint_url=sys.argv[1])
out = {}
table = ddb.create_table(TableName='boto_streams', KeySchema=[{'AttributeName': 'id', 'KeyType': 'HASH'}],
    AttributeDefinitions=[{'AttributeName': 'id', 'AttributeType': 'S'}, {'AttributeName': 'g', 'AttributeType': 'S'}],
    GlobalSecondaryIndexes=[{'IndexName': 'byG', 'KeySchema': [{'AttributeName': 'g', 'KeyType': 'HASH'}], 'Projection': {'ProjectionType': 'ALL'}}],
    BillingMode='PAY_PER_REQUEST', StreamSpecification={'StreamEnabled': True, 'StreamViewType': 'NEW_IMAGE'})
arn = table['TableDescription']['LatestStreamArn']
ddb.transact_write_items(TransactItems=[
    {'Put': {'TableName': 'boto_streams', 'Item': {'id': {'S': 'a'}, 'g': {'S': 'x'}}}},
    {'Put': {'TableName': 'boto_streams', 'Item': {'id': {'S': 'b'}, 'g': {'S': 'x'}}}}])
try:
    ddb.transact_write_items(TransactItems=[
        {'ConditionCheck': {'TableName': 'boto_streams', 'Key': {'id': {'S': 'a'}}, 'ConditionExpression': 'attribute_not_exists(id)'}}])
except ClientError as e:
    out['cancelled'] = [e.response['Error']['Code'], e.response['Error']['Message'], e.response['CancellationReasons']]
out['gsi'] = sorted(i['id']['S'] for i in ddb.query(TableName='boto_streams', IndexName='byG',
    KeyConditionExpression='g = :g', ExpressionAttributeValues={':g': {'S': 'x'}})['Items'])
shard = streams.describe_stream(StreamArn=arn)['StreamDescription']['Shards'][0]['ShardId']
iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType='TRIM_HORIZON')['ShardIterator']
records = streams.get_records(ShardIterator=iterator)['Records']
out['records'] = [[r['eventName'], r['dynamodb']['Keys']['id']['S'], r['dynamodb']['StreamViewType']] for r in records]
out['streams'] = [s['TableName'] for s in streams.list_streams()['Streams']]
print(json.dumps(out))
`;

describe('boto3 with transactions, indexes and streams', { skip: hasBoto3 ? false : 'boto3 is not installed' }, () => {
  test('transact_write_items, a GSI query, and the dynamodbstreams client', async () => {
    const result = await runClient('python3', ['-c', BOTO3_STREAMS_SCRIPT, cairn.url]);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), {
      cancelled: [
        'TransactionCanceledException',
        'Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed]',
        [{ Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' }],
      ],
      gsi: ['a', 'b'],
      records: [
        ['INSERT', 'a', 'NEW_IMAGE'],
        ['INSERT', 'b', 'NEW_IMAGE'],
      ],
      streams: ['boto_streams'],
    });
  });
});

const BOTO3_MULTI_KEY_SCRIPT = `
import json, sys, boto3
from botocore.exceptions import ClientError
ddb = boto3.client('dynamodb', endpoint_url=sys.argv[1])
streams = boto3.client('dynamodbstreams', endpoint_url=sys.argv[1])
out = {}
table = ddb.create_table(TableName='boto_multi', KeySchema=[{'AttributeName': 'id', 'KeyType': 'HASH'}],
    AttributeDefinitions=[{'AttributeName': n, 'AttributeType': t} for n, t in
        [('id', 'S'), ('tour', 'S'), ('region', 'S'), ('round', 'N'), ('bracket', 'S')]],
    GlobalSecondaryIndexes=[{'IndexName': 'byRound', 'Projection': {'ProjectionType': 'KEYS_ONLY'}, 'KeySchema': [
        {'AttributeName': 'tour', 'KeyType': 'HASH'}, {'AttributeName': 'region', 'KeyType': 'HASH'},
        {'AttributeName': 'round', 'KeyType': 'RANGE'}, {'AttributeName': 'bracket', 'KeyType': 'RANGE'}]}],
    BillingMode='PAY_PER_REQUEST', StreamSpecification={'StreamEnabled': True, 'StreamViewType': 'KEYS_ONLY'})
out['keySchema'] = [[e['AttributeName'], e['KeyType']] for e in table['TableDescription']['GlobalSecondaryIndexes'][0]['KeySchema']]
for i, (rnd, bracket) in enumerate([('10', 'a'), ('2', 'b'), ('2', 'a')]):
    ddb.put_item(TableName='boto_multi', Item={'id': {'S': str(i)}, 'tour': {'S': 't'}, 'region': {'S': 'eu'},
        'round': {'N': rnd}, 'bracket': {'S': bracket}})
values = {':t': {'S': 't'}, ':r': {'S': 'eu'}}
page = ddb.query(TableName='boto_multi', IndexName='byRound', Limit=2,
    KeyConditionExpression='tour = :t AND #r = :r', ExpressionAttributeNames={'#r': 'region'},
    ExpressionAttributeValues={':t': values[':t'], ':r': values[':r']})
out['page'] = [i['id']['S'] for i in page['Items']]
out['lastKey'] = sorted(page['LastEvaluatedKey'])
try:
    ddb.query(TableName='boto_multi', IndexName='byRound', KeyConditionExpression='tour = :t AND #r = :r AND bracket = :b',
        ExpressionAttributeNames={'#r': 'region'}, ExpressionAttributeValues={':t': values[':t'], ':r': values[':r'], ':b': {'S': 'a'}})
except ClientError as e:
    out['error'] = [e.response['Error']['Code'], e.response['Error']['Message']]
arn = table['TableDescription']['LatestStreamArn']
shard = streams.describe_stream(StreamArn=arn)['StreamDescription']['Shards'][0]['ShardId']
iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType='TRIM_HORIZON')['ShardIterator']
out['streamKeys'] = [sorted(r['dynamodb']['Keys']) for r in streams.get_records(ShardIterator=iterator)['Records']]
print(json.dumps(out))
`;

describe('boto3 with a multi-attribute GSI key', { skip: hasBoto3 ? false : 'boto3 is not installed' }, () => {
  test('create_table, query with pagination and a refused key condition; stream records keep the table key', async () => {
    const result = await runClient('python3', ['-c', BOTO3_MULTI_KEY_SCRIPT, cairn.url]);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), {
      keySchema: [
        ['tour', 'HASH'],
        ['region', 'HASH'],
        ['round', 'RANGE'],
        ['bracket', 'RANGE'],
      ],
      page: ['2', '1'],
      lastKey: ['bracket', 'id', 'region', 'round', 'tour'],
      error: [
        'ValidationException',
        'RANGE key attributes round must have equality conditions specified in the query because a condition is present on key attribute bracket',
      ],
      streamKeys: [['id'], ['id'], ['id']],
    });
  });
});

describe('AWS CLI', { skip: hasAwsCli ? false : 'the AWS CLI is not installed' }, () => {
  const aws = (...args: string[]) =>
    runClient('aws', ['dynamodb', ...args, '--endpoint-url', cairn.url, '--region', 'ap-south-1', '--output', 'json']);

  test('the README tour: create a table, put and get an item', async () => {
    const created = await aws(
      'create-table',
      '--table-name', 'cli',
      '--attribute-definitions', 'AttributeName=id,AttributeType=S',
      '--key-schema', 'AttributeName=id,KeyType=HASH',
      '--billing-mode', 'PAY_PER_REQUEST',
    );
    assert.equal(created.status, 0, created.stderr);
    assert.equal((JSON.parse(created.stdout) as { TableDescription: { TableStatus: string } }).TableDescription.TableStatus, 'ACTIVE');
    const put = await aws('put-item', '--table-name', 'cli', '--item', '{"id":{"S":"1"},"name":{"S":"Ada"}}');
    assert.equal(put.status, 0, put.stderr);
    const got = await aws('get-item', '--table-name', 'cli', '--key', '{"id":{"S":"1"}}');
    assert.equal(got.status, 0, got.stderr);
    assert.deepEqual(JSON.parse(got.stdout), { Item: { id: { S: '1' }, name: { S: 'Ada' } } });
    const missing = await aws('describe-table', '--table-name', 'nope');
    // CLI v1 exits 255 on a service error, v2 254.
    assert.ok(missing.status === 254 || missing.status === 255, String(missing.status));
    assert.equal(
      missing.stderr.trim(),
      'An error occurred (ResourceNotFoundException) when calling the DescribeTable operation: Requested resource not found: Table: nope not found',
    );
  });
});
