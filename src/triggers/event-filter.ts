/**
 * Lambda's event filtering (FilterCriteria), applied to each stream record as the handler would see it
 * (`{eventID, eventName, ..., dynamodb: {Keys, NewImage, ...}}`). A record is delivered when any filter matches;
 * with no filters every record is. Records that match none are dropped, and the trigger's position moves past them.
 *
 * A pattern is a JSON object mirroring the record's structure. Fields are ANDed; the leaf of a field is an array
 * of matchers, ORed:
 *   "x"  exact string           5  exact number          true / false        null  (the value null)
 *   {"prefix": "ab"}            {"suffix": ".png"}       {"equals-ignore-case": "Ab"}
 *   {"anything-but": "v" | ["v", 5] | {"prefix": "p"} | {"suffix": "s"} | {"equals-ignore-case": "v"}}
 *   {"numeric": ["=", 5]}  {"numeric": [">", 0, "<=", 10]}  (JSON numbers only: DynamoDB's N values are strings)
 *   {"exists": true}  {"exists": false}   (leaf values only, as in Lambda)
 * `"$or": [pattern, pattern, ...]` inside an object matches when any of its patterns does. Where the record holds an
 * array, the field matches when any element does. So `{"dynamodb": {"NewImage": {"status": {"S": ["open"]}}}}`
 * selects records whose new image has status "open".
 */

export class FilterPatternError extends Error {
  override readonly name = 'FilterPatternError';
}

type Scalar = string | number | boolean | null;

type Matcher =
  | { readonly kind: 'equals'; readonly value: Scalar }
  | { readonly kind: 'prefix' | 'suffix'; readonly value: string; readonly ignoreCase: boolean }
  | { readonly kind: 'equalsIgnoreCase'; readonly value: string }
  | { readonly kind: 'anythingBut'; readonly inner: readonly Matcher[] }
  | { readonly kind: 'numeric'; readonly conditions: readonly { readonly op: NumericOp; readonly value: number }[] }
  | { readonly kind: 'exists'; readonly value: boolean };

type NumericOp = '=' | '<' | '<=' | '>' | '>=';

type PatternNode =
  | { readonly kind: 'object'; readonly fields: readonly (readonly [string, PatternNode])[]; readonly alternatives: readonly PatternNode[][] }
  | { readonly kind: 'leaf'; readonly matchers: readonly Matcher[] };

export type RecordFilter = (record: unknown) => boolean;

const MAX_PATTERN_LENGTH = 4096;

function invalid(message: string): never {
  throw new FilterPatternError(`Invalid filter pattern definition: ${message}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isScalar(value: unknown): value is Scalar {
  return value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

function onlyKey(object: Record<string, unknown>, where: string): [string, unknown] {
  const entries = Object.entries(object);
  if (entries.length !== 1) invalid(`${where}: a matcher object holds exactly one operator`);
  return entries[0] as [string, unknown];
}

function stringOperand(operator: string, value: unknown): string {
  if (typeof value !== 'string') invalid(`"${operator}" takes a string`);
  return value;
}

function compileAffix(operator: 'prefix' | 'suffix', operand: unknown): Matcher {
  if (isObject(operand)) {
    const [inner, value] = onlyKey(operand, operator);
    if (inner !== 'equals-ignore-case') invalid(`"${operator}" takes a string or {"equals-ignore-case": "..."}`);
    return { kind: operator, value: stringOperand(inner, value), ignoreCase: true };
  }
  return { kind: operator, value: stringOperand(operator, operand), ignoreCase: false };
}

function compileNumeric(operand: unknown): Matcher {
  if (!Array.isArray(operand) || (operand.length !== 2 && operand.length !== 4)) invalid('"numeric" takes [op, number] or [op, number, op, number]');
  const conditions: { op: NumericOp; value: number }[] = [];
  for (let i = 0; i < operand.length; i += 2) {
    const op = operand[i] as unknown;
    const value = operand[i + 1] as unknown;
    if (op !== '=' && op !== '<' && op !== '<=' && op !== '>' && op !== '>=') invalid(`unknown numeric operator ${JSON.stringify(op)}`);
    if (typeof value !== 'number' || !Number.isFinite(value)) invalid('"numeric" compares with numbers');
    conditions.push({ op, value });
  }
  if (conditions.length === 2) {
    const [low, high] = conditions as [{ op: NumericOp; value: number }, { op: NumericOp; value: number }];
    if ((low.op !== '>' && low.op !== '>=') || (high.op !== '<' && high.op !== '<=')) {
      invalid('a numeric range is [">" or ">=", low, "<" or "<=", high]');
    }
    if (low.value > high.value) invalid('a numeric range starts below its end');
  }
  return { kind: 'numeric', conditions };
}

function compileAnythingBut(operand: unknown): Matcher {
  if (isScalar(operand) && operand !== null && typeof operand !== 'boolean') return { kind: 'anythingBut', inner: [{ kind: 'equals', value: operand }] };
  if (Array.isArray(operand)) {
    if (operand.length === 0) invalid('"anything-but" takes a non-empty list');
    return {
      kind: 'anythingBut',
      inner: operand.map((value: unknown) => {
        if (typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value))) invalid('"anything-but" lists strings or numbers');
        return { kind: 'equals', value } as const;
      }),
    };
  }
  if (isObject(operand)) {
    const [operator, value] = onlyKey(operand, 'anything-but');
    if (operator === 'prefix' || operator === 'suffix') return { kind: 'anythingBut', inner: [compileAffix(operator, value)] };
    if (operator === 'equals-ignore-case') {
      const values = Array.isArray(value) ? value : [value];
      return { kind: 'anythingBut', inner: values.map((one: unknown) => ({ kind: 'equalsIgnoreCase', value: stringOperand(operator, one) }) as const) };
    }
    invalid(`"anything-but" does not take "${operator}"`);
  }
  return invalid('"anything-but" takes a string, a number, a list, or {"prefix" | "suffix" | "equals-ignore-case": ...}');
}

function compileMatcher(value: unknown, field: string): Matcher {
  if (isScalar(value)) return { kind: 'equals', value };
  if (!isObject(value)) invalid(`${field}: a matcher is a string, a number, a boolean, null or an operator object`);
  const [operator, operand] = onlyKey(value, field);
  switch (operator) {
    case 'prefix':
    case 'suffix':
      return compileAffix(operator, operand);
    case 'equals-ignore-case':
      return { kind: 'equalsIgnoreCase', value: stringOperand(operator, operand) };
    case 'anything-but':
      return compileAnythingBut(operand);
    case 'numeric':
      return compileNumeric(operand);
    case 'exists':
      if (typeof operand !== 'boolean') invalid('"exists" takes true or false');
      return { kind: 'exists', value: operand };
    default:
      return invalid(`${field}: unsupported operator "${operator}"`);
  }
}

function compileObject(pattern: Record<string, unknown>, path: string): PatternNode {
  const fields: [string, PatternNode][] = [];
  const alternatives: PatternNode[][] = [];
  for (const [key, value] of Object.entries(pattern)) {
    const where = path === '' ? key : `${path}.${key}`;
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2) invalid(`${where}: "$or" takes a list of at least two patterns`);
      alternatives.push(
        value.map((alternative: unknown) => {
          if (!isObject(alternative)) invalid(`${where}: each "$or" alternative is an object`);
          return compileObject(alternative, path);
        }),
      );
    } else if (Array.isArray(value)) {
      if (value.length === 0) invalid(`${where}: a field's matcher list is empty`);
      fields.push([key, { kind: 'leaf', matchers: value.map((matcher: unknown) => compileMatcher(matcher, where)) }]);
    } else if (isObject(value)) {
      fields.push([key, compileObject(value, where)]);
    } else {
      invalid(`${where}: a field holds an object or a list of matchers, not ${JSON.stringify(value)}`);
    }
  }
  return { kind: 'object', fields, alternatives };
}

/** Parses and checks one pattern (its JSON text, as FilterCriteria carries it). */
export function compilePattern(text: string): PatternNode {
  if (text.length > MAX_PATTERN_LENGTH) invalid(`a pattern is at most ${MAX_PATTERN_LENGTH} characters`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return invalid(`not JSON: ${text}`);
  }
  if (!isObject(parsed)) invalid('a pattern is a JSON object');
  return compileObject(parsed, '');
}

function matchesScalar(matcher: Matcher, value: unknown): boolean {
  switch (matcher.kind) {
    case 'equals':
      return value === matcher.value;
    case 'prefix':
      if (typeof value !== 'string') return false;
      return matcher.ignoreCase ? value.toLowerCase().startsWith(matcher.value.toLowerCase()) : value.startsWith(matcher.value);
    case 'suffix':
      if (typeof value !== 'string') return false;
      return matcher.ignoreCase ? value.toLowerCase().endsWith(matcher.value.toLowerCase()) : value.endsWith(matcher.value);
    case 'equalsIgnoreCase':
      return typeof value === 'string' && value.toLowerCase() === matcher.value.toLowerCase();
    case 'anythingBut':
      if (value === null || typeof value === 'boolean') return false;
      if (matcher.inner.some((inner) => inner.kind !== 'equals') && typeof value !== 'string') return false;
      return !matcher.inner.some((inner) => matchesScalar(inner, value));
    case 'numeric':
      return typeof value === 'number' && matcher.conditions.every((condition) => compare(value, condition.op, condition.value));
    case 'exists':
      return matcher.value;
  }
}

function compare(value: number, op: NumericOp, operand: number): boolean {
  switch (op) {
    case '=':
      return value === operand;
    case '<':
      return value < operand;
    case '<=':
      return value <= operand;
    case '>':
      return value > operand;
    case '>=':
      return value >= operand;
  }
}

function matchesLeaf(matchers: readonly Matcher[], value: unknown, present: boolean): boolean {
  if (!present) return matchers.some((matcher) => matcher.kind === 'exists' && !matcher.value);
  // Matchers apply to leaf values; an object in that place matches nothing (not even exists), as in Lambda.
  if (isObject(value)) return false;
  if (Array.isArray(value)) {
    const leaves = value.filter((element) => !isObject(element) && !Array.isArray(element));
    return leaves.some((element) => matchers.some((matcher) => matchesScalar(matcher, element)));
  }
  return matchers.some((matcher) => matchesScalar(matcher, value));
}

function matchesNode(node: PatternNode, value: unknown, present: boolean): boolean {
  if (node.kind === 'leaf') return matchesLeaf(node.matchers, value, present);
  if (Array.isArray(value)) return value.some((element) => matchesNode(node, element, true));
  const object = isObject(value) ? value : undefined;
  for (const [key, child] of node.fields) {
    const childPresent = object !== undefined && Object.hasOwn(object, key);
    if (!matchesNode(child, childPresent ? object[key] : undefined, childPresent)) return false;
  }
  for (const alternatives of node.alternatives) {
    if (!alternatives.some((alternative) => matchesNode(alternative, value, present))) return false;
  }
  return true;
}

/** The filter of a trigger: any pattern matching lets a record through; no patterns let every record through. */
export function compileFilterCriteria(patterns: readonly string[]): RecordFilter {
  if (patterns.length === 0) return () => true;
  const nodes = patterns.map(compilePattern);
  return (record) => nodes.some((node) => matchesNode(node, record, true));
}
