import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AttributeValue, Item } from '../model/attribute-value.js';
import { DynamoDbError } from '../errors.js';
import type { LiteralNode, OperandNode, UpdateActionNode, UpdateExpressionNode } from './ast.js';
import { applyUpdate, assertKeyNotUpdated } from './apply-update.js';
import { pathOf } from './document-path.js';
import { projectItem } from './project.js';

const lit = (value: AttributeValue): LiteralNode => ({ kind: 'Literal', value, placeholder: ':v', pos: 0 });
const p = pathOf;
const set = (path: (string | number)[], value: OperandNode): UpdateActionNode => ({ kind: 'SetAction', path: p(...path), value, pos: 0 });
const remove = (...path: (string | number)[]): UpdateActionNode => ({ kind: 'RemoveAction', path: p(...path), pos: 0 });
const add = (path: (string | number)[], value: AttributeValue): UpdateActionNode => ({ kind: 'AddAction', path: p(...path), value: lit(value), pos: 0 });
const del = (path: (string | number)[], value: AttributeValue): UpdateActionNode => ({ kind: 'DeleteAction', path: p(...path), value: lit(value), pos: 0 });
const update = (...actions: UpdateActionNode[]): UpdateExpressionNode => ({ kind: 'UpdateExpression', actions });
const call = (name: string, ...args: OperandNode[]): OperandNode => ({ kind: 'FunctionCall', name, args, pos: 0 });
const arith = (operator: '+' | '-', left: OperandNode, right: OperandNode): OperandNode => ({ kind: 'Arithmetic', operator, left, right, pos: 0 });
const n = (text: string): AttributeValue => ({ N: text });
const s = (text: string): AttributeValue => ({ S: text });
const list = (...values: AttributeValue[]): AttributeValue => ({ L: values });

const MISSING = 'The provided expression refers to an attribute that does not exist in the item';
const BAD_TYPE = 'An operand in the update expression has an incorrect data type';
const BAD_PATH = 'The document path provided in the update expression is invalid for update';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
    Object.freeze(value);
  }
  return value;
}

function assertValidation(fn: () => unknown, message: string, label = message): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof DynamoDbError, label);
    assert.equal(error.type, 'ValidationException', label);
    assert.equal(error.status, 400, label);
    assert.equal(error.message, message, label);
    return true;
  }, label);
}

test('applyUpdate produces exactly DynamoDB\'s items', () => {
  const cases: [string, Item, UpdateExpressionNode, Item][] = [
    ['SET top-level', { p: s('k') }, update(set(['a'], lit(n('1')))), { p: s('k'), a: n('1') }],
    ['SET copies from the old item', { a: s('old') }, update(set(['a'], lit(s('new'))), set(['b'], p('a'))), { a: s('new'), b: s('old') }],
    ['REMOVE a SET b = a', { a: s('hello') }, update(remove('a'), set(['b'], p('a'))), { b: s('hello') }],
    ['SET a = a + 3', { a: n('2') }, update(set(['a'], arith('+', p('a'), lit(n('3'))))), { a: n('5') }],
    ['SET a = 7 - a', { a: n('2') }, update(set(['a'], arith('-', lit(n('7')), p('a')))), { a: n('5') }],
    ['SET decimals', { a: n('0.1') }, update(set(['a'], arith('+', p('a'), lit(n('0.2'))))), { a: n('0.3') }],
    ['list_append(a, :v)', { a: list(s('hi')) }, update(set(['a'], call('list_append', p('a'), lit(list(n('4')))))), { a: list(s('hi'), n('4')) }],
    ['list_append(:v, a)', { a: list(s('hi')) }, update(set(['a'], call('list_append', lit(list(n('4'))), p('a')))), { a: list(n('4'), s('hi')) }],
    ['if_not_exists absent', {}, update(set(['a'], call('if_not_exists', p('a'), lit(n('2'))))), { a: n('2') }],
    ['if_not_exists present', { a: n('9') }, update(set(['a'], call('if_not_exists', p('a'), lit(n('2'))))), { a: n('9') }],
    ['if_not_exists(b) + 3', {}, update(set(['b'], arith('+', call('if_not_exists', p('b'), lit(n('2'))), lit(n('3'))))), { b: n('5') }],
    ['SET nested map key', { a: { M: { b: n('3'), c: n('4') } }, d: n('5') }, update(set(['a', 'c'], lit(n('7'))), set(['a', 'x'], lit(n('1')))), { a: { M: { b: n('3'), c: n('7'), x: n('1') } }, d: n('5') }],
    ['SET list element', { a: list(s('one'), s('two'), s('three')) }, update(set(['a', 1], lit(s('hello')))), { a: list(s('one'), s('hello'), s('three')) }],
    ['SET past the end appends, in index order', { a: list(s('one')) }, update(set(['a', 84], lit(s('a1'))), set(['a', 37], lit(s('a2'))), set(['a', 17], lit(s('a3')))), { a: list(s('one'), s('a3'), s('a2'), s('a1')) }],
    ['REMOVE a[1] SET a[3]: original indexes', { a: list(n('2'), n('3'), n('4'), n('5'), n('6'), n('7')) }, update(remove('a', 1), set(['a', 3], lit(n('17')))), { a: list(n('2'), n('4'), n('17'), n('6'), n('7')) }],
    ['SET a[3] REMOVE a[1]: same result', { a: list(n('2'), n('3'), n('4'), n('5'), n('6'), n('7')) }, update(set(['a', 3], lit(n('17'))), remove('a', 1)), { a: list(n('2'), n('4'), n('17'), n('6'), n('7')) }],
    ['REMOVE several indexes of one list', { a: list(n('0'), n('1'), n('2'), n('3')) }, update(remove('a', 0), remove('a', 2)), { a: list(n('1'), n('3')) }],
    ['REMOVE deep', { a: { M: { b: n('3'), c: list(s('hi'), { M: { x: { M: { y: list(n('3'), n('5'), n('7')) } }, q: n('2') } }) } } }, update(remove('a', 'c', 1, 'x', 'y', 1), remove('a', 'c', 1, 'q')), { a: { M: { b: n('3'), c: list(s('hi'), { M: { x: { M: { y: list(n('3'), n('7')) } } } }) } } }],
    ['REMOVE missing leaf is a no-op', { a: { M: { x: n('3') } }, b: list(s('hi')) }, update(remove('a', 'y'), remove('b', 7), remove('c')), { a: { M: { x: n('3') } }, b: list(s('hi')) }],
    ['REMOVE the only map member leaves {}', { a: { M: { b: n('1') } } }, update(remove('a', 'b')), { a: { M: {} } }],
    ['REMOVE the only list element leaves []', { a: list(n('1')) }, update(remove('a', 0)), { a: list() }],
    ['ADD to a number', { a: n('3') }, update(add(['a'], n('4'))), { a: n('7') }],
    ['ADD creates a number from 0', {}, update(add(['b'], n('-8'))), { b: n('-8') }],
    ['ADD to a set', { a: { SS: ['dog', 'cat'] } }, update(add(['a'], { SS: ['cat', 'pig'] })), { a: { SS: ['dog', 'cat', 'pig'] } }],
    ['ADD to a number set (numeric)', { a: { NS: ['1', '2'] } }, update(add(['a'], { NS: ['2', '3'] })), { a: { NS: ['1', '2', '3'] } }],
    ['ADD creates a set', {}, update(add(['a'], { BS: ['AQ=='] })), { a: { BS: ['AQ=='] } }],
    ['ADD nested', { m: { M: {} } }, update(add(['m', 'c'], n('1'))), { m: { M: { c: n('1') } } }],
    ['DELETE members', { a: { SS: ['dog', 'cat', 'mouse'] } }, update(del(['a'], { SS: ['cat', 'mouse', 'pig'] })), { a: { SS: ['dog'] } }],
    ['DELETE the last members removes the attribute', { a: { NS: ['1'] }, b: s('hi') }, update(del(['a'], { NS: ['1'] })), { b: s('hi') }],
    ['DELETE from a missing attribute', { b: s('hi') }, update(del(['a'], { SS: ['x'] })), { b: s('hi') }],
    ['attribute named __proto__', {}, update(set(['__proto__'], lit(s('x')))), JSON.parse('{"__proto__":{"S":"x"}}') as Item],
  ];
  for (const [name, before, node, expected] of cases) {
    const frozen = deepFreeze(structuredClone(before));
    const result = applyUpdate(node, frozen);
    assert.deepEqual(result.item, expected, name);
    assert.deepEqual(frozen, before, `${name}: input untouched`);
    assert.deepEqual(result.changedPaths, node.actions.map((action) => action.path), `${name}: changed paths`);
  }
});

test('applyUpdate shares every untouched value with the old item', () => {
  const before: Item = { a: { M: { x: n('1'), y: { M: { z: n('2') } } } }, b: list(s('big')) };
  const { item } = applyUpdate(update(set(['a', 'x'], lit(n('9')))), before);
  assert.equal(item.b, before.b);
  assert.equal((item.a as { M: Record<string, AttributeValue> }).M.y, (before.a as { M: Record<string, AttributeValue> }).M.y);
  const unchanged = applyUpdate(update(remove('missing')), before);
  assert.equal(unchanged.item, before);
});

test('applyUpdate raises DynamoDB\'s runtime errors', () => {
  const item: Item = { a: s('hello'), b: list(s('hi')), n: n('1'), ss: { SS: ['x'] } };
  const cases: [string, UpdateExpressionNode, string][] = [
    ['SET c = z (missing)', update(set(['c'], p('z'))), MISSING],
    ['SET x = :v, y = x', update(set(['x'], lit(n('4'))), set(['y'], p('x'))), MISSING],
    ['SET c = a + 1', update(set(['c'], arith('+', p('a'), lit(n('1'))))), BAD_TYPE],
    ['SET c = 1 - a', update(set(['c'], arith('-', lit(n('1')), p('a')))), BAD_TYPE],
    ['SET c = z + 1', update(set(['c'], arith('+', p('z'), lit(n('1'))))), MISSING],
    ['list_append(a, :v)', update(set(['c'], call('list_append', p('a'), lit(list())))), BAD_TYPE],
    ['list_append(:v, n)', update(set(['c'], call('list_append', lit(list()), p('n')))), BAD_TYPE],
    ['list_append(z, :v)', update(set(['c'], call('list_append', p('z'), lit(list())))), MISSING],
    ['ADD to a string', update(add(['a'], n('1'))), BAD_TYPE],
    ['ADD a set to a list', update(add(['b'], { NS: ['1'] })), BAD_TYPE],
    ['ADD SS to NS', update(add(['ss'], { NS: ['1'] })), BAD_TYPE],
    ['DELETE from a string', update(del(['a'], { SS: ['x'] })), BAD_TYPE],
    ['DELETE NS from SS', update(del(['ss'], { NS: ['1'] })), BAD_TYPE],
    ['ADD a string operand', update(add(['a'], s('x'))), 'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING'],
    ['ADD a list operand', update(add(['b'], list())), 'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: LIST'],
    ['DELETE a number operand', update(del(['n'], n('1'))), 'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER'],
    ['SET a.c on a string', update(set(['a', 'c'], lit(n('7')))), BAD_PATH],
    ['SET b.c on a list', update(set(['b', 'c'], lit(n('7')))), BAD_PATH],
    ['SET c.c on a missing attribute', update(set(['c', 'c'], lit(n('7')))), BAD_PATH],
    ['SET a[0] on a string', update(set(['a', 0], lit(n('7')))), BAD_PATH],
    ['SET z[0] on a missing attribute', update(set(['z', 0], lit(n('7')))), BAD_PATH],
    ['SET b[5].x past the end', update(set(['b', 5, 'x'], lit(n('7')))), BAD_PATH],
    ['REMOVE a.c', update(remove('a', 'c')), BAD_PATH],
    ['REMOVE c.c', update(remove('c', 'c')), BAD_PATH],
    ['REMOVE a[0]', update(remove('a', 0)), BAD_PATH],
    ['number overflow', update(set(['c'], arith('+', lit(n('9.9999999999999999999999999999999999999E+125')), lit(n('9.9999999999999999999999999999999999999E+125'))))), 'Number overflow. Attempting to store a number with magnitude larger than supported range'],
    ['overlapping paths', update(set(['a'], lit(n('1'))), remove('a')), 'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]'],
    ['overlapping nested paths', update(set(['m', 'b'], lit(n('1'))), set(['m'], lit(n('2')))), 'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [m, b], path two: [m]'],
    ['conflicting paths', update(set(['m', 'b'], lit(n('1'))), set(['m', 1], lit(n('2')))), 'Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [m, b], path two: [m, [1]]'],
  ];
  for (const [name, node, message] of cases) assertValidation(() => applyUpdate(node, item), message, name);
});

test('REMOVE below a missing parent is ignored only when the item did not exist', () => {
  const key: Item = { p: s('k') };
  assert.deepEqual(applyUpdate(update(remove('x', 'y'), remove('z', 0)), key, { itemExisted: false }).item, key);
  assertValidation(() => applyUpdate(update(remove('x', 'y')), key), BAD_PATH);
  assertValidation(() => applyUpdate(update(set(['c', 'c'], lit(n('7')))), key, { itemExisted: false }), BAD_PATH);
});

test('changedPaths project into DynamoDB\'s UPDATED_OLD / UPDATED_NEW', () => {
  const old: Item = { p: s('k'), a: { M: { b: s('dog'), c: list(n('1'), n('2'), n('3')) } }, d: s('cat') };
  const cases: [string, UpdateExpressionNode, Item, Item][] = [
    ['SET a.b', update(set(['a', 'b'], lit(s('hi')))), { a: { M: { b: s('dog') } } }, { a: { M: { b: s('hi') } } }],
    ['SET a.c[1], a.b', update(set(['a', 'c', 1], lit(n('7'))), set(['a', 'b'], lit(s('yo')))), { a: { M: { b: s('dog'), c: list(n('2')) } } }, { a: { M: { b: s('yo'), c: list(n('7')) } } }],
    ['REMOVE a.c[1], a.c[3]', update(remove('a', 'c', 1), remove('a', 'c', 3)), { a: { M: { c: list(n('2')) } } }, { a: { M: { c: list(n('3')) } } }],
    ['SET a.x1 (new)', update(set(['a', 'x1'], lit(n('8')))), {}, { a: { M: { x1: n('8') } } }],
    ['SET a.c[100] appends but returns nothing', update(set(['a', 'c', 100], lit(n('70')))), {}, {}],
    ['REMOVE d', update(remove('d')), { d: s('cat') }, {}],
  ];
  for (const [name, node, updatedOld, updatedNew] of cases) {
    const result = applyUpdate(node, old);
    assert.deepEqual(projectItem(result.changedPaths, old), updatedOld, `${name}: UPDATED_OLD`);
    assert.deepEqual(projectItem(result.changedPaths, result.item), updatedNew, `${name}: UPDATED_NEW`);
  }
});

test('assertKeyNotUpdated rejects any action on a key attribute, hash key first', () => {
  const key = { hash: { name: 'p', type: 'S' as const }, range: { name: 'c', type: 'N' as const } };
  const cases: [UpdateExpressionNode, string | undefined][] = [
    [update(set(['p'], lit(s('x')))), 'p'],
    [update(remove('c')), 'c'],
    [update(add(['c'], n('1'))), 'c'],
    [update(del(['p'], { SS: ['x'] })), 'p'],
    [update(set(['p', 'nested'], lit(s('x')))), 'p'],
    [update(set(['c'], lit(n('1'))), set(['p'], lit(s('x')))), 'p'],
    [update(set(['a'], lit(s('x'))), remove('b')), undefined],
  ];
  for (const [node, attribute] of cases) {
    if (attribute === undefined) {
      assert.doesNotThrow(() => assertKeyNotUpdated(node, key));
    } else {
      assertValidation(
        () => assertKeyNotUpdated(node, key),
        `One or more parameter values were invalid: Cannot update attribute ${attribute}. This attribute is part of the key`,
      );
    }
  }
  assert.doesNotThrow(() => assertKeyNotUpdated(update(set(['c'], lit(n('1')))), { hash: { name: 'p', type: 'S' } }));
});
