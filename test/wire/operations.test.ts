/**
 * Which operations Cairn answers: every operation of DynamoDB's API is either implemented or refused with an
 * UnknownOperationException that names it (a name DynamoDB does not know gets no message, as from DynamoDB);
 * and DescribeContinuousBackups, which tools call after creating a table.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateTableCommand, DescribeContinuousBackupsCommand, DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import { DYNAMODB_OPERATIONS } from '../../src/api/dynamodb-operations.js';
import { operations } from '../../src/api/registry.js';
import { crc32 } from '../../src/util/crc32.js';
import { startCairn, type Cairn } from '../helpers/cairn.js';

let cairn: Cairn;
before(async () => {
  cairn = await startCairn({ inMemory: true });
  await cairn.client.send(
    new CreateTableCommand({
      TableName: 'backed',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
});
after(async () => {
  await cairn.close();
});

describe('operations Cairn does not implement', () => {
  const unimplemented = [...DYNAMODB_OPERATIONS].filter((name) => operations[name] === undefined);

  test('every operation of the service model is known to the wire layer', () => {
    // The list every DynamoDB SDK is generated from (2012-08-10), as of botocore 1.43.
    assert.equal(DYNAMODB_OPERATIONS.size, 57);
    for (const name of Object.keys(operations)) {
      if (!name.startsWith('DynamoDBStreams.')) assert.ok(DYNAMODB_OPERATIONS.has(name), `${name} is not a DynamoDB operation`);
    }
  });

  for (const name of unimplemented) {
    test(`${name}: UnknownOperationException naming it`, async () => {
      const response = await cairn.raw(`DynamoDB_20120810.${name}`, {});
      assert.equal(response.status, 400);
      const body = {
        __type: 'com.amazon.coral.service#UnknownOperationException',
        message: `${name} is a DynamoDB operation that Cairn does not implement`,
      };
      assert.equal(response.bytes.toString(), JSON.stringify(body));
      assert.equal(response.headers['x-amz-crc32'], String(crc32(response.bytes)));
    });
  }

  test('names DynamoDB does not know keep its answer without a message', async () => {
    for (const target of ['DynamoDB_20120810.CreateBackups', 'DynamoDB_20120810.getItem', 'DynamoDBStreams_20120810.CreateBackup', 'DynamoDB_20111205.CreateBackup']) {
      const response = await cairn.raw(target, {});
      assert.equal(response.status, 400, target);
      assert.equal(response.bytes.toString(), '{"__type":"com.amazon.coral.service#UnknownOperationException"}', target);
    }
  });
});

describe('DescribeContinuousBackups', () => {
  test('a table has neither continuous backups nor point-in-time recovery', async () => {
    const expected = { ContinuousBackupsStatus: 'DISABLED', PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' } };
    const byName = await cairn.client.send(new DescribeContinuousBackupsCommand({ TableName: 'backed' }));
    assert.deepEqual(byName.ContinuousBackupsDescription, expected);
    const byArn = await cairn.client.send(
      new DescribeContinuousBackupsCommand({ TableName: 'arn:aws:dynamodb:us-east-1:000000000000:table/backed' }),
    );
    assert.deepEqual(byArn.ContinuousBackupsDescription, expected);
  });

  test('a missing table: TableNotFoundException, as DynamoDB answers for its backup operations', async () => {
    const response = await cairn.raw('DynamoDB_20120810.DescribeContinuousBackups', { TableName: 'missing' });
    assert.equal(response.status, 400);
    assert.equal(
      response.bytes.toString(),
      '{"__type":"com.amazonaws.dynamodb.v20120810#TableNotFoundException","message":"Table not found: missing"}',
    );
    await assert.rejects(cairn.client.send(new DescribeContinuousBackupsCommand({ TableName: 'missing' })), (error: unknown) => {
      assert.ok(error instanceof DynamoDBServiceException);
      assert.equal(error.name, 'TableNotFoundException');
      assert.equal(error.message, 'Table not found: missing');
      assert.equal(error.$metadata.httpStatusCode, 400);
      return true;
    });
  });

  test('the table name is validated as for DescribeTable', async () => {
    const response = await cairn.raw('DynamoDB_20120810.DescribeContinuousBackups', {});
    assert.equal(response.status, 400);
    assert.deepEqual(response.body, {
      __type: 'com.amazon.coral.validate#ValidationException',
      message: "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null",
    });
  });
});
