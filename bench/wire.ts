/**
 * The requests the benchmark sends, built once before any measurement so the load generator only copies bytes.
 * Everything is plain DynamoDB JSON exactly as an AWS SDK would send it, so the same bodies work against Cairn,
 * dynalite, DynamoDB Local and the bare baseline.
 */
import type { AttributeMap } from '../src/model/attribute-value.js';
import type { PeerName } from './peers.js';

export const TABLE_NAME = 'cairn_bench';

/** Items loaded before the read/update scenarios; GetItem and UpdateItem pick keys uniformly among them. */
export const PRELOADED_ITEMS = 10_000;

/** PutItem keys are drawn from a larger space, so the scenario mixes inserts (~90%) and overwrites (~10%). */
export const PUT_KEY_SPACE = 100_000;

/** The JSON size of every benchmark item (DynamoDB JSON, as on the wire): "~1 KB". */
export const ITEM_JSON_BYTES = 1024;

/**
 * A dummy SigV4 header: servers compatible with DynamoDB read the region from the credential scope, and none of
 * the peers verify signatures, so a fixed one costs nothing and keeps every request realistic in size.
 */
export const AUTHORIZATION =
  'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00';

export const CONTENT_TYPE = 'application/x-amz-json-1.0';

export type ScenarioName =
  | 'GetItem'
  | 'PutItem'
  | 'UpdateItem'
  | 'Query'
  | 'QueryReverse'
  | 'BatchWriteItem'
  | 'TransactWriteItems2'
  | 'TransactWriteItems10'
  | 'BatchGetItem'
  | 'Scan'
  | 'DeleteItem';

/** In run order; a new scenario goes last, so the seeds (by position) of the others stay what they were. */
export const SCENARIO_NAMES: readonly ScenarioName[] = [
  'GetItem',
  'PutItem',
  'UpdateItem',
  'Query',
  'QueryReverse',
  'BatchWriteItem',
  'TransactWriteItems2',
  'TransactWriteItems10',
  'BatchGetItem',
  'Scan',
  // Last: it removes items (its own, loaded for it, see DELETE_KEY_BASE).
  'DeleteItem',
];

/** The composite-key table (pk S, sk N) the Query scenarios read. */
export const QUERY_TABLE_NAME = 'cairn_bench_query';

/** Items per partition of the composite-key tables (sort keys 0..PARTITION_ITEMS-1). */
export const PARTITION_ITEMS = 50;

/** Partitions preloaded for the Query scenarios: 200 x 50 = 10,000 items, like the single-key table. */
export const QUERY_PARTITIONS = PRELOADED_ITEMS / PARTITION_ITEMS;

/** Items per Query page (Limit), so every answer carries 20 ~1 KB items and a LastEvaluatedKey. */
export const QUERY_LIMIT = 20;

/** BatchWriteItem's maximum, and what the scenario and the bulk loads send per request. */
export const BATCH_WRITE_SIZE = 25;

/**
 * BatchWriteItem keys are drawn from their own range past the preloaded items (distinct within a request, as
 * DynamoDB requires), so the batches never touch the items GetItem and UpdateItem use.
 */
export const BATCH_KEY_SPACE = 1_000_000;

/**
 * The Puts of one request of each TransactWriteItems scenario: ~1 KB items of PutItem's shape, distinct keys
 * within a request (DynamoDB refuses two actions on one item).
 */
export const TRANSACTION_SIZES = { TransactWriteItems2: 2, TransactWriteItems10: 10 } as const;

/** Keys per BatchGetItem: DynamoDB's most, all distinct, over the preloaded items. */
export const BATCH_GET_SIZE = 100;

/**
 * The Scan scenario reads the first page of one of this many segments (a parallel Scan's Segment and
 * TotalSegments), so that requests read different parts of the table. The preloaded items alone (about 8 MB as
 * DynamoDB sizes them) give each segment some 2 MB, and the write scenarios add more when they run first: every page
 * is a full one, 1 MB of items (the probe checks it).
 */
export const SCAN_SEGMENTS = 4;

/**
 * DeleteItem deletes items loaded for it alone, keys DELETE_KEY_BASE and up (past every other scenario's), and
 * every delete finds its item: the bodies are one per item, and each connection of each run (the warm-up and every
 * round) replays its own window of DELETE_WINDOW of them, disjoint from all others (LoadOptions.disjointWindow).
 * A connection that sent more than DELETE_WINDOW deletes in one run would start deleting missing items: at 64
 * connections and 5 s that is over 13,000 deletes a second.
 */
export const DELETE_KEY_BASE = 2_000_000;
export const DELETE_WINDOW = 1024;

/** How many rounds, of how many connections, DeleteItem's items are loaded for. */
export interface DeleteRuns {
  readonly rounds: number;
  readonly connections: number;
}

/** The benchmark's default rounds and connections (bench/options.ts): what DeleteItem's pool is sized for unless told. */
export const DEFAULT_DELETE_RUNS: DeleteRuns = { rounds: 3, connections: 64 };

/** The items DeleteItem needs loaded, and its bodies: a window per connection of the warm-up and of each round. */
export function deletePoolSize({ rounds, connections }: DeleteRuns): number {
  return (rounds + 1) * connections * DELETE_WINDOW;
}

/** DynamoDB's page limit, 1 MB of item sizes (src/api/read-page.ts has Cairn's): what each Scan answer holds. */
export const SCAN_PAGE_BYTES = 1024 * 1024;

/** The DynamoDB operation a scenario sends (QueryReverse is a Query, TransactWriteItems2 a TransactWriteItems). */
export function scenarioOperation(scenario: ScenarioName): string {
  switch (scenario) {
    case 'QueryReverse':
      return 'Query';
    case 'TransactWriteItems2':
    case 'TransactWriteItems10':
      return 'TransactWriteItems';
    default:
      return scenario;
  }
}

/** The items a request of `scenario` writes (1 for the single-item operations, 0 for reads). */
export function itemsWrittenPerRequest(scenario: ScenarioName): number {
  switch (scenario) {
    case 'PutItem':
    case 'UpdateItem':
    case 'DeleteItem':
      return 1;
    case 'BatchWriteItem':
      return BATCH_WRITE_SIZE;
    case 'TransactWriteItems2':
    case 'TransactWriteItems10':
      return TRANSACTION_SIZES[scenario];
    default:
      return 0;
  }
}

/**
 * Why a peer cannot run a scenario at all (it lacks the operation), or undefined. Such a peer is still probed:
 * if it answers the request after all, it is measured like any other.
 */
export function scenarioUnsupportedBy(scenario: ScenarioName, peer: PeerName): string | undefined {
  if (peer === 'dynalite' && scenarioOperation(scenario) === 'TransactWriteItems') return 'dynalite has no transactions';
  return undefined;
}

/**
 * How many distinct bodies to pre-build for a scenario, and how many of them each connection loops over.
 * autocannon encodes every connection's window up front, so a 25-item batch (~26 KB) gets a short window: 64
 * connections x 16 x 26 KB stays near 27 MB instead of 400 MB; a 10-item transaction (~11 KB) the same window,
 * a 2-item one (~2 KB) half PutItem's.
 */
export function bodyPoolShape(scenario: ScenarioName): { readonly poolSize: number; readonly sequenceLength: number } {
  switch (scenario) {
    case 'BatchWriteItem':
    case 'TransactWriteItems10':
      return { poolSize: 1024, sequenceLength: 16 };
    case 'BatchGetItem':
      return { poolSize: 1024, sequenceLength: 64 };
    case 'Scan':
      return { poolSize: 64, sequenceLength: 16 };
    case 'DeleteItem':
      // The pool's real size depends on the rounds and connections (deletePoolSize); this is the benchmark's default.
      return { poolSize: deletePoolSize(DEFAULT_DELETE_RUNS), sequenceLength: DELETE_WINDOW };
    case 'TransactWriteItems2':
      return { poolSize: 2048, sequenceLength: 128 };
    default:
      return { poolSize: 4096, sequenceLength: 256 };
  }
}

/** The headers of one AWS JSON 1.0 request for `operation` (autocannon adds Host and Content-Length). */
export function awsHeaders(operation: string): Record<string, string> {
  return {
    'x-amz-target': `DynamoDB_20120810.${operation}`,
    'content-type': CONTENT_TYPE,
    authorization: AUTHORIZATION,
    'x-amz-date': '20260101T000000Z',
  };
}

/** A small seeded PRNG (mulberry32): runs are reproducible, and Math.random's state is left alone. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform integer in [0, bound). */
export function randomIndex(random: () => number, bound: number): number {
  return Math.floor(random() * bound);
}

/** The partition key of item `index`: fixed width, so every item has the same size. */
export function keyOf(index: number): string {
  return `user#${String(index).padStart(7, '0')}`;
}

const FILLER_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/**
 * Item `index`: a realistic mix of types (nested map, list, set, number, bool) plus a string payload sized so the
 * item's JSON is exactly ITEM_JSON_BYTES. `c` is the counter the UpdateItem scenario increments, so every item
 * (preloaded or put) must carry it, or `#c + :one` would fail on a missing attribute.
 */
export function buildItem(index: number): AttributeMap {
  const base = {
    pk: { S: keyOf(index) },
    ...itemAttributes(index),
  };
  // The payload is appended last; its JSON overhead is `,"payload":{"S":""}` around the filler.
  const overhead = JSON.stringify(base).length + ',"payload":{"S":""}'.length;
  const fillerLength = Math.max(0, ITEM_JSON_BYTES - overhead);
  const random = createRandom(index + 1);
  let filler = '';
  for (let i = 0; i < fillerLength; i++) {
    filler += FILLER_ALPHABET[randomIndex(random, FILLER_ALPHABET.length)];
  }
  return { ...base, payload: { S: filler } };
}

/** The non-key attributes every benchmark item carries (see buildItem). */
function itemAttributes(index: number): AttributeMap {
  return {
    c: { N: '0' },
    name: { S: `Customer ${String(index).padStart(7, '0')}` },
    email: { S: `customer${String(index).padStart(7, '0')}@example.com` },
    active: { BOOL: index % 2 === 0 },
    score: { N: String((index % 1000) + 0.5) },
    tags: { SS: ['bench', 'cairn', `group-${index % 10}`] },
    profile: {
      M: {
        city: { S: 'Lisbon' },
        zip: { N: String(10_000 + (index % 89_999)) },
        langs: { L: [{ S: 'en' }, { S: 'pt' }] },
      },
    },
  };
}

/** The partition key of partition `partition` of a composite-key table: fixed width, like keyOf. */
export function partitionKeyOf(partition: number): string {
  return `part#${String(partition).padStart(7, '0')}`;
}

/** A shared random text the composite-key items slice their payload from: building 1,000,000 items stays cheap. */
let fillerSource: string | undefined;
const FILLER_SOURCE_LENGTH = 8192;

function sourceFiller(offset: number, length: number): string {
  if (fillerSource === undefined) {
    const random = createRandom(0x5eed);
    let text = '';
    for (let i = 0; i < FILLER_SOURCE_LENGTH + ITEM_JSON_BYTES; i++) {
      text += FILLER_ALPHABET[randomIndex(random, FILLER_ALPHABET.length)];
    }
    fillerSource = text;
  }
  const start = offset % FILLER_SOURCE_LENGTH;
  return fillerSource.slice(start, start + length);
}

/**
 * Item `sort` of partition `partition` of a composite-key table (pk S, sk N): the same attributes as buildItem,
 * exactly ITEM_JSON_BYTES of JSON, the payload a slice of a shared random text (deterministic per item).
 */
export function buildSortedItem(partition: number, sort: number): AttributeMap {
  const index = partition * PARTITION_ITEMS + sort;
  const base = { pk: { S: partitionKeyOf(partition) }, sk: { N: String(sort) }, ...itemAttributes(index) };
  const overhead = JSON.stringify(base).length + ',"payload":{"S":""}'.length;
  const fillerLength = Math.max(0, ITEM_JSON_BYTES - overhead);
  return { ...base, payload: { S: sourceFiller(index * 131, fillerLength) } };
}

/** The composite-key item number `index` (partition-major: PARTITION_ITEMS consecutive items share a partition). */
export function sortedItemAt(index: number): AttributeMap {
  return buildSortedItem(Math.floor(index / PARTITION_ITEMS), index % PARTITION_ITEMS);
}

export function createTableBody(): string {
  return JSON.stringify({
    TableName: TABLE_NAME,
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  });
}

export function createQueryTableBody(tableName: string = QUERY_TABLE_NAME): string {
  return JSON.stringify({
    TableName: tableName,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'N' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    BillingMode: 'PAY_PER_REQUEST',
  });
}

/**
 * A Query of the first QUERY_LIMIT items of `partition`, in ascending sort-key order or (forward false) descending.
 * ScanIndexForward is left out when true, as the SDKs do for the default.
 */
export function queryBody(partition: number, forward: boolean, tableName: string = QUERY_TABLE_NAME): string {
  return JSON.stringify({
    TableName: tableName,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': { S: partitionKeyOf(partition) } },
    Limit: QUERY_LIMIT,
    ...(forward ? {} : { ScanIndexForward: false }),
  });
}

/** A BatchWriteItem of PutRequests for `items` into `tableName`. */
export function batchWriteBody(tableName: string, items: readonly AttributeMap[]): string {
  return JSON.stringify({ RequestItems: { [tableName]: items.map((item) => ({ PutRequest: { Item: item } })) } });
}

/** `count` distinct uniform integers in [0, bound) (count <= bound; bounded retries on collisions). */
export function distinctIndexes(random: () => number, count: number, bound: number): number[] {
  if (count > bound) throw new Error(`cannot draw ${count} distinct values below ${bound}`);
  const chosen = new Set<number>();
  for (let attempt = 0; chosen.size < count && attempt < count * 1000; attempt++) chosen.add(randomIndex(random, bound));
  for (let value = 0; chosen.size < count; value++) chosen.add(value);
  return [...chosen];
}

/** A TransactWriteItems of one Put per item into `tableName` (no condition, no token: the plain atomic write). */
export function transactPutBody(tableName: string, items: readonly AttributeMap[]): string {
  return JSON.stringify({ TransactItems: items.map((item) => ({ Put: { TableName: tableName, Item: item } })) });
}

export function getItemBody(index: number): string {
  return JSON.stringify({ TableName: TABLE_NAME, Key: { pk: { S: keyOf(index) } } });
}

export function putItemBody(index: number): string {
  return JSON.stringify({ TableName: TABLE_NAME, Item: buildItem(index) });
}

export function batchGetBody(indexes: readonly number[]): string {
  return JSON.stringify({ RequestItems: { [TABLE_NAME]: { Keys: indexes.map((index) => ({ pk: { S: keyOf(index) } })) } } });
}

export function deleteItemBody(index: number): string {
  return JSON.stringify({ TableName: TABLE_NAME, Key: { pk: { S: keyOf(DELETE_KEY_BASE + index) } } });
}

/** The ~1 KB item DeleteItem's body `index` deletes. */
export function deletedItemAt(index: number): AttributeMap {
  return buildItem(DELETE_KEY_BASE + index);
}

export function scanBody(segment: number): string {
  return JSON.stringify({ TableName: TABLE_NAME, Segment: segment, TotalSegments: SCAN_SEGMENTS });
}

export function updateItemBody(index: number): string {
  return JSON.stringify({
    TableName: TABLE_NAME,
    Key: { pk: { S: keyOf(index) } },
    UpdateExpression: 'SET #c = #c + :one',
    ExpressionAttributeNames: { '#c': 'c' },
    ExpressionAttributeValues: { ':one': { N: '1' } },
  });
}

/** One request body of `scenario` for a random key (the key space depends on the scenario, see above). */
export function scenarioBody(scenario: ScenarioName, random: () => number): string {
  switch (scenario) {
    case 'GetItem':
      return getItemBody(randomIndex(random, PRELOADED_ITEMS));
    case 'PutItem':
      return putItemBody(randomIndex(random, PUT_KEY_SPACE));
    case 'UpdateItem':
      return updateItemBody(randomIndex(random, PRELOADED_ITEMS));
    case 'Query':
      return queryBody(randomIndex(random, QUERY_PARTITIONS), true);
    case 'QueryReverse':
      return queryBody(randomIndex(random, QUERY_PARTITIONS), false);
    case 'BatchWriteItem':
      return batchWriteBody(
        TABLE_NAME,
        distinctIndexes(random, BATCH_WRITE_SIZE, BATCH_KEY_SPACE).map((index) => buildItem(PRELOADED_ITEMS + index)),
      );
    case 'TransactWriteItems2':
    case 'TransactWriteItems10':
      // PutItem's items over PutItem's key space, so the per-item work is the same (mostly inserts).
      return transactPutBody(TABLE_NAME, distinctIndexes(random, TRANSACTION_SIZES[scenario], PUT_KEY_SPACE).map((index) => buildItem(index)));
    case 'BatchGetItem':
      return batchGetBody(distinctIndexes(random, BATCH_GET_SIZE, PRELOADED_ITEMS));
    case 'Scan':
      return scanBody(randomIndex(random, SCAN_SEGMENTS));
    case 'DeleteItem':
      // scenarioBodies builds DeleteItem's pool in order, one body per item; a lone body deletes a random one.
      return deleteItemBody(randomIndex(random, deletePoolSize(DEFAULT_DELETE_RUNS)));
  }
}

/** A pool of `count` distinct-key bodies of `scenario`, built before measuring. */
export function scenarioBodies(scenario: ScenarioName, count: number, random: () => number): string[] {
  if (scenario === 'DeleteItem') return Array.from({ length: count }, (_, index) => deleteItemBody(index));
  const bodies: string[] = [];
  for (let i = 0; i < count; i++) bodies.push(scenarioBody(scenario, random));
  return bodies;
}
