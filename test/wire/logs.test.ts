/**
 * What Cairn logs for an operator: the configuration file and the triggers it started (info), and every 500 with
 * its cause (error, with the stack and the request id the client received).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBServiceException, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { createLogger } from '../../src/http/logger.js';
import { startServer } from '../../src/server.js';
import type { Space } from '../../src/storage/storage.js';
import { MemoryStorage } from '../../src/storage/memory/memory-storage.js';
import { clientFor, spawnCairn } from '../helpers/cairn-process.js';

/** A store whose reads fail once told to, as a failing disk would make them. */
class FailingStorage extends MemoryStorage {
  failing = false;

  override get(space: Space, key: Uint8Array): Promise<unknown> {
    if (this.failing) return Promise.reject(new Error('the disk is on fire'));
    return super.get(space, key);
  }
}

describe('500s', () => {
  test('a storage failure is answered 500 InternalServerError and logged at error level with its cause', async () => {
    const lines: string[] = [];
    const storage = new FailingStorage();
    const server = await startServer({ host: '127.0.0.1', port: 0, storage, logger: createLogger('info', (line) => lines.push(line)) });
    const client = clientFor(server.url);
    try {
      await client.send(
        new CreateTableCommand({
          TableName: 'fragile',
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      await client.send(new PutItemCommand({ TableName: 'fragile', Item: { id: { S: 'a' } } }));
      storage.failing = true;
      let requestId: string | undefined;
      await assert.rejects(client.send(new GetItemCommand({ TableName: 'fragile', Key: { id: { S: 'a' } } })), (error: unknown) => {
        assert.ok(error instanceof DynamoDBServiceException);
        assert.equal(error.name, 'InternalServerError');
        assert.equal(error.message, 'Internal server error');
        assert.equal(error.$metadata.httpStatusCode, 500);
        requestId = error.$metadata.requestId;
        return true;
      });
      const errors = lines.filter((line) => / ERROR /.test(line));
      assert.equal(errors.length, 1, lines.join(''));
      assert.match(
        errors[0] ?? '',
        new RegExp(`^\\S+ ERROR ${requestId ?? 'none'} GetItem: unexpected error while answering a request\\nError: the disk is on fire\\n {4}at FailingStorage\\.get`),
      );
    } finally {
      storage.failing = false;
      client.destroy();
      await server.close();
    }
  });
});

describe('start-up', () => {
  test('the configuration file and each trigger started are logged at info level', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cairn-logs-'));
    try {
      const handler = join(dir, 'handler.mjs');
      await writeFile(handler, 'export async function handler() {}\n');
      const config = join(dir, 'cairn.config.json');
      await writeFile(config, JSON.stringify({ triggers: [{ Id: 'from-file', TableName: 'orders', Handler: './handler.mjs' }] }));
      const cairn = await spawnCairn([
        '--in-memory',
        '--log-level',
        'info',
        '--config',
        config,
        '--trigger',
        `id=from-flag,table=invoices,region=eu-west-1,handler=${handler}`,
      ]);
      try {
        // The triggers start right after the server listens; their lines follow shortly.
        const deadline = Date.now() + 5_000;
        while (!cairn.stderr().includes('from-flag started') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
        const log = cairn.stderr();
        assert.match(log, new RegExp(`INFO configuration file ${escape(config)} loaded\\n`));
        assert.match(log, new RegExp(`INFO trigger from-file started \\(configuration\\): table orders, handler ${escape(handler)}\\n`));
        assert.match(log, new RegExp(`INFO trigger from-flag started \\(configuration\\): table invoices \\(eu-west-1\\), handler ${escape(handler)}\\n`));
      } finally {
        cairn.child.kill('SIGTERM');
        assert.equal(await cairn.exited, 0);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
