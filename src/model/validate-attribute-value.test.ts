import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DynamoDbError } from '../errors.js';
import type { AttributeValue } from './attribute-value.js';
import { checkAttributeMapShape, checkAttributeValueShape, type ValuePosition } from './attribute-value-shape.js';
import { attributeNameProblem, validateAttributeValue, validateItem } from './validate-attribute-value.js';

function errorOf(run: () => unknown): DynamoDbError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof DynamoDbError, String(error));
    return error;
  }
  assert.fail('expected an error');
}

function serializationMessage(run: () => unknown): string {
  const error = errorOf(run);
  assert.equal(error.type, 'SerializationException');
  assert.equal(error.wireType, 'com.amazon.coral.service#SerializationException');
  assert.equal(error.status, 400);
  return error.message;
}

function validationMessage(run: () => unknown): string {
  const error = errorOf(run);
  assert.equal(error.type, 'ValidationException');
  assert.equal(error.status, 400);
  return error.message;
}

/** An AttributeValue from arbitrary JSON, for inputs the wire type does not allow. */
const raw = (value: unknown): AttributeValue => value as AttributeValue;

const INVALID = 'One or more parameter values were invalid: ';
const NESTING =
  'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit';
const START = 'Start of structure or map found where not expected';

describe('checkAttributeValueShape', () => {
  const cases: [unknown, string][] = [
    [{ S: 5 }, 'NUMBER_VALUE cannot be converted to String'],
    [{ S: 34.56 }, 'DECIMAL_VALUE cannot be converted to String'],
    [{ S: true }, 'TRUE_VALUE cannot be converted to String'],
    [{ N: false }, 'FALSE_VALUE cannot be converted to String'],
    [{ S: [] }, 'Unrecognized collection type class java.lang.String'],
    [{ N: {} }, START],
    [{ BOOL: 'true' }, 'Unexpected token received from parser'],
    [{ NULL: '23' }, 'Unexpected token received from parser'],
    [{ BOOL: 23 }, 'NUMBER_VALUE cannot be converted to Boolean'],
    [{ BOOL: 2147483648 }, 'NUMBER_VALUE cannot be converted to Boolean'],
    [{ NULL: 34.56 }, 'DECIMAL_VALUE cannot be converted to Boolean'],
    [{ BOOL: [] }, 'Unrecognized collection type class java.lang.Boolean'],
    [{ BOOL: {} }, START],
    [{ B: true }, 'only base-64-encoded strings are convertible to bytes'],
    [{ B: 23 }, 'only base-64-encoded strings are convertible to bytes'],
    [{ B: [] }, 'Unrecognized collection type class java.nio.ByteBuffer'],
    [{ B: {} }, START],
    [{ B: '23456' }, 'Base64 encoded length is expected a multiple of 4 bytes but found: 5'],
    [{ B: 'not base64!' }, 'Base64 encoded length is expected a multiple of 4 bytes but found: 11'],
    [{ B: '=+/=' }, 'Invalid last non-pad Base64 character dectected'],
    [{ B: '+/+=' }, 'Invalid last non-pad Base64 character dectected'],
    [{ B: 'ab!d' }, 'Invalid last non-pad Base64 character dectected'],
    [{ SS: 'a' }, 'Unexpected field type'],
    [{ NS: 1 }, 'Unexpected field type'],
    [{ BS: true }, 'Unexpected field type'],
    [{ L: '23' }, 'Unexpected field type'],
    [{ SS: {} }, START],
    [{ L: {} }, START],
    [{ SS: ['a', 1] }, 'NUMBER_VALUE cannot be converted to String'],
    [{ NS: [true] }, 'TRUE_VALUE cannot be converted to String'],
    [{ BS: ['AAAA', 5] }, 'only base-64-encoded strings are convertible to bytes'],
    [{ BS: ['abc'] }, 'Base64 encoded length is expected a multiple of 4 bytes but found: 3'],
    [{ M: [] }, 'Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>'],
    [{ M: 'x' }, 'Unexpected field type'],
    [{ L: ['x'] }, 'Unexpected value type in payload'],
    [{ L: [[]] }, 'Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue'],
    [{ M: { a: 5 } }, 'Unexpected value type in payload'],
    [{ M: { a: { L: [{ BS: [1] }] } } }, 'only base-64-encoded strings are convertible to bytes'],
    ['x', 'Unexpected value type in payload'],
    [5, 'Unexpected value type in payload'],
    [[], 'Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue'],
  ];
  for (const [value, message] of cases) {
    it(`${JSON.stringify(value)}: ${message}`, () => {
      assert.equal(serializationMessage(() => checkAttributeValueShape(value)), message);
    });
  }

  const fieldCases: [unknown, ValuePosition, string][] = [
    ['x', 'field', 'Unexpected field type'],
    [true, 'field', 'Unexpected field type'],
    [true, 'value', 'Unexpected value type in payload'],
  ];
  for (const [value, position, message] of fieldCases) {
    it(`${JSON.stringify(value)} as a ${position}: ${message}`, () => {
      assert.equal(serializationMessage(() => checkAttributeValueShape(value, position)), message);
    });
  }

  const valid: unknown[] = [
    { S: 'a' },
    { N: 'not checked here' },
    { B: '' },
    { B: 'AAAA' },
    { B: 'YQ==' },
    { B: 'YWI=' },
    { BOOL: false },
    { NULL: true },
    { SS: [] },
    { BS: ['', 'AA=='] },
    { L: [{ S: 'a' }, { M: {} }, null] },
    { M: { a: { NULL: true }, b: null } },
    { S: null },
    { unknown: 5 },
    null,
  ];
  for (const value of valid) {
    it(`accepts ${JSON.stringify(value)}`, () => assert.doesNotThrow(() => checkAttributeValueShape(value)));
  }
});

describe('checkAttributeMapShape', () => {
  it('rejects an array', () => {
    assert.equal(
      serializationMessage(() => checkAttributeMapShape([])),
      'Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>',
    );
  });
  it('rejects a scalar', () => assert.equal(serializationMessage(() => checkAttributeMapShape(1)), 'Unexpected field type'));
  it('checks every value', () => {
    assert.equal(serializationMessage(() => checkAttributeMapShape({ a: { S: 'x' }, b: { S: 1 } })), 'NUMBER_VALUE cannot be converted to String');
  });
});

function deep(levels: number): AttributeValue {
  let value: AttributeValue = { S: 'leaf' };
  for (let i = 0; i < levels; i++) value = { M: { n: value } };
  return value;
}

function deepList(levels: number): AttributeValue {
  let value: AttributeValue = { N: '1' };
  for (let i = 0; i < levels; i++) value = { L: [value] };
  return value;
}

describe('validateAttributeValue errors', () => {
  const EMPTY = 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes';
  const MULTIPLE = 'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes';
  const NEST = 'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit';
  const NAN = 'The parameter cannot be converted to a numeric value';
  const cases: [string, unknown, string, string][] = [
    // [name, value, current layer, legacy layer]
    ['empty', {}, EMPTY, EMPTY],
    ['unknown member only', { a: '' }, EMPTY, EMPTY],
    ['null member only', { S: null }, EMPTY, EMPTY],
    ['empty in a map', { M: { a: {} } }, EMPTY, EMPTY],
    ['empty in a list', { L: [{}] }, EMPTY, EMPTY],
    ['two types', { S: 'a', N: '1' }, MULTIPLE, MULTIPLE],
    ['NULL and BOOL', { NULL: true, BOOL: true }, MULTIPLE, MULTIPLE],
    ['bad number before two types', { S: 'a', N: 'b' }, `${NAN}: b`, `${NAN}: b`],
    ['empty number before two types', { S: '', N: '' }, `${NAN}: `, NAN],
    ['NULL false', { NULL: false }, `${INVALID}Null attribute value types must have the value of true`, `${INVALID}Null attribute value types must have the value of true`],
    ['empty SS', { SS: [] }, `${INVALID}An string set  may not be empty`, `${INVALID}An string set  may not be empty`],
    ['empty NS', { NS: [] }, `${INVALID}An number set  may not be empty`, `${INVALID}An number set  may not be empty`],
    ['empty BS', { BS: [] }, `${INVALID}Binary sets should not be empty`, `${INVALID}Binary sets should not be empty`],
    ['bad NS member', { NS: ['1', 'b', 'a'] }, `${NAN}: b`, `${NAN}: b`],
    ['empty NS member', { NS: ['1', ''] }, `${NAN}: `, NAN],
    ['overflowing NS member', { NS: ['1e126'] }, 'Number overflow. Attempting to store a number with magnitude larger than supported range', 'Number overflow. Attempting to store a number with magnitude larger than supported range'],
    ['bad nested number', { M: { x: { L: [{ N: 'abc' }] } } }, `${NAN}: abc`, `${NAN}: abc`],
    ['duplicate SS', { SS: ['a', 'a'] }, `${INVALID}Input collection [a, a] contains duplicates.`, `${INVALID}Input collection [a, a] contains duplicates.`],
    ['duplicate SS unsorted', { SS: ['b', 'a', 'b'] }, `${INVALID}Input collection [b, a, b] contains duplicates.`, `${INVALID}Input collection [b, a, b] contains duplicates.`],
    ['duplicate SS with a tail', { SS: ['c', 'a', 'c', 'b'] }, `${INVALID}Input collection [c, a, c, b] contains duplicates.`, `${INVALID}Input collection [c, a, c, b] contains duplicates.`],
    ['duplicate empty SS members', { SS: ['', ''] }, `${INVALID}Input collection [, ] contains duplicates.`, `${INVALID}Input collection [, ] contains duplicates.`],
    ['duplicate BS', { BS: ['Yg==', 'Yg=='] }, `${INVALID}Input collection [Yg==, Yg==]of type BS contains duplicates.`, `${INVALID}Input collection [Yg==, Yg==]of type BS contains duplicates.`],
    ['duplicate BS as sent', { BS: ['/w==', 'AA==', 'AA=='] }, `${INVALID}Input collection [/w==, AA==, AA==]of type BS contains duplicates.`, `${INVALID}Input collection [/w==, AA==, AA==]of type BS contains duplicates.`],
    ['duplicate NS', { NS: ['2', '1', '2'] }, `${INVALID}Input collection contains duplicates.`, 'Input collection contains duplicates'],
    ['numerically duplicate NS', { NS: ['1', '1.0'] }, `${INVALID}Input collection contains duplicates.`, 'Input collection contains duplicates'],
    ['33 levels of maps', deep(32), NEST, NEST],
    ['33 levels of lists', deepList(32), NEST, NEST],
  ];
  for (const [name, value, current, legacy] of cases) {
    it(`${name}: ${current}`, () => {
      assert.equal(validationMessage(() => validateAttributeValue(raw(value))), current);
      assert.equal(validationMessage(() => validateAttributeValue(raw(value), 1, 'legacy')), legacy);
    });
  }

  it('counts depth from the level it is given', () => {
    assert.doesNotThrow(() => validateAttributeValue({ S: 'x' }, 32));
    assert.equal(validationMessage(() => validateAttributeValue({ S: 'x' }, 33)), NEST);
  });

  it('reports nesting and numbers in document order', () => {
    const value = raw({ L: [{ N: 'bad' }, deep(40)] });
    assert.equal(validationMessage(() => validateAttributeValue(value)), `${NAN}: bad`);
  });
});

describe('validateAttributeValue results', () => {
  const cases: [string, unknown, AttributeValue][] = [
    ['normalizes N', { N: '1.500' }, { N: '1.5' }],
    ['normalizes NS members', { NS: ['007', '2'] }, { NS: ['7', '2'] }],
    ['normalizes inside M and L', { M: { a: { L: [{ N: '1e3' }, { S: 'x' }] } } }, { M: { a: { L: [{ N: '1000' }, { S: 'x' }] } } }],
    ['drops unknown members', { S: 'a', foo: 1 }, { S: 'a' }],
    ['drops null members', { B: 'AA==', S: null }, { B: 'AA==' }],
    ['allows empty strings in SS', { SS: ['', 'a'] }, { SS: ['', 'a'] }],
    ['allows an empty S and B', { S: '' }, { S: '' }],
    ['allows empty M and L', { M: {} }, { M: {} }],
    ['keeps BOOL false', { BOOL: false }, { BOOL: false }],
    ['accepts 32 levels', deep(31), deep(31)],
  ];
  for (const [name, value, expected] of cases) {
    it(name, () => assert.deepEqual(validateAttributeValue(raw(value)), expected));
  }

  it('returns the same object when nothing changes', () => {
    const value: AttributeValue = { M: { a: { L: [{ N: '12' }, { SS: ['x'] }] }, b: { NS: ['1', '2'] } } };
    assert.equal(validateAttributeValue(value), value);
  });

  it('does not modify its input', () => {
    const value = { M: { a: { N: '1.0' }, b: { S: 'x' } } };
    const result = validateAttributeValue(value);
    assert.deepEqual(value, { M: { a: { N: '1.0' }, b: { S: 'x' } } });
    assert.deepEqual(result, { M: { a: { N: '1' }, b: { S: 'x' } } });
  });
});

describe('validateItem', () => {
  it('validates and normalizes every attribute', () => {
    assert.deepEqual(validateItem({ id: { S: 'a' }, n: { N: '+5' } }), { id: { S: 'a' }, n: { N: '5' } });
  });
  it('returns the same object when nothing changes', () => {
    const item = { id: { S: 'a' }, n: { N: '5' } };
    assert.equal(validateItem(item), item);
  });
  it('reports the first bad attribute', () => {
    assert.equal(
      validationMessage(() => validateItem(raw({ a: { S: 'x' }, b: { NULL: false } }) as never)),
      `${INVALID}Null attribute value types must have the value of true`,
    );
  });
  it('passes the layer down', () => {
    assert.equal(validationMessage(() => validateItem({ a: { N: '' } }, 'legacy')), 'The parameter cannot be converted to a numeric value');
  });
});

describe('values nested past any call stack', () => {
  /** `depth` levels of M (or L) around `leaf`, built from JSON text (no recursion involved). */
  const deep = (depth: number, kind: 'M' | 'L', leaf = '{"S":"x"}'): unknown =>
    JSON.parse(kind === 'M' ? '{"M":{"a":'.repeat(depth) + leaf + '}}'.repeat(depth) : '{"L":['.repeat(depth) + leaf + ']}'.repeat(depth));

  it('are shape-checked at any depth, first problem in document order', () => {
    for (const kind of ['M', 'L'] as const) {
      checkAttributeValueShape(deep(100_000, kind));
      assert.equal(serializationMessage(() => checkAttributeValueShape(deep(100_000, kind, '{"S":5}'))), 'NUMBER_VALUE cannot be converted to String');
    }
    // A bad member after an L is reported after everything inside the L.
    assert.equal(
      serializationMessage(() => checkAttributeValueShape({ L: [{ M: { a: { S: true } } }], S: 5 })),
      'TRUE_VALUE cannot be converted to String',
    );
    assert.equal(serializationMessage(() => checkAttributeValueShape({ M: { a: { S: 'x' } }, S: 5 })), 'NUMBER_VALUE cannot be converted to String');
    assert.equal(serializationMessage(() => checkAttributeValueShape({ M: 5 })), 'Unexpected field type');
    assert.equal(serializationMessage(() => checkAttributeMapShape({ a: deep(50_000, 'M'), b: 5 })), 'Unexpected value type in payload');
  });

  it('are refused by validation at level 33, without going deeper', () => {
    for (const kind of ['M', 'L'] as const) {
      assert.equal(validationMessage(() => validateAttributeValue(deep(100_000, kind) as AttributeValue)), NESTING);
      assert.equal(validationMessage(() => validateItem({ d: deep(100_000, kind) as AttributeValue })), NESTING);
    }
    validateAttributeValue(deep(31, 'M') as AttributeValue);
  });
});

describe('attribute names', () => {
  const long = 'a'.repeat(65536);

  it('are 1 to 65,535 bytes of UTF-8', () => {
    assert.equal(attributeNameProblem(''), 'Empty attribute name');
    assert.equal(attributeNameProblem(long), 'Attribute name is too large, must be less than 65536 bytes');
    assert.equal(attributeNameProblem(long.slice(1)), undefined);
    assert.equal(attributeNameProblem('é'.repeat(32768)), 'Attribute name is too large, must be less than 65536 bytes');
    assert.equal(attributeNameProblem('é'.repeat(32767)), undefined);
  });

  it('are checked at the top of an item before any value, and inside values after everything else', () => {
    assert.equal(validationMessage(() => validateItem({ d: deep32(), '': { S: 'x' } })), 'Empty attribute name');
    assert.equal(validationMessage(() => validateItem({ m: { M: { '': { S: 'x' } } }, d: deep32() })), NESTING);
    assert.equal(validationMessage(() => validateItem({ m: { M: { [long]: { S: 'x' } } } })), 'Attribute name is too large, must be less than 65536 bytes');
    assert.equal(validationMessage(() => validateAttributeValue({ L: [{ M: { '': { S: 'x' } } }, { N: 'x' }] })), 'The parameter cannot be converted to a numeric value: x');
    assert.equal(validationMessage(() => validateAttributeValue({ L: [{ M: { '': { S: 'x' } } }] })), 'Empty attribute name');
  });

  function deep32(): AttributeValue {
    let value: AttributeValue = { S: 'x' };
    for (let i = 0; i < 33; i++) value = { M: { a: value } };
    return value;
  }
});
