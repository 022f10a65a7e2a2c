import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Item } from '../../model/attribute-value.js';
import { DynamoDbError } from '../../errors.js';
import { projectItem } from '../project.js';
import {
  applyAttributeUpdates,
  assertAttributeUpdatesKeyNotUpdated,
  validateAttributeUpdates,
  type AttributeUpdates,
} from './attribute-updates.js';

function assertValidation(fn: () => unknown, message: string): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof DynamoDbError);
    assert.equal(error.type, 'ValidationException');
    assert.equal(error.message, message);
    return true;
  });
}

test('AttributeUpdates actions apply as DynamoDB does', () => {
  const cases: [string, Item, AttributeUpdates, Item][] = [
    ['PUT (default action)', { p: { S: 'k' } }, { a: { Value: { N: '1' } } }, { p: { S: 'k' }, a: { N: '1' } }],
    ['PUT replaces', { a: { S: 'x' } }, { a: { Action: 'PUT', Value: { L: [] } } }, { a: { L: [] } }],
    ['DELETE without value removes', { a: { S: 'x' }, b: { S: 'y' } }, { a: { Action: 'DELETE' } }, { b: { S: 'y' } }],
    ['DELETE without value on a missing attribute', { b: { S: 'y' } }, { a: { Action: 'DELETE' } }, { b: { S: 'y' } }],
    ['DELETE members', { a: { NS: ['2', '4', '6', '7'] } }, { a: { Action: 'DELETE', Value: { NS: ['4', '5'] } } }, { a: { NS: ['2', '6', '7'] } }],
    ['DELETE all members removes', { a: { SS: ['x'] } }, { a: { Action: 'DELETE', Value: { SS: ['x'] } } }, {}],
    ['DELETE members of a missing attribute', {}, { a: { Action: 'DELETE', Value: { SS: ['x'] } } }, {}],
    ['ADD number', { a: { N: '3' } }, { a: { Action: 'ADD', Value: { N: '2' } } }, { a: { N: '5' } }],
    ['ADD number to missing', {}, { a: { Action: 'ADD', Value: { N: '2.5' } } }, { a: { N: '2.5' } }],
    ['ADD set', { a: { SS: ['a'] } }, { a: { Action: 'ADD', Value: { SS: ['a', 'b'] } } }, { a: { SS: ['a', 'b'] } }],
    ['ADD list appends', { a: { L: [{ N: '1' }] } }, { a: { Action: 'ADD', Value: { L: [{ N: '1' }, { S: 'x' }] } } }, { a: { L: [{ N: '1' }, { N: '1' }, { S: 'x' }] } }],
    ['ADD list to missing', {}, { a: { Action: 'ADD', Value: { L: [{ N: '1' }] } } }, { a: { L: [{ N: '1' }] } }],
    ['several, in order', { a: { N: '1' } }, { a: { Action: 'DELETE' }, b: { Value: { S: 'x' } } }, { b: { S: 'x' } }],
    ['dotted names are plain names', {}, { 'x.y': { Value: { S: 'v' } } }, { 'x.y': { S: 'v' } }],
  ];
  for (const [name, before, updates, expected] of cases) {
    const snapshot = structuredClone(before);
    validateAttributeUpdates(updates);
    const result = applyAttributeUpdates(updates, before);
    assert.deepEqual(result.item, expected, name);
    assert.deepEqual(before, snapshot, `${name}: input untouched`);
    assert.deepEqual(
      result.changedPaths.map((path) => path.elements),
      Object.keys(updates).map((attribute) => [{ kind: 'AttributeName', name: attribute }]),
      `${name}: changed paths`,
    );
  }
});

test('UPDATED_OLD / UPDATED_NEW from AttributeUpdates', () => {
  const old: Item = { p: { S: 'k' }, a: { N: '3' }, b: { S: 'dog' } };
  const result = applyAttributeUpdates({ a: { Action: 'ADD', Value: { N: '2' } }, c: { Value: { S: 'new' } } }, old);
  assert.deepEqual(projectItem(result.changedPaths, old), { a: { N: '3' } });
  assert.deepEqual(projectItem(result.changedPaths, result.item), { a: { N: '5' }, c: { S: 'new' } });
  const nothing = applyAttributeUpdates({}, old);
  assert.equal(nothing.item, old);
  assert.deepEqual(nothing.changedPaths, []);
});

test('AttributeUpdates runtime type mismatches', () => {
  const item: Item = { s: { S: 'x' }, ns: { NS: ['1'] }, l: { L: [] } };
  const cases: AttributeUpdates[] = [
    { s: { Action: 'ADD', Value: { N: '1' } } },
    { ns: { Action: 'ADD', Value: { SS: ['a'] } } },
    { s: { Action: 'ADD', Value: { L: [] } } },
    { l: { Action: 'ADD', Value: { NS: ['1'] } } },
    { s: { Action: 'DELETE', Value: { SS: ['x'] } } },
    { ns: { Action: 'DELETE', Value: { BS: ['AQ=='] } } },
  ];
  for (const updates of cases) {
    assertValidation(() => applyAttributeUpdates(updates, item), 'Type mismatch for attribute to update');
  }
});

test('AttributeUpdates validation messages', () => {
  const invalid = 'One or more parameter values were invalid: ';
  const cases: [AttributeUpdates, string][] = [
    [{ a: { Action: 'PUT' } }, `${invalid}Only DELETE action is allowed when no attribute value is specified`],
    [{ a: {} }, `${invalid}Only DELETE action is allowed when no attribute value is specified`],
    [{ a: { Action: 'ADD' } }, `${invalid}Only DELETE action is allowed when no attribute value is specified`],
    [{ a: { Action: 'DELETE', Value: { S: 'x' } } }, `${invalid}DELETE action with value is not supported for the type S`],
    [{ a: { Action: 'DELETE', Value: { L: [] } } }, `${invalid}DELETE action with value is not supported for the type L`],
    [{ a: { Action: 'ADD', Value: { S: 'x' } } }, `${invalid}ADD action is not supported for the type S`],
    [{ a: { Action: 'ADD', Value: { M: {} } } }, `${invalid}ADD action is not supported for the type M`],
    [{ a: { Action: 'ADD', Value: { BOOL: true } } }, `${invalid}ADD action is not supported for the type BOOL`],
    [{ a: { Action: 'REPLACE', Value: { S: 'x' } } }, "1 validation error detected: Value 'REPLACE' at 'attributeUpdates.a.member.action' failed to satisfy constraint: Member must satisfy enum value set: [ADD, PUT, DELETE]"],
  ];
  for (const [updates, message] of cases) assertValidation(() => validateAttributeUpdates(updates), message);
  assert.doesNotThrow(() => validateAttributeUpdates({ a: { Action: 'DELETE' }, b: { Action: 'ADD', Value: { NS: ['1'] } } }));
});

test('AttributeUpdates cannot touch key attributes', () => {
  const key = { hash: { name: 'p', type: 'S' as const }, range: { name: 'c', type: 'N' as const } };
  assertValidation(
    () => assertAttributeUpdatesKeyNotUpdated({ c: { Value: { N: '1' } }, p: { Action: 'DELETE' } }, key),
    'One or more parameter values were invalid: Cannot update attribute p. This attribute is part of the key',
  );
  assertValidation(
    () => assertAttributeUpdatesKeyNotUpdated({ c: { Value: { N: '1' } } }, key),
    'One or more parameter values were invalid: Cannot update attribute c. This attribute is part of the key',
  );
  assert.doesNotThrow(() => assertAttributeUpdatesKeyNotUpdated({ a: { Value: { N: '1' } } }, key));
});
