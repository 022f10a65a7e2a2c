/**
 * Shared pieces of the validation passes. DynamoDB reports at most one error per expression, choosing it by
 * *category* in a fixed order (e.g. a reserved word beats an undefined placeholder even when it comes later in the
 * text), and within a category by position. The passes therefore walk the tree once, remember the first error of
 * each category, and throw the winner at the end.
 */
import type { AttributeValue, AttributeType } from '../model/attribute-value.js';
import type { PathElement, PathNode, OperandNode } from './ast.js';
import { expressionError, type ExpressionKind } from './expression-kind.js';
import { isReservedWord } from './reserved-words.js';

/** The placeholders of one request, and which of them its expressions used. */
export interface Substitutions {
  readonly names: Readonly<Record<string, string>> | undefined;
  readonly values: Readonly<Record<string, AttributeValue>> | undefined;
  readonly usedNames: Set<string>;
  readonly usedValues: Set<string>;
}

export function newSubstitutions(
  names: Readonly<Record<string, string>> | undefined,
  values: Readonly<Record<string, AttributeValue>> | undefined,
): Substitutions {
  return { names, values, usedNames: new Set(), usedValues: new Set() };
}

/** Own-property lookup: placeholders such as `#constructor` must not find Object.prototype members. */
export function lookup<T>(map: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return map !== undefined && Object.prototype.hasOwnProperty.call(map, key) ? map[key] : undefined;
}

/** First error per category; `first(order)` picks the winner. */
export class ErrorSlots<C extends string> {
  private readonly slots = new Map<C, string>();

  set(category: C, message: string): void {
    if (!this.slots.has(category)) this.slots.set(category, message);
  }

  has(category: C): boolean {
    return this.slots.has(category);
  }

  get size(): number {
    return this.slots.size;
  }

  /** Throws the error of the first category (in `order`) that has one. */
  throwFirst(kind: ExpressionKind, order: readonly C[]): void {
    if (this.slots.size === 0) return;
    for (const category of order) {
      const message = this.slots.get(category);
      if (message !== undefined) throw expressionError(kind, message);
    }
  }
}

/** DynamoDB limits a document path to 32 elements (names and indexes). */
export const MAX_PATH_DEPTH = 32;

export function nestingError(path: PathNode): string | undefined {
  const depth = path.elements.length;
  return depth > MAX_PATH_DEPTH
    ? `The document path has too many nesting levels; nesting levels: ${depth}`
    : undefined;
}

/** The names of a path with placeholders substituted (undefined ones keep their placeholder), for comparisons. */
export type ResolvedStep = string | number;

export function resolvedSteps(path: PathNode, subs: Substitutions): ResolvedStep[] {
  const steps: ResolvedStep[] = [];
  for (const element of path.elements) steps.push(resolvedStep(element, subs));
  return steps;
}

function resolvedStep(element: PathElement, subs: Substitutions): ResolvedStep {
  switch (element.kind) {
    case 'AttributeName':
      return element.name;
    case 'NamePlaceholder':
      return lookup(subs.names, element.placeholder) ?? element.placeholder;
    case 'ListIndex':
      return element.index;
  }
}

/** `[a, b, [3]]`: how DynamoDB prints a document path in messages. */
export function formatSteps(steps: readonly ResolvedStep[]): string {
  let out = '[';
  for (let i = 0; i < steps.length; i++) {
    if (i > 0) out += ', ';
    const step = steps[i] as ResolvedStep;
    out += typeof step === 'number' ? `[${step}]` : step;
  }
  return out + ']';
}

export function sameSteps(a: readonly ResolvedStep[], b: readonly ResolvedStep[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Checks a new path against the earlier ones of an update or projection: a path equal to or a prefix of another
 * "overlaps"; paths that share a prefix and then step into the same element once by name and once by index
 * "conflict". Returns the first overlap and the first conflict found.
 */
export function comparePaths(
  earlier: readonly ResolvedStep[][],
  path: ResolvedStep[],
): { overlap?: string; conflict?: string } {
  const result: { overlap?: string; conflict?: string } = {};
  for (const other of earlier) {
    const common = Math.min(other.length, path.length);
    let verdict: 'overlap' | 'conflict' | 'distinct' = 'overlap';
    for (let i = 0; i < common; i++) {
      const x = other[i];
      const y = path[i];
      if (typeof x !== typeof y) {
        verdict = 'conflict';
        break;
      }
      if (x !== y) {
        verdict = 'distinct';
        break;
      }
    }
    if (verdict === 'overlap' && result.overlap === undefined) {
      result.overlap =
        'Two document paths overlap with each other; must remove or rewrite one of these paths; ' +
        `path one: ${formatSteps(other)}, path two: ${formatSteps(path)}`;
      return result;
    }
    if (verdict === 'conflict' && result.conflict === undefined) {
      result.conflict =
        'Two document paths conflict with each other; must remove or rewrite one of these paths; ' +
        `path one: ${formatSteps(other)}, path two: ${formatSteps(path)}`;
    }
  }
  return result;
}

/** The type tag of a literal value (first key of the wire object). */
export function literalType(value: AttributeValue): AttributeType {
  for (const key in value) return key as AttributeType;
  return 'NULL';
}

/**
 * The statically known type of an operand: a defined `:value`'s type; undefined for paths, undefined
 * placeholders, and (unless `functionTypes` is set) function results.
 */
export function staticType(
  operand: OperandNode,
  subs: Substitutions,
  functionTypes: boolean,
): AttributeType | undefined {
  switch (operand.kind) {
    case 'ValuePlaceholder': {
      const value = lookup(subs.values, operand.placeholder);
      return value === undefined ? undefined : literalType(value);
    }
    case 'Literal':
      return literalType(operand.value);
    case 'FunctionCall':
      return functionTypes ? functionResultType(operand.name) : undefined;
    case 'Path':
    case 'Arithmetic':
      return undefined;
  }
}

function functionResultType(name: string): AttributeType | undefined {
  switch (name) {
    case 'size':
      return 'N';
    case 'attribute_exists':
    case 'attribute_not_exists':
    case 'attribute_type':
    case 'begins_with':
    case 'contains':
      return 'BOOL';
    default:
      return undefined;
  }
}

/** The value of a defined `:value` operand, if the operand is one. */
export function staticValue(operand: OperandNode, subs: Substitutions): AttributeValue | undefined {
  if (operand.kind === 'ValuePlaceholder') return lookup(subs.values, operand.placeholder);
  if (operand.kind === 'Literal') return operand.value;
  return undefined;
}

/** What a document path can be wrong about, each reported under the caller's own category. */
export type PathProblem = 'reserved' | 'undefinedName' | 'nesting';

/**
 * The checks every expression kind makes on a document path: reserved words written as names, `#name`
 * placeholders that ExpressionAttributeNames does not define (the defined ones are marked used), and nesting
 * depth. Problems go to `report`, which files them by the caller's error categories.
 */
export function checkPath(
  path: PathNode,
  subs: Substitutions,
  report: (problem: PathProblem, message: string) => void,
): void {
  for (const element of path.elements) {
    if (element.kind === 'AttributeName') {
      if (isReservedWord(element.name)) {
        report('reserved', `Attribute name is a reserved keyword; reserved keyword: ${element.name}`);
      }
    } else if (element.kind === 'NamePlaceholder') {
      if (lookup(subs.names, element.placeholder) === undefined) {
        report(
          'undefinedName',
          `An expression attribute name used in the document path is not defined; attribute name: ${element.placeholder}`,
        );
      } else {
        subs.usedNames.add(element.placeholder);
      }
    }
  }
  const nesting = nestingError(path);
  if (nesting !== undefined) report('nesting', nesting);
}

/**
 * A `:value` placeholder: undefined in ExpressionAttributeValues -> DynamoDB's message for `report`; defined ->
 * marked used.
 */
export function checkValuePlaceholder(placeholder: string, subs: Substitutions, report: (message: string) => void): void {
  if (lookup(subs.values, placeholder) === undefined) {
    report(`An expression attribute value used in expression is not defined; attribute value: ${placeholder}`);
  } else {
    subs.usedValues.add(placeholder);
  }
}
