/**
 * What one request did, for metrics and the access-pattern report: a small mutable object the wire handler
 * creates when a request starts (only while capacity is counted: `--capacity off` records nothing), that the
 * operation fills in with what only it knows (the access pattern's shape, ScannedCount and Count, consumed units,
 * partition-key values), and that the wire handler completes (latency, status, error) and hands to its
 * listeners once the answer is decided. Listeners read it synchronously and keep nothing of it, so the request
 * allocates this object and the few entries below, and nothing else, for observation.
 */
import type { CapacityParts } from '../engine/consumed-capacity.js';
import type { KeyPart, TableKey, TableMetadata } from '../engine/table-metadata.js';
import type { WriteOutcome } from '../engine/write-path.js';
import type { AttributeValue, Item } from '../model/attribute-value.js';

/** Units one request consumed on one table or global secondary index (LSIs are their table's). */
export interface ConsumedNote {
  readonly table: string;
  /** The GSI's name, or undefined for the table. */
  readonly index: string | undefined;
  read: number;
  write: number;
}

/** A partition-key value a request touched (hot keys). */
export interface KeyNote {
  readonly table: string;
  readonly index: string | undefined;
  readonly value: string;
}

export class RequestNotes {
  /** The operation's name, as in X-Amz-Target (`GetItem`, `DynamoDBStreams.GetRecords`). */
  operation = '';
  /** The table the request named (undefined for batches and transactions, which note per table). */
  table: string | undefined;
  /** The region the request's tables live in. */
  region = '';
  /** The account whose tables they are (the signer's with `--auth`). */
  accountId = '';
  /**
   * The validated request, by reference: the access pattern's shapes (key condition, filter, projection) are
   * derived from it by the listeners that want them, so that a request pays nothing for them.
   */
  request: Readonly<Record<string, unknown>> | undefined;
  /** Items read and items returned by a Query or Scan page (-1: not a Query or Scan). */
  scannedCount = -1;
  count = -1;
  consumed: ConsumedNote[] | undefined;
  keys: KeyNote[] | undefined;
  /** Set by the wire handler when the request completes. */
  latencyMs = 0;
  status = 200;
  /** The error's wire type (`ConditionalCheckFailedException`), undefined on success. */
  errorType: string | undefined;
  /** The ThrottlingReasons' `reason`s of a refused request. */
  throttleReasons: readonly string[] | undefined;

  /** Adds units consumed on a table (index undefined, LSIs included) or a GSI. */
  consume(table: string, index: string | undefined, read: number, write: number): void {
    if (read === 0 && write === 0) return;
    const list = this.consumed;
    // A literal of one entry: an empty array's first push would allocate room for sixteen.
    if (list === undefined) {
      this.consumed = [{ table, index, read, write }];
      return;
    }
    for (const entry of list) {
      if (entry.table === table && entry.index === index) {
        entry.read += read;
        entry.write += write;
        return;
      }
    }
    list.push({ table, index, read, write });
  }

  /** Adds a write's or read's units as ReturnConsumedCapacity reports them: LSIs to the table, GSIs apart. */
  consumeParts(table: TableMetadata, parts: CapacityParts, access: 'read' | 'write'): void {
    let tableUnits = parts.table;
    for (const { index, units } of parts.indexes ?? []) if (index.kind === 'LOCAL') tableUnits += units;
    if (access === 'read') this.consume(table.tableName, undefined, tableUnits, 0);
    else this.consume(table.tableName, undefined, 0, tableUnits);
    for (const { index, units } of parts.indexes ?? []) {
      if (index.kind === 'LOCAL') continue;
      if (access === 'read') this.consume(table.tableName, index.indexName, units, 0);
      else this.consume(table.tableName, index.indexName, 0, units);
    }
  }

  /** Notes one partition-key value (a Query's key condition). */
  keyValue(table: string, index: string | undefined, value: AttributeValue | undefined): void {
    const text = scalarText(value);
    if (text !== undefined) this.addKey({ table, index, value: text });
  }

  /** Notes the partition-key value (the HASH attributes of `key`) of an item, a key or a Query's key condition. */
  key(table: string, index: string | undefined, item: Item, key: TableKey): void {
    const value = key.parts === undefined ? scalarText(item[key.hash.name]) : multiKeyText(item, key.parts.hash);
    if (value !== undefined) this.addKey({ table, index, value });
  }

  private addKey(note: KeyNote): void {
    if (this.keys === undefined) this.keys = [note];
    else this.keys.push(note);
  }
}

/** A key value as the report shows it: the scalar as it travels (numbers as written, binary in base64). */
function scalarText(value: AttributeValue | undefined): string | undefined {
  if (value === undefined) return undefined;
  if ('S' in value) return value.S;
  if ('N' in value) return value.N;
  if ('B' in value) return value.B;
  return undefined;
}

/** The HASH values of a multi-attribute GSI key, joined. */
function multiKeyText(item: Item, hash: readonly KeyPart[]): string | undefined {
  const parts: string[] = [];
  for (const { name } of hash) {
    const text = scalarText(item[name]);
    if (text === undefined) return undefined;
    parts.push(text);
  }
  return parts.join(' | ');
}

/** For metrics and the access-pattern report: a single-item write's units and its partition key. */
export function noteWrite(notes: RequestNotes | undefined, outcome: WriteOutcome, key: Item): void {
  if (notes === undefined) return;
  notes.consumeParts(outcome.table, outcome.capacity, 'write');
  notes.key(outcome.table.tableName, undefined, key, outcome.table.key);
}
