/**
 * The legacy `AttributeUpdates` parameter of UpdateItem. Its actions resemble SET / ADD / DELETE but differ:
 * - the Action defaults to PUT; PUT replaces the attribute;
 * - DELETE without a Value removes the attribute; DELETE with a Value (a set) removes those members, and removing
 *   the last member removes the attribute;
 * - ADD adds to a number (a missing attribute counts as 0), unions a set, and — unlike UpdateExpression's ADD —
 *   appends to a list;
 * - a type clash with the stored attribute is "Type mismatch for attribute to update" (UpdateExpression says
 *   "An operand in the update expression has an incorrect data type").
 * Only top-level attributes can be named (a name with a `.` is a plain name).
 */
import type { AttributeValue, Item } from '../../model/attribute-value.js';
import { typeOf } from '../../model/attribute-value.js';
import { validationError } from '../../errors.js';
import { addNumbers } from '../../model/decimal.js';
import type { TableKey } from '../../engine/table-metadata.js';
import type { PathNode } from '../ast.js';
import { difference, union } from '../apply-update.js';
import { copyMap, getOwn, setOwn } from '../document-path.js';
import { attributePath } from './legacy-nodes.js';

export interface AttributeValueUpdate {
  readonly Value?: AttributeValue;
  readonly Action?: string;
}

export type AttributeUpdates = Readonly<Record<string, AttributeValueUpdate>>;

const INVALID = 'One or more parameter values were invalid: ';
const TYPE_MISMATCH = 'Type mismatch for attribute to update';

/** The actions and their order in DynamoDB's enum constraint message. */
const ACTIONS = ['ADD', 'PUT', 'DELETE'] as const;

/**
 * Request-level checks of AttributeUpdates, entry by entry in request order: the Action enum, a Value for every
 * action but DELETE, only sets for DELETE with a Value, only numbers, sets and lists for ADD.
 */
export function validateAttributeUpdates(updates: AttributeUpdates | undefined): void {
  if (updates === undefined || updates === null) return;
  for (const name of Object.keys(updates)) {
    const update = updates[name] as AttributeValueUpdate;
    const action = update.Action ?? 'PUT';
    if (!(ACTIONS as readonly string[]).includes(action)) {
      throw validationError(
        `1 validation error detected: Value '${action}' at 'attributeUpdates.${name}.member.action' failed to satisfy constraint: Member must satisfy enum value set: [${ACTIONS.join(', ')}]`,
      );
    }
    const value = update.Value;
    if (value === undefined || value === null) {
      if (action !== 'DELETE') {
        throw validationError(`${INVALID}Only DELETE action is allowed when no attribute value is specified`);
      }
      continue;
    }
    const type = typeOf(value);
    if (action === 'DELETE' && type !== 'SS' && type !== 'NS' && type !== 'BS') {
      throw validationError(`${INVALID}DELETE action with value is not supported for the type ${type}`);
    }
    if (action === 'ADD' && type !== 'N' && type !== 'SS' && type !== 'NS' && type !== 'BS' && type !== 'L') {
      throw validationError(`${INVALID}ADD action is not supported for the type ${type}`);
    }
  }
}

/** "Cannot update attribute pk. This attribute is part of the key" when an update names a key attribute. */
export function assertAttributeUpdatesKeyNotUpdated(updates: AttributeUpdates | undefined, tableKey: TableKey): void {
  if (updates === undefined || updates === null) return;
  const keyNames = tableKey.range ? [tableKey.hash.name, tableKey.range.name] : [tableKey.hash.name];
  for (const keyName of keyNames) {
    if (Object.hasOwn(updates, keyName)) {
      throw validationError(`${INVALID}Cannot update attribute ${keyName}. This attribute is part of the key`);
    }
  }
}

/**
 * Applies validated AttributeUpdates to `item` without mutating it. `changedPaths` are the named attributes, for
 * ReturnValues UPDATED_OLD / UPDATED_NEW (projectItem of these paths on the old / new item).
 */
export function applyAttributeUpdates(
  updates: AttributeUpdates | undefined,
  item: Item,
): { item: Item; changedPaths: PathNode[] } {
  const changedPaths: PathNode[] = [];
  if (updates === undefined || updates === null) return { item, changedPaths };
  let result: Record<string, AttributeValue> | undefined;
  for (const name of Object.keys(updates)) {
    const update = updates[name] as AttributeValueUpdate;
    changedPaths.push(attributePath(name));
    const current = result ?? item;
    const next = applyOne(getOwn(current, name), update);
    result ??= copyMap(item);
    if (next === undefined) delete result[name];
    else setOwn(result, name, next);
  }
  return { item: result ?? item, changedPaths };
}

function applyOne(existing: AttributeValue | undefined, update: AttributeValueUpdate): AttributeValue | undefined {
  const value = update.Value;
  switch (update.Action ?? 'PUT') {
    case 'PUT':
      return value;
    case 'DELETE':
      if (value === undefined || value === null) return undefined;
      return deleteMembers(existing, value);
    case 'ADD':
      if (value === undefined || value === null) return existing;
      return addValue(existing, value);
    default:
      throw new Error(`unvalidated AttributeUpdates action ${String(update.Action)}`);
  }
}

function addValue(existing: AttributeValue | undefined, value: AttributeValue): AttributeValue {
  if ('N' in value) {
    if (existing === undefined) return { N: addNumbers('0', value.N) };
    if (!('N' in existing)) throw validationError(TYPE_MISMATCH);
    return { N: addNumbers(existing.N, value.N) };
  }
  if (existing === undefined) return value;
  if ('L' in value) {
    if (!('L' in existing)) throw validationError(TYPE_MISMATCH);
    return { L: [...existing.L, ...value.L] };
  }
  if ('SS' in value) {
    if (!('SS' in existing)) throw validationError(TYPE_MISMATCH);
    return { SS: union(existing.SS, value.SS, false) };
  }
  if ('NS' in value) {
    if (!('NS' in existing)) throw validationError(TYPE_MISMATCH);
    return { NS: union(existing.NS, value.NS, true) };
  }
  if ('BS' in value) {
    if (!('BS' in existing)) throw validationError(TYPE_MISMATCH);
    return { BS: union(existing.BS, value.BS, false) };
  }
  throw new Error(`unvalidated AttributeUpdates ADD of type ${typeOf(value)}`);
}

function deleteMembers(existing: AttributeValue | undefined, value: AttributeValue): AttributeValue | undefined {
  if (existing === undefined) return undefined;
  let remaining: readonly string[];
  if ('SS' in value) {
    if (!('SS' in existing)) throw validationError(TYPE_MISMATCH);
    remaining = difference(existing.SS, value.SS, false);
    return remaining.length === 0 ? undefined : { SS: remaining };
  }
  if ('NS' in value) {
    if (!('NS' in existing)) throw validationError(TYPE_MISMATCH);
    remaining = difference(existing.NS, value.NS, true);
    return remaining.length === 0 ? undefined : { NS: remaining };
  }
  if ('BS' in value) {
    if (!('BS' in existing)) throw validationError(TYPE_MISMATCH);
    remaining = difference(existing.BS, value.BS, false);
    return remaining.length === 0 ? undefined : { BS: remaining };
  }
  throw new Error(`unvalidated AttributeUpdates DELETE of type ${typeOf(value)}`);
}
