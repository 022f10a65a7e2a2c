/**
 * The access-pattern recorder: a listener of the per-request record (request-notes.ts) and of the capacity
 * tracker's throttles, aggregating per table and index, per access pattern (operation + key-condition shape +
 * filter shape + projection), everything the report shows. Nothing per request is kept: requests are folded into
 * one slice per minute of capacity time (bounded: a day of slices), so that a report can start at any minute
 * (`?since=`) and memory stays bounded however long the server runs. Hot keys use Misra-Gries counters, latency
 * logarithmic buckets.
 *
 * Requests that failed validation (or any error other than a throttle or a failed condition) are left out: their
 * shapes may not be meaningful, and they consumed nothing; metrics count them (UserErrors).
 */
import type { Access } from '../capacity/partition.js';
import type { Throttle } from '../capacity/throttle.js';
import type { Catalog } from '../engine/catalog.js';
import type { TableKey } from '../engine/table-metadata.js';
import { LatencyHistogram } from './latency-histogram.js';
import { expressionShape, itemKeyShape, legacyShape, projectionShape } from './pattern-shape.js';
import type { RequestNotes } from './request-notes.js';
import { resourceNames } from './resource-names.js';
import { FrequentValues } from './frequent-values.js';

const SLICE_MS = 60_000;
/** A day of one-minute slices; older ones are dropped (the report then starts at the oldest kept). */
const MAX_SLICES = 24 * 60;
/** Frequent-value counters per table or index: a key with more than 1/257 of its traffic is always found. */
const HOT_KEY_COUNTERS = 256;

export interface PatternStats {
  readonly region: string;
  readonly table: string;
  readonly operation: string;
  readonly index: string | undefined;
  readonly keyCondition: string | undefined;
  readonly filter: string | undefined;
  readonly projection: string;
  count: number;
  readUnits: number;
  writeUnits: number;
  /** Query and Scan: items read (ScannedCount) and returned (Count). */
  scanned: number;
  returned: number;
  throttled: number;
  conditionFailed: number;
  readonly latency: LatencyHistogram;
}

/** Units consumed on one table or GSI, and its peak per second of capacity time. */
export interface ResourceUsage {
  readUnits: number;
  writeUnits: number;
  peakReadPerSecond: number;
  peakWritePerSecond: number;
  /** The second being summed, and its sums so far. */
  second: number;
  secondRead: number;
  secondWrite: number;
}

export interface TableSlice {
  readonly region: string;
  readonly table: string;
  /** By index name ('' for the table, LSIs included). */
  readonly usage: Map<string, ResourceUsage>;
  /** By index name ('' for the table). */
  readonly hotKeys: Map<string, FrequentValues>;
  /** By `index \0 access \0 reason \0 enforced`. */
  readonly throttles: Map<string, { index: string | undefined; access: Access; reason: string; enforced: boolean; count: number }>;
  /**
   * By operation: the pattern of this table's requests that have none of the members a shape is made of (see
   * PLAIN_PATTERN_MEMBERS), the most common kind (GetItem, PutItem by key). They are found without building the
   * pattern's identity; the same objects are in the slice's `patterns`.
   */
  readonly plainPatterns: Map<string, PatternStats>;
  /** The table's own entries of `usage` and `hotKeys` (index ''), held here too: most records touch only them. */
  tableUsage: ResourceUsage | undefined;
  tableHotKeys: FrequentValues | undefined;
}

export interface Slice {
  readonly startedAt: number;
  /** By the pattern's identity (region, table, operation, index and shapes). */
  readonly patterns: Map<string, PatternStats>;
  /** By region, then table name (looked up per request without building a key). */
  readonly tables: Map<string, Map<string, TableSlice>>;
}

/** Operations whose requests are access patterns (the control plane is not). */
const SINGLE_TABLE = new Set(['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan']);

/** The request members an access pattern's shape depends on (see pattern()): a request with none is plain. */
const PLAIN_PATTERN_MEMBERS = new Set([
  'IndexName',
  'KeyConditionExpression',
  'KeyConditions',
  'FilterExpression',
  'QueryFilter',
  'ScanFilter',
  'ConditionExpression',
  'Expected',
  'ProjectionExpression',
  'AttributesToGet',
  'Select',
]);

/** The hot-key counters of a table ('') or index, created on first use. */
function hotKeysOf(tableSlice: TableSlice, index: string): FrequentValues {
  let sketch = index === '' ? tableSlice.tableHotKeys : tableSlice.hotKeys.get(index);
  if (sketch === undefined) {
    sketch = new FrequentValues(HOT_KEY_COUNTERS);
    tableSlice.hotKeys.set(index, sketch);
    if (index === '') tableSlice.tableHotKeys = sketch;
  }
  return sketch;
}

/** Walks the request's own few members: looking up eleven absent ones costs more. */
function isPlain(request: Readonly<Record<string, unknown>>): boolean {
  for (const member in request) if (PLAIN_PATTERN_MEMBERS.has(member) && request[member] !== undefined) return false;
  return true;
}

export class AccessRecorder {
  private slices: Slice[] = [];
  /** Where the recorded interval starts (capacity time): the server's start, or the last reset. */
  startedAt: number;
  private readonly itemKeyShapes = new WeakMap<TableKey, string>();

  constructor(
    private readonly catalog: Catalog,
    private readonly now: () => number,
  ) {
    this.startedAt = now();
  }

  /** Forgets everything recorded: the interval starts now. */
  reset(): void {
    this.slices = [];
    this.startedAt = this.now();
  }

  /** The slices that start at or after `since` (every slice when undefined), oldest first. */
  slicesSince(since: number | undefined): readonly Slice[] {
    if (since === undefined) return this.slices;
    const from = Math.floor(since / SLICE_MS) * SLICE_MS;
    return this.slices.filter((slice) => slice.startedAt >= from);
  }

  /** The per-request record. */
  /**
   * Folds one request in. `now` (capacity time) may be given by a caller that folds a batch of records read at
   * one moment, so that the clock is read once per batch.
   */
  record(notes: RequestNotes, now: number = this.now()): void {
    const request = notes.request;
    if (request === undefined) return;
    if (notes.errorType !== undefined && notes.throttleReasons === undefined && notes.errorType !== 'ConditionalCheckFailedException') return;
    const slice = this.sliceAt(now);
    const operation = notes.operation;
    // Most requests touch one table: its slice is looked up once for the pattern, the units and the keys.
    let last: TableSlice | undefined;
    if (SINGLE_TABLE.has(operation)) {
      const table = notes.table;
      if (table === undefined) return;
      let pattern: PatternStats | undefined;
      if (isPlain(request)) {
        const tableSlice = (last = this.tableSlice(slice, notes.region, table));
        pattern = tableSlice.plainPatterns.get(operation);
        if (pattern === undefined) {
          pattern = this.pattern(slice, notes.accountId, notes.region, table, operation, request);
          if (pattern !== undefined) tableSlice.plainPatterns.set(operation, pattern);
        }
      } else {
        pattern = this.pattern(slice, notes.accountId, notes.region, table, operation, request);
      }
      if (pattern === undefined) return;
      this.count(pattern, notes);
      if (notes.scannedCount >= 0) {
        pattern.scanned += notes.scannedCount;
        pattern.returned += notes.count;
      }
      pattern.readUnits += notes.tableRead;
      pattern.writeUnits += notes.tableWrite;
      for (const entry of notes.consumed ?? []) {
        pattern.readUnits += entry.read;
        pattern.writeUnits += entry.write;
      }
      if (notes.tableRead > 0 || notes.tableWrite > 0) {
        last ??= this.tableSlice(slice, notes.region, table);
        this.usage(last, '', now, notes.tableRead, notes.tableWrite);
      }
    } else if (operation === 'BatchGetItem' || operation === 'BatchWriteItem') {
      const requestItems = request.RequestItems as Readonly<Record<string, Readonly<Record<string, unknown>>>> | undefined;
      for (const table in requestItems) {
        const pattern = this.pattern(slice, notes.accountId, notes.region, table, operation, operation === 'BatchGetItem' ? (requestItems[table] ?? {}) : {});
        if (pattern === undefined) continue;
        this.count(pattern, notes);
        this.addUnits(pattern, notes, table);
      }
    } else if (operation === 'TransactWriteItems' || operation === 'TransactGetItems') {
      const seen = new Set<string>();
      for (const action of (request.TransactItems as readonly Readonly<Record<string, unknown>>[] | undefined) ?? []) {
        for (const kind in action) {
          const member = action[kind] as Readonly<Record<string, unknown>>;
          const table = member.TableName;
          if (typeof table !== 'string') continue;
          const pattern = this.pattern(slice, notes.accountId, notes.region, table, `${operation}.${kind}`, member);
          if (pattern === undefined) continue;
          this.count(pattern, notes);
          // A transaction's units are known per table: they go to the table's first action of the request.
          if (!seen.has(table)) {
            seen.add(table);
            this.addUnits(pattern, notes, table);
          }
        }
      }
    } else {
      return;
    }
    for (const entry of notes.consumed ?? []) {
      if (last?.table !== entry.table) last = this.tableSlice(slice, notes.region, entry.table);
      this.usage(last, entry.index ?? '', now, entry.read, entry.write);
    }
    if (notes.firstKey !== undefined) {
      if (last?.table !== notes.firstKeyTable) last = this.tableSlice(slice, notes.region, notes.firstKeyTable);
      hotKeysOf(last, notes.firstKeyIndex ?? '').add(notes.firstKey, 1, notes.firstKeyHash);
    }
    for (const key of notes.keys ?? []) {
      if (last?.table !== key.table) last = this.tableSlice(slice, notes.region, key.table);
      hotKeysOf(last, key.index ?? '').add(key.value, 1, key.hash);
    }
  }

  /** The capacity tracker's throttles (enforced, or in account mode would-be), by table, index and reason. */
  throttled(throttle: Throttle, access: Access, enforced: boolean): void {
    const slice = this.sliceAt(this.now());
    for (const { reason, resource } of throttle.reasons) {
      const names = resourceNames(resource);
      const tableSlice = this.tableSlice(slice, names.region, names.table);
      const id = `${names.index ?? ''}\u0000${access}\u0000${reason}\u0000${enforced}`;
      const entry = tableSlice.throttles.get(id);
      if (entry === undefined) tableSlice.throttles.set(id, { index: names.index, access, reason, enforced, count: 1 });
      else entry.count++;
    }
  }

  private count(pattern: PatternStats, notes: RequestNotes): void {
    pattern.count++;
    pattern.latency.add(notes.latencyMs);
    if (notes.throttleReasons !== undefined) pattern.throttled++;
    if (notes.errorType === 'ConditionalCheckFailedException') pattern.conditionFailed++;
  }

  private addUnits(pattern: PatternStats, notes: RequestNotes, table: string): void {
    for (const entry of notes.consumed ?? []) {
      if (entry.table !== table) continue;
      pattern.readUnits += entry.read;
      pattern.writeUnits += entry.write;
    }
  }

  /**
   * Replicated writes applied into a replica of `region` (not requests): they consume its table's write units, as
   * replicated write units, and its GSIs' write units, and count in its usage.
   */
  replicated(region: string, table: string, units: number, indexUnits: ReadonlyMap<string, number>, now: number): void {
    const tableSlice = this.tableSlice(this.sliceAt(now), region, table);
    this.usage(tableSlice, '', now, 0, units);
    for (const [index, used] of indexUnits) this.usage(tableSlice, index, now, 0, used);
  }

  private sliceAt(now: number): Slice {
    const startedAt = Math.floor(now / SLICE_MS) * SLICE_MS;
    const last = this.slices[this.slices.length - 1];
    if (last !== undefined && last.startedAt === startedAt) return last;
    const slice: Slice = { startedAt, patterns: new Map(), tables: new Map() };
    this.slices.push(slice);
    if (this.slices.length > MAX_SLICES) this.slices.shift();
    return slice;
  }

  /** The table slice looked up last: records come in runs of one table's requests. */
  private lastTableSlice: { slice: Slice | undefined; entry: TableSlice | undefined } = { slice: undefined, entry: undefined };

  private tableSlice(slice: Slice, region: string, table: string): TableSlice {
    const last = this.lastTableSlice;
    if (last.slice === slice && last.entry !== undefined && last.entry.table === table && last.entry.region === region) return last.entry;
    let byName = slice.tables.get(region);
    if (byName === undefined) slice.tables.set(region, (byName = new Map()));
    let entry = byName.get(table);
    if (entry === undefined) {
      entry = { region, table, usage: new Map(), hotKeys: new Map(), throttles: new Map(), plainPatterns: new Map(), tableUsage: undefined, tableHotKeys: undefined };
      byName.set(table, entry);
    }
    last.slice = slice;
    last.entry = entry;
    return entry;
  }

  private usage(tableSlice: TableSlice, index: string, now: number, read: number, write: number): void {
    let usage = index === '' ? tableSlice.tableUsage : tableSlice.usage.get(index);
    if (usage === undefined) {
      usage = { readUnits: 0, writeUnits: 0, peakReadPerSecond: 0, peakWritePerSecond: 0, second: -1, secondRead: 0, secondWrite: 0 };
      tableSlice.usage.set(index, usage);
      if (index === '') tableSlice.tableUsage = usage;
    }
    usage.readUnits += read;
    usage.writeUnits += write;
    const second = Math.floor(now / 1000);
    if (second !== usage.second) {
      usage.second = second;
      usage.secondRead = 0;
      usage.secondWrite = 0;
    }
    usage.secondRead += read;
    usage.secondWrite += write;
    if (usage.secondRead > usage.peakReadPerSecond) usage.peakReadPerSecond = usage.secondRead;
    if (usage.secondWrite > usage.peakWritePerSecond) usage.peakWritePerSecond = usage.secondWrite;
  }

  /** The pattern of a request (or of one table's part of a batch, one action of a transaction). */
  private pattern(slice: Slice, accountId: string, region: string, table: string, operation: string, request: Readonly<Record<string, unknown>>): PatternStats | undefined {
    const names = request.ExpressionAttributeNames as Readonly<Record<string, unknown>> | undefined;
    const index = typeof request.IndexName === 'string' ? request.IndexName : undefined;
    let keyCondition: string | undefined;
    let filter: string | undefined;
    if (operation === 'Query') {
      keyCondition =
        typeof request.KeyConditionExpression === 'string'
          ? this.shape(request.KeyConditionExpression, names)
          : legacyShape(request.KeyConditions, undefined, this.catalog.getTable({ accountId, region }, table)?.key);
      filter = typeof request.FilterExpression === 'string' ? this.shape(request.FilterExpression, names) : legacyShape(request.QueryFilter, request.ConditionalOperator);
    } else if (operation === 'Scan') {
      filter = typeof request.FilterExpression === 'string' ? this.shape(request.FilterExpression, names) : legacyShape(request.ScanFilter, request.ConditionalOperator);
    } else {
      const metadata = this.catalog.getTable({ accountId, region }, table);
      if (metadata !== undefined) {
        keyCondition = this.itemKeyShapes.get(metadata.key);
        if (keyCondition === undefined) this.itemKeyShapes.set(metadata.key, (keyCondition = itemKeyShape(metadata.key)));
      }
      filter = typeof request.ConditionExpression === 'string' ? this.shape(request.ConditionExpression, names) : legacyShape(request.Expected, request.ConditionalOperator);
    }
    const projection = operation.endsWith('WriteItem') || operation.startsWith('TransactWriteItems') || operation === 'PutItem' || operation === 'DeleteItem' || operation === 'UpdateItem' ? 'none' : projectionShape(request);
    const id = `${region}\u0000${table}\u0000${operation}\u0000${index ?? ''}\u0000${keyCondition ?? ''}\u0000${filter ?? ''}\u0000${projection}`;
    let pattern = slice.patterns.get(id);
    if (pattern === undefined) {
      pattern = {
        region,
        table,
        operation,
        index,
        keyCondition,
        filter,
        projection,
        count: 0,
        readUnits: 0,
        writeUnits: 0,
        scanned: 0,
        returned: 0,
        throttled: 0,
        conditionFailed: 0,
        latency: new LatencyHistogram(),
      };
      slice.patterns.set(id, pattern);
    }
    return pattern;
  }

  /** Shapes of expressions without `#names` are cached by their text (bounded); others depend on the names too. */
  private readonly shapes = new Map<string, string>();

  private shape(expression: string, names: Readonly<Record<string, unknown>> | undefined): string {
    if (expression.includes('#')) return expressionShape(expression, names);
    let shape = this.shapes.get(expression);
    if (shape === undefined) {
      shape = expressionShape(expression, undefined);
      if (this.shapes.size >= 10_000) this.shapes.clear();
      this.shapes.set(expression, shape);
    }
    return shape;
  }
}
