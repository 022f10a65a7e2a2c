/**
 * Applying a resolved UpdateExpression to an item.
 *
 * DynamoDB's rules, all of which shape the algorithm:
 * - Every operand is read from the item *before* the update (`SET a = :v, b = a` copies the old `a`;
 *   `REMOVE a SET b = a` works), so all values are evaluated first, then written.
 * - List indexes always mean the *original* positions: `REMOVE a[1] SET a[3] = :v` on [2,3,4,5,6,7] gives
 *   [2,4,:v,6,7], whatever the order of the clauses. So the actions are gathered into a tree keyed by path
 *   steps and each list is rebuilt once from its original elements.
 * - Setting an index past the end of a list appends; several such appends go in index order.
 * - Writing below a missing or wrongly typed parent (`SET a.b` when `a` is absent or not a map) is
 *   "The document path provided in the update expression is invalid for update"; so is REMOVE below such a
 *   parent, except that REMOVE on an item that does not exist at all is silently ignored. Removing a missing leaf
 *   (`REMOVE a.y`, `REMOVE a[17]`) is a no-op.
 * - ADD creates numbers from 0 and sets from empty; DELETE removes set members, and removing the last member
 *   removes the attribute (sets cannot be empty).
 * - Stored items are shared and immutable: only the maps and lists along changed paths are copied.
 *
 * Paths that overlap or conflict (`SET a, a.b`; `SET a.b, a[1]`) are rejected by static validation before this
 * runs; they are still detected here, with DynamoDB's messages, so a bad tree can never corrupt an item.
 */
import type { AttributeMap, AttributeValue, Item } from '../model/attribute-value.js';
import { typeOf } from '../model/attribute-value.js';
import { validationError } from '../errors.js';
import { addNumbers } from '../model/decimal.js';
import type { TableKey } from '../engine/table-metadata.js';
import type { PathElement, PathNode, UpdateActionNode, UpdateExpressionNode } from './ast.js';
import { numberSetHas } from './compare-values.js';
import { copyMap, elementName, formatPathForMessage, getOwn, setOwn } from './document-path.js';
import { evaluateUpdateOperand, INCORRECT_DATA_TYPE_MESSAGE } from './evaluate-operand.js';

export const INVALID_PATH_MESSAGE = 'The document path provided in the update expression is invalid for update';

export interface ApplyUpdateOptions {
  /**
   * Whether the item existed before the update (default true). When it did not, the caller passes the key
   * attributes as `item`, and REMOVE of a nested path below a missing parent is ignored rather than an error.
   */
  readonly itemExisted?: boolean;
}

export interface UpdateResult {
  /** The new item (the input item itself when nothing changed). */
  readonly item: Item;
  /**
   * The paths the actions named, as written (original list indexes). ReturnValues UPDATED_OLD / UPDATED_NEW are
   * `projectItem(changedPaths, oldItem)` / `projectItem(changedPaths, newItem)`: DynamoDB returns just the updated
   * paths, nested in their parents (`SET a.b = :v` returns `{a: {b: ...}}`), omitting those that do not exist.
   */
  readonly changedPaths: PathNode[];
}

/** A leaf action with its operand already evaluated against the old item. */
export type LeafOperation =
  | { readonly kind: 'set'; readonly value: AttributeValue }
  | { readonly kind: 'remove' }
  | { readonly kind: 'add'; readonly value: AttributeValue }
  | { readonly kind: 'delete'; readonly value: AttributeValue };

/** The actions gathered by path: a node is either a leaf (operation) or has children of one kind. */
interface PatchNode {
  operation?: LeafOperation;
  names?: Map<string, PatchNode>;
  indexes?: Map<number, PatchNode>;
  /** The path that created this node, for overlap/conflict messages. */
  path: readonly PathElement[];
}

/** Applies `node` to `item` without mutating it. Throws DynamoDbError (ValidationException) on DynamoDB's errors. */
export function applyUpdate(node: UpdateExpressionNode, item: Item, options: ApplyUpdateOptions = {}): UpdateResult {
  const root: PatchNode = { names: new Map(), path: [] };
  const changedPaths: PathNode[] = [];
  // First pass: evaluate every operand against the old item, in the order written.
  for (const action of node.actions) {
    addToTree(root, action.path.elements, evaluateAction(action, item));
    changedPaths.push(action.path);
  }
  return { item: applyToMap(item, root.names as Map<string, PatchNode>, options.itemExisted ?? true), changedPaths };
}

/**
 * Applies already-evaluated leaf operations (used by the legacy AttributeUpdates, whose actions are top-level and
 * whose operands are literals), with the same tree semantics as applyUpdate.
 */
export function applyOperations(
  operations: readonly { readonly path: PathNode; readonly operation: LeafOperation }[],
  item: Item,
): Item {
  const root: PatchNode = { names: new Map(), path: [] };
  for (const { path, operation } of operations) addToTree(root, path.elements, operation);
  return applyToMap(item, root.names as Map<string, PatchNode>, true);
}

/**
 * Rejects updates of key attributes: "One or more parameter values were invalid: Cannot update attribute pk.
 * This attribute is part of the key". Any action whose path starts at a key attribute counts, nested or not.
 * The hash key is reported before the range key, as DynamoDB walks the key schema in order.
 */
export function assertKeyNotUpdated(node: UpdateExpressionNode, tableKey: TableKey): void {
  const keyNames = tableKey.range ? [tableKey.hash.name, tableKey.range.name] : [tableKey.hash.name];
  for (const keyName of keyNames) {
    for (const action of node.actions) {
      const first = action.path.elements[0];
      if (first !== undefined && elementName(first) === keyName) {
        throw validationError(
          `One or more parameter values were invalid: Cannot update attribute ${keyName}. This attribute is part of the key`,
        );
      }
    }
  }
}

function evaluateAction(action: UpdateActionNode, item: Item): LeafOperation {
  switch (action.kind) {
    case 'SetAction':
      return { kind: 'set', value: evaluateUpdateOperand(action.value, item) };
    case 'RemoveAction':
      return { kind: 'remove' };
    case 'AddAction': {
      const value = evaluateUpdateOperand(action.value, item);
      checkOperandType('ADD', value);
      return { kind: 'add', value };
    }
    case 'DeleteAction': {
      const value = evaluateUpdateOperand(action.value, item);
      checkOperandType('DELETE', value);
      return { kind: 'delete', value };
    }
  }
}

/** DynamoDB's names for the operand types in "Incorrect operand type for operator or function" messages. */
const OPERAND_TYPE_NAMES: Readonly<Record<string, string>> = {
  S: 'STRING', N: 'NUMBER', B: 'BINARY', BOOL: 'BOOLEAN', NULL: 'NULL', L: 'LIST', M: 'MAP',
};

/**
 * ADD takes a number or a set, DELETE only a set. The operand is always a literal, so static validation reports
 * this first; it is repeated here so that a tree built by hand cannot store nonsense.
 */
function checkOperandType(operator: 'ADD' | 'DELETE', value: AttributeValue): void {
  const type = typeOf(value);
  const isSet = type === 'SS' || type === 'NS' || type === 'BS';
  if (isSet || (operator === 'ADD' && type === 'N')) return;
  throw validationError(
    `Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ${operator}, operand type: ${OPERAND_TYPE_NAMES[type] ?? type}`,
  );
}

// ---- the patch tree --------------------------------------------------------------------------------------------

function addToTree(root: PatchNode, elements: readonly PathElement[], operation: LeafOperation): void {
  let node = root;
  for (let i = 0; i < elements.length; i++) {
    if (node.operation !== undefined) throw overlap(node.path, elements);
    const element = elements[i] as PathElement;
    let child: PatchNode | undefined;
    if (element.kind === 'ListIndex') {
      if (node.names !== undefined) throw conflict(node, elements);
      node.indexes ??= new Map();
      child = node.indexes.get(element.index);
      if (child === undefined) {
        child = { path: elements };
        node.indexes.set(element.index, child);
      }
    } else {
      if (node.indexes !== undefined) throw conflict(node, elements);
      node.names ??= new Map();
      const name = elementName(element);
      child = node.names.get(name);
      if (child === undefined) {
        child = { path: elements };
        node.names.set(name, child);
      }
    }
    node = child;
  }
  if (node.operation !== undefined || node.names !== undefined || node.indexes !== undefined) {
    throw overlap(node.path, elements);
  }
  node.operation = operation;
}

function overlap(first: readonly PathElement[], second: readonly PathElement[]): Error {
  return validationError(
    `Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: ${formatPathForMessage(first)}, path two: ${formatPathForMessage(second)}`,
  );
}

function conflict(node: PatchNode, second: readonly PathElement[]): Error {
  return validationError(
    `Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: ${formatPathForMessage(firstLeafPath(node))}, path two: ${formatPathForMessage(second)}`,
  );
}

function firstLeafPath(node: PatchNode): readonly PathElement[] {
  let current = node;
  for (;;) {
    const next = current.names?.values().next().value ?? current.indexes?.values().next().value;
    if (next === undefined) return current.path;
    current = next;
  }
}

// ---- applying the tree -----------------------------------------------------------------------------------------

/**
 * The map with the children applied, or the same map object when nothing changed. `itemExisted` is false only
 * for the top level of an item that did not exist.
 */
function applyToMap(map: AttributeMap, children: Map<string, PatchNode>, itemExisted: boolean): AttributeMap {
  let result: Record<string, AttributeValue> | undefined;
  for (const [name, child] of children) {
    const existing = getOwn(map, name);
    const next = applyToValue(existing, child, itemExisted);
    if (next === existing) continue;
    result ??= copyMap(map);
    if (next === undefined) delete result[name];
    else setOwn(result, name, next);
  }
  return result ?? map;
}

/** The new value at one node (undefined: the attribute is gone). Returns `existing` itself when unchanged. */
function applyToValue(
  existing: AttributeValue | undefined,
  node: PatchNode,
  itemExisted: boolean,
): AttributeValue | undefined {
  if (node.operation !== undefined) return applyLeaf(existing, node.operation);
  if (existing === undefined) {
    // A nested write below a missing parent. REMOVE on an item that does not exist at all is ignored.
    if (!itemExisted && onlyRemoves(node)) return undefined;
    throw validationError(INVALID_PATH_MESSAGE);
  }
  if (node.names !== undefined) {
    if (!('M' in existing)) throw validationError(INVALID_PATH_MESSAGE);
    const map = applyToMap(existing.M, node.names, true);
    return map === existing.M ? existing : { M: map };
  }
  if (node.indexes !== undefined) {
    if (!('L' in existing)) throw validationError(INVALID_PATH_MESSAGE);
    const list = applyToList(existing.L, node.indexes);
    return list === existing.L ? existing : { L: list };
  }
  return existing;
}

function onlyRemoves(node: PatchNode): boolean {
  if (node.operation !== undefined) return node.operation.kind === 'remove';
  for (const child of node.names?.values() ?? []) if (!onlyRemoves(child)) return false;
  for (const child of node.indexes?.values() ?? []) if (!onlyRemoves(child)) return false;
  return true;
}

/** Rebuilds a list once, with every index meaning its original position. */
function applyToList(list: readonly AttributeValue[], children: Map<number, PatchNode>): readonly AttributeValue[] {
  let replaced: Map<number, AttributeValue | undefined> | undefined;
  let appended: [number, AttributeValue][] | undefined;
  for (const [index, child] of children) {
    if (index < list.length) {
      const existing = list[index] as AttributeValue;
      const next = applyToValue(existing, child, true);
      if (next !== existing) (replaced ??= new Map()).set(index, next);
      continue;
    }
    // Past the end: SET (and ADD, which starts from nothing) append; REMOVE and DELETE of a missing element do
    // nothing; a nested path has no parent to write into.
    if (child.operation === undefined) throw validationError(INVALID_PATH_MESSAGE);
    const value = applyLeaf(undefined, child.operation);
    if (value !== undefined) (appended ??= []).push([index, value]);
  }
  if (replaced === undefined && appended === undefined) return list;
  const result: AttributeValue[] = [];
  for (let i = 0; i < list.length; i++) {
    if (replaced?.has(i)) {
      const value = replaced.get(i);
      if (value !== undefined) result.push(value);
    } else {
      result.push(list[i] as AttributeValue);
    }
  }
  if (appended !== undefined) {
    appended.sort((a, b) => a[0] - b[0]);
    for (const [, value] of appended) result.push(value);
  }
  return result;
}

/** One leaf operation on the current value (undefined when absent); undefined result removes the attribute. */
export function applyLeaf(existing: AttributeValue | undefined, operation: LeafOperation): AttributeValue | undefined {
  switch (operation.kind) {
    case 'set':
      return operation.value;
    case 'remove':
      return undefined;
    case 'add':
      return addValue(existing, operation.value);
    case 'delete':
      return deleteValue(existing, operation.value);
  }
}

/** ADD: a number to a number (absent counts as 0), or a set's members to a set of the same type. */
function addValue(existing: AttributeValue | undefined, value: AttributeValue): AttributeValue {
  if ('N' in value) {
    if (existing === undefined) return { N: addNumbers('0', value.N) };
    if (!('N' in existing)) throw validationError(INCORRECT_DATA_TYPE_MESSAGE);
    return { N: addNumbers(existing.N, value.N) };
  }
  if (existing === undefined) return value;
  if ('SS' in value) {
    if (!('SS' in existing)) throw validationError(INCORRECT_DATA_TYPE_MESSAGE);
    return { SS: union(existing.SS, value.SS, false) };
  }
  if ('NS' in value) {
    if (!('NS' in existing)) throw validationError(INCORRECT_DATA_TYPE_MESSAGE);
    return { NS: union(existing.NS, value.NS, true) };
  }
  if ('BS' in value) {
    if (!('BS' in existing)) throw validationError(INCORRECT_DATA_TYPE_MESSAGE);
    return { BS: union(existing.BS, value.BS, false) };
  }
  throw validationError(INCORRECT_DATA_TYPE_MESSAGE);
}

/** DELETE: removes the members of `value` from a set of the same type; an emptied set disappears. */
function deleteValue(existing: AttributeValue | undefined, value: AttributeValue): AttributeValue | undefined {
  if (existing === undefined) return undefined;
  let remaining: readonly string[];
  if ('SS' in value && 'SS' in existing) remaining = difference(existing.SS, value.SS, false);
  else if ('NS' in value && 'NS' in existing) remaining = difference(existing.NS, value.NS, true);
  else if ('BS' in value && 'BS' in existing) remaining = difference(existing.BS, value.BS, false);
  else throw validationError(INCORRECT_DATA_TYPE_MESSAGE);
  if (remaining.length === 0) return undefined;
  if ('SS' in existing) return { SS: remaining };
  if ('NS' in existing) return { NS: remaining };
  return { BS: remaining };
}

/** Set union keeping the existing members' order, then the new members in the order given. */
export function union(existing: readonly string[], added: readonly string[], numeric: boolean): readonly string[] {
  let result: string[] | undefined;
  for (const member of added) {
    const present = numeric ? numberSetHas(result ?? existing, member) : (result ?? existing).includes(member);
    if (!present) (result ??= [...existing]).push(member);
  }
  return result ?? existing;
}

/** Set difference; numbers compare numerically. */
export function difference(existing: readonly string[], removed: readonly string[], numeric: boolean): readonly string[] {
  return existing.filter((member) => !(numeric ? numberSetHas(removed, member) : removed.includes(member)));
}
