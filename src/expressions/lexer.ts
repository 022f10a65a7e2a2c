/**
 * The expression lexer. DynamoDB tokenises every expression type with one lexer, whose rules are:
 *
 * - whitespace is only space, tab, CR and LF (anything else, e.g. a form feed or a non-breaking space, is a token);
 * - a name starts with an ASCII letter and continues with letters, digits and `_` (so `_a` lexes as `_` then `a`,
 *   which is why DynamoDB answers `token: "_", near: "_a"` for an attribute name starting with an underscore);
 * - `#name` and `:value` placeholders are the sigil followed by at least one letter, digit or `_`; a lone `#` or `:`
 *   is a one-character unknown token;
 * - a list index is `0` or a digit string without leading zero (`01` lexes as `0` then `1`);
 * - the nine keywords are names matched case-insensitively; a longer name (`settings`) stays a name;
 * - quoted strings ('x' or "x") lex as one token although no grammar rule accepts them;
 * - every other character is a one-character unknown token (a whole code point, so an emoji is one token).
 *
 * There is no lexical error: unknown characters reach the parser, which reports them as
 * `Syntax error; token: "!", near: ...`.
 */

export type Keyword = 'AND' | 'OR' | 'NOT' | 'BETWEEN' | 'IN' | 'SET' | 'REMOVE' | 'ADD' | 'DELETE';

export type TokenKind =
  | 'Name'
  | 'Keyword'
  | 'NamePlaceholder'
  | 'ValuePlaceholder'
  | 'Index'
  | 'String'
  | 'Punct'
  | 'Unknown'
  | 'EOF';

export interface Token {
  readonly kind: TokenKind;
  /** The token's text exactly as written (`<EOF>` for the end). */
  readonly text: string;
  /** Keyword tokens: the upper-cased keyword; punctuation: the operator itself. */
  readonly value: string;
  /** Offsets into the expression: [start, end). EOF sits at the very end, with start = end = length. */
  readonly start: number;
  readonly end: number;
}

const KEYWORDS: ReadonlySet<string> = new Set(['AND', 'OR', 'NOT', 'BETWEEN', 'IN', 'SET', 'REMOVE', 'ADD', 'DELETE']);

// Character classes by char code: a lookup table keeps the hot loop branch-light.
const LETTER = 1;
const DIGIT = 2;
const UNDERSCORE = 4;
const SPACE = 8;
const CLASS = new Uint8Array(128);
for (let c = 0x41; c <= 0x5a; c++) CLASS[c] = LETTER;
for (let c = 0x61; c <= 0x7a; c++) CLASS[c] = LETTER;
for (let c = 0x30; c <= 0x39; c++) CLASS[c] = DIGIT;
CLASS[0x5f] = UNDERSCORE;
CLASS[0x20] = SPACE;
CLASS[0x09] = SPACE;
CLASS[0x0a] = SPACE;
CLASS[0x0d] = SPACE;

function classOf(code: number): number {
  return code < 128 ? (CLASS[code] ?? 0) : 0;
}

const WORD_CHAR = LETTER | DIGIT | UNDERSCORE;

function scanWord(text: string, from: number): number {
  let i = from;
  while (i < text.length && (classOf(text.charCodeAt(i)) & WORD_CHAR) !== 0) i++;
  return i;
}

/** Splits an expression into tokens; the last token is always EOF. Never throws. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const code = text.charCodeAt(i);
    const cls = classOf(code);
    if (cls === SPACE) {
      i++;
      continue;
    }
    const start = i;
    if (cls === LETTER) {
      i = scanWord(text, i + 1);
      const word = text.slice(start, i);
      // Keywords are at most 7 letters long: skip the upper-casing for longer names.
      const upper = word.length <= 7 ? word.toUpperCase() : '';
      if (KEYWORDS.has(upper)) tokens.push({ kind: 'Keyword', text: word, value: upper, start, end: i });
      else tokens.push({ kind: 'Name', text: word, value: word, start, end: i });
      continue;
    }
    if (cls === DIGIT) {
      // `0` alone, or a non-zero digit followed by digits.
      if (code === 0x30) i++;
      else while (i < n && classOf(text.charCodeAt(i)) === DIGIT) i++;
      const digits = text.slice(start, i);
      tokens.push({ kind: 'Index', text: digits, value: digits, start, end: i });
      continue;
    }
    if (code === 0x23 /* # */ || code === 0x3a /* : */) {
      const end = scanWord(text, i + 1);
      if (end > i + 1) {
        const ph = text.slice(start, end);
        tokens.push({ kind: code === 0x23 ? 'NamePlaceholder' : 'ValuePlaceholder', text: ph, value: ph, start, end });
        i = end;
        continue;
      }
      i++;
      tokens.push(unknown(text, start, i));
      continue;
    }
    switch (code) {
      case 0x28: // (
      case 0x29: // )
      case 0x5b: // [
      case 0x5d: // ]
      case 0x2c: // ,
      case 0x2e: // .
      case 0x3d: // =
      case 0x2b: // +
      case 0x2d: // -
        i++;
        tokens.push(punct(text, start, i));
        continue;
      case 0x3c: // < <= <>
        i += text.charCodeAt(i + 1) === 0x3d || text.charCodeAt(i + 1) === 0x3e ? 2 : 1;
        tokens.push(punct(text, start, i));
        continue;
      case 0x3e: // > >=
        i += text.charCodeAt(i + 1) === 0x3d ? 2 : 1;
        tokens.push(punct(text, start, i));
        continue;
      case 0x22: // "
      case 0x27: {
        // '
        const end = scanQuoted(text, i, code);
        if (end > 0) {
          tokens.push({ kind: 'String', text: text.slice(start, end), value: '', start, end });
          i = end;
          continue;
        }
        i++;
        tokens.push(unknown(text, start, i));
        continue;
      }
      default: {
        // One code point: a surrogate pair stays together.
        const cp = text.codePointAt(i) ?? code;
        i += cp > 0xffff ? 2 : 1;
        tokens.push(unknown(text, start, i));
      }
    }
  }
  tokens.push({ kind: 'EOF', text: '<EOF>', value: '', start: n, end: n });
  return tokens;
}

/** End offset of a quoted string starting at `from` (a backslash escapes the quote), or -1 if unterminated. */
function scanQuoted(text: string, from: number, quote: number): number {
  let i = from + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x5c /* \ */ && text.charCodeAt(i + 1) === quote) {
      i += 2;
      continue;
    }
    if (c === quote) return i + 1;
    i++;
  }
  return -1;
}

function punct(text: string, start: number, end: number): Token {
  const s = text.slice(start, end);
  return { kind: 'Punct', text: s, value: s, start, end };
}

function unknown(text: string, start: number, end: number): Token {
  const s = text.slice(start, end);
  return { kind: 'Unknown', text: s, value: s, start, end };
}
