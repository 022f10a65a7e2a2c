import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeToken, encodeToken, requestHash, TOKEN_LIFETIME_MS } from './next-token.js';

const message = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  return 'no error';
};

describe('NextToken', () => {
  const hash = requestHash('SELECT * FROM "t"', [{ S: 'a' }]);
  const point = { partition: 2, after: { pk: { S: 'a' }, sk: { N: '3' } } };

  it('round-trips the resume point', () => {
    assert.deepEqual(decodeToken(encodeToken(hash, point, 1000), hash, 2000), point);
  });

  it('refuses a token whose payload or signature changed, or that is not a token', () => {
    const token = encodeToken(hash, point, 1000);
    const [body = '', signature = ''] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ h: hash, p: 0, k: { pk: { S: 'z' } }, t: 1000 })).toString('base64url');
    assert.equal(message(() => decodeToken(`${forged}.${signature}`, hash, 2000)), 'Invalid NextToken');
    assert.equal(message(() => decodeToken(`${body}.${signature.slice(1)}A`, hash, 2000)), 'Invalid NextToken');
    assert.equal(message(() => decodeToken('not a token', hash, 2000)), 'Invalid NextToken');
  });

  it('binds a token to its statement and parameters, and lets it expire', () => {
    const token = encodeToken(hash, point, 1000);
    assert.equal(message(() => decodeToken(token, requestHash('SELECT * FROM "t"', [{ S: 'b' }]), 2000)), 'NextToken does not match request');
    assert.equal(message(() => decodeToken(token, hash, 1000 + TOKEN_LIFETIME_MS + 1)), 'Given NextToken has already expired');
  });
});
