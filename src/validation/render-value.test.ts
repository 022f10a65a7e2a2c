import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { render } from './render-value.js';

/** The identity text as it was computed before: a hash of JSON.stringify's text. */
function identityOfJson(value: unknown): string {
  const text = JSON.stringify(value) ?? '';
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
  return `com.amazonaws.dynamodb.v20120810.AttributeValue@${(hash >>> 0).toString(16)}`;
}

describe('render of an AttributeValue', () => {
  it('hashes the JSON text of the value', () => {
    for (const value of [{ S: 'a' }, { M: { a: { L: [{ N: '1' }, { NULL: true }, { BOOL: false }] }, 'b"c': { SS: ['x', 'é'] } } }, { L: [] }, {}]) {
      assert.equal(render(value, { type: 'attributeValue' }), identityOfJson(value));
    }
  });

  it('renders a value nested 100,000 levels', () => {
    const deep: unknown = JSON.parse('{"M":{"a":'.repeat(100_000) + '{"S":"x"}' + '}}'.repeat(100_000));
    assert.match(render(deep, { type: 'attributeValue' }), /^com\.amazonaws\.dynamodb\.v20120810\.AttributeValue@[0-9a-f]+$/);
    assert.match(render({ a: deep }, { type: 'attributeMap' }), /^\{a=com\.amazonaws\.dynamodb\.v20120810\.AttributeValue@[0-9a-f]+\}$/);
  });
});
