/**
 * The flash sale: a shop's steady write load, then a hundred times more for a few minutes, on an on-demand table
 * and on a provisioned one sized for the steady load, and what each served and throttled per minute.
 *
 * Run it: `npm run build && node dist/examples/flash-sale.js [--steady N] [--factor N] [--provisioned N]`
 * (`--help` lists the options). It starts Cairn in-process in `enforce` mode on a manual capacity clock, so the
 * minutes of the sale pass in a few seconds whatever the machine, and prints a table.
 *
 * Every request is an UpdateItem that counts a sale on a product item of 400 KB, which costs 400 write units:
 * DynamoDB charges a write the larger of the item's size before and after it. So a few requests carry a lot of
 * capacity and a minute of a sale at thousands of units a second takes a few hundred requests.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { CreateTableCommand, DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { ManualClock } from '../src/capacity/capacity-clock.js';
import { encodeKeyValue, partitionHash } from '../src/model/key-encoding.js';
import { startServer } from '../src/server.js';

export interface FlashSaleOptions {
  /** Write units a second before and after the sale. */
  readonly steadyUnitsPerSecond: number;
  /** How many times the steady load the sale brings. */
  readonly factor: number;
  /** The provisioned table's write capacity units. */
  readonly provisionedUnits: number;
  readonly minutesBefore: number;
  readonly saleMinutes: number;
  readonly minutesAfter: number;
  /** Product items the sales are spread over. */
  readonly products: number;
}

export const DEFAULT_FLASH_SALE: FlashSaleOptions = {
  steadyUnitsPerSecond: 20,
  factor: 100,
  provisionedUnits: 50,
  minutesBefore: 2,
  saleMinutes: 3,
  minutesAfter: 2,
  products: 8,
};

/** Write units of one sale: the product item is 400 KB. */
export const UNITS_PER_SALE = 400;

export interface Outcome {
  served: number;
  /** By `<exception> <first throttling reason>`. */
  throttled: Record<string, number>;
}

export interface MinuteRow {
  readonly minute: number;
  readonly phase: 'steady' | 'sale';
  /** Requests sent to each table in that minute. */
  readonly requests: number;
  readonly onDemand: Outcome;
  readonly provisioned: Outcome;
}

const ON_DEMAND = 'sale-on-demand';
const PROVISIONED = 'sale-provisioned';
const MINUTE = 60_000;

/** A product item of exactly 400 KB with its `sold` counter (a few digits more stay within 400 units). */
function product(id: string): Record<string, { S: string } | { N: string }> {
  const bytes = UNITS_PER_SALE * 1024 - 64;
  return { id: { S: id }, sold: { N: '0' }, page: { S: 'x'.repeat(bytes - 'id'.length - id.length - 'sold'.length - 1 - 'page'.length) } };
}

/**
 * `count` keys spread evenly over the four quarters of the hash space (a new on-demand table's four partitions),
 * so that the sale is a sale and not also a hot partition.
 */
function spreadKeys(prefix: string, count: number): string[] {
  const keys: string[] = [];
  for (let n = 0; keys.length < count; n++) {
    const key = `${prefix}${n}`;
    const quarter = partitionHash(encodeKeyValue({ S: key })) >> 14;
    if (quarter === keys.length % 4) keys.push(key);
  }
  return keys;
}

async function send(outcome: Outcome, request: () => Promise<unknown>): Promise<void> {
  try {
    await request();
    outcome.served++;
  } catch (error) {
    const failure = error as { name?: string; ThrottlingReasons?: { reason?: string }[]; throttlingReasons?: { reason?: string }[] };
    if (failure.name !== 'ProvisionedThroughputExceededException' && failure.name !== 'ThrottlingException') throw error;
    const label = `${failure.name} ${(failure.ThrottlingReasons ?? failure.throttlingReasons ?? [])[0]?.reason ?? ''}`;
    outcome.throttled[label] = (outcome.throttled[label] ?? 0) + 1;
  }
}

/**
 * Creates the two tables and their products, lets the provisioned table's burst credit refill, then drives the
 * sale minute by minute on `clock`. The client must not retry (maxAttempts 1): each throttle is counted once.
 */
export async function runFlashSale(client: DynamoDBClient, clock: ManualClock, options: FlashSaleOptions = DEFAULT_FLASH_SALE): Promise<MinuteRow[]> {
  const key = { KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' as const }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' as const }] };
  await client.send(new CreateTableCommand({ TableName: ON_DEMAND, ...key, BillingMode: 'PAY_PER_REQUEST' }));
  await client.send(
    new CreateTableCommand({
      TableName: PROVISIONED,
      ...key,
      ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: options.provisionedUnits },
    }),
  );
  const products = spreadKeys('product-', options.products);
  // Loading the catalogue costs capacity too: one product a second, then ten minutes for burst credit to refill.
  for (const id of products) {
    for (const TableName of [ON_DEMAND, PROVISIONED]) await client.send(new PutItemCommand({ TableName, Item: product(id) }));
    clock.advance(1000);
  }
  clock.advance(10 * MINUTE);

  const phases: ('steady' | 'sale')[] = [
    ...Array<'steady'>(options.minutesBefore).fill('steady'),
    ...Array<'sale'>(options.saleMinutes).fill('sale'),
    ...Array<'steady'>(options.minutesAfter).fill('steady'),
  ];
  const rows: MinuteRow[] = [];
  let sale = 0;
  for (const [minute, phase] of phases.entries()) {
    const unitsPerSecond = phase === 'sale' ? options.steadyUnitsPerSecond * options.factor : options.steadyUnitsPerSecond;
    // Requests evenly spaced through the minute: 400 units each.
    const requests = Math.round((unitsPerSecond * 60) / UNITS_PER_SALE);
    const row: MinuteRow = { minute, phase, requests, onDemand: { served: 0, throttled: {} }, provisioned: { served: 0, throttled: {} } };
    const start = clock.now();
    for (let n = 0; n < requests; n++) {
      const at = start + Math.floor((n * MINUTE) / requests);
      if (at > clock.now()) clock.advance(at - clock.now());
      const id = products[sale++ % products.length] as string;
      for (const [TableName, outcome] of [[ON_DEMAND, row.onDemand], [PROVISIONED, row.provisioned]] as const) {
        await send(outcome, () =>
          client.send(
            new UpdateItemCommand({
              TableName,
              Key: { id: { S: id } },
              UpdateExpression: 'ADD sold :one',
              ExpressionAttributeValues: { ':one': { N: '1' } },
            }),
          ),
        );
      }
    }
    clock.advance(start + MINUTE - clock.now());
    rows.push(row);
  }
  return rows;
}

function throttledTotal(outcome: Outcome): number {
  return Object.values(outcome.throttled).reduce((sum, count) => sum + count, 0);
}

/** The rows as a table for a terminal. */
export function formatRows(rows: readonly MinuteRow[], options: FlashSaleOptions): string {
  const lines = [
    `Flash sale: ${options.steadyUnitsPerSecond} write units/s, then ${options.factor}x for ${options.saleMinutes} min ` +
      `(${UNITS_PER_SALE} units per request); on-demand table vs provisioned at ${options.provisionedUnits} WCU`,
    '',
    'minute  phase   requests  on-demand served  throttled  provisioned served  throttled',
  ];
  for (const row of rows) {
    lines.push(
      `${String(row.minute).padStart(6)}  ${row.phase.padEnd(6)}  ${String(row.requests).padStart(8)}  ` +
        `${String(row.onDemand.served).padStart(16)}  ${String(throttledTotal(row.onDemand)).padStart(9)}  ` +
        `${String(row.provisioned.served).padStart(18)}  ${String(throttledTotal(row.provisioned)).padStart(9)}`,
    );
  }
  const reasons = new Map<string, number>();
  for (const row of rows) {
    for (const [table, outcome] of [['on-demand', row.onDemand], ['provisioned', row.provisioned]] as const) {
      for (const [reason, count] of Object.entries(outcome.throttled)) reasons.set(`${table}: ${reason}`, (reasons.get(`${table}: ${reason}`) ?? 0) + count);
    }
  }
  if (reasons.size > 0) {
    lines.push('', 'throttled by reason:');
    for (const [reason, count] of reasons) lines.push(`  ${reason}: ${count}`);
  }
  return lines.join('\n');
}

const HELP = `Usage: node dist/examples/flash-sale.js [options]

  --steady N        write units per second before and after the sale (default ${DEFAULT_FLASH_SALE.steadyUnitsPerSecond})
  --factor N        the sale's load as a multiple of the steady load (default ${DEFAULT_FLASH_SALE.factor})
  --provisioned N   the provisioned table's write capacity units (default ${DEFAULT_FLASH_SALE.provisionedUnits})
  --sale-minutes N  how long the sale lasts (default ${DEFAULT_FLASH_SALE.saleMinutes})
  --help            this text`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      steady: { type: 'string' },
      factor: { type: 'string' },
      provisioned: { type: 'string' },
      'sale-minutes': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help === true) {
    console.log(HELP);
    return;
  }
  const positive = (text: string | undefined, fallback: number, name: string): number => {
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number, got ${text}`);
    return value;
  };
  const options: FlashSaleOptions = {
    ...DEFAULT_FLASH_SALE,
    steadyUnitsPerSecond: positive(values.steady, DEFAULT_FLASH_SALE.steadyUnitsPerSecond, 'steady'),
    factor: positive(values.factor, DEFAULT_FLASH_SALE.factor, 'factor'),
    provisionedUnits: Math.round(positive(values.provisioned, DEFAULT_FLASH_SALE.provisionedUnits, 'provisioned')),
    saleMinutes: Math.round(positive(values['sale-minutes'], DEFAULT_FLASH_SALE.saleMinutes, 'sale-minutes')),
  };
  const clock = new ManualClock(Date.now());
  const server = await startServer({ host: '127.0.0.1', port: 0, inMemory: true, logLevel: 'silent', capacity: { mode: 'enforce', clock } });
  const client = new DynamoDBClient({
    region: 'us-east-1',
    endpoint: server.url,
    credentials: { accessKeyId: 'example', secretAccessKey: 'example' },
    maxAttempts: 1,
  });
  try {
    console.log(formatRows(await runFlashSale(client, clock, options), options));
  } finally {
    client.destroy();
    await server.close();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
