/**
 * The requests the benchmark sends, built once before any measurement so the load generator only copies bytes.
 * Everything is plain DynamoDB JSON exactly as an AWS SDK would send it, so the same bodies work against Cairn,
 * dynalite, DynamoDB Local and the bare baseline.
 */
import type { AttributeMap } from '../src/model/attribute-value.js';

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

export type ScenarioName = 'GetItem' | 'PutItem' | 'UpdateItem';

export const SCENARIO_NAMES: readonly ScenarioName[] = ['GetItem', 'PutItem', 'UpdateItem'];

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

export function createTableBody(): string {
  return JSON.stringify({
    TableName: TABLE_NAME,
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  });
}

export function getItemBody(index: number): string {
  return JSON.stringify({ TableName: TABLE_NAME, Key: { pk: { S: keyOf(index) } } });
}

export function putItemBody(index: number): string {
  return JSON.stringify({ TableName: TABLE_NAME, Item: buildItem(index) });
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
  }
}

/** A pool of `count` distinct-key bodies of `scenario`, built before measuring. */
export function scenarioBodies(scenario: ScenarioName, count: number, random: () => number): string[] {
  const bodies: string[] = [];
  for (let i = 0; i < count; i++) bodies.push(scenarioBody(scenario, random));
  return bodies;
}
