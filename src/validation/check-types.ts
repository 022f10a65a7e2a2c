/**
 * Phase 1 of request validation: the JSON type of every member DynamoDB knows, as its deserializer sees it. A
 * mismatch is a SerializationException whose text comes from DynamoDB's (Java) deserializer, so the texts name
 * Java types. Members DynamoDB does not know are ignored, as DynamoDB ignores them.
 *
 * The deserializer reads the document in order, so the first bad member *in the document* is the one reported:
 * this walks the request's own keys, not the schema's.
 *
 * Two lenient conversions DynamoDB performs are applied in place, so operations see the converted value:
 * booleans sent as the strings true/false/yes/no/1/0 (any case), and fractional numbers for integer members
 * (truncated, as a Java cast does).
 */
import { serializationError } from '../errors.js';
import { checkAttributeValueShape } from '../model/attribute-value-shape.js';
import type { MemberSchema, StructureSchema } from './schema.js';

const START_OF_STRUCTURE = 'Start of structure or map found where not expected';
const UNEXPECTED_FIELD = 'Unexpected field type';
const UNEXPECTED_VALUE = 'Unexpected value type in payload';
// What DynamoDB's deserializer says when a scalar arrives where a list or map nested in a collection was expected
// (BatchGetItem Keys entries, BatchWriteItem RequestItems values): an internal cast failure, leaked verbatim.
const PARAMETERIZED_CAST =
  'class sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl cannot be cast to class java.lang.Class ' +
  '(sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl and java.lang.Class are in module java.base of ' +
  "loader 'bootstrap')";
const MODEL_PACKAGE = 'com.amazonaws.dynamodb.v20120810.';
const ATTRIBUTE_VALUE_CLASS = MODEL_PACKAGE + 'AttributeValue';

/**
 * Where a value sits: a named member of a structure (`field`) or an element of a list / value of a map
 * (`element`). DynamoDB words some mismatches differently for the two.
 */
type Position = 'field' | 'element';

/** Checks the members of a structure-shaped object (the request body itself, or a nested structure). */
export function checkStructureMembers(
  object: Record<string, unknown>,
  members: StructureSchema['members'],
  path: string,
): void {
  for (const name in object) {
    const schema = members[name];
    if (schema === undefined) continue;
    const value = object[name];
    if (value === null || value === undefined) continue;
    const converted = checkType(value, schema, 'field', path === '' ? name : `${path}.${name}`);
    if (converted !== value) object[name] = converted;
  }
}

/** Returns the value, or its converted form (see the module comment). */
function checkType(value: unknown, schema: MemberSchema, position: Position, path: string): unknown {
  switch (schema.type) {
    case 'string':
      return checkString(value);
    case 'boolean':
      return checkBoolean(value);
    case 'integer':
      return checkInteger(value, 'Integer');
    case 'long':
      return checkInteger(value, 'Long');
    case 'blob':
      return checkBlob(value);
    case 'list':
      checkList(value, schema.member, position, path);
      return value;
    case 'map':
      checkMap(value, schema.value, `${schema.javaValueType}`, position, path);
      return value;
    case 'attributeMap':
      checkMap(value, undefined, ATTRIBUTE_VALUE_CLASS, position, path);
      return value;
    case 'structure':
      if (typeof value !== 'object') throw serializationError(position === 'field' ? UNEXPECTED_FIELD : UNEXPECTED_VALUE);
      if (Array.isArray(value)) throw serializationError(`Unrecognized collection type class ${MODEL_PACKAGE}${schema.name}`);
      checkStructureMembers(value as Record<string, unknown>, schema.members, path);
      return value;
    case 'attributeValue':
      checkAttributeValueShape(value, position === 'field' ? 'field' : 'value');
      return value;
  }
}

function numberToken(value: number): string {
  return Number.isInteger(value) ? 'NUMBER_VALUE' : 'DECIMAL_VALUE';
}

function checkString(value: unknown): unknown {
  switch (typeof value) {
    case 'string':
      return value;
    case 'boolean':
      throw serializationError(`${value ? 'TRUE_VALUE' : 'FALSE_VALUE'} cannot be converted to String`);
    case 'number':
      throw serializationError(`${numberToken(value)} cannot be converted to String`);
    default:
      if (Array.isArray(value)) throw serializationError('Unrecognized collection type class java.lang.String');
      throw serializationError(START_OF_STRUCTURE);
  }
}

const TRUE_STRINGS = new Set(['TRUE', '1', 'YES']);
const FALSE_STRINGS = new Set(['FALSE', '0', 'NO']);

function checkBoolean(value: unknown): unknown {
  switch (typeof value) {
    case 'boolean':
      return value;
    case 'number':
      throw serializationError(`${numberToken(value)} cannot be converted to Boolean`);
    case 'string': {
      // DynamoDB's deserializer converts these strings rather than rejecting them.
      const upper = value.toUpperCase();
      if (TRUE_STRINGS.has(upper)) return true;
      if (FALSE_STRINGS.has(upper)) return false;
      throw serializationError('Unexpected token received from parser');
    }
    default:
      if (Array.isArray(value)) throw serializationError('Unrecognized collection type class java.lang.Boolean');
      throw serializationError(START_OF_STRUCTURE);
  }
}

// Java's int and long ranges. A JSON number beyond them cannot become the Java member.
const INT_MIN = -2147483648;
const INT_MAX = 2147483647;
const LONG_LIMIT = 2 ** 63;

function checkInteger(value: unknown, javaType: 'Integer' | 'Long'): unknown {
  switch (typeof value) {
    case 'number': {
      const truncated = Math.trunc(value);
      const inRange =
        javaType === 'Integer' ? truncated >= INT_MIN && truncated <= INT_MAX : Math.abs(truncated) < LONG_LIMIT;
      // Not a documented text: DynamoDB's own answer for out-of-range integers is unverified; this keeps the
      // deserializer's wording for a number that cannot become the member.
      if (!inRange || !Number.isFinite(truncated)) {
        throw serializationError(`${numberToken(value)} cannot be converted to ${javaType}`);
      }
      return truncated === value ? value : truncated;
    }
    case 'boolean':
      throw serializationError(`${value ? 'TRUE_VALUE' : 'FALSE_VALUE'} cannot be converted to ${javaType}`);
    case 'string':
      throw serializationError(`STRING_VALUE cannot be converted to ${javaType}`);
    default:
      if (Array.isArray(value)) throw serializationError(`Unrecognized collection type class java.lang.${javaType}`);
      throw serializationError(START_OF_STRUCTURE);
  }
}

const BASE64_CHARS = /^[A-Za-z0-9+/]*={0,2}$/;

function checkBlob(value: unknown): unknown {
  switch (typeof value) {
    case 'string':
      if (value.length % 4 !== 0) {
        throw serializationError(`Base64 encoded length is expected a multiple of 4 bytes but found: ${value.length}`);
      }
      // DynamoDB's decoder rejects stray characters and non-canonical final characters with one text
      // (including its spelling of "detected").
      if (!BASE64_CHARS.test(value) || Buffer.from(value, 'base64').toString('base64') !== value) {
        throw serializationError('Invalid last non-pad Base64 character dectected');
      }
      return value;
    case 'boolean':
    case 'number':
      throw serializationError('only base-64-encoded strings are convertible to bytes');
    default:
      if (Array.isArray(value)) throw serializationError('Unrecognized collection type class java.nio.ByteBuffer');
      throw serializationError(START_OF_STRUCTURE);
  }
}

function checkList(value: unknown, member: MemberSchema, position: Position, path: string): void {
  if (typeof value !== 'object') throw serializationError(position === 'field' ? UNEXPECTED_FIELD : PARAMETERIZED_CAST);
  if (!Array.isArray(value)) throw serializationError(START_OF_STRUCTURE);
  let nulls = 0;
  for (let i = 0; i < value.length; i++) {
    const element: unknown = value[i];
    if (element === null || element === undefined) {
      nulls++;
      continue;
    }
    const converted = checkType(element, member, 'element', `${path}.${i}`);
    if (converted !== element) value[i] = converted;
  }
  // A null element is dropped, as a null structure member is: what follows sees only real elements (and, where a
  // count matters, DynamoDB's count message for what is left).
  if (nulls > 0) {
    let kept = 0;
    for (const element of value) if (element !== null && element !== undefined) value[kept++] = element;
    value.length = kept;
  }
}

/** `valueSchema` undefined means a map of AttributeValues. */
function checkMap(
  value: unknown,
  valueSchema: MemberSchema | undefined,
  javaValueType: string,
  position: Position,
  path: string,
): void {
  if (typeof value !== 'object') throw serializationError(position === 'field' ? UNEXPECTED_FIELD : PARAMETERIZED_CAST);
  if (Array.isArray(value)) {
    throw serializationError(`Unrecognized collection type java.util.Map<java.lang.String, ${javaValueType}>`);
  }
  const object = value as Record<string, unknown>;
  for (const key in object) {
    const entry = object[key];
    if (entry === null || entry === undefined) {
      // A null attribute value is an AttributeValue with no type set (validation reports it as empty); any other
      // null map value is dropped, like a null structure member.
      if (valueSchema === undefined) object[key] = {};
      else delete object[key];
      continue;
    }
    if (valueSchema === undefined) {
      checkAttributeValueShape(entry, 'value');
      continue;
    }
    const converted = checkType(entry, valueSchema, 'element', `${path}.${key}`);
    if (converted !== entry) object[key] = converted;
  }
}
