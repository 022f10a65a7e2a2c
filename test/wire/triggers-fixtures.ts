/**
 * Shared pieces of the trigger wire tests: tables with a stream, handler modules written to a temporary
 * directory that record what they receive, the admin endpoint, and waiting for deliveries.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutItemCommand, type CreateTableCommandInput, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Cairn, RawResponse } from '../helpers/cairn.js';

export function streamTable(TableName: string, StreamViewType: 'NEW_AND_OLD_IMAGES' | 'NEW_IMAGE' | 'KEYS_ONLY' = 'NEW_AND_OLD_IMAGES'): CreateTableCommandInput {
  return {
    TableName,
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
    StreamSpecification: { StreamEnabled: true, StreamViewType },
  };
}

export function tempDir(prefix = 'cairn-triggers-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * A handler module that appends every event it gets to `out` (one JSON line per invocation:
 * `{"at": <epoch ms>, "requestId": ..., "event": {...}}`) and then runs `body` (JavaScript, with `event`,
 * `context` and `keys` — the batch's `id` values — in scope) whose value it returns.
 */
export function recordingModule(dir: string, name: string, out: string, body = 'return undefined;'): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    `import { appendFileSync } from 'node:fs';
export async function handler(event, context) {
  const keys = event.Records.map((record) => record.dynamodb.Keys.id.S);
  appendFileSync(${JSON.stringify(out)}, JSON.stringify({ at: Date.now(), requestId: context.awsRequestId, event }) + '\\n');
  ${body}
}
`,
  );
  return path;
}

export interface Delivery {
  readonly at: number;
  readonly requestId: string;
  readonly event: { Records: LambdaRecord[] };
}

export interface LambdaRecord {
  eventID: string;
  eventName: string;
  eventVersion: string;
  eventSource: string;
  awsRegion: string;
  eventSourceARN: string;
  dynamodb: {
    Keys: { id: { S: string } };
    NewImage?: Record<string, unknown>;
    OldImage?: Record<string, unknown>;
    SequenceNumber: string;
    SizeBytes: number;
    StreamViewType: string;
    ApproximateCreationDateTime: number;
  };
  userIdentity?: unknown;
}

/** The deliveries a recording module wrote (a line cut short by a kill is skipped). */
export function readDeliveries(out: string): Delivery[] {
  if (!existsSync(out)) return [];
  const deliveries: Delivery[] = [];
  for (const line of readFileSync(out, 'utf8').split('\n')) {
    if (line === '') continue;
    try {
      deliveries.push(JSON.parse(line) as Delivery);
    } catch {
      // a partial last line
    }
  }
  return deliveries;
}

export function deliveredKeys(out: string): string[] {
  return readDeliveries(out).flatMap((delivery) => delivery.event.Records.map((record) => record.dynamodb.Keys.id.S));
}

export function readJsonLines(file: string): Record<string, unknown>[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Polls `check` until it returns something other than undefined / false, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export async function putKeys(client: DynamoDBClient, table: string, keys: readonly string[], extra: Record<string, { S: string }> = {}): Promise<void> {
  for (const key of keys) await client.send(new PutItemCommand({ TableName: table, Item: { id: { S: key }, ...extra } }));
}

export const keysFrom = (prefix: string, count: number): string[] => Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(4, '0')}`);

export function admin(cairn: Cairn, method: string, path: string, body?: unknown): Promise<RawResponse> {
  return cairn.rawRequest({
    method,
    path,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}

/** Creates a trigger through the admin endpoint; fails unless it answers 201. */
export async function createTrigger(cairn: Cairn, settings: Record<string, unknown>): Promise<Record<string, unknown>> {
  const response = await admin(cairn, 'POST', '/cairn/triggers', settings);
  if (response.status !== 201) throw new Error(`creating a trigger answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body as Record<string, unknown>;
}
