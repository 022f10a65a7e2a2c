/**
 * The shape rules of a KeyConditionExpression, checked on the resolved tree once it has passed the generic
 * condition validation: only `=`, `<`, `<=`, `>`, `>=`, BETWEEN and begins_with, joined by AND, each on one
 * top-level key attribute, at most one per attribute. Whether the attributes really are the table's or index's
 * key (and of which type) is the Query operation's business; it gets the terms from here.
 *
 * These messages carry no `Invalid KeyConditionExpression:` prefix.
 */
import { validationError } from '../errors.js';
import type { ConditionNode, OperandNode, PathNode } from './ast.js';

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

/**
 * DynamoDB walks the tree depth first, left to right, and stops at the first problem. At each node it checks the
 * operator (OR, NOT, IN, `<>`, any function but begins_with: "Invalid operator"), then that BETWEEN and
 * begins_with start with a path, then the operands in order: a path after another path is "Multiple attribute
 * names", a nested path is "nested attributes", a function inside (size) is "nested operations". So
 * `:a BETWEEN size(b) AND c` is about its first operand, `a BETWEEN b AND size(c)` about multiple names, and
 * `a.b > c` about nesting.
 */
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
    case 'Comparison':
      if (node.operator === '<>') throw invalidOperator('<>');
      addCondition(terms, node.operator, [node.left, node.right]);
      return;
    case 'Between':
      if (node.operand.kind !== 'Path') throw notFirstOperand('BETWEEN');
      addCondition(terms, 'BETWEEN', [node.operand, node.low, node.high]);
      return;
    case 'ConditionFunction': {
      const call = node.call;
      if (call.name !== 'begins_with') throw invalidOperator(call.name);
      if (call.args[0]?.kind !== 'Path') throw notFirstOperand('begins_with');
      addCondition(terms, 'BEGINS_WITH', call.args);
      return;
    }
  }
}

/** One condition: its operands in order, then its key attribute (normalised to the left) and uniqueness. */
function addCondition(terms: KeyConditionTerm[], operator: KeyOperator, operands: readonly OperandNode[]): void {
  let attribute: string | undefined;
  let position = 0;
  for (const [index, operand] of operands.entries()) {
    if (operand.kind === 'Path') {
      if (attribute !== undefined) throw multipleNames();
      attribute = keyName(operand);
      position = index;
    } else if (operand.kind === 'FunctionCall') {
      if (operand.name === 'size') throw validationError('KeyConditionExpressions cannot contain nested operations');
      throw invalidOperator(operand.name);
    }
  }
  if (attribute === undefined) throw validationError('Invalid condition in KeyConditionExpression: No key attribute specified');
  for (const term of terms) {
    if (term.attribute === attribute) {
      throw validationError('KeyConditionExpressions must only contain one condition per key');
    }
  }
  // Only a comparison can have its attribute on the right (BETWEEN and begins_with were checked to start with it).
  const flipped = position === 0 ? operator : (FLIPPED[operator] as KeyOperator);
  terms.push({ attribute, operator: flipped, operands: operands.filter((_, index) => index !== position) });
}

function keyName(path: PathNode): string {
  const [first] = path.elements;
  if (path.elements.length !== 1 || first === undefined || first.kind !== 'AttributeName') {
    throw validationError('KeyConditionExpressions cannot have conditions on nested attributes');
  }
  return first.name;
}

function notFirstOperand(operator: string): Error {
  return validationError(
    `Invalid condition in KeyConditionExpression: ${operator} operator must have the key attribute as its first operand`,
  );
}

function invalidOperator(name: string): Error {
  return validationError(`Invalid operator used in KeyConditionExpression: ${name}`);
}

function multipleNames(): Error {
  return validationError('Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition');
}
