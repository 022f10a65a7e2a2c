import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyMutations, jsonPaths, type Mutation } from './json-mutation.js';
import type { JsonValue } from './request-templates.js';

const DOCUMENT: JsonValue = { a: 1, b: [true, { c: 'x' }] };

describe('jsonPaths', () => {
  it('lists the root first, then every member and element depth-first', () => {
    assert.deepEqual(jsonPaths(DOCUMENT), [[], ['a'], ['b'], ['b', 0], ['b', 1], ['b', 1, 'c']]);
  });
});

describe('applyMutations', () => {
  const cases: { name: string; mutations: Mutation[]; expected: JsonValue }[] = [
    { name: 'removes a member', mutations: [{ kind: 'remove', at: 1 }], expected: { b: [true, { c: 'x' }] } },
    { name: 'removes an array element', mutations: [{ kind: 'remove', at: 3 }], expected: { a: 1, b: [{ c: 'x' }] } },
    { name: 'retypes a nested value', mutations: [{ kind: 'replace', at: 5, value: [null] }], expected: { a: 1, b: [true, { c: [null] }] } },
    { name: 'replaces the whole document', mutations: [{ kind: 'replace', at: 0, value: 'text' }], expected: 'text' },
    { name: 'never removes the root', mutations: [{ kind: 'remove', at: 0 }], expected: DOCUMENT },
    { name: 'perturbs a string within its type', mutations: [{ kind: 'perturb', at: 5, choice: 2, text: '!' }], expected: { a: 1, b: [true, { c: 'x!' }] } },
    { name: 'empties a string', mutations: [{ kind: 'perturb', at: 5, choice: 1, text: '!' }], expected: { a: 1, b: [true, { c: '' }] } },
    { name: 'perturbs a number to an edge value', mutations: [{ kind: 'perturb', at: 1, choice: 3, text: '' }], expected: { a: 2 ** 31, b: [true, { c: 'x' }] } },
    { name: 'negates a boolean', mutations: [{ kind: 'perturb', at: 3, choice: 0, text: '' }], expected: { a: 1, b: [false, { c: 'x' }] } },
    { name: 'doubles an array', mutations: [{ kind: 'perturb', at: 2, choice: 1, text: '' }], expected: { a: 1, b: [true, { c: 'x' }, true, { c: 'x' }] } },
    { name: 'empties an object', mutations: [{ kind: 'perturb', at: 4, choice: 0, text: '' }], expected: { a: 1, b: [true, {}] } },
    { name: 'inserts a member', mutations: [{ kind: 'insert', at: 4, key: 'd', value: 2 }], expected: { a: 1, b: [true, { c: 'x', d: 2 }] } },
    { name: 'appends to an array', mutations: [{ kind: 'insert', at: 2, key: 'ignored', value: {} }], expected: { a: 1, b: [true, { c: 'x' }, {}] } },
    { name: 'ignores an insert into a scalar', mutations: [{ kind: 'insert', at: 1, key: 'z', value: 0 }], expected: DOCUMENT },
    // 6 paths: index 7 wraps to 1 (`a`), -1 to 5 (`b[1].c`).
    { name: 'wraps indexes modulo the path count', mutations: [{ kind: 'remove', at: 7 }, { kind: 'remove', at: -1 }], expected: { b: [true, {}] } },
  ];
  for (const { name, mutations, expected } of cases) {
    it(name, () => assert.deepEqual(applyMutations(DOCUMENT, mutations), expected));
  }

  it('leaves its input untouched', () => {
    const input: JsonValue = { a: [1, 2] };
    applyMutations(input, [{ kind: 'remove', at: 2 }, { kind: 'insert', at: 0, key: 'b', value: 3 }]);
    assert.deepEqual(input, { a: [1, 2] });
  });
});
