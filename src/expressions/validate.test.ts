/**
 * Table-driven tests of every static validation message and of the order DynamoDB reports them in, through the
 * module's entry point.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DynamoDbError } from '../errors.js';
import type { AttributeValue } from '../model/attribute-value.js';
import { compileExpressions, type ExpressionRequest } from './compile.js';
import type { ExpressionKind } from './expression-kind.js';
import { isReservedWord, RESERVED_WORD_COUNT } from './reserved-words.js';

function message(request: ExpressionRequest, valueExpressions?: readonly ExpressionKind[]): string {
  try {
    compileExpressions(request, valueExpressions ? { valueExpressions } : undefined);
  } catch (error) {
    assert.ok(error instanceof DynamoDbError, String(error));
    assert.equal(error.type, 'ValidationException');
    assert.equal(error.status, 400);
    return error.message;
  }
  assert.fail('expected a ValidationException');
}

const S: AttributeValue = { S: 'x' };
const N: AttributeValue = { N: '1' };

const C = 'Invalid ConditionExpression: ';
const U = 'Invalid UpdateExpression: ';
const P = 'Invalid ProjectionExpression: ';

describe('condition validation messages', () => {
  const cases: [string, ExpressionRequest, string][] = [
    ['unknown function', { ConditionExpression: 'foo(a)' }, `${C}Invalid function name; function: foo`],
    [
      'update function in a condition',
      { ConditionExpression: 'if_not_exists(a, :v) = :v', ExpressionAttributeValues: { ':v': S } },
      `${C}The function is not allowed in a condition expression; function: if_not_exists`,
    ],
    [
      'boolean function as an operand',
      { ConditionExpression: 'attribute_exists(a) = :v', ExpressionAttributeValues: { ':v': S } },
      `${C}The function is not allowed to be used this way in an expression; function: attribute_exists`,
    ],
    ['size as a condition', { ConditionExpression: 'size(a)' }, `${C}The function is not allowed to be used this way in an expression; function: size`],
    [
      'wrong operand count',
      { ConditionExpression: 'size(a, b) > :v', ExpressionAttributeValues: { ':v': N } },
      `${C}Incorrect number of operands for operator or function; operator or function: size, number of operands: 2`,
    ],
    [
      'attribute_exists needs a path',
      { ConditionExpression: 'attribute_exists(:v)', ExpressionAttributeValues: { ':v': S } },
      `${C}Operator or function requires a document path; operator or function: attribute_exists`,
    ],
    [
      'begins_with with a number',
      { ConditionExpression: 'begins_with(a, :v)', ExpressionAttributeValues: { ':v': N } },
      `${C}Incorrect operand type for operator or function; operator or function: begins_with, operand type: N`,
    ],
    [
      'begins_with of size',
      { ConditionExpression: 'begins_with(size(a), :v)', ExpressionAttributeValues: { ':v': S } },
      `${C}Incorrect operand type for operator or function; operator or function: begins_with, operand type: N`,
    ],
    [
      'attribute_type with a number',
      { ConditionExpression: 'attribute_type(a, :v)', ExpressionAttributeValues: { ':v': N } },
      `${C}Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N`,
    ],
    [
      'attribute_type with a path',
      { ConditionExpression: 'attribute_type(a, b)' },
      `${C}Incorrect operand type for operator or function; operator or function: attribute_type, operand type: {NS,SS,L,BS,N,M,B,BOOL,NULL,S}`,
    ],
    [
      'attribute_type with an unknown type',
      { ConditionExpression: 'attribute_type(a, :v)', ExpressionAttributeValues: { ':v': { S: 'STRING' } } },
      `${C}Invalid attribute type name found; type: STRING, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}`,
    ],
    [
      'size of a number',
      { ConditionExpression: 'size(:n) > :n', ExpressionAttributeValues: { ':n': N } },
      `${C}Incorrect operand type for operator or function; operator or function: size, operand type: N`,
    ],
    [
      'size of size',
      { ConditionExpression: 'size(size(a)) > :n', ExpressionAttributeValues: { ':n': N } },
      `${C}Incorrect operand type for operator or function; operator or function: size, operand type: N`,
    ],
    [
      'identical operands',
      { ConditionExpression: '#a = a', ExpressionAttributeNames: { '#a': 'a' } },
      `${C}The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a]`,
    ],
    [
      'identical function operands',
      { ConditionExpression: 'begins_with(a.b[1], a.b[1])' },
      `${C}The first operand must be distinct from the remaining operands for this operator or function; operator: begins_with, first operand: [a, b, [1]]`,
    ],
    [
      'BETWEEN bounds of different types',
      { ConditionExpression: 'a BETWEEN :a AND :b', ExpressionAttributeValues: { ':a': N, ':b': S } },
      `${C}The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:x}`,
    ],
    [
      'BETWEEN bounds in the wrong order',
      { ConditionExpression: 'a BETWEEN :a AND :b', ExpressionAttributeValues: { ':a': { N: '10' }, ':b': { N: '9' } } },
      `${C}The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:10}, upper bound operand: AttributeValue: {N:9}`,
    ],
    ['undefined name', { ConditionExpression: '#a = b' }, `${C}An expression attribute name used in the document path is not defined; attribute name: #a`],
    ['undefined value', { ConditionExpression: 'a = :v' }, `${C}An expression attribute value used in expression is not defined; attribute value: :v`],
    ['reserved word', { ConditionExpression: 'a.Comment = b' }, `${C}Attribute name is a reserved keyword; reserved keyword: Comment`],
    [
      'too deep a path',
      { ConditionExpression: `attribute_exists(a${'.b'.repeat(32)})` },
      `${C}The document path has too many nesting levels; nesting levels: 33`,
    ],
  ];
  for (const [name, request, expected] of cases) it(name, () => assert.equal(message(request), expected));

  it('accepts 32 nesting levels', () => {
    assert.doesNotThrow(() => compileExpressions({ ConditionExpression: `attribute_exists(a${'.b'.repeat(31)})` }));
  });

  it('accepts BETWEEN with equal bounds', () => {
    assert.doesNotThrow(() =>
      compileExpressions({ ConditionExpression: 'a BETWEEN :a AND :b', ExpressionAttributeValues: { ':a': N, ':b': { N: '1.0' } } }),
    );
  });
});

describe('condition error precedence', () => {
  const cases: [string, string, string][] = [
    // unknown function beats everything after it, even when written later
    ['unknown function before reserved word', 'COMMENT = :v AND foo(a)', `${C}Invalid function name; function: foo`],
    ['misused function before reserved word', 'COMMENT = :v AND attribute_exists(a) = :v', `${C}The function is not allowed to be used this way in an expression; function: attribute_exists`],
    ['reserved word before undefined name', '#x = :v AND COMMENT = :v', `${C}Attribute name is a reserved keyword; reserved keyword: COMMENT`],
    ['first failing leaf wins', 'size(a, b) = :v AND #x = :v', `${C}Incorrect number of operands for operator or function; operator or function: size, number of operands: 2`],
    ['undefined placeholder first within a leaf', 'begins_with(:n, :zz)', `${C}An expression attribute value used in expression is not defined; attribute value: :zz`],
  ];
  for (const [name, expression, expected] of cases) {
    it(name, () => assert.equal(message({ ConditionExpression: expression, ExpressionAttributeValues: { ':v': S, ':n': N } }), expected));
  }
});

describe('update validation messages', () => {
  const cases: [string, ExpressionRequest, string][] = [
    ['unknown function', { UpdateExpression: 'SET a = foo(b)' }, `${U}Invalid function name; function: foo`],
    ['condition function', { UpdateExpression: 'SET a = size(b)' }, `${U}The function is not allowed in an update expression; function: size`],
    ['repeated clause', { UpdateExpression: 'SET a = b REMOVE c SET d = e' }, `${U}The "SET" section can only be used once in an update expression;`],
    ['repeated REMOVE', { UpdateExpression: 'REMOVE a REMOVE b' }, `${U}The "REMOVE" section can only be used once in an update expression;`],
    ['undefined name', { UpdateExpression: 'SET #a = b' }, `${U}An expression attribute name used in the document path is not defined; attribute name: #a`],
    ['undefined value', { UpdateExpression: 'SET a = :v' }, `${U}An expression attribute value used in expression is not defined; attribute value: :v`],
    ['same path twice', { UpdateExpression: 'SET a = b REMOVE a' }, `${U}Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]`],
    [
      'nested overlap through a name',
      { UpdateExpression: 'SET #x.b = c, a = d', ExpressionAttributeNames: { '#x': 'a' } },
      `${U}Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a]`,
    ],
    [
      'conflict between index and name',
      { UpdateExpression: 'REMOVE a[1].b, a.c' },
      `${U}Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, [1], b], path two: [a, c]`,
    ],
    [
      'ADD a string',
      { UpdateExpression: 'ADD a :v', ExpressionAttributeValues: { ':v': S } },
      `${U}Incorrect operand type for operator or function; operator: ADD, operand type: STRING, typeSet: ALLOWED_FOR_ADD_OPERAND`,
    ],
    [
      'DELETE a number',
      { UpdateExpression: 'DELETE a :v', ExpressionAttributeValues: { ':v': N } },
      `${U}Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER, typeSet: ALLOWED_FOR_DELETE_OPERAND`,
    ],
    [
      'DELETE a map',
      { UpdateExpression: 'DELETE a :v', ExpressionAttributeValues: { ':v': { M: {} } } },
      `${U}Incorrect operand type for operator or function; operator: DELETE, operand type: MAP, typeSet: ALLOWED_FOR_DELETE_OPERAND`,
    ],
    [
      'plus a string',
      { UpdateExpression: 'SET a = b + :v', ExpressionAttributeValues: { ':v': S } },
      `${U}Incorrect operand type for operator or function; operator or function: +, operand type: S`,
    ],
    [
      'list_append of a string',
      { UpdateExpression: 'SET a = list_append(:v, b)', ExpressionAttributeValues: { ':v': S } },
      `${U}Incorrect operand type for operator or function; operator or function: list_append, operand type: S`,
    ],
    ['if_not_exists arity', { UpdateExpression: 'SET a = if_not_exists(b)' }, `${U}Incorrect number of operands for operator or function; operator or function: if_not_exists, number of operands: 1`],
    [
      'if_not_exists needs a path',
      { UpdateExpression: 'SET a = if_not_exists(:v, b)', ExpressionAttributeValues: { ':v': S } },
      `${U}Operator or function requires a document path; operator or function: if_not_exists`,
    ],
    ['reserved word', { UpdateExpression: 'SET a = b, c = #x, Size = d' }, `${U}Attribute name is a reserved keyword; reserved keyword: Size`],
  ];
  for (const [name, request, expected] of cases) it(name, () => assert.equal(message(request), expected));

  it('orders update errors: reserved, function, section, name, value, overlap, operand', () => {
    const values = { ':s': S };
    const steps: [string, string][] = [
      ['SET a = foo(b) SET c = d, #x = :zz, a = :s ADD q :s REMOVE COMMENT', `${U}Attribute name is a reserved keyword; reserved keyword: COMMENT`],
      ['SET a = foo(b) SET c = d, #x = :zz, a = :s ADD q :s', `${U}Invalid function name; function: foo`],
      ['SET a = b SET c = d, #x = :zz, a = :s ADD q :s', `${U}The "SET" section can only be used once in an update expression;`],
      ['SET a = b, c = d, #x = :zz, a = :s ADD q :s', `${U}An expression attribute name used in the document path is not defined; attribute name: #x`],
      ['SET a = b, c = d, x = :zz, a = :s ADD q :s', `${U}An expression attribute value used in expression is not defined; attribute value: :zz`],
      ['SET a = b, c = d, a = :s ADD q :s', `${U}Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]`],
      ['SET a = b, c = d ADD q :s', `${U}Incorrect operand type for operator or function; operator: ADD, operand type: STRING, typeSet: ALLOWED_FOR_ADD_OPERAND`],
    ];
    for (const [expression, expected] of steps) {
      assert.equal(message({ UpdateExpression: expression, ExpressionAttributeValues: values }), expected, expression);
    }
  });

  it('accepts nested ADD and DELETE paths and number / set operands', () => {
    assert.doesNotThrow(() =>
      compileExpressions({
        UpdateExpression: 'ADD m.n :n, s :ss DELETE m.t :ns',
        ExpressionAttributeValues: { ':n': N, ':ss': { SS: ['a'] }, ':ns': { NS: ['1'] } },
      }),
    );
  });
});

describe('projection validation messages', () => {
  const cases: [string, ExpressionRequest, string][] = [
    ['reserved word', { ProjectionExpression: 'list[0].COMMENT' }, `${P}Attribute name is a reserved keyword; reserved keyword: list`],
    ['undefined name', { ProjectionExpression: '#c' }, `${P}An expression attribute name used in the document path is not defined; attribute name: #c`],
    ['repeated path', { ProjectionExpression: 'a, a' }, `${P}Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]`],
    ['prefix path', { ProjectionExpression: 'a.b, a' }, `${P}Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a]`],
    ['conflict', { ProjectionExpression: 'a[0], a.b' }, `${P}Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, [0]], path two: [a, b]`],
    ['too deep', { ProjectionExpression: `a${'[0]'.repeat(32)}` }, `${P}The document path has too many nesting levels; nesting levels: 33`],
  ];
  for (const [name, request, expected] of cases) it(name, () => assert.equal(message(request), expected));
});

describe('request-level validation', () => {
  const cases: [string, ExpressionRequest, string][] = [
    ['names without expressions', { ExpressionAttributeNames: { '#a': 'a' } }, 'ExpressionAttributeNames can only be specified when using expressions'],
    ['empty names', { ProjectionExpression: 'a', ExpressionAttributeNames: {} }, 'ExpressionAttributeNames must not be empty'],
    ['bad name key', { ProjectionExpression: 'a', ExpressionAttributeNames: { 'a-b': 'a' } }, 'ExpressionAttributeNames contains invalid key: Syntax error; key: "a-b"'],
    ['empty values', { ConditionExpression: 'a = b', ExpressionAttributeValues: {} }, 'ExpressionAttributeValues must not be empty'],
    ['bad value key', { ConditionExpression: 'a = b', ExpressionAttributeValues: { v: S } }, 'ExpressionAttributeValues contains invalid key: Syntax error; key: "v"'],
    [
      'invalid value',
      { ConditionExpression: 'a = :v', ExpressionAttributeValues: { ':v': { SS: [] } } },
      'ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: An string set  may not be empty for key :v',
    ],
    [
      'unused names, in request order',
      { ProjectionExpression: '#b', ExpressionAttributeNames: { '#z': 'z', '#b': 'b', '#a': 'a' } },
      'Value provided in ExpressionAttributeNames unused in expressions: keys: {#z, #a}',
    ],
    [
      'unused values',
      { ConditionExpression: 'a = :v', ExpressionAttributeValues: { ':v': S, ':w': S } },
      'Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}',
    ],
    [
      'unused names before unused values',
      { ConditionExpression: 'a = b', ExpressionAttributeNames: { '#a': 'a' }, ExpressionAttributeValues: { ':w': S } },
      'Value provided in ExpressionAttributeNames unused in expressions: keys: {#a}',
    ],
    ['empty expression', { UpdateExpression: '' }, `${U}The expression can not be empty;`],
    [
      'too long an expression',
      { ConditionExpression: `a = ${'b'.repeat(4093)}` },
      `${C}Expression size has exceeded the maximum allowed size; expression size: 4097`,
    ],
    [
      'multi-byte characters count in UTF-8',
      { ConditionExpression: `a = b${'é'.repeat(2046)}` },
      `${C}Expression size has exceeded the maximum allowed size; expression size: 4097`,
    ],
    [
      'expressions checked in DynamoDB order: update before condition',
      { ConditionExpression: 'a =', UpdateExpression: 'SET' },
      `${U}Syntax error; token: "<EOF>", near: "SET"`,
    ],
  ];
  for (const [name, request, expected] of cases) it(name, () => assert.equal(message(request), expected));

  it('rejects values with no expression that takes them, when the operation says which do', () => {
    assert.equal(
      message({ ProjectionExpression: 'a', ExpressionAttributeValues: { ':v': S } }, ['UpdateExpression', 'ConditionExpression']),
      'ExpressionAttributeValues can only be specified when using expressions: UpdateExpression and ConditionExpression are null',
    );
    assert.equal(
      message({ ExpressionAttributeValues: { ':v': S } }, ['ConditionExpression']),
      'ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null',
    );
  });

  it('accepts an expression of exactly 4096 bytes', () => {
    assert.doesNotThrow(() => compileExpressions({ ConditionExpression: `a = ${'b'.repeat(4092)}` }));
  });

  it('counts a name used by any expression of the request', () => {
    const compiled = compileExpressions({
      UpdateExpression: 'SET #a = :v',
      ConditionExpression: 'attribute_exists(#b)',
      ProjectionExpression: '#c',
      ExpressionAttributeNames: { '#a': 'a', '#b': 'b', '#c': 'c' },
      ExpressionAttributeValues: { ':v': S },
    });
    assert.ok(compiled.update && compiled.condition && compiled.projection);
  });

  it('does not find placeholders on Object.prototype', () => {
    assert.equal(
      message({ ConditionExpression: '#constructor = :toString', ExpressionAttributeValues: { ':v': S } }),
      `${C}An expression attribute name used in the document path is not defined; attribute name: #constructor`,
    );
  });
});

describe('resolution', () => {
  it('substitutes names and values and normalises numbers', () => {
    const compiled = compileExpressions({
      ConditionExpression: '#a.b[2] = :v',
      ExpressionAttributeNames: { '#a': 'x.y' },
      ExpressionAttributeValues: { ':v': { N: '007.50' } },
    });
    assert.deepEqual(compiled.condition, {
      kind: 'Comparison',
      operator: '=',
      left: {
        kind: 'Path',
        elements: [
          { kind: 'AttributeName', name: 'x.y' },
          { kind: 'AttributeName', name: 'b' },
          { kind: 'ListIndex', index: 2 },
        ],
        pos: 0,
      },
      right: { kind: 'Literal', value: { N: '7.5' }, placeholder: ':v', pos: 10 },
      pos: 0,
    });
  });

  it('shares placeholder-free trees between requests', () => {
    const first = compileExpressions({ ConditionExpression: 'attribute_exists(a) AND size(b) > c' });
    const second = compileExpressions({ ConditionExpression: 'attribute_exists(a) AND size(b) > c' });
    assert.equal(first.condition, second.condition);
  });

  it('resolves each request with its own values', () => {
    const a = compileExpressions({ UpdateExpression: 'SET a = :v', ExpressionAttributeValues: { ':v': S } });
    const b = compileExpressions({ UpdateExpression: 'SET a = :v', ExpressionAttributeValues: { ':v': N } });
    const value = (u: typeof a) => (u.update?.actions[0]?.kind === 'SetAction' ? u.update.actions[0].value : undefined);
    assert.deepEqual(value(a), { kind: 'Literal', value: S, placeholder: ':v', pos: 8 });
    assert.deepEqual(value(b), { kind: 'Literal', value: N, placeholder: ':v', pos: 8 });
  });
});

describe('reserved words', () => {
  it('has the documented 573 words', () => assert.equal(RESERVED_WORD_COUNT, 573));
  it('matches case-insensitively', () => {
    for (const word of ['name', 'NAME', 'Name', 'zone', 'Timestamp', 'size']) assert.equal(isReservedWord(word), true, word);
    for (const word of ['nameless', 'id', 'pk', 'foo_bar']) assert.equal(isReservedWord(word), false, word);
  });
});
