/**
 * Validation of attribute values, in DynamoDB's two phases:
 *
 * 1. `checkAttributeValueShape`: the JSON type check DynamoDB's deserializer does before any validation. A member
 *    of the wrong JSON type (`{"S": 5}`, `{"SS": "a"}`, `{"M": []}`, `{"BOOL": "true"}`, bad base64) is a
 *    SerializationException, worded after the Java (Jackson) types DynamoDB deserializes into.
 * 2. `validateAttributeValue` / `validateItem`: the semantic checks (exactly one type, valid numbers, non-empty
 *    sets without duplicates, NULL is true, nesting depth, attribute names of 1 to 65,535 bytes), each a
 *    ValidationException with DynamoDB's exact text. They return the value normalized (numbers in canonical form, also inside NS, M and L); when nothing
 *    needed normalizing they return the very object they were given, so the common case allocates nothing.
 *
 * Every item, key and value of every operation passes here, phase 1 in request validation and phase 2 in the
 * operation's checks, before anything else walks it; both phases hold at any input depth (phase 1 keeps its own
 * stack, phase 2 stops at level 33), so no later walk meets a value nested deeper than 32 levels.
 *
 * Context the caller adds: the current layer's PutItem / UpdateItem / DeleteItem wrap number, duplicate and
 * attribute name errors as `1 validation error detected: <message>`, and an ExpressionAttributeValues error is
 * wrapped as `ExpressionAttributeValues contains invalid value: <message> for key <name>` (in the current layer,
 * not a number or duplicate error: see isLayerWordedMessage). These functions throw the bare
 * message; the request validator re-wraps it where the operation calls for it.
 */
import { serializationError, validationError } from '../errors.js';
import type { AttributeMap, AttributeValue } from './attribute-value.js';
import { isCanonicalBase64 } from './base64.js';
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
// Phase 1: JSON shapes (SerializationException)
// ---------------------------------------------------------------------------------------------------------------

const START_OF_STRUCTURE = 'Start of structure or map found where not expected';
const UNEXPECTED_FIELD_TYPE = 'Unexpected field type';

/**
 * Where an AttributeValue sits in the request, which changes the wording for a non-object:
 * - `value`: a map value or list element (Item.<name>, Key.<name>, ExpressionAttributeValues.<name>,
 *   L[i], M.<name>, AttributeValueList[i]) -> `Unexpected value type in payload`;
 * - `field`: a structure member (Expected.<name>.Value, AttributeUpdates.<name>.Value) -> `Unexpected field type`.
 */
export type ValuePosition = 'value' | 'field';

/** Jackson's name for a JSON number token: integral or not. */
function numberToken(value: number): string {
  return Number.isInteger(value) ? 'NUMBER_VALUE' : 'DECIMAL_VALUE';
}

function checkStringMember(value: unknown): void {
  switch (typeof value) {
    case 'string':
      return;
    case 'boolean':
      throw serializationError(`${value ? 'TRUE_VALUE' : 'FALSE_VALUE'} cannot be converted to String`);
    case 'number':
      throw serializationError(`${numberToken(value)} cannot be converted to String`);
    case 'object':
      if (value === null) return;
      throw serializationError(
        Array.isArray(value) ? 'Unrecognized collection type class java.lang.String' : START_OF_STRUCTURE,
      );
    default:
      return;
  }
}

function checkBooleanMember(value: unknown): void {
  switch (typeof value) {
    case 'boolean':
      return;
    case 'string':
      // Even "true": DynamoDB's parser wants a JSON boolean token here.
      throw serializationError('Unexpected token received from parser');
    case 'number':
      throw serializationError(`${numberToken(value)} cannot be converted to Boolean`);
    case 'object':
      if (value === null) return;
      throw serializationError(
        Array.isArray(value) ? 'Unrecognized collection type class java.lang.Boolean' : START_OF_STRUCTURE,
      );
    default:
      return;
  }
}

function checkBlobMember(value: unknown): void {
  switch (typeof value) {
    case 'string':
      if (value.length % 4 !== 0) {
        throw serializationError(`Base64 encoded length is expected a multiple of 4 bytes but found: ${value.length}`);
      }
      // "dectected" (sic) is DynamoDB's spelling.
      if (!isCanonicalBase64(value)) throw serializationError('Invalid last non-pad Base64 character dectected');
      return;
    case 'boolean':
    case 'number':
      throw serializationError('only base-64-encoded strings are convertible to bytes');
    case 'object':
      if (value === null) return;
      throw serializationError(
        Array.isArray(value) ? 'Unrecognized collection type class java.nio.ByteBuffer' : START_OF_STRUCTURE,
      );
    default:
      return;
  }
}

/** SS / NS / BS / L must be JSON arrays; returns the array, or undefined for null. */
function checkListMember(value: unknown): readonly unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (value === null || value === undefined) return undefined;
  throw serializationError(typeof value === 'object' ? START_OF_STRUCTURE : UNEXPECTED_FIELD_TYPE);
}

/**
 * What is left to check, in document order, below RECURSION_LIMIT levels. That walk keeps its own stack instead
 * of recursing, so that a value nested 100,000 levels deep (valid JSON, and JSON.parse takes it) is checked like
 * any other instead of overflowing the call stack: the depth limit is a validation rule, reported by phase 2.
 */
type ShapeTask =
  | { readonly kind: 'value'; readonly value: unknown; readonly position: ValuePosition }
  | { readonly kind: 'map'; readonly map: unknown }
  /** The entries of a map from `next` on (an entry holding L or M pauses it for its contents). */
  | { readonly kind: 'entries'; readonly entries: Readonly<Record<string, unknown>>; readonly names: readonly string[]; readonly next: number }
  /** The members of one AttributeValue from `next` on (a member holding L or M pauses it for its children). */
  | { readonly kind: 'members'; readonly members: Readonly<Record<string, unknown>>; readonly types: readonly string[]; readonly next: number };

/**
 * Checks the JSON shape of one AttributeValue (through L and M, at any depth), throwing DynamoDB's
 * SerializationException for the first member of the wrong JSON type. `null` members count as absent, and
 * members DynamoDB does not know are ignored, as its deserializer does.
 */
export function checkAttributeValueShape(value: unknown, position: ValuePosition = 'value'): void {
  checkValueShape(value, position, 1);
}

/**
 * Checks that a map of attribute values (an Item, a Key, ExpressionAttributeValues, an M) is a JSON object and
 * that each value has the shape of an AttributeValue.
 */
export function checkAttributeMapShape(value: unknown): void {
  checkMapShape(value, 1);
}

/**
 * Values of ordinary depth are walked by plain recursion (the fast way); below this many levels, the rest of a
 * value is walked with a stack of its own (runShapeTasks), so no input depth can overflow the call stack.
 */
const RECURSION_LIMIT = 64;

function checkValueShape(value: unknown, position: ValuePosition, depth: number): void {
  if (value === null || value === undefined) return;
  if (depth > RECURSION_LIMIT) {
    runShapeTasks([{ kind: 'value', value, position }]);
    return;
  }
  if (typeof value !== 'object') {
    throw serializationError(position === 'value' ? 'Unexpected value type in payload' : UNEXPECTED_FIELD_TYPE);
  }
  if (Array.isArray(value)) {
    throw serializationError('Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue');
  }
  const members = value as Record<string, unknown>;
  for (const type in members) {
    const member = members[type];
    if (type === 'L') {
      const list = checkListMember(member);
      if (list !== undefined) for (const element of list) checkValueShape(element, 'value', depth + 1);
    } else if (type === 'M') {
      checkMapShape(member, depth + 1);
    } else {
      checkScalarMember(type, member);
    }
  }
}

function checkMapShape(map: unknown, depth: number): void {
  if (map === null || map === undefined) return;
  if (depth > RECURSION_LIMIT) {
    runShapeTasks([{ kind: 'map', map }]);
    return;
  }
  if (typeof map !== 'object') throw serializationError(UNEXPECTED_FIELD_TYPE);
  if (Array.isArray(map)) {
    throw serializationError(
      'Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>',
    );
  }
  const entries = map as Record<string, unknown>;
  for (const name in entries) checkValueShape(entries[name], 'value', depth);
}

function runShapeTasks(stack: ShapeTask[]): void {
  for (let task = stack.pop(); task !== undefined; task = stack.pop()) {
    switch (task.kind) {
      case 'value': {
        const { value, position } = task;
        if (value === null || value === undefined) break;
        if (typeof value !== 'object') {
          throw serializationError(position === 'value' ? 'Unexpected value type in payload' : UNEXPECTED_FIELD_TYPE);
        }
        if (Array.isArray(value)) {
          throw serializationError('Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue');
        }
        const members = value as Record<string, unknown>;
        stack.push({ kind: 'members', members, types: Object.keys(members), next: 0 });
        break;
      }
      case 'map': {
        const { map } = task;
        if (map === null || map === undefined) break;
        if (typeof map !== 'object') throw serializationError(UNEXPECTED_FIELD_TYPE);
        if (Array.isArray(map)) {
          throw serializationError(
            'Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>',
          );
        }
        const entries = map as Record<string, unknown>;
        checkEntriesFrom(entries, Object.keys(entries), 0, stack);
        break;
      }
      case 'entries':
        checkEntriesFrom(task.entries, task.names, task.next, stack);
        break;
      case 'members':
        checkMembersFrom(task, stack);
        break;
    }
  }
}

/**
 * Checks the entries of a map from `from` on. Most values hold no L or M and are checked at once (no task is
 * allocated for them); one that does pauses the entries after it until its contents are checked.
 */
function checkEntriesFrom(
  entries: Readonly<Record<string, unknown>>,
  names: readonly string[],
  from: number,
  stack: ShapeTask[],
): void {
  for (let i = from; i < names.length; i++) {
    const value = entries[names[i] as string];
    if (checkFlatValue(value)) continue;
    if (i + 1 < names.length) stack.push({ kind: 'entries', entries, names, next: i + 1 });
    stack.push({ kind: 'value', value, position: 'value' });
    return;
  }
}

/**
 * Checks a map value holding no L or M completely and returns true; for one that holds an L or an M, checks the
 * members before it and returns false (the caller then checks the whole value, contents included).
 */
function checkFlatValue(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value !== 'object') throw serializationError('Unexpected value type in payload');
  if (Array.isArray(value)) {
    throw serializationError('Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue');
  }
  const members = value as Record<string, unknown>;
  for (const type in members) {
    const member = members[type];
    if ((type === 'L' || type === 'M') && member !== null && member !== undefined) return false;
    checkScalarMember(type, member);
  }
  return true;
}

/** Checks one member of an AttributeValue other than L and M (unknown members are ignored). */
function checkScalarMember(type: string, member: unknown): void {
  switch (type) {
    case 'S':
    case 'N':
      checkStringMember(member);
      return;
    case 'B':
      checkBlobMember(member);
      return;
    case 'BOOL':
    case 'NULL':
      checkBooleanMember(member);
      return;
    case 'SS':
    case 'NS': {
      const list = checkListMember(member);
      if (list !== undefined) for (const element of list) checkStringMember(element);
      return;
    }
    case 'BS': {
      const list = checkListMember(member);
      if (list !== undefined) for (const element of list) checkBlobMember(element);
      return;
    }
    default:
      return;
  }
}

/** Checks the members of one AttributeValue from `task.next` on, pausing (see ShapeTask) at an L or an M. */
function checkMembersFrom(task: Extract<ShapeTask, { kind: 'members' }>, stack: ShapeTask[]): void {
  const { members, types } = task;
  for (let i = task.next; i < types.length; i++) {
    const type = types[i] as string;
    const member = members[type];
    switch (type) {
      case 'L': {
        const list = checkListMember(member);
        if (list === undefined || list.length === 0) break;
        if (i + 1 < types.length) stack.push({ kind: 'members', members, types, next: i + 1 });
        for (let j = list.length - 1; j >= 0; j--) stack.push({ kind: 'value', value: list[j], position: 'value' });
        return;
      }
      case 'M':
        if (member === null || member === undefined) break;
        if (i + 1 < types.length) stack.push({ kind: 'members', members, types, next: i + 1 });
        stack.push({ kind: 'map', map: member });
        return;
      default:
        checkScalarMember(type, member);
        break;
    }
  }
}

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

function validateMap(map: AttributeMap, depth: number, layer: ValueLayer, names: NestedNames): AttributeMap {
  let normalized: Record<string, AttributeValue> | undefined;
  for (const name in map) {
    if (names.problem === undefined) names.problem = attributeNameProblem(name);
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
  const result = validateMap(item, 1, layer, names);
  if (names.problem !== undefined) throw validationError(names.problem);
  return result;
}
