import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DynamoDbError } from '../errors.js';
import {
  addNumbers,
  compareNumbers,
  normalizeNumber,
  parseNumber,
  subtractNumbers,
  type ValueLayer,
} from './decimal.js';

const NAN = 'The parameter cannot be converted to a numeric value';
const DIGITS = 'Attempting to store more than 38 significant digits in a Number';
const OVERFLOW = 'Number overflow. Attempting to store a number with magnitude larger than supported range';
const UNDERFLOW = 'Number underflow. Attempting to store a number with magnitude smaller than supported range';

function validationMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof DynamoDbError);
    assert.equal(error.type, 'ValidationException');
    assert.equal(error.status, 400);
    return error.message;
  }
  assert.fail('expected a ValidationException');
}

const MAX = '9.9999999999999999999999999999999999999E+125';
const MAX_PLAIN = '99999999999999999999999999999999999999' + '0'.repeat(88);
const MIN_PLAIN = '0.' + '0'.repeat(129) + '1';

describe('normalizeNumber', () => {
  const cases: [string, string][] = [
    ['0', '0'],
    ['-0', '0'],
    ['+0', '0'],
    ['0.000', '0'],
    ['00', '0'],
    ['0e125', '0'],
    ['1', '1'],
    ['-17', '-17'],
    ['+5', '5'],
    ['+1.5', '1.5'],
    ['007', '7'],
    ['1.500', '1.5'],
    ['0042.1200', '42.12'],
    ['5.', '5'],
    ['.5', '0.5'],
    ['-.5e-2', '-0.005'],
    ['1e3', '1000'],
    ['1e+2', '100'],
    ['1.5E+3', '1500'],
    ['1E-3', '0.001'],
    ['12.34e1', '123.4'],
    ['123.45e-5', '0.0012345'],
    ['100', '100'],
    ['1E125', '1' + '0'.repeat(125)],
    ['1e-130', MIN_PLAIN],
    ['-1e-130', '-' + MIN_PLAIN],
    [MAX, MAX_PLAIN],
    ['-' + MAX, '-' + MAX_PLAIN],
    ['12345678901234567890123456789012345678', '12345678901234567890123456789012345678'],
    ['1.2345678901234567890123456789012345678', '1.2345678901234567890123456789012345678'],
    // Trailing zeros are not significant: 38 ones then 88 zeros is 38 digits.
    ['1'.repeat(38) + '0'.repeat(88), '1'.repeat(38) + '0'.repeat(88)],
    ['0.' + '0'.repeat(50) + '1' + '0'.repeat(60), '0.' + '0'.repeat(50) + '1'],
    ['1e0000000000000000000000005', '100000'],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} -> ${expected.length > 40 ? expected.slice(0, 40) + '…' : expected}`, () => {
      assert.equal(normalizeNumber(input), expected);
      assert.equal(normalizeNumber(input, 'legacy'), expected);
    });
  }

  it('returns a canonical integer as the very same string (fast path)', () => {
    const text = '123456789';
    assert.equal(normalizeNumber(text), text);
  });
});

describe('number errors', () => {
  const cases: [string, string, string][] = [
    // [input, current layer, legacy layer]
    ['', `${NAN}: `, NAN],
    ['abc', `${NAN}: abc`, `${NAN}: abc`],
    ['1.2.3', `${NAN}: 1.2.3`, `${NAN}: 1.2.3`],
    [' 1', `${NAN}:  1`, `${NAN}:  1`],
    ['1 ', `${NAN}: 1 `, `${NAN}: 1 `],
    ['0x10', `${NAN}: 0x10`, `${NAN}: 0x10`],
    ['1e', `${NAN}: 1e`, `${NAN}: 1e`],
    ['1e+', `${NAN}: 1e+`, `${NAN}: 1e+`],
    ['e5', `${NAN}: e5`, `${NAN}: e5`],
    ['.', `${NAN}: .`, `${NAN}: .`],
    ['-', `${NAN}: -`, `${NAN}: -`],
    ['+-1', `${NAN}: +-1`, `${NAN}: +-1`],
    ['NaN', `${NAN}: NaN`, `${NAN}: NaN`],
    ['Infinity', `${NAN}: Infinity`, `${NAN}: Infinity`],
    ['1,5', `${NAN}: 1,5`, `${NAN}: 1,5`],
    ['123456789012345678901234567890123456789', DIGITS, DIGITS],
    ['-1.23456789012345678901234567890123456789', DIGITS, DIGITS],
    ['1234567890123456789012345678901234567890', DIGITS, DIGITS],
    ['1e126', OVERFLOW, OVERFLOW],
    ['-1e126', OVERFLOW, OVERFLOW],
    ['10E125', OVERFLOW, OVERFLOW],
    ['1e-131', UNDERFLOW, UNDERFLOW],
    ['-1e-131', UNDERFLOW, UNDERFLOW],
    ['0.99e-130', UNDERFLOW, UNDERFLOW],
    ['0e126', OVERFLOW, OVERFLOW],
    ['0e-131', UNDERFLOW, UNDERFLOW],
    ['0.0e127', OVERFLOW, OVERFLOW],
    // Range comes before precision.
    ['1234567890123456789012345678901234567890e200', OVERFLOW, OVERFLOW],
    // Exponents far outside: the current layer reads a 64-bit exponent, the legacy one an int scale.
    ['1e99999999999', OVERFLOW, `${NAN}: 1e99999999999`],
    ['-1e99999999999', OVERFLOW, `${NAN}: -1e99999999999`],
    ['1e-99999999999', UNDERFLOW, `${NAN}: 1e-99999999999`],
    ['1e-2147483648', UNDERFLOW, `${NAN}: 1e-2147483648`],
    ['1e2147483647', OVERFLOW, UNDERFLOW],
    ['1e9223372036854775807', OVERFLOW, `${NAN}: 1e9223372036854775807`],
    ['1e9223372036854775808', `${NAN}: 1e9223372036854775808`, `${NAN}: 1e9223372036854775808`],
  ];
  for (const [input, current, legacy] of cases) {
    it(`${JSON.stringify(input)}`, () => {
      assert.equal(validationMessage(() => parseNumber(input)), current);
      assert.equal(validationMessage(() => normalizeNumber(input, 'legacy' satisfies ValueLayer)), legacy);
    });
  }
});

describe('parseNumber', () => {
  const cases: [string, { negative: boolean; digits: string; exponent: number }][] = [
    ['0', { negative: false, digits: '', exponent: 0 }],
    ['-0.00', { negative: false, digits: '', exponent: 0 }],
    ['123', { negative: false, digits: '123', exponent: 2 }],
    ['-0.05', { negative: true, digits: '5', exponent: -2 }],
    ['10.50', { negative: false, digits: '105', exponent: 1 }],
    ['1e-130', { negative: false, digits: '1', exponent: -130 }],
  ];
  for (const [input, expected] of cases) {
    it(input, () => assert.deepEqual(parseNumber(input), expected));
  }
});

describe('compareNumbers', () => {
  const ordered = [
    '-' + MAX_PLAIN,
    '-1000',
    '-999.99',
    '-10',
    '-1.55',
    '-1.5',
    '-1',
    '-0.5',
    '-' + MIN_PLAIN,
    '0',
    MIN_PLAIN,
    '0.001',
    '0.01',
    '0.5',
    '1',
    '1.5',
    '1.55',
    '2',
    '10',
    '99.99',
    '100',
    MAX_PLAIN,
  ];
  it('orders a table of normalized numbers', () => {
    for (let i = 0; i < ordered.length; i++) {
      for (let j = 0; j < ordered.length; j++) {
        const expected = i < j ? -1 : i > j ? 1 : 0;
        assert.equal(compareNumbers(ordered[i] as string, ordered[j] as string), expected, `${ordered[i]} vs ${ordered[j]}`);
      }
    }
  });

  it('agrees with exact BigInt comparison on random decimals', () => {
    // value = mantissa × 10^-scale; compare via a common scale.
    const decimal = fc.record({ mantissa: fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), scale: fc.integer({ min: 0, max: 30 }) });
    fc.assert(
      fc.property(decimal, decimal, (a, b) => {
        const textA = normalizeNumber(`${a.mantissa}e-${a.scale}`);
        const textB = normalizeNumber(`${b.mantissa}e-${b.scale}`);
        const x = a.mantissa * 10n ** BigInt(30 - a.scale);
        const y = b.mantissa * 10n ** BigInt(30 - b.scale);
        return compareNumbers(textA, textB) === (x < y ? -1 : x > y ? 1 : 0);
      }),
    );
  });
});

describe('addNumbers / subtractNumbers', () => {
  const sums: [string, string, string][] = [
    ['1', '2', '3'],
    ['5', '-5', '0'],
    ['-7', '3', '-4'],
    ['0.1', '0.2', '0.3'],
    ['1.5', '1.5', '3'],
    ['999999999999999', '1', '1000000000000000'],
    ['99999999999999999999999999999999999999', '-99999999999999999999999999999999999999', '0'],
    ['1e125', '1e125', '2' + '0'.repeat(125)],
    ['0.000001', '-0.000001', '0'],
    ['12345678901234567890', '0.5', '12345678901234567890.5'],
    ['-0.25', '0.05', '-0.2'],
  ];
  for (const [a, b, expected] of sums) {
    it(`${a} + ${b} = ${expected.length > 30 ? expected.slice(0, 30) + '…' : expected}`, () => {
      assert.equal(addNumbers(a, b), expected);
      assert.equal(addNumbers(b, a), expected);
    });
  }

  const differences: [string, string, string][] = [
    ['0.3', '0.1', '0.2'],
    ['100000000000000000000.00000001', '1', '99999999999999999999.00000001'],
    ['1', '1', '0'],
    ['0', '5', '-5'],
    ['-1.5', '-1.5', '0'],
    ['1e-130', '-1e-130', '0.' + '0'.repeat(129) + '2'],
  ];
  for (const [a, b, expected] of differences) {
    it(`${a} - ${b} = ${expected.length > 30 ? expected.slice(0, 30) + '…' : expected}`, () => {
      assert.equal(subtractNumbers(a, b), expected);
    });
  }

  const errors: [string, () => string, string][] = [
    ['overflow', () => addNumbers(MAX, '1e125'), OVERFLOW],
    ['negative overflow', () => subtractNumbers('-' + MAX, '1e125'), OVERFLOW],
    ['underflow', () => subtractNumbers('1.5e-130', '1e-130'), UNDERFLOW],
    ['too many digits', () => addNumbers('1e30', '1e-30'), DIGITS],
    ['39 digits by carry', () => addNumbers('99999999999999999999999999999999999999', '0.1'), DIGITS],
  ];
  for (const [name, run, message] of errors) {
    it(`${name}: ${message}`, () => assert.equal(validationMessage(run), message));
  }

  it('is exact on random decimals (property)', () => {
    const decimal = fc.record({ mantissa: fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }), scale: fc.integer({ min: 0, max: 15 }) });
    fc.assert(
      fc.property(decimal, decimal, (a, b) => {
        const textA = normalizeNumber(`${a.mantissa}e-${a.scale}`);
        const textB = normalizeNumber(`${b.mantissa}e-${b.scale}`);
        const x = a.mantissa * 10n ** BigInt(15 - a.scale);
        const y = b.mantissa * 10n ** BigInt(15 - b.scale);
        return (
          addNumbers(textA, textB) === normalizeNumber(`${x + y}e-15`) &&
          subtractNumbers(textA, textB) === normalizeNumber(`${x - y}e-15`)
        );
      }),
    );
  });
});
