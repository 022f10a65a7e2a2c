/**
 * The shape rules of a KeyConditionExpression, checked on the resolved tree once it has passed the generic
 * condition validation: only `=`, `<`, `<=`, `>`, `>=`, BETWEEN and begins_with, joined by AND, each on one
 * top-level key attribute, at most one per attribute. Whether the attributes really are the table's or index's
 * key (and of which type) is the Query operation's business; it gets the terms from here.
 *
 * These messages carry no `Invalid KeyConditionExpression:` prefix.
 */
import { validationError } from '../errors.js';
import type { ConditionNode, OperandNode } from './ast.js';

export type KeyOperator = '=' | '<' | '<=' | '>' | '>=' | 'BETWEEN' | 'BEGINS_WITH';

/** One condition on one key attribute, normalised so that the attribute is on the left (`:v < k` -> `k > :v`). */
export interface KeyConditionTerm {
  readonly attribute: string;
  readonly operator: KeyOperator;
  /** One operand, or two for BETWEEN. */
  readonly operands: readonly OperandNode[];
}

const FLIPPED: Readonly<Record<string, KeyOperator>> = { '=': '=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

export function analyzeKeyCondition(node: ConditionNode): KeyConditionTerm[] {
  const terms: KeyConditionTerm[] = [];
  collect(node, terms);
  return terms;
}

function collect(node: ConditionNode, terms: KeyConditionTerm[]): void {
  switch (node.kind) {
    case 'Parentheses':
      collect(node.inner, terms);
      return;
    case 'And':
      collect(node.left, terms);
      collect(node.right, terms);
      return;
    case 'Or':
      throw invalidOperator('OR');
    case 'Not':
      throw invalidOperator('NOT');
    case 'In':
      throw invalidOperator('IN');
    case 'Comparison': {
      if (node.operator === '<>') throw invalidOperator('<>');
      checkNoFunctions([node.left, node.right]);
      const onLeft = node.left.kind === 'Path';
      if (onLeft && node.right.kind === 'Path') throw multipleNames();
      const path = onLeft ? node.left : node.right;
      const other = onLeft ? node.right : node.left;
      const operator = onLeft ? (node.operator as KeyOperator) : (FLIPPED[node.operator] as KeyOperator);
      add(terms, keyName(path), operator, [other]);
      return;
    }
    case 'Between': {
      checkNoFunctions([node.operand, node.low, node.high]);
      if (node.operand.kind !== 'Path') {
        throw validationError(
          'Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand',
        );
      }
      if (node.low.kind === 'Path' || node.high.kind === 'Path') throw multipleNames();
      add(terms, keyName(node.operand), 'BETWEEN', [node.low, node.high]);
      return;
    }
    case 'ConditionFunction': {
      const call = node.call;
      if (call.name !== 'begins_with') throw invalidOperator(call.name);
      const [first, second] = call.args;
      if (first === undefined || second === undefined) return;
      checkNoFunctions(call.args);
      if (first.kind !== 'Path') {
        throw validationError(
          'Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand',
        );
      }
      if (second.kind === 'Path') throw multipleNames();
      add(terms, keyName(first), 'BEGINS_WITH', [second]);
      return;
    }
  }
}

function add(terms: KeyConditionTerm[], attribute: string, operator: KeyOperator, operands: OperandNode[]): void {
  for (const term of terms) {
    if (term.attribute === attribute) {
      throw validationError('KeyConditionExpressions must only contain one condition per key');
    }
  }
  terms.push({ attribute, operator, operands });
}

function keyName(operand: OperandNode): string {
  if (operand.kind !== 'Path') throw validationError('Invalid condition in KeyConditionExpression: No key attribute specified');
  const [first] = operand.elements;
  if (operand.elements.length !== 1 || first === undefined || first.kind !== 'AttributeName') {
    throw validationError('KeyConditionExpressions cannot have conditions on nested attributes');
  }
  return first.name;
}

function checkNoFunctions(operands: readonly OperandNode[]): void {
  for (const operand of operands) {
    if (operand.kind === 'FunctionCall') {
      if (operand.name === 'size') throw validationError('KeyConditionExpressions cannot contain nested operations');
      throw invalidOperator(operand.name);
    }
  }
}

function invalidOperator(name: string): Error {
  return validationError(`Invalid operator used in KeyConditionExpression: ${name}`);
}

function multipleNames(): Error {
  return validationError('Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition');
}
