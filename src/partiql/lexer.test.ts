import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DynamoDbError } from '../errors.js';
import { tokenize } from './lexer.js';

function kinds(text: string): string[] {
  return tokenize(text).map((t) => `${t.kind}:${t.value}`);
}

describe('PartiQL lexer', () => {
  const cases: [string, string[]][] = [
    ['SELECT * FROM "My-Table"', ['Keyword:select', 'Punct:*', 'Keyword:from', 'QuotedIdentifier:My-Table', 'EOF:']],
    ['sElEcT a_1$ FrOm t', ['Keyword:select', 'Identifier:a_1$', 'Keyword:from', 'Identifier:t', 'EOF:']],
    ["'it''s'", ["String:it's", 'EOF:']],
    ['"a""b"', ['QuotedIdentifier:a"b', 'EOF:']],
    ['12345678901234567890123456789012345678 1.5e-3 .5 1E+9', [
      'Number:12345678901234567890123456789012345678', 'Number:1.5e-3', 'Number:.5', 'Number:1E+9', 'EOF:',
    ]],
    // An exponent without digits is not part of the number: `1e` is a number then a name, as DynamoDB reads `1 e5`.
    ['1e 1e5', ['Number:1', 'Identifier:e', 'Number:1e5', 'EOF:']],
    ['? ? ?', ['Parameter:0', 'Parameter:1', 'Parameter:2', 'EOF:']],
    ['<<1, 2>> [] {}', ['Punct:<<', 'Number:1', 'Punct:,', 'Number:2', 'Punct:>>', 'Punct:[', 'Punct:]', 'Punct:{', 'Punct:}', 'EOF:']],
    ['= <> != < <= > >= + - || . : ;', [
      'Punct:=', 'Punct:<>', 'Punct:!=', 'Punct:<', 'Punct:<=', 'Punct:>', 'Punct:>=', 'Punct:+', 'Punct:-', 'Punct:||',
      'Punct:.', 'Punct::', 'Punct:;', 'EOF:',
    ]],
    ['a -- comment\n/* block\n */ b', ['Identifier:a', 'Identifier:b', 'EOF:']],
    ['`{a: 1}`', ['Ion:{a: 1}', 'EOF:']],
    ['value VALUE size new old returning', [
      'Keyword:value', 'Keyword:value', 'Keyword:size', 'Identifier:new', 'Identifier:old', 'Identifier:returning', 'EOF:',
    ]],
  ];
  for (const [text, expected] of cases) it(JSON.stringify(text), () => assert.deepEqual(kinds(text), expected));

  it('gives offsets, with EOF at the very end', () => {
    const tokens = tokenize(' ab = ?  ');
    assert.deepEqual(tokens.map((t) => [t.start, t.end]), [[1, 3], [4, 5], [6, 7], [9, 9]]);
  });

  it('answers the envelope with nothing after the colon for every lexical error', () => {
    for (const text of [
      'a # note', 'a /* open', "'open", '"open', '`open', 'a @ b', 'a ! b', 'a | b', 'a & b', 'é', '\u{1F600}',
      '1e2147483648', '1e99999999999', '1.5e-2147483647', '1e-2147483649',
    ]) {
      assert.throws(
        () => tokenize(text),
        (error: unknown) =>
          error instanceof DynamoDbError &&
          error.type === 'ValidationException' &&
          error.message === "Statement wasn't well formed, can't be processed: ",
        text,
      );
    }
  });

  it('keeps exponents and scales that fit a 32-bit integer', () => {
    assert.equal(tokenize('1e2147483647')[0]?.kind, 'Number');
    assert.equal(tokenize('1e-2147483647')[0]?.kind, 'Number');
    // The scale is the fraction's digits less the exponent: here 2^31, one past what fits.
    assert.throws(() => tokenize('1e-2147483648'), DynamoDbError);
  });
});
