/**
 * Validation of attribute values, in DynamoDB's two phases:
 *
 * 1. `checkAttributeValueShape`: the JSON type check DynamoDB's deserializer does before any validation. A member
 *    of the wrong JSON type (`{"S": 5}`, `{"SS": "a"}`, `{"M": []}`, `{"BOOL": "true"}`, bad base64) is a
 *    SerializationException, worded after the Java (Jackson) types DynamoDB deserializes into.
 * 2. `validateAttributeValue` / `validateItem`: the semantic checks (exactly one type, valid numbers, non-empty
 *    sets without duplicates, NULL is true, nesting depth), each a ValidationException with DynamoDB's exact
 *    text. They return the value normalized (numbers in canonical form, also inside NS, M and L); when nothing
 *    needed normalizing they return the very object they were given, so the common case allocates nothing.
 *
 * Context the caller adds: the current layer's PutItem / UpdateItem / DeleteItem wrap number and duplicate errors
 * as `1 validation error detected: <message>`, and the legacy layer wraps an ExpressionAttributeValues error as
 * `ExpressionAttributeValues contains invalid value: <message> for key <name>`. These functions throw the bare
 * message; the request validator re-wraps it where the operation calls for it.
 */
import { serializationError, validationError } from '../errors.js';
import type { AttributeMap, AttributeValue } from './attribute-value.js';
import { isCanonicalBase64 } from './base64.js';
import { normalizeNumber, type ValueLayer } from './decimal.js';

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
 * Checks the JSON shape of one AttributeValue (recursively through L and M), throwing DynamoDB's
 * SerializationException for the first member of the wrong JSON type. `null` members count as absent, and
 * members DynamoDB does not know are ignored, as its deserializer does.
 */
export function checkAttributeValueShape(value: unknown, position: ValuePosition = 'value'): void {
  if (value === null || value === undefined) return;
  if (typeof value !== 'object') {
    throw serializationError(position === 'value' ? 'Unexpected value type in payload' : UNEXPECTED_FIELD_TYPE);
  }
  if (Array.isArray(value)) {
    throw serializationError('Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue');
  }
  const members = value as Record<string, unknown>;
  for (const type in members) {
    const member = members[type];
    switch (type) {
      case 'S':
      case 'N':
        checkStringMember(member);
        break;
      case 'B':
        checkBlobMember(member);
        break;
      case 'BOOL':
      case 'NULL':
        checkBooleanMember(member);
        break;
      case 'SS':
      case 'NS': {
        const list = checkListMember(member);
        if (list !== undefined) for (const element of list) checkStringMember(element);
        break;
      }
      case 'BS': {
        const list = checkListMember(member);
        if (list !== undefined) for (const element of list) checkBlobMember(element);
        break;
      }
      case 'L': {
        const list = checkListMember(member);
        if (list !== undefined) for (const element of list) checkAttributeValueShape(element, 'value');
        break;
      }
      case 'M':
        checkAttributeMapShape(member);
        break;
      default:
        break;
    }
  }
}

/**
 * Checks that a map of attribute values (an Item, a Key, ExpressionAttributeValues, an M) is a JSON object and
 * that each value has the shape of an AttributeValue.
 */
export function checkAttributeMapShape(value: unknown): void {
  if (value === null || value === undefined) return;
  if (typeof value !== 'object') throw serializationError(UNEXPECTED_FIELD_TYPE);
  if (Array.isArray(value)) {
    throw serializationError(
      'Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>',
    );
  }
  const map = value as Record<string, unknown>;
  for (const name in map) checkAttributeValueShape(map[name], 'value');
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

function validateList(list: readonly unknown[], depth: number, layer: ValueLayer): readonly AttributeValue[] {
  let normalized: AttributeValue[] | undefined;
  for (let i = 0; i < list.length; i++) {
    const element = list[i] as AttributeValue;
    const result = validateAttributeValue(element, depth + 1, layer);
    if (result !== element) normalized ??= list.slice(0, i) as AttributeValue[];
    if (normalized !== undefined) normalized.push(result);
  }
  return normalized ?? (list as readonly AttributeValue[]);
}

function validateMap(map: AttributeMap, depth: number, layer: ValueLayer): AttributeMap {
  let normalized: Record<string, AttributeValue> | undefined;
  for (const name in map) {
    const value = map[name] as AttributeValue;
    const result = validateAttributeValue(value, depth, layer);
    if (result !== value && normalized === undefined) normalized = { ...map };
    if (normalized !== undefined) normalized[name] = result;
  }
  return normalized ?? map;
}

/**
 * Validates one AttributeValue (already shape-checked) at nesting level `depth` (1 for a top-level attribute) and
 * returns it normalized. Checks, in DynamoDB's order: nesting depth; then each type member's content (numbers,
 * NULL, empty sets, set members, duplicates, nested values); then that exactly one type is set.
 */
export function validateAttributeValue(
  value: AttributeValue,
  depth = 1,
  layer: ValueLayer = 'current',
): AttributeValue {
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
        const list = validateList(member as readonly unknown[], depth, layer);
        if (list !== member) normalized = { L: list };
        break;
      }
      case 'M': {
        types++;
        const map = validateMap(member as AttributeMap, depth + 1, layer);
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
  return validateMap(item, 1, layer);
}
