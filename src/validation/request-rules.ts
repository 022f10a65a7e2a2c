/**
 * Checks several operations share in their `custom` hooks: DynamoDB makes them after the constraints and before
 * it resolves the table. Each returns DynamoDB's message (thrown as a ValidationException by `ruleCheck`), or
 * undefined when the request passes.
 */
import { DynamoDbError, validationError } from '../errors.js';
import { checkExpressionParameterMix, type ExpressionOperation } from '../expressions/legacy/parameter-mix.js';
import type { AttributeMap, AttributeValue } from '../model/attribute-value.js';
import {
  ATTRIBUTE_NAME_TOO_LARGE_MESSAGE,
  EMPTY_ATTRIBUTE_NAME_MESSAGE,
  attributeNameProblem,
  isLayerWordedMessage,
  validateAttributeValue,
  validateItem,
  type ValueLayer,
} from '../model/validate-attribute-value.js';

type Body = Readonly<Record<string, unknown>>;

/** Runs the checks in order and throws the first problem as a ValidationException. */
export function ruleCheck(...problems: readonly (() => string | undefined | void)[]): void {
  for (const problem of problems) {
    const message = problem();
    if (typeof message === 'string') throw validationError(message);
  }
}

const present = (body: Body, member: string): boolean => body[member] !== undefined && body[member] !== null;

/**
 * Expression and legacy (non-expression) parameters cannot be mixed, the expression maps need an expression, and
 * ConditionalOperator needs a legacy condition map of two or more entries: the rules of one operation, as a
 * problem message (one implementation: src/expressions/legacy/parameter-mix.ts).
 */
export function expressionParameterProblem(body: Body, operation: ExpressionOperation): string | undefined {
  try {
    checkExpressionParameterMix(body, operation);
    return undefined;
  } catch (error) {
    if (error instanceof DynamoDbError) return error.message;
    throw error;
  }
}

/**
 * Validates the values of an attribute map member (Item, Key...) with the model's rules and stores the normalized
 * map back, so the operation sees canonical numbers. `envelope`: the item operations of the current layer wrap
 * number errors as `1 validation error detected: <message>`.
 */
export function validateAttributeMapMember(
  body: Record<string, unknown>,
  member: string,
  layer: ValueLayer,
  envelope: boolean,
): void {
  const map = body[member];
  if (typeof map !== 'object' || map === null) return;
  try {
    const normalized = validateItem(map as AttributeMap, layer);
    if (normalized !== map) body[member] = normalized;
  } catch (error) {
    throw envelope ? enveloped(error) : error;
  }
}

/**
 * An item's attribute names are reported in the envelope, as its values' numbers are (isLayerWordedMessage); a
 * duplicate set member is answered bare, without it (see duplicatesMessage in the model).
 */
const ENVELOPED_NAMES: ReadonlySet<string> = new Set([EMPTY_ATTRIBUTE_NAME_MESSAGE, ATTRIBUTE_NAME_TOO_LARGE_MESSAGE]);

function enveloped(error: unknown): unknown {
  if (
    error instanceof DynamoDbError &&
    error.type === 'ValidationException' &&
    (isLayerWordedMessage(error.message) || ENVELOPED_NAMES.has(error.message))
  ) {
    return validationError(`1 validation error detected: ${error.message}`);
  }
  return error;
}

/**
 * The model's rules for one legacy condition or update value (Expected, AttributeUpdates: PutItem, UpdateItem and
 * DeleteItem only), as a problem message: a number or duplicate problem inside the operations' envelope.
 */
function attributeValueProblem(value: Body): string | undefined {
  try {
    validateAttributeValue(value as unknown as AttributeValue, 1, 'current');
    return undefined;
  } catch (error) {
    if (!(error instanceof DynamoDbError)) throw error;
    return isLayerWordedMessage(error.message) ? `1 validation error detected: ${error.message}` : error.message;
  }
}

/**
 * An attribute name given as a name (AttributesToGet, AttributeUpdates) that DynamoDB refuses, in the validation
 * envelope as PutItem reports a name in its item. (The envelope is DynamoDB's for names over 65,535 bytes; the
 * same form is assumed for an empty name.)
 */
function namedAttributeProblem(name: unknown): string | undefined {
  const problem = typeof name === 'string' ? attributeNameProblem(name) : undefined;
  return problem === undefined ? undefined : `1 validation error detected: ${problem}`;
}

/** Names DynamoDB refuses, and duplicate names, in AttributesToGet. */
export function attributesToGetProblem(body: Body): string | undefined {
  const names = body.AttributesToGet;
  if (!Array.isArray(names)) return undefined;
  const seen = new Set<unknown>();
  for (const name of names) {
    const problem = namedAttributeProblem(name);
    if (problem !== undefined) return problem;
    if (seen.has(name)) {
      return `One or more parameter values were invalid: Duplicate value in attribute name: ${String(name)}`;
    }
    seen.add(name);
  }
  return undefined;
}

/** How many values each legacy ComparisonOperator takes. */
function argumentCountValid(operator: string, count: number): boolean {
  switch (operator) {
    case 'NULL':
    case 'NOT_NULL':
      return count === 0;
    case 'IN':
      return count > 0;
    case 'BETWEEN':
      return count === 2;
    default:
      return count === 1;
  }
}

function firstType(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  for (const type in value) return type;
  return undefined;
}

/** The legacy `Expected` map of PutItem, UpdateItem and DeleteItem. */
export function expectedProblem(body: Body): string | undefined {
  const expected = body.Expected;
  if (typeof expected !== 'object' || expected === null) return undefined;
  const conditions = expected as Readonly<Record<string, Body>>;
  const invalid = 'One or more parameter values were invalid: ';
  for (const name in conditions) {
    const condition = conditions[name];
    if (condition === undefined || condition === null) continue;
    const hasValue = present(condition, 'Value');
    const hasList = present(condition, 'AttributeValueList');
    if (hasList && hasValue) {
      return `${invalid}Value and AttributeValueList cannot be used together for Attribute: ${name}`;
    }
    if (present(condition, 'ComparisonOperator')) {
      const operator = String(condition.ComparisonOperator);
      if (present(condition, 'Exists')) {
        return `${invalid}Exists and ComparisonOperator cannot be used together for Attribute: ${name}`;
      }
      if (operator !== 'NULL' && operator !== 'NOT_NULL' && !hasList && !hasValue) {
        return `${invalid}Value or AttributeValueList must be used with ComparisonOperator: ${operator} for Attribute: ${name}`;
      }
      const list = hasList && Array.isArray(condition.AttributeValueList) ? condition.AttributeValueList : undefined;
      const count = list !== undefined ? list.length : hasValue ? 1 : 0;
      if (!argumentCountValid(operator, count)) {
        return `${invalid}Invalid number of argument(s) for the ${operator} ComparisonOperator`;
      }
      // Each value must be a valid AttributeValue before types are compared (an empty `{}` has no type at all).
      for (const value of list ?? (hasValue ? [condition.Value] : [])) {
        const problem = attributeValueProblem(value as Body);
        if (problem !== undefined) return problem;
      }
      if (list !== undefined && list.length > 0) {
        const type = firstType(list[0]);
        if (list.some((value) => firstType(value) !== type)) {
          return `${invalid}AttributeValues inside AttributeValueList must be of same type`;
        }
      }
    } else if (hasList) {
      return `${invalid}AttributeValueList can only be used with a ComparisonOperator for Attribute: ${name}`;
    } else {
      const exists = condition.Exists === undefined || condition.Exists === null || condition.Exists === true;
      if (exists && !hasValue) {
        const shown = condition.Exists === undefined || condition.Exists === null ? 'null' : String(condition.Exists);
        return `${invalid}Value must be provided when Exists is ${shown} for Attribute: ${name}`;
      }
      if (!exists && hasValue) return `${invalid}Value cannot be used when Exists is false for Attribute: ${name}`;
      if (hasValue) {
        const problem = attributeValueProblem(condition.Value as Body);
        if (problem !== undefined) return problem;
      }
    }
  }
  return undefined;
}

/** The legacy `AttributeUpdates` map of UpdateItem. */
export function attributeUpdatesProblem(body: Body): string | undefined {
  const updates = body.AttributeUpdates;
  if (typeof updates !== 'object' || updates === null) return undefined;
  const invalid = 'One or more parameter values were invalid: ';
  const entries = updates as Readonly<Record<string, Body | null>>;
  for (const name in entries) {
    const nameProblem = namedAttributeProblem(name);
    if (nameProblem !== undefined) return nameProblem;
    const update = entries[name];
    if (update === undefined || update === null) continue;
    const value = update.Value;
    const hasValue = value !== undefined && value !== null;
    if (hasValue) {
      const problem = attributeValueProblem(value as Body);
      if (problem !== undefined) return problem;
    }
    const action = update.Action;
    if (!hasValue && action !== 'DELETE') return `${invalid}Only DELETE action is allowed when no attribute value is specified`;
    const type = firstType(value);
    if (hasValue && action === 'DELETE' && type !== 'SS' && type !== 'NS' && type !== 'BS') {
      return `${invalid}DELETE action with value is not supported for the type ${String(type)}`;
    }
    if (hasValue && action === 'ADD' && type !== 'L' && type !== 'SS' && type !== 'NS' && type !== 'BS' && type !== 'N') {
      return `${invalid}ADD action is not supported for the type ${String(type)}`;
    }
  }
  return undefined;
}

/** ReturnValues of PutItem and DeleteItem. */
export function returnValuesAllOldOrNoneProblem(body: Body): string | undefined {
  const returnValues = body.ReturnValues;
  if (returnValues === undefined || returnValues === null || returnValues === 'ALL_OLD' || returnValues === 'NONE') {
    return undefined;
  }
  return 'ReturnValues can only be ALL_OLD or NONE';
}
