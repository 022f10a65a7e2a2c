/**
 * Phase 1 of attribute value validation (phase 2, the semantics, is validate-attribute-value.ts): the JSON type
 * check DynamoDB's deserializer does before any validation. A member of the wrong JSON type (`{"S": 5}`,
 * `{"SS": "a"}`, `{"M": []}`, `{"BOOL": "true"}`, bad base64) is a SerializationException, worded after the Java
 * (Jackson) types DynamoDB deserializes into. It walks values of any depth without overflowing the call stack.
 */
import { serializationError } from '../errors.js';
import { isCanonicalBase64 } from './base64.js';

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
