import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KeyAttributeType } from '../model/attribute-value.js';
import { checkGlobalIndexKeySchema, indexKeyFromSchema } from './global-index-key-schema.js';

const types: Record<string, KeyAttributeType> = { a: 'S', b: 'N', c: 'B', d: 'S' };
const typeOf = (name: string): KeyAttributeType => types[name] ?? 'S';
const INVALID = 'One or more parameter values were invalid: ';

describe('indexKeyFromSchema', () => {
  it('keeps a one-HASH, one-RANGE key as it always was', () => {
    assert.deepEqual(
      indexKeyFromSchema(
        [
          { AttributeName: 'a', KeyType: 'HASH' },
          { AttributeName: 'b', KeyType: 'RANGE' },
        ],
        typeOf,
      ),
      { hash: { name: 'a', type: 'S' }, range: { name: 'b', type: 'N' } },
    );
    assert.deepEqual(indexKeyFromSchema([{ AttributeName: 'a', KeyType: 'HASH' }], typeOf), { hash: { name: 'a', type: 'S' } });
  });

  it('records every part of a multi-attribute key, in KeySchema order', () => {
    const key = indexKeyFromSchema(
      [
        { AttributeName: 'a', KeyType: 'HASH' },
        { AttributeName: 'b', KeyType: 'HASH' },
        { AttributeName: 'd', KeyType: 'RANGE' },
        { AttributeName: 'c', KeyType: 'RANGE' },
      ],
      typeOf,
    );
    assert.deepEqual(key, {
      hash: { name: 'a', type: 'S' },
      range: { name: 'd', type: 'S' },
      parts: {
        hash: [
          { name: 'a', type: 'S' },
          { name: 'b', type: 'N' },
        ],
        range: [
          { name: 'd', type: 'S' },
          { name: 'c', type: 'B' },
        ],
      },
    });
  });
});

describe('checkGlobalIndexKeySchema', () => {
  const defined = ['a', 'b', 'c', 'd', 'e', 'f'];
  const check = (...elements: [string, string][]) => () =>
    checkGlobalIndexKeySchema(
      elements.map(([name]) => name),
      elements.map(([, type]) => type),
      defined,
    );

  it('accepts up to four of each kind, HASH first', () => {
    check(['a', 'HASH'], ['b', 'HASH'])();
    check(['a', 'HASH'], ['b', 'HASH'], ['c', 'HASH'], ['d', 'HASH'], ['e', 'RANGE'])();
    check(['a', 'HASH'], ['b', 'RANGE'], ['c', 'RANGE'], ['d', 'RANGE'], ['e', 'RANGE'])();
  });

  it('checks definitions, names, then types, then counts', () => {
    const cases: [() => void, string][] = [
      [check(['a', 'HASH'], ['z', 'HASH'], ['a', 'RANGE']), 'One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [a, z, a], AttributeDefinitions: [a, b, c, d, e, f]'],
      [check(['a', 'RANGE'], ['a', 'HASH']), 'The KeySchema contains multiple key attributes with the same name'],
      [check(['a', 'RANGE'], ['b', 'HASH']), 'Invalid KeySchema: The first KeySchemaElement is not a HASH key type'],
      [check(['a', 'HASH'], ['b', 'RANGE'], ['c', 'HASH']), `${INVALID}All HASH key attributes must precede RANGE key attributes in the KeySchema`],
      [check(['a', 'HASH'], ['b', 'HASH'], ['c', 'hash']), 'Invalid KeySchema: KeyType must be HASH or RANGE, not hash'],
      [check(['a', 'HASH'], ['b', 'HASH'], ['c', 'HASH'], ['d', 'HASH'], ['e', 'HASH']), `${INVALID}The KeySchema exceeds the maximum allowed number of HASH key attributes`],
      [check(['a', 'HASH'], ['b', 'HASH'], ['c', 'HASH'], ['d', 'HASH'], ['e', 'HASH'], ['f', 'RANGE']), `${INVALID}The KeySchema exceeds the maximum allowed number of HASH key attributes`],
    ];
    for (const [run, message] of cases) assert.throws(run, { message });
  });
});
