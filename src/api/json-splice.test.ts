import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { spliceJson } from './json-splice.js';

const items = (...texts: string[]): Uint8Array[] => texts.map((text) => new Uint8Array(Buffer.from(text)));

describe('spliceJson', () => {
  test('text and lists of items, a comma between the items of a list only', () => {
    const answer = spliceJson(['{"Count":3,"Items":[', items('{"a":1}', '{"b":2}', '{"c":3}'), '],"ScannedCount":3}']);
    assert.equal(answer.toString(), '{"Count":3,"Items":[{"a":1},{"b":2},{"c":3}],"ScannedCount":3}');
    assert.equal(answer.length, Buffer.byteLength('{"Count":3,"Items":[{"a":1},{"b":2},{"c":3}],"ScannedCount":3}'));
  });

  test('an empty list and a list of one', () => {
    assert.equal(spliceJson(['[', [], ']']).toString(), '[]');
    assert.equal(spliceJson(['{"Item":', items('{"k":{"S":"v"}}'), '}']).toString(), '{"Item":{"k":{"S":"v"}}}');
  });

  test('text and items outside ASCII keep their UTF-8 bytes', () => {
    const answer = spliceJson(['{"a":[', items('"\u00e9"', '"\u{1F600}"'), '],"k":"cl\u00e9 \u{1F511}"}']);
    assert.equal(answer.toString('utf8'), '{"a":["\u00e9","\u{1F600}"],"k":"cl\u00e9 \u{1F511}"}');
    assert.deepEqual(JSON.parse(answer.toString('utf8')), { a: ['\u00e9', '\u{1F600}'], k: 'cl\u00e9 \u{1F511}' });
  });

  test('several lists, as BatchGetItem answers several tables', () => {
    const answer = spliceJson(['{"Responses":{', '"t1":[', items('1', '2'), ']', ',"t2":[', items('3'), ']', '}}']);
    assert.equal(answer.toString(), '{"Responses":{"t1":[1,2],"t2":[3]}}');
  });
});
