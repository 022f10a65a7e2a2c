/**
 * `requestParameters` and `responseElements` as CloudTrail writes them for DynamoDB: the request's members with
 * their first letter lower-cased (`TableName` -> `tableName`, `SSESpecification` -> `sSESpecification`), at every
 * depth of the structure, but not the names that are the user's (attribute names, table names as map keys).
 *
 * What an audit trail must not hold is the data itself. As CloudTrail does for the classic API, item contents
 * never appear:
 *  - an `Item` is written as the list of its attribute names;
 *  - a `Key` (and `ExclusiveStartKey`, `Keys`) keeps its key values, as plain strings (`{"id": "42"}`): keys say
 *    which item was touched, which is what an audit is for;
 *  - `ExpressionAttributeValues`, the legacy conditions' `Value` / `AttributeValueList`, and PartiQL `Parameters`
 *    are left out;
 *  - a PartiQL `Statement` keeps its shape with every literal value replaced by `***` (CloudTrail redacts the
 *    non-key values of PartiQL statements; Cairn redacts key values too, since telling them apart needs the table);
 *    a tuple's field names (`{'pk': ***}`) are attribute names and stay.
 * The plain-string form of key values and the `***` of statements are Cairn's reading of CloudTrail's examples, not
 * a format confirmed from its documentation.
 */
import { tokenize } from '../partiql/lexer.js';

/** Members whose value is a map keyed by the user's names: the keys are kept as they are. */
const USER_KEYED_MAPS: ReadonlySet<string> = new Set([
  'ExpressionAttributeNames', 'RequestItems', 'Responses', 'UnprocessedItems', 'UnprocessedKeys', 'Expected',
  'AttributeUpdates', 'KeyConditions', 'QueryFilter', 'ScanFilter', 'ItemCollectionMetrics',
]);

/** Members that hold a key: `{"id": {"S": "42"}}` -> `{"id": "42"}`. */
const KEY_MEMBERS: ReadonlySet<string> = new Set(['Key', 'ExclusiveStartKey', 'LastEvaluatedKey', 'ItemCollectionKey']);

/** Members that hold attribute values other than keys: never written. */
const VALUE_MEMBERS: ReadonlySet<string> = new Set([
  'ExpressionAttributeValues', 'Value', 'AttributeValueList', 'Parameters', 'Attributes', 'Item', 'Items',
]);

/** The request's members as `requestParameters`, item contents removed (see the module comment). */
export function requestParameters(request: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return structure(request);
}

/** A control-plane answer as `responseElements` (the same renaming; such answers hold no item data). */
export function responseElements(result: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return structure(result);
}

/** A structure: member names renamed, each value by its member's rule. */
function structure(members: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(members)) {
    if (value === undefined) continue;
    const converted = member(name, value);
    if (converted !== undefined) out[lowerFirst(name)] = converted;
  }
  return out;
}

function member(name: string, value: unknown): unknown {
  // Tags are the user's labels of a resource, not item data: kept whole (their `Key` and `Value` are no item's).
  if (name === 'Tags') return renamed(value);
  if (name === 'Item') return isObject(value) ? Object.keys(value) : undefined;
  if (VALUE_MEMBERS.has(name)) return undefined;
  if (KEY_MEMBERS.has(name)) return isObject(value) ? plainKey(value) : undefined;
  if (name === 'Keys') return Array.isArray(value) ? value.filter(isObject).map(plainKey) : undefined;
  if (name === 'Statement') return typeof value === 'string' ? redactStatement(value) : undefined;
  if (USER_KEYED_MAPS.has(name) && isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(value)) out[key] = anyValue(entry);
    return out;
  }
  return anyValue(value);
}

/** A value of a member without a rule of its own: structures and lists are walked, scalars kept. */
function anyValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(anyValue);
  if (isObject(value)) return structure(value);
  return value;
}

/** Member names renamed at every depth, no value left out. */
function renamed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(renamed);
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries(value)) out[lowerFirst(name)] = renamed(entry);
  return out;
}

/**
 * A key's values as plain strings: a String or Number as written, a Binary in its base64. Anything else (only an
 * invalid request has it) is left out rather than written in full.
 */
export function plainKey(key: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(key)) {
    if (!isObject(value)) continue;
    const scalar = value.S ?? value.N ?? value.B;
    if (typeof scalar === 'string') out[name] = scalar;
  }
  return out;
}

/** A PartiQL statement with each string, number and Ion literal replaced by `***`; `***` whole if it does not lex. */
export function redactStatement(statement: string): string {
  let tokens;
  try {
    tokens = tokenize(statement);
  } catch {
    return '***';
  }
  let out = '';
  let at = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as (typeof tokens)[number];
    if (token.kind !== 'String' && token.kind !== 'Number' && token.kind !== 'Ion') continue;
    // A tuple's field name (`{'pk': ...}`) is an attribute name, not a value.
    const next = tokens[i + 1];
    if (token.kind === 'String' && next?.kind === 'Punct' && next.value === ':') continue;
    out += `${statement.slice(at, token.start)}***`;
    at = token.end;
  }
  return out + statement.slice(at);
}

function lowerFirst(name: string): string {
  return name.length === 0 ? name : name.charAt(0).toLowerCase() + name.slice(1);
}

function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
