/**
 * Phase 2 of request validation: every modelled constraint, collected in DynamoDB's order (members in schema
 * order; a member's own constraints before those of its children; list elements and map entries in document
 * order) into one ValidationException:
 *
 *   2 validation errors detected: Value 'a' at 'tableName' failed to satisfy constraint: Member must have
 *   length greater than or equal to 3; Value null at 'keySchema' failed to satisfy constraint: Member must not be null
 *
 * Paths are lowerCamelCase, list elements are `<list>.<1-based index>.member`, map values `<map>.<key>.member`.
 * DynamoDB lists at most ten violations, and the count it prints is the number it lists.
 */
import { validationError } from '../errors.js';
import { lowerFirst, quotedValue } from './render-value.js';
import type { Constraint, MemberSchema, StructureSchema } from './schema.js';

export const MAX_LISTED_ERRORS = 10;

const TABLE_NAME_PATTERN = '[a-zA-Z0-9_.-]+';
const TABLE_NAME_REGEX = /^[a-zA-Z0-9_.-]+$/;
const TABLE_ARN_MAX_LENGTH = 1024;

/** Throws the ValidationException listing every violated constraint of the request, if any. */
export function checkConstraints(body: Readonly<Record<string, unknown>>, members: StructureSchema['members']): void {
  const errors: string[] = [];
  checkMembers(body, members, '', errors);
  if (errors.length === 0) return;
  throw validationError(
    `${errors.length} validation error${errors.length === 1 ? '' : 's'} detected: ${errors.join('; ')}`,
  );
}

function checkMembers(
  object: Readonly<Record<string, unknown>>,
  members: StructureSchema['members'],
  parent: string,
  errors: string[],
): void {
  for (const name in members) {
    if (errors.length >= MAX_LISTED_ERRORS) return;
    const schema = members[name] as MemberSchema;
    checkMember(object[name], schema, parent === '' ? lowerFirst(name) : `${parent}.${lowerFirst(name)}`, errors);
  }
}

function checkMember(value: unknown, schema: MemberSchema, path: string, errors: string[]): void {
  if (value === null || value === undefined) {
    if (schema.required === true) push(errors, 'null', path, 'Member must not be null');
    return;
  }
  if (schema.constraints !== undefined) {
    for (const constraint of schema.constraints) {
      if (errors.length >= MAX_LISTED_ERRORS) return;
      checkConstraint(value, schema, constraint, path, errors);
    }
  }
  switch (schema.type) {
    case 'list':
      if (!Array.isArray(value)) return;
      for (let i = 0; i < value.length; i++) {
        if (errors.length >= MAX_LISTED_ERRORS) return;
        checkMember(value[i], schema.member, `${path}.${i + 1}.member`, errors);
      }
      return;
    case 'map': {
      const object = value as Readonly<Record<string, unknown>>;
      for (const key in object) {
        if (errors.length >= MAX_LISTED_ERRORS) return;
        checkMember(object[key], schema.value, `${path}.${key}.member`, errors);
      }
      return;
    }
    case 'structure':
      checkMembers(value as Readonly<Record<string, unknown>>, schema.members, path, errors);
      return;
    case 'string':
    case 'integer':
    case 'long':
    case 'boolean':
    case 'blob':
    case 'attributeValue':
    case 'attributeMap':
      return;
  }
}

function push(errors: string[], renderedValue: string, path: string, message: string): void {
  if (errors.length < MAX_LISTED_ERRORS) {
    errors.push(`Value ${renderedValue} at '${path}' failed to satisfy constraint: ${message}`);
  }
}

/** The number of entries of a list or map, or the length of a string, as DynamoDB's length constraints count. */
function lengthOf(value: unknown): number {
  if (typeof value === 'string' || Array.isArray(value)) return value.length;
  if (typeof value === 'object' && value !== null) {
    let count = 0;
    for (const _ in value) count++;
    return count;
  }
  return 0;
}

/** The message of a constraint that failed; undefined when it held. */
function violation(value: unknown, constraint: Constraint): string | undefined {
  switch (constraint.kind) {
    case 'minLength':
      return lengthOf(value) >= constraint.value
        ? undefined
        : `Member must have length greater than or equal to ${constraint.value}`;
    case 'maxLength':
      return lengthOf(value) <= constraint.value
        ? undefined
        : `Member must have length less than or equal to ${constraint.value}`;
    case 'minValue':
      return typeof value !== 'number' || value >= constraint.value
        ? undefined
        : `Member must have value greater than or equal to ${constraint.value}`;
    case 'maxValue':
      return typeof value !== 'number' || value <= constraint.value
        ? undefined
        : `Member must have value less than or equal to ${constraint.value}`;
    case 'enum':
      return typeof value === 'string' && constraint.values.includes(value)
        ? undefined
        : `Member must satisfy enum value set: [${constraint.values.join(', ')}]`;
    case 'pattern':
      return typeof value === 'string' && constraint.regex.test(value)
        ? undefined
        : `Member must satisfy regular expression pattern: ${constraint.source}`;
    case 'tableNameOrArn':
    case 'mapKeys':
    case 'mapValues':
      // Reported by checkConstraint, possibly several times.
      return undefined;
  }
}

function checkConstraint(
  value: unknown,
  schema: MemberSchema,
  constraint: Constraint,
  path: string,
  errors: string[],
): void {
  switch (constraint.kind) {
    case 'tableNameOrArn':
      for (const message of tableNameViolations(value, constraint.emptyMinimumOne)) {
        push(errors, quotedValue(value, schema), path, message);
      }
      return;
    case 'mapKeys':
      if (typeof value !== 'object' || value === null) return;
      for (const key in value) {
        const messages = keyConstraintMessages(key, constraint.constraints);
        if (messages !== undefined) {
          push(errors, quotedValue(value, schema), path, `Map keys must satisfy constraint: [${messages}]`);
        }
      }
      return;
    case 'mapValues': {
      if (typeof value !== 'object' || value === null) return;
      const object = value as Readonly<Record<string, unknown>>;
      for (const key in object) {
        if (constraint.constraints.some((c) => violation(object[key], c) !== undefined)) {
          // DynamoDB lists every constraint of the map's values, not only the violated one.
          const all = constraint.constraints.map((c) => describe(c)).join(', ');
          push(errors, quotedValue(value, schema), path, `Map value must satisfy constraint: [${all}]`);
        }
      }
      return;
    }
    default: {
      const message = violation(value, constraint);
      if (message !== undefined) push(errors, quotedValue(value, schema), path, message);
    }
  }
}

/**
 * A TableName member of the current model: a table ARN (only its length is checked here; resolving it is the
 * operation's business) or a table name of 3..255 characters of `[a-zA-Z0-9_.-]`. An empty value fails the
 * model's minimum of 1 on the item operations, and the name rules on the table operations.
 */
function tableNameViolations(value: unknown, emptyMinimumOne: boolean): string[] {
  if (typeof value !== 'string') return [];
  if (value.length === 0) {
    return emptyMinimumOne
      ? ['Member must have length greater than or equal to 1']
      : ['Member must have length greater than or equal to 3', `Member must satisfy regular expression pattern: ${TABLE_NAME_PATTERN}`];
  }
  if (value.startsWith('arn:')) {
    return value.length > TABLE_ARN_MAX_LENGTH
      ? [`Member must have length less than or equal to ${TABLE_ARN_MAX_LENGTH}`]
      : [];
  }
  const out: string[] = [];
  if (value.length < 3) out.push('Member must have length greater than or equal to 3');
  if (!TABLE_NAME_REGEX.test(value)) out.push(`Member must satisfy regular expression pattern: ${TABLE_NAME_PATTERN}`);
  if (value.length > 255) out.push('Member must have length less than or equal to 255');
  return out;
}

/**
 * For a map key that breaks any of its constraints, the list of *all* the key constraints (DynamoDB prints the
 * whole set). A `tableNameOrArn` key constraint describes the name rules, or the ARN length for an ARN key.
 */
function keyConstraintMessages(key: string, constraints: readonly Constraint[]): string | undefined {
  const described: string[] = [];
  let violated = false;
  for (const constraint of constraints) {
    if (constraint.kind === 'tableNameOrArn') {
      if (key.startsWith('arn:')) {
        described.push(`Member must have length less than or equal to ${TABLE_ARN_MAX_LENGTH}`);
        described.push('Member must have length greater than or equal to 1');
        violated ||= key.length > TABLE_ARN_MAX_LENGTH;
      } else {
        described.push('Member must have length less than or equal to 255');
        described.push('Member must have length greater than or equal to 3');
        described.push(`Member must satisfy regular expression pattern: ${TABLE_NAME_PATTERN}`);
        violated ||= key.length < 3 || key.length > 255 || !TABLE_NAME_REGEX.test(key);
      }
      continue;
    }
    described.push(describe(constraint));
    violated ||= violation(key, constraint) !== undefined;
  }
  return violated ? described.join(', ') : undefined;
}

/** The message a constraint has when it fails, used when DynamoDB prints a whole set of them. */
function describe(constraint: Constraint): string {
  switch (constraint.kind) {
    case 'minLength':
      return `Member must have length greater than or equal to ${constraint.value}`;
    case 'maxLength':
      return `Member must have length less than or equal to ${constraint.value}`;
    case 'minValue':
      return `Member must have value greater than or equal to ${constraint.value}`;
    case 'maxValue':
      return `Member must have value less than or equal to ${constraint.value}`;
    case 'enum':
      return `Member must satisfy enum value set: [${constraint.values.join(', ')}]`;
    case 'pattern':
      return `Member must satisfy regular expression pattern: ${constraint.source}`;
    case 'tableNameOrArn':
      return `Member must satisfy regular expression pattern: ${TABLE_NAME_PATTERN}`;
    case 'mapKeys':
    case 'mapValues':
      return '';
  }
}
