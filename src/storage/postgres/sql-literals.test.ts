import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bigintArray, byteaArray, byteaLiteral, textArray, textLiteral } from './sql-literals.js';

test('text literals are escape strings with quotes and backslashes doubled, nothing else touched', () => {
  assert.equal(textLiteral('t/abc'), "E't/abc'");
  assert.equal(textLiteral("it's"), "E'it''s'");
  assert.equal(textLiteral('a\\b'), "E'a\\\\b'");
  assert.equal(textLiteral("'\\'"), "E'''\\\\'''");
  assert.equal(textLiteral('é\n'), "E'é\n'");
  assert.equal(textLiteral(''), "E''");
});

test('bytea literals are the hex form in an escape string, from any view of a buffer', () => {
  assert.equal(byteaLiteral(Uint8Array.of(0, 0x0a, 0xff)), "E'\\\\x000aff'");
  assert.equal(byteaLiteral(new Uint8Array(0)), "E'\\\\x'");
  const backing = Uint8Array.of(1, 2, 3, 4);
  assert.equal(byteaLiteral(backing.subarray(1, 3)), "E'\\\\x0203'");
});

test('arrays are ARRAY[...] constructors with their type', () => {
  assert.equal(textArray(['a', "b'"]), "ARRAY[E'a',E'b''']::text[]");
  assert.equal(byteaArray([Uint8Array.of(1), Uint8Array.of()]), "ARRAY[E'\\\\x01',E'\\\\x']::bytea[]");
  assert.equal(bigintArray([0, null, 4294967295]), 'ARRAY[0,NULL,4294967295]::bigint[]');
});
