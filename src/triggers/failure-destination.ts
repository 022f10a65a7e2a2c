/**
 * Where a trigger sends the invocation record of a batch it gives up on (DestinationConfig.OnFailure):
 * - `file:<path>`: appended as one JSON line, synced to disk before the trigger moves past the batch;
 * - `table:<name>` or a table ARN: put as an item into that Cairn table (through PutItem, like any client). The
 *   item holds the invocation record's members as DynamoDB attributes (`payload` as a string, left out when it
 *   would make the item too large) and, as its key, a string identifying the batch
 *   (`<trigger id>/<shardId>/<startSequenceNumber>`) in the table's partition key; a sort key, if the table has
 *   one, gets the record's timestamp (a string, or epoch milliseconds for a number key). Delivering the same
 *   failure twice rewrites the same item.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Catalog } from '../engine/catalog.js';
import type { InvocationRecord } from './invocation-record.js';

export interface FailureDestination {
  /** Resolves once the record is durably written; rejects if it could not be (the trigger retries). */
  send(record: InvocationRecord, triggerId: string): Promise<void>;
  readonly description: string;
}

/** Writes one item: a PutItem request body in the given region (wired to the PutItem operation by the server). */
export type PutItem = (region: string, request: Record<string, unknown>) => Promise<unknown>;

/** A DynamoDB item keeps under 400 KB; the payload goes when it would not fit. */
const MAX_PAYLOAD_IN_ITEM = 300 * 1024;

export function failureDestination(
  destination: string,
  options: { readonly accountId: string; readonly region: string; readonly catalog: Catalog; readonly putItem: PutItem },
): FailureDestination {
  if (destination.startsWith('file:')) return new FileDestination(destination.slice('file:'.length));
  const arn = /^arn:[^:]+:dynamodb:([^:]+):([^:]*):table\/(.+)$/.exec(destination);
  if (arn !== null) return new TableDestination(arn[3] as string, arn[2] as string, arn[1] as string, options.catalog, options.putItem);
  return new TableDestination(destination.slice('table:'.length), options.accountId, options.region, options.catalog, options.putItem);
}

class FileDestination implements FailureDestination {
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly path: string) {}

  get description(): string {
    return `file ${this.path}`;
  }

  send(record: InvocationRecord): Promise<void> {
    const write = this.queue.then(async () => {
      mkdirSync(dirname(this.path), { recursive: true });
      // Loaded here, by the first failure sent to a file: every start loads the triggers' modules, few send one.
      const { open } = await import('node:fs/promises');
      const file = await open(this.path, 'a');
      try {
        await file.write(`${JSON.stringify(record)}\n`);
        await file.datasync();
      } finally {
        await file.close();
      }
    });
    this.queue = write.catch(() => undefined);
    return write;
  }
}

type AttributeValue = Record<string, unknown>;

/** A JSON value as a DynamoDB attribute value. */
function attribute(value: unknown): AttributeValue {
  if (value === null || value === undefined) return { NULL: true };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: String(value) };
  if (typeof value === 'boolean') return { BOOL: value };
  if (Array.isArray(value)) return { L: value.map(attribute) };
  const map: Record<string, AttributeValue> = {};
  for (const [key, member] of Object.entries(value as Record<string, unknown>)) {
    if (member !== undefined) map[key] = attribute(member);
  }
  return { M: map };
}

class TableDestination implements FailureDestination {
  constructor(
    private readonly tableName: string,
    private readonly accountId: string,
    private readonly region: string,
    private readonly catalog: Catalog,
    private readonly putItem: PutItem,
  ) {}

  get description(): string {
    return `table ${this.tableName} (${this.region})`;
  }

  async send(record: InvocationRecord, triggerId: string): Promise<void> {
    const table = this.catalog.getTable({ accountId: this.accountId, region: this.region }, this.tableName);
    if (table === undefined) throw new Error(`on-failure table ${this.tableName} does not exist in ${this.region}`);
    const item: Record<string, AttributeValue> = {};
    for (const [name, value] of Object.entries(record)) {
      if (name === 'payload' && typeof value === 'string' && value.length > MAX_PAYLOAD_IN_ITEM) continue;
      item[name] = attribute(value);
    }
    if (table.key.hash.type !== 'S') throw new Error(`on-failure table ${this.tableName} needs a string partition key`);
    const info = record.DDBStreamBatchInfo;
    item[table.key.hash.name] = { S: `${triggerId}/${info.shardId}/${info.startSequenceNumber}` };
    const range = table.key.range;
    if (range !== undefined) {
      if (range.type === 'S') item[range.name] = { S: record.timestamp };
      else if (range.type === 'N') item[range.name] = { N: String(Date.parse(record.timestamp)) };
      else throw new Error(`on-failure table ${this.tableName} needs a string or number sort key`);
    }
    await this.putItem(this.region, { TableName: this.tableName, Item: item });
  }
}
