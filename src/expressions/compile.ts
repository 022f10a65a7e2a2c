/**
 * The expression module's entry point, used by every operation: checks a request's expression parameters as a
 * whole, parses each expression (through the parse cache), validates it, and resolves its placeholders.
 *
 * The order of checks is DynamoDB's:
 *   1. ExpressionAttributeNames given without any expression; ExpressionAttributeValues given without any
 *      expression that takes values (when the operation says which those are);
 *   2. ExpressionAttributeNames: not empty, keys `#` + [A-Za-z0-9_]+;
 *   3. ExpressionAttributeValues: not empty, keys `:` + [A-Za-z0-9_]+, each value a valid AttributeValue;
 *   4. the expressions, in the order Update, Condition, KeyCondition, Filter, Projection: each not empty, at most
 *      4 KB (UTF-8), syntactically valid, at most 300 operators (operator-count.ts), then statically valid;
 *   5. names, then values, defined but used by none of the expressions.
 */
import { validationError } from '../errors.js';
import type { AttributeValue } from '../model/attribute-value.js';
import { utf8Length } from '../model/utf8.js';
import {
  attributeNameProblem,
  isLayerWordedMessage,
  validateAttributeValue,
  type ValueLayer,
} from '../model/validate-attribute-value.js';
import type { ConditionNode, ProjectionExpressionNode, UpdateExpressionNode } from './ast.js';
import { expressionError, type ExpressionKind } from './expression-kind.js';
import { ParseCache } from './parse-cache.js';
import { parseCondition, parseProjection, parseUpdate, type ParsedUpdate } from './parser.js';
import { resolveCondition, resolveProjection, resolveUpdate } from './resolve.js';
import { checkOperatorCount } from './operator-count.js';
import { newSubstitutions, type Substitutions } from './validate-common.js';
import { validateCondition } from './validate-condition.js';
import { validateProjection } from './validate-projection.js';
import { validateUpdate } from './validate-update.js';

export interface ExpressionRequest {
  ConditionExpression?: string;
  FilterExpression?: string;
  KeyConditionExpression?: string;
  UpdateExpression?: string;
  ProjectionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, AttributeValue>;
}

/** The request's expressions, parsed, validated and resolved (no placeholders left). */
export interface CompiledExpressions {
  condition?: ConditionNode;
  filter?: ConditionNode;
  keyCondition?: ConditionNode;
  update?: UpdateExpressionNode;
  projection?: ProjectionExpressionNode;
}

export interface CompileOptions {
  /**
   * The expression parameters of this operation that take `:values`, in the order DynamoDB lists them, e.g.
   * `['UpdateExpression', 'ConditionExpression']`. When given, ExpressionAttributeValues without any of them is
   * rejected with `ExpressionAttributeValues can only be specified when using expressions: X and Y are null`.
   */
  readonly valueExpressions?: readonly ExpressionKind[];
  /**
   * Which of DynamoDB's two value layers checks ExpressionAttributeValues (the wording of a bad number or a
   * duplicate set member): the single-item operations use the current one, the transactions the older one.
   */
  readonly valueLayer?: ValueLayer;
  /**
   * PutItem, UpdateItem and DeleteItem report a number or duplicate problem of the current layer inside the
   * `1 validation error detected: ` envelope.
   */
  readonly valueEnvelope?: boolean;
}

/** DynamoDB's limit on the length of one expression string. */
export const MAX_EXPRESSION_BYTES = 4096;

const NAME_KEY = /^#[0-9a-zA-Z_]+$/;
const VALUE_KEY = /^:[0-9a-zA-Z_]+$/;

const CACHE_CAPACITY = 2048;
const conditionCache = new ParseCache<ConditionNode>(CACHE_CAPACITY);
const updateCache = new ParseCache<ParsedUpdate>(CACHE_CAPACITY);
const projectionCache = new ParseCache<ProjectionExpressionNode>(CACHE_CAPACITY);

const EXPRESSION_KINDS: readonly ExpressionKind[] = [
  'ConditionExpression',
  'FilterExpression',
  'KeyConditionExpression',
  'UpdateExpression',
  'ProjectionExpression',
];

/**
 * Parses, validates and resolves all expressions of a request. Throws a DynamoDbError (ValidationException) with
 * DynamoDB's exact message on the first problem.
 */
export function compileExpressions(request: ExpressionRequest, options?: CompileOptions): CompiledExpressions {
  const names = request.ExpressionAttributeNames ?? undefined;
  let values = request.ExpressionAttributeValues ?? undefined;
  const compiled: CompiledExpressions = {};
  if (names === undefined && values === undefined && noExpression(request)) return compiled;

  checkParameterUse(request, options);
  let nameCount = 0;
  if (names !== undefined) {
    for (const key in names) {
      if (!NAME_KEY.test(key)) throw validationError(`ExpressionAttributeNames contains invalid key: Syntax error; key: "${key}"`);
      nameCount++;
    }
    if (nameCount === 0) throw validationError('ExpressionAttributeNames must not be empty');
    for (const key in names) {
      // A name is held to the limits of an item's attribute names. DynamoDB's wording for UpdateItem (a name over
      // 65,535 bytes, in the validation envelope); assumed the same for the other operations and an empty name.
      const problem = attributeNameProblem(names[key] as string);
      if (problem !== undefined) throw validationError(`1 validation error detected: ${problem}`);
    }
  }
  if (values !== undefined) values = checkValues(values, options?.valueLayer ?? 'current', options?.valueEnvelope === true);

  const subs = newSubstitutions(names, values);
  if (request.UpdateExpression != null) {
    const parsed = updateCache.get(cacheKey(request.UpdateExpression), () => {
      const update = parseUpdate(checkText(request.UpdateExpression as string, 'UpdateExpression'));
      checkOperatorCount(update.node, 'UpdateExpression');
      return update;
    });
    validateUpdate(parsed.node, subs, parsed.duplicateClause);
    compiled.update = resolveUpdate(parsed.node, subs);
  }
  if (request.ConditionExpression != null) {
    compiled.condition = compileCondition(request.ConditionExpression, 'ConditionExpression', subs);
  }
  if (request.KeyConditionExpression != null) {
    compiled.keyCondition = compileCondition(request.KeyConditionExpression, 'KeyConditionExpression', subs);
  }
  if (request.FilterExpression != null) {
    compiled.filter = compileCondition(request.FilterExpression, 'FilterExpression', subs);
  }
  if (request.ProjectionExpression != null) {
    const parsed = projectionCache.get(cacheKey(request.ProjectionExpression), () =>
      parseProjection(checkText(request.ProjectionExpression as string, 'ProjectionExpression')),
    );
    validateProjection(parsed, subs);
    compiled.projection = resolveProjection(parsed, subs);
  }

  if (names !== undefined && subs.usedNames.size !== nameCount) {
    throw validationError(`Value provided in ExpressionAttributeNames unused in expressions: keys: {${unused(names, subs.usedNames)}}`);
  }
  if (values !== undefined && subs.usedValues.size !== Object.keys(values).length) {
    throw validationError(`Value provided in ExpressionAttributeValues unused in expressions: keys: {${unused(values, subs.usedValues)}}`);
  }
  return compiled;
}

function compileCondition(text: string, kind: ExpressionKind, subs: Substitutions): ConditionNode {
  // The three condition kinds share a grammar but not their message prefix, hence a key per kind.
  const parsed = conditionCache.get(cacheKey(text, kind), () => {
    const condition = parseCondition(checkText(text, kind), kind);
    checkOperatorCount(condition, kind);
    return condition;
  });
  validateCondition(parsed, kind, subs);
  return resolveCondition(parsed, subs);
}

function cacheKey(text: string, kind?: ExpressionKind): string {
  return kind === undefined ? text : `${kind}\u0000${text}`;
}

/** The 4 KB limit, checked (like emptiness, inside the parsers) before parsing. */
function checkText(text: string, kind: ExpressionKind): string {
  // Up to 3 UTF-8 bytes per UTF-16 unit: short strings skip the exact count.
  if (text.length * 3 > MAX_EXPRESSION_BYTES) {
    const size = utf8Length(text);
    if (size > MAX_EXPRESSION_BYTES) {
      throw expressionError(kind, `Expression size has exceeded the maximum allowed size; expression size: ${size}`);
    }
  }
  return text;
}

function noExpression(request: ExpressionRequest): boolean {
  for (const kind of EXPRESSION_KINDS) if (request[kind] != null) return false;
  return true;
}

function checkParameterUse(request: ExpressionRequest, options: CompileOptions | undefined): void {
  if (request.ExpressionAttributeNames != null && noExpression(request)) {
    throw validationError('ExpressionAttributeNames can only be specified when using expressions');
  }
  const valueKinds = options?.valueExpressions;
  if (request.ExpressionAttributeValues != null && valueKinds !== undefined && valueKinds.length > 0) {
    if (valueKinds.every((kind) => request[kind] == null)) {
      throw validationError(
        `ExpressionAttributeValues can only be specified when using expressions: ${valueKinds.join(' and ')} ${valueKinds.length > 1 ? 'are' : 'is'} null`,
      );
    }
  }
}

/**
 * Key syntax and value validity; returns the values with numbers normalised (the same map if none changed). A bad
 * value is reported inside `ExpressionAttributeValues contains invalid value: <message> for key <key>`, except a
 * number or duplicate problem of the current layer, which DynamoDB reports as it is (or in the envelope).
 */
function checkValues(values: Record<string, AttributeValue>, layer: ValueLayer, envelope: boolean): Record<string, AttributeValue> {
  let count = 0;
  for (const key in values) {
    if (!VALUE_KEY.test(key)) throw validationError(`ExpressionAttributeValues contains invalid key: Syntax error; key: "${key}"`);
    count++;
  }
  if (count === 0) throw validationError('ExpressionAttributeValues must not be empty');
  let normalized: Record<string, AttributeValue> | undefined;
  for (const key in values) {
    const value = values[key] as AttributeValue;
    let checked: AttributeValue;
    try {
      checked = validateAttributeValue(value, 1, layer);
    } catch (error) {
      if (error instanceof Error && error.name === 'ValidationException') {
        if (layer === 'current' && isLayerWordedMessage(error.message)) {
          throw validationError(envelope ? `1 validation error detected: ${error.message}` : error.message);
        }
        throw validationError(`ExpressionAttributeValues contains invalid value: ${error.message} for key ${key}`);
      }
      throw error;
    }
    if (checked !== value) {
      normalized ??= { ...values };
      normalized[key] = checked;
    }
  }
  return normalized ?? values;
}

function unused(map: Readonly<Record<string, unknown>>, used: ReadonlySet<string>): string {
  const keys: string[] = [];
  for (const key in map) if (!used.has(key)) keys.push(key);
  return keys.join(', ');
}

/** For tests and benchmarks: forget every cached parse. */
export function clearParseCache(): void {
  conditionCache.clear();
  updateCache.clear();
  projectionCache.clear();
}
