/**
 * Validation of attribute values, in DynamoDB's two phases:
 *
 * 1. `checkAttributeValueShape` (attribute-value-shape.ts): the JSON type check DynamoDB's deserializer does
 *    before any validation, a SerializationException.
 * 2. `validateAttributeValue` / `validateItem` (here): the semantic checks (exactly one type, valid numbers,
 *    non-empty sets without duplicates, NULL is true, nesting depth, attribute names of 1 to 65,535 bytes), each a
 *    ValidationException with DynamoDB's exact text. They return the value normalized (numbers in canonical form,
 *    also inside NS, M and L); when nothing needed normalizing they return the very object they were given, so
 *    the common case allocates nothing.
 *
 * Every item, key and value of every operation passes both, phase 1 in request validation and phase 2 in the
 * operation's checks, before anything else walks it; both hold at any input depth (phase 1 keeps a stack of its
 * own below 64 levels, phase 2 stops at level 33), so no later walk meets a value nested deeper than 32 levels.
 *
 * Context the caller adds: the current layer's PutItem / UpdateItem / DeleteItem wrap number and attribute name
 * errors as `1 validation error detected: <message>`, and an ExpressionAttributeValues error is wrapped as
 * `ExpressionAttributeValues contains invalid value: <message> for key <name>` (in the current layer, not a number
 * error: see isLayerWordedMessage). These functions throw the bare message; the
 * request validator re-wraps it where the operation calls for it.
 */
import { validationError } from '../errors.js';
import type { AttributeMap, AttributeValue } from './attribute-value.js';
import { normalizeNumber, type ValueLayer } from './decimal.js';
import { utf8Length } from './utf8.js';

export type { ValueLayer } from './decimal.js';

/** DynamoDB nests documents at most 32 levels deep; a top-level attribute value is level 1. */
export const MAX_NESTING_DEPTH = 32;

const INVALID = 'One or more parameter values were invalid: ';
export const EMPTY_VALUE_MESSAGE =
  'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes';
export const MULTIPLE_TYPES_MESSAGE =
  'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes';
export const NESTING_MESSAGE =
  'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit';
export const NULL_NOT_TRUE_MESSAGE = `${INVALID}Null attribute value types must have the value of true`;
// DynamoDB's own words, double space and "An string" included; the binary set has a message of its own.
export const EMPTY_STRING_SET_MESSAGE = `${INVALID}An string set  may not be empty`;
export const EMPTY_NUMBER_SET_MESSAGE = `${INVALID}An number set  may not be empty`;
export const EMPTY_BINARY_SET_MESSAGE = `${INVALID}Binary sets should not be empty`;
/**
 * Whether a message is about a number, which the two value layers word differently and the current layer reports
 * without the `ExpressionAttributeValues contains invalid value` wrapper (and, in PutItem, UpdateItem and
 * DeleteItem, inside the `1 validation error detected: ` envelope). A duplicate set member is not among them: it
 * is answered bare, in the form most regions give (see duplicatesMessage).
 */
export function isLayerWordedMessage(message: string): boolean {
  return LAYER_WORDED.test(message);
}

const LAYER_WORDED = /^(The parameter cannot be converted to a numeric value|Number overflow|Number underflow|Attempting to store more than 38)/;

/** Attribute names are 1 to 65,535 bytes long (UTF-8). */
export const MAX_ATTRIBUTE_NAME_BYTES = 65535;
export const EMPTY_ATTRIBUTE_NAME_MESSAGE = 'Empty attribute name';
export const ATTRIBUTE_NAME_TOO_LARGE_MESSAGE = 'Attribute name is too large, must be less than 65536 bytes';

// ---------------------------------------------------------------------------------------------------------------
// Phase 2: semantics (ValidationException)
// ---------------------------------------------------------------------------------------------------------------

/**
 * How DynamoDB renders a string or binary set that has a duplicate: its members as sent, unquoted (no space before
 * "of type BS": DynamoDB's text). DynamoDB's regions answer this in two forms today: most with this one, bare,
 * and some (rolled out since 2026) with the members sorted and quoted inside `1 validation error detected: `;
 * Cairn answers the form most regions give (dynalite's tests, run against DynamoDB, record it too). A public
 * conformance suite that runs against several regions accepts either.
 */
function duplicatesMessage(type: 'SS' | 'BS', members: readonly string[]): string {
  const suffix = type === 'BS' ? 'of type BS contains duplicates.' : ' contains duplicates.';
  return `${INVALID}Input collection [${members.join(', ')}]${suffix}`;
}

/** The index of the first member equal to an earlier one, or -1. */
function firstRepeat(members: readonly string[]): number {
  const count = members.length;
  if (count < 2) return -1;
  if (count === 2) return members[0] === members[1] ? 1 : -1;
  const seen = new Set<string>();
  for (let i = 0; i < count; i++) {
    const member = members[i] as string;
    if (seen.has(member)) return i;
    seen.add(member);
  }
  return -1;
}

function validateStringSet(members: readonly unknown[]): void {
  if (members.length === 0) throw validationError(EMPTY_STRING_SET_MESSAGE);
  // Empty strings are allowed as members (they are not allowed as key values).
  for (const member of members) if (typeof member !== 'string') throw validationError(EMPTY_VALUE_MESSAGE);
  const strings = members as readonly string[];
  if (firstRepeat(strings) >= 0) throw validationError(duplicatesMessage('SS', strings));
}

function validateBinarySet(members: readonly unknown[]): void {
  if (members.length === 0) throw validationError(EMPTY_BINARY_SET_MESSAGE);
  for (const member of members) if (typeof member !== 'string') throw validationError(EMPTY_VALUE_MESSAGE);
  // Canonical base64 (checked in phase 1) is unique per byte sequence, so equal bytes means equal strings.
  const strings = members as readonly string[];
  if (firstRepeat(strings) >= 0) throw validationError(duplicatesMessage('BS', strings));
}

/** Validates and normalizes the members of a number set; returns the same array when all were canonical. */
function validateNumberSet(members: readonly unknown[], layer: ValueLayer): readonly string[] {
  if (members.length === 0) throw validationError(EMPTY_NUMBER_SET_MESSAGE);
  let normalized: string[] | undefined;
  for (let i = 0; i < members.length; i++) {
    const member = members[i];
    const text = normalizeNumber(typeof member === 'string' ? member : '', layer);
    if (text !== member) {
      normalized ??= members.slice(0, i) as string[];
    }
    if (normalized !== undefined) normalized.push(text);
  }
  const numbers = normalized ?? (members as readonly string[]);
  // Duplicates are numeric: "1" and "1.0" are the same member. DynamoDB names no members here.
  if (firstRepeat(numbers) >= 0) {
    throw validationError(
      layer === 'legacy' ? 'Input collection contains duplicates' : `${INVALID}Input collection contains duplicates.`,
    );
  }
  return numbers;
}

/**
 * The first bad attribute name met inside a value's maps (`{"M": {"": ...}}`). DynamoDB reports such a name only
 * once the whole value (or item) has passed its other checks (a value nested too deep elsewhere in the item wins
 * over an empty map key), so the walk notes it here and the caller throws it at the end.
 */
interface NestedNames {
  problem?: string;
}

function validateList(
  list: readonly unknown[],
  depth: number,
  layer: ValueLayer,
  names: NestedNames,
): readonly AttributeValue[] {
  let normalized: AttributeValue[] | undefined;
  for (let i = 0; i < list.length; i++) {
    const element = list[i] as AttributeValue;
    const result = validateValue(element, depth + 1, layer, names);
    if (result !== element) normalized ??= list.slice(0, i) as AttributeValue[];
    if (normalized !== undefined) normalized.push(result);
  }
  return normalized ?? (list as readonly AttributeValue[]);
}

/** `checkNames` false: the names were checked already (an item's own, which validateItem checks first). */
function validateMap(map: AttributeMap, depth: number, layer: ValueLayer, names: NestedNames, checkNames = true): AttributeMap {
  let normalized: Record<string, AttributeValue> | undefined;
  for (const name in map) {
    if (checkNames && names.problem === undefined) names.problem = attributeNameProblem(name);
    const value = map[name] as AttributeValue;
    const result = validateValue(value, depth, layer, names);
    if (result !== value && normalized === undefined) normalized = { ...map };
    if (normalized !== undefined) normalized[name] = result;
  }
  return normalized ?? map;
}

/**
 * An attribute name DynamoDB refuses, wherever it sits (an item, a key, a map inside a value, an
 * ExpressionAttributeNames value): empty, or over 65,535 bytes of UTF-8 (DynamoDB's limit is "64 KB", and its
 * message names the first size refused).
 */
export function attributeNameProblem(name: string): string | undefined {
  if (name.length === 0) return EMPTY_ATTRIBUTE_NAME_MESSAGE;
  // Up to 3 UTF-8 bytes per UTF-16 unit: short names skip the exact count.
  if (name.length * 3 > MAX_ATTRIBUTE_NAME_BYTES && utf8Length(name) > MAX_ATTRIBUTE_NAME_BYTES) {
    return ATTRIBUTE_NAME_TOO_LARGE_MESSAGE;
  }
  return undefined;
}

/**
 * Validates one AttributeValue (already shape-checked) at nesting level `depth` (1 for a top-level attribute) and
 * returns it normalized; a bad name in one of its maps is reported after everything else in it.
 */
export function validateAttributeValue(
  value: AttributeValue,
  depth = 1,
  layer: ValueLayer = 'current',
): AttributeValue {
  const names: NestedNames = {};
  const result = validateValue(value, depth, layer, names);
  if (names.problem !== undefined) throw validationError(names.problem);
  return result;
}

/**
 * Checks, in DynamoDB's order: nesting depth; then each type member's content (numbers, NULL, empty sets, set
 * members, duplicates, nested values); then that exactly one type is set. The depth is checked first, so the
 * recursion never goes deeper than the limit, whatever the input's depth.
 */
function validateValue(value: AttributeValue, depth: number, layer: ValueLayer, names: NestedNames): AttributeValue {
  if (depth > MAX_NESTING_DEPTH) throw validationError(NESTING_MESSAGE);
  if (value === null || value === undefined) throw validationError(EMPTY_VALUE_MESSAGE);
  const members = value as unknown as Record<string, unknown>;
  let types = 0;
  let knownType = '';
  let extraneous = false;
  let normalized: AttributeValue | undefined;
  for (const type in members) {
    const member = members[type];
    if (member === null || member === undefined) {
      extraneous = true;
      continue;
    }
    switch (type) {
      case 'S':
      case 'B':
      case 'BOOL':
        types++;
        break;
      case 'N': {
        types++;
        const text = normalizeNumber(member as string, layer);
        if (text !== member) normalized = { N: text };
        break;
      }
      case 'NULL':
        types++;
        if (member !== true) throw validationError(NULL_NOT_TRUE_MESSAGE);
        break;
      case 'SS':
        types++;
        validateStringSet(member as readonly unknown[]);
        break;
      case 'BS':
        types++;
        validateBinarySet(member as readonly unknown[]);
        break;
      case 'NS': {
        types++;
        const numbers = validateNumberSet(member as readonly unknown[], layer);
        if (numbers !== member) normalized = { NS: numbers };
        break;
      }
      case 'L': {
        types++;
        const list = validateList(member as readonly unknown[], depth, layer, names);
        if (list !== member) normalized = { L: list };
        break;
      }
      case 'M': {
        types++;
        const map = validateMap(member as AttributeMap, depth + 1, layer, names);
        if (map !== member) normalized = { M: map };
        break;
      }
      default:
        // Unknown members are dropped by DynamoDB's deserializer: `{"a": ""}` is an empty AttributeValue.
        extraneous = true;
        continue;
    }
    knownType = type;
  }
  if (types === 0) throw validationError(EMPTY_VALUE_MESSAGE);
  if (types > 1) throw validationError(MULTIPLE_TYPES_MESSAGE);
  if (normalized !== undefined) return normalized;
  // Never store what DynamoDB would have dropped (unknown or null members next to the real one).
  if (extraneous) return { [knownType]: members[knownType] } as unknown as AttributeValue;
  return value;
}

/**
 * Validates every attribute of an item (or of a Key, or ExpressionAttributeValues: any map of top-level values)
 * and returns it normalized; the same object when nothing changed.
 */
export function validateItem(item: AttributeMap, layer: ValueLayer = 'current'): AttributeMap {
  // The item's own attribute names come before any of its values (an empty name wins over a value nested too
  // deep, wherever each sits); names inside its values come after them.
  for (const name in item) {
    const problem = attributeNameProblem(name);
    if (problem !== undefined) throw validationError(problem);
  }
  const names: NestedNames = {};
  const result = validateMap(item, 1, layer, names, false);
  if (names.problem !== undefined) throw validationError(names.problem);
  return result;
}

/**
 * Whether `value`, at nesting level `depth`, holds anything deeper than the limit. The walk stops at the first
 * level past it, so its recursion is bounded whatever the value.
 */
function nestsTooDeep(value: AttributeValue, depth: number): boolean {
  if (depth > MAX_NESTING_DEPTH) return true;
  if ('L' in value) {
    for (const element of value.L) if (nestsTooDeep(element, depth + 1)) return true;
  } else if ('M' in value) {
    for (const name in value.M) if (nestsTooDeep(value.M[name] as AttributeValue, depth + 1)) return true;
  }
  return false;
}

/**
 * The nesting limit on the result of an update (a value set at a nested path can end up deeper than 32 levels
 * although each value in the request was within the limit). Only the attributes the update replaced are walked:
 * an unchanged attribute is the very same value as before.
 */
export function assertUpdateNesting(item: AttributeMap, before: AttributeMap | undefined): void {
  for (const name in item) {
    const value = item[name] as AttributeValue;
    if (before !== undefined && before[name] === value) continue;
    if (nestsTooDeep(value, 1)) throw validationError(NESTING_MESSAGE);
  }
}
