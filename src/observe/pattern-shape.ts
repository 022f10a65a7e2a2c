/**
 * The shape of an access pattern, as the access-pattern report groups requests: the key condition, filter (or a
 * write's condition) and projection of a request with every value masked (`:v`) and every `#name` replaced by the
 * attribute it stands for, spacing and keyword case normalised, so that requests differing only in their values
 * or placeholder names are one pattern: `#p = :pk AND begins_with(#s, :prefix)` -> `pk = :v AND begins_with(sk, :v)`.
 * Legacy parameters (KeyConditions, QueryFilter, ScanFilter, AttributesToGet) get the same expression syntax.
 */
import type { TableKey } from '../engine/table-metadata.js';

const TOKEN = /#[A-Za-z0-9_]+|:[A-Za-z0-9_]+|<>|<=|>=|[=<>(),]|[^\s#:<>=(),]+/g;
const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'BETWEEN', 'IN']);
const FUNCTIONS = new Set(['attribute_exists', 'attribute_not_exists', 'attribute_type', 'begins_with', 'contains', 'size']);

type Names = Readonly<Record<string, unknown>> | undefined;

/** The masked shape of an expression's text. */
export function expressionShape(expression: string, names: Names): string {
  const tokens = expression.match(TOKEN) ?? [];
  let out = '';
  let previous = '';
  for (const raw of tokens) {
    let token = raw;
    if (raw.startsWith(':')) token = ':v';
    else if (raw.startsWith('#')) token = typeof names?.[raw] === 'string' ? (names[raw] as string) : raw;
    else if (KEYWORDS.has(raw.toUpperCase())) token = raw.toUpperCase();
    const glued =
      out === '' ||
      token === ')' ||
      token === ',' ||
      previous === '(' ||
      (token === '(' && FUNCTIONS.has(previous)) ||
      // Path steps: `a.b`, `a[0]` are single tokens already unless written with a placeholder (`#a.#b`).
      token.startsWith('.') ||
      token.startsWith('[') ||
      previous.endsWith('.');
    out += glued ? token : ` ${token}`;
    previous = token;
  }
  return out;
}

const LEGACY_OPERATORS: Readonly<Record<string, string>> = {
  EQ: '=',
  NE: '<>',
  LT: '<',
  LE: '<=',
  GT: '>',
  GE: '>=',
};

/** One legacy condition (`{ComparisonOperator, AttributeValueList}`) in expression syntax. */
function legacyTerm(name: string, condition: unknown): string {
  const operator = typeof condition === 'object' && condition !== null ? String((condition as { ComparisonOperator?: unknown }).ComparisonOperator) : '';
  const symbol = LEGACY_OPERATORS[operator];
  if (symbol !== undefined) return `${name} ${symbol} :v`;
  switch (operator) {
    case 'BETWEEN':
      return `${name} BETWEEN :v AND :v`;
    case 'BEGINS_WITH':
      return `begins_with(${name}, :v)`;
    case 'CONTAINS':
      return `contains(${name}, :v)`;
    case 'NOT_CONTAINS':
      return `NOT contains(${name}, :v)`;
    case 'NULL':
      return `attribute_not_exists(${name})`;
    case 'NOT_NULL':
      return `attribute_exists(${name})`;
    case 'IN':
      return `${name} IN (:v)`;
    default:
      return `${name} ${operator}`;
  }
}

/** A legacy condition map (KeyConditions, QueryFilter, ScanFilter, Expected) in expression syntax. */
export function legacyShape(conditions: unknown, conditionalOperator: unknown, key?: TableKey): string | undefined {
  if (typeof conditions !== 'object' || conditions === null) return undefined;
  const names = Object.keys(conditions);
  if (names.length === 0) return undefined;
  // A key condition reads partition key first, whatever order the map was written in.
  if (key !== undefined) names.sort((a, b) => Number(b === key.hash.name) - Number(a === key.hash.name));
  const joiner = conditionalOperator === 'OR' ? ' OR ' : ' AND ';
  return names.map((name) => legacyTerm(name, (conditions as Record<string, unknown>)[name])).join(joiner);
}

/** The key of a single-item operation: every key attribute with `=`. */
export function itemKeyShape(key: TableKey): string {
  return key.range === undefined ? `${key.hash.name} = :v` : `${key.hash.name} = :v AND ${key.range.name} = :v`;
}

/** The projection: ProjectionExpression's paths (names resolved), AttributesToGet, `COUNT`, or `none` (whole items). */
export function projectionShape(request: Readonly<Record<string, unknown>>): string {
  if (request.Select === 'COUNT') return 'COUNT';
  if (typeof request.ProjectionExpression === 'string') return expressionShape(request.ProjectionExpression, request.ExpressionAttributeNames as Names);
  if (Array.isArray(request.AttributesToGet)) return request.AttributesToGet.join(', ');
  return 'none';
}
