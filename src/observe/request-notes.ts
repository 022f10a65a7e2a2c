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
import { isReplicated } from '../engine/replication/replica-set.js';
import type { AttributeValue, Item } from '../model/attribute-value.js';
import { valueHash } from './frequent-values.js';

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
  /** valueHash(value), taken while the value is still in the processor's cache. */
  readonly hash: number;
}

/**
 * Most requests consume units on their own table only and touch one partition key: those are kept in fields of
 * the record itself (tableRead, tableWrite, firstKey), anything more in lists. The record is read a turn of the event
 * loop after it was filled, by then out of the processor's cache, and every further object it points to cost
 * another cache miss to read.
 */
export class RequestNotes {
  /** The operation's name, as in X-Amz-Target (`GetItem`, `DynamoDBStreams.GetRecords`). */
  operation = '';
  /**
   * The table the request named (undefined for batches and transactions, which note per table): the name as the
   * request gave it, then the catalog's own copy of it once units are noted on it (compared by reference later).
   */
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
  /** Units consumed on `table` itself (its LSIs included). */
  tableRead = 0;
  tableWrite = 0;
  /**
   * `account` mode: the read of one item whose units are charged to its partition when this record is folded
   * (Observability), not while the request runs (see deferRead); undefined when none is carried.
   */
  deferredRead: TableMetadata | undefined;
  deferredReadHash = 0;
  deferredReadUnits = 0;
  deferredReadConsistent = false;
  /** Units consumed anywhere else: GSIs, and the tables of batches and transactions. */
  consumed: ConsumedNote[] | undefined;
  /** Table units of writes to tables of global tables (replicated write units), by table. */
  replicatedWrites: ConsumedNote[] | undefined;
  /** The first partition-key value noted (undefined: none): its table, index, text and valueHash. */
  firstKey: string | undefined;
  firstKeyTable = '';
  firstKeyIndex: string | undefined;
  firstKeyHash = 0;
  /** The partition-key values noted after the first. */
  keys: KeyNote[] | undefined;
  /** Set by the wire handler when the request completes. */
  latencyMs = 0;
  status = 200;
  /** The error's wire type (`ConditionalCheckFailedException`), undefined on success. */
  errorType: string | undefined;
  /** The ThrottlingReasons' `reason`s of a refused request. */
  throttleReasons: readonly string[] | undefined;

  /**
   * Carries the capacity charge of one item read (its table, partition hash and units) to the fold, which books it
   * as CapacityTracker.chargeItemRead would have: `account` mode only, where nothing is refused and so nothing read
   * later in the request depends on it. Measured in a loaded server, a call on the capacity model costs more than its
   * work, its code and data out of the processor's caches; folded with the other records of the turn, they are not.
   * False when the record already carries one (a batch of statements): that read is charged at once.
   */
  deferRead(table: TableMetadata, hash: number, units: number, consistent: boolean): boolean {
    if (this.deferredRead !== undefined) return false;
    this.deferredRead = table;
    this.deferredReadHash = hash;
    this.deferredReadUnits = units;
    this.deferredReadConsistent = consistent;
    return true;
  }

  /** Adds units consumed on a table (index undefined, LSIs included) or a GSI. */
  consume(table: string, index: string | undefined, read: number, write: number): void {
    if (read === 0 && write === 0) return;
    if (index === undefined && table === this.table) {
      this.table = table;
      this.tableRead += read;
      this.tableWrite += write;
      return;
    }
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
    const indexes = parts.indexes ?? NO_INDEXES;
    let tableUnits = parts.table;
    for (const { index, units } of indexes) if (index.kind === 'LOCAL') tableUnits += units;
    if (access === 'read') {
      this.consume(table.tableName, undefined, tableUnits, 0);
    } else {
      this.consume(table.tableName, undefined, 0, tableUnits);
      // Known here, while the table's metadata is at hand, rather than looked up again when the record is read.
      if (table.replicas !== undefined && tableUnits > 0 && isReplicated(table)) this.replicatedWrite(table.tableName, tableUnits);
    }
    for (const { index, units } of indexes) {
      if (index.kind === 'LOCAL') continue;
      if (access === 'read') this.consume(table.tableName, index.indexName, units, 0);
      else this.consume(table.tableName, index.indexName, 0, units);
    }
  }

  private replicatedWrite(table: string, units: number): void {
    const list = (this.replicatedWrites ??= []);
    const entry = list.find((candidate) => candidate.table === table);
    if (entry === undefined) list.push({ table, index: undefined, read: 0, write: units });
    else entry.write += units;
  }

  /** Notes one partition-key value (a Query's key condition). */
  keyValue(table: string, index: string | undefined, value: AttributeValue | undefined): void {
    const text = scalarText(value);
    if (text !== undefined) this.addKey(table, index, text);
  }

  /** Notes the partition-key value (the HASH attributes of `key`) of an item, a key or a Query's key condition. */
  itemKey(table: string, index: string | undefined, item: Item, key: TableKey): void {
    const value = key.parts === undefined ? scalarText(item[key.hash.name]) : multiKeyText(item, key.parts.hash);
    if (value !== undefined) this.addKey(table, index, value);
  }

  private addKey(table: string, index: string | undefined, value: string): void {
    const hash = valueHash(value);
    if (this.firstKey === undefined) {
      this.firstKey = value;
      this.firstKeyTable = table;
      this.firstKeyIndex = index;
      this.firstKeyHash = hash;
    } else if (this.keys === undefined) {
      this.keys = [{ table, index, value, hash }];
    } else {
      this.keys.push({ table, index, value, hash });
    }
  }
}

const NO_INDEXES: NonNullable<CapacityParts['indexes']> = [];

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
  notes.itemKey(outcome.table.tableName, undefined, key, outcome.table.key);
}
