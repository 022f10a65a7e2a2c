import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tokenize } from './lexer.js';
import { ParseCache } from './parse-cache.js';
import { validationError } from '../errors.js';

function kinds(text: string): string[] {
  return tokenize(text).map((t) => `${t.kind}:${t.text}`);
}

describe('lexer', () => {
  const cases: [string, string[]][] = [
    ['a.b[10]', ['Name:a', 'Punct:.', 'Name:b', 'Punct:[', 'Index:10', 'Punct:]', 'EOF:<EOF>']],
    ['#n_1 :v_2', ['NamePlaceholder:#n_1', 'ValuePlaceholder::v_2', 'EOF:<EOF>']],
    ['# : #-', ['Unknown:#', 'Unknown::', 'Unknown:#', 'Punct:-', 'EOF:<EOF>']],
    ['and Or NOT between In settings', ['Keyword:and', 'Keyword:Or', 'Keyword:NOT', 'Keyword:between', 'Keyword:In', 'Name:settings', 'EOF:<EOF>']],
    ['<= <> < >= > =', ['Punct:<=', 'Punct:<>', 'Punct:<', 'Punct:>=', 'Punct:>', 'Punct:=', 'EOF:<EOF>']],
    ['01 007', ['Index:0', 'Index:1', 'Index:0', 'Index:0', 'Index:7', 'EOF:<EOF>']],
    ['_a1', ['Unknown:_', 'Name:a1', 'EOF:<EOF>']],
    ["'it\\'s' \"x", ["String:'it\\'s'", 'Unknown:"', 'Name:x', 'EOF:<EOF>']],
    ['a\u00a0b\fc', ['Name:a', 'Unknown:\u00a0', 'Name:b', 'Unknown:\f', 'Name:c', 'EOF:<EOF>']],
    ['\u{1F600}', ['Unknown:\u{1F600}', 'EOF:<EOF>']],
  ];
  for (const [text, expected] of cases) it(JSON.stringify(text), () => assert.deepEqual(kinds(text), expected));

  it('gives offsets, with EOF at the very end', () => {
    const tokens = tokenize(' ab = :v  ');
    assert.deepEqual(tokens.map((t) => [t.start, t.end]), [[1, 3], [4, 5], [6, 8], [10, 10]]);
  });

  it('upper-cases keyword values', () => {
    assert.equal(tokenize('between')[0]?.value, 'BETWEEN');
  });
});

describe('parse cache', () => {
  it('evicts the least recently used entry', () => {
    const cache = new ParseCache<string>(2);
    let parses = 0;
    const parse = (value: string) => () => {
      parses++;
      return value;
    };
    cache.get('a', parse('A'));
    cache.get('b', parse('B'));
    assert.equal(cache.get('a', parse('A')), 'A'); // hit: 'a' becomes most recent
    cache.get('c', parse('C')); // evicts 'b'
    assert.equal(parses, 3);
    cache.get('a', parse('A'));
    assert.equal(parses, 3);
    cache.get('b', parse('B'));
    assert.equal(parses, 4);
    assert.equal(cache.size, 2);
  });

  it('caches validation errors and rethrows them, but not other errors', () => {
    const cache = new ParseCache<string>(4);
    let parses = 0;
    const bad = () => {
      parses++;
      throw validationError('Invalid X: nope');
    };
    assert.throws(() => cache.get('x', bad), { name: 'ValidationException', message: 'Invalid X: nope' });
    assert.throws(() => cache.get('x', bad), { name: 'ValidationException', message: 'Invalid X: nope' });
    assert.equal(parses, 1);
    assert.throws(() => cache.get('y', () => { throw new TypeError('bug'); }), TypeError);
    assert.equal(cache.size, 1);
  });
});
