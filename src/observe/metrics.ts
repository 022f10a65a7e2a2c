/**
 * `GET /metrics`: Prometheus text format (prom-client), named after DynamoDB's CloudWatch metrics (namespace
 * AWS/DynamoDB) in snake case with a `cairn_` prefix, so that a dashboard built on one reads the other:
 * ConsumedReadCapacityUnits -> `cairn_consumed_read_capacity_units_total`, ReadThrottleEvents ->
 * `cairn_read_throttle_events_total`, SuccessfulRequestLatency -> `cairn_successful_request_latency_seconds`...
 * Labels: `table`, `index` (a GSI's name; empty for the table, whose LSIs count as the table, as DynamoDB charges
 * them), `operation`.
 *
 * Counters are fed by the per-request record (request-notes.ts) and the capacity tracker's observer; gauges
 * (provisioned capacity, items, sizes, partitions, trigger lag) are read when scraped. Per request, the record
 * costs a few map lookups and additions: the per-request counters and the latency histogram are plain numbers in
 * cells cached by their label values, handed to prom-client only when scraped, because prom-client builds and
 * checks a label key on every increment (about a microsecond per request for these metrics).
 */
import { Counter, Gauge, Registry, type Metric } from 'prom-client';
import type { CapacityTracker } from '../capacity/capacity-tracker.js';
import type { Access } from '../capacity/partition.js';
import type { Throttle } from '../capacity/throttle.js';
import type { Engine } from '../engine/engine.js';
import { readTableStats } from '../engine/table-stats.js';
import { pendingReplication } from '../engine/replication/pending-replication.js';
import type { TableMetadata } from '../engine/table-metadata.js';
import type { RequestNotes } from './request-notes.js';
import { resourceNames } from './resource-names.js';

/** SuccessfulRequestLatency buckets, in seconds: 0.25 ms to 2.5 s. */
const LATENCY_BUCKETS = [0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** Where the scrape finds trigger lag (the trigger service starts after the server listens). */
export interface TriggerLagSource {
  lags(): readonly { readonly id: string; readonly table: string; readonly iteratorAgeMs: number; readonly backlogRecords: number }[];
}

/** One label set's value, added to per request and read when scraped. */
interface Cell {
  readonly labels: Record<string, string>;
  value: number;
}

/** One label set's latency histogram. */
interface HistogramCell {
  readonly labels: Record<string, string>;
  readonly buckets: Float64Array;
  sum: number;
  count: number;
}

/** A table's and operation's most used cells (see Metrics.operationCells). */
interface OperationCells {
  ok: Cell | undefined;
  read: Cell | undefined;
  write: Cell | undefined;
  latency: HistogramCell | undefined;
}

/** Cells cached by their label values: a three-level map, looked up without building a key. */
class Children<T> {
  private readonly byFirst = new Map<string, Map<string, Map<string, T>>>();

  constructor(private readonly make: (a: string, b: string, c: string) => T) {}

  get(a: string, b: string, c: string): T {
    let second = this.byFirst.get(a);
    if (second === undefined) this.byFirst.set(a, (second = new Map()));
    let third = second.get(b);
    if (third === undefined) second.set(b, (third = new Map()));
    let child = third.get(c);
    if (child === undefined) third.set(c, (child = this.make(a, b, c)));
    return child;
  }

  *all(): IterableIterator<T> {
    for (const second of this.byFirst.values()) for (const third of second.values()) yield* third.values();
  }
}

/** A counter whose label sets are cells, copied into prom-client's counter when scraped. */
function cellCounter(registry: Registry, name: string, help: string, labelNames: readonly [string, string, string] | readonly [string, string]): Children<Cell> {
  const cells = new Children<Cell>((a, b, c) => ({
    labels: labelNames.length === 3 ? { [labelNames[0]]: a, [labelNames[1]]: b, [labelNames[2]]: c } : { [labelNames[0]]: a, [labelNames[1]]: b },
    value: 0,
  }));
  new Counter({
    name,
    help,
    labelNames,
    registers: [registry],
    collect(this: Counter<string>) {
      this.reset();
      for (const cell of cells.all()) this.inc(cell.labels, cell.value);
    },
  });
  return cells;
}

/**
 * A histogram kept in cells and exported in prom-client's histogram format (buckets with `le` first, then
 * `_sum` and `_count`, per label set), registered as a metric of its own.
 */
function cellHistogram(registry: Registry, name: string, help: string, buckets: readonly number[]): Children<HistogramCell> {
  const cells = new Children<HistogramCell>((table, operation) => ({
    labels: { table, operation },
    buckets: new Float64Array(buckets.length),
    sum: 0,
    count: 0,
  }));
  const metric = {
    name,
    help,
    type: 'histogram',
    aggregator: 'sum',
    get: () => {
      const values: { labels: Record<string, string | number>; value: number; metricName: string }[] = [];
      for (const cell of cells.all()) {
        let cumulative = 0;
        buckets.forEach((le, index) => {
          cumulative += cell.buckets[index] ?? 0;
          values.push({ labels: { le, ...cell.labels }, value: cumulative, metricName: `${name}_bucket` });
        });
        values.push({ labels: { le: '+Inf', ...cell.labels }, value: cell.count, metricName: `${name}_bucket` });
        values.push({ labels: cell.labels, value: cell.sum, metricName: `${name}_sum` });
        values.push({ labels: cell.labels, value: cell.count, metricName: `${name}_count` });
      }
      return { name, help, type: 'histogram', values, aggregator: 'sum' };
    },
  };
  registry.registerMetric(metric as unknown as Metric);
  return cells;
}

function observe(cell: HistogramCell, seconds: number, buckets: readonly number[]): void {
  cell.sum += seconds;
  cell.count++;
  for (let index = 0; index < buckets.length; index++) {
    if (seconds <= (buckets[index] as number)) {
      cell.buckets[index] = (cell.buckets[index] ?? 0) + 1;
      return;
    }
  }
}

export class Metrics {
  readonly registry = new Registry();
  triggers: TriggerLagSource | undefined;

  private readonly consumedRead: Children<Cell>;
  private readonly consumedWrite: Children<Cell>;
  private readonly requests: Children<Cell>;
  private readonly latency: Children<HistogramCell>;
  private readonly returnedItems: Children<Cell>;
  private readonly scannedItems: Children<Cell>;
  private readonly conditionalCheckFailed: Children<Cell>;
  private readonly throttledRequests: Counter<'table' | 'operation' | 'reason'>;
  private readonly userErrors: Counter<'operation' | 'error'>;
  private readonly systemErrors: Counter<'operation'>;
  private readonly readThrottleEvents: Counter<'table' | 'index' | 'reason' | 'enforced'>;
  private readonly writeThrottleEvents: Counter<'table' | 'index' | 'reason' | 'enforced'>;
  private readonly splits: Counter<'table' | 'index' | 'cause'>;
  private readonly ttlDeleted: Counter<'table'>;
  private readonly replicatedWrites: Counter<'table' | 'region' | 'source_region'>;

  constructor(private readonly engine: Engine) {
    const registry = this.registry;
    const byOperation = ['table', 'index', 'operation'] as const;
    this.consumedRead = cellCounter(
      registry,
      'cairn_consumed_read_capacity_units_total',
      'Read capacity units consumed (ConsumedReadCapacityUnits), by table or GSI and operation.',
      byOperation,
    );
    this.consumedWrite = cellCounter(
      registry,
      'cairn_consumed_write_capacity_units_total',
      'Write capacity units consumed (ConsumedWriteCapacityUnits), by table or GSI and operation.',
      byOperation,
    );
    this.requests = cellCounter(
      registry,
      'cairn_requests_total',
      'Requests answered, by table (empty for requests without one), operation and HTTP status.',
      ['table', 'operation', 'status'],
    );
    this.latency = cellHistogram(
      registry,
      'cairn_successful_request_latency_seconds',
      'Time to answer successful requests (SuccessfulRequestLatency), by table and operation.',
      LATENCY_BUCKETS,
    );
    this.returnedItems = cellCounter(registry, 'cairn_returned_item_count_total', 'Items returned by Query and Scan (ReturnedItemCount).', byOperation);
    this.scannedItems = cellCounter(
      registry,
      'cairn_scanned_item_count_total',
      'Items read (evaluated) by Query and Scan: with cairn_returned_item_count_total, what filters discard.',
      byOperation,
    );
    this.conditionalCheckFailed = cellCounter(
      registry,
      'cairn_conditional_check_failed_requests_total',
      'Writes refused by their condition (ConditionalCheckFailedRequests).',
      ['table', 'operation'],
    );
    this.throttledRequests = new Counter({
      name: 'cairn_throttled_requests_total',
      help: 'Requests refused for throughput (ThrottledRequests), by table, operation and first throttling reason.',
      labelNames: ['table', 'operation', 'reason'],
      registers: [registry],
    });
    this.userErrors = new Counter({
      name: 'cairn_user_errors_total',
      help: 'Requests answered with a client error other than a throttle or a failed condition (UserErrors).',
      labelNames: ['operation', 'error'],
      registers: [registry],
    });
    this.systemErrors = new Counter({
      name: 'cairn_system_errors_total',
      help: 'Requests answered with HTTP 500 (SystemErrors).',
      labelNames: ['operation'],
      registers: [registry],
    });
    const throttleHelp =
      'Throttle events by table or GSI and reason (the CloudWatch Read/Write...ThrottleEvents metrics). enforced="false": ' +
      'in account mode, a throttle that would have happened (the request went ahead).';
    this.readThrottleEvents = new Counter({
      name: 'cairn_read_throttle_events_total',
      help: throttleHelp,
      labelNames: ['table', 'index', 'reason', 'enforced'],
      registers: [registry],
    });
    this.writeThrottleEvents = new Counter({
      name: 'cairn_write_throttle_events_total',
      help: throttleHelp,
      labelNames: ['table', 'index', 'reason', 'enforced'],
      registers: [registry],
    });
    this.splits = new Counter({
      name: 'cairn_partition_splits_total',
      help: 'Partition splits by table or GSI and cause (count: throughput raised; size: past 10 GB; heat).',
      labelNames: ['table', 'index', 'cause'],
      registers: [registry],
    });
    this.replicatedWrites = new Counter({
      name: 'cairn_replicated_write_capacity_units_total',
      help:
        'Replicated write units (rWCU, rWRU) consumed by the tables of global tables, by table, region and the region that ' +
        'took the write: the region itself for the writes it took, another for those applied from it.',
      labelNames: ['table', 'region', 'source_region'],
      registers: [registry],
    });
    this.ttlDeleted = new Counter({
      name: 'cairn_time_to_live_deleted_item_count_total',
      help: 'Items deleted by TTL (TimeToLiveDeletedItemCount).',
      labelNames: ['table'],
      registers: [registry],
    });
    this.gauges();
  }

  /**
   * The cells a request of `operation` on `table` most often adds to (answered 200, units on the table itself,
   * latency), found with two lookups instead of three per cell. Each is created on first use, so that a label set
   * appears in /metrics only once it has counted something.
   */
  private operationCells(table: string, operation: string): OperationCells {
    // Records come in runs of one table's and operation's requests: the last cells are checked first.
    const last = this.lastCells;
    if (last.cells !== undefined && last.table === table && last.operation === operation) return last.cells;
    let byOperation = this.cellsByTable.get(table);
    if (byOperation === undefined) this.cellsByTable.set(table, (byOperation = new Map()));
    let cells = byOperation.get(operation);
    if (cells === undefined) byOperation.set(operation, (cells = { ok: undefined, read: undefined, write: undefined, latency: undefined }));
    last.table = table;
    last.operation = operation;
    last.cells = cells;
    return cells;
  }

  private readonly lastCells: { table: string; operation: string; cells: OperationCells | undefined } = { table: '', operation: '', cells: undefined };

  private readonly cellsByTable = new Map<string, Map<string, OperationCells>>();

  /** The per-request record (see request-notes.ts). */
  record(notes: RequestNotes): void {
    const operation = notes.operation;
    const table = notes.table ?? '';
    const cells = this.operationCells(table, operation);
    if (notes.status === 200) (cells.ok ??= this.requests.get(table, operation, '200')).value++;
    else this.requests.get(table, operation, statusText(notes.status)).value++;
    // The request's own table (see RequestNotes), then units anywhere else.
    if (notes.tableRead > 0) (cells.read ??= this.consumedRead.get(table, '', operation)).value += notes.tableRead;
    if (notes.tableWrite > 0) (cells.write ??= this.consumedWrite.get(table, '', operation)).value += notes.tableWrite;
    if (notes.consumed !== undefined) {
      for (const entry of notes.consumed) {
        const index = entry.index ?? '';
        if (entry.read > 0) this.consumedRead.get(entry.table, index, operation).value += entry.read;
        if (entry.write > 0) this.consumedWrite.get(entry.table, index, operation).value += entry.write;
      }
    }
    // A write a client made to a table of a global table: its table units are replicated write units.
    if (notes.replicatedWrites !== undefined) {
      for (const { table: replicated, write } of notes.replicatedWrites) this.replicatedWrites.labels(replicated, notes.region, notes.region).inc(write);
    }
    if (notes.errorType === undefined) {
      observe((cells.latency ??= this.latency.get(table, operation, '')), notes.latencyMs / 1000, LATENCY_BUCKETS);
      if (notes.scannedCount >= 0) {
        const index = typeof notes.request?.IndexName === 'string' ? notes.request.IndexName : '';
        this.returnedItems.get(table, index, operation).value += notes.count;
        this.scannedItems.get(table, index, operation).value += notes.scannedCount;
      }
      return;
    }
    if (notes.throttleReasons !== undefined) {
      this.throttledRequests.labels(table, operation, notes.throttleReasons[0] ?? '').inc();
    } else if (notes.errorType === 'ConditionalCheckFailedException') {
      this.conditionalCheckFailed.get(table, operation, '').value++;
    } else if (notes.status >= 500) {
      this.systemErrors.labels(operation).inc();
    } else {
      this.userErrors.labels(operation, notes.errorType).inc();
    }
  }

  /** The capacity tracker's observer: throttle events (enforced or, in account mode, would-be) and splits. */
  throttled(throttle: Throttle, access: Access, enforced: boolean): void {
    const events = access === 'read' ? this.readThrottleEvents : this.writeThrottleEvents;
    for (const { reason, resource } of throttle.reasons) {
      const names = resourceNames(resource);
      events.labels(names.table, names.index ?? '', reason, enforced ? 'true' : 'false').inc();
    }
  }

  split(arn: string, cause: string): void {
    const names = resourceNames(arn);
    this.splits.labels(names.table, names.index ?? '', cause).inc();
  }

  /**
   * Replicated writes of `sourceRegion` applied into `table`: replicated write units consumed in its region, part
   * of its ConsumedWriteCapacityUnits (operation `ReplicatedWrite`, as they come from no request), with its GSIs'
   * write units.
   */
  replicatedWritesApplied(table: TableMetadata, sourceRegion: string, units: number, indexUnits: ReadonlyMap<string, number>): void {
    this.consumedWrite.get(table.tableName, '', 'ReplicatedWrite').value += units;
    for (const [index, used] of indexUnits) this.consumedWrite.get(table.tableName, index, 'ReplicatedWrite').value += used;
    this.replicatedWrites.labels(table.tableName, table.region, sourceRegion).inc(units);
  }

  ttlDeletions(table: TableMetadata, count: number): void {
    this.ttlDeleted.labels(table.tableName).inc(count);
  }

  /** The Prometheus text of every metric. */
  async text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /**
   * Global tables: CloudWatch's ReplicationLatency and PendingReplicationCount, and the lag of each replica
   * followed (src/engine/replication/replication-status.ts, pending-replication.ts).
   */
  private replicationGauges(tablesOf: () => TableMetadata[]): void {
    const engine = this.engine;
    const followed = () =>
      engine.replicationStatus.all((accountId, region, tableName, source) =>
        (engine.catalog.getTable({ accountId, region }, tableName)?.replicas ?? []).some((replica) => replica.regionName === source),
      );
    new Gauge({
      name: 'cairn_replication_latency_seconds',
      help: 'ReplicationLatency: for the last write of the source region applied here, the time from the write to its application.',
      labelNames: ['table', 'region', 'source_region'],
      registers: [this.registry],
      collect(this: Gauge<'table' | 'region' | 'source_region'>) {
        this.reset();
        for (const entry of followed()) {
          if (entry.latencyMs !== undefined) this.labels(entry.tableName, entry.receivingRegion, entry.sourceRegion).set(entry.latencyMs / 1000);
        }
      },
    });
    new Gauge({
      name: 'cairn_replication_lag_seconds',
      help: "How far a replica is behind another's stream: the time since it last read that stream to its end (0 while it keeps up).",
      labelNames: ['table', 'region', 'source_region'],
      registers: [this.registry],
      collect(this: Gauge<'table' | 'region' | 'source_region'>) {
        this.reset();
        const now = Date.now();
        // Rounds run every --replication-interval-ms: a replica read to its end within two of them keeps up.
        const keepingUp = 2 * (engine.options.replicationIntervalMs ?? 50);
        for (const entry of followed()) {
          const since = entry.caughtUpAt === undefined ? 0 : now - entry.caughtUpAt;
          this.labels(entry.tableName, entry.receivingRegion, entry.sourceRegion).set(since <= keepingUp && !entry.failing ? 0 : since / 1000);
        }
      },
    });
    new Gauge({
      name: 'cairn_replication_pending_count',
      help: "PendingReplicationCount: writes this region's replica took that the replica of receiving_region has not applied yet.",
      labelNames: ['table', 'receiving_region'],
      registers: [this.registry],
      async collect(this: Gauge<'table' | 'receiving_region'>) {
        this.reset();
        for (const table of tablesOf()) {
          if (table.replicas === undefined) continue;
          const pending = await pendingReplication(engine.storage, engine.catalog, engine.peerReadPositions, (region) => engine.peers.has(region), table);
          for (const { receivingRegion, count } of pending) this.labels(table.tableName, receivingRegion).set(count);
        }
      },
    });
  }

  /** Gauges read at scrape time from the catalog, the table statistics, the capacity model and the triggers. */
  private gauges(): void {
    const engine = this.engine;
    const registry = this.registry;
    const tablesOf = (): TableMetadata[] => engine.catalog.allTables().filter((table) => table.status !== 'DELETING');
    new Gauge({
      name: 'cairn_provisioned_read_capacity_units',
      help: 'Provisioned read capacity units (ProvisionedReadCapacityUnits); absent for on-demand tables.',
      labelNames: ['table', 'index'],
      registers: [registry],
      collect(this: Gauge<'table' | 'index'>) {
        this.reset();
        for (const table of tablesOf()) provisioned(table, 'ReadCapacityUnits', (index, units) => this.labels(table.tableName, index).set(units));
      },
    });
    new Gauge({
      name: 'cairn_provisioned_write_capacity_units',
      help: 'Provisioned write capacity units (ProvisionedWriteCapacityUnits); absent for on-demand tables.',
      labelNames: ['table', 'index'],
      registers: [registry],
      collect(this: Gauge<'table' | 'index'>) {
        this.reset();
        for (const table of tablesOf()) provisioned(table, 'WriteCapacityUnits', (index, units) => this.labels(table.tableName, index).set(units));
      },
    });
    const capacity: CapacityTracker = engine.capacity;
    new Gauge({
      name: 'cairn_partition_count',
      help: 'Partitions of a table or GSI in the capacity model.',
      labelNames: ['table', 'index'],
      registers: [registry],
      collect(this: Gauge<'table' | 'index'>) {
        this.reset();
        if (!capacity.counting) return;
        for (const table of tablesOf()) {
          const resources = capacity.of(table);
          this.labels(table.tableName, '').set(resources.table.partitions.count);
          for (const index of table.globalSecondaryIndexes ?? []) {
            const resource = resources.indexes.get(index.indexId);
            if (resource !== undefined) this.labels(table.tableName, index.indexName).set(resource.partitions.count);
          }
        }
      },
    });
    // Items and sizes are read once per scrape for both gauges.
    let stats: Promise<Map<TableMetadata, Awaited<ReturnType<typeof readTableStats>>>> | undefined;
    const readStats = (): Promise<Map<TableMetadata, Awaited<ReturnType<typeof readTableStats>>>> => {
      stats ??= (async () => {
        const out = new Map<TableMetadata, Awaited<ReturnType<typeof readTableStats>>>();
        for (const table of tablesOf()) out.set(table, await readTableStats(engine.storage, table.tableId));
        return out;
      })().finally(() => setImmediate(() => (stats = undefined)));
      return stats;
    };
    const statsGauge = (name: string, help: string, field: 'itemCount' | 'sizeBytes'): void => {
      new Gauge({
        name,
        help,
        labelNames: ['table', 'index'],
        registers: [registry],
        async collect(this: Gauge<'table' | 'index'>) {
          this.reset();
          for (const [table, counts] of await readStats()) {
            this.labels(table.tableName, '').set(counts[field]);
            for (const index of [...(table.globalSecondaryIndexes ?? []), ...(table.localSecondaryIndexes ?? [])]) {
              const indexCounts = counts.indexes?.[index.indexId];
              this.labels(table.tableName, index.indexName).set(indexCounts?.[field] ?? 0);
            }
          }
        },
      });
    };
    statsGauge('cairn_item_count', 'Items in a table or index (ItemCount, exact in Cairn).', 'itemCount');
    statsGauge('cairn_size_bytes', 'Bytes of a table or index as DynamoDB sizes items (TableSizeBytes, IndexSizeBytes).', 'sizeBytes');
    this.replicationGauges(tablesOf);
    const lags = (): ReturnType<TriggerLagSource['lags']> => this.triggers?.lags() ?? [];
    new Gauge({
      name: 'cairn_trigger_iterator_age_seconds',
      help: "A trigger's lag: at its last invocation, the age of the batch's newest record (Lambda's IteratorAge).",
      labelNames: ['trigger', 'table'],
      registers: [registry],
      collect(this: Gauge<'trigger' | 'table'>) {
        this.reset();
        for (const lag of lags()) this.labels(lag.id, lag.table).set(lag.iteratorAgeMs / 1000);
      },
    });
    new Gauge({
      name: 'cairn_trigger_backlog_records',
      help: "Records of a trigger's table stream not yet delivered to it (stream lag).",
      labelNames: ['trigger', 'table'],
      registers: [registry],
      collect(this: Gauge<'trigger' | 'table'>) {
        this.reset();
        for (const lag of lags()) this.labels(lag.id, lag.table).set(lag.backlogRecords);
      },
    });
  }
}

function provisioned(table: TableMetadata, member: 'ReadCapacityUnits' | 'WriteCapacityUnits', set: (index: string, units: number) => void): void {
  if (table.billingMode !== 'PROVISIONED') return;
  set('', table.provisionedThroughput[member]);
  for (const index of table.globalSecondaryIndexes ?? []) {
    set(index.indexName, (index.provisionedThroughput ?? table.provisionedThroughput)[member]);
  }
}

/** HTTP statuses as label values, without building a string per request. */
const STATUS_TEXT = new Map<number, string>();
function statusText(status: number): string {
  let text = STATUS_TEXT.get(status);
  if (text === undefined) STATUS_TEXT.set(status, (text = String(status)));
  return text;
}
