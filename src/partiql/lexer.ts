/**
 * The PartiQL lexer. DynamoDB's PartiQL front end is derived from partiql-lang-kotlin, whose lexer rules we follow:
 *
 * - whitespace is space, tab, CR, LF, FF and VT; `--` starts a comment to the end of the line and `/* ... *\/` a
 *   block comment (an unterminated block comment is a lexical error);
 * - an identifier starts with a letter, `_` or `$` and continues with letters, digits, `_` and `$`; it is a keyword
 *   when it is one of PartiQL's reserved words (case-insensitively), else a case-insensitive name;
 * - `"double quoted"` is a case-sensitive identifier (`""` inside is one quote): how tables, indexes and attribute
 *   names that clash with keywords are written;
 * - `'single quoted'` is a string (`''` inside is one quote);
 * - a number is `digits[.digits][e[+-]digits]` or `.digits[...]`; its exact text is kept (DynamoDB numbers have 38
 *   digits, a double would lose them). An exponent or scale that does not fit a 32-bit integer is a lexical error
 *   (partiql-lang-kotlin converts to a Java BigDecimal);
 * - `` `...` `` is an Ion literal, kept whole (DynamoDB refuses Ion literals later, naming them);
 * - `?` is a parameter, numbered from 0 in order of appearance;
 * - anything else (`#`, `@`, `!` alone, `|` alone, `&`, non-ASCII letters...) is a lexical error.
 *
 * DynamoDB answers every lexical error with the envelope and nothing after the colon:
 * `Statement wasn't well formed, can't be processed: ` (observed for `#` comments, unterminated block comments and
 * out-of-range exponents; assumed for the other lexical errors).
 */
import { DynamoDbError } from '../errors.js';
import { KEYWORDS } from './keywords.js';
import { notWellFormed } from './messages.js';

export type TokenKind =
  | 'Identifier'
  | 'QuotedIdentifier'
  | 'Keyword'
  | 'String'
  | 'Number'
  | 'Ion'
  | 'Parameter'
  | 'Punct'
  | 'EOF';

export interface Token {
  readonly kind: TokenKind;
  /** The token's text exactly as written (`<EOF>` for the end). */
  readonly text: string;
  /**
   * Identifier: the name as written; QuotedIdentifier and String: the unescaped content; Keyword: the lower-cased
   * keyword; Number: the text; Parameter: its 0-based ordinal as a string; Punct: the operator; Ion: the content.
   */
  readonly value: string;
  /** Offsets into the statement: [start, end). EOF sits at the very end. */
  readonly start: number;
  readonly end: number;
}

/** The punctuation and operators, longest first where one is a prefix of another. */
const PUNCTS = ['<<', '>>', '<=', '>=', '<>', '!=', '||', '<', '>', '=', '+', '-', '*', '/', '%', '.', ',', ':', ';', '(', ')', '[', ']', '{', '}'];

const INT32_MAX = 2147483647;

function isIdentStart(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x24;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0c || c === 0x0b;
}

function lexicalError(): DynamoDbError {
  return notWellFormed('');
}

/** Splits a statement into tokens; the last token is always EOF. Throws the lexical ValidationException. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const n = text.length;
  let parameters = 0;
  let i = 0;
  outer: while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const start = i;
    // Comments.
    if (c === 0x2d && text.charCodeAt(i + 1) === 0x2d) {
      while (i < n && text.charCodeAt(i) !== 0x0a) i++;
      continue;
    }
    if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a) {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) throw lexicalError();
      i = close + 2;
      continue;
    }
    if (isIdentStart(c)) {
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (!isIdentStart(d) && !isDigit(d)) break;
        i++;
      }
      const word = text.slice(start, i);
      const lower = word.toLowerCase();
      if (KEYWORDS.has(lower)) tokens.push({ kind: 'Keyword', text: word, value: lower, start, end: i });
      else tokens.push({ kind: 'Identifier', text: word, value: word, start, end: i });
      continue;
    }
    if (isDigit(c) || (c === 0x2e && isDigit(text.charCodeAt(i + 1)))) {
      i = scanNumber(text, i);
      const t = text.slice(start, i);
      tokens.push({ kind: 'Number', text: t, value: t, start, end: i });
      continue;
    }
    if (c === 0x27 || c === 0x22 || c === 0x60) {
      // ' string, " quoted identifier, ` Ion literal.
      const { end, value } = scanQuoted(text, i, c);
      i = end;
      const kind: TokenKind = c === 0x27 ? 'String' : c === 0x22 ? 'QuotedIdentifier' : 'Ion';
      tokens.push({ kind, text: text.slice(start, end), value, start, end });
      continue;
    }
    if (c === 0x3f) {
      i++;
      tokens.push({ kind: 'Parameter', text: '?', value: String(parameters++), start, end: i });
      continue;
    }
    for (const p of PUNCTS) {
      if (text.startsWith(p, i)) {
        i += p.length;
        tokens.push({ kind: 'Punct', text: p, value: p, start, end: i });
        continue outer;
      }
    }
    throw lexicalError();
  }
  tokens.push({ kind: 'EOF', text: '<EOF>', value: '', start: n, end: n });
  return tokens;
}

/** End of the number starting at `from`; throws when its exponent or scale does not fit a 32-bit integer. */
function scanNumber(text: string, from: number): number {
  const n = text.length;
  let i = from;
  while (i < n && isDigit(text.charCodeAt(i))) i++;
  let fraction = 0;
  if (text.charCodeAt(i) === 0x2e) {
    i++;
    const f = i;
    while (i < n && isDigit(text.charCodeAt(i))) i++;
    fraction = i - f;
  }
  const e = text.charCodeAt(i);
  if (e === 0x65 || e === 0x45) {
    let j = i + 1;
    const sign = text.charCodeAt(j);
    if (sign === 0x2b || sign === 0x2d) j++;
    if (isDigit(text.charCodeAt(j))) {
      const digitsFrom = j;
      while (j < n && isDigit(text.charCodeAt(j))) j++;
      // BigInt: the exponent may be any length; only its range matters.
      const exponent = BigInt(text.slice(digitsFrom, j)) * (sign === 0x2d ? -1n : 1n);
      const scale = BigInt(fraction) - exponent;
      if (exponent > BigInt(INT32_MAX) || exponent < BigInt(-INT32_MAX - 1)) throw lexicalError();
      if (scale > BigInt(INT32_MAX) || scale < BigInt(-INT32_MAX - 1)) throw lexicalError();
      i = j;
    }
  }
  return i;
}

/** A quoted token from `from` (the quote doubled inside stands for itself); throws when unterminated. */
function scanQuoted(text: string, from: number, quote: number): { end: number; value: string } {
  let i = from + 1;
  let value = '';
  let chunk = i;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === quote) {
      if (quote !== 0x60 && text.charCodeAt(i + 1) === quote) {
        value += text.slice(chunk, i + 1);
        i += 2;
        chunk = i;
        continue;
      }
      return { end: i + 1, value: value + text.slice(chunk, i) };
    }
    i++;
  }
  throw lexicalError();
}
