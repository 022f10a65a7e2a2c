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
 * costs a few map lookups and additions: the counters and the latency histogram are plain numbers in cells cached
 * by their label values, handed to prom-client only when scraped, because prom-client builds and checks a label
 * key on every increment (about a microsecond per request for these metrics).
 *
 * prom-client itself is loaded at the first scrape, not at start-up, which does not need it: loaded alone it took
 * 16 to 21 ms and some 5 MiB of resident memory (inside a starting server, less than start-up's noise). So nothing
 * here touches prom-client until then: the counters are cells, and the registry (with the gauges and the metrics
 * others register through onRegistry) is built by the first scrape.
 */
import type { Counter, Gauge, Metric, Registry } from 'prom-client';
import type { CapacityTracker } from '../capacity/capacity-tracker.js';
import type { Access } from '../capacity/partition.js';
import type { Throttle } from '../capacity/throttle.js';
import type { Engine } from '../engine/engine.js';
import { readTableStats } from '../engine/table-stats.js';
import { pendingReplication } from '../engine/replication/pending-replication.js';
import type { TableMetadata } from '../engine/table-metadata.js';
import type { RequestNotes } from './request-notes.js';
import { resourceNames } from './resource-names.js';

/** prom-client's module, loaded by the first scrape. */
type PromClient = typeof import('prom-client');

const LATENCY_NAME = 'cairn_successful_request_latency_seconds';
const LATENCY_HELP = 'Time to answer successful requests (SuccessfulRequestLatency), by table and operation.';
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

/** Cells of a rarely counted metric (errors, throttles, splits), found by their label values joined. */
class LabeledCells {
  private readonly cells = new Map<string, Cell>();

  constructor(private readonly labelNames: readonly string[]) {}

  get(...values: string[]): Cell {
    const key = values.join('\u0000');
    let cell = this.cells.get(key);
    if (cell === undefined) {
      const labels: Record<string, string> = {};
      this.labelNames.forEach((name, index) => (labels[name] = values[index] ?? ''));
      this.cells.set(key, (cell = { labels, value: 0 }));
    }
    return cell;
  }

  all(): IterableIterator<Cell> {
    return this.cells.values();
  }
}

/** A counter kept in cells, described for the registry the first scrape builds. */
interface CellCounter {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  readonly cells: { all(): IterableIterator<Cell> };
}

/** A three-label counter whose cells are found without building a key (the per-request ones). */
function cellCounter(counters: CellCounter[], name: string, help: string, labelNames: readonly [string, string, string] | readonly [string, string]): Children<Cell> {
  const cells = new Children<Cell>((a, b, c) => ({
    labels: labelNames.length === 3 ? { [labelNames[0]]: a, [labelNames[1]]: b, [labelNames[2]]: c } : { [labelNames[0]]: a, [labelNames[1]]: b },
    value: 0,
  }));
  counters.push({ name, help, labelNames, cells });
  return cells;
}

/** A counter of rarely counted events. */
function labeledCounter(counters: CellCounter[], name: string, help: string, labelNames: readonly string[]): LabeledCells {
  const cells = new LabeledCells(labelNames);
  counters.push({ name, help, labelNames, cells });
  return cells;
}

/** The counter's cells as a prom-client counter, copied when scraped. */
function registerCellCounter(prom: PromClient, registry: Registry, counter: CellCounter): void {
  const { cells } = counter;
  new prom.Counter({
    name: counter.name,
    help: counter.help,
    labelNames: counter.labelNames,
    registers: [registry],
    collect(this: Counter<string>) {
      this.reset();
      for (const cell of cells.all()) this.inc(cell.labels, cell.value);
    },
  });
}

/** A latency histogram kept in cells, one per table and operation. */
function cellHistogram(buckets: readonly number[]): Children<HistogramCell> {
  return new Children<HistogramCell>((table, operation) => ({
    labels: { table, operation },
    buckets: new Float64Array(buckets.length),
    sum: 0,
    count: 0,
  }));
}

/**
 * The histogram's cells in prom-client's histogram format (buckets with `le` first, then `_sum` and `_count`, per
 * label set), registered as a metric of its own.
 */
function registerCellHistogram(registry: Registry, name: string, help: string, buckets: readonly number[], cells: Children<HistogramCell>): void {
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
  triggers: TriggerLagSource | undefined;

  /** Every counter, in the order the registry lists them. */
  private readonly counters: CellCounter[] = [];
  private readonly consumedRead: Children<Cell>;
  private readonly consumedWrite: Children<Cell>;
  private readonly requests: Children<Cell>;
  private readonly latency = cellHistogram(LATENCY_BUCKETS);
  private readonly returnedItems: Children<Cell>;
  private readonly scannedItems: Children<Cell>;
  private readonly conditionalCheckFailed: Children<Cell>;
  private readonly throttledRequests: LabeledCells;
  private readonly userErrors: LabeledCells;
  private readonly systemErrors: LabeledCells;
  private readonly readThrottleEvents: LabeledCells;
  private readonly writeThrottleEvents: LabeledCells;
  private readonly splits: LabeledCells;
  private readonly ttlDeleted: LabeledCells;
  private readonly replicatedWrites: LabeledCells;
  /** Metrics others add (the audit trail's), registered when the registry is built. */
  private readonly registrations: ((registry: Registry) => void)[] = [];
  /** Built by the first scrape (see the header). */
  private registry: Promise<Registry> | undefined;

  constructor(private readonly engine: Engine) {
    const counters = this.counters;
    const byOperation = ['table', 'index', 'operation'] as const;
    this.consumedRead = cellCounter(
      counters,
      'cairn_consumed_read_capacity_units_total',
      'Read capacity units consumed (ConsumedReadCapacityUnits), by table or GSI and operation.',
      byOperation,
    );
    this.consumedWrite = cellCounter(
      counters,
      'cairn_consumed_write_capacity_units_total',
      'Write capacity units consumed (ConsumedWriteCapacityUnits), by table or GSI and operation.',
      byOperation,
    );
    this.requests = cellCounter(
      counters,
      'cairn_requests_total',
      'Requests answered, by table (empty for requests without one), operation and HTTP status.',
      ['table', 'operation', 'status'],
    );
    this.returnedItems = cellCounter(counters, 'cairn_returned_item_count_total', 'Items returned by Query and Scan (ReturnedItemCount).', byOperation);
    this.scannedItems = cellCounter(
      counters,
      'cairn_scanned_item_count_total',
      'Items read (evaluated) by Query and Scan: with cairn_returned_item_count_total, what filters discard.',
      byOperation,
    );
    this.conditionalCheckFailed = cellCounter(
      counters,
      'cairn_conditional_check_failed_requests_total',
      'Writes refused by their condition (ConditionalCheckFailedRequests).',
      ['table', 'operation'],
    );
    this.throttledRequests = labeledCounter(
      counters,
      'cairn_throttled_requests_total',
      'Requests refused for throughput (ThrottledRequests), by table, operation and first throttling reason.',
      ['table', 'operation', 'reason'],
    );
    this.userErrors = labeledCounter(
      counters,
      'cairn_user_errors_total',
      'Requests answered with a client error other than a throttle or a failed condition (UserErrors).',
      ['operation', 'error'],
    );
    this.systemErrors = labeledCounter(counters, 'cairn_system_errors_total', 'Requests answered with HTTP 500 (SystemErrors).', ['operation']);
    const throttleHelp =
      'Throttle events by table or GSI and reason (the CloudWatch Read/Write...ThrottleEvents metrics). enforced="false": ' +
      'in account mode, a throttle that would have happened (the request went ahead).';
    this.readThrottleEvents = labeledCounter(counters, 'cairn_read_throttle_events_total', throttleHelp, ['table', 'index', 'reason', 'enforced']);
    this.writeThrottleEvents = labeledCounter(counters, 'cairn_write_throttle_events_total', throttleHelp, ['table', 'index', 'reason', 'enforced']);
    this.splits = labeledCounter(
      counters,
      'cairn_partition_splits_total',
      'Partition splits by table or GSI and cause (count: throughput raised; size: past 10 GB; heat).',
      ['table', 'index', 'cause'],
    );
    this.replicatedWrites = labeledCounter(
      counters,
      'cairn_replicated_write_capacity_units_total',
      'Replicated write units (rWCU, rWRU) consumed by the tables of global tables, by table, region and the region that ' +
        'took the write: the region itself for the writes it took, another for those applied from it.',
      ['table', 'region', 'source_region'],
    );
    this.ttlDeleted = labeledCounter(counters, 'cairn_time_to_live_deleted_item_count_total', 'Items deleted by TTL (TimeToLiveDeletedItemCount).', [
      'table',
    ]);
  }

  /** Registers more metrics (read when scraped) in the registry, once it is built. */
  onRegistry(register: (registry: Registry) => void): void {
    if (this.registry === undefined) this.registrations.push(register);
    else
      this.registry = this.registry.then((registry) => {
        register(registry);
        return registry;
      });
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
      for (const { table: replicated, write } of notes.replicatedWrites) this.replicatedWrites.get(replicated, notes.region, notes.region).value += write;
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
      this.throttledRequests.get(table, operation, notes.throttleReasons[0] ?? '').value++;
    } else if (notes.errorType === 'ConditionalCheckFailedException') {
      this.conditionalCheckFailed.get(table, operation, '').value++;
    } else if (notes.status >= 500) {
      this.systemErrors.get(operation).value++;
    } else {
      this.userErrors.get(operation, notes.errorType).value++;
    }
  }

  /** The capacity tracker's observer: throttle events (enforced or, in account mode, would-be) and splits. */
  throttled(throttle: Throttle, access: Access, enforced: boolean): void {
    const events = access === 'read' ? this.readThrottleEvents : this.writeThrottleEvents;
    for (const { reason, resource } of throttle.reasons) {
      const names = resourceNames(resource);
      events.get(names.table, names.index ?? '', reason, enforced ? 'true' : 'false').value++;
    }
  }

  split(arn: string, cause: string): void {
    const names = resourceNames(arn);
    this.splits.get(names.table, names.index ?? '', cause).value++;
  }

  /**
   * Replicated writes of `sourceRegion` applied into `table`: replicated write units consumed in its region, part
   * of its ConsumedWriteCapacityUnits (operation `ReplicatedWrite`, as they come from no request), with its GSIs'
   * write units.
   */
  replicatedWritesApplied(table: TableMetadata, sourceRegion: string, units: number, indexUnits: ReadonlyMap<string, number>): void {
    this.consumedWrite.get(table.tableName, '', 'ReplicatedWrite').value += units;
    for (const [index, used] of indexUnits) this.consumedWrite.get(table.tableName, index, 'ReplicatedWrite').value += used;
    this.replicatedWrites.get(table.tableName, table.region, sourceRegion).value += units;
  }

  ttlDeletions(table: TableMetadata, count: number): void {
    this.ttlDeleted.get(table.tableName).value += count;
  }

  /** The Prometheus text of every metric, and its content type. */
  async scrape(): Promise<{ readonly contentType: string; readonly text: string }> {
    const registry = await (this.registry ??= this.buildRegistry());
    return { contentType: registry.contentType, text: await registry.metrics() };
  }

  private async buildRegistry(): Promise<Registry> {
    const prom = await import('prom-client');
    const registry = new prom.Registry();
    const [perRequest, others] = [this.counters.slice(0, 3), this.counters.slice(3)];
    // The latency histogram comes right after the request counts, where it always was in the text.
    for (const counter of perRequest) registerCellCounter(prom, registry, counter);
    registerCellHistogram(registry, LATENCY_NAME, LATENCY_HELP, LATENCY_BUCKETS, this.latency);
    for (const counter of others) registerCellCounter(prom, registry, counter);
    this.gauges(prom, registry);
    for (const register of this.registrations) register(registry);
    return registry;
  }

  /**
   * Global tables: CloudWatch's ReplicationLatency and PendingReplicationCount, and the lag of each replica
   * followed (src/engine/replication/replication-status.ts, pending-replication.ts).
   */
  private replicationGauges(prom: PromClient, registry: Registry, tablesOf: () => TableMetadata[]): void {
    const engine = this.engine;
    const followed = () =>
      engine.replicationStatus.all((accountId, region, tableName, source) =>
        (engine.catalog.getTable({ accountId, region }, tableName)?.replicas ?? []).some((replica) => replica.regionName === source),
      );
    new prom.Gauge({
      name: 'cairn_replication_latency_seconds',
      help: 'ReplicationLatency: for the last write of the source region applied here, the time from the write to its application.',
      labelNames: ['table', 'region', 'source_region'],
      registers: [registry],
      collect(this: Gauge<'table' | 'region' | 'source_region'>) {
        this.reset();
        for (const entry of followed()) {
          if (entry.latencyMs !== undefined) this.labels(entry.tableName, entry.receivingRegion, entry.sourceRegion).set(entry.latencyMs / 1000);
        }
      },
    });
    new prom.Gauge({
      name: 'cairn_replication_lag_seconds',
      help: "How far a replica is behind another's stream: the time since it last read that stream to its end (0 while it keeps up).",
      labelNames: ['table', 'region', 'source_region'],
      registers: [registry],
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
    new prom.Gauge({
      name: 'cairn_replication_pending_count',
      help: "PendingReplicationCount: writes this region's replica took that the replica of receiving_region has not applied yet.",
      labelNames: ['table', 'receiving_region'],
      registers: [registry],
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
  private gauges(prom: PromClient, registry: Registry): void {
    const engine = this.engine;
    const tablesOf = (): TableMetadata[] => engine.catalog.allTables().filter((table) => table.status !== 'DELETING');
    new prom.Gauge({
      name: 'cairn_provisioned_read_capacity_units',
      help: 'Provisioned read capacity units (ProvisionedReadCapacityUnits); absent for on-demand tables.',
      labelNames: ['table', 'index'],
      registers: [registry],
      collect(this: Gauge<'table' | 'index'>) {
        this.reset();
        for (const table of tablesOf()) provisioned(table, 'ReadCapacityUnits', (index, units) => this.labels(table.tableName, index).set(units));
      },
    });
    new prom.Gauge({
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
    new prom.Gauge({
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
      new prom.Gauge({
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
    this.replicationGauges(prom, registry, tablesOf);
    const lags = (): ReturnType<TriggerLagSource['lags']> => this.triggers?.lags() ?? [];
    new prom.Gauge({
      name: 'cairn_trigger_iterator_age_seconds',
      help: "A trigger's lag: at its last invocation, the age of the batch's newest record (Lambda's IteratorAge).",
      labelNames: ['trigger', 'table'],
      registers: [registry],
      collect(this: Gauge<'trigger' | 'table'>) {
        this.reset();
        for (const lag of lags()) this.labels(lag.id, lag.table).set(lag.iteratorAgeMs / 1000);
      },
    });
    new prom.Gauge({
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
