import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AttributeValue, Item } from '../model/attribute-value.js';
import type { ComparisonOperator, ConditionNode, LiteralNode, OperandNode } from './ast.js';
import { pathOf } from './document-path.js';
import { evaluateCondition } from './evaluate-condition.js';
import { evaluateOperand, sizeOf } from './evaluate-operand.js';

const lit = (value: AttributeValue): LiteralNode => ({ kind: 'Literal', value, placeholder: ':v', pos: 0 });
const p = (...steps: (string | number)[]): OperandNode => pathOf(...steps);
const cmp = (operator: ComparisonOperator, left: OperandNode, right: OperandNode): ConditionNode => ({
  kind: 'Comparison', operator, left, right, pos: 0,
});
const fn = (name: string, ...args: OperandNode[]): ConditionNode => ({
  kind: 'ConditionFunction', pos: 0, call: { kind: 'FunctionCall', name, args, pos: 0 },
});
const size = (arg: OperandNode): OperandNode => ({ kind: 'FunctionCall', name: 'size', args: [arg], pos: 0 });
const b64 = (text: string): string => Buffer.from(text).toString('base64');

const item: Item = {
  n: { N: '5' },
  n2: { N: '5' },
  s: { S: 'hello' },
  b: { B: b64('hi there') },
  t: { BOOL: true },
  nul: { NULL: true },
  ss: { SS: ['dog', 'cat'] },
  ns: { NS: ['2', '4', '7'] },
  bs: { BS: [b64('x'), b64('y')] },
  l: { L: [{ S: 'a' }, { N: '4' }, { M: { k: { S: 'v' } } }] },
  m: { M: { k: { S: 'v' }, deep: { L: [{ N: '1' }] } } },
  unicode: { S: 'é𝄞' },
  empty: { S: '' },
};

test('comparisons: same-type only, numbers numeric, missing operands', () => {
  const cases: [string, ConditionNode, boolean][] = [
    ['n = 5', cmp('=', p('n'), lit({ N: '5' })), true],
    ['n = 50', cmp('=', p('n'), lit({ N: '50' })), false],
    ['n < 10 (numeric, not text order)', cmp('<', p('n'), lit({ N: '10' })), true],
    ['n = "5" (type differs)', cmp('=', p('n'), lit({ S: '5' })), false],
    ['n <> "5" (type differs)', cmp('<>', p('n'), lit({ S: '5' })), true],
    ['n <> 5', cmp('<>', p('n'), lit({ N: '5' })), false],
    ['n = n2', cmp('=', p('n'), p('n2')), true],
    ['missing = 5', cmp('=', p('missing'), lit({ N: '5' })), false],
    ['missing <> 5 (true in DynamoDB)', cmp('<>', p('missing'), lit({ N: '5' })), true],
    ['missing = other missing', cmp('=', p('missing'), p('other')), false],
    ['missing <> other missing', cmp('<>', p('missing'), p('other')), true],
    ['missing < 5', cmp('<', p('missing'), lit({ N: '5' })), false],
    ['missing >= 5', cmp('>=', p('missing'), lit({ N: '5' })), false],
    ['n < 10', cmp('<', p('n'), lit({ N: '10' })), true],
    ['n <= 5', cmp('<=', p('n'), lit({ N: '5' })), true],
    ['n > 5', cmp('>', p('n'), lit({ N: '5' })), false],
    ['n >= -5', cmp('>=', p('n'), lit({ N: '-5' })), true],
    ['s < "help" ', cmp('<', p('s'), lit({ S: 'help' })), true],
    ['s > "Hello"', cmp('>', p('s'), lit({ S: 'Hello' })), true],
    ['b > B("hi")', cmp('>', p('b'), lit({ B: b64('hi') })), true],
    ['n < "9" (type differs)', cmp('<', p('n'), lit({ S: '9' })), false],
    ['t > false (BOOL not ordered)', cmp('>', p('t'), lit({ BOOL: false })), false],
    ['ss < ss (sets not ordered)', cmp('<', p('ss'), p('ss')), false],
    ['t = true', cmp('=', p('t'), lit({ BOOL: true })), true],
    ['nul = NULL', cmp('=', p('nul'), lit({ NULL: true })), true],
    ['ss = {cat, dog} (unordered)', cmp('=', p('ss'), lit({ SS: ['cat', 'dog'] })), true],
    ['ns = {7,4,2.0}', cmp('=', p('ns'), lit({ NS: ['7', '4', '2'] })), true],
    ['l = same list', cmp('=', p('l'), lit({ L: [{ S: 'a' }, { N: '4' }, { M: { k: { S: 'v' } } }] })), true],
    ['m = same map', cmp('=', p('m'), lit({ M: { deep: { L: [{ N: '1' }] }, k: { S: 'v' } } })), true],
    ['m.k = "v" (nested)', cmp('=', p('m', 'k'), lit({ S: 'v' })), true],
    ['l[2].k = "v"', cmp('=', p('l', 2, 'k'), lit({ S: 'v' })), true],
    ['l[9] <> "v"', cmp('<>', p('l', 9), lit({ S: 'v' })), true],
  ];
  for (const [name, node, expected] of cases) assert.equal(evaluateCondition(node, item), expected, name);
});

test('every comparison on a missing item: only <> is true', () => {
  const operators: [ComparisonOperator, boolean][] = [
    ['=', false], ['<>', true], ['<', false], ['<=', false], ['>', false], ['>=', false],
  ];
  for (const [operator, expected] of operators) {
    assert.equal(evaluateCondition(cmp(operator, p('a'), lit({ N: '1' })), undefined), expected, operator);
  }
});

test('BETWEEN and IN', () => {
  const between = (operand: OperandNode, low: AttributeValue, high: AttributeValue): ConditionNode => ({
    kind: 'Between', operand, low: lit(low), high: lit(high), pos: 0,
  });
  const inList = (operand: OperandNode, ...values: AttributeValue[]): ConditionNode => ({
    kind: 'In', operand, list: values.map(lit), pos: 0,
  });
  const cases: [string, ConditionNode, boolean][] = [
    ['n between 1 and 10', between(p('n'), { N: '1' }, { N: '10' }), true],
    ['n between 5 and 5', between(p('n'), { N: '5' }, { N: '5' }), true],
    ['n between 6 and 10', between(p('n'), { N: '6' }, { N: '10' }), false],
    ['s between "a" and "z"', between(p('s'), { S: 'a' }, { S: 'z' }), true],
    ['s between "i" and "z"', between(p('s'), { S: 'i' }, { S: 'z' }), false],
    ['n between "1" and "9" (type differs)', between(p('n'), { S: '1' }, { S: '9' }), false],
    ['missing between', between(p('missing'), { N: '0' }, { N: '100' }), false],
    ['n between 10 and 1 (reversed, from paths)', between(p('n'), { N: '10' }, { N: '1' }), false],
    ['n in (1, 5)', inList(p('n'), { N: '1' }, { N: '5' }), true],
    ['n in ("5")', inList(p('n'), { S: '5' }), false],
    ['ss in ({dog,cat})', inList(p('ss'), { SS: ['cat', 'dog'] }), true],
    ['missing in (1)', inList(p('missing'), { N: '1' }), false],
  ];
  for (const [name, node, expected] of cases) assert.equal(evaluateCondition(node, item), expected, name);
});

test('functions: attribute_exists, attribute_not_exists, attribute_type', () => {
  const cases: [string, ConditionNode, boolean][] = [
    ['attribute_exists(n)', fn('attribute_exists', p('n')), true],
    ['attribute_exists(nul)', fn('attribute_exists', p('nul')), true],
    ['attribute_exists(missing)', fn('attribute_exists', p('missing')), false],
    ['attribute_exists(m.k)', fn('attribute_exists', p('m', 'k')), true],
    ['attribute_exists(m.x)', fn('attribute_exists', p('m', 'x')), false],
    ['attribute_not_exists(missing)', fn('attribute_not_exists', p('missing')), true],
    ['attribute_not_exists(n)', fn('attribute_not_exists', p('n')), false],
  ];
  const types: [string, string, boolean][] = [
    ['n', 'N', true], ['s', 'S', true], ['b', 'B', true], ['t', 'BOOL', true], ['nul', 'NULL', true],
    ['ss', 'SS', true], ['ns', 'NS', true], ['bs', 'BS', true], ['l', 'L', true], ['m', 'M', true],
    ['n', 'S', false], ['ss', 'S', false], ['missing', 'N', false], ['n', 'NUMBER', false],
  ];
  for (const [attribute, type, expected] of types) {
    cases.push([`attribute_type(${attribute}, ${type})`, fn('attribute_type', p(attribute), lit({ S: type })), expected]);
  }
  for (const [name, node, expected] of cases) assert.equal(evaluateCondition(node, item), expected, name);
  assert.equal(evaluateCondition(fn('attribute_not_exists', p('n')), undefined), true);
});

test('functions: begins_with and contains', () => {
  const cases: [string, ConditionNode, boolean][] = [
    ['begins_with(s, "hel")', fn('begins_with', p('s'), lit({ S: 'hel' })), true],
    ['begins_with(s, "")', fn('begins_with', p('s'), lit({ S: '' })), true],
    ['begins_with(s, "ello")', fn('begins_with', p('s'), lit({ S: 'ello' })), false],
    ['begins_with(b, B"hi")', fn('begins_with', p('b'), lit({ B: b64('hi') })), true],
    ['begins_with(b, B"there")', fn('begins_with', p('b'), lit({ B: b64('there') })), false],
    ['begins_with(b, "hi") (type differs)', fn('begins_with', p('b'), lit({ S: 'hi' })), false],
    ['begins_with(n, "5")', fn('begins_with', p('n'), lit({ S: '5' })), false],
    ['begins_with(missing, "a")', fn('begins_with', p('missing'), lit({ S: 'a' })), false],
    ['contains(s, "ell")', fn('contains', p('s'), lit({ S: 'ell' })), true],
    ['contains(s, "dog")', fn('contains', p('s'), lit({ S: 'dog' })), false],
    ['contains(b, B"there")', fn('contains', p('b'), lit({ B: b64('there') })), true],
    ['contains(b, B"dog")', fn('contains', p('b'), lit({ B: b64('dog') })), false],
    ['contains(ss, "cat")', fn('contains', p('ss'), lit({ S: 'cat' })), true],
    ['contains(ss, "ca")', fn('contains', p('ss'), lit({ S: 'ca' })), false],
    ['contains(ns, 4)', fn('contains', p('ns'), lit({ N: '4' })), true],
    ['contains(ns, 40)', fn('contains', p('ns'), lit({ N: '40' })), false],
    ['contains(ns, "4")', fn('contains', p('ns'), lit({ S: '4' })), false],
    ['contains(bs, B"y")', fn('contains', p('bs'), lit({ B: b64('y') })), true],
    ['contains(l, "a")', fn('contains', p('l'), lit({ S: 'a' })), true],
    ['contains(l, 4)', fn('contains', p('l'), lit({ N: '4' })), true],
    ['contains(l, "4")', fn('contains', p('l'), lit({ S: '4' })), false],
    ['contains(l, {k: v})', fn('contains', p('l'), lit({ M: { k: { S: 'v' } } })), true],
    ['contains(n, 5)', fn('contains', p('n'), lit({ N: '5' })), false],
    ['contains(m, "k")', fn('contains', p('m'), lit({ S: 'k' })), false],
    ['contains(missing, "a")', fn('contains', p('missing'), lit({ S: 'a' })), false],
    ['contains(s, s) (path operand)', fn('contains', p('s'), p('s')), true],
  ];
  for (const [name, node, expected] of cases) assert.equal(evaluateCondition(node, item), expected, name);
});

test('size(): UTF-16 length of strings, bytes of binaries, member counts; no value for N, BOOL, NULL', () => {
  const cases: [string, AttributeValue | undefined][] = [
    ['s', { N: '5' }],
    ['unicode', { N: '3' }],
    ['empty', { N: '0' }],
    ['b', { N: '8' }],
    ['ss', { N: '2' }],
    ['ns', { N: '3' }],
    ['bs', { N: '2' }],
    ['l', { N: '3' }],
    ['m', { N: '2' }],
    ['n', undefined],
    ['t', undefined],
    ['nul', undefined],
    ['missing', undefined],
  ];
  for (const [attribute, expected] of cases) assert.deepEqual(evaluateOperand(size(p(attribute)), item), expected, attribute);
  assert.equal(sizeOf({ B: '' }), 0);
  assert.equal(sizeOf({ B: b64('ab') }), 2);
  assert.equal(sizeOf({ B: b64('abc') }), 3);
});

test('size() in comparisons: unsupported types make the comparison false, <> true', () => {
  const cases: [string, ConditionNode, boolean][] = [
    ['size(s) = 5', cmp('=', size(p('s')), lit({ N: '5' })), true],
    ['size(l) > 2', cmp('>', size(p('l')), lit({ N: '2' })), true],
    ['size(n) > 0', cmp('>', size(p('n')), lit({ N: '0' })), false],
    ['size(t) >= 0', cmp('>=', size(p('t')), lit({ N: '0' })), false],
    ['size(n) <> 0', cmp('<>', size(p('n')), lit({ N: '0' })), true],
    ['size(missing) = 0', cmp('=', size(p('missing')), lit({ N: '0' })), false],
  ];
  for (const [name, node, expected] of cases) assert.equal(evaluateCondition(node, item), expected, name);
});

test('AND, OR, NOT and parentheses', () => {
  const yes = fn('attribute_exists', p('n'));
  const no = fn('attribute_exists', p('missing'));
  const cases: [string, ConditionNode, boolean][] = [
    ['yes AND yes', { kind: 'And', left: yes, right: yes, pos: 0 }, true],
    ['yes AND no', { kind: 'And', left: yes, right: no, pos: 0 }, false],
    ['no OR yes', { kind: 'Or', left: no, right: yes, pos: 0 }, true],
    ['no OR no', { kind: 'Or', left: no, right: no, pos: 0 }, false],
    ['NOT no', { kind: 'Not', operand: no, pos: 0 }, true],
    ['NOT (yes)', { kind: 'Not', operand: { kind: 'Parentheses', inner: yes, pos: 0 }, pos: 0 }, false],
  ];
  for (const [name, node, expected] of cases) assert.equal(evaluateCondition(node, item), expected, name);
});
